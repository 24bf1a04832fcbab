#!/usr/bin/env python3
"""Arrow IPC fixtures for the corpus reader's tests (Tests/Fixtures/arrow), made from the
committed real fixtures: paragraphs of Pride and Prejudice (Project Gutenberg, public domain)
with GSM8K test items (MIT) planted in known rows. Needs pyarrow (pip install pyarrow).

  scripts/make-arrow-fixtures.py

Each file holds the same 40 rows: `id` (row-00 ... row-39), `text` (a paragraph; rows 5, 17
and 33 a paragraph followed by GSM8K items 1, 2 and 3, question and answer), `n` (the row
number), `meta` ({"source": "gutenberg", "content": the same text}). Rows are written in
batches of 7, so batches end inside the planted items' neighbourhood.
  stream.arrow      the stream form, as Hugging Face `datasets` writes its cache (string columns)
  file-large.arrow  the file form (ARROW1), text and id as large_string; row 9's text null,
                    row 10's empty
  zstd.arrow        the stream form, buffers compressed with ZSTD
  lz4.arrow         the stream form, buffers compressed with LZ4 (refused by name)
  dictionary.arrow  the text column dictionary-encoded (refused by name)
  chat.arrow        chat records: `messages` a list of {role, content} (the user's turn the
                    paragraph's first half or an item's question, the assistant's the rest or
                    its answer), `texts` the same turns as a list of strings; row 12's messages
                    null, row 13's empty, row 14's turns a null and an empty content
  titled.arrow      `text` a title ("Part 1"), `content` the paragraph: the page is elsewhere
  chat-short-validity.arrow  chat.arrow's rows in one batch, its `messages` validity bitmap
                    declared 1 byte long for 40 rows (row 12's list is null, so the bitmap
                    is read): damaged
  twice.arrow       two columns named `text`: titles, then the rows of stream.arrow (refused:
                    reading the first, the planted items in the second would read clean)
"""
import gzip, json, os
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, "..")
out = os.path.join(root, "Tests", "Fixtures", "arrow")
with gzip.open(os.path.join(root, "Tests/Fixtures/data/text/gutenberg/1342-0.txt.gz"), "rt", encoding="utf-8") as f:
    book = f.read()
paragraphs = [" ".join(p.split()) for p in book.split("\n\n") if len(p.split()) >= 40][:40]
items = [json.loads(line) for line in open(os.path.join(root, "Tests/Fixtures/data/benchmarks/gsm8k/test.jsonl"))][:3]
texts = list(paragraphs)
for row, item in zip([5, 17, 33], items):
    texts[row] = texts[row] + "\n\n" + item["question"] + "\n" + item["answer"]
ids = [f"row-{r:02d}" for r in range(40)]


def table(text_type=pa.string(), id_type=pa.string(), holes=False):
    values = list(texts)
    if holes:
        values[9], values[10] = None, ""
    meta = pa.array([{"source": "gutenberg", "content": t} for t in values],
                    type=pa.struct([("source", pa.string()), ("content", pa.string())]))
    return pa.table({"id": pa.array(ids, type=id_type), "text": pa.array(values, type=text_type),
                     "n": pa.array(range(40), type=pa.int64()), "meta": meta})


def stream(name, t, **options):
    with pa.OSFile(os.path.join(out, name), "wb") as sink:
        with ipc.new_stream(sink, t.schema, options=ipc.IpcWriteOptions(**options)) as writer:
            for batch in t.to_batches(max_chunksize=7):
                writer.write_batch(batch)


stream("stream.arrow", table())
with pa.OSFile(os.path.join(out, "file-large.arrow"), "wb") as sink:
    t = table(pa.large_string(), pa.large_string(), holes=True)
    with ipc.new_file(sink, t.schema) as writer:
        for batch in t.to_batches(max_chunksize=7):
            writer.write_batch(batch)
stream("zstd.arrow", table(), compression="zstd")
stream("lz4.arrow", table(), compression="lz4")
t = table()
t = t.set_column(1, "text", pc.dictionary_encode(t.column("text")))
stream("dictionary.arrow", t)
def turns(row):
    if row in (5, 17, 33):
        item = items[[5, 17, 33].index(row)]
        return [paragraphs[row] + "\n\n" + item["question"], item["answer"]]
    words = paragraphs[row].split(" ")
    return [" ".join(words[:len(words) // 2]), " ".join(words[len(words) // 2:])]


messages = []
for row in range(40):
    if row == 12:
        messages.append(None)
    elif row == 13:
        messages.append([])
    elif row == 14:
        messages.append([{"role": "user", "content": None}, {"role": "assistant", "content": ""}])
    else:
        user, assistant = turns(row)
        messages.append([{"role": "user", "content": user}, {"role": "assistant", "content": assistant}])
chat = pa.table({
    "id": pa.array(ids),
    "messages": pa.array(messages, type=pa.list_(pa.struct([("role", pa.string()), ("content", pa.string())]))),
    "texts": pa.array([None if m is None else [t["content"] for t in m] for m in messages], type=pa.list_(pa.string())),
})
stream("chat.arrow", chat)
stream("titled.arrow", pa.table({"id": pa.array(ids), "text": pa.array([f"Part {r + 1}" for r in range(40)]),
                                 "content": pa.array(paragraphs)}))
def short_validity(source, target):
    """Rewrites the declared length of the first record batch's buffer 3 (`messages`' validity,
    after `id`'s three buffers) to 1 byte, by walking the batch's FlatBuffers metadata."""
    import struct
    data = bytearray(open(source, "rb").read())
    at = 0
    while True:
        assert struct.unpack_from("<i", data, at)[0] == -1
        length = struct.unpack_from("<i", data, at + 4)[0]
        meta = at + 8

        def table(pos):
            vtable = pos - struct.unpack_from("<i", data, pos)[0]
            return pos, vtable

        def field(tab, slot):
            pos, vtable = tab
            size = struct.unpack_from("<H", data, vtable)[0]
            if 4 + 2 * slot + 2 > size:
                return None
            off = struct.unpack_from("<H", data, vtable + 4 + 2 * slot)[0]
            return pos + off if off else None

        root = table(meta + struct.unpack_from("<I", data, meta)[0])
        kind = data[field(root, 1)]
        body = struct.unpack_from("<q", data, field(root, 3))[0] if field(root, 3) else 0
        if kind == 3:
            where = field(root, 2)
            batch = table(where + struct.unpack_from("<I", data, where)[0])
            where = field(batch, 2)
            buffers = where + struct.unpack_from("<I", data, where)[0] + 4
            struct.pack_into("<q", data, buffers + 16 * 3 + 8, 1)
            open(target, "wb").write(bytes(data))
            return
        at = meta + length + body


with pa.OSFile(os.path.join(out, "chat-one-batch.arrow"), "wb") as sink:
    with ipc.new_stream(sink, chat.schema) as writer:
        writer.write_table(chat)
short_validity(os.path.join(out, "chat-one-batch.arrow"), os.path.join(out, "chat-short-validity.arrow"))
os.remove(os.path.join(out, "chat-one-batch.arrow"))
titles = pa.array([f"Part {r + 1}" for r in range(40)])
stream("twice.arrow", pa.Table.from_arrays([pa.array(ids), titles, pa.array(texts)], names=["id", "text", "text"]))
for name in sorted(os.listdir(out)):
    print(name, os.path.getsize(os.path.join(out, name)))
