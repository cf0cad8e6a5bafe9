#!/usr/bin/env bash
# Runs the performance benchmarks (docs/performance.md) on one core
# and prints a benchstat table. `make bench` calls it.
#
#   COUNT=6      runs of each benchmark (benchstat wants at least 6 for
#                its confidence intervals; 3 is enough for a quick look)
#   BENCH=regex  which benchmarks (default: the set in docs/performance.md)
#   BENCHTIME=1s go test's -benchtime
#   OUT=file     keep the raw `go test` output there, e.g. to compare
#                two versions: OUT=old.txt ...; OUT=new.txt ...; then
#                go run golang.org/x/perf/cmd/benchstat@VERSION old.txt new.txt
#
# One core, as docs/performance.md's figures are measured: -cpu 1 sets GOMAXPROCS
# to 1 for each benchmark, so the garbage collector shares the core too.
# Not part of .ci/run: it takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${COUNT:-6}
BENCHTIME=${BENCHTIME:-1s}
BENCH=${BENCH:-'^(BenchmarkKernel|BenchmarkRequestPath|BenchmarkBareLoop|BenchmarkZipf|BenchmarkPartitionOf|BenchmarkDAXLookup|BenchmarkEndToEnd|BenchmarkPreload1M)$'}
PACKAGES=(./sim ./workload ./model .)
# A version of benchstat on the Go module proxy; `go run pkg@version`
# fetches it into the module cache, so nothing is installed.
BENCHSTAT=golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da

out=${OUT:-}
if [ -z "$out" ]; then
	out=$(mktemp "${TMPDIR:-/tmp}/ddbsim-bench.XXXXXX")
	trap 'rm -f "$out"' EXIT
fi
: >"$out"

echo "== go test -run XXX -bench '$BENCH' -count $COUNT -cpu 1 -benchtime $BENCHTIME (raw output: ${OUT:-a temporary file})" >&2
# One package at a time, so that no two benchmark binaries share the
# machine.
for pkg in "${PACKAGES[@]}"; do
	echo "-- $pkg" >&2
	go test -run XXX -bench "$BENCH" -count "$COUNT" -cpu 1 -benchtime "$BENCHTIME" "$pkg" | tee -a "$out" | grep -E '^(Benchmark|FAIL|panic|ok )' >&2 || true
done
if grep -qE '^(FAIL|panic:|--- FAIL)' "$out"; then
	echo "bench: a benchmark failed (see above)" >&2
	exit 1
fi

# B/op is left out of the table (allocs/op and the benchmarks' own
# allocs/request say what the targets ask); the raw output keeps it.
echo
if ! timeout 300 go run "$BENCHSTAT" -filter '-.unit:B/op' "results=$out" 2>/dev/null; then
	echo "(benchstat could not be fetched or run: the raw results follow)"
	grep -E '^(goos|goarch|pkg|cpu|Benchmark)' "$out"
fi
