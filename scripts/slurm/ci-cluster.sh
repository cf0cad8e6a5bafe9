#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for CI and for trying the job
# array of scripts/slurm/sweep.sbatch by hand. Debian, root (or sudo), no
# systemd: the daemons are started directly.
#
#   scripts/slurm/ci-cluster.sh start    install if needed, configure, start, wait for the node
#   scripts/slurm/ci-cluster.sh status   sinfo, or non-zero when the cluster is not up
#   scripts/slurm/ci-cluster.sh stop     stop slurmd, slurmctld and munged
#
# start writes /etc/slurm/slurm.conf (one node with this machine's CPUs and
# memory, one partition, no cgroups, no accounting database), makes a munge
# key if there is none, and starts munged, slurmctld and slurmd unless they
# already run: a second start leaves a running cluster as it is. When the
# node does not come up it prints the daemons' logs and exits non-zero.
set -euo pipefail

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

host=$(hostname -s)
conf=/etc/slurm/slurm.conf
logdir=/var/log/slurm
statedir=/var/lib/slurm/slurmctld
spooldir=/var/spool/slurmd
ctldpid=/run/slurmctld.pid
slurmdpid=/run/slurmd.pid
mungepid=/run/munge/munged.pid
mungelog=/var/log/munge/munged.log

# running PIDFILE: the process the file names is alive.
running() {
	$sudo test -s "$1" && $sudo kill -0 "$($sudo cat "$1")" 2>/dev/null
}

logs() {
	for f in "$mungelog" "$logdir/slurmctld.log" "$logdir/slurmd.log"; do
		echo "---- $f" >&2
		$sudo tail -n 60 "$f" >&2 2>/dev/null || echo "(none)" >&2
	done
}

fail() {
	echo "ci-cluster: $*" >&2
	logs
	exit 1
}

# node_state: the node's state as sinfo prints it (idle, mix, alloc, down*, ...).
node_state() {
	sinfo -h -n "$host" -o %t 2>/dev/null | head -n 1
}

write_conf() {
	local cpus mem
	cpus=$(nproc)
	# A little under MemTotal: slurmd drains a node that has less memory
	# than slurm.conf says.
	mem=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.95 }' /proc/meminfo)
	$sudo mkdir -p /etc/slurm
	local tmp
	tmp=$(mktemp)
	cat >"$tmp" <<CONF
# Written by scripts/slurm/ci-cluster.sh: a one-node cluster for CI.
ClusterName=ddbsim-ci
# Addresses beside the names: a container's host name may not resolve.
SlurmctldHost=$host(127.0.0.1)
SlurmUser=slurm
AuthType=auth/munge
StateSaveLocation=$statedir
SlurmdSpoolDir=$spooldir
SlurmctldPidFile=$ctldpid
SlurmdPidFile=$slurmdpid
SlurmctldLogFile=$logdir/slurmctld.log
SlurmdLogFile=$logdir/slurmd.log
# No cgroups: processes are tracked through /proc, tasks are not bound.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
# No accounting database.
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
# Jobs share the node one CPU at a time, so array tasks run side by side.
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmdTimeout=60
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
	if ! $sudo cmp -s "$tmp" "$conf"; then
		$sudo install -m 0644 "$tmp" "$conf"
		conf_changed=1
	fi
	rm -f "$tmp"
}

start() {
	if [ ! -x /usr/sbin/slurmctld ] || [ ! -x /usr/sbin/munged ]; then
		echo "== installing slurm-wlm munge"
		$sudo apt-get update -qq
		$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
	fi

	# munge: a key only munge can read, then the daemon as the munge user.
	if ! $sudo test -s /etc/munge/munge.key; then
		$sudo mkdir -p /etc/munge
		if [ -x /usr/sbin/mungekey ]; then
			$sudo /usr/sbin/mungekey --create --keyfile=/etc/munge/munge.key
		else
			$sudo dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
		fi
	fi
	$sudo chown munge:munge /etc/munge /etc/munge/munge.key
	$sudo chmod 0700 /etc/munge
	$sudo chmod 0400 /etc/munge/munge.key
	$sudo mkdir -p /run/munge /var/log/munge /var/lib/munge
	$sudo chown munge:munge /run/munge /var/log/munge /var/lib/munge
	$sudo chmod 0755 /run/munge
	if ! running "$mungepid"; then
		$sudo runuser -u munge -- /usr/sbin/munged || fail "munged did not start"
	fi
	for _ in $(seq 50); do
		if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then break; fi
		sleep 0.2
	done
	munge -n | unmunge >/dev/null || fail "munge cannot encode and decode a credential"

	conf_changed=0
	write_conf
	$sudo mkdir -p "$logdir" "$statedir" "$spooldir"
	$sudo chown slurm:slurm "$logdir" "$statedir"
	$sudo chmod 0755 "$statedir"

	if [ "$conf_changed" = 1 ] && { running "$ctldpid" || running "$slurmdpid"; }; then
		echo "== slurm.conf changed: restarting the daemons"
		stop_slurm
	fi
	if ! running "$ctldpid"; then
		$sudo /usr/sbin/slurmctld || fail "slurmctld did not start"
	fi
	if ! running "$slurmdpid"; then
		$sudo /usr/sbin/slurmd || fail "slurmd did not start"
	fi

	# Wait for the node: idle when free, mix or alloc when jobs already run.
	local state=""
	for _ in $(seq 120); do
		state=$(node_state)
		case "$state" in
		idle | mix | alloc) break ;;
		down | drain | drng | down\* | drain\*)
			# A node left down by an earlier run comes back when told to.
			$sudo scontrol update NodeName="$host" State=RESUME 2>/dev/null || true ;;
		esac
		sleep 0.5
	done
	case "$state" in
	idle | mix | alloc) ;;
	*)
		sinfo -N -l >&2 || true
		fail "node $host is '${state:-unknown}' after 60 s, not idle"
		;;
	esac
	sinfo
}

stop_slurm() {
	local f
	for f in "$slurmdpid" "$ctldpid"; do
		if running "$f"; then
			local pid
			pid=$($sudo cat "$f")
			$sudo kill "$pid"
			for _ in $(seq 50); do
				$sudo kill -0 "$pid" 2>/dev/null || break
				sleep 0.2
			done
		fi
	done
}

stop() {
	stop_slurm
	if running "$mungepid"; then
		$sudo kill "$($sudo cat "$mungepid")"
	fi
}

status() {
	running "$ctldpid" || { echo "slurmctld is not running" >&2; exit 1; }
	running "$slurmdpid" || { echo "slurmd is not running" >&2; exit 1; }
	sinfo
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
*)
	echo "usage: $0 start|stop|status" >&2
	exit 2
	;;
esac
