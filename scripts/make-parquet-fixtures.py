#!/usr/bin/env python3
"""Writes the Parquet test fixtures (Tests/Fixtures/parquet) with pyarrow, the writer most
corpora come from. Needed only to regenerate them: the tests read the committed files.

Content: 120 rows of real prose (paragraphs of Pride and Prejudice from Tests/Fixtures) with
the first three GSM8K test questions planted in rows 10, 55 and 100; an `id` column, a nested
`meta` struct (`meta.url`, `meta.content` = the same text), and every 7th row's text null (not the planted rows).
The same rows are written as JSONL (`same.jsonl.zst`, nulls left out) for equivalence tests.
`empty-text.parquet`: the first 20 paragraphs, with `text` an empty string in 16 rows and the
prose in `content` (the empty-text checks).

`chat-*.parquet` (written alone with `--chat`): 60 chat records, `messages` a list of
{role, content} structs (Parquet's three-level list: column `messages.list.element.content`),
turns of the same prose, the first three GSM8K test items as a user turn and an assistant turn in
rows 8, 30 and 52; row 13 has no turns, row 14 a null list, row 15 a turn whose content is null,
row 16 an empty content. The same records as JSONL in `chat.jsonl.zst`.

`gzipped-rows.parquet` (`--compressed`): see compressed().

`split-rows.parquet` (`--split-rows`): see split_rows().

    pip install pyarrow zstandard && python3 scripts/make-parquet-fixtures.py [--chat | --compressed]
"""
import sys
import csv
import gzip
import json
import os

import pyarrow as pa
import pyarrow.parquet as pq
import zstandard

here = os.path.dirname(os.path.abspath(__file__))
fixtures = os.path.join(here, "..", "Tests", "Fixtures")
out = os.path.join(fixtures, "parquet")
os.makedirs(out, exist_ok=True)

novel = gzip.open(os.path.join(fixtures, "data/text/gutenberg/1342-0.txt.gz"), "rt", encoding="utf-8").read()
novel = novel.replace("\r\n", "\n")
paragraphs = [p.replace("\n", " ").strip() for p in novel.split("\n\n") if len(p.strip()) > 200][:120]
questions = [json.loads(l)["question"] for l in open(os.path.join(fixtures, "data/benchmarks/gsm8k/test.jsonl"))][:3]
texts = []
for i, p in enumerate(paragraphs):
    if i in (10, 55, 100):
        p = p[:150] + " " + questions[(10, 55, 100).index(i)] + " " + p[150:]
    texts.append(None if i % 7 == 3 and i not in (10, 55, 100) else p)
ids = [f"row-{i + 1}" for i in range(len(texts))]
urls = [f"https://example.org/pride/{i + 1}" for i in range(len(texts))]


def table(text_type=pa.string()):
    return pa.table({
        "id": pa.array(ids, pa.string()),
        "text": pa.array([t.encode() if t is not None and text_type == pa.binary() else t for t in texts], text_type),
        "meta": pa.array([{"url": u, "content": t} for u, t in zip(urls, texts)],
                         pa.struct([("url", pa.string()), ("content", pa.string())])),
    })


variants = {
    "snappy-dictionary-v1": dict(compression="snappy", use_dictionary=True, data_page_version="1.0"),
    "snappy-plain-v2": dict(compression="snappy", use_dictionary=False, data_page_version="2.0"),
    "zstd-dictionary-v2": dict(compression="zstd", use_dictionary=True, data_page_version="2.0"),
    "gzip-plain-v1": dict(compression="gzip", use_dictionary=False, data_page_version="1.0"),
    "uncompressed-plain-v1": dict(compression="none", use_dictionary=False, data_page_version="1.0"),
    "delta-length-byte-array": dict(compression="snappy", use_dictionary=False,
                                    column_encoding={"text": "DELTA_LENGTH_BYTE_ARRAY", "id": "DELTA_LENGTH_BYTE_ARRAY",
                                                     "meta.url": "DELTA_BYTE_ARRAY", "meta.content": "DELTA_BYTE_ARRAY"}),
    "delta-byte-array": dict(compression="zstd", use_dictionary=False, data_page_version="2.0",
                             column_encoding={"text": "DELTA_BYTE_ARRAY", "id": "DELTA_BYTE_ARRAY",
                                              "meta.url": "DELTA_BYTE_ARRAY", "meta.content": "DELTA_BYTE_ARRAY"}),
}


def chat():
    items = [json.loads(l) for l in open(os.path.join(fixtures, "data/benchmarks/gsm8k/test.jsonl"))][:3]
    records = []
    for i in range(60):
        turns = [{"role": "user", "content": paragraphs[2 * i]}, {"role": "assistant", "content": paragraphs[2 * i + 1]}]
        if i in (7, 29, 51):
            item = items[(7, 29, 51).index(i)]
            turns = [{"role": "system", "content": "You are a helpful tutor."},
                     {"role": "user", "content": item["question"]}, {"role": "assistant", "content": item["answer"]}]
        if i == 12:
            turns = []
        if i == 13:
            turns = None
        if i == 14:
            turns = [{"role": "user", "content": None}, {"role": "assistant", "content": paragraphs[2 * i + 1]}]
        if i == 15:
            turns = [{"role": "user", "content": ""}]
        records.append({"id": f"chat-{i + 1}", "messages": turns})
    turn = pa.struct([("role", pa.string()), ("content", pa.string())])
    t = pa.table({"id": pa.array([r["id"] for r in records], pa.string()),
                  "messages": pa.array([r["messages"] for r in records], pa.list_(turn))})
    pq.write_table(t, os.path.join(out, "chat-snappy-dictionary-v1.parquet"), row_group_size=25, compression="snappy",
                   use_dictionary=True, data_page_version="1.0")
    pq.write_table(t, os.path.join(out, "chat-zstd-plain-v2.parquet"), row_group_size=25, compression="zstd",
                   use_dictionary=False, data_page_version="2.0", data_page_size=2048)
    lines = "".join(json.dumps(r) + "\n" for r in records)
    open(os.path.join(out, "chat.jsonl.zst"), "wb").write(zstandard.ZstdCompressor(level=3).compress(lines.encode()))


