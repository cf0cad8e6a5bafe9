package sysmem

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
)

// Fallback is assumed when the available memory cannot be read (a
// system without /proc/meminfo).
const Fallback = 8 << 30

// Available is the memory the kernel says a new process can use without
// swapping (MemAvailable), or Fallback.
func Available() float64 {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return Fallback
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		var kb float64
		if _, err := fmt.Sscanf(sc.Text(), "MemAvailable: %g kB", &kb); err == nil && kb > 0 {
			return kb * 1024
		}
	}
	return Fallback
}
