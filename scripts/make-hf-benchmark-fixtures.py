#!/usr/bin/env python3
"""Writes Tests/Fixtures/benchmarks-hf: benchmark items of the committed fixtures
(Tests/Fixtures/data/benchmarks) laid out as the Hugging Face Hub serves them (Parquet written by
pyarrow, as the Hub's converter writes it, or `datasets`' JSONL export), so that the tests check a
preset reads its benchmark's release there as it reads the original. Needed only to regenerate
them: the tests read the committed files.

- mmlu/<subject>/test-00000-of-00001.parquet (cais/mmlu): question, subject, choices (a list of
  strings), answer (int64, the option's index from 0). Snappy, dictionary pages, data page v1.
- arc/test-00000-of-00001.parquet (allenai/ai2_arc): id, question (a string), choices (a struct of
  two lists, text and label), answerKey. Zstd, data page v2.
- truthfulqa/validation-00000-of-00001.parquet (truthful_qa, generation): type, category,
  question, best_answer, correct_answers and incorrect_answers (lists), source; and
  truthfulqa-mc/validation-00000-of-00001.parquet, the multiple_choice config: question,
  mc1_targets and mc2_targets (structs of a choices list and a labels list).
- gsm8k/test-00000-of-00001.parquet (openai/gsm8k): question, answer, as in the original.
- lambada/lambada_test.jsonl (EleutherAI/lambada_openai): {"text": ...} a line.
- sciq/test.jsonl (allenai/sciq's JSONL export): the original's fields, one object a line.
- types.parquet and types.jsonl: 40 rows of every value type a benchmark's fields may hold
  (int32, int64 plain, dictionary and delta-coded, float, double plain and byte-stream-split,
  booleans, nulls, a list of numbers, a struct), the same rows as JSONL (json.dumps), to check
  that a Parquet file's fields read as its JSONL export's do.
- huge-row-count.parquet: types.parquet with its row group's num_rows rewritten to 10^12 in the
  footer (a damaged footer): a reader must refuse it, not allocate a slot per claimed row.

    pip install pyarrow && python3 scripts/make-hf-benchmark-fixtures.py
"""
import csv
import gzip
import json
import os

import pyarrow as pa
import pyarrow.parquet as pq

here = os.path.dirname(os.path.abspath(__file__))
fixtures = os.path.join(here, "..", "Tests", "Fixtures")
source = os.path.join(fixtures, "data", "benchmarks")
out = os.path.join(fixtures, "benchmarks-hf")


