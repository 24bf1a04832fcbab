#!/usr/bin/env bash
# Labelled evaluation of verdicts (docs/VERDICTS.md): real test items planted into real text
# in many layouts and disguises, hard negatives and untouched items, by a seeded generator
# (scripts/eval-quality.py); then one scan and a table of recall per kind and benchmark and
# false positives.
#   scripts/eval-quality.sh [--seed N] [--per-kind K] [--data DIR] [--keep DIR] [--misses N] [-- contam scan options...]
# --data defaults to ../shared/data when it is there, else the committed Tests/Fixtures/data.
# The thresholds are contam's defaults; nothing here tunes them.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seed=1 per_kind=3 keep="" misses=0 markdown=""
data=$here/../shared/data
[[ -f $data/SOURCES.md ]] || data=$here/Tests/Fixtures/data
while [[ $# -gt 0 ]]; do
  case $1 in
    --seed) seed=$2; shift 2 ;;
    --per-kind) per_kind=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --misses) misses=$2; shift 2 ;;
    --markdown) markdown=--markdown; shift ;;
    --) shift; break ;;
    *) echo "eval-quality: unknown option $1" >&2; exit 64 ;;
  esac
done
work=${keep:-$(mktemp -d)}
[[ -n $keep ]] || trap 'rm -rf "$work"' EXIT
contam=${CONTAM:-}
if [[ -z $contam ]]; then
  (cd "$here" && swift build -c release --product contam >/dev/null)
  contam="$here/.build/release/contam"
fi
python3 "$here/scripts/eval-quality.py" generate --data "$data" --out "$work" --seed "$seed" --per-kind "$per_kind"
args=()
for dir in "$work"/benchmarks/*/; do
  name=$(basename "$dir")
  args+=(--benchmark "$name=$dir")
done
"$contam" scan --jobs 2 --fail-on never --id-field id --out "$work/certificate.json" "${args[@]}" "$@" "$work/shards" >"$work/scan.txt" 2>"$work/scan.err" || {
  echo "eval-quality: the scan failed:" >&2; cat "$work/scan.err" >&2; exit 1; }
echo "data: $data  seed: $seed  per kind: $per_kind  scan options: ${*:-defaults}"
python3 "$here/scripts/eval-quality.py" score --out "$work" --certificate "$work/certificate.json" --misses "$misses" $markdown
