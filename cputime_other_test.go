//go:build !unix

package ddbsim

// cpuTime is not measured here; cpu-ns/request then reads 0.
func cpuTime() int64 { return 0 }
