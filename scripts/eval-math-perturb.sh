#!/usr/bin/env bash
# Recall and false positives of near-duplicate search on MATH-Perturb (the real test of issue 4).
#   scripts/eval-math-perturb.sh [simple|hard] [extra contam scan options...]
# Corpus: every MATH problem, test and train (12,500 documents, text = problem + solution,
# id = unique_id), from ../shared/data/benchmarks/math. Benchmark: MATH-P-Simple (or -Hard).
# Truth: pairs_with_math_originals.jsonl links 276 perturbed problems to their originals.
# Prints recall (the original found as near-duplicate evidence), answer agreement on the found
# pairs, exact-scan recall, and the false-positive rate: MATH documents that are not the
# original of any perturbed problem but are reported as near-duplicate evidence. Then the same
# by verdict, as a user reading one word per item sees it: the original named in the exact or
# near evidence of an item flagged perturbed, contaminated or partial (a near finding too small
# to count toward the verdict leaves its item clean), and the documents so named that are no
# original.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
data=${CONTAM_SHARED_DATA:-$here/../shared/data}/benchmarks
variant=${1:-simple}
shift || true
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$here" && swift build -c release --product contam >/dev/null)
python3 - "$data" "$work/corpus.jsonl" <<'PY'
import gzip, json, sys
data, out = sys.argv[1:3]
with open(out, "w") as f:
    for split in ("test", "train"):
        for line in gzip.open(f"{data}/math/{split}.jsonl.gz", "rt"):
            r = json.loads(line)
            f.write(json.dumps({"id": r["unique_id"].replace(".json", "").replace(split + "/", split + "/", 1), "text": r["problem"] + "\n\n" + r["solution"]}) + "\n")
PY
"$here/.build/release/contam" scan --jobs 2 --fail-on never --id-field id --out "$work/result.json" "$@" \
  --benchmark "math-perturb=$data/math_perturb/math_perturb_$variant.jsonl" "$work/corpus.jsonl" >"$work/table.txt" 2>"$work/log.txt"
grep -E "indexed|scanned" "$work/log.txt"
python3 - "$work/result.json" "$data/math_perturb/pairs_with_math_originals.jsonl" "$variant" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
pairs = [json.loads(l) for l in open(sys.argv[2])]
variant = sys.argv[3]
truth = {str(p["problem_id"]): p["original_unique_id"].replace(".json", "") for p in pairs if p.get("matched")}
originals = set(truth.values())
found = agreement = 0
exact = 0
answers = {"same": 0, "different": 0, "none": 0}
reported_docs = set()
for item in result["items"]:
    near = item.get("nearDuplicate")
    docs = [e.get("documentID") for e in (near or {}).get("evidence", [])]
    reported_docs.update(d for d in docs if d)
    want = truth.get(item["id"])
    if want is None:
        continue
    if want in docs:
        found += 1
        e = next(e for e in near["evidence"] if e.get("documentID") == want)
        answers[e["answer"]["agreement"] if e.get("answer") else "none"] += 1
    if any(e.get("documentID") == want for e in item["evidence"]) and item["verdict"] in ("contaminated", "partial"):
        exact += 1
non_originals = 12500 - len(originals)
false_docs = reported_docs - originals
n = len(truth)
print(f"MATH-P-{variant.capitalize()}: near-duplicate recall {found}/{n} = {found / n:.1%}; "
      f"exact (partial or contaminated, original as evidence) {exact}/{n} = {exact / n:.1%}")
print(f"  answer agreement on found pairs: same {answers['same']}, different {answers['different']}, none {answers['none']}")
print(f"  false positives: {len(false_docs)} of {non_originals} non-original MATH documents reported = {len(false_docs) / non_originals:.2%}")
flagged = ("perturbed", "contaminated", "partial")
named = set()
by_verdict = 0
verdicts = {}
for item in result["items"]:
    docs = set()
    if item["verdict"] in flagged:
        docs = {e.get("documentID") for e in (item.get("nearDuplicate") or {}).get("evidence", [])}
        docs |= {e.get("documentID") for e in item["evidence"]}
    docs.discard(None)
    named |= docs
    want = truth.get(item["id"])
    if want is None:
        continue
    verdicts[item["verdict"]] = verdicts.get(item["verdict"], 0) + 1
    by_verdict += want in docs
false_named = named - originals
print(f"  by verdict: original named by a flagged item {by_verdict}/{n} = {by_verdict / n:.1%}; "
      f"non-original documents named {len(false_named)} = {len(false_named) / non_originals:.2%}; verdicts "
      + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))
PY
