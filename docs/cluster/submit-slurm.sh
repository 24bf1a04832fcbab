#!/usr/bin/env bash
# Queues the partitioned scan as a job array and the merge as a job that runs after every task
# succeeded. Usage (from a login node, with CORPUS, BENCHMARKS, OUTDIR exported):
#   N=16 docs/cluster/submit-slurm.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n=${N:-16}
array=$(sbatch --parsable --array="1-$n" --export=ALL "$here/slurm.sbatch")
sbatch --dependency="afterok:$array" --job-name=contam-merge --export=ALL,TASK_COUNT="$n" \
  --wrap "$here/contam-merge.sh"
echo "queued scan array $array ($n tasks) and its merge"
