#!/usr/bin/env python3
"""Labelled evaluation of contam's verdicts (issue 10): real test items planted into real
background text by a seeded generator, in many layouts and disguises, plus hard negatives
and untouched items. Standard library only.

  eval-quality.py generate --data DIR --out DIR [--seed N] [--per-kind K] [--untouched U]
  eval-quality.py score --out DIR --certificate FILE [--markdown]

`generate` writes DIR/benchmarks/<preset>/... (a sample of each test set in its own native
format, so contam's presets read it), DIR/shards/planted.jsonl (background documents, some
carrying a planted copy) and DIR/labels.jsonl (for every sampled item: how it was planted and in which document
and which verdicts count as found). `score` reads a certificate of a scan of those shards
and prints recall per kind and benchmark, and false positives on untouched items and hard
negatives.

Every item is planted in one way only, so its verdict measures that way. The kinds and what
counts as found are written once, in KINDS below; nothing here knows contam's thresholds.
"""
import argparse, csv, gzip, html, io, json, os, quopri, random, re, sys, textwrap, unicodedata, urllib.parse
from collections import defaultdict

CONTAMINATED = {"contaminated"}
FLAGGED = {"contaminated", "partial", "perturbed"}
PERTURBED = {"perturbed"}
CLEAN = {"clean", "too_short"}
COPY = {"contaminated", "partial"}  # found, and its answer read as the item's

