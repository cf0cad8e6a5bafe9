package sweep

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
)

// MaxShards bounds a sweep's shard count.
const MaxShards = 100_000

// The environment variables batch engines give each task of an array
// its index in: Kubernetes Indexed Jobs (from 0) and Slurm job arrays
// (from the array's first index, --array=1-4 counting from 1).
const (
	EnvJobIndex   = "JOB_COMPLETION_INDEX"
	EnvSlurmTask  = "SLURM_ARRAY_TASK_ID"
	EnvSlurmFirst = "SLURM_ARRAY_TASK_MIN"
)

// SelectShard reads which shard this process runs: --shard I/N (given
// "" when absent), or --shards N (0 when absent) with I from the batch
// engine's environment (getenv). It returns n = 0 for an unsharded run.
func SelectShard(shard string, shards int, getenv func(string) string) (i, n int, err error) {
	switch {
	case shard != "" && shards != 0:
		return 0, 0, errors.New("give --shard I/N or --shards N, not both")
	case shard != "":
		m := regexp.MustCompile(`^(\d+)/(\d+)$`).FindStringSubmatch(shard)
		if m == nil {
			return 0, 0, fmt.Errorf("--shard %q: expected I/N, the I-th (from 0) of N shards, such as 0/4", shard)
		}
		i, _ = strconv.Atoi(m[1])
		n, _ = strconv.Atoi(m[2])
	case shards != 0:
		n = shards
		var from string
		if v := getenv(EnvJobIndex); v != "" {
			from = EnvJobIndex + "=" + v
			i, err = strconv.Atoi(v)
		} else if v := getenv(EnvSlurmTask); v != "" {
			first := 0
			if f := getenv(EnvSlurmFirst); f != "" {
				first, err = strconv.Atoi(f)
			}
			from = fmt.Sprintf("%s=%s minus %s=%d", EnvSlurmTask, v, EnvSlurmFirst, first)
			if err == nil {
				i, err = strconv.Atoi(v)
				i -= first
			}
		} else {
			return 0, 0, fmt.Errorf("--shards %d: neither %s (a Kubernetes Indexed Job) nor %s (a Slurm job array) is set, so which shard this is is unknown; give --shard I/%d", n, EnvJobIndex, EnvSlurmTask, n)
		}
		if err != nil {
			return 0, 0, fmt.Errorf("--shards %d: %s is not a shard index: %v", n, from, err)
		}
		if i < 0 || i >= n {
			return 0, 0, fmt.Errorf("--shards %d: %s gives shard %d, not from 0 to %d: does the job have %d tasks, numbered from its first?", n, from, i, n-1, n)
		}
		return i, n, nil
	default:
		return 0, 0, nil
	}
	if n < 1 || n > MaxShards || i >= n {
		return 0, 0, fmt.Errorf("--shard %s: expected 0 <= I < N <= %d", shard, MaxShards)
	}
	return i, n, nil
}

// ShardDir is where shard i of n writes under --out DIR, so that one
// command line serves every task of an array.
func ShardDir(out string, i, n int) string {
	return filepath.Join(out, fmt.Sprintf("shard-%d-of-%d", i, n))
}

var shardDirName = regexp.MustCompile(`^shard-\d+-of-\d+$`)

// ShardDirs expands merge's arguments: a directory holding a sweep.json
// is one shard; a directory without one stands for the shard-I-of-N
// directories in it.
func ShardDirs(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if _, err := os.Stat(filepath.Join(a, "sweep.json")); err == nil {
			out = append(out, a)
			continue
		}
		entries, err := os.ReadDir(a)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a, errors.Unwrap(err))
		}
		var found []string
		for _, e := range entries {
			if e.IsDir() && shardDirName.MatchString(e.Name()) {
				found = append(found, filepath.Join(a, e.Name()))
			}
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s holds no sweep.json and no shard-I-of-N directories: expected a shard's --out directory, or the --out of an array's tasks", a)
		}
		slices.Sort(found)
		out = append(out, found...)
	}
	return out, nil
}
