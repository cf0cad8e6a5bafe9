//go:build linux

package main

import "syscall"

// peakRSS is the process's peak resident memory so far, in bytes; 0 where
// it cannot be read.
func peakRSS() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Maxrss) * 1024 // kilobytes, on Linux
}