# kind -> (group, verdicts that count as found, applies to: "any" | "mc" | "numbers" | "solution" | "math")
KINDS = {
    # Verbatim, in a layout.
    "plain": ("verbatim", CONTAMINATED, "any"),
    "label-dot": ("verbatim", CONTAMINATED, "mc"),           # A. choice
    "label-paren": ("verbatim", CONTAMINATED, "mc"),         # (A) choice
    "label-rparen": ("verbatim", CONTAMINATED, "mc"),        # A) choice
    "label-lower": ("verbatim", CONTAMINATED, "mc"),         # a. choice
    "label-number": ("verbatim", CONTAMINATED, "mc"),        # 1. choice
    "label-roman": ("verbatim", CONTAMINATED, "mc"),         # (i) choice
    "label-dash": ("verbatim", CONTAMINATED, "mc"),          # - choice
    "label-star": ("verbatim", CONTAMINATED, "mc"),          # * choice
    "options-one-line": ("verbatim", CONTAMINATED, "mc"),    # (A) x (B) y on one line
    "qa-prompt": ("verbatim", CONTAMINATED, "any"),          # Question: ...\nAnswer: ...
    "instruction-prompt": ("verbatim", CONTAMINATED, "any"),  # an instruction line, the item, "The answer is (B)."
    "chat": ("verbatim", CONTAMINATED, "any"),               # User: / Assistant: turns
    "chat-json": ("verbatim", CONTAMINATED, "any"),          # a JSON-escaped messages record in the text
    "markdown-list": ("verbatim", CONTAMINATED, "any"),      # **Question** and a bulleted list
    "markdown-table": ("verbatim", CONTAMINATED, "mc"),      # | A | choice |
    "latex": ("verbatim", CONTAMINATED, "any"),              # \( \) delimiters, \textbf
    "code-comment": ("verbatim", CONTAMINATED, "any"),       # every line behind "# "
    # Reformatted.
    "upper-case": ("reformatted", CONTAMINATED, "any"),
    "whitespace": ("reformatted", CONTAMINATED, "any"),
    "unicode-quotes": ("reformatted", CONTAMINATED, "any"),
    "html-entities": ("reformatted", CONTAMINATED, "any"),
    "markdown-emphasis": ("reformatted", CONTAMINATED, "any"),
    "line-split": ("line-split", CONTAMINATED, "any"),
    "options-shuffled": ("reformatted", CONTAMINATED, "mc"),
    # Noisy copies: a few words misspelled, dropped or swapped with a neighbour (OCR, scraping,
    # a hand-typed copy). Found means flagged: the copy is near, not verbatim.
    "typos": ("noisy", FLAGGED, "any"),                      # one letter swapped in 10% of words
    "words-dropped": ("noisy", FLAGGED, "any"),              # 10% of words left out
    "words-swapped": ("noisy", FLAGGED, "any"),              # 10% of adjacent word pairs swapped
    # Another script: letters swapped for look-alikes of other scripts or drawn as symbols.
    "homoglyph-cyrillic": ("script", CONTAMINATED, "any"),   # а е о р с х у і ј ѕ һ ԁ ... for 70% of those letters
    "homoglyph-greek": ("script", CONTAMINATED, "any"),      # ο α ν ι ρ υ Α Β Ε Η Ι Κ Μ Ν ...
    "math-alphanumeric": ("script", CONTAMINATED, "any"),    # 𝐛𝐨𝐥𝐝 / 𝑖𝑡𝑎𝑙𝑖𝑐 / 𝚖𝚘𝚗𝚘 letters and digits
    "circled-letters": ("script", CONTAMINATED, "any"),      # ⓒⓘⓡⓒⓛⓔⓓ
    "full-width": ("script", CONTAMINATED, "any"),           # ＦＵＬＬ　ｗｉｄｔｈ
    # Parts and pieces.
    "question-only": ("question-only", FLAGGED, "any"),
    "solution-only": ("solution-only", FLAGGED, "solution"),
    "prefix-50": ("prefix-50", FLAGGED, "any"),
    "split-documents": ("split-documents", FLAGGED, "any"),
    # Perturbed: the item with its numbers changed and a different answer stated.
    "numbers-changed": ("perturbed", PERTURBED, "numbers"),
    # Hard negatives: a few short phrases of the item in other text; the item's layout and
    # template wording around other content.
    "shared-phrases": ("hard-negative", CLEAN, "any"),
    "template-only": ("hard-negative", CLEAN, "any"),
    # Reformatted as a web page shows it (last, so the kinds above keep their items).
    "latex-rendered": ("rendered", CONTAMINATED, "latex"),     # TeX rendered: 2/3, ≤, √2, sin, no $
    "markdown-links": ("reformatted", CONTAMINATED, "any"),    # every 4th word a [link](https://…)
    # Added in session 13 (LATE: items drawn from the other end, documents from an RNG of their
    # own, so every document above stays the same for a seed).
    "symbol-bullets": ("verbatim", CONTAMINATED, "mc"),          # · choice / → choice / ∙ choice
    "pdf-hyphenated": ("reformatted", CONTAMINATED, "any"),    # wrapped at 60 columns, long words cut "exam-\nple"
    "html-escaped": ("reformatted", CONTAMINATED, "any"),      # a page's HTML escaped into text: &lt;br /&gt;, &lt;li&gt;
    # Added in session 15 (LATE too): web text encoded once more, and "fancy text" letters.
    "escaped-twice": ("encoded", CONTAMINATED, "any"),       # a page's text escaped twice: &amp;nbsp; &amp;#x27; &amp;lt;br /&amp;gt;
    "inline-tags": ("encoded", CONTAMINATED, "any"),         # words cut by <span class="c3">…</span>, as a converted PDF has them
    "url-encoded": ("encoded", CONTAMINATED, "any"),         # in a share link's query string: ?text=What%20is%20...&via=
    "small-capitals": ("encoded", CONTAMINATED, "any"),      # ꜱᴍᴀʟʟ ᴄᴀᴘɪᴛᴀʟ letters
    "superscript-letters": ("encoded", CONTAMINATED, "any"), # ˢᵘᵖᵉʳˢᶜʳⁱᵖᵗ letters (q, which has none, stays q)
    # Added in session 17 (LATE too): the corpus itself in another layout.
    "wrapped-text-file": ("text-file", CONTAMINATED, "any"),  # a plain-text shard (a book, a mail) wrapped at 56-78 columns
    # Added in session 18 (LATE too): a JSONL shard of short records, a sentence (or a line) a
    # record, or the stream cut every 5 to 9 words, as sentence-split and chunked corpora are.
    "short-records": ("short-records", CONTAMINATED, "any"),
    # Added in session 19 (LATE too): the same shard layout, the item perturbed first: its numbers
    # changed and another answer stated (as `numbers-changed`) where it has them, else a letter
    # swapped in 10% of its words (as `typos`): found as a near copy, or by the n-grams left.
    "short-records-noisy": ("short-records-noisy", FLAGGED, "any"),
    # Added in session 20 (LATE too): how crawled and extracted text damages a copy's bytes.
    "mojibake": ("encoded", CONTAMINATED, "any"),            # UTF-8 read as Windows-1252 once: donâ€™t, â€œquotedâ€
    "invisible-characters": ("encoded", CONTAMINATED, "any"),  # zero-width spaces and joiners, soft hyphens, LRM inside words
    "ligatures-decomposed": ("encoded", CONTAMINATED, "any"),  # ﬁ ﬂ ﬀ ligatures of a PDF, accents as combining marks (NFD)
    "numbered-lines": ("verbatim", CONTAMINATED, "any"),     # every line behind its number, as a listing or a printed page shows it
    # Added in session 21 (LATE too): the item read out or posted line by line, each piece behind
    # its cue or time stamp (subtitle files, chat and meeting logs). Measured, not yet met: the
    # cue lines cut the copy into pieces shorter than an n-gram (docs/VERDICTS.md).
    "subtitles": ("transcribed", CONTAMINATED, "any"),       # SRT cues of 5-9 words: number, "00:01:02,000 --> 00:01:05,500", text
    "timestamped-lines": ("transcribed", CONTAMINATED, "any"),  # every line behind "[12:03:41] " or "12:03 <nick> "
    # Added in session 22 (LATE too): a near copy (one word of the question dropped, so neither
    # every n-gram nor every shingle is there and the verbatim check is off) that states the
    # item's own answer as pages write it: a letter with marks ([B], Option B, B ✓), options
    # numbered and a number stated (3, (iii)), the option's text, a value in \(…\) or $$…$$,
    # math rendered (1/4, 2√5), thousands set apart ($1,800.00, 1 800, 1.800). It must not
    # read `perturbed` (another answer), which the default --fail-on passes.
    "answer-forms": ("answers", COPY, "answer"),
    # Added in session 23 (LATE too): the item copied from an encyclopedia's page with its
    # citation marks kept, a mark after some sentences, clauses or words ([1], [12], [3][4]).
    "citation-marks": ("reformatted", CONTAMINATED, "any"),
    # And as a mail archive keeps a message: quoted-printable (lines of at most 76 bytes with a
    # soft break `=` at the end, `=3D` for `=`, `=E2=80=99` for each byte of a non-ASCII character).
    "quoted-printable": ("encoded", CONTAMINATED, "any"),
    # Added in session 25 (LATE too): a multiple-choice question with its correct option's text
    # and none of the others, as lm-eval-harness prompts ARC, SciQ and PIQA (`Question: q`,
    # `Answer: text`) and instruction and chat data hold it (`Q:`/`A:`, `User:`/`Assistant:`,
    # a JSON messages record). A short question with a short answer is too short to decide on.
    "answer-text": ("verbatim", CONTAMINATED, "mc-answer"),
    # And a question with a blank (Winogrande's `_`, ARC's and SciQ's `___`) copied with the
    # blank filled by its correct option, as lm-eval-harness gives Winogrande and as such
    # sentences are quoted.
    "blank-filled": ("verbatim", CONTAMINATED, "blank"),
    # Added in session 27: letter-spaced text, as a generator spaces every character out
    # (`W h e r e   d o`) or a PDF keeps a heading set with wide tracking (words two apart).
    "letter-spaced": ("encoded", CONTAMINATED, "any"),
    # Added in session 28: the spaces lost, as text drawn from a PDF or an OCR without them
    # keeps it (`Wheredoplantstakeinair?`): every space and tab of the copy left out, its line
    # breaks kept.
    "spaces-removed": ("encoded", CONTAMINATED, "any"),
    # Added in session 29: some of the spaces lost (a PDF's text extraction drops a space where
    # two glyph runs touch): one space in five between two words left out, and each mark inside
    # a word between letters (`don't`, `well-known`) left out half the time.
    "spaces-dropped": ("encoded", CONTAMINATED, "any"),
    # Added in session 30: wrapped at a fixed width with no regard for words, as `fold -w`, a
    # terminal's capture or an OCR's lines cut them (`experi` / `mental`): a line break every
    # 38-72 characters, inside a word or not, `\r\n` one time in four.
    "words-cut": ("reformatted", CONTAMINATED, "any"),
}
LATE = {"symbol-bullets", "pdf-hyphenated", "html-escaped", "escaped-twice", "inline-tags", "url-encoded", "small-capitals",
        "superscript-letters", "wrapped-text-file", "short-records", "short-records-noisy",
        "mojibake", "invisible-characters", "ligatures-decomposed", "numbered-lines", "subtitles", "timestamped-lines",
        "answer-forms", "citation-marks", "quoted-printable", "answer-text", "blank-filled", "letter-spaced",
        "spaces-removed", "spaces-dropped", "words-cut"}
UNTOUCHED = ("untouched", CLEAN)
MATH_PERTURB_PAIR = ("math-perturb-pair", PERTURBED)

