#!/usr/bin/env bash
# Throughput of `contam stats` against references measured in the same run on the same shards.
#   scripts/bench-stats.sh CORPUS_DIR [RUNS]
# CORPUS_DIR holds shards/*.jsonl.gz and shards/*.jsonl.zst, e.g. made by
#   python3 ../shared/bench/make_corpus.py --name c300m --out /tmp/c300m --total-mb 300 --shards 8
# Prints the median wall time of RUNS runs (default 3) and MB/s of uncompressed JSONL for:
# zcat, zstd -dc, the C reference scan at the tokenize stage (scan -m 2, ISA-L and zlib, built from
# ../shared/bench/limits/scan.c if gcc and the libraries are there), and contam stats --jobs 1/2.
# Then peak memory of contam stats for one shard and for a shard 8 times larger (concatenated
# gzip members), which should be about equal.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:?usage: bench-stats.sh CORPUS_DIR [RUNS]}
runs=${2:-3}
gz=("$corpus"/shards/*.jsonl.gz)
zst=("$corpus"/shards/*.jsonl.zst)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$here" && swift build -c release --product contam >/dev/null)
contam="$here/.build/release/contam"
bytes=$(zcat "${gz[@]}" | wc -c)

scan=""
if [[ -f "$here/../shared/bench/limits/scan.c" ]] && command -v gcc >/dev/null &&
  gcc -O3 -march=native -o "$work/scan" "$here/../shared/bench/limits/scan.c" -lz -lisal -ldeflate -lzstd -lpthread 2>/dev/null; then
  scan="$work/scan"
  printf '{"id":"x","question":"a","answer":"b"}\n' > "$work/bench.jsonl"
fi

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # label, command...
  local label=$1; shift
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc -l)")
  done
  local m; m=$(printf '%s\n' "${times[@]}" | median)
  printf '%-40s %8.3f s %9.1f MB/s\n' "$label" "$m" "$(echo "$bytes / $m / 1000000" | bc -l)"
  echo "$m" > "$work/$(echo "$label" | tr -c 'a-zA-Z0-9' _)"
}

echo "corpus: $corpus, $(( bytes / 1000000 )) MB uncompressed JSONL, ${#gz[@]} shards; median of $runs runs"
measure "zcat (gzip)" zcat "${gz[@]}"
measure "zstd -dc" zstd -dcq "${zst[@]}"
[[ -n "$scan" ]] && measure "C scan -m 2 -t 1 (gzip, ISA-L)" "$scan" -b "$work/bench.jsonl" -t 1 -m 2 "${gz[@]}"
[[ -n "$scan" ]] && measure "C scan -m 2 -z zlib -t 1 (gzip)" "$scan" -b "$work/bench.jsonl" -t 1 -m 2 -z zlib "${gz[@]}"
[[ -n "$scan" ]] && measure "C scan -m 2 -t 1 (zstd)" "$scan" -b "$work/bench.jsonl" -t 1 -m 2 "${zst[@]}"
measure "contam stats --jobs 1 (gzip, ISA-L)" "$contam" stats --jobs 1 "${gz[@]}"
measure "contam stats --jobs 1 --inflate zlib" "$contam" stats --jobs 1 --inflate zlib "${gz[@]}"
measure "contam stats --jobs 2 (gzip, ISA-L)" "$contam" stats --jobs 2 "${gz[@]}"
measure "contam stats --jobs 1 (zstd)" "$contam" stats --jobs 1 "${zst[@]}"
measure "contam stats --jobs 2 (zstd)" "$contam" stats --jobs 2 "${zst[@]}"

t() { cat "$work/$(echo "$1" | tr -c 'a-zA-Z0-9' _)"; }
echo
if [[ -n "$scan" ]]; then
  printf 'contam --jobs 1 / C scan -m 2, gzip ISA-L: %.2f\n' "$(echo "$(t 'C scan -m 2 -t 1 (gzip, ISA-L)') / $(t 'contam stats --jobs 1 (gzip, ISA-L)')" | bc -l)"
  printf 'contam --jobs 1 / C scan -m 2, gzip zlib:  %.2f\n' "$(echo "$(t 'C scan -m 2 -z zlib -t 1 (gzip)') / $(t 'contam stats --jobs 1 --inflate zlib')" | bc -l)"
  printf 'contam --jobs 1 / C scan -m 2, zstd:      %.2f\n' "$(echo "$(t 'C scan -m 2 -t 1 (zstd)') / $(t 'contam stats --jobs 1 (zstd)')" | bc -l)"
fi
printf 'contam --jobs 2 / --jobs 1, gzip:         %.2f\n' "$(echo "$(t 'contam stats --jobs 1 (gzip, ISA-L)') / $(t 'contam stats --jobs 2 (gzip, ISA-L)')" | bc -l)"
printf 'contam --jobs 2 / --jobs 1, zstd:         %.2f\n' "$(echo "$(t 'contam stats --jobs 1 (zstd)') / $(t 'contam stats --jobs 2 (zstd)')" | bc -l)"
printf 'contam --jobs 1 / zcat:                   %.2f\n' "$(echo "$(t 'zcat (gzip)') / $(t 'contam stats --jobs 1 (gzip, ISA-L)')" | bc -l)"

echo
one="${gz[0]}"
for _ in 1 2 3 4 5 6 7 8; do cat "${gz[@]}"; done > "$work/big.jsonl.gz"
for f in "$one" "$work/big.jsonl.gz"; do
  size=$(zcat "$f" | wc -c)
  rss=$( { /usr/bin/time -f '%M' "$contam" stats --jobs 1 "$f" >/dev/null; } 2>&1 | tail -1)
  printf 'peak RSS of contam stats on a %6d MB shard: %6d KiB\n' $(( size / 1000000 )) "$rss"
done
