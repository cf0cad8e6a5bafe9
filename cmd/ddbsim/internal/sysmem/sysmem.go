package sysmem

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
)

// Fallback is assumed when the available memory cannot be read (a
// system without /proc/meminfo).
const Fallback = 8 << 30

// Available is the memory a new process can use: the lesser of what the
// kernel says it can use without swapping (MemAvailable, or Fallback)
// and what its control group has left under a memory limit (a
// container's, as Kubernetes sets it), where one is set.
func Available() float64 { return available(os.DirFS("/")) }

// available is Available on the file system fsys (its root the
// machine's /).
func available(fsys fs.FS) float64 {
	avail := float64(Fallback)
	if data, err := fs.ReadFile(fsys, "proc/meminfo"); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			var kb float64
			if _, err := fmt.Sscanf(sc.Text(), "MemAvailable: %g kB", &kb); err == nil && kb > 0 {
				avail = kb * 1024
				break
			}
		}
	}
	if left, ok := cgroupLeft(fsys); ok {
		avail = min(avail, left)
	}
	return avail
}

// unlimited is the least value a cgroup's limit is taken as no limit at:
// cgroup v1 writes "none" as a page-rounded 2^63-1.
const unlimited = 1 << 62

// cgroupLeft is what the memory limit of the process's control group
// leaves above its usage, and whether a limit is set. It reads the group
// named in /proc/self/cgroup (v2: the "0::" line, memory.max and
// memory.current; v1: the memory controller's, memory.limit_in_bytes and
// memory.usage_in_bytes), under /sys/fs/cgroup, then the mount's root,
// which is the group itself in a container with its own cgroup
// namespace.
func cgroupLeft(fsys fs.FS) (float64, bool) {
	data, err := fs.ReadFile(fsys, "proc/self/cgroup")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		id, rest, ok1 := strings.Cut(line, ":")
		controllers, group, ok2 := strings.Cut(rest, ":")
		if !ok1 || !ok2 {
			continue
		}
		var root, limitFile, usageFile string
		switch {
		case id == "0" && controllers == "":
			root, limitFile, usageFile = "sys/fs/cgroup", "memory.max", "memory.current"
		case strings.Contains(","+controllers+",", ",memory,"):
			root, limitFile, usageFile = "sys/fs/cgroup/memory", "memory.limit_in_bytes", "memory.usage_in_bytes"
		default:
			continue
		}
		for _, dir := range []string{path.Join(root, group), root} {
			limit, ok := readBytes(fsys, path.Join(dir, limitFile))
			if !ok {
				continue
			}
			if limit >= unlimited {
				break // this group has no limit
			}
			usage, _ := readBytes(fsys, path.Join(dir, usageFile))
			return max(limit-usage, 0), true
		}
	}
	return 0, false
}

// readBytes reads a cgroup file holding a byte count ("max" for none).
func readBytes(fsys fs.FS, name string) (float64, bool) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return 0, false
	}
	s := strings.TrimSpace(string(data))
	if s == "max" {
		return unlimited, true
	}
	n, err := strconv.ParseFloat(s, 64)
	return n, err == nil && n >= 0
}
