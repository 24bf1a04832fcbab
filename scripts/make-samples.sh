#!/usr/bin/env bash
# Rebuilds corpora-samples/ from ../shared/data (small excerpts; sources in corpora-samples/SOURCES.md).
# Needs gzip, pigz, zstd and python3. Deterministic: the same inputs give the same files.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
data=${CONTAM_SHARED_DATA:-$here/../shared/data}
out=$here/corpora-samples
rm -rf "$out"
mkdir -p "$out/shards" "$out/benchmarks"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$data" "$out" "$tmp" <<'PY'
import gzip, json, random, sys
data, out, tmp = sys.argv[1:4]
rng = random.Random(20261130)

def paragraphs(path, limit):
    text = gzip.open(path, "rt", encoding="utf-8", errors="replace").read()
    paras = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n")]
    return [p for p in paras if len(p) > 200][:limit]

# Benchmarks: the first 40 GSM8K test items, 30 ARC-Challenge items, 20 MATH test problems.
gsm = [json.loads(l) for l in open(f"{data}/benchmarks/gsm8k/test.jsonl")][:40]
with open(f"{out}/benchmarks/gsm8k-sample.jsonl", "w") as f:
    for r in gsm: f.write(json.dumps(r, ensure_ascii=False) + "\n")
arc = [json.loads(l) for l in open(f"{data}/benchmarks/arc/ARC-Challenge-Test.jsonl")][:30]
with open(f"{out}/benchmarks/arc-challenge-sample.jsonl", "w") as f:
    for r in arc: f.write(json.dumps(r, ensure_ascii=False) + "\n")
math = [json.loads(l) for l in gzip.open(f"{data}/benchmarks/math/test.jsonl.gz", "rt")][:20]
with open(f"{out}/benchmarks/math-sample.jsonl", "w") as f:
    for r in math: f.write(json.dumps(r, ensure_ascii=False) + "\n")

# Web-like shard A: Gutenberg paragraphs, 3 GSM8K questions pasted verbatim inside documents,
# 1 rewritten with changed case/punctuation/line breaks, one ARC question with its answer.
novel = paragraphs(f"{data}/text/gutenberg/1342-0.txt.gz", 600)
docs = []
for i in range(0, 600, 3):
    docs.append(" ".join(novel[i:i + 3]))
planted = []
for k, item in enumerate(gsm[:3]):
    at = 10 + 40 * k
    docs[at] = docs[at][:300] + " " + item["question"] + " " + docs[at][300:]
    planted.append(("exact", item["question"][:60], at + 1))
q = gsm[5]["question"]
docs[150] = docs[150] + "\n" + q.upper().replace(",", "").replace(" ", "\n")
planted.append(("case/punct/linebreaks", q[:60], 151))
a = arc[2]
label = a["answerKey"]
answer = next(c["text"] for c in a["question"]["choices"] if c["label"] == label)
docs[180] = a["question"]["stem"] + " Answer: " + answer + ". " + docs[180]
planted.append(("arc question+answer", a["question"]["stem"][:60], 181))
with open(f"{tmp}/web.jsonl", "w") as f:
    for i, d in enumerate(docs):
        f.write(json.dumps({"id": f"web-{i + 1}", "text": d}, ensure_ascii=False) + "\n")

# Code-like shard B: Python stdlib files (real code and docstrings), clean.
with gzip.open(f"{data}/text/code/python3.11_stdlib.jsonl.gz", "rt") as f:
    recs = [json.loads(l) for _, l in zip(range(40), f)]
with open(f"{tmp}/code.jsonl", "w") as f:
    for r in recs:
        f.write(json.dumps({"id": r["path"], "text": r["text"][:20000]}, ensure_ascii=False) + "\n")

# Plain text: a reference excerpt (the Devil's Dictionary), read in pieces (--format text).
devil = gzip.open(f"{data}/text/reference/devil.txt.gz", "rt", errors="replace").read()[:150000]
open(f"{tmp}/devil.txt", "w").write(devil)

with open(f"{out}/PLANTED.md", "w") as f:
    f.write("# What was planted in the sample shards\n\n| how | item text starts | shard web.jsonl.gz, line |\n|---|---|---|\n")
    for how, start, line in planted:
        f.write(f"| {how} | {start.replace('|', '/')}… | {line} |\n")
PY

# web: two gzip members (as `cat a.gz b.gz` makes); code: zstd, two frames; devil: plain gzip.
head -n 100 "$tmp/web.jsonl" | gzip -9 -n -c > "$out/shards/web.jsonl.gz"
tail -n +101 "$tmp/web.jsonl" | pigz -9 -n -c >> "$out/shards/web.jsonl.gz"
head -n 20 "$tmp/code.jsonl" | zstd -q -19 -c > "$out/shards/code.jsonl.zst"
tail -n +21 "$tmp/code.jsonl" | zstd -q -19 -c >> "$out/shards/code.jsonl.zst"
gzip -9 -n -c "$tmp/devil.txt" > "$out/shards/devil.txt.gz"

cat > "$out/SOURCES.md" <<'MD'
# Sources of the sample files

Made by `scripts/make-samples.sh` from `../shared/data` (see its SOURCES.md for the originals and licenses).

| file | made from |
|---|---|
| benchmarks/gsm8k-sample.jsonl | first 40 items of GSM8K test (openai/grade-school-math, MIT) |
| benchmarks/arc-challenge-sample.jsonl | first 30 items of ARC-Challenge test (AI2, CC BY-SA 4.0) |
| benchmarks/math-sample.jsonl | first 20 problems of MATH test (hendrycks MATH, MIT) |
| shards/web.jsonl.gz | paragraphs of Pride and Prejudice (Project Gutenberg, public domain), 3 per document, with 5 benchmark items planted (PLANTED.md); two gzip members |
| shards/code.jsonl.zst | 40 Python 3.11 stdlib files (PSF-2.0), cut at 20,000 characters; two zstd frames |
| shards/devil.txt.gz | the first 150 kB of The Devil's Dictionary (public domain), plain text |
MD
du -sh "$out"
