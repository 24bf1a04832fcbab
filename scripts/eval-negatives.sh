#!/usr/bin/env bash
# Verdicts on corpora that hold none of the test items (false alarms), the figures of
# docs/VERDICTS.md:
#   MMLU, ARC-Challenge and GSM8K test items against GSM8K train (as a JSONL corpus);
#   MATH test items against MATH train (which holds templated siblings of many test problems).
#   scripts/eval-negatives.sh [extra contam scan options...]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
data=${CONTAM_SHARED_DATA:-$here/../shared/data}/benchmarks
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$here" && swift build -c release --product contam >/dev/null)
contam="$here/.build/release/contam"
python3 - "$data" "$work" <<'PY'
import gzip, json, sys
data, work = sys.argv[1:3]
with open(f"{work}/math-train.jsonl", "w") as f:
    for line in gzip.open(f"{data}/math/train.jsonl.gz", "rt"):
        r = json.loads(line)
        f.write(json.dumps({"id": r["unique_id"], "text": r["problem"] + "\n\n" + r["solution"]}) + "\n")
with open(f"{work}/gsm8k-train.jsonl", "w") as f:
    for line in gzip.open(f"{data}/gsm8k/train.jsonl.gz", "rt"):
        r = json.loads(line)
        f.write(json.dumps({"text": r["question"] + "\n" + r["answer"]}) + "\n")
PY
"$contam" scan --jobs 2 --fail-on never --out "$work/gsm.json" "$@" --benchmark "gsm8k=$data/gsm8k/test.jsonl" \
  --benchmark "mmlu=$data/mmlu/test" --benchmark "arc=$data/arc/ARC-Challenge-Test.jsonl" "$work/gsm8k-train.jsonl" >/dev/null 2>&1
"$contam" scan --jobs 2 --fail-on never --out "$work/math.json" "$@" --benchmark "math=$data/math/test.jsonl.gz" \
  "$work/math-train.jsonl" >/dev/null 2>&1
python3 - "$work/gsm.json" "$work/math.json" <<'PY'
import json, sys
print("benchmark   corpus         items  contaminated  perturbed  partial  clean  too_short  flagged")
for path, corpus in zip(sys.argv[1:], ["gsm8k train", "math train"]):
    for s in json.load(open(path))["summary"]:
        flagged = s["contaminated"] + s["perturbed"] + s["partial"]
        print(f'{s["benchmark"]:<11} {corpus:<13} {s["items"]:>6} {s["contaminated"]:>13} {s["perturbed"]:>10} {s["partial"]:>8} '
              f'{s["clean"]:>6} {s["tooShort"]:>10} {flagged:>5} ({100 * flagged / s["items"]:.2f}%)')
PY
