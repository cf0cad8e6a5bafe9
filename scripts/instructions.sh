#!/usr/bin/env bash
# Counts the instructions a request executes, on the request path and on
# the bare loop of BenchmarkBareLoop (docs/performance.md, "Instructions a
# request, and what 1.0x would take"). Instruction counts do not move with
# a machine's load, as timings do, so two versions can be compared on a
# shared machine.
#
# For each benchmark it runs the test binary twice under valgrind's
# cachegrind (no cache simulation), 200,000 and 1,200,000 requests, with
# the garbage collector off, and divides the difference by the million
# requests between them: the builds and the preloaded items cancel out.
#
#   SCENARIOS="web-backend zipf-1m-read"   which scenarios
#   LOOPS="request-path bare"              which loops
#   KEEP=dir                               keep cachegrind's files there, to
#                                          compare by function: cg_diff
#                                          dir/X.200000 dir/X.1200000 > d;
#                                          cg_annotate d
#
# Needs valgrind (Debian: apt-get install valgrind). About a minute a
# request-path run, seconds a bare one. Not part of .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v valgrind >/dev/null; then
	echo "instructions.sh: valgrind is not installed (Debian: apt-get install valgrind)" >&2
	exit 2
fi
SCENARIOS=${SCENARIOS:-"web-backend zipf-1m-read"}
LOOPS=${LOOPS:-"request-path bare"}
work=$(mktemp -d "${TMPDIR:-/tmp}/ddbsim-instr.XXXXXX")
trap 'rm -rf "$work"' EXIT
keep=${KEEP:-$work}
mkdir -p "$keep"

go test -c -o "$work/ddbsim.test" .

refs() { # the "I refs" total of a cachegrind run's report
	awk '/I *refs:/ {gsub(",", "", $4); print $4}' "$1"
}

printf '%-14s %-13s %s\n' scenario loop instructions/request
for sc in $SCENARIOS; do
	for loop in $LOOPS; do
		declare -A total=()
		for n in 200000 1200000; do
			GOGC=off valgrind --tool=cachegrind --cache-sim=no \
				--cachegrind-out-file="$keep/$sc.$loop.$n" \
				"$work/ddbsim.test" -test.run XXX -test.bench "BareLoop/scenario=$sc/loop=$loop\$" \
				-test.benchtime "${n}x" -test.cpu 1 >/dev/null 2>"$work/report"
			total[$n]=$(refs "$work/report")
		done
		printf '%-14s %-13s %d\n' "$sc" "$loop" $(((total[1200000] - total[200000]) / 1000000))
	done
done
