import ArgumentParser
import Contam
import Foundation

extension ContamCommand {
  struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check every benchmark item against the corpus in one pass; report verdicts with evidence.",
      discussion: """
        Indexes every n-gram of every item of the given benchmarks, streams the shards once, and \
        gives each item one verdict from all its evidence (docs/VERDICTS.md): contaminated \
        (exact coverage >= --contaminated; its whole question copied with its answer stated, as \
        `Answer: B` or as its correct option alone after it, in any layout; or a near copy at >= \
        --near-contaminated that states the item's answer), perturbed (a near copy, or a copy of part of the item, stating \
        another answer), partial \
        (coverage >= --partial, or a near copy), clean, or too_short (fewer than --min-tokens \
        tokens). Coverage is the fraction of the item's tokens inside n-grams found in the \
        corpus. N-grams shared by more than --max-items-per-ngram items are dropped as \
        boilerplate and listed in the result. --fail-on perturbed fails on contaminated and \
        perturbed items; --fail-on partial on all three.

        Presets (--benchmark NAME=PATH): \(BenchmarkFormat.presets.keys.sorted().joined(separator: ", ")). \
        Any other name needs --fields (NAME:PART=FIELD,... per benchmark), or --fields auto to \
        read the mapping from the records (printed, and recorded in the certificate). A preset \
        also reads its benchmark as the Hugging Face Hub serves it (Parquet, or its JSONL export).

        Exit status: 0 no item reached --fail-on (flagged items below it, perturbed or \
        partial under the default, are counted on stderr: 0 is not "clean"); 1 some did; 3 \
        input skipped under --strict, \
        or more than --max-skipped-fraction of a shard skipped; 4 the run could not complete \
        (a shard path that matches nothing, no document read, a bad benchmark).

        Examples:
          contam scan --benchmark gsm8k=corpora-samples/benchmarks/gsm8k-sample.jsonl corpora-samples/shards
          contam scan --benchmark mmlu=data/mmlu/test --benchmark gsm8k=test.jsonl --out result.json 'shards/*.zst'
          contam scan --benchmark mine=items.jsonl --fields question=problem,answer=solution --item-id-field uid shards/
          contam scan --benchmark hellaswag=hs.jsonl --benchmark boolq=bq.jsonl --fields hellaswag:question=ctx,choices=endings \\
            --fields boolq:question=question,passage=passage --item-id-field hellaswag:ind shards/
          contam scan --benchmark mine=problems.jsonl --fields question=problem,answer=solution --answer-field solution@boxed shards/
          contam scan --benchmark hellaswag=hellaswag/validation.jsonl --fields auto shards/
          contam scan --index corpus.cidx --benchmark gsm8k=test.jsonl --out result.json   (see `contam index build`)
        """)

    @Option(
      name: .customLong("benchmark"),
      help: ArgumentHelp("A benchmark as NAME=PATH (a file or a directory of files); repeat for several.", valueName: "name=path"))
    var benchmarks: [String] = []

    @Option(
      help: ArgumentHelp(
        "Field mapping for benchmarks that are not presets: PART=FIELD[+FIELD...],... (dotted fields reach into objects and through arrays: question=question.stem,choices=question.choices.text, or choices[].text); a field no record has, one that holds objects rather than text, or a part empty in every record is an error that lists the fields there are. For benchmarks mapped differently, repeat it with the benchmark's name in front: --fields hellaswag:question=ctx,choices=endings --fields boolq:question=question,passage=passage (a mapping without a name serves the others). 'auto' (or NAME:auto) reads the mapping from the benchmark's records: the question, options, answer and passage fields by their names and values, the id, the answer's rule, and which fields are left out and why, printed on stderr; --item-id-field and --answer-field given for it take precedence.",
        valueName: "mapping"))
    var fields: [String] = []

    @Option(
      name: .customLong("item-id-field"),
      help: ArgumentHelp(
        "The id field of non-preset benchmarks (without it, items are numbered by line: name/12); NAME:FIELD for one benchmark, repeated for several.",
        valueName: "field"))
    var itemIDFields: [String] = []

    @Option(
      name: .customLong("answer-field"),
      help: ArgumentHelp(
        "The answer of non-preset benchmarks, checked against every copy found (a near copy that states another answer is perturbed, as MATH-Perturb's): FIELD (its value), FIELD@boxed (the last \\boxed{} in it, as MATH solutions give it), or FIELD@MARKER (the text after the last MARKER: solution@#### as GSM8K); NAME:... for one benchmark, repeated for several.",
        valueName: "field"))
    var answerFields: [String] = []

    @Option(parsing: .unconditional, help: ArgumentHelp("Tokens per n-gram.", valueName: "n"))
    var ngram = 13

    @Option(name: .customLong("min-tokens"), parsing: .unconditional, help: ArgumentHelp("Items with fewer tokens are too_short; shorter than --ngram but at least this long are matched whole.", valueName: "n"))
    var minTokens = 8

    @Option(name: .customLong("max-items-per-ngram"), parsing: .unconditional, help: ArgumentHelp("N-grams found in more items than this are dropped as boilerplate.", valueName: "n"))
    var maxItemsPerNGram = 10

    @Option(
      name: .customLong("text-version"),
      help: ArgumentHelp(
        "The text pipeline to tokenize with: 11 (the default) reads letter-spaced text (W h e r e   d o) as its words; 10 reads its lone letters apart, as before; 10 and later read a word begun in superscript letters through a letter that has none (ˢqᵘᵃʳᵉ as square); 9 split it there; 9 and later drop a citation mark's number after the text it marks (Paris.[1] The), so a copy from an encyclopedia page reads without its marks, reads quoted-printable mail (exam=<line break>ple, =E2=80=99, =3D) as the text it encodes, and drops a chat log's line-leading time stamps and <speaker>; 8 reads them as before; 8 and later drop a subtitle cue's timing line (00:03:41,200 --> 00:03:44,900) and its number, so text read out as subtitles reads as the text; 7 reads them as before; 7 and later read mojibake, text whose UTF-8 was once read as Windows-1252 (â€™ for ’, Ã© for é), as the characters it stands for, and drops the line numbers of a listing (  12  def f():); 6 reads them as before; 6 and 7 read text escaped twice (&amp;nbsp;), URL-encoded (%20) or cut by inline tags (Na<b>ta</b>lia) and letters written as small capitals or superscripts (ᴀ, ᵃ) as the text they show; 5 reads them as before; 5 and later read math symbols as the TeX commands that write them (≤ as \\le, π as \\pi) and fold capital look-alikes by their own shape (Greek Ν as N); 4 reads them as before; 4 and later drop the names of LaTeX presentation commands (\\text, \\frac, \\left), 3 keeps them; 2 does not fold look-alike letters, Traditional Chinese and letters drawn as symbols; 1 also keeps option labels, HTML tags and \\n escapes as text. Example: --text-version 10 to repeat a scan made before contam-text/11.",
        valueName: TextVersion.allCases.map { String($0.rawValue) }.joined(separator: "|")))
    var textVersion: TextVersion = .current

    @Option(parsing: .unconditional, help: ArgumentHelp("Coverage at or above which an item is contaminated.", valueName: "fraction"))
    var contaminated = 0.8

    @Option(parsing: .unconditional, help: ArgumentHelp("Coverage at or above which an item is partial.", valueName: "fraction"))
    var partial = 0.2

    @Option(
      parsing: .unconditional, help: ArgumentHelp(
        "How many documents' evidence to keep per item, best first, for its exact n-grams and its near copies each (the verdict reads the best; more show every place an item was found). Example: --evidence 20",
        valueName: "n"))
    var evidence = 3

    @Flag(name: .customLong("no-exact"), help: "Skip the exact n-gram probe (near duplicates only).")
    var noExact = false

    @Flag(name: .customLong("no-near"), help: "Skip near-duplicate search (exact n-grams only; faster).")
    var noNear = false

    @Flag(
      name: .customLong("documents-apart"),
      help: """
        Match each document alone. By default the exact pass reads the last n-1 tokens of the \
      documents before a document in its shard (up to n-1 of them) in front of it, and the near \
      search the last 64, as a model trained on packed documents reads them, so an item split \
      over records (a sentence a record, text chunked into short records) is found whole, and a \
      reworded or perturbed copy so split is found as a near copy. Weaker: verify names it. \
      Example: --documents-apart to repeat a scan made before session 18.
      """)
    var documentsApart = false

    @Flag(
      name: .customLong("no-math-tokens"),
      help: """
        Do not search items with TeX math a second time on their math stream (their lone \
        letters and operators inside $...$, \\(...\\), \\[...\\] as tokens), which finds a \
        problem with a sign or a variable changed. Faster on text with much math; a \
        certificate made so is weaker than the defaults and `contam verify` says so.
        """)
    var noMathTokens = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Tokens per shingle for near-duplicate search.", valueName: "k"))
    var shingle = 3

    @Option(
      name: .customLong("signature-size"),
      parsing: .unconditional, help: ArgumentHelp("MinHash signature size m (at most 64): each item is sampled by up to m of its shingles, one LSH band each.", valueName: "m"))
    var signatureSize = 32

    @Option(
      parsing: .unconditional, help: ArgumentHelp("Fraction of an item's signature that must occur within one span of a document to make it a candidate.", valueName: "fraction"))
    var vote = 0.3

    @Option(
      name: .customLong("near-containment"),
      parsing: .unconditional, help: ArgumentHelp("A near duplicate needs at least this fraction of the item's shingles in one document window.", valueName: "fraction"))
    var nearContainment = 0.5

    @Option(
      name: .customLong("near-contaminated"),
      parsing: .unconditional, help: ArgumentHelp(
        "A near copy at or above this containment that states the item's answer (or of an item without one) makes the item contaminated (a verbatim copy in another layout).",
        valueName: "fraction"))
    var nearContaminated = 0.95

    @Option(
      name: .customLong("near-min-shingles"),
      parsing: .unconditional, help: ArgumentHelp("A near copy counts toward the verdict only when it shares at least this many shingles with the item.", valueName: "n"))
    var nearMinShingles = 12

    @Option(
      name: .customLong("near-alignment"),
      parsing: .unconditional, help: ArgumentHelp(
        "An item of 16 to 64 tokens also has a near copy where one window holds at least this fraction of its tokens in order (typos, dropped or swapped words). Example: --near-alignment 0.9",
        valueName: "fraction"))
    var nearAlignment = 0.85

    @Option(
      name: .customLong("near-answered-shingles"),
      parsing: .unconditional, help: ArgumentHelp(
        "A near copy too small to count by itself counts with at least this many shared shingles when the page states the item's answer distinctively (through the copy's options, or a value of 3+ letters or digits): a short question copied with a typo and its answer key. Example: --near-answered-shingles 8",
        valueName: "n"))
    var nearAnsweredShingles = 5

    @Option(help: ArgumentHelp("MinHash scheme: one-permutation (fast, densified) or classic (k hash functions).", valueName: "scheme"))
    var minhash: MinHasher.Scheme = .onePermutation

    @Option(name: .customLong("fail-on"), help: ArgumentHelp(
        "Exit with status 1 when an item has this verdict or worse: contaminated; perturbed (also a near copy stating another answer: the question was exposed); partial (also partial coverage or a near copy); or never.",
        valueName: "verdict"))
    var failOn: FailOn = .contaminated

    @Option(
      name: .customLong("max-skipped-fraction"),
      parsing: .unconditional, help: ArgumentHelp(
        "When more than this fraction of a shard's records is skipped (missing text field, not JSON, corrupt data...), the run fails with status 3 and writes no certificate: a wrong --text-field must not pass as clean. So does a shard whose gzip or zstd stream ends in a fault (cut short, damaged), since what came after cannot be counted, unless this is 1. 1 turns the check off (verify then names a shard not read to its end).",
        valueName: "fraction"))
    var maxSkippedFraction = 0.1

    @Option(help: ArgumentHelp("Write the overlap certificate (JSON) here: written to a temporary file, then renamed into place.", valueName: "file"))
    var out: String?

    @Option(
      help: ArgumentHelp(
        "Scan share i of N of the sorted shard list (positions ≡ i−1 mod N) and write a partial certificate for `contam merge`.",
        valueName: "i/N"))
    var partition: String?

    @Option(help: ArgumentHelp("Sign the certificate with this Ed25519 key (from `contam keygen`).", valueName: "key-file"))
    var sign: String?

    @Option(
      name: .customLong("work-dir"),
      help: ArgumentHelp(
        "Keep each finished shard's result here; a run killed at any moment and started again with the same arguments redoes only the unfinished shards.",
        valueName: "dir"))
    var workDir: String?

    @Option(
      name: .customLong("index"),
      help: ArgumentHelp(
        "Read the corpus through this corpus index (`contam index build`) instead of naming shards: only the documents the index names as sharing text with an item are read. Every document sharing a run of the index's guaranteed length (20 tokens by default) is found; near duplicates are searched in those documents only. The certificate records the index's digest.",
        valueName: "dir"))
    var index: String?

    @Option(
      name: .customLong("index-cache"),
      help: ArgumentHelp(
        "Keep the built item indexes (and the items loaded from the benchmark files) here, so the next scan of the same items with the same parameters reads them instead of building them (about a second for all shared benchmarks). Default: $CONTAM_INDEX_CACHE, else $XDG_CACHE_HOME/contam, else ~/.cache/contam. A file is used only by the contam binary that wrote it, for exactly those items; results are the same either way. Only builds of 0.2 s or more are kept, and the 4 most recently used. Example: --index-cache /scratch/contam-cache",
        valueName: "dir"))
    var indexCache: String?

    @Flag(name: .customLong("no-index-cache"), help: "Load the benchmarks and build the item indexes without reading or writing the index cache.")
    var noIndexCache = false

    @Argument(help: ArgumentHelp("Shard files, directories or quoted glob patterns (none with --index).", valueName: "shard"))
    var shards: [String] = []

    @OptionGroup var corpus: CorpusOptions

    func validate() throws {
      guard !benchmarks.isEmpty else { throw ValidationError("Give at least one --benchmark NAME=PATH.") }
      if index != nil {
        guard shards.isEmpty else { throw ValidationError("--index reads the shards the index lists; name no shards with it.") }
        guard partition == nil, workDir == nil else { throw ValidationError("--index does not take --partition or --work-dir.") }
      } else {
        guard !shards.isEmpty else { throw ValidationError("Name the shards to scan (files, directories or quoted globs), or give --index.") }
      }
      guard (1...64).contains(ngram) else { throw ValidationError("--ngram must be in 1...64.") }
      guard minTokens >= 1 else { throw ValidationError("--min-tokens must be at least 1.") }
      guard (0...1).contains(maxSkippedFraction) else { throw ValidationError("--max-skipped-fraction must be in 0...1.") }
      guard maxItemsPerNGram >= 1 else { throw ValidationError("--max-items-per-ngram must be at least 1.") }
      guard (0...1).contains(contaminated), (0...1).contains(partial) else {
        throw ValidationError("--contaminated and --partial are fractions in 0...1.")
      }
      guard nearContainment > 0, nearContainment <= 1 else { throw ValidationError("--near-containment must be in (0, 1].") }
      guard nearContaminated >= nearContainment, nearContaminated <= 1 else {
        throw ValidationError("--near-contaminated must be in --near-containment...1.")
      }
      guard nearMinShingles >= 1 else { throw ValidationError("--near-min-shingles must be at least 1.") }
      guard nearAlignment > 0.5, nearAlignment <= 1 else { throw ValidationError("--near-alignment must be in (0.5, 1].") }
      guard nearAnsweredShingles >= 1 else { throw ValidationError("--near-answered-shingles must be at least 1.") }
      guard (1...1000).contains(evidence) else { throw ValidationError("--evidence must be in 1...1000.") }
      guard partial <= contaminated else { throw ValidationError("--partial must not exceed --contaminated.") }
      guard !(noExact && noNear) else { throw ValidationError("--no-exact and --no-near leave nothing to do.") }
      if let partition { _ = try Self.parsePartition(partition) }
      guard (1...16).contains(shingle), (1...64).contains(signatureSize), vote > 0, vote <= 1 else {
        throw ValidationError("--shingle must be in 1...16, --signature-size in 1...64 and --vote in (0, 1].")
      }
    }

    /// Seals and writes the certificate file; a failure (disk full, no directory) ends the run
    /// with status 4.
    static func write(_ certificate: Certificate, to path: String, signingKey: SigningKey?) throws {
      do {
        try certificate.writeSealed(to: path, signingKey: signingKey)
      } catch {
        Terminal.shared.line("contam: \(error)")
        throw ExitCode(ContamExit.failed)
      }
    }

    static func parsePartition(_ text: String) throws -> Certificate.Partition {
      let parts = text.split(separator: "/")
      guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(i) else {
        throw ValidationError("--partition takes i/N with 1 <= i <= N, got '\(text)'.")
      }
      return Certificate.Partition(index: i, count: n)
    }

    /// The value of a per-benchmark option for benchmark `name`: the one given as `NAME:VALUE`,
    /// else the one given without a name. `named` says where a value's name ends (nil: none).
    static func value(_ values: [String], for name: String, named: (String) -> String.Index?) -> String? {
      var general: String?
      for value in values {
        guard let colon = named(value) else {
          general = value
          continue
        }
        if value[..<colon] == name { return String(value[value.index(after: colon)...]) }
      }
      return general
    }

    /// Where a `--fields` value's benchmark name ends: a `:` before its first `=`.
    static func fieldsName(_ value: String) -> String.Index? {
      let head = value.firstIndex(of: "=").map { value[..<$0] } ?? value[...]
      return head.firstIndex(of: ":")
    }

    /// Where an `--item-id-field` value's benchmark name ends: its first `:`.
    static func idFieldName(_ value: String) -> String.Index? { value.firstIndex(of: ":") }

    /// Where an `--answer-field` value's benchmark name ends: a `:` before its first `@` (a
    /// marker may hold one: `solution@Answer:`).
    static func answerFieldName(_ value: String) -> String.Index? {
      (value.firstIndex(of: "@").map { value[..<$0] } ?? value[...]).firstIndex(of: ":")
    }

    /// The answer rule an `--answer-field` value names: FIELD, FIELD@boxed, FIELD@MARKER.
    static func answerRule(_ value: String) throws -> AnswerRule {
      guard let at = value.firstIndex(of: "@") else {
        guard !value.isEmpty else { throw ValidationError("--answer-field: no field given.") }
        return .field(value)
      }
      let field = String(value[..<at])
      let marker = String(value[value.index(after: at)...])
      guard !field.isEmpty, !marker.isEmpty else { throw ValidationError("--answer-field: '\(value)' is not FIELD, FIELD@boxed or FIELD@MARKER.") }
      return marker == "boxed" ? .lastBoxed(field: field) : .afterMarker(field: field, marker: marker)
    }

    /// Each benchmark-named `--fields` or `--item-id-field` value names a benchmark given, one
    /// that reads a mapping (not a preset), once; at most one value has no name.
    func checkPerBenchmarkOptions(_ names: [String]) throws {
      for (option, values, named) in [
        ("--fields", fields, Self.fieldsName), ("--item-id-field", itemIDFields, Self.idFieldName),
        ("--answer-field", answerFields, Self.answerFieldName),
      ] as [(String, [String], (String) -> String.Index?)] {
        var seen = Set<String>()
        for value in values {
          let name = named(value).map { String(value[..<$0]) } ?? ""
          guard seen.insert(name).inserted else {
            throw ValidationError(
              name.isEmpty
                ? "\(option) is given twice without a benchmark name: give NAME:\(option == "--fields" ? "PART=FIELD" : "FIELD") for each benchmark mapped differently."
                : "\(option) is given twice for benchmark '\(name)'.")
          }
          guard !name.isEmpty else { continue }
          guard names.contains(name) else {
            throw ValidationError("\(option) \(value): there is no --benchmark \(name) (benchmarks: \(names.joined(separator: ", "))).")
          }
          guard BenchmarkFormat.presets[name] == nil else {
            throw ValidationError(
              "\(option) \(value): '\(name)' is a preset, which reads its own fields. To read it with your mapping, give the benchmark another name (e.g. --benchmark my-\(name)=PATH).")
          }
        }
      }
    }

    /// The format of benchmark `name` at `path`: its preset's, the mapping given, or the one
    /// read from its records (`--fields auto`, returned with what was left out, to be printed).
    func format(for name: String, path: String) throws -> (BenchmarkFormat, InferredFormat?) {
      if let preset = BenchmarkFormat.presets[name] { return (preset, nil) }
      let itemIDField = Self.value(itemIDFields, for: name, named: Self.idFieldName)
      let answer = try Self.value(answerFields, for: name, named: Self.answerFieldName).map(Self.answerRule)
      guard let fields = Self.value(fields, for: name, named: Self.fieldsName) else {
        // The mapping its records suggest, for the user to confirm with one more option.
        let suggestion = (try? InferredFormat.infer(name: name, path: path)).map {
          " From its records: --fields \(name):auto would read \($0.summary)."
        }
        throw ValidationError(
          "'\(name)' is not a preset (\(BenchmarkFormat.presets.keys.sorted().joined(separator: ", "))); give --fields (--fields \(name):PART=FIELD,... when other benchmarks are mapped differently).\(suggestion ?? "")")
      }
      if fields == "auto" {
        var inferred = try InferredFormat.infer(name: name, path: path)
        if let itemIDField { inferred.format.idField = itemIDField }
        if let answer { inferred.format.answer = answer }
        return (inferred.format, inferred)
      }
      let parts: [(name: String, fields: [String])] = try fields.split(separator: ",").map { spec in
        let pair = spec.split(separator: "=", maxSplits: 1)
        guard pair.count == 2 else { throw ValidationError("--fields: '\(spec)' is not PART=FIELD.") }
        return (String(pair[0]), pair[1].split(separator: "+").map(String.init))
      }
      return (BenchmarkFormat(layout: BenchmarkFormat.Layout(path: path), parts: parts, idField: itemIDField, answer: answer), nil)
    }

    func run() throws {
      let terminal = Terminal.shared
      // The text pipeline's fold tables (tens of ms to build) are made on the other core while
      // the benchmarks are read, which is mostly one thread's work: read after that, the index
      // cache's two readers would share the two cores with them.
      Normalizer.prepare(textVersion)
      var items: [BenchmarkItem] = []
      var inputs: [Certificate.BenchmarkInput] = []
      var specs: [(name: String, path: String, format: BenchmarkFormat)] = []
      for spec in benchmarks {
        let pair = spec.split(separator: "=", maxSplits: 1).map(String.init)
        guard pair.count == 2 else { throw ValidationError("--benchmark takes NAME=PATH, got '\(spec)'.") }
        // Items are named benchmark/id: a second benchmark of one name gives its items the
        // names of the first's (two results for `gsm8k/1`), and a file named twice counts twice.
        if let earlier = specs.first(where: { $0.name == pair[0] }) {
          throw ValidationError(
            "--benchmark \(pair[0]) is given twice (\(earlier.path) and \(pair[1])): give each benchmark its own name, or a directory to read several files as one benchmark.")
        }
        specs.append((pair[0], pair[1], BenchmarkFormat(layout: .jsonl, parts: [])))
      }
      try checkPerBenchmarkOptions(specs.map(\.name))
      for k in specs.indices {
        let inferred: InferredFormat?
        do {
          (specs[k].format, inferred) = try format(for: specs[k].name, path: specs[k].path)
        } catch let error as ContamError {
          // A benchmark whose records cannot be read (--fields auto), as when loading it.
          terminal.line("contam: \(error)")
          throw ExitCode(ContamExit.failed)
        }
        if let inferred { terminal.line("contam: \(specs[k].name): fields read from its records: \(inferred.summary)") }
      }
      // A mapping that no benchmark reads would be ignored: say so rather than scan without it.
      if !fields.isEmpty || !itemIDFields.isEmpty || !answerFields.isEmpty, !specs.isEmpty,
        specs.allSatisfy({ BenchmarkFormat.presets[$0.name] != nil })
      {
        let option = !fields.isEmpty ? "--fields" : !itemIDFields.isEmpty ? "--item-id-field" : "--answer-field"
        throw ValidationError(
          "\(option) applies to benchmarks that are not presets, and every benchmark here is one (\(specs.map(\.name).joined(separator: ", "))): a preset reads its own fields. To read this file with your mapping, give the benchmark another name (e.g. --benchmark my-\(specs[0].name)=\(specs[0].path)).")
      }
      let cache = noIndexCache ? nil : IndexCacheLocation.cache(directory: indexCache)
      let started = Date()
      var loadedFromCache = false
      do {
        // The files of all benchmarks are read in parallel (MMLU alone is 57 files), or their
        // items read back from the cache when these very files were loaded before.
        let benchmarksLoaded: [BenchmarkLoader.Loaded]
        if let cache {
          (benchmarksLoaded, loadedFromCache) = try cache.loadBenchmarksReportingCache(specs, jobs: corpus.jobs)
        } else {
          benchmarksLoaded = try BenchmarkLoader.loadWithFiles(specs, jobs: corpus.jobs)
        }
        for (spec, loaded) in zip(specs, benchmarksLoaded) {
          items += loaded.items
          inputs.append(
            Certificate.BenchmarkInput(name: spec.name, path: spec.path, items: loaded.items.count, format: loaded.format, files: loaded.files))
        }
      } catch let error as ContamError {
        terminal.line("contam: \(error)")
        // A preset's name on a file of other fields: the mapping its records suggest, under a
        // name that is no preset's.
        if error.code == .invalidBenchmark, let path = error.path,
          let spec = specs.first(where: { BenchmarkFormat.presets[$0.name] != nil && (path == $0.path || path.hasPrefix($0.path + "/")) }),
          let inferred = try? InferredFormat.infer(name: spec.name, path: spec.path)
        {
          terminal.line(
            "contam: to read its own fields, name it otherwise: --benchmark my-\(spec.name)=\(spec.path) --fields my-\(spec.name):auto would read \(inferred.summary)")
        }
        throw ExitCode(ContamExit.failed)
      }
      var corpusIndex: CorpusIndex?
      if let index {
        do {
          corpusIndex = try CorpusIndex(directory: index)
        } catch {
          terminal.line("contam: \(error)")
          throw ExitCode(ContamExit.failed)
        }
      }
      let paths = corpusIndex == nil ? try CorpusOptions.resolve(shards) : []
      var configuration = ScanConfiguration()
      configuration.n = ngram
      configuration.normalization = textVersion.name
      configuration.minimumTokens = minTokens
      configuration.maximumItemsPerNGram = maxItemsPerNGram
      configuration.contaminatedThreshold = contaminated
      configuration.partialThreshold = partial
      configuration.evidencePerItem = evidence
      configuration.exact = !noExact
      configuration.acrossDocuments = !documentsApart
      configuration.reader = corpus.readerParameters
      var readerOptions = try corpus.readerOptions()
      if let corpusIndex {
        // The index says how its shards were read; other reader options would change what is read.
        let recorded = corpusIndex.manifest.reader
        guard corpus.readerParameters == CorpusOptions.defaultReaderParameters || corpus.readerParameters == recorded else {
          terminal.line("contam: the reader options differ from those the index was built with (\(recorded.summary)); give none with --index")
          throw ExitCode.validationFailure
        }
        configuration.reader = recorded
        readerOptions = try corpus.readerOptions(parameters: recorded)
      }
      let signingKey: SigningKey?
      do {
        signingKey = try sign.map { try Certificate.signingKey(fromBase64: String(contentsOfFile: $0, encoding: .utf8)) }
      } catch {
        let why = FileManager.default.fileExists(atPath: sign ?? "") ? "\(error)" : "no such file"
        terminal.line("contam: cannot read the signing key \(sign ?? ""): \(why)")
        throw ExitCode(ContamExit.failed)
      }
      if noNear {
        configuration.near = nil
      } else {
        var near = NearDuplicateConfiguration()
        near.k = shingle
        near.signatureSize = signatureSize
        near.voteFraction = vote
        near.containmentThreshold = nearContainment
        near.contaminatedContainment = nearContaminated
        near.minimumMatchedShingles = nearMinShingles
        near.alignment = nearAlignment
        near.answeredShingles = nearAnsweredShingles
        near.scheme = minhash
        near.mathTokens = noMathTokens ? nil : true
        configuration.near = near
      }
      for weaker in configuration.weakenings() {
        terminal.line("contam: note: weaker than the defaults: \(weaker); `contam verify` will say so")
      }
      let loaded = Date()
      let scanner: Contam.Scanner
      do {
        scanner = try Contam.Scanner(items: items, configuration: configuration, readerOptions: readerOptions, indexCache: cache)
      } catch let error as ContamError {
        terminal.line("contam: \(error)")
        throw ExitCode.validationFailure
      }
      let index = scanner.index
      let indexed = Date()
      let load = "loaded in \(Format.fixed(loaded.timeIntervalSince(started), 2)) s" + (loadedFromCache ? ", read from the cache" : "")
      var built = "\(Format.count(items.count)) items (\(load)), \(Format.count(index.keyCount)) distinct \(ngram)-grams (\(index.droppedNGrams.count) dropped as boilerplate)"
      if let near = scanner.nearIndex {
        built += ", \(Format.count(near.searchedItems)) items sampled for near duplicates (\(Format.count(near.droppedShingles)) boilerplate shingles)"
      }
      let shardCount = corpusIndex?.manifest.shards.count ?? paths.count
      terminal.line(
        "contam: \(built), indexed in \(Format.fixed(indexed.timeIntervalSince(loaded), 2)) s"
          + (scanner.indexesFromCache ? " (read from the index cache)" : "") + "; "
          + (corpusIndex == nil ? "scanning \(paths.count) shards" : "looking up the corpus index of \(shardCount) shards"))
      let limit = corpus.maxMessages
      let result: Certificate
      do {
        let reused = ResumeCounter()
        if let corpusIndex {
          result = try scanner.run(
            benchmarks: inputs, corpusIndex: corpusIndex, jobs: corpus.jobs, onProblem: { terminal.problem($0, limit: limit) },
            progress: { done, of in terminal.progress("scan: \(done)/\(of) shards with candidate documents") })
        } else {
        let chosen = try partition.map(Self.parsePartition)
        let share = chosen.map { Contam.Scanner.select(paths, partition: $0) } ?? paths
        let meter = ScanProgress(shards: share.count, totalBytes: share.reduce(0) { $0 + ScanProgress.fileSize($1) })
        result = try scanner.run(
          benchmarks: inputs, paths: paths, jobs: corpus.jobs, partition: chosen,
          workDirectory: workDir, onProblem: { terminal.problem($0, limit: limit) },
          progress: { done in meter.shardDone(done) },
          resumed: { _ in reused.add() },
          inputRead: { meter.read($0) })
        }
        if reused.count > 0 { terminal.line("contam: resumed \(reused.count) shards from \(workDir ?? "")") }
      } catch let error as ContamError where corpusIndex != nil {
        terminal.endProgress()
        terminal.line("contam: \(error)")
        throw ExitCode(error.code == .invalidArgument ? ExitCode.validationFailure.rawValue : ContamExit.failed)
      } catch let error as ContamError {
        terminal.endProgress()
        // Input lost under --strict stops the run with 3; anything else (a work directory that
        // cannot be made or written) is the run failing, whatever --strict says.
        guard corpus.strict, error.code.losesInput, error.code != .outputFailed else {
          terminal.line("contam: \(error)")
          throw ExitCode(ContamExit.failed)
        }
        terminal.line("contam: stopped (--strict): \(error)")
        throw ExitCode(ContamExit.skippedUnderStrict)
      }
      terminal.endProgress()
      let total = result.corpus
      if total.documents == 0 && !result.shards.isEmpty {
        terminal.line(
          "contam: no document was read from \(result.shards.count) shards (see the problems above): nothing was checked, so no certificate is written and nothing is called clean")
        throw ExitCode(ContamExit.failed)
      }
      if total.tokens == 0 && !result.shards.isEmpty {
        terminal.line(
          "contam: \(total.documents) documents were read from \(result.shards.count) shards but hold no word to match (check --text-field): nothing was checked, so no certificate is written and nothing is called clean")
        throw ExitCode(ContamExit.failed)
      }
      if total.documents >= 10 && total.tokens < configuration.n * total.documents && 4 * total.textBytes < total.decompressedBytes {
        // Titles, ids or URLs read as the text: every item would read clean, rightly for what
        // was read, and wrongly for the corpus. (Short documents that are most of the bytes,
        // such as the lines of a plain text file, are not this.)
        terminal.line(
          "contam: warning: the \(Format.count(total.documents)) documents read hold \(Format.fixed(Double(total.tokens) / Double(total.documents), 1)) tokens on average, fewer than an n-gram (\(configuration.n)): an item is found only in a document that holds its words. Is the documents' text in the field read (--text-field \(corpus.textField))?")
      }
      let scanSeconds = Date().timeIntervalSince(indexed)
      if let use = result.corpusIndex {
        terminal.line(
          "contam: read \(Format.count(use.candidateDocuments)) candidate documents in \(use.candidateShards) of \(shardCount) shards through the index in \(Format.fixed(scanSeconds, 2)) s (every document sharing \(use.guaranteedTokens)+ consecutive tokens with an item is among them)")
      } else {
      terminal.line(
        "contam: scanned \(Format.megabytes(total.decompressedBytes)) MB in \(Format.fixed(scanSeconds, 2)) s (\(Format.fixed(Double(total.decompressedBytes) / 1e6 / max(scanSeconds, 1e-6), 1)) MB/s decompressed, \(corpus.jobs) jobs)")
      }
      try CorpusOptions.refuseMostlySkipped(result.shards, maxSkippedFraction: maxSkippedFraction, output: "certificate")
      if let out {
        try Self.write(result, to: out, signingKey: signingKey)
      }
      var table = TextTable(["benchmark", "items", "contaminated", "perturbed", "partial", "clean", "too short", "near dup"])
      for s in result.summary {
        table.add([
          s.benchmark, Format.count(s.items), Format.count(s.contaminated), Format.count(s.perturbed), Format.count(s.partial),
          Format.count(s.clean), Format.count(s.tooShort), configuration.near == nil ? "-" : Format.count(s.nearDuplicates),
        ])
      }
      var text = table.render()
      let flagged = result.items.filter { $0.verdict < .clean || $0.nearDuplicate != nil }
      if !flagged.isEmpty {
        text += "\n\nflagged items (best evidence):\n"
        for item in flagged.prefix(20) {
          var line = "  \(item.benchmark)/\(item.id)  \(item.verdict.rawValue)  coverage \(Format.fixed(item.coverage, 2))"
          if let e = item.evidence.first { line += "  \(e.shard):\(e.line)" }
          if let near = item.nearDuplicate, let e = near.evidence.first {
            line += "  near dup \(Format.fixed(near.containment, 2)) \(e.shard):\(e.line)"
            if let answer = e.answer { line += " answer \(answer.agreement.rawValue)" }
          }
          text += line + "\n"
        }
        if flagged.count > 20 { text += "  … and \(flagged.count - 20) more (see --out)\n" }
      }
      text += "\n\(Format.count(total.documents)) documents, \(Format.count(total.tokens)) tokens, \(shardCount) shards"
      if let use = result.corpusIndex { text += " (through the corpus index, \(Format.count(use.candidateDocuments)) documents read)" }
      if !total.problems.isEmpty {
        text += "; skipped: " + total.problems.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
      }
      printOut(text)
      let lost = total.problems.filter { ContamError.Code(rawValue: $0.key)?.losesInput ?? true }
      // The process ends with the items, indexes and results still held: freeing their hundreds
      // of thousands of allocations one by one took 50-70 ms of every scan's wall time.
      func end(_ status: Int32) -> Never { withExtendedLifetime((items, scanner, result)) { Foundation.exit(status) } }
      if corpus.strict && !lost.isEmpty { end(ContamExit.skippedUnderStrict) }
      let failing = failOn.failingVerdicts
      // Flagged items the exit status does not count: said, so that status 0 is not read as clean.
      let passed = [(Verdict.perturbed, FailOn.perturbed), (.partial, .partial)].compactMap { verdict, level -> (String, FailOn)? in
        let count = result.items.count { $0.verdict == verdict }
        return count > 0 && !failing.contains(verdict) ? ("\(Format.count(count)) \(verdict.rawValue)", level) : nil
      }
      // The level that counts them all: the one of the last (weakest) verdict listed.
      if let counting = passed.last?.1, failOn != .never {
        Terminal.shared.line(
          "contam: \(passed.map(\.0).joined(separator: " and ")) items do not reach --fail-on \(failOn.rawValue), so they do not set the exit status; --fail-on \(counting.rawValue) counts them")
      }
      end(result.items.contains(where: { failing.contains($0.verdict) }) ? ContamExit.contaminated : 0)
    }
  }
}

/// Counts shards taken from the work directory (called from worker threads).
final class ResumeCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0
  var count: Int { lock.withLock { value } }
  func add() { lock.withLock { value += 1 } }
}

/// `--fail-on`: the verdicts that make `scan` exit with status 1.
enum FailOn: String, ExpressibleByArgument, CaseIterable {
  case contaminated, perturbed, partial, never

  var failingVerdicts: Set<Verdict> {
    switch self {
    case .contaminated: return [.contaminated]
    case .perturbed: return [.contaminated, .perturbed]
    case .partial: return [.contaminated, .perturbed, .partial]
    case .never: return []
    }
  }
}

extension MinHasher.Scheme: ExpressibleByArgument {}
