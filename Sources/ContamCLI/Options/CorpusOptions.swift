import ArgumentParser
import Contam

/// Where the corpus is and how to read it: shared by `stats` and `scan`.
struct CorpusOptions: ParsableArguments {
  @Option(
    name: .customLong("text-field"),
    help: ArgumentHelp(
      "The JSON field holding the document text; a dotted path reaches into nested objects. Several, comma-separated, are tried in order for corpora that mix schemas: the first field a record has is read, and the certificate counts per shard which field was used. A field that is an array (chat records) is read through `[]`: 'messages[].content' reads the content of each turn, 'messages[]' every string in the array; its strings are joined by line breaks. '*' reads every string value of the record (instruction/input/output records, a schema you do not know).",
      discussion: "Examples: --text-field meta.raw_content, --text-field text,content,raw_content, --text-field 'messages[].content' (OpenAI chat records), --text-field 'conversations[].value' (ShareGPT), --text-field '*' (Alpaca: instruction, input, output)", valueName: "path[,path...]"))
  var textField = "text"

  @Option(
    name: .customLong("id-field"),
    help: ArgumentHelp(
      "The JSON field holding a document id (string or number), reported with evidence.",
      discussion: "Example: --id-field id", valueName: "path"))
  var idField: String?

  @Option(
    help: ArgumentHelp(
      "How shards are cut into documents: auto (per shard: jsonl if the name ends in .jsonl/.ndjson/.json, before .gz/.zst, or the first line starts with '{'; else text), jsonl (one JSON object per line), text (plain text in pieces of up to about 1 MiB cut at blank lines, line breaks kept, so a copy is found whatever its line breaks: text wrapped at 70 columns, a question a blank line above its options; evidence names the line of the match), lines (plain text, one document per line: an n-gram never spans two lines, so verify names it as weaker than text), file (plain text, one document per file) or wet (WARC files: one document per record with text, its target URI as id: a Common Crawl WET file's conversion records, a crawl archive's response records (the HTTP body, its chunked, gzip, deflate or zstd coding undone) and resource records; auto picks it for names ending in .wet or .warc and for any file that starts with WARC/). Parquet files are recognised by their PAR1 magic whatever the format.",
      valueName: "format"))
  var format: ReaderParameters.Format = .auto

  @Option(
    name: .customLong("max-line-bytes"),
    parsing: .unconditional, help: ArgumentHelp(
      "Lines (and whole-file documents) longer than this many bytes are reported and skipped without being loaded.",
      valueName: "bytes"))
  var maxLineBytes = ShardReaderOptions.defaultMaxLineBytes

  @Option(
    name: .customLong("zstd-window-log-max"),
    parsing: .unconditional, help: ArgumentHelp(
      "Allow zstd frames with windows up to 2^N bytes (10...31; default 27, 128 MiB). Shards written with `zstd --long=31` need 31; each job then may use that much memory.",
      valueName: "N"))
  var zstdWindowLogMax: Int?

  @Option(help: ArgumentHelp("The gzip decoder: isal (ISA-L igzip, about 2.4× faster) or zlib.", valueName: "decoder"))
  var inflate: ShardReaderOptions.Inflater = .isal

  // `.unconditional`: `--jobs -1` is a value to refuse with a message, not a missing value.
  @Option(
    name: .shortAndLong, parsing: .unconditional,
    help: ArgumentHelp(
      "Threads (default: the machine's cores). With fewer shards than threads, `scan` and `index build` read each shard on one more thread while its share of them matches it, so one big shard uses every core (`scan` does the same for its last shards). Results are the same for any value.",
      valueName: "n"))
  var jobs = ProcessInfoCores.count

  @Flag(
    help: "Stop at the first input problem that loses data (corrupt shard, bad line) and exit with status 3; by default problems are reported, counted and skipped.")
  var strict = false

  @Option(
    name: .customLong("max-messages"),
    parsing: .unconditional, help: ArgumentHelp("Problem messages printed per shard and kind before they are only counted.", valueName: "n"))
  var maxMessages = 5

  func validate() throws {
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1.") }
    guard maxLineBytes >= 1024 else { throw ValidationError("--max-line-bytes must be at least 1024.") }
    guard maxMessages >= 0 else { throw ValidationError("--max-messages must be at least 0.") }
    if let zstdWindowLogMax, !(10...31).contains(zstdWindowLogMax) {
      throw ValidationError("--zstd-window-log-max must be in 10...31.")
    }
    do {
      for field in textField.split(separator: ",", omittingEmptySubsequences: false) {
        _ = try FieldPath(String(field).trimmingCharacters(in: .whitespaces))
      }
      if let idField { _ = try FieldPath(idField) }
    } catch {
      throw ValidationError(error.message)
    }
  }

  /// The reader parameters these options describe (recorded in certificates).
  var readerParameters: ReaderParameters {
    var parameters = ReaderParameters()
    parameters.format = format
    parameters.textField = textField
    parameters.idField = idField
    parameters.maxLineBytes = maxLineBytes
    parameters.zstdWindowLogMax = zstdWindowLogMax
    return parameters
  }

  /// What the options are when none is given.
  static var defaultReaderParameters: ReaderParameters {
    var parameters = ReaderParameters()
    parameters.maxLineBytes = ShardReaderOptions.defaultMaxLineBytes
    return parameters
  }