LETTERS = "ABCDEFGHIJ"
CYRILLIC = dict(zip("aeopcxyijshdqwABEKMHOPCTX", "аеорсхуіјѕһԁԛԝАВЕКМНОРСТХ"))
GREEK = dict(zip("oavipuyABEZHIKMNOPTYX", "οανιρυγΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"))


def shifted(text, upper, lower, digit):
    """Each ASCII letter or digit moved into a run of look-alike code points."""
    def one(c):
        if "A" <= c <= "Z" and upper:
            return chr(upper + ord(c) - 65)
        if "a" <= c <= "z" and lower:
            return chr(lower + ord(c) - 97)
        if "0" <= c <= "9" and digit:
            return chr(digit + ord(c) - 48)
        return c
    return "".join(one(c) for c in text)
SMALL_CAPITALS = dict(zip("abcdefghijklmnopqrstuvwyz", "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘꞯʀꜱᴛᴜᴠᴡʏᴢ"))
SUPERSCRIPTS = dict(zip("abcdefghijklmnoprstuvwxyz", "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ"))
ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii"]


# ---------------------------------------------------------------------------------------
# Test sets: read natively, written back natively (a sample), seen here as dicts.

def read_jsonl(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def load_benchmarks(data):
    """preset -> list of (native record, item view, writer). The view has q, choices, answer
    (index or None), solution (text or None)."""
    b = os.path.join(data, "benchmarks")
    out = {}

    def jsonl(preset, rel, view):
        path = os.path.join(b, rel)
        if os.path.exists(path):
            lines = read_jsonl(path)
            out[preset] = ("jsonl", os.path.basename(rel).replace(".gz", ""), [(l, view(json.loads(l))) for l in lines])

    jsonl("gsm8k", "gsm8k/test.jsonl", lambda r: dict(q=r["question"], choices=None, answer=None, solution=r["answer"],
                                                       final=r["answer"].split("####")[-1].strip()))
    jsonl("math", "math/test.jsonl.gz", lambda r: dict(q=r["problem"], choices=None, answer=None, solution=r["solution"], final=None))
    jsonl("humaneval", "humaneval/HumanEval.jsonl.gz",
          lambda r: dict(q=r["prompt"], choices=None, answer=None, solution=r["canonical_solution"], final=None, code=True))
    jsonl("arc", "arc/ARC-Challenge-Test.jsonl", lambda r: dict(
        q=r["question"]["stem"], choices=[c["text"] for c in r["question"]["choices"]],
        answer=next((i for i, c in enumerate(r["question"]["choices"]) if c["label"] == r["answerKey"]), None), solution=None, final=None))
    jsonl("winogrande", "winogrande/dev.jsonl", lambda r: dict(
        q=r["sentence"], choices=[r["option1"], r["option2"]], answer=int(r["answer"]) - 1 if r.get("answer") else None, solution=None, final=None))
    jsonl("piqa", "piqa/dev.jsonl", lambda r: dict(q=r["goal"], choices=[r["sol1"], r["sol2"]], answer=None, solution=None, final=None))

    mmlu = os.path.join(b, "mmlu/test")
    if os.path.isdir(mmlu):
        rows = []
        for name in sorted(os.listdir(mmlu)):
            with open(os.path.join(mmlu, name), encoding="utf-8", newline="") as f:
                for row in csv.reader(f):
                    if len(row) == 6:
                        rows.append((row, dict(q=row[0], choices=row[1:5], answer="ABCD".find(row[5].strip()), solution=None, final=None)))
        out["mmlu"] = ("csv-no-header", "test.csv", rows)

    tqa = os.path.join(b, "truthfulqa/TruthfulQA.csv")
    if os.path.exists(tqa):
        with open(tqa, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            rows = [(r, dict(q=r["Question"], choices=None, answer=None, solution=r["Best Answer"], final=None)) for r in reader]
        out["truthfulqa"] = ("csv", "TruthfulQA.csv", rows, reader.fieldnames)

    sciq = os.path.join(b, "sciq/test.json")
    if os.path.exists(sciq):
        with open(sciq, encoding="utf-8") as f:
            records = json.load(f)
        out["sciq"] = ("json", "test.json", [(r, dict(
            q=r["question"], choices=[r["distractor1"], r["distractor2"], r["distractor3"], r["correct_answer"]], answer=3,
            solution=r["support"] or None, final=None)) for r in records])

    lam = os.path.join(b, "lambada/lambada_test_plain_text.txt")
    if os.path.exists(lam):
        with open(lam, encoding="utf-8") as f:
            out["lambada"] = ("lines", "lambada.txt", [(l.rstrip("\n"), dict(q=l.rstrip("\n"), choices=None, answer=None, solution=None, final=None))
                                                      for l in f if l.strip()])
    return out


def write_sample(directory, spec, records):
    os.makedirs(directory, exist_ok=True)
    kind, name = spec[0], spec[1]
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8", newline="") as f:
        if kind == "jsonl":
            f.writelines(r + "\n" for r in records)
        elif kind == "csv-no-header":
            csv.writer(f, lineterminator="\n").writerows(records)
        elif kind == "csv":
            w = csv.DictWriter(f, fieldnames=spec[3], lineterminator="\n")
            w.writeheader()
            w.writerows(records)
        elif kind == "json":
            json.dump(records, f, ensure_ascii=False, indent=1)
        elif kind == "lines":
            f.writelines(r + "\n" for r in records)
    return directory


# ---------------------------------------------------------------------------------------
# Layouts and disguises.

def answer_letter(item):
    return LETTERS[item["answer"]] if item.get("answer") is not None and item["answer"] >= 0 else None


def body(item, label=None, one_line=False, order=None):
    """The question with its options (in `order`), labelled by `label(i)`."""
    q = item["q"]
    if not item["choices"]:
        return q
    order = order or list(range(len(item["choices"])))
    opts = []
    for pos, i in enumerate(order):
        text = item["choices"][i]
        opts.append(f"{label(pos)} {text}" if label else text)
    return q + (" " + " ".join(opts) if one_line else "\n" + "\n".join(opts))


def tail(item, style="Answer: {}", order=None):
    """The answer line: the letter of the right option, or the solution."""
    if item["choices"]:
        if item.get("answer") is None or item["answer"] < 0:
            return ""
        pos = (order or list(range(len(item["choices"])))).index(item["answer"])
        return style.format(LETTERS[pos])
    return item["solution"] or ""


def render(kind, item, rng):
    letters = lambda i: f"{LETTERS[i]}."
    if kind == "plain":
        return body(item) + "\n" + (item["choices"][item["answer"]] if item["choices"] and item.get("answer") is not None and item["answer"] >= 0 else tail(item))
    if kind.startswith("label-") or kind == "options-one-line":
        label = {
            "label-dot": letters, "label-paren": lambda i: f"({LETTERS[i]})", "label-rparen": lambda i: f"{LETTERS[i]})",
            "label-lower": lambda i: f"{LETTERS[i].lower()}.", "label-number": lambda i: f"{i + 1}.",
            "label-roman": lambda i: f"({ROMAN[i]})", "label-dash": lambda i: "-", "label-star": lambda i: "*",
            "options-one-line": lambda i: f"({LETTERS[i]})",
        }[kind]
        style = rng.choice(["Answer: {}", "Answer: ({})", "The answer is {}.", "Correct answer: {}"])
        return body(item, label, one_line=kind == "options-one-line") + "\n" + tail(item, style)
    if kind == "symbol-bullets":
        bullet = rng.choice(["·", "→", "∙", "•"])
        return body(item, lambda i: bullet) + "\n" + tail(item, rng.choice(["Answer: {}", "The answer is {}."]))
    if kind == "pdf-hyphenated":
        return hyphenated(body(item, letters) + "\n" + tail(item), rng)
    if kind == "html-escaped":
        if item["choices"]:
            opts = "".join(f"&lt;li&gt;{c}&lt;/li&gt;" for c in item["choices"])
            text = f"&lt;p&gt;{item['q']}&lt;/p&gt;&lt;ol type=&quot;A&quot;&gt;{opts}&lt;/ol&gt;&lt;p&gt;{tail(item)}&lt;/p&gt;"
        else:
            text = "&lt;p&gt;" + (body(item) + "\n" + tail(item)).replace("\n", "&lt;br /&gt;") + "&lt;/p&gt;"
        return text
    if kind == "escaped-twice":
        page = "<p>" + html.escape(body(item, letters) + "\n" + tail(item), quote=True).replace("\n", "<br />\n").replace(" ", "&nbsp;", 4) + "</p>"
        return html.escape(page, quote=False)
    if kind == "inline-tags":
        def cut(word):
            if len(word) < 5 or not word.isalpha() or rng.random() < 0.6:
                return word
            k = rng.randrange(1, len(word) - 1)
            return f'{word[:k]}<span class="c{rng.randrange(1, 9)}">{word[k:]}</span>'
        return "<p>" + " ".join(cut(w) for w in (body(item, letters) + "\n" + tail(item)).split(" ")) + "</p>"
    if kind == "url-encoded":
        quote = rng.choice([urllib.parse.quote, urllib.parse.quote_plus])
        # A link kept as text (a page's text extracted with its URLs, a log), not inside a tag:
        # attributes of a tag are layout (rule 9).
        return f'Share: https://twitter.com/intent/tweet?text={quote(body(item, letters) + chr(10) + tail(item), safe="")}&via=quizbot'
    if kind == "small-capitals":
        return "".join(SMALL_CAPITALS.get(c.lower(), c) if c.isascii() else c for c in body(item, letters) + "\n" + tail(item))
    if kind == "mojibake":
        # As web text has it first (curly quotes, dashes), then its bytes read as Windows-1252;
        # the five bytes that code has no character for read as the C1 controls Latin-1 gives them.
        text = (body(item, letters) + "\n" + tail(item)).replace("'", "\u2019").replace('"', "\u201c").replace(" - ", " \u2014 ")
        return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8"))
    if kind == "invisible-characters":
        marks = ["\u200b", "\u200c", "\u200d", "\u00ad", "\u2060", "\u200e", "\ufeff"]
        def hide(word):
            if len(word) < 4 or rng.random() < 0.5:
                return word
            k = rng.randrange(1, len(word))
            return word[:k] + rng.choice(marks) + word[k:]
        return "\n".join(" ".join(hide(w) for w in line.split(" ")) for line in (body(item, letters) + "\n" + tail(item)).split("\n"))
    if kind == "ligatures-decomposed":
        text = body(item, letters) + "\n" + tail(item)
        for pair, ligature in (("ffi", "\ufb03"), ("ffl", "\ufb04"), ("ff", "\ufb00"), ("fi", "\ufb01"), ("fl", "\ufb02")):
            text = text.replace(pair, ligature)
        return unicodedata.normalize("NFD", text)
    if kind == "numbered-lines":
        first = rng.choice([1, 1, 12, 240])
        style = rng.choice(["{:>3}  {}", "{:>4} {}", "{}: {}", "{:>3} | {}", "{}\t{}"])
        return "\n".join(style.format(first + n, line) for n, line in enumerate((body(item, letters) + "\n" + tail(item)).split("\n")))
    if kind == "subtitles":
        words, cues, at, clock = (body(item, letters) + "\n" + tail(item)).split(), [], 0, rng.randint(0, 3000) * 1000
        while at < len(words):
            step, span = rng.randint(5, 9), rng.randint(1500, 4000)
            stamp = lambda ms: f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"
            cues.append(f"{len(cues) + 1}\n{stamp(clock)} --> {stamp(clock + span)}\n" + " ".join(words[at:at + step]))
            at, clock = at + step, clock + span + rng.randint(0, 800)
        return "\n\n".join(cues)
    if kind == "timestamped-lines":
        clock = rng.randint(0, 86000)
        style = rng.choice(["[{}] {}", "{} <reader> {}"])
        lines = []
        for line in (body(item, letters) + "\n" + tail(item)).split("\n"):
            clock += rng.randint(2, 40)
            lines.append(style.format(f"{clock // 3600 % 24:02d}:{clock // 60 % 60:02d}:{clock % 60:02d}", line))
        return "\n".join(lines)
    if kind == "quoted-printable":
        return quopri.encodestring((body(item, letters) + "\n" + tail(item)).encode("utf-8")).decode("ascii")
    if kind == "citation-marks":
        number = rng.randint(1, 60)
        def mark(m):
            nonlocal number
            if rng.random() < (0.5 if m.group(1) in ".,;?!)" else 0.92):
                return m.group(0)
            number += 1
            return m.group(1) + (f"[{number}]" if rng.random() < 0.8 else f"[{number}][{number + 1}]") + m.group(2)
        text = body(item, letters) + "\n" + tail(item)
        return re.sub(r"([.,;?!)]|\w)(\s)", mark, text) + f"[{number + 2}]"
    if kind == "answer-forms":
        words = item["q"].split(" ")
        question = " ".join(words[: len(words) // 2] + words[len(words) // 2 + 1:])
        copy = dict(item, q=question)
        answer = stated_answer(item)
        if item["choices"]:
            style = rng.choice(["letter", "number", "roman"])
            label = {"letter": lambda i: f"{LETTERS[i]}.", "number": lambda i: f"{i + 1}.", "roman": lambda i: f"({ROMAN[i]})"}[style]
            mark = {"letter": LETTERS[answer], "number": str(answer + 1), "roman": ROMAN[answer]}[style]
            text = item["choices"][answer]
            forms = {"letter": ["Answer: [{m}]", "Answer: Option {m}", "Answer: {m} \u2713", "Answer: **{m}**", "Answer: {m}. {t}", "Answer: {t}"],
                     "number": ["Answer: {m}", "Answer: ({m})", "Answer: {m}. {t}", "The answer is Option {m}"],
                     "roman": ["Answer: ({m})", "Answer: {t}"]}[style]
            return body(copy, label) + "\n" + rng.choice(forms).format(m=mark, t=text)
        solution = re.sub(r"<<[^>]*>>", "", item["solution"] or "")
        solution = re.sub(r"\n?####.*$", "", solution).replace("\\boxed{" + answer + "}", answer)
        forms = ["Answer: \\({a}\\)", "The answer is $${a}$$.", "Final Answer: The final answer is ${a}$. I hope it is correct.",
                 "Answer: \\[{a}\\]", "Answer: " + rendered(answer).strip()]
        if answer.replace(",", "").isdigit() and int(answer.replace(",", "")) >= 1000:
            # Thousands set apart, as money is written: $1,800.00, 1 800, 1.800.
            grouped = f"{int(answer.replace(',', '')):,}"
            forms += ["Answer: $" + grouped + ".00", "**Answer:** $" + grouped, "Answer: " + grouped.replace(",", " "),
                      "Answer: " + grouped.replace(",", ".")]
        return copy["q"] + "\n" + solution.strip() + "\n" + rng.choice(forms).format(a=answer)
    if kind == "letter-spaced":
        gap = rng.choice(["every", "two"])
        def spaced(line):
            if gap == "every":
                return " ".join(line)
            return "  ".join(" ".join(word) for word in line.split(" "))
        return "\n".join(spaced(line) for line in (body(item, letters) + "\n" + tail(item)).split("\n"))
    if kind == "spaces-dropped":
        text = body(item, letters) + "\n" + tail(item)
        text = re.sub(r"(?<=\w) (?=\w)", lambda m: "" if rng.random() < 0.2 else " ", text)
        return re.sub(r"(?<=[A-Za-z])['\-](?=[A-Za-z])", lambda m: "" if rng.random() < 0.5 else m.group(0), text)
    if kind == "words-cut":
        width, ending = rng.randint(38, 72), "\r\n" if rng.random() < 0.25 else "\n"
        lines = []
        for line in (body(item, letters) + "\n" + tail(item)).split("\n"):
            lines += [line[k:k + width] for k in range(0, max(1, len(line)), width)]
        return ending.join(lines)
    if kind == "spaces-removed":
        return re.sub(r"[ \t]+", "", body(item, letters) + "\n" + tail(item))
    if kind == "superscript-letters":
        return "".join(SUPERSCRIPTS.get(c.lower(), c) if c.isascii() else c for c in body(item, letters) + "\n" + tail(item))
    if kind == "blank-filled":
        return re.sub(r"(?<!\w)_+(?!\w)", lambda m: item["choices"][stated_answer(item)], item["q"])
    if kind == "answer-text":
        question, text = item["q"], item["choices"][stated_answer(item)]
        style = rng.choice(["lm-eval", "q-a", "chat", "chat-json"])
        if style == "chat-json":
            return json.dumps({"messages": [{"role": "user", "content": question}, {"role": "assistant", "content": text}]})
        return {"lm-eval": "Question: {}\nAnswer: {}", "q-a": "Q: {} A: {}", "chat": "User: {}\nAssistant: {}"}[style].format(question, text)
    if kind == "qa-prompt":
        return "Question: " + body(item, letters) + "\nAnswer: " + tail(item, "{}")
    if kind == "instruction-prompt":
        intro = rng.choice(["Answer the following question. Think step by step and give the final answer at the end.",
                            "Choose the single best option and reply with its letter.",
                            "Read the problem below and solve it."])
        return intro + "\n\n" + body(item, lambda i: f"{LETTERS[i]})") + "\n\n" + tail(item, "The answer is ({}).")
    if kind == "chat":
        return "User: " + body(item, letters) + "\nAssistant: " + tail(item, "The correct answer is {}.")
    if kind == "chat-json":
        record = {"messages": [{"role": "user", "content": body(item, letters)},
                               {"role": "assistant", "content": tail(item, "The answer is {}.")}]}
        return json.dumps(record)
    if kind == "markdown-list":
        opts = ""
        if item["choices"]:
            opts = "\n\n" + "\n".join(f"- **{LETTERS[i]}**: {c}" for i, c in enumerate(item["choices"]))
        return f"**Question:** {item['q']}{opts}\n\n**Answer:** {tail(item, '{}')}"
    if kind == "markdown-table":
        rows = "\n".join(f"| {LETTERS[i]} | {c} |" for i, c in enumerate(item["choices"]))
        return f"{item['q']}\n\n| Option | Text |\n|---|---|\n{rows}\n\n{tail(item)}"
    if kind == "latex":
        q = re.sub(r"\$([^$]+)\$", r"\\(\1\\)", body(item, lambda i: f"({LETTERS[i]})"))
        return "\\textbf{Problem.} " + q + "\n\n\\textbf{Solution.} " + re.sub(r"\$([^$]+)\$", r"\\(\1\\)", tail(item))
    if kind == "code-comment":
        marker = "# " if not item.get("code") else "// "
        return "\n".join(marker + line for line in (body(item, letters) + "\n" + tail(item)).split("\n"))
    base = body(item, letters) + "\n" + tail(item)
    if kind == "upper-case":
        return base.upper()
    if kind == "whitespace":
        return re.sub(r" ", lambda m: rng.choice(["  ", "\t", " \n ", "   "]), base)
    if kind == "unicode-quotes":
        return base.replace("'", "\u2019").replace('"', "\u201c").replace(" - ", " \u2013 ").replace("...", "\u2026")
    if kind == "html-entities":
        return "<p>" + html.escape(base, quote=True).replace("\n", "<br>\n").replace(" ", "&nbsp;", 3) + "</p>"
    if kind == "markdown-emphasis":
        words = base.split(" ")
        for i in rng.sample(range(len(words)), min(3, len(words))):
            if words[i].strip():
                words[i] = f"**{words[i]}**"
        return " ".join(words)
    if kind in ("typos", "words-dropped", "words-swapped"):
        words = base.split(" ")
        out = []
        i = 0
        while i < len(words):
            w = words[i]
            if rng.random() < 0.1:
                if kind == "typos" and len(w) > 3:
                    k = rng.randrange(1, len(w) - 2)
                    w = w[:k] + w[k + 1] + w[k] + w[k + 2:]
                elif kind == "words-dropped":
                    i += 1
                    continue
                elif kind == "words-swapped" and i + 1 < len(words):
                    out += [words[i + 1], w]
                    i += 2
                    continue
            out.append(w)
            i += 1
        return " ".join(out)
    if kind == "homoglyph-cyrillic":
        return "".join(CYRILLIC[c] if c in CYRILLIC and rng.random() < 0.7 else c for c in base)
    if kind == "homoglyph-greek":
        return "".join(GREEK[c] if c in GREEK and rng.random() < 0.7 else c for c in base)
    if kind == "math-alphanumeric":
        upper, lower, digit = rng.choice([(0x1D400, 0x1D41A, 0x1D7CE), (0x1D608, 0x1D622, 0x1D7E2), (0x1D670, 0x1D68A, 0x1D7F6)])
        return shifted(base, upper, lower, digit)
    if kind == "circled-letters":
        return shifted(base, 0x24B6, 0x24D0, None)
    if kind == "full-width":
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in base)
    if kind == "line-split":
        out, line = [], ""
        for word in base.split(" "):
            if len(line) + len(word) > 38:
                out.append(line)
                line = ""
            line = (line + " " + word).strip()
        return "\n".join(out + [line])
    if kind == "latex-rendered":
        return rendered(base)
    if kind == "markdown-links":
        words = base.split(" ")
        return " ".join(f"[{w}](https://example.org/wiki/{re.sub(r'[^A-Za-z0-9]', '_', w)})" if i % 4 == 3 and w.strip() else w
                        for i, w in enumerate(words))
    if kind == "options-shuffled":
        order = list(range(len(item["choices"])))
        while order == sorted(order):
            rng.shuffle(order)
        return body(item, letters, order=order) + "\n" + tail(item, "Answer: {}", order=order)
    if kind == "question-only":
        return body(item, letters)
    if kind == "solution-only":
        return item["solution"]
    if kind == "split-documents":
        return base
    if kind == "prefix-50":
        words = base.split(" ")
        return " ".join(words[: max(1, len(words) // 2)])
    if kind == "numbers-changed":
        def bump(m):
            v = int(m.group(0))
            return str(v + rng.randint(2, 9))
        q = re.sub(r"\d+", bump, item["q"])
        final = item.get("final")
        return q + "\nThe answer is " + (str(int(final.replace(",", "")) + 7) if final and final.replace(",", "").isdigit() else "42") + "."
    raise ValueError(kind)


def stated_answer(item):
    """The item's answer as a copy states it: the correct option's index, or the final value
    (GSM8K's number, the last box of a MATH solution); None when it has none."""
    if item["choices"]:
        return item["answer"] if item.get("answer") is not None and item["answer"] >= 0 else None
    if item.get("final"):
        return item["final"]
    boxes = re.findall(r"\\boxed\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}", item["solution"] or "")
    return boxes[-1] if boxes else None


def applies(kind, item):
    need = KINDS[kind][2]
    if need == "mc":
        return bool(item["choices"])
    if need == "blank":
        return bool(item["choices"]) and stated_answer(item) is not None and len(re.findall(r"(?<!\w)_+(?!\w)", item["q"])) == 1
    if need == "mc-answer":
        return bool(item["choices"]) and stated_answer(item) is not None
    if need == "numbers":
        return len(re.findall(r"\d+", item["q"])) >= 2 and item.get("final") is not None
    if need == "solution":
        return bool(item["solution"]) and len(item["solution"].split()) >= 20
    if need == "answer":
        return len(item["q"].split()) >= 25 and stated_answer(item) is not None
    if need == "latex":
        return bool(re.search(r"\\[a-zA-Z]+", body(item) + "\n" + tail(item)))
    return True


# TeX as a page renders it: what a command means is written out, its presentation goes.
RENDERED = {"le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "cdot": "·", "times": "×",
            "div": "÷", "pm": "±", "infty": "∞", "pi": "π", "theta": "θ", "alpha": "α", "beta": "β", "circ": "°",
            "sqrt": "√", "angle": "∠", "triangle": "△", "dots": "…", "ldots": "…", "cdots": "⋯", "to": "→"}


def hyphenated(text, rng, width=60):
    """Text as a PDF's extracted text keeps it: each paragraph wrapped at `width` columns, and a
    word of 7+ small letters that would cross the margin cut with a hyphen at the line's end."""
    out = []
    for para in text.split("\n"):
        lines, line = [], ""
        for word in para.split(" "):
            if line and len(line) + 1 + len(word) > width:
                if len(word) >= 7 and word.isalpha() and word.islower():
                    k = rng.randint(3, len(word) - 3)
                    lines.append(line + " " + word[:k] + "-")
                    line = word[k:]
                    continue
                lines.append(line)
                line = word
            else:
                line = (line + " " + word) if line else word
        lines.append(line)
        out.append("\n".join(lines))
    return "\n".join(out)


def rendered(text):
    # Environments (a matrix, aligned equations) show as their content: \begin{pmatrix} goes.
    text = re.sub(r"\\(?:begin|end)\{[a-zA-Z]*\*?\}", "", text)
    text = re.sub(r"\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}", r"(\1)/(\2)", text)
    text = re.sub(r"\\(?:text|textbf|textit|mathrm|mathbf|mbox|operatorname)\{([^{}]*)\}", r"\1", text)
    text = re.sub(r"\\(sin|cos|tan|log|ln|exp|max|min|gcd|lim|det)\b", r"\1", text)
    text = re.sub(r"\\([a-zA-Z]+)", lambda m: RENDERED.get(m.group(1), ""), text)
    return text.replace("$", "").replace("{", "").replace("}", "")


def phrases(item, rng, count=3, length=4):
    """A few short phrases of the item, not the item: disjoint and never adjacent (two phrases
    that overlap or touch are one longer copy), together at most half of its words. (Until
    session 11 three windows were drawn independently; in a short item they could overlap and
    stitch its whole question back together.) Draws from `rng` exactly as before, so every other
    planted document of a seed stays the same."""
    words = body(item).split()
    if len(words) <= length:
        return [" ".join(words[:max(1, len(words) // 2)])]
    draws = [rng.randrange(0, len(words) - length) for _ in range(count)]
    own = random.Random(repr(draws))
    length = min(length, max(1, len(words) // 2))
    count = max(1, min(count, len(words) // (2 * length)))
    for _ in range(100):
        starts = sorted(own.randrange(0, len(words) - length + 1) for _ in range(count))
        if all(b > a + length for a, b in zip(starts, starts[1:])):
            break
    else:
        starts = starts[:1]
    return [" ".join(words[s:s + length]) for s in starts]


# ---------------------------------------------------------------------------------------
# Background text: real prose, reference and code, cut into paragraphs.

def background(data):
    paragraphs = []
    text = os.path.join(data, "text")
    for root, _, files in sorted(os.walk(text)):
        for name in sorted(files):
            path = os.path.join(root, name)
            if not name.endswith(".gz"):
                continue
            with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
                raw = f.read(3_000_000)
            if name.endswith(".jsonl.gz"):
                for line in raw.splitlines()[:2000]:
                    try:
                        paragraphs.extend(p for p in json.loads(line).get("text", "").split("\n\n") if len(p) > 200)
                    except (ValueError, AttributeError):
                        pass
            else:
                paragraphs.extend(p for p in re.split(r"\n\s*\n", raw) if len(p) > 200)
    return paragraphs


# ---------------------------------------------------------------------------------------

def generate(args):
    rng = random.Random(args.seed)
    benchmarks = load_benchmarks(args.data)
    paragraphs = background(args.data)
    if not benchmarks or len(paragraphs) < 100:
        sys.exit(f"eval-quality: no benchmarks or too little background text under {args.data}")
    os.makedirs(os.path.join(args.out, "shards"), exist_ok=True)
    docs, labels, text_docs = [], [], []  # text_docs: the plain-text shard's documents
    short_records = []  # the short-records shard's records

    def filler(n):
        return "\n\n".join(rng.choice(paragraphs) for _ in range(n))

    # Real MATH-Perturb pairs: the MATH original (problem and solution) in the corpus, the
    # perturbed problem as the item: the copy states another answer. Both variants are one
    # directory (files read in name order), so both are the preset `math-perturb`.
    paired = set()
    pairs = os.path.join(args.data, "benchmarks/math_perturb/pairs_with_math_originals.jsonl")
    position = 0
    used_ids = set()
    for variant in ("simple", "hard"):
        path = os.path.join(args.data, f"benchmarks/math_perturb/math_perturb_{variant}.jsonl")
        if not (os.path.exists(path) and os.path.exists(pairs)):
            continue
        originals = {json.loads(l)["problem_id"]: json.loads(l) for l in read_jsonl(pairs)}
        lines = read_jsonl(path)
        # Each problem in one variant only: its Simple and Hard versions are siblings that share
        # most of their text (a user scans them as separate benchmarks).
        free = [i for i in range(len(lines)) if json.loads(lines[i])["problem_id"] not in used_ids]
        picked = sorted(rng.sample(free, min(args.pairs, len(free))))
        used_ids.update(json.loads(lines[i])["problem_id"] for i in picked)
        # The two variants share problem ids; the hard ones are renamed so one benchmark holds both.
        rename = (lambda l: json.dumps(dict(json.loads(l), problem_id=f"hard-{json.loads(l)['problem_id']}"))) if variant == "hard" else (lambda l: l)
        write_sample(os.path.join(args.out, "benchmarks", "math-perturb"), ("jsonl", f"{variant}.jsonl" if variant == "hard" else "a-simple.jsonl"),
                     [rename(lines[i]) for i in picked])
        for i in picked:
            record = json.loads(lines[i])
            original = originals.get(record["problem_id"])
            usable = original and original.get("matched") and original.get("original_solution")
            labels.append({"benchmark": "math-perturb", "position": position, "kind": f"math-perturb-{variant}" if usable else "unpaired"})
            position += 1
            if usable:
                labels[-1]["doc"] = f"doc-{len(docs)}"
                paired.add(original["original_unique_id"])
                docs.append(filler(1) + "\n\n" + original["original_problem"] + "\n\n" + original["original_solution"] + "\n\n" + filler(1))

    for preset, spec in sorted(benchmarks.items()):
        records = spec[2]
        indices = [i for i in range(len(records)) if not (preset == "math" and json.loads(records[i][0]).get("unique_id") in paired)]
        rng.shuffle(indices)
        chosen, used = [], set()  # (record index, kind)
        for kind in KINDS:
            placed = 0
            for i in (reversed(indices) if kind in LATE else indices):
                if placed == args.per_kind:
                    break
                if i not in used and applies(kind, records[i][1]):
                    chosen.append((i, kind))
                    used.add(i)
                    placed += 1
        chosen += [(i, "untouched") for i in [i for i in indices if i not in used][: args.untouched]]
        chosen.sort()
        sample = [records[i][0] for i, _ in chosen]
        write_sample(os.path.join(args.out, "benchmarks", preset), spec, sample)
        for position, (i, kind) in enumerate(chosen):
            item = records[i][1]
            labels.append({"benchmark": preset, "position": position, "kind": kind})
            if kind == "untouched":
                continue
            labels[-1]["doc"] = f"doc-{len(docs)}"  # the document holding it (the first of a split pair)
            if kind == "shared-phrases":
                text = filler(1) + " " + " ... ".join(phrases(item, rng)) + " " + filler(1)
                docs.append(text)
                continue
            if kind == "template-only":
                other = rng.choice(paragraphs).split(". ")[0]
                fake = dict(q=other, choices=[rng.choice(paragraphs)[:40] for _ in (item["choices"] or [])] or None,
                            answer=0 if item["choices"] else None, solution=rng.choice(paragraphs)[:300], final=None)
                docs.append(filler(1) + "\n\n" + render(rng.choice(["qa-prompt", "chat", "instruction-prompt"]), fake, rng) + "\n\n" + filler(1))
                continue
            if kind == "wrapped-text-file":
                # Its own shard, planted.txt: paragraphs wrapped at one width, blank lines between.
                own = random.Random(f"{args.seed}:{preset}:{i}:{kind}")
                width = own.randint(56, 78)
                parts = [own.choice(paragraphs) for _ in range(own.randint(1, 3))] + [render("plain", item, own)]
                parts += [own.choice(paragraphs) for _ in range(own.randint(1, 3))]
                wrap = lambda t: "\n".join(textwrap.fill(line, width=width, break_long_words=False, break_on_hyphens=False)
                                           for line in t.split("\n"))
                labels[-1]["doc"] = f"planted.txt:{len(text_docs)}"
                text_docs.append("\n\n".join(wrap(t) for t in parts))
                continue
            if kind in ("short-records", "short-records-noisy"):
                # Its own shard, planted-records.jsonl: sentences of the background a record, then
                # the item a sentence or line a record, or the whole stream cut every 5-9 words.
                own = random.Random(f"{args.seed}:{preset}:{i}:{kind}")
                def sentences(t):
                    return [x.strip() for x in re.split(r"(?<=[.!?])\s+|\n+", t) if x.strip()]
                stream = [x for _ in range(own.randint(1, 2)) for x in sentences(own.choice(paragraphs))]
                how = "plain" if kind == "short-records" else "numbers-changed" if applies("numbers-changed", item) else "typos"
                stream += sentences(render(how, item, own))
                stream += [x for _ in range(own.randint(1, 2)) for x in sentences(own.choice(paragraphs))]
                if own.random() < 0.5:
                    words = " ".join(stream).split()
                    stream, at = [], 0
                    while at < len(words):
                        step = own.randint(5, 9)
                        stream.append(" ".join(words[at:at + step]))
                        at += step
                labels[-1]["doc"] = f"planted-records.jsonl:{len(short_records) + 1}"
                short_records += stream
                continue
            if kind in LATE:
                own = random.Random(f"{args.seed}:{preset}:{i}:{kind}")
                docs.append("\n\n".join(own.choice(paragraphs) for _ in range(own.randint(1, 3))) + "\n\n" + render(kind, item, own)
                            + "\n\n" + "\n\n".join(own.choice(paragraphs) for _ in range(own.randint(1, 3))))
                continue
            copy = render(kind, item, rng)
            if kind == "split-documents":
                cut = len(copy) // 2
                docs.append(filler(2) + "\n\n" + copy[:cut])
                docs.append(copy[cut:] + "\n\n" + filler(2))
                continue
            docs.append(filler(rng.randint(1, 3)) + "\n\n" + copy + "\n\n" + filler(rng.randint(1, 3)))

    # The documents in a seeded order, split-document pairs kept adjacent.
    with open(os.path.join(args.out, "shards", "planted.jsonl"), "w", encoding="utf-8") as f:
        for n, text in enumerate(docs):
            f.write(json.dumps({"id": f"doc-{n}", "text": text}, ensure_ascii=False) + "\n")
        for n in range(len(docs) // 4):
            f.write(json.dumps({"id": f"bg-{n}", "text": filler(3)}, ensure_ascii=False) + "\n")
    if short_records:
        with open(os.path.join(args.out, "shards", "planted-records.jsonl"), "w", encoding="utf-8") as f:
            for n, text in enumerate(short_records):
                f.write(json.dumps({"id": f"rec-{n}", "text": text}, ensure_ascii=False) + "\n")
    if text_docs:
        with open(os.path.join(args.out, "shards", "planted.txt"), "w", encoding="utf-8") as f:
            f.write("\n\n".join(text_docs) + "\n")
    with open(os.path.join(args.out, "labels.jsonl"), "w") as f:
        f.writelines(json.dumps(l) + "\n" for l in labels)
    print(f"eval-quality: {len(labels)} items in {len({l['benchmark'] for l in labels})} benchmarks, {len(docs)} planted documents", file=sys.stderr)


def expected(kind):
    if kind in KINDS:
        return KINDS[kind][0], KINDS[kind][1]
    if kind.startswith("math-perturb-"):
        return MATH_PERTURB_PAIR[0], MATH_PERTURB_PAIR[1]
    return {"untouched": UNTOUCHED}.get(kind, (kind, None))


def score(args):
    cert = json.load(open(args.certificate))
    by_bench = defaultdict(list)
    for item in cert["items"]:
        by_bench[item["benchmark"]].append(item)
    labels = [json.loads(l) for l in open(os.path.join(args.out, "labels.jsonl"))]
    table = defaultdict(lambda: [0, 0])       # (group, kind) -> found, total
    per_bench = defaultdict(lambda: [0, 0])   # (group, benchmark) -> found, total
    misses = defaultdict(list)
    for label in labels:
        group, want = expected(label["kind"])
        if want is None:
            continue
        items = by_bench[label["benchmark"]]
        item = items[label["position"]]
        if group == "question-only":
            q = sum(p["tokens"] for p in item["parts"] if p["part"] in ("question", "choices"))
            if q < 13:
                continue  # the bar: question+options of at least 13 informative tokens
        ok = item["verdict"] in want
        for key, t in (((group, label["kind"]), table), ((group, label["benchmark"]), per_bench)):
            t[key][0] += ok
            t[key][1] += 1
        if not ok:
            where = f" in {label['doc']}" if "doc" in label else ""
            misses[label["kind"]].append(f"{label['benchmark']}/{item['id']} {item['verdict']} cov {item['coverage']:.2f}{where}")
    groups = []
    for (group, kind), (found, total) in sorted(table.items()):
        groups.append((group, kind, found, total))
    if args.json:
        summary = defaultdict(lambda: [0, 0])
        for group, kind, found, total in groups:
            summary[group][0] += found
            summary[group][1] += total
        json.dump({"groups": {g: {"found": f, "items": t} for g, (f, t) in sorted(summary.items())},
                   "kinds": {k: {"group": g, "found": f, "items": t} for g, k, f, t in groups}}, sys.stdout, indent=1)
        print()
        return 0
    out = io.StringIO()
    if args.markdown:
        out.write("| group | kind | found | items | rate |\n|---|---|---:|---:|---:|\n")
        for group, kind, found, total in groups:
            out.write(f"| {group} | {kind} | {found} | {total} | {100 * found / total:.1f}% |\n")
    else:
        out.write(f"{'group':<16} {'kind':<20} {'found':>6} {'items':>6} {'rate':>7}\n")
        for group, kind, found, total in groups:
            out.write(f"{group:<16} {kind:<20} {found:>6} {total:>6} {100 * found / total:>6.1f}%\n")
    summary = defaultdict(lambda: [0, 0])
    for group, kind, found, total in groups:
        summary[group][0] += found
        summary[group][1] += total
    out.write("\nby group (hard-negative and untouched: rate of items correctly left clean)\n")
    for group, (found, total) in sorted(summary.items()):
        out.write(f"  {group:<18} {found:>5}/{total:<5} {100 * found / total:6.1f}%\n")
    out.write("\nby benchmark\n")
    for (group, bench), (found, total) in sorted(per_bench.items()):
        out.write(f"  {group:<18} {bench:<22} {found:>4}/{total:<4} {100 * found / total:6.1f}%\n")
    if args.misses:
        out.write("\nmisses\n")
        for kind, rows in sorted(misses.items()):
            for row in rows[: args.misses]:
                out.write(f"  {kind:<20} {row}\n")
    sys.stdout.write(out.getvalue())
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--data", required=True)
    g.add_argument("--out", required=True)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--per-kind", type=int, default=3)
    g.add_argument("--untouched", type=int, default=60)
    g.add_argument("--pairs", type=int, default=60)
    s = sub.add_parser("score")
    s.add_argument("--out", required=True)
    s.add_argument("--certificate", required=True)
    s.add_argument("--markdown", action="store_true")
    s.add_argument("--json", action="store_true", help="found and items per group and kind, as JSON")
    s.add_argument("--misses", type=int, default=0)
    args = parser.parse_args()
    sys.exit(generate(args) if args.command == "generate" else score(args))


if __name__ == "__main__":
    main()
