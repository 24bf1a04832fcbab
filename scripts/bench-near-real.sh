#!/usr/bin/env bash
# What the near-duplicate pass costs on real text, against the exact scan alone, in one sitting.
#   scripts/bench-near-real.sh [MB] [PAIRS]
# Makes a corpus of about MB megabytes (default 500) from ../shared/data/text (Gutenberg books
# and dictionaries cut into 8 KB documents at blank lines, code files as they are; the whole set
# repeated until the size is reached), zstd shards of 32 MB, then scans it with every shared
# benchmark's test items (--no-near, then the default) PAIRS times (default 5), alternating.
# Prints each pair's scan phase (the time after indexing) and the median near/exact ratio, the
# figure issue 14 bounds (+20%). The items and indexes come from an index cache warmed first.
# With BENCH_WORK=DIR the corpus and cache are made in DIR and kept (and reused when there).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
mb=${1:-500}
pairs=${2:-5}
shared=${CONTAM_SHARED_DATA:-$here/../shared/data}
[[ -d $shared/text && -d $shared/benchmarks ]] || { echo "bench-near-real: needs $shared/text and $shared/benchmarks" >&2; exit 2; }
work=${BENCH_WORK:-$(mktemp -d)}
[[ -n ${BENCH_WORK:-} ]] || trap 'rm -rf "$work"' EXIT
(cd "$here" && swift build -c release --product contam >/dev/null)
contam="$here/.build/release/contam"
if ! compgen -G "$work/shards/*.zst" >/dev/null; then
mkdir -p "$work/shards"
python3 - "$shared/text" "$work/shards" "$mb" <<'PY'
import gzip, json, os, sys
source, out, megabytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
documents = []
for folder in sorted(os.listdir(source)):
    for name in sorted(os.listdir(os.path.join(source, folder))):
        path = os.path.join(source, folder, name)
        if not name.endswith(".gz"):
            continue
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
            if ".jsonl" in name:
                documents += [json.loads(line)["text"] for line in f if line.strip()]
                continue
            piece = ""
            for paragraph in f.read().split("\n\n"):
                piece += paragraph + "\n\n"
                if len(piece) >= 8192:
                    documents.append(piece)
                    piece = ""
            if piece.strip():
                documents.append(piece)
target, written, shard, number = megabytes * 1_000_000, 0, None, 0
while written < target:
    for text in documents:
        if shard is None or shard.tell() >= 32_000_000:
            if shard: shard.close()
            shard = open(os.path.join(out, f"real-{number // 4000:05d}-{number}.jsonl"), "w")
        line = json.dumps({"id": f"d{number}", "text": text}) + "\n"
        shard.write(line)
        written += len(line.encode())
        number += 1
        if written >= target:
            break
shard.close()
print(f"real text: {number} documents, {written / 1e6:.0f} MB", file=sys.stderr)
PY
zstd -q -3 --rm "$work"/shards/*.jsonl
fi
b=$shared/benchmarks
benchmarks=(--benchmark "arc=$b/arc" --benchmark "gsm8k=$b/gsm8k/test.jsonl" --benchmark "humaneval=$b/humaneval/HumanEval.jsonl.gz"
  --benchmark "lambada=$b/lambada/lambada_test_plain_text.txt" --benchmark "math=$b/math/test.jsonl.gz" --benchmark "mmlu=$b/mmlu/test"
  --benchmark "piqa=$b/piqa/dev.jsonl" --benchmark "sciq=$b/sciq/test.json" --benchmark "truthfulqa=$b/truthfulqa/TruthfulQA.csv"
  --benchmark "winogrande=$b/winogrande/dev.jsonl" --benchmark "math-perturb=$b/math_perturb/math_perturb_simple.jsonl")
cache=(--index-cache "$work/cache")
"$contam" scan --jobs 2 --fail-on never "${cache[@]}" "${benchmarks[@]}" "$work"/shards/*.zst 2>&1 >/dev/null | grep 'indexed in' || true
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratios=()
for k in $(seq "$pairs"); do
  row=()
  for mode in exact near; do
    flag=(); [[ $mode == exact ]] && flag=(--no-near)
    row+=("$("$contam" scan --jobs 2 --fail-on never "${cache[@]}" "${flag[@]}" "${benchmarks[@]}" "$work"/shards/*.zst 2>&1 >/dev/null |
      grep 'scanned' | grep -o 'in [0-9.]* s (' | cut -d' ' -f2)")
  done
  ratios+=("$(echo "${row[1]} / ${row[0]}" | bc -l)")
  printf 'pair %d: scan phase exact %.2f s, near %.2f s, near/exact %.3f\n' "$k" "${row[0]}" "${row[1]}" "${ratios[-1]}"
done
printf 'near-duplicate pass on real text: median near/exact %.3f over %d alternating pairs\n' "$(printf '%s\n' "${ratios[@]}" | median)" "$pairs"
