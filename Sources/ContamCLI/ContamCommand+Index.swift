import ArgumentParser
import Contam
import Foundation

extension ContamCommand {
  struct Index: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Build and manage a persistent corpus index, so new benchmarks are checked without reading the whole corpus.",
      discussion: """
        A corpus index keeps, for every document, the 8-token n-grams that winnowing selects \
        (the smallest key in every window of 13): every document that shares a run of at least \
        20 consecutive tokens with an item (counting the last tokens of the records before it, \
        as a scan reads records together) is found again by `contam scan --index DIR`, which \
        then reads only those documents and gives the verdicts and evidence a full scan gives \
        them. Build it once per corpus (at about scan speed; it takes roughly 13% of the \
        uncompressed text) when you will check the same corpus against several benchmarks.

        Examples:
          contam index build --out corpus.cidx corpora-samples/shards
          contam index add corpus.cidx new-shards/
          contam index build --partition 2/4 --out part2.cidx 'shards/*.zst'   (then merge the 4 parts)
          contam index merge --out corpus.cidx part1.cidx part2.cidx part3.cidx part4.cidx
          contam index stats --verify corpus.cidx
          contam scan --index corpus.cidx --benchmark gsm8k=test.jsonl --out result.json
        """,
      subcommands: [Build.self, Add.self, Merge.self, Stats.self])
  }
}

