#!/usr/bin/env bash
# Regenerates Tests/Fixtures/data from ../shared/data: small real slices that the default test
# suite reads, so the tests pass in a bare clone. Deterministic: the same inputs give the same
# bytes (gzip -n, fixed slices). Sources and licenses: Tests/Fixtures/SOURCES.md.
#   scripts/make-fixtures.sh [SHARED_DATA_DIR]
set -eu  # no pipefail: `head` closes the pipe early on purpose
here=$(cd "$(dirname "$0")/.." && pwd)
src=${1:-$here/../shared/data}
out=$here/Tests/Fixtures/data
rm -rf "$out"
mkdir -p "$out"/benchmarks/{gsm8k,math,math_perturb,arc,mmlu/test,mmlu-blanks,humaneval,truthfulqa,winogrande,piqa,sciq,lambada} "$out"/text/gutenberg
b=$src/benchmarks
cp "$b/gsm8k/test.jsonl" "$out/benchmarks/gsm8k/"
cp "$b"/math_perturb/*.jsonl "$out/benchmarks/math_perturb/"
cp "$b/humaneval/HumanEval.jsonl.gz" "$out/benchmarks/humaneval/"
gzip -dc "$b/math/test.jsonl.gz" | head -n 1000 | gzip -9n > "$out/benchmarks/math/test.jsonl.gz"
head -n 300 "$b/arc/ARC-Challenge-Test.jsonl" > "$out/benchmarks/arc/ARC-Challenge-Test.jsonl"
for subject in abstract_algebra moral_scenarios sociology; do cp "$b/mmlu/test/${subject}_test.csv" "$out/benchmarks/mmlu/test/"; done
cp "$b/mmlu/test/computer_security_test.csv" "$out/benchmarks/mmlu-blanks/"
head -n 200 "$b/winogrande/dev.jsonl" > "$out/benchmarks/winogrande/dev.jsonl"
head -n 200 "$b/winogrande/dev-labels.lst" > "$out/benchmarks/winogrande/dev-labels.lst"
head -n 200 "$b/piqa/dev.jsonl" > "$out/benchmarks/piqa/dev.jsonl"
head -n 200 "$b/piqa/dev-labels.lst" > "$out/benchmarks/piqa/dev-labels.lst"
head -n 300 "$b/lambada/lambada_test_plain_text.txt" > "$out/benchmarks/lambada/lambada_test_plain_text.txt"
python3 - "$b" "$out/benchmarks" <<'PY'
import csv, json, sys
src, out = sys.argv[1], sys.argv[2]
items = json.load(open(f"{src}/sciq/test.json"))[:100]
json.dump(items, open(f"{out}/sciq/test.json", "w"), indent=1, ensure_ascii=False)
with open(f"{src}/truthfulqa/TruthfulQA.csv", newline="") as f:
    rows = list(csv.reader(f))
with open(f"{out}/truthfulqa/TruthfulQA.csv", "w", newline="") as f:
    csv.writer(f).writerows(rows[:151])  # the header and 150 questions
PY
# Real prose: the start of five Project Gutenberg novels (public domain in the US).
for novel in 1342-0:700000 122-0:400000 1310-0:400000 141:400000 155-0:400000; do
  name=${novel%%:*}; bytes=${novel##*:}
  gzip -dc "$src/text/gutenberg/$name.txt.gz" | head -c "$bytes" | gzip -9n > "$out/text/gutenberg/$name.txt.gz"
done
du -sh "$out"
