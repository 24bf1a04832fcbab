#!/usr/bin/env bash
# Scan throughput and recall against references measured in the same run on the same shards.
#   scripts/bench-scan.sh CORPUS_DIR [RUNS]
# CORPUS_DIR comes from ../shared/bench/make_corpus.py (shards/*.jsonl.{gz,zst}, bench.jsonl,
# labels.jsonl). Prints, as medians of RUNS runs (default 3):
#   - the C reference `scan -t 2` (full 13-gram probe of a 1M-entry table; ISA-L for gzip), and
#     contam scan --jobs 2 --no-near (the same job: exact n-grams only)
#     with the shared benchmarks GSM8K+MATH+MMLU+HumanEval+ARC-C indexed
#     (about 22,000 items): MB/s of the scan phase (contam reports it apart from the index build)
#     and wall time, with ratios;
#   - recall of contam scan on the generator's injected items (bench.jsonl as the benchmark,
#     labels.jsonl as the truth) and the C reference's on the same;
#   - peak RSS of contam scan (index + buffers), built and read from the index cache: median and range;
#   - start-up with near duplicates on: indexes built, and read from the index cache;
#   - one big shard (half the corpus as one single-member gzip and as one multi-frame zstd file)
#     with --jobs 1 and --jobs 2: the speed-up from reading on one thread while both match.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:?usage: bench-scan.sh CORPUS_DIR [RUNS]}
runs=${2:-3}
data=${CONTAM_SHARED_DATA:-$here/../shared/data}/benchmarks
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$here" && swift build -c release --product contam >/dev/null)
contam="$here/.build/release/contam"
scan=""
if gcc -O3 -march=native -o "$work/scan" "$here/../shared/bench/limits/scan.c" -lz -lisal -ldeflate -lzstd -lpthread 2>"$work/gcc.err"; then
  scan="$work/scan"
else
  # Without the reference there is no ratio to quote: say why, not only leave its lines out.
  echo "bench-scan: the C reference did not build, so no ratios below ($(head -c 300 "$work/gcc.err" | tr '\n' ' '));" \
    "it needs gcc and apt-get install -y libisal-dev libdeflate-dev libzstd-dev zlib1g-dev" >&2
