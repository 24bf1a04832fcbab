#!/usr/bin/env python3
"""Probe: real test items planted into real text under corruptions eval-quality.py does not
have (punctuation stripped, OCR confusions, a word doubled every 10 words, words cut at a fixed
width, a TSV or quoted-CSV row, wikitext, raw HTML, ...), then one scan and the verdicts per
kind. Not a labelled evaluation with bars: a quick look for layouts and damage that still read
`clean`, before one is built into eval-quality.py. Items and background text come from
eval-quality.py (the same loaders, the same `plain` rendering).

  scripts/probe-corruptions.py --out DIR [--seed N] [--per K] [--contam BIN] [--data DIR]

Prints, per kind, how many copies read contaminated, perturbed, partial, clean and too_short,
and the benchmarks of the clean ones."""
import argparse, importlib.util, json, os, random, re, subprocess, sys, collections, html
here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("eq", os.path.join(here, "eval-quality.py"))
eq = importlib.util.module_from_spec(spec); spec.loader.exec_module(eq)
PUNCT = re.compile(r"[!-/:-@\[-`{-~]")
def sentences(t): return [x for x in re.split(r"(?<=[.!?])\s+", t) if x]
def ocr(t, rng):
    out=[]; i=0
    while i < len(t):
        c=t[i]; two=t[i:i+2]
        if two=="rn" and rng.random()<0.5: out.append("m"); i+=2; continue
        if c=="m" and rng.random()<0.3: out.append("rn"); i+=1; continue
        if c=="l" and rng.random()<0.3: out.append("1"); i+=1; continue
        if c=="I" and rng.random()<0.3: out.append("l"); i+=1; continue
        if c=="O" and rng.random()<0.3: out.append("0"); i+=1; continue
        if c=="e" and rng.random()<0.08: out.append("c"); i+=1; continue
        out.append(c); i+=1
    return "".join(out)
KINDS = {}
def k(name):
    def d(f): KINDS[name]=f; return f
    return d
base = lambda item, rng: eq.render("plain", item, rng)
@k("punct-stripped")
def _(item, rng): return PUNCT.sub("", base(item, rng))
@k("punct-to-space")
def _(item, rng): return PUNCT.sub(" ", base(item, rng))
@k("lower-nopunct")
def _(item, rng): return PUNCT.sub("", base(item, rng).lower())
@k("ocr")
def _(item, rng): return ocr(base(item, rng), rng)
@k("title-case")
def _(item, rng): return " ".join(w[:1].upper()+w[1:] for w in base(item, rng).split(" "))
@k("no-newlines")
def _(item, rng): return re.sub(r"\s*\n\s*", " ", eq.render("label-dot", item, rng) if item["choices"] else base(item, rng))
@k("options-csv")
def _(item, rng):
    if not item["choices"]: return base(item, rng)
    return item["q"] + " Options: " + ", ".join(item["choices"]) + ". Correct: " + (item["choices"][item["answer"]] if item.get("answer") is not None and item["answer"]>=0 else "")
@k("tsv-row")
def _(item, rng):
    parts=[item["q"]] + (item["choices"] or []) + [eq.tail(item)]
    return "\t".join(p.replace("\n"," ").replace("\t"," ") for p in parts)
@k("csv-quoted")
def _(item, rng):
    parts=[item["q"]] + (item["choices"] or []) + [eq.tail(item)]
    return ",".join('"'+p.replace('"','""')+'"' for p in parts)
@k("wikitext")
def _(item, rng):
    ws=base(item, rng).split(" ")
    return " ".join(("'''"+w+"'''" if i%5==2 else "[["+w+"]]" if i%7==4 else w) for i,w in enumerate(ws))
@k("md-escaped")
def _(item, rng): return re.sub(r"([\\`*_{}\[\]()#+\-.!|])", r"\\\1", base(item, rng))
@k("sentences-shuffled")
def _(item, rng):
    s=sentences(base(item, rng)); rng.shuffle(s); return " ".join(s)
@k("interleaved")
def _(item, rng):
    s=sentences(base(item, rng)); out=[]
    for x in s: out += [x, "Meanwhile the weather in the valley stayed mild for most of the week."]
    return " ".join(out)
@k("stutter")
def _(item, rng):
    ws=base(item, rng).split(" "); return " ".join((w+" "+w if i%10==5 else w) for i,w in enumerate(ws))
@k("cut-no-hyphen")
def _(item, rng):
    t=base(item, rng); out=[]; col=0
    for c in t:
        out.append(c); col = 0 if c=="\n" else col+1
        if col>=45 and c.isalpha(): out.append("\n"); col=0
    return "".join(out)
@k("html-raw")
def _(item, rng):
    q="<p>"+html.escape(item["q"])+"</p>"
    if item["choices"]: q += "<ol>"+"".join("<li>"+html.escape(c)+"</li>" for c in item["choices"])+"</ol>"
    return q + "<p><b>Answer:</b> "+html.escape(eq.tail(item) if item["choices"] else (item["solution"] or ""))+"</p>"
@k("answer-first")
def _(item, rng): 
    if not item["choices"]: return (item["solution"] or "") + "\n\n" + item["q"]
    return eq.tail(item) + "\n" + eq.body(item, lambda i: f"{eq.LETTERS[i]}.")
@k("emoji-inserted")
def _(item, rng):
    ws=base(item, rng).split(" "); return " ".join((w+" 🙂" if i%8==7 else w) for i,w in enumerate(ws))
