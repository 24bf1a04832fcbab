#!/usr/bin/env bash
# Where raw memory may be touched in Sources/Contam. Exit 1 (naming the file) when a file
# outside Internal/ uses Unsafe*Pointer or allocates without being listed below with its reason.
# The list is a ratchet: it may shrink, and a new entry needs a reason a reviewer accepts.
set -euo pipefail
cd "$(dirname "$0")/../Sources/Contam"

# Files that own raw memory (allocate/deallocate), each in one owner type with a deinit.
owners=(
  Index/MinHasher.swift             # MinHasher's scratch for densification
  Shards/FileSource.swift           # FileSource's read buffer
  Shards/GzipDecompressor.swift     # the member loop's input buffer
  Shards/ShardReader.swift          # ShardReader's line buffer, unescape scratch and piece of plain text
  Shards/ZstdDecompressor.swift     # the zstd input buffer
  Shards/_IsalInflateEngine.swift   # ISA-L's inflate state (C needs a stable address)
  Shards/_ZlibInflateEngine.swift   # zlib's z_stream (C needs a stable address)
  Text/Normalizer.swift             # the fold tables
  Text/Tokenizer.swift              # the word buffer
)
# Files that read through pointers they are handed (views only; they own nothing).
readers=(
  "${owners[@]}"
  Certificate/_CertificateJSON.swift          # copies a string's UTF-8 bytes in runs
  CorpusIndex/Winnowing.swift CorpusIndex/_IndexWorker.swift
  Index/ItemIndex.swift Index/NearDuplicateIndex.swift
  Scan/_ScanWorker.swift Scan/_ScanWorker+Exact.swift Scan/_ScanWorker+Near.swift
  Index/RunTogetherIndex.swift                 # squeezes the text it is handed (views only)
  Scan/_ScanWorker+RunTogether.swift           # squeezes the document bytes around a long token
  Scan/_ScanWorker+CutWords.swift              # joins the bytes of a word cut by a line break on the stack
  Scan/_DocumentCarry.swift                    # tokenizes a document's tail, takes a buffer's last hashes
  Scan/_CarryTracker.swift                     # reads the texts of the batch it hands over
  Shards/ByteSource.swift Shards/Codec.swift Shards/Document.swift Shards/JSONFieldExtractor.swift
  Shards/JSONString.swift Shards/SHA256Stream.swift
  Shards/JSONArrayText.swift                   # reads the array bytes the extractor located
  Shards/JSONRecordFields.swift                # copies one record line for a message
  Shards/_TextProbe.swift                      # reads the first bytes of a stream
  Shards/_JSONArrayLines.swift                 # rewrites the bytes it reads in place
  Shards/Parquet/_ParquetColumnDecoder.swift   # hands page arrays to snappy, zlib and zstd
  Shards/Parquet/_ParquetDocuments.swift       # Document views into the decoded column arenas
  Shards/Arrow/_ArrowDocuments.swift           # Document views into a record batch's characters; hands buffers to zstd
  Shards/_WARCRecords.swift                    # Document views into the record buffer or a decoded body
  Shards/_HTTPPayload.swift                    # hands a body to zlib and zstd
  Shards/_PeekedSource.swift                   # copies the bytes it read ahead into the caller's buffer
  TestSets/Answers/AnswerExtractor.swift
  TestSets/Answers/AnswerExtractor+Layout.swift  # plain(_:) reads the document region it is handed
  Text/HTMLEntity.swift Text/LayoutMarkup.swift Text/NGramHasher.swift Text/XXH3.swift Text/_UTF8.swift
  Text/MathTokens.swift                        # reads the text it is handed for TeX math
  Text/MathSymbols.swift                       # rewrites the tokenizer's word buffer in place (rule 18)
  Text/Mojibake.swift                          # reads the characters after the one the tokenizer is at (rule 25)
)
status=0
listed() { local f=$1; shift; for x in "$@"; do [[ "$x" == "$f" ]] && return 0; done; return 1; }
while IFS= read -r f; do
  f=${f#./}
  [[ "$f" == Internal/* ]] && continue
  if grep -qE '\.allocate\(|deallocate\(\)' "$f" && ! listed "$f" "${owners[@]}"; then
    echo "check-unsafe: $f allocates raw memory; move the owner to Internal/ or list it with a reason" >&2
    status=1
  fi
  if grep -qE 'Unsafe(Mutable)?(Raw)?(Buffer)?Pointer' "$f" && ! listed "$f" "${readers[@]}"; then
    echo "check-unsafe: $f uses raw pointers; go through an Internal/ type or list it with a reason" >&2
    status=1
  fi
done < <(find . -name '*.swift' | sort)
if ((status == 0)); then
  echo "check-unsafe: raw memory owned in Internal/ and ${#owners[@]} listed owners; pointers read in ${#readers[@]} listed files"
fi
exit $status
