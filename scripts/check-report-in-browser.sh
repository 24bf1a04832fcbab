#!/usr/bin/env bash
# Renders a real report in headless Chromium (Debian's `chromium`, installed if missing) and
# saves a screenshot, then checks what the browser rendered: the report's title, the SVG
# chart and the highlighted evidence must be in the DOM Chromium built.
#   scripts/check-report-in-browser.sh [OUT.png]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
png=${1:-$here/.build/report-screenshot.png}
command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$here" && swift build --product contam >/dev/null)
contam="$here/.build/debug/contam"
s="$here/corpora-samples"
"$contam" scan --fail-on never --id-field id --out "$work/cert.json" \
  --benchmark "gsm8k=$s/benchmarks/gsm8k-sample.jsonl" --benchmark "arc=$s/benchmarks/arc-challenge-sample.jsonl" \
  --benchmark "math=$s/benchmarks/math-sample.jsonl" "$s/shards" >/dev/null 2>&1
"$contam" report "$work/cert.json" --format html --out "$work/report.html"
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile")
chromium "${flags[@]}" --window-size=1200,1600 --screenshot="$png" "file://$work/report.html" >/dev/null 2>&1
chromium "${flags[@]}" --dump-dom "file://$work/report.html" 2>/dev/null > "$work/dom.html"
fail=0
for want in "<h1>Contam overlap report</h1>" "<svg" "<rect" "<mark>Janet</mark>" "Near duplicate"; do
  grep -qF "$want" "$work/dom.html" || { echo "rendered page lacks: $want" >&2; fail=1; }
done
[[ -s "$png" ]] || { echo "no screenshot" >&2; fail=1; }
[[ $fail == 0 ]] && echo "report rendered in $(chromium --version); screenshot: $png"
exit $fail
