#!/usr/bin/env bash
# A sweep through a real batch engine: on a one-node Slurm cluster
# (scripts/slurm/ci-cluster.sh), the small sweep scripts/slurm/ci-sweep.yaml
# runs once unsharded and once as a 4-task job array of
# scripts/slurm/sweep.sbatch; the array's shards, merged, must equal the
# unsharded output byte for byte: sweep.json, summary.txt and every run's
# result (cmp, then diff -r of the two directories).
#
#   scripts/slurm/ci.sh                  builds ddbsim from ./cmd/ddbsim
#   DDBSIM=/path/to/ddbsim scripts/slurm/ci.sh
#
# Needs root or sudo to start the cluster. A cluster that already runs is
# used as it is and left running; one this script started, it stops.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

tasks=4
spec=$root/scripts/slurm/ci-sweep.yaml
work=$(mktemp -d)
started=""
cleanup() {
	if [ -n "$started" ]; then scripts/slurm/ci-cluster.sh stop || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${DDBSIM:-}" ]; then
	bin=$DDBSIM
else
	bin=$work/ddbsim
	go build -o "$bin" ./cmd/ddbsim
fi

if ! scripts/slurm/ci-cluster.sh status >/dev/null 2>&1; then started=1; fi
SECONDS=0
scripts/slurm/ci-cluster.sh start
echo "== cluster up in ${SECONDS}s"

# A sweep exits 1 when no point meets the scenario's thresholds in every
# seed, and merge then exits 1 too: either is a result, not a failure.
SECONDS=0
swept=0
"$bin" sweep "$spec" --out "$work/A" || swept=$?
echo "== unsharded sweep: exit $swept in ${SECONDS}s"
if [ "$swept" -gt 1 ]; then exit 1; fi

# Job output where this script can print it; the array's shards in B.
mkdir -p "$work/logs"
# --wait returns when every task has ended, non-zero when one failed; the
# timeout stops a job that never starts (a drained node, say).
SECONDS=0
status=0
jobid=$(timeout 1200 sbatch --parsable --wait --array=0-$((tasks - 1)) \
	--output="$work/logs/%A_%a.out" --export=ALL,DDBSIM="$bin" \
	scripts/slurm/sweep.sbatch "$spec" "$work/B") || status=$?
jobid=${jobid%%;*}
echo "== job array $jobid of $tasks tasks: exit $status in ${SECONDS}s"
joblogs() {
	for f in "$work"/logs/*.out; do
		echo "---- $(basename "$f")"
		cat "$f"
	done
}
if [ "$status" -ne 0 ]; then
	if [ -n "$jobid" ]; then scancel "$jobid" 2>/dev/null || true; fi
	joblogs >&2
	scontrol show job "$jobid" >&2 || true
	exit 1
fi
shards=$(find "$work/B" -mindepth 1 -maxdepth 1 -type d -name "shard-*-of-$tasks" | wc -l)
if [ "$shards" -ne "$tasks" ]; then
	joblogs >&2
	echo "the array wrote $shards shard directories, want $tasks" >&2
	exit 1
fi

joblogs

merged=0
"$bin" merge "$work/B" --out "$work/M" || merged=$?
echo "== merge: exit $merged"
if [ "$merged" -ne "$swept" ]; then
	echo "merge exited $merged, the unsharded sweep $swept" >&2
	exit 1
fi

echo "== comparing the unsharded sweep (A) with the merged shards (M)"
(cd "$work/A" && find . -type f | LC_ALL=C sort | xargs sha256sum)
if ! cmp "$work/A/sweep.json" "$work/M/sweep.json" || ! diff -r "$work/A" "$work/M"; then
	echo "the merged shards differ from the unsharded sweep" >&2
	exit 1
fi
echo "== identical: the $(find "$work/A" -type f | wc -l) files above"
