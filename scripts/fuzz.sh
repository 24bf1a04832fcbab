#!/usr/bin/env bash
# Runs a libFuzzer target for a given time.
#   scripts/fuzz.sh FuzzJSON|FuzzTokenizer|FuzzReaders|FuzzCertificate|FuzzParquet|FuzzIndex SECONDS
# Targets live in Fuzz/ (a separate package), built with -sanitize=fuzzer,address. Inputs that
# crash are written to Fuzz/artifacts/<target>/; the corpus grows in Fuzz/corpus/<target>/ (both
# git-ignored). Keep crashers as regression inputs in Tests/ContamTests/Fuzz/ (see FuzzRegressionTests).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
target=${1:?usage: fuzz.sh TARGET SECONDS}
seconds=${2:-600}
cd "$here/Fuzz"
swift build -c debug --product "$target" --scratch-path .build-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >/dev/null
mkdir -p "corpus/$target" "artifacts/$target"
# Seed with real inputs from the regression set when present.
cp -n "$here/Tests/ContamTests/Fuzz/$target"/* "corpus/$target/" 2>/dev/null || true
".build-fuzz/debug/$target" "corpus/$target" -artifact_prefix="artifacts/$target/" \
  -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=4096 -print_final_stats=1