fi
benchmarks=(--benchmark "gsm8k=$data/gsm8k/test.jsonl" --benchmark "math=$data/math/test.jsonl.gz"
  --benchmark "mmlu=$data/mmlu/test" --benchmark "humaneval=$data/humaneval/HumanEval.jsonl.gz"
  --benchmark "arc=$data/arc/ARC-Challenge-Test.jsonl")
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for codec in gz zst; do
  shards=("$corpus"/shards/*.jsonl.$codec)
  c_rates=() c_walls=() k_rates=() k_walls=()
  for _ in $(seq "$runs"); do
    if [[ -n "$scan" ]]; then
      z=()  # ISA-L for gzip on both sides (contam's default); --inflate zlib vs -z zlib compares zlib
      t0=$(date +%s.%N)
      rate=$("$scan" -b "$corpus/bench.jsonl" -t 2 "${z[@]}" "${shards[@]}" 2>&1 | grep -o 'MBps=[0-9.]*' | cut -d= -f2)
      c_walls+=("$(echo "$(date +%s.%N) - $t0" | bc -l)"); c_rates+=("$rate")
    fi
    t0=$(date +%s.%N)
    rate=$("$contam" scan --jobs 2 --fail-on never --no-near "${benchmarks[@]}" "${shards[@]}" 2>&1 >/dev/null |
      grep -o '([0-9.]* MB/s' | tr -d '(' | cut -d' ' -f1)
    k_walls+=("$(echo "$(date +%s.%N) - $t0" | bc -l)"); k_rates+=("$rate")
  done
  k=$(printf '%s\n' "${k_rates[@]}" | median); kw=$(printf '%s\n' "${k_walls[@]}" | median)
  printf '%-4s contam scan --jobs 2 --no-near: scan phase %7.1f MB/s, wall %6.2f s\n' "$codec" "$k" "$kw"
  if [[ -n "$scan" ]]; then
    c=$(printf '%s\n' "${c_rates[@]}" | median); cw=$(printf '%s\n' "${c_walls[@]}" | median)
    printf '%-4s C scan -t 2:          scan phase %7.1f MB/s, wall %6.2f s\n' "$codec" "$c" "$cw"
    printf '%-4s ratio contam / C: scan phase %.2f, wall %.2f\n' "$codec" "$(echo "$k / $c" | bc -l)" "$(echo "$cw / $kw" | bc -l)"
  fi
done

echo
# The near-duplicate pass's cost: the same scan with and without it (zstd shards).
zshards=("$corpus"/shards/*.jsonl.zst)
exact_walls=() both_walls=() exact_scan=() both_scan=()
for _ in $(seq "$runs"); do
  for mode in exact both; do
    flag=(); [[ $mode == exact ]] && flag=(--no-near)
    t0=$(date +%s.%N)
    rate=$("$contam" scan --jobs 2 --fail-on never "${flag[@]}" "${benchmarks[@]}" "${zshards[@]}" 2>&1 >/dev/null |
      grep 'scanned' | grep -o 'in [0-9.]* s (' | cut -d' ' -f2)
    wall=$(echo "$(date +%s.%N) - $t0" | bc -l)
    if [[ $mode == exact ]]; then exact_walls+=("$wall"); exact_scan+=("$rate"); else both_walls+=("$wall"); both_scan+=("$rate"); fi
  done
done
ew=$(printf '%s\n' "${exact_walls[@]}" | median); bw=$(printf '%s\n' "${both_walls[@]}" | median)
es=$(printf '%s\n' "${exact_scan[@]}" | median); bs=$(printf '%s\n' "${both_scan[@]}" | median)
printf 'near-duplicate pass adds %.0f%% to the scan phase (%.2f -> %.2f s) and %.0f%% to wall time (%.2f -> %.2f s)\n' \
  "$(echo "($bs / $es - 1) * 100" | bc -l)" "$es" "$bs" "$(echo "($bw / $ew - 1) * 100" | bc -l)" "$ew" "$bw"

# Start-up: loading, tokenizing and indexing the 22k items (near duplicates on) on a one-line
# shard, built and read from the index cache (a directory of its own, warmed by the first run:
# the items loaded and the indexes built).
echo '{"id": "d", "text": "one short document"}' >"$work/one.jsonl"
for mode in built cached; do
  loads=() starts=() walls=()
  for _ in $(seq "$runs"); do
    cache=(--index-cache "$work/cache"); [[ $mode == built ]] && cache=(--no-index-cache)
    t0=$(date +%s.%N)
    line=$("$contam" scan --jobs 2 --fail-on never "${cache[@]}" "${benchmarks[@]}" "$work/one.jsonl" 2>&1 >/dev/null | grep 'indexed in')
    walls+=("$(echo "$(date +%s.%N) - $t0" | bc -l)")
    loads+=("$(grep -o 'loaded in [0-9.]* s' <<<"$line" | cut -d' ' -f3)")
    starts+=("$(grep -o 'indexed in [0-9.]* s' <<<"$line" | cut -d' ' -f3)")
    if [[ $mode == built ]]; then  # warms the cache for the second mode
      "$contam" scan --jobs 2 --fail-on never --index-cache "$work/cache" "${benchmarks[@]}" "$work/one.jsonl" >/dev/null 2>&1
    fi
  done
  printf 'start-up, %-6s: loaded in %.2f s, indexed in %.2f s, whole run on a one-line shard %.2f s (medians)\n' "$mode" \
    "$(printf '%s\n' "${loads[@]}" | median)" "$(printf '%s\n' "${starts[@]}" | median)" "$(printf '%s\n' "${walls[@]}" | median)"
done

echo
# Recall on the injected items: the generator's benchmark, with its fields.
"$contam" scan --jobs 2 --fail-on never --benchmark "bench=$corpus/bench.jsonl" --fields question=question,answer=answer \
  --item-id-field id --out "$work/result.json" "$corpus"/shards/*.jsonl.gz >/dev/null 2>&1
python3 - "$work/result.json" "$corpus/labels.jsonl" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
labels = [json.loads(l) for l in open(sys.argv[2])]
flagged = {i["id"] for i in result["items"] if i["verdict"] in ("contaminated", "partial")}
near = {i["id"] for i in result["items"] if i.get("nearDuplicate")}
any_match = {i["id"] for i in result["items"] if i["coverage"] > 0}
injected = {l["item_id"] for l in labels}
by_mode = {}
for l in labels:
    m = by_mode.setdefault(l["mode"], [0, 0]); m[1] += 1; m[0] += l["item_id"] in any_match
print(f"contam recall (any matched n-gram): {len(injected & any_match)}/{len(injected)}; "
      f"flagged partial or contaminated: {len(injected & flagged)}/{len(injected)}; "
      f"flagged but not injected: {len(flagged - injected)} of {len(result['items'])} items")
print("  by mode: " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(by_mode.items())))
standalone = {l["item_id"] for l in labels if l.get("expect_minhash")}
print(f"near duplicates: {len(near & injected)}/{len(injected)} injected items "
      f"(of the {len(standalone)} the generator expects MinHash to find: {len(near & standalone)}); "
      f"not injected: {len(near - injected)} of {len(result['items']) - len(injected)}")
PY
if [[ -n "$scan" ]]; then
  "$scan" -b "$corpus/bench.jsonl" -t 2 -o "$work/c.txt" "$corpus"/shards/*.jsonl.gz 2>/dev/null
  python3 - "$work/c.txt" "$corpus/labels.jsonl" <<'PY'
import json, sys
found = set(open(sys.argv[1]).read().split())
injected = {json.loads(l)["item_id"] for l in open(sys.argv[2])}
print(f"C reference recall: {len(injected & found)}/{len(injected)}")
PY
fi
# One run's peak moves by several MB with thread timing (which buffers are alive together when
# the last shards are pipelined): the median of RUNS runs, with the range.
for cache in --no-index-cache "--index-cache=$work/cache"; do
  peaks=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -o "$work/rss" -f '%M' "$contam" scan --jobs 2 --fail-on never "$cache" "${benchmarks[@]}" "$corpus"/shards/*.jsonl.zst >/dev/null 2>&1
    peaks+=("$(tail -1 "$work/rss")")
  done
  sorted=$(printf '%s\n' "${peaks[@]}" | sort -n)
  echo "peak RSS of contam scan (22k items indexed, near on, ${cache%%=*}): median $(printf '%s\n' "${peaks[@]}" | median) KiB" \
    "($(echo "$sorted" | head -1)–$(echo "$sorted" | tail -1) in $runs runs)"
done

echo
# One big shard on both cores: the first half of the corpus as one single-member gzip file and as
# one zstd file of several frames, scanned with --jobs 1 and --jobs 2 (GSM8K, near duplicates on).
half=$(( $(ls "$corpus"/shards/*.jsonl.gz | wc -l) / 2 )); half=$(( half > 0 ? half : 1 ))
zcat $(ls "$corpus"/shards/*.jsonl.gz | head -n "$half") | gzip -1 > "$work/one.jsonl.gz"
cat $(ls "$corpus"/shards/*.jsonl.zst | head -n "$half") > "$work/one.jsonl.zst"
for codec in gz zst; do
  walls=()
  for jobs in 1 2; do
    w=()
    for _ in $(seq "$runs"); do
      t0=$(date +%s.%N)
      "$contam" scan --jobs "$jobs" --fail-on never --benchmark "gsm8k=$data/gsm8k/test.jsonl" "$work/one.jsonl.$codec" >/dev/null 2>&1
      w+=("$(echo "$(date +%s.%N) - $t0" | bc -l)")
    done
    walls+=("$(printf '%s\n' "${w[@]}" | median)")
  done
  printf 'one %s shard (%s MB): --jobs 1 %.2f s, --jobs 2 %.2f s: %.2fx\n' "$codec" \
    "$(( $(stat -c %s "$work/one.jsonl.$codec") / 1000000 ))" "${walls[0]}" "${walls[1]}" "$(echo "${walls[0]} / ${walls[1]}" | bc -l)"
done
