#!/usr/bin/env bash
# One task of a partitioned Contam run: scans share TASK_INDEX of TASK_COUNT of the corpus and
# writes a partial certificate. Slurm job arrays and Kubernetes Indexed Jobs call this (see
# slurm.sbatch, kubernetes.yaml); it runs the same way by hand.
#
# Environment:
#   TASK_INDEX   1-based index of this task (Slurm: $SLURM_ARRAY_TASK_ID; Kubernetes: $JOB_COMPLETION_INDEX + 1)
#   TASK_COUNT   number of tasks N
#   CORPUS       shard files, directories or quoted globs (space-separated)
#   BENCHMARKS   --benchmark options, e.g. "--benchmark gsm8k=/data/gsm8k/test.jsonl --benchmark mmlu=/data/mmlu/test"
#   OUTDIR       shared directory for partial certificates and work directories
#   CONTAM       the contam binary (default: contam on PATH)
#   CONTAM_ARGS  further scan options (--text-field, --id-field, --sign KEY, ...), the same for every task
# A task killed and restarted (preemption, node failure) resumes from its work directory.
set -euo pipefail
: "${TASK_INDEX:?}" "${TASK_COUNT:?}" "${CORPUS:?}" "${BENCHMARKS:?}" "${OUTDIR:?}"
contam=${CONTAM:-contam}
mkdir -p "$OUTDIR"
# shellcheck disable=SC2086 # BENCHMARKS, CORPUS and CONTAM_ARGS are word lists on purpose.
"$contam" scan --fail-on never --partition "$TASK_INDEX/$TASK_COUNT" \
  --work-dir "$OUTDIR/work-$TASK_INDEX-of-$TASK_COUNT" \
  --out "$OUTDIR/part-$TASK_INDEX-of-$TASK_COUNT.json" \
  ${CONTAM_ARGS:-} $BENCHMARKS $CORPUS