extension ContamCommand.Index {
  struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Index shards into a new corpus index directory.",
      discussion: """
        Reads every shard once (same readers and text pipeline as `contam scan`, --jobs \
        threads) and writes segment files and manifest.json into --out. The shard list, each \
        shard's size, modification time and SHA-256 are recorded, so a shard that changes later \
        is refused by `scan --index`. Exit status: 0 built; 3 a shard was mostly skipped (check \
        --text-field) or input was skipped under --strict; 4 nothing could be read or written.

        Example: contam index build --out corpus.cidx --text-field text 'shards/*.jsonl.zst'
        """)

    @Option(help: ArgumentHelp("The index directory to create (it must not hold an index yet).", valueName: "dir"))
    var out: String

    @Option(
      help: ArgumentHelp(
        "k-grams per winnowing window: every shared run of 8 + window − 1 tokens is found; a larger window makes the index smaller and the guarantee longer.",
        valueName: "n"))
    var window = 13

    @Option(
      name: .customLong("text-version"),
      help: ArgumentHelp("The text pipeline to tokenize with (as `contam scan --text-version`); scans through the index must use the same.", valueName: TextVersion.allCases.map { String($0.rawValue) }.joined(separator: "|")))
    var textVersion: TextVersion = .current

    @Option(
      help: ArgumentHelp(
        "Index share i of N of the sorted shard list (as `scan --partition`), for a cluster; join the parts with `contam index merge`.",
        valueName: "i/N"))
    var partition: String?

    @Option(
      name: .customLong("segment-mb"),
      help: ArgumentHelp("Input megabytes per segment file; the build holds one segment's entries in memory (about 30 bytes per 7 tokens).", valueName: "mb"))
    var segmentMB = 256

    @Option(
      name: .customLong("max-skipped-fraction"),
      help: ArgumentHelp("When more than this fraction of a shard's records is skipped, or (below 1) a shard's stream ends in a fault, no index is written (exit 3).", valueName: "fraction"))
    var maxSkippedFraction = 0.1

    @Argument(help: ArgumentHelp("Shard files, directories or quoted glob patterns.", valueName: "shard"))
    var shards: [String]

    @OptionGroup var corpus: CorpusOptions

    func validate() throws {
      guard (1...4096).contains(window) else { throw ValidationError("--window must be in 1...4096.") }
      guard segmentMB >= 1 else { throw ValidationError("--segment-mb must be at least 1.") }
      guard (0...1).contains(maxSkippedFraction) else { throw ValidationError("--max-skipped-fraction must be in 0...1.") }
      if let partition { _ = try ContamCommand.Scan.parsePartition(partition) }
    }

    func run() throws {
      let paths = try CorpusOptions.resolve(shards)
      var builder = CorpusIndexBuilder()
      builder.winnowing = Winnowing(k: 8, window: window)
      builder.textVersion = textVersion
      builder.reader = corpus.readerParameters
      builder.readerOptions = try corpus.readerOptions()
      builder.segmentBytes = segmentMB << 20
      builder.jobs = corpus.jobs
      let partition = try partition.map(ContamCommand.Scan.parsePartition)
      try IndexRun.perform(
        what: "index", count: partition.map { Scanner.select(paths, partition: $0).count } ?? paths.count, corpus: corpus,
        maxSkippedFraction: maxSkippedFraction
      ) { onProblem, progress, accept in
        try builder.build(paths: paths, into: out, partition: partition, onProblem: onProblem, progress: progress, accept: accept)
      }
    }
  }

  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Add shards to an existing corpus index (as new segments).",
      discussion: """
        Reads the new shards with the index's own reader options and text pipeline; a shard the \
        index already holds is refused. The manifest is replaced atomically at the end.

        Example: contam index add corpus.cidx 'crawl-2026-11/*.jsonl.zst'
        """)

    @Argument(help: ArgumentHelp("The index directory.", valueName: "dir"))
    var index: String

    @Argument(help: ArgumentHelp("Shard files, directories or quoted glob patterns to add.", valueName: "shard"))
    var shards: [String]

    @Option(name: .customLong("max-skipped-fraction"), help: ArgumentHelp("As for `index build`.", valueName: "fraction"))
    var maxSkippedFraction = 0.1

    @OptionGroup var corpus: CorpusOptions

    func run() throws {
      let paths = try CorpusOptions.resolve(shards)
      let manifest: CorpusIndexManifest
      do {
        manifest = try CorpusIndexManifest.read(directory: index).manifest
      } catch {
        Terminal.shared.line("contam: \(error)")
        throw ExitCode(ContamExit.failed)
      }
      guard corpus.readerParameters == CorpusOptions.defaultReaderParameters || corpus.readerParameters == manifest.reader else {
        Terminal.shared.line("contam: the index reads shards with \(manifest.reader.summary); give no other reader options")
        throw ExitCode.validationFailure
      }
      var builder = try CorpusIndexBuilder(continuing: manifest, readerOptions: try corpus.readerOptions(parameters: manifest.reader))
      builder.jobs = corpus.jobs
      try IndexRun.perform(what: "index add", count: paths.count, corpus: corpus, maxSkippedFraction: maxSkippedFraction) {
        onProblem, progress, accept in
        try builder.add(paths: paths, to: index, onProblem: onProblem, progress: progress, accept: accept)
      }
    }
  }

  struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Join corpus indexes (the parts of a partitioned build) into one.",
      discussion: """
        The parts must share their parameters and hold no shard twice; the parts of a \
        `--partition i/N` build must all be given, each once. Segment files are hard-linked \
        (copied across file systems).

        Example: contam index merge --out corpus.cidx part1.cidx part2.cidx part3.cidx part4.cidx
        """)

    @Option(help: ArgumentHelp("The merged index directory to create.", valueName: "dir"))
    var out: String

    @Argument(help: ArgumentHelp("The index directories to join.", valueName: "dir"))
    var parts: [String]

    func run() throws {
      do {
        let manifest = try CorpusIndexBuilder.merge(parts: parts, into: out)
        Terminal.shared.line(
          "contam: merged \(parts.count) indexes into \(out): \(manifest.shards.count) shards, \(manifest.segments.count) segments")
      } catch let error as ContamError {
        Terminal.shared.line("contam: \(error)")
        throw ExitCode(error.code == .invalidArgument ? ExitCode.validationFailure.rawValue : ContamExit.failed)
      }
    }
  }

  struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Describe a corpus index: size, tokens, shards, parameters, build time; check it.",
      discussion: """
        Opens the index (every segment's header and tables are checked) and prints its figures. \
        Shards that changed since they were indexed are listed (exit 4). With --verify, the \
        SHA-256 of every segment and every shard is recomputed and compared (exit 4 on a mismatch).

        Examples:
          contam index stats corpus.cidx
          contam index stats --verify --json corpus.cidx
        """)

    @Argument(help: ArgumentHelp("The index directory.", valueName: "dir"))
    var index: String

    @Flag(help: "Recompute the SHA-256 of every segment and shard (reads them all).")
    var verify = false

    @Flag(help: "Print the figures as JSON on stdout.")
    var json = false

    @Option(name: .shortAndLong, help: ArgumentHelp("Files hashed in parallel with --verify.", valueName: "n"))
    var jobs = ProcessInfoCores.count

    func run() throws {
      let terminal = Terminal.shared
      let corpusIndex: CorpusIndex
      do {
        corpusIndex = try CorpusIndex(directory: index)
      } catch {
        terminal.line("contam: \(error)")
        throw ExitCode(ContamExit.failed)
      }
      let m = corpusIndex.manifest
      let shards = m.shards
      let indexBytes = m.segments.reduce(0) { $0 + $1.bytes }
      let textBytes = shards.reduce(0) { $0 + $1.figures.decompressedBytes }
      let tokens = shards.reduce(0) { $0 + $1.figures.tokens }
      let changed = corpusIndex.changedShards()
      let problems = verify ? corpusIndex.verifyDigests(jobs: jobs) : []
      if json {
        struct Figures: Encodable {
          var digest: String
          var format: String
          var normalization: String
          var winnowing: Winnowing
          var guaranteedTokens: Int
          var fingerprintBits: Int
          var segments: Int
          var shards: Int
          var documents: Int
          var tokens: Int
          var textBytes: Int
          var indexBytes: Int
          var entries: Int
          var buildSeconds: Double
          var changedShards: [String]
          var digestProblems: [String]?
          var acrossDocuments: Bool
        }
        let figures = Figures(
          digest: corpusIndex.digest, format: m.format, normalization: m.normalization, winnowing: m.winnowing,
          guaranteedTokens: m.winnowing.guaranteedTokens, fingerprintBits: m.fingerprintBits, segments: m.segments.count,
          shards: shards.count, documents: shards.reduce(0) { $0 + $1.figures.documents }, tokens: tokens,
          textBytes: textBytes, indexBytes: indexBytes, entries: m.segments.reduce(0) { $0 + $1.entries },
          buildSeconds: m.buildSeconds, changedShards: changed.map { "\($0.path): \($0.change)" },
          digestProblems: verify ? problems : nil, acrossDocuments: m.acrossDocuments == true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        printOut(String(decoding: try encoder.encode(figures), as: UTF8.self))
      } else {
        var table = TextTable(["", ""])
        table.leftAligned = [0, 1]
        table.add(["index", index])
        table.add(["digest", corpusIndex.digest])
        table.add(["format", "\(m.format), \(m.normalization)"])
        table.add([
          "winnowing", "k \(m.winnowing.k), window \(m.winnowing.window): shared runs of \(m.winnowing.guaranteedTokens)+ tokens always found",
        ])
        table.add([
          "records",
          m.acrossDocuments == true
            ? "winnowed with the last \(m.winnowing.guaranteedTokens - 1) tokens of the records before: a run across records is found"
            : "each winnowed alone (built before session 18): a run across records is not indexed",
        ])
        table.add(["shards", "\(Format.count(shards.count)) in \(m.segments.count) segments"])
        table.add(["documents", Format.count(shards.reduce(0) { $0 + $1.figures.documents })])
        table.add(["tokens", Format.count(tokens)])
        table.add(["text", "\(Format.megabytes(textBytes)) MB decompressed"])
        table.add([
          "index size",
          "\(Format.megabytes(indexBytes)) MB (\(Format.fixed(100 * Double(indexBytes) / Double(max(1, textBytes)), 1))% of the text), \(Format.count(m.segments.reduce(0) { $0 + $1.entries })) entries",
        ])
        table.add(["build time", "\(Format.fixed(m.buildSeconds, 1)) s"])
        if let partition = m.partition { table.add(["partition", "\(partition.index)/\(partition.count) (merge the parts)"]) }
        if verify { table.add(["digests", problems.isEmpty ? "all segments and shards match" : "\(problems.count) mismatches"]) }
        table.add(["changed shards", changed.isEmpty ? "none" : "\(changed.count)"])
        printOut(table.render())
      }
      for c in changed.prefix(20) { terminal.line("contam: \(c.path): \(c.change); the index cannot vouch for it") }
      for p in problems.prefix(20) { terminal.line("contam: \(p)") }
      if !changed.isEmpty || !problems.isEmpty { throw ExitCode(ContamExit.failed) }
    }
  }
}

