// Package sweepout writes what ddbsim sweep and merge produce, whole or
// not at all: each run's result into the --out set as it finishes,
// sweep.json and summary.txt last, then the set swapped in; and reads the
// shards a merge combines.
package sweepout