@k("nbsp")
def _(item, rng): return base(item, rng).replace(" ", "\u00a0")
@k("typographic")
def _(item, rng): return base(item, rng).replace("-", "–").replace("...", "…").replace('"', "”").replace("'", "’")
@k("double-newline-words")
def _(item, rng): return "\n\n".join(base(item, rng).split(" "))
@k("label-colon")
def _(item, rng): 
    return eq.body(item, lambda i: f"Option {eq.LETTERS[i]}:") + "\n" + eq.tail(item, "Correct option: {}") if item["choices"] else base(item, rng)
@k("numbers-words")
def _(item, rng):
    W="zero one two three four five six seven eight nine ten".split()
    return re.sub(r"\b(\d)\b", lambda m: W[int(m.group(1))], base(item, rng))
@k("british")
def _(item, rng):
    t=base(item, rng)
    for a,b in [("color","colour"),("center","centre"),("meter","metre"),("ize","ise"),("favorite","favourite"),("gray","grey"),("liter","litre"),("analyze","analyse"),("behavior","behaviour")]: t=t.replace(a,b)
    return t
@k("quote-prefixed")
def _(item, rng): return "\n".join("> "+l for l in base(item, rng).split("\n"))

# Space inserted inside 15% of words of 5+ letters (a PDF's kerning): `addi tion`.
@k("space-inserted")
def _(item, rng):
    out = []
    for w in base(item, rng).split(" "):
        if len(w) >= 5 and w.isalpha() and rng.random() < 0.15:
            cut = rng.randint(1, len(w) - 1)
            w = w[:cut] + " " + w[cut:]
        out.append(w)
    return " ".join(out)
# Every sentence's capital split from its word (a drop cap, a PDF's first glyph): `T he`.
@k("dropcap")
def _(item, rng):
    return re.sub(r"(^|(?<=[.?!]\s))([A-Z])(?=[a-z])", lambda m: m.group(1) + m.group(2) + " ", base(item, rng))
# Light OCR confusions: rn as m, l as 1, e as c, rarely.
@k("ocr-light")
def _(item, rng):
    t = base(item, rng); out = []; i = 0
    while i < len(t):
        if t[i:i + 2] == "rn" and rng.random() < 0.3: out.append("m"); i += 2; continue
        if t[i] == "l" and rng.random() < 0.1: out.append("1"); i += 1; continue
        if t[i] == "e" and rng.random() < 0.03: out.append("c"); i += 1; continue
        out.append(t[i]); i += 1
    return "".join(out)


def generate(out, seed, per, data):
    rng=random.Random(seed)
    bms=eq.load_benchmarks(data); paras=eq.background(data)
    if not bms or len(paras) < 100:
        sys.exit(f"probe-corruptions: no benchmarks or too little background text under {data} (give --data)")
    os.makedirs(out+"/shards", exist_ok=True)
    docs=[]; labels=[]
    for preset, spec in sorted(bms.items()):
        recs=spec[2]; idx=list(range(len(recs))); rng.shuffle(idx); p=0; chosen=[]
        for kind in KINDS:
            for _ in range(per):
                chosen.append((idx[p], kind)); p+=1
        chosen.sort()
        eq.write_sample(f"{out}/benchmarks/{preset}", spec, [recs[i][0] for i,_ in chosen])
        for pos,(i,kind) in enumerate(chosen):
            own=random.Random(f"{seed}:{preset}:{i}:{kind}")
            text=KINDS[kind](recs[i][1], own)
            labels.append(dict(benchmark=preset, position=pos, kind=kind, doc=f"doc-{len(docs)}"))
            docs.append("\n\n".join(own.choice(paras) for _ in range(2)) + "\n\n" + text + "\n\n" + own.choice(paras))
    with open(out+"/shards/p.jsonl","w") as f:
        for n,t in enumerate(docs): f.write(json.dumps({"id":f"doc-{n}","text":t}, ensure_ascii=False)+"\n")
    json.dump(labels, open(out+"/labels.json","w"))
def score(out):
    labels=json.load(open(out+"/labels.json")); cert=json.load(open(out+"/certificate.json"))
    by=collections.defaultdict(list)
    for it in cert["items"]:
        by[it["benchmark"]].append(it)
    tab=collections.defaultdict(collections.Counter); miss=collections.defaultdict(list)
    for l in labels:
        it=by[l["benchmark"]][l["position"]]
        v=it["verdict"] if it else "MISSING"
        tab[l["kind"]][v]+=1
        if v=="clean": miss[l["kind"]].append(l["benchmark"])
    for kind in KINDS:
        c=tab[kind]; n=sum(c.values())
        print(f"{kind:24s} n={n:3d} " + " ".join(f"{v}={c[v]}" for v in ("contaminated","perturbed","partial","clean","too_short")) + ("   clean: "+",".join(miss[kind]) if miss[kind] else ""))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="work directory (kept)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--per", type=int, default=3, help="items per benchmark and kind")
    p.add_argument("--contam", default=os.path.join(here, "..", ".build", "release", "contam"))
    p.add_argument("--data", default=os.path.join(here, "..", "..", "shared", "data"))
    a = p.parse_args()
    generate(a.out, a.seed, a.per, a.data)
    args = [a.contam, "scan", "--jobs", "2", "--fail-on", "never", "--out", os.path.join(a.out, "certificate.json")]
    for name in sorted(os.listdir(os.path.join(a.out, "benchmarks"))):
        args += ["--benchmark", f"{name}={os.path.join(a.out, 'benchmarks', name)}"]
    subprocess.run(args + [os.path.join(a.out, "shards")], check=True, stdout=subprocess.DEVNULL)
    score(a.out)


if __name__ == "__main__":
    main()
