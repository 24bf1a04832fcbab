#!/usr/bin/env bash
# Contam against the tools people use today, on the same generated corpus and benchmark.
#   bench/peers/run-peers.sh [CORPUS_DIR] [RUNS=3] [WORKERS=2]
#   TOOLS="contam-exact dolma" bench/peers/run-peers.sh ...   (a subset)
# Without CORPUS_DIR, a 40 MB corpus is generated with ../shared/bench/make_corpus.py (100 injected
# items, labels.jsonl says where). Peers are installed from PyPI into bench/peers/.venv and
# .venv-dolma (git-ignored; first run only) and run through the peer drivers in
# ../shared/bench/peers/ (each one's header says how it is configured: datatrove's 13-gram
# NGramsDecontFilter, dolma's bloom-filter dedupe set up for decontamination, lm-eval's janitor,
# datasketch and rensa MinHash LSH). Contam runs three ways: exact n-grams only (--no-near), near
# duplicates only (--no-exact), and both (the default).
# Prints per tool: median wall time over RUNS (hyperfine), MB/s of uncompressed JSONL, peak RSS of
# the largest process, and recall on the injected items (the labels the generator marks as
# findable by n-grams, or by MinHash for the MinHash tools).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=${CONTAM_SHARED_BENCH:-$root/../shared/bench}
corpus=${1:-}
runs=${2:-3}
workers=${3:-2}
venv=$here/.venv
dolma=$here/.venv-dolma
tools=${TOOLS:-contam-exact contam-minhash contam-both dolma lm-eval-janitor datatrove datasketch rensa}
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
if [[ ! -x $venv/bin/python ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q datatrove==0.10.1 orjson nltk 'xxhash<4' datasketch==2.0.0 rensa==0.5.0 zstandard numpy wordfreq
  "$venv/bin/pip" install -q --no-deps lm-eval==0.4.13
fi
if [[ " $tools " == *" dolma "* && ! -x $dolma/bin/dolma ]]; then
  python3 -m venv "$dolma"
  # s3fs 2023.6.0 (a dolma pin) needs the botocore of boto3 1.26; unpinned, pip backtracks for many minutes.
  "$dolma/bin/pip" install -q dolma==1.2.1 "boto3==1.26.161" "numpy<2"
fi
# The dolma driver runs dolma from the bench folder's own .venv-dolma.
[[ -e $shared/.venv-dolma ]] || ln -s "$dolma" "$shared/.venv-dolma"
if [[ -z $corpus ]]; then
  corpus=$here/data/c40m
  [[ -f $corpus/manifest.json ]] || "$venv/bin/python" "$shared/make_corpus.py" --name c40m --out "$corpus" --total-mb 40 --shards 4 --jobs 2
fi
bytes=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['totals']['jsonl_bytes'])" "$corpus/manifest.json")
(cd "$root" && swift build -c release --product contam >/dev/null)
contam=$root/.build/release/contam
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
shards=("$corpus"/shards/*.jsonl.gz)
contam_args=(scan --jobs "$workers" --fail-on never --id-field id --benchmark "bench=$corpus/bench.jsonl"
  --fields question=question,answer=answer --item-id-field id)

# Recall of a Contam certificate on the generator's labels: an injected item counts when its
# (item, document) pair is in the evidence (exact) or near-duplicate evidence.
contam_recall() { # certificate kind(ngram|minhash)
  python3 - "$1" "$corpus/labels.jsonl" "$2" <<'PY'
import json, sys
cert = json.load(open(sys.argv[1]))
labels = [json.loads(l) for l in open(sys.argv[2])]
key = "expect_ngram" if sys.argv[3] == "ngram" else "expect_minhash"
pairs = set()
for item in cert["items"]:
    for e in item.get("evidence", []) + (item.get("nearDuplicate") or {}).get("evidence", []):
        if item["verdict"] in ("contaminated", "partial") or e in (item.get("nearDuplicate") or {}).get("evidence", []):
            pairs.add((item["id"], e.get("documentID")))
expected = [l for l in labels if l[key]]
found = sum((l["item_id"], l["doc_id"]) in pairs for l in expected)
print(f"recall {found}/{len(expected)}")
PY
}

declare -A cmd=(
  [contam-exact]="$contam ${contam_args[*]} --no-near --out $work/exact.json ${shards[*]}"
  [contam-minhash]="$contam ${contam_args[*]} --no-exact --out $work/near.json ${shards[*]}"
  [contam-both]="$contam ${contam_args[*]} --out $work/both.json ${shards[*]}"
  [dolma]="$shared/peers/dolma_decont.sh $corpus gz $workers"
  [lm-eval-janitor]="$venv/bin/python $shared/peers/lmeval_janitor.py $corpus --codec gz --workers $workers"
  [datatrove]="$venv/bin/python $shared/peers/datatrove_decont.py $corpus --codec gz --workers $workers --out $work/datatrove"
  [datasketch]="$venv/bin/python $shared/peers/datasketch_minhash.py $corpus --codec gz --workers $workers"
  [rensa]="$venv/bin/python $shared/peers/rensa_minhash.py $corpus --codec gz --workers $workers"
)
printf '%-16s %10s %9s %10s  %s\n' tool "median s" "MB/s" "peak MiB" "recall on injected items"
for tool in $tools; do
  export PATH="$dolma/bin:$PATH"
  hyperfine --style none --runs "$runs" --export-json "$work/$tool.json" "${cmd[$tool]}" >/dev/null 2>&1 || {
    printf '%-16s failed to run\n' "$tool"; continue; }
  /usr/bin/time -v ${cmd[$tool]} >"$work/$tool.log" 2>&1 || true
  median=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['median'])" "$work/$tool.json")
  rss=$(grep -o 'Maximum resident set size (kbytes): [0-9]*' "$work/$tool.log" | grep -o '[0-9]*$')
  case $tool in
    contam-exact) recall=$(contam_recall "$work/exact.json" ngram) ;;
    contam-minhash) recall=$(contam_recall "$work/near.json" minhash) ;;
    contam-both) recall=$(contam_recall "$work/both.json" ngram) ;;
    *) recall=$(grep -o '"found": [0-9]*, "expected": [0-9]*' "$work/$tool.log" | sed 's/"found": \([0-9]*\), "expected": \([0-9]*\)/recall \1\/\2/') ;;
  esac
  printf '%-16s %10.2f %9.1f %10.0f  %s\n' "$tool" "$median" "$(echo "$bytes / $median / 1000000" | bc -l)" "$(echo "$rss / 1024" | bc -l)" "$recall"
done
