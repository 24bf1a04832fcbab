#!/usr/bin/env bash
# Certificates before and after a change: writes the certificates of fixed runs into DIR
# (`record`), or writes them again and compares them byte for byte with DIR (`check`).
#   scripts/compare-certificates.sh record DIR [GENERATED_CORPUS]
#   scripts/compare-certificates.sh check DIR [GENERATED_CORPUS]
# The runs:
#   samples    the README's main job on corpora-samples/ (sample benchmarks)
#   generated  every shared benchmark preset plus the generator's bench.jsonl against a corpus
#              from ../shared/bench/make_corpus.py (given as GENERATED_CORPUS; skipped if absent)
# Uses the release binary (built here). Exit 0 when every certificate is identical.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:?usage: compare-certificates.sh record|check DIR [GENERATED_CORPUS]}
dir=${2:?usage: compare-certificates.sh record|check DIR [GENERATED_CORPUS]}
generated=${3:-}
data=$(cd "${CONTAM_SHARED_DATA:-$here/../shared/data}" 2>/dev/null && pwd -P)/benchmarks
(cd "$here" && swift build -c release --product contam >/dev/null)
contam="$here/.build/release/contam"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$here"

"$contam" scan --fail-on never --out "$out/samples.json" \
  --benchmark gsm8k=corpora-samples/benchmarks/gsm8k-sample.jsonl \
  --benchmark arc=corpora-samples/benchmarks/arc-challenge-sample.jsonl \
  --benchmark math=corpora-samples/benchmarks/math-sample.jsonl corpora-samples/shards >/dev/null 2>&1
if [[ -n "$generated" && -d "$data" ]]; then
  "$contam" scan --fail-on never --jobs 2 --out "$out/generated.json" \
    --benchmark "gsm8k=$data/gsm8k/test.jsonl" --benchmark "math=$data/math/test.jsonl.gz" \
    --benchmark "math-perturb=$data/math_perturb/math_perturb_hard.jsonl" \
    --benchmark "mmlu=$data/mmlu/test" --benchmark "humaneval=$data/humaneval/HumanEval.jsonl.gz" \
    --benchmark "arc=$data/arc/ARC-Challenge-Test.jsonl" --benchmark "truthfulqa=$data/truthfulqa/TruthfulQA.csv" \
    --benchmark "winogrande=$data/winogrande/dev.jsonl" --benchmark "piqa=$data/piqa/dev.jsonl" \
    --benchmark "sciq=$data/sciq/test.json" --benchmark "lambada=$data/lambada/lambada_test_plain_text.txt" \
    --benchmark "generated=$generated/bench.jsonl" --fields question=question,answer=answer \
    "$generated/shards" >/dev/null 2>&1
fi

case "$mode" in
  record)
    mkdir -p "$dir"
    cp "$out"/*.json "$dir/"
    ls -l "$dir"
    ;;
  check)
    status=0
    for f in "$out"/*.json; do
      name=$(basename "$f")
      if cmp -s "$f" "$dir/$name"; then
        echo "same      $name ($(stat -c %s "$f") bytes)"
      else
        echo "DIFFERENT $name"
        diff <(python3 -m json.tool "$dir/$name") <(python3 -m json.tool "$f") | head -20 || true
        status=1
      fi
    done
    exit $status
    ;;
  *) echo "usage: compare-certificates.sh record|check DIR [GENERATED_CORPUS]" >&2; exit 64 ;;
esac
