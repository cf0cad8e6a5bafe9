//go:build unix

package ddbsim

import "syscall"

// cpuTime is the CPU time the process has used, user and system, in
// nanoseconds: on a machine shared with other work it moves less than
// wall time does.
func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