def write(table, *path, **options):
    target = os.path.join(out, *path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    pq.write_table(table, target, **options)


def mmlu():
    for subject in ["abstract_algebra", "sociology"]:
        rows = list(csv.reader(open(os.path.join(source, "mmlu", "test", subject + "_test.csv"), encoding="utf-8")))
        table = pa.table({
            "question": [r[0] for r in rows],
            "subject": [subject] * len(rows),
            "choices": pa.array([r[1:5] for r in rows], type=pa.list_(pa.string())),
            "answer": pa.array(["ABCD".index(r[5]) for r in rows], type=pa.int64()),
        })
        write(table, "mmlu", subject, "test-00000-of-00001.parquet", compression="snappy", data_page_version="1.0")


def arc():
    records = [json.loads(line) for line in open(os.path.join(source, "arc", "ARC-Challenge-Test.jsonl"), encoding="utf-8")][:100]
    choice = pa.struct([("text", pa.list_(pa.string())), ("label", pa.list_(pa.string()))])
    table = pa.table({
        "id": [r["id"] for r in records],
        "question": [r["question"]["stem"] for r in records],
        "choices": pa.array([{"text": [c["text"] for c in r["question"]["choices"]],
                              "label": [c["label"] for c in r["question"]["choices"]]} for r in records], type=choice),
        "answerKey": [r["answerKey"] for r in records],
    })
    write(table, "arc", "test-00000-of-00001.parquet", compression="zstd", data_page_version="2.0")


def truthfulqa():
    rows = list(csv.DictReader(open(os.path.join(source, "truthfulqa", "TruthfulQA.csv"), encoding="utf-8")))[:60]
    split = lambda text: [part.strip() for part in text.split(";") if part.strip()]
    table = pa.table({
        "type": [r["Type"] for r in rows],
        "category": [r["Category"] for r in rows],
        "question": [r["Question"] for r in rows],
        "best_answer": [r["Best Answer"] for r in rows],
        "correct_answers": pa.array([split(r["Correct Answers"]) for r in rows], type=pa.list_(pa.string())),
        "incorrect_answers": pa.array([split(r["Incorrect Answers"]) for r in rows], type=pa.list_(pa.string())),
        "source": [r["Source"] for r in rows],
    })
    write(table, "truthfulqa", "validation-00000-of-00001.parquet", compression="snappy")
    # The multiple_choice config: the best answer first among the choices, labelled 1.
    targets = pa.struct([("choices", pa.list_(pa.string())), ("labels", pa.list_(pa.int32()))])
    mc = [{"choices": [r["Best Answer"]] + split(r["Incorrect Answers"]), "labels": [1] + [0] * len(split(r["Incorrect Answers"]))} for r in rows]
    table = pa.table({
        "question": [r["Question"] for r in rows],
        "mc1_targets": pa.array(mc, type=targets),
        "mc2_targets": pa.array(mc, type=targets),
    })
    write(table, "truthfulqa-mc", "validation-00000-of-00001.parquet", compression="snappy")


def gsm8k():
    records = [json.loads(line) for line in open(os.path.join(source, "gsm8k", "test.jsonl"), encoding="utf-8")][:200]
    table = pa.table({"question": [r["question"] for r in records], "answer": [r["answer"] for r in records]})
    write(table, "gsm8k", "test-00000-of-00001.parquet", compression="snappy")


def lambada():
    lines = [line.rstrip("\n") for line in open(os.path.join(source, "lambada", "lambada_test_plain_text.txt"), encoding="utf-8")][:100]
    os.makedirs(os.path.join(out, "lambada"), exist_ok=True)
    with open(os.path.join(out, "lambada", "lambada_test.jsonl"), "w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps({"text": line}) + "\n")


def sciq():
    records = json.load(open(os.path.join(source, "sciq", "test.json"), encoding="utf-8"))[:50]
    os.makedirs(os.path.join(out, "sciq"), exist_ok=True)
    with open(os.path.join(out, "sciq", "test.jsonl"), "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record) + "\n")


def types():
    n = 40
    rows = []
    for i in range(n):
        rows.append({
            "q": f"Question {i}: what is {i} times {i + 3}?",
            "i32": (i * 7919) % 1000 - 500,
            "i64": 10**12 + i * 977,
            "small": i % 4,
            "delta": 1000 + 3 * i,
            "f32": [0.5, 2.25, -1.0, 1024.0][i % 4],
            "f64": i / 8 - 2,
            "split": i * 0.125,
            "flag": i % 3 == 0,
            "maybe": None if i % 5 == 0 else f"note {i}",
            "counts": list(range(i % 4)),
            "meta": {"level": f"Level {i % 5 + 1}", "score": i * 3},
        })
    table = pa.table({
        "q": pa.array([r["q"] for r in rows], type=pa.string()),
        "i32": pa.array([r["i32"] for r in rows], type=pa.int32()),
        "i64": pa.array([r["i64"] for r in rows], type=pa.int64()),
        "small": pa.array([r["small"] for r in rows], type=pa.int64()),
        "delta": pa.array([r["delta"] for r in rows], type=pa.int64()),
        "f32": pa.array([r["f32"] for r in rows], type=pa.float32()),
        "f64": pa.array([r["f64"] for r in rows], type=pa.float64()),
        "split": pa.array([r["split"] for r in rows], type=pa.float64()),
        "flag": pa.array([r["flag"] for r in rows], type=pa.bool_()),
        "maybe": pa.array([r["maybe"] for r in rows], type=pa.string()),
        "counts": pa.array([r["counts"] for r in rows], type=pa.list_(pa.int32())),
        "meta": pa.array([r["meta"] for r in rows], type=pa.struct([("level", pa.string()), ("score", pa.int64())])),
    })
    write(table, "types.parquet", compression="zstd", data_page_version="2.0",
          use_dictionary=["q", "small", "i32", "maybe", "meta.level"],
          column_encoding={"delta": "DELTA_BINARY_PACKED", "split": "BYTE_STREAM_SPLIT", "flag": "RLE"})
    with open(os.path.join(out, "types.jsonl"), "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")


def varint(data, i):
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, i


def encode_varint(value):
    out = bytearray()
    while True:
        low = value & 0x7F
        value >>= 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def skip(data, i, kind):
    # Thrift compact protocol: the end of a value of `kind` that starts at i.
    if kind in (1, 2):
        return i
    if kind == 3:
        return i + 1
    if kind in (4, 5, 6):
        return varint(data, i)[1]
    if kind == 7:
        return i + 8
    if kind == 8:
        length, i = varint(data, i)
        return i + length
    if kind in (9, 10):
        header = data[i]
        i += 1
        count, element = header >> 4, header & 15
        if count == 15:
            count, i = varint(data, i)
        for _ in range(count):
            i = skip(data, i, element)
        return i
    if kind == 12:
        return fields(data, i)[1]
    raise ValueError(kind)


def fields(data, i):
    # A struct's fields: id -> [(start, end)] of their values, and the struct's end.
    field, found = 0, {}
    while True:
        header = data[i]
        i += 1
        if header == 0:
            return found, i
        delta, kind = header >> 4, header & 15
        if delta:
            field += delta
        else:
            raw, i = varint(data, i)
            field = (raw >> 1) ^ -(raw & 1)
        start = i
        i = skip(data, i, kind)
        found.setdefault(field, []).append((start, i))


def huge_row_count():
    data = open(os.path.join(out, "types.parquet"), "rb").read()
    length = int.from_bytes(data[-8:-4], "little")
    start = len(data) - 8 - length
    footer = data[start:-8]
    top, _ = fields(footer, 0)
    groups = top[4][0][0]  # FileMetaData.row_groups: a list
    header = footer[groups]
    first = groups + 1 if header >> 4 != 15 else varint(footer, groups + 1)[1]
    group, _ = fields(footer, first)
    rows_start, rows_end = group[3][0]  # RowGroup.num_rows
    patched = footer[:rows_start] + encode_varint(10**12 << 1) + footer[rows_end:]
    with open(os.path.join(out, "huge-row-count.parquet"), "wb") as f:
        f.write(data[:start] + patched + len(patched).to_bytes(4, "little") + b"PAR1")


mmlu()
arc()
truthfulqa()
gsm8k()
lambada()
sciq()
types()
huge_row_count()
