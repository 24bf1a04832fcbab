#!/usr/bin/env bash
# Merges the TASK_COUNT partial certificates in OUTDIR into OUTDIR/certificate.json, once every
# task has finished (Slurm: a job with --dependency=afterok on the array; Kubernetes: the merge
# Job, started when the Indexed Job has completed). Fails, naming them, if parts are missing.
# Environment: TASK_COUNT, OUTDIR, CONTAM (default contam), MERGE_ARGS (e.g. --sign KEY).
set -euo pipefail
: "${TASK_COUNT:?}" "${OUTDIR:?}"
contam=${CONTAM:-contam}
parts=()
for i in $(seq 1 "$TASK_COUNT"); do
  part="$OUTDIR/part-$i-of-$TASK_COUNT.json"
  [[ -f "$part" ]] || { echo "contam-merge: missing $part" >&2; exit 4; }
  parts+=("$part")
done
# shellcheck disable=SC2086
"$contam" merge "${parts[@]}" --out "$OUTDIR/certificate.json" ${MERGE_ARGS:-}
"$contam" report "$OUTDIR/certificate.json" --format html --out "$OUTDIR/report.html"