def compressed():
    """`gzipped-rows.parquet` (written alone with `--compressed`): a binary `text` column of 30
    rows of the same prose, rows 5, 15 and 25 the first three GSM8K questions gzip-compressed
    (a column of compressed text: bytes that are not text, which must not read clean)."""
    rows = []
    for i, p in enumerate(paragraphs[:30]):
        rows.append(gzip.compress(questions[(i - 5) // 10].encode(), mtime=0) if i in (4, 14, 24) else p.encode())
    t = pa.table({"text": pa.array(rows, type=pa.binary())})
    pq.write_table(t, os.path.join(out, "gzipped-rows.parquet"), compression="snappy")


def split_rows():
    """`split-rows.parquet` (written alone with `--split-rows`): 160 short rows in row groups of
    40, sentences of the same prose, with TruthfulQA items (question and best answer) written 4
    words a row: items 1-6 inside row groups, item 7 across the boundary of the first two groups
    (its question's first words end group 1). A scan reads rows together, across row groups."""
    rows_csv = list(csv.DictReader(open(os.path.join(fixtures, "data/benchmarks/truthfulqa/TruthfulQA.csv"), encoding="utf-8")))
    sentences = [s.strip() + "." for p in paragraphs for s in p.split(". ") if 40 < len(s) < 200]
    def pieces(k):
        words = (rows_csv[k]["Question"] + " " + rows_csv[k]["Best Answer"]).split()
        return [" ".join(words[i:i + 4]) for i in range(0, len(words), 4)]
    rows = []
    s = 0
    def filler(n):
        nonlocal s
        rows.extend(sentences[s:s + n])
        s += n
    plan = {5: 1, 20: 2, 50: 3, 65: 4, 90: 5, 130: 6}
    while len(rows) < 160:
        if len(rows) == 38:
            # Item 7 (CSV row 7) across the first boundary: two rows in group 1, the rest in group 2.
            rows.extend(pieces(7))
        elif len(rows) in plan:
            rows.extend(pieces(plan[len(rows)]))
        else:
            filler(1)
    t = pa.table({"id": pa.array([f"row-{i + 1}" for i in range(160)]), "text": pa.array(rows[:160])})
    pq.write_table(t, os.path.join(out, "split-rows.parquet"), row_group_size=40, compression="snappy")
    print("item 7 rows:", [i + 1 for i, r in enumerate(rows[:160]) if r in pieces(7)])


if "--split-rows" in sys.argv:
    split_rows()
    print("wrote split-rows.parquet")
    sys.exit(0)
if "--compressed" in sys.argv:
    compressed()
    print("wrote gzipped-rows.parquet")
    sys.exit(0)
def twice():
    # Two columns named `text` (pyarrow allows it): titles, then the rows; read as the first,
    # the second's text would read clean, so the file is refused.
    t = pa.Table.from_arrays([pa.array(ids, pa.string()), pa.array([f"Part {i + 1}" for i in range(len(texts))], pa.string()),
                              pa.array(texts, pa.string())], names=["id", "text", "text"])
    pq.write_table(t, os.path.join(out, "twice.parquet"), compression="snappy")


if "--twice" in sys.argv:
    twice()
    print("wrote twice.parquet")
    sys.exit(0)
if "--chat" in sys.argv:
    chat()
    print("wrote", sorted(f for f in os.listdir(out) if f.startswith("chat")))
    sys.exit(0)
for name, options in variants.items():
    pq.write_table(table(), os.path.join(out, f"{name}.parquet"), row_group_size=50, **options)
pq.write_table(table(pa.large_string()), os.path.join(out, "large-string.parquet"), row_group_size=50, compression="snappy")
pq.write_table(table(pa.binary()), os.path.join(out, "binary.parquet"), row_group_size=50, compression="snappy")
# Small pages: many data pages per column chunk.
pq.write_table(table(), os.path.join(out, "many-pages.parquet"), row_group_size=60, compression="snappy",
               data_page_size=2048, use_dictionary=False)

lines = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in zip(ids, texts) if t is not None)
open(os.path.join(out, "same.jsonl.zst"), "wb").write(zstandard.ZstdCompressor(level=3).compress(lines.encode()))
# A text column that is an empty string in 16 of 20 rows, the prose in `content`: read through
# `text`, the shard is mostly empty and refused.
empty = pa.table({"id": pa.array(ids[:20], pa.string()),
                  "text": pa.array([p if i % 5 == 0 else "" for i, p in enumerate(paragraphs[:20])], pa.string()),
                  "content": pa.array(paragraphs[:20], pa.string())})
pq.write_table(empty, os.path.join(out, "empty-text.parquet"), compression="snappy")
chat()
twice()
print("wrote", sorted(os.listdir(out)))