  func readerOptions() throws -> ShardReaderOptions { try readerOptions(parameters: readerParameters) }

  /// Reader options for `parameters` (an index's) with these options' policy, decoder and message limit.
  func readerOptions(parameters: ReaderParameters) throws -> ShardReaderOptions {
    var options = try parameters.options(policy: strict ? .stop : .skip, inflater: inflate)
    // One more than is printed, so the terminal knows messages were held back.
    options.problemCallbackLimit = maxMessages == Int.max ? maxMessages : maxMessages + 1
    return options
  }
}

extension CorpusOptions {
  /// The shard list for `arguments`; a mistake (a path that does not exist, a pattern that
  /// matches nothing, an empty directory) ends the run with status 4 and a message, so a
  /// typo can never give a clean result. Hidden and duplicate entries are reported.
  static func resolve(_ arguments: [String]) throws -> [String] {
    let terminal = Terminal.shared
    let resolution: ShardList.Resolution
    do {
      resolution = try ShardList.resolve(arguments)
    } catch {
      terminal.line("contam: \(error)")
      throw ExitCode(ContamExit.failed)
    }
    if !resolution.hidden.isEmpty {
      terminal.line(
        "contam: not reading \(resolution.hidden.count) hidden entries (\(resolution.hidden.prefix(3).joined(separator: ", "))\(resolution.hidden.count > 3 ? ", ..." : "")); name a hidden file to read it")
    }
    if !resolution.media.isEmpty {
      terminal.line(
        "contam: not reading \(resolution.media.count) media files (images, PDF, fonts, model weights: \(resolution.media.prefix(3).joined(separator: ", "))\(resolution.media.count > 3 ? ", ..." : "")); name a file to read it")
    }
    if !resolution.duplicates.isEmpty {
      terminal.line(
        "contam: reading once what \(resolution.duplicates.count) arguments name twice (\(resolution.duplicates.prefix(3).joined(separator: ", ")))")
    }
    return resolution.paths
  }
}

extension CorpusOptions {
  /// Ends the run with status 3 when more than `maxSkippedFraction` of a shard's records were
  /// skipped (a wrong --text-field or --format): what was not read must not pass as clean.
  static func refuseMostlySkipped(
    _ shards: [CorpusStatistics.ShardFigures], maxSkippedFraction: Double, output: String
  ) throws {
    let terminal = Terminal.shared
    let mostlySkipped = shards.compactMap { shard -> (String, Double)? in
      shard.skippedFraction > maxSkippedFraction ? (shard.path, shard.skippedFraction) : nil
    }
    // More records with an empty text field than with text: read through the wrong field
    // (unless --max-skipped-fraction allows more than that).
    let mostlyEmpty = shards.filter { shard in
      let empty = shard.problems[ContamError.Code.emptyText.rawValue, default: 0]
      return Double(empty) > max(0.5, maxSkippedFraction) * Double(empty + shard.documents)
    }
    for shard in mostlyEmpty.prefix(10) {
      terminal.line(
        "contam: \(shard.path): \(shard.problems[ContamError.Code.emptyText.rawValue, default: 0]) records have an empty text field and \(shard.documents) have text: check --text-field")
    }
    if !mostlyEmpty.isEmpty && mostlySkipped.isEmpty {
      terminal.line(
        "contam: \(mostlyEmpty.count) shards are mostly records with an empty text field. No \(output) is written: what was not read cannot be called clean")
      throw ExitCode(ContamExit.skippedUnderStrict)
    }
    // A shard not read whole (a download cut short, a damaged block, a file changed while read):
    // refused unless every loss is accepted (--max-skipped-fraction 1).
    let partlyRead = shards.filter { $0.notReadWhole != nil }
    if !partlyRead.isEmpty && maxSkippedFraction < 1 && mostlySkipped.isEmpty {
      for shard in partlyRead.prefix(10) {
        terminal.line(
          "contam: \(shard.path): \(shard.notReadWhole!) (\(shard.documents) documents were read; see the problems above); fetch it again, or pass --max-skipped-fraction 1 to accept what was read")
      }
      terminal.line(
        "contam: \(partlyRead.count) shards were not read to their end. No \(output) is written: what was not read cannot be called clean")
      throw ExitCode(ContamExit.skippedUnderStrict)
    }
    guard !mostlySkipped.isEmpty else { return }
    for (path, fraction) in mostlySkipped.prefix(10) {
      terminal.line("contam: \(path): \(Format.fixed(100 * fraction, 1))% of its records were skipped (see the problems above)")
    }
    terminal.line(
      "contam: \(mostlySkipped.count) shards were mostly skipped (more than --max-skipped-fraction \(maxSkippedFraction)); check --text-field and --format. No \(output) is written: what was not read cannot be called clean")
    throw ExitCode(ContamExit.skippedUnderStrict)
  }
}

enum ProcessInfoCores {
  static var count: Int {
    #if canImport(Glibc)
      return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #else
      return 2
    #endif
  }
}

#if canImport(Glibc)
  import Glibc
#endif

extension ShardReaderOptions.Inflater: ExpressibleByArgument {}
extension ReaderParameters.Format: ExpressibleByArgument {}
