#!/usr/bin/env bash
# A single-node Slurm on this machine, for testing the cluster recipes (docs/cluster): munge
# with a fresh key, slurm.conf for this host, slurmctld and slurmd started directly (no
# systemd). Needs root and Debian's slurmctld, slurmd, slurm-client and munge
# (`scripts/slurm-local.sh install` installs them).
#   scripts/slurm-local.sh install|start|stop|status
set -euo pipefail
state=${SLURM_LOCAL_DIR:-/tmp/contam-slurm}
conf=/etc/slurm/slurm.conf
host=$(hostname -s)

# Runs a daemon with none of the caller's descriptors: no standard streams (a caller reading
# this script's output to its end would otherwise wait for as long as the daemon lives) and
# no other inherited descriptor (a test harness learns of a child's exit through one).
daemon() {
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      [[ $fd -gt 2 ]] && eval "exec $fd>&-" 2>/dev/null
    done
    exec "$@" </dev/null >/dev/null 2>&1
  )
}

start() {
  mkdir -p "$state"/{ctld,d,log} /etc/slurm /etc/munge /run/munge /var/log/munge /var/lib/munge
  if [[ ! -s /etc/munge/munge.key ]]; then
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  fi
  chown -R munge:munge /etc/munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
  chmod 0400 /etc/munge/munge.key
  chmod 0700 /etc/munge
  pgrep -x -r D,R,S munged >/dev/null || daemon runuser -u munge -- /usr/sbin/munged --force
  local cpus mem
  cpus=$(nproc)
  mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
  cat > "$conf" <<CONF
ClusterName=contam-local
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SwitchType=switch/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobRequeue=1
MaxArraySize=1001
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
  pgrep -x -r D,R,S slurmctld >/dev/null || daemon /usr/sbin/slurmctld -c -i
  pgrep -x -r D,R,S slurmd >/dev/null || daemon /usr/sbin/slurmd
  for _ in $(seq 60); do
    if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
      echo "slurm-local: up on $host ($cpus CPUs)"
      return 0
    fi
    sleep 0.5
  done
  echo "slurm-local: the node did not come up; see $state/log" >&2
  sinfo >&2 || true
  return 1
}

stop() {
  pkill -x slurmd 2>/dev/null || true
  pkill -x slurmctld 2>/dev/null || true
  for _ in $(seq 40); do { pgrep -x -r D,R,S slurmctld || pgrep -x -r D,R,S slurmd; } >/dev/null || break; sleep 0.25; done
  echo "slurm-local: stopped"
}

case "${1:-}" in
  install)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurmctld slurmd slurm-client munge >/dev/null ;;
  start) start ;;
  stop) stop ;;
  status) sinfo; squeue ;;
  *) echo "usage: slurm-local.sh install|start|stop|status" >&2; exit 64 ;;
esac