/// The part `build` and `add` share: progress, problems, the skipped-input checks.
enum IndexRun {
  static func perform(
    what: String, count: Int, corpus: CorpusOptions, maxSkippedFraction: Double,
    _ body: (
      @escaping @Sendable (ContamError) -> Void, @escaping @Sendable (Int) -> Void,
      ([CorpusStatistics.ShardFigures]) throws -> Void
    ) throws -> CorpusIndexManifest
  ) throws {
    let terminal = Terminal.shared
    let limit = corpus.maxMessages
    let started = Date()
    let manifest: CorpusIndexManifest
    do {
      manifest = try body(
        { terminal.problem($0, limit: limit) },
        { done in
          let seconds = Date().timeIntervalSince(started)
          let left = done > 0 ? seconds / Double(done) * Double(count - done) : 0
          terminal.progress("\(what): \(done)/\(count) shards, \(Format.fixed(seconds, 1)) s, about \(Format.fixed(left, 0)) s left")
        },
        { shards in
          terminal.endProgress()
          if shards.reduce(0, { $0 + $1.documents }) == 0 || shards.reduce(0, { $0 + $1.tokens }) == 0 {
            terminal.line("contam: no document with text was read (see the problems above); no index is written: it could vouch for nothing")
            throw ExitCode(ContamExit.failed)
          }
          try CorpusOptions.refuseMostlySkipped(shards, maxSkippedFraction: maxSkippedFraction, output: "index")
        })
    } catch let error as ContamError {
      terminal.endProgress()
      terminal.line("contam: \(error)")
      let code: Int32 =
        error.code == .invalidArgument ? ExitCode.validationFailure.rawValue
        : corpus.strict && error.code.losesInput && error.code != .outputFailed && error.code != .invalidIndex
          ? ContamExit.skippedUnderStrict : ContamExit.failed
      throw ExitCode(code)
    }
    terminal.endProgress()
    let shards = manifest.shards.map(\.figures)
    let seconds = Date().timeIntervalSince(started)
    let text = shards.reduce(0) { $0 + $1.decompressedBytes }
    let documents = shards.reduce(0) { $0 + $1.documents }
    let bytes = manifest.segments.reduce(0) { $0 + $1.bytes }
    printOut(
      "\(what): \(Format.count(shards.count)) shards, \(Format.count(documents)) documents, \(Format.megabytes(text)) MB of text in \(Format.fixed(seconds, 2)) s (\(Format.fixed(Double(text) / 1e6 / max(seconds, 1e-6), 1)) MB/s); index \(Format.megabytes(bytes)) MB in \(manifest.segments.count) segments (\(Format.fixed(100 * Double(bytes) / Double(max(1, text)), 1))% of the text)"
    )
  }
}
