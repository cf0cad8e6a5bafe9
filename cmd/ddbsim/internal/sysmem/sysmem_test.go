package sysmem

import (
	"testing"
	"testing/fstest"
)

// The available memory is the machine's MemAvailable, or less where the
// process's control group (a container's limit) has less left; a group
// without a limit, or no readable group, leaves MemAvailable.
func TestAvailable(t *testing.T) {
	meminfo := &fstest.MapFile{Data: []byte("MemTotal: 16000000 kB\nMemAvailable: 8000000 kB\n")}
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	for _, c := range []struct {
		name string
		fs   fstest.MapFS
		want float64
	}{
		{"no cgroup", fstest.MapFS{"proc/meminfo": meminfo}, 8000000 * 1024},
		{"nothing readable", fstest.MapFS{}, Fallback},
		{"v2 limit in the group", fstest.MapFS{"proc/meminfo": meminfo, "proc/self/cgroup": file("0::/kubepods/pod1\n"),
			"sys/fs/cgroup/kubepods/pod1/memory.max": file("2147483648\n"), "sys/fs/cgroup/kubepods/pod1/memory.current": file("536870912\n")},
			1 << 30 * 1.5},
		{"v2 namespaced: the root is the group", fstest.MapFS{"proc/meminfo": meminfo, "proc/self/cgroup": file("0::/\n"),
			"sys/fs/cgroup/memory.max": file("1073741824"), "sys/fs/cgroup/memory.current": file("0")}, 1 << 30},
		{"v2 no limit", fstest.MapFS{"proc/meminfo": meminfo, "proc/self/cgroup": file("0::/\n"),
			"sys/fs/cgroup/memory.max": file("max\n")}, 8000000 * 1024},
		{"v1 limit", fstest.MapFS{"proc/meminfo": meminfo, "proc/self/cgroup": file("4:memory:/docker/abc\n1:cpu:/\n"),
			"sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes": file("3221225472\n"),
			"sys/fs/cgroup/memory/docker/abc/memory.usage_in_bytes": file("1073741824\n")}, 2 << 30},
		{"v1 unlimited", fstest.MapFS{"proc/meminfo": meminfo, "proc/self/cgroup": file("4:memory:/\n"),
			"sys/fs/cgroup/memory/memory.limit_in_bytes": file("9223372036854771712\n")}, 8000000 * 1024},
		{"over its limit", fstest.MapFS{"proc/meminfo": meminfo, "proc/self/cgroup": file("0::/\n"),
			"sys/fs/cgroup/memory.max": file("100"), "sys/fs/cgroup/memory.current": file("200")}, 0},
	} {
		if got := available(c.fs); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	if Available() <= 0 {
		t.Errorf("this machine: %v available", Available())
	}
}
