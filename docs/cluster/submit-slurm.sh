#!/usr/bin/env bash
# Queues the partitioned scan as a job array and the merge as a job that runs after every task
# succeeded. Usage (from a login node, with CORPUS, BENCHMARKS, OUTDIR exported):
#   N=16 docs/cluster/submit-slurm.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n=${N:-16}
: "${CORPUS:?export CORPUS (shards)}" "${BENCHMARKS:?export BENCHMARKS (--benchmark options)}" "${OUTDIR:?export OUTDIR (a shared directory)}"
# Absolute paths: the jobs run from Slurm's spool directory, on any node of a shared file system.
export CONTAM_RECIPES=$here
mkdir -p "$OUTDIR"
array=$(sbatch --parsable --array="1-$n" --output="$OUTDIR/contam-%A_%a.log" --export=ALL "$here/slurm.sbatch")
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes --job-name=contam-merge \
  --output="$OUTDIR/contam-merge-%j.log" --export=ALL,TASK_COUNT="$n" --wrap "$here/contam-merge.sh")
echo "queued scan array $array ($n tasks) and its merge $merge"
