import Foundation
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Options for reading shards.
public struct ShardReaderOptions: Sendable, Hashable {
  /// How lines become documents.
  public var format: RecordFormat
  /// Lines (and whole-file documents) longer than this are reported and skipped, never loaded
  /// whole: the reader's memory stays below about this plus 1 MiB.
  public var maxLineBytes: Int
  /// Skip and count bad input, or stop at the first problem that loses input.
  public var policy: ErrorPolicy
  /// The gzip decoder.
  public var inflater: Inflater
  /// Fields tried, in order, when a JSONL record has no `textField` (corpora mix schemas:
  /// `text`, The Stack's `content`, `raw_content`). Which field each document's text came from
  /// is counted in ``ShardReadCounts/textFields``.
  public var fallbackTextFields: [FieldPath] = []
  /// The largest zstd window (log2 bytes) a frame may ask for: 27 (128 MiB) by default, up to
  /// 31 for shards written with `zstd --long=31`; decoding needs that much memory per job.
  public var zstdWindowLogMax = 27
  /// Problems of one kind in one shard past this many are counted but not handed to
  /// `onProblem` (nor built as messages), so a shard of a billion blank or broken lines costs
  /// a count each, not a message each. Counts are always complete.
  public var problemCallbackLimit = Int.max
  /// What ``RecordFormat/auto(textField:idField:)`` makes of plain text: pieces
  /// (``RecordFormat/text``, on, the default) or a document per line (off: what certificates
  /// made before session 17 recorded as `auto`, so `verify` reads their shards as they were read).
  public var autoTextPieces = true
  /// A piece of plain text is cut at the end of the line that takes it past this (or past
  /// ``maxLineBytes``): a file of long lines and no blank line is read in pieces of about this size.
  public static let textPieceBytes = 1 << 20
  /// A piece of plain text that holds this much is cut at the next blank line.
  public static let textPieceBlankCut = 1 << 19

  /// The gzip decoders: both read every member and report the same faults.
  public enum Inflater: String, Sendable, Hashable, Codable, CaseIterable {
    /// ISA-L igzip (default; about 2.4× zlib's speed).
    case isal
    /// The system zlib.
    case zlib
  }

  public static let defaultMaxLineBytes = 64 << 20

  public init(
    format: RecordFormat = .defaultJSONL, maxLineBytes: Int = defaultMaxLineBytes, policy: ErrorPolicy = .skip,
    inflater: Inflater = .isal
  ) {
    self.inflater = inflater
    self.format = format
    self.maxLineBytes = max(1024, min(maxLineBytes, Int(UInt32.max) - 1))
    self.policy = policy
  }
}

/// What reading one shard found, besides its documents.
public struct ShardReadCounts: Hashable, Sendable, Codable {
  public var codec: Codec = .none
  /// Bytes of the file.
  public var compressedBytes = 0
  /// SHA-256 of the whole file (lowercase hex), computed while reading; nil when unreadable.
  public var sha256: String?
  /// Bytes after decompression.
  public var decompressedBytes = 0
  /// Lines seen (a final line without newline counts).
  public var lines = 0
  /// Documents handed on.
  public var documents = 0
  /// Problems by kind (lines skipped, stream faults).
  public var problems: [ContamError.Code: Int] = [:]
  /// Documents per text field they were read from, when fallback fields are configured.
  public var textFields: [String: Int] = [:]
  /// The stream ended in a fault (`truncated_data`, `corrupt_data`): what the shard held after
  /// it was not read, and how much that was cannot be known.
  public var cutShort = false

  public init() {}

  /// Adds another shard's counts (codec is left as is).
  public mutating func add(_ other: ShardReadCounts) {
    compressedBytes += other.compressedBytes
    decompressedBytes += other.decompressedBytes
    lines += other.lines
    documents += other.documents
    for (code, count) in other.problems { problems[code, default: 0] += count }
    cutShort = cutShort || other.cutShort
  }
}

/// Streams the documents of shards: opens the file, picks the codec from its magic bytes,
/// decompresses (gzip members / zstd frames, all of them), cuts lines, decodes records.
///
/// Memory is one line buffer (grown up to ``ShardReaderOptions/maxLineBytes``) and one buffer
/// for decoded JSON strings, reused from shard to shard: one reader per worker thread.
///
/// ```swift
/// let reader = ShardReader(options: ShardReaderOptions(format: .defaultJSONL))
/// let counts = try reader.read(path: "shard.jsonl.gz") { document in
///   print(document.line, document.text.count)
/// } onProblem: { print($0) }
/// ```
public final class ShardReader {
  public let options: ShardReaderOptions
  private var buffer: UnsafeMutableRawPointer
  private var capacity: Int
  private var idScratch: [UInt8] = []
  private var textExtractor: JSONFieldExtractor?
  /// The text of an array field (`--text-field 'messages[]'`), joined; reused across records
  /// (its memory given back after a long one, ``giveBackJoined()``).
  private var joined: [UInt8] = []
  private var idExtractor: JSONFieldExtractor?
  private var fallbackExtractors: [JSONFieldExtractor] = []
  /// The counts of the shard being read.
  private var counts = ShardReadCounts()
  /// When set, JSONL lines not in it are counted as documents but not parsed (a scan through a
  /// corpus index reads only its candidate documents); the caller skips the other formats'.
  package var onlyLines: Set<Int>?
  /// Called with the number of file bytes read since the last call, as reading goes on and
  /// once more when a shard is done, so the calls add up to every shard's size (for progress;
  /// called on the reading thread).
  package var onInputRead: (@Sendable (_ bytes: Int) -> Void)?
  /// File bytes of the current shard handed to `onInputRead` so far.
  private var inputReported = 0
  /// The format of the shard being read (``RecordFormat/auto(textField:idField:)`` resolved).
  private var format = RecordFormat.lines {
    didSet {
      if case .jsonl = format { formatIsJSONL = true } else { formatIsJSONL = false }
    }
  }
  /// `format` is JSONL (kept apart so the per-line fast path never touches the enum's payload).
  private var formatIsJSONL = false
  /// Documents of this shard read with an id (``RecordFormat/jsonl(textField:idField:)``).
  private var documentsWithID = 0
  /// The text the first records of a JSONL shard hold at the field read and at every other path
  /// (``JSONRecordFields/textPaths(_:)``), for `unread_field`.
  private var fieldSample = _FieldSample()
  /// The piece of plain text being gathered (``RecordFormat/text``): the file's bytes from its
  /// first line, whose number and offset follow.
  private var textPiece: UnsafeMutableRawPointer
  private var pieceCount = 0
  private var pieceCapacity = 1 << 16
  private var pieceLine = 0
  private var pieceOffset = 0

  /// Bytes asked of the decompressor per call.
  static let chunk = 1 << 20
  /// The line buffer's size: it grows to hold a longer line (up to `maxLineBytes`) and goes back
  /// to this size once the long line is read, so a shard's longest record (a whole book on one
  /// JSON line) is resident while it is read, not for the rest of the run.
  static let lineBufferBytes = 2 << 20

  public init(options: ShardReaderOptions = ShardReaderOptions()) {
    self.options = options
    capacity = Self.lineBufferBytes
    buffer = .allocate(byteCount: capacity, alignment: 64)
    textPiece = .allocate(byteCount: pieceCapacity, alignment: 16)
    switch options.format {
    case .jsonl(let text, let id), .auto(let text, let id):
      textExtractor = JSONFieldExtractor(path: text)
      idExtractor = id.map { JSONFieldExtractor(path: $0) }
      fallbackExtractors = options.fallbackTextFields.map { JSONFieldExtractor(path: $0) }
    case .lines, .text, .wholeFile, .wet:
      break
    }
  }

  deinit {
    buffer.deallocate()
    textPiece.deallocate()
  }

  /// Reads one shard.
  /// - Parameters:
  ///   - path: the file.
  ///   - onDocument: called for each document, in order.
  ///   - onProblem: called for each problem, in order (it is also counted).
  /// - Returns: the shard's counts.
  /// - Throws: under ``ErrorPolicy/stop``, the first problem that loses input; errors thrown
  ///   by `onDocument` are passed on.
  public func read(
    path: String, _ onDocument: (Document) throws -> Void, onProblem: (ContamError) -> Void
  ) throws -> ShardReadCounts {
    counts = ShardReadCounts()
    pieceCount = 0
    inputReported = 0
    documentsWithID = 0
    fieldSample = _FieldSample()
    format = options.format
    if case .auto(let textField, let idField) = format, Self.namedAsJSON(path) {
      // The name says JSON: a corrupt first line must not turn the shard into plain text.
      format = .jsonl(textField: textField, idField: idField)
    }
    func report(_ error: ContamError) throws {
      counts.problems[error.code, default: 0] += 1
      if counts.problems[error.code, default: 0] <= options.problemCallbackLimit { onProblem(error) }
      if options.policy == .stop && error.code.losesInput { throw error }
    }
    // Every format's documents pass here: one whose text is base64 of text is named, counted as
    // not read, and not handed on (it would match nothing and read clean).
    var encoded = 0
    let onDocument = { (document: Document) throws in
      if let reason = _TextProbe.base64Reason(document.text) {
        encoded += 1
        try report(ContamError(.encodedText, path: path, line: document.line, "\(reason); this record is not read"))
        return
      }
      try onDocument(document)
    }
    let file: FileSource
    do {
      file = try FileSource(path: path)
    } catch {
      try report(error)
      return counts
    }
    var source: ByteSource
    do {
      let head = try file.peek(Codec.formatPrefix)
      if head.isEmpty {
        try report(ContamError(.emptyFile, path: path, "file is empty"))
        counts.sha256 = try? file.finish().sha256
        return counts
      }
      if let (name, remedy) = Codec.unsupportedFormat(head) {
        // Read as text it would be bytes that match nothing, and read clean.
        try report(ContamError(.unsupported, path: path, "\(name) data: Contam reads gzip, zstd, Parquet, Arrow and plain text; \(remedy)"))
        return counts
      }
      counts.codec = Codec.detect(head)
      switch counts.codec {
      case .gzip: source = try GzipDecompressor(source: file, inflater: options.inflater)
      case .zstd: source = try ZstdDecompressor(source: file, windowLogMax: options.zstdWindowLogMax)
      case .none: source = file
      case .parquet, .arrow:
        // By column, not as a byte stream; the file is still hashed whole below.
        try readColumnar(counts.codec, path: path, report: report, onDocument: onDocument)
        source = file
      }
    } catch let error as ContamError {
      try report(error)
      return counts
    }
    if case .auto = format, Self.namedAsWET(path) { format = .wet }
    if case .auto = format, !counts.codec.isColumnar {
      // A WARC file is known by its first bytes too (`WARC/1.1`), whatever its name (a WAT
      // file, an archive named `.gz`): read as text lines, its records' bodies would be cut at
      // their line breaks and their binary payloads read as text.
      let peeked = _PeekedSource(source, count: 5)
      if peeked.head == Array("WARC/".utf8) { format = .wet }
      source = peeked
    }
    // One JSON array of records is read as JSON Lines, a record a line (`_JSONArrayLines`).
    let reading: ByteSource = {
      switch format {
      case .jsonl, .auto: return counts.codec.isColumnar ? source : _JSONArrayLines(source)
      default: return source
      }
    }()
    var result: ShardReadCounts
    if counts.codec.isColumnar {
      result = counts
    } else if format == .wet {
      let figures = try _WARCRecords.read(
        path: path, source: source, maxBytes: options.maxLineBytes, report: report, onDocument: onDocument)
      counts.lines = figures.records
      counts.documents = figures.documents
      counts.decompressedBytes = figures.decompressedBytes
      counts.cutShort = figures.cutShort
      result = counts
    } else {
      result = try readLines(path: path, source: reading, report: report, onDocument: onDocument)
    }
    do {
      let whole = try file.finish()
      result.sha256 = whole.sha256
      result.compressedBytes = whole.bytes
    } catch {
      try report(error)
      result.compressedBytes = file.compressedBytesRead
    }
    if let change = file.changedSinceOpened() {
      try report(ContamError(.shardChanged, path: path, "the shard changed while it was read (\(change)); its results and digest are not reliable"))
    }
    // Problems reported after the lines were read (a failed final read, a changed shard) too.
    result.problems = counts.problems
    result.documents -= encoded
    reportInput(upTo: result.compressedBytes)
    return result
  }

  /// Hands the file bytes read past those already reported to ``onInputRead``.
  @inline(__always)
  private func reportInput(upTo bytes: Int) {
    guard let onInputRead, bytes > inputReported else { return }
    onInputRead(bytes - inputReported)
    inputReported = bytes
  }

  /// A columnar shard (Parquet, Arrow): the text column (the first of the format's text field
  /// and the fallbacks that the file has), the id column if asked for, by `codec`'s reader.
  private func readColumnar(
    _ codec: Codec, path: String, report: (ContamError) throws -> Void, onDocument: (Document) throws -> Void
  ) throws {
    let (text, id) = columnFields
    // A binary column of compressed or encoded text (bytes that are not text): a row whose
    // text holds a NUL and is mostly not UTF-8 is named and not read, as a binary line is.
    var binaryRows = 0
    let read = codec == .arrow ? _ArrowDocuments.read : _ParquetDocuments.read
    let figures = try read(path, [text] + options.fallbackTextFields, id, report) { document in
      if let reason = _TextProbe.binaryRecordReason(document.text) {
        binaryRows += 1
        try report(
          ContamError(
            .unsupported, path: path, line: document.line,
            "\(reason): the text column holds binary data (compressed or encoded text?); this row is not read"))
        return
      }
      try onDocument(document)
    }
    counts.lines = figures.lines
    counts.documents = figures.documents - binaryRows
    counts.decompressedBytes = figures.decompressedBytes
    counts.textFields = figures.textFields
    counts.cutShort = counts.cutShort || figures.cutShort
    for (code, count) in figures.uncountedProblems { counts.problems[code, default: 0] += count }
  }

  /// The text and id fields a columnar file (Parquet, Arrow) is read by.
  private var columnFields: (text: FieldPath, id: FieldPath?) {
    switch options.format {
    case .jsonl(let t, let i), .auto(let t, let i): return (t, i)
    case .lines, .text, .wholeFile, .wet: return (.text, nil)
    }
  }

  private func readLines(
    path: String, source: ByteSource, report: (ContamError) throws -> Void, onDocument: (Document) throws -> Void
  ) throws -> ShardReadCounts {

    var have = 0  // bytes in buffer
    var streamOffset = 0  // stream offset of buffer[0]
    var lineNumber = 0
    var skipping = false  // inside an over-long line
    var skippedLineStart = 0
    var ended = false
    var faulted = false
    var blankLines = 0  // blank JSONL lines counted by the fast path
    let wholeFile = format == .wholeFile

    while !ended {
      if have == capacity {
        if capacity < options.maxLineBytes + 1 {
          grow(to: min(capacity * 2, options.maxLineBytes + 1), keeping: have)
        } else {
          // The line (or whole file) is longer than allowed: drop what we have and skip to
          // the next newline.
          if !skipping {
            skipping = true
            skippedLineStart = streamOffset
          }
          streamOffset += have
          have = 0
        }
      }
      let want = min(Self.chunk, capacity - have)
      var got = 0
      do {
        got = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + have, count: want))
      } catch {
        // A stream fault ends the shard; trailing garbage leaves what came before intact.
        ended = true
        faulted = error.code != .trailingGarbage
        counts.cutShort = counts.cutShort || faulted
        try report(error)
      }
      if got == 0 { ended = true }
      counts.decompressedBytes += got
      if onInputRead != nil { reportInput(upTo: source.compressedBytesRead) }
      if streamOffset == 0 && have == 0 && got > 0 {
        // The stream's first bytes must be text: other bytes would match nothing and read clean.
        var first = got
        while first < min(capacity, _TextProbe.window) && !ended {
          // A short first read (a pipe) is topped up, so the probe sees enough bytes.
          var more = 0
          do {
            more = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + first, count: min(capacity, _TextProbe.window) - first))
          } catch {
            ended = true
            faulted = error.code != .trailingGarbage
            counts.cutShort = counts.cutShort || faulted
            try report(error)
          }
          if more == 0 { ended = true }
          first += more
          counts.decompressedBytes += more
        }
        got = first
        if counts.codec != .none,
          let reason = Codec.formatInside(Array(UnsafeRawBufferPointer(start: buffer, count: min(got, Codec.formatPrefix))), outer: counts.codec)
        {
          try report(ContamError(.unsupported, path: path, "\(reason); not read"))
          return counts
        }
        if let reason = _TextProbe.reason(UnsafeRawBufferPointer(start: buffer, count: got), complete: ended) {
          try report(ContamError(.unsupported, path: path, "\(reason); not read"))
          return counts
        }
      }
      if wholeFile && !ended {
        have += got
        continue
      }
      let scanFrom = have
      have += got
      var lineStart = 0
      if !wholeFile {
        var p = scanFrom
        while p < have {
          guard let hit = memchr(buffer + p, 0x0A, have - p) else { break }
          let nl = UnsafeMutableRawPointer(hit) - buffer
          lineNumber += 1
          // Fast path for blank lines: a billion of them must cost no more than text. In plain
          // text (or before the format is decided) they are nothing; in JSONL each is counted,
          // and past the message limit only counted.
          if !skipping && (nl == lineStart || (nl == lineStart + 1 && buffer.load(fromByteOffset: lineStart, as: UInt8.self) == 0x0D))
            && (!formatIsJSONL || blankLines + counts.problems[.emptyLine, default: 0] >= options.problemCallbackLimit)
          {
            // This line and the run of bare newlines after it, in one tight loop.
            var q = nl + 1
            while q < have && buffer.load(fromByteOffset: q, as: UInt8.self) == 0x0A { q += 1 }
            if pieceCount > 0 {
              // Blank lines inside a piece of text: its bytes (a CR, then newlines).
              try addToPiece(start: lineStart, end: nl, newlines: q - nl - 1, blank: true, path: path, onDocument: onDocument)
            }
            lineNumber += q - nl - 1
            if formatIsJSONL { blankLines += q - nl }
            lineStart = q
            p = q
            continue
          }
          if skipping || nl - lineStart > options.maxLineBytes {
            if pieceCount > 0 { try endPiece(path: path, onDocument: onDocument) }
            try report(
              ContamError(
                .lineTooLong, path: path, line: lineNumber, offset: skipping ? skippedLineStart : streamOffset + lineStart,
                "line is longer than \(options.maxLineBytes) bytes; skipped"))
            skipping = false
          } else {
            try handleLine(
              start: lineStart, end: nl, number: lineNumber, offset: streamOffset + lineStart, path: path,
              report: report, onDocument: onDocument)
          }
          lineStart = nl + 1
          p = nl + 1
        }
      }
      if ended {
        // What is left is a last line without a newline (or the whole file).
        let rest = have - lineStart
        if pieceCount > 0 && (skipping || rest > options.maxLineBytes || (rest > 0 && faulted)) {
          try endPiece(path: path, onDocument: onDocument)
        }
        if skipping || rest > options.maxLineBytes {
          lineNumber += 1
          try report(
            ContamError(
              .lineTooLong, path: path, line: lineNumber, offset: skipping ? skippedLineStart : streamOffset + lineStart,
              "\(wholeFile ? "document" : "line") is longer than \(options.maxLineBytes) bytes; skipped"))
        } else if rest > 0 {
          lineNumber += 1
          if faulted {
            try report(
              ContamError(
                .incompleteLine, path: path, line: lineNumber, offset: streamOffset + lineStart,
                "last line is cut short by the stream error; dropped"))
          } else {
            try handleLine(
              start: lineStart, end: have, number: lineNumber, offset: streamOffset + lineStart, path: path,
              report: report, onDocument: onDocument)
          }
        }
        if pieceCount > 0 { try endPiece(path: path, onDocument: onDocument) }
        break
      }
      // Keep the partial line at the front.
      let rest = have - lineStart
      if lineStart > 0 {
        if rest > 0 { memmove(buffer, buffer + lineStart, rest) }
        streamOffset += lineStart
        have = rest
        if capacity > Self.lineBufferBytes && rest <= Self.lineBufferBytes / 2 {
          // The long line is read: give its memory back.
          grow(to: Self.lineBufferBytes, keeping: rest)
        }
      }
    }
    if blankLines > 0 { counts.problems[.emptyLine, default: 0] += blankLines }
    counts.lines = lineNumber
    if let unread = fieldSample.unread() {
      try report(
        ContamError(
          .unreadField, path: path,
          "the records hold more text at '\(unread.path)' than at '\(unread.read)', the field read (\(unread.chars) characters against \(unread.readChars) in the first \(fieldSample.records) records): a copy there is not seen; to read it: --text-field '\(unread.path)', or '*' for every string"
        ))
    }
    if case .jsonl(_, let idField?) = format, onlyLines == nil, counts.documents > 0, documentsWithID == 0 {
      try report(
        ContamError(
          .missingID, path: path,
          "no document has an id at '\(idField)' (--id-field): a misnamed field? Evidence names its documents by line only"))
    }
    if case .auto = format, lineNumber > 0 {
      // Never decided: the shard holds nothing but blank lines.
      try report(ContamError(.emptyFile, path: path, "only blank lines (\(lineNumber)), no content"))
    }
    return counts
  }

  /// Whether the file's name (after a `.gz`, `.zst` or `.zstd` suffix) ends in `.wet` or `.warc`.
  static func namedAsWET(_ path: String) -> Bool {
    var name = (path as NSString).lastPathComponent.lowercased()
    for suffix in [".gz", ".zst", ".zstd"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
    return name.hasSuffix(".wet") || name.hasSuffix(".warc")
  }

  /// Whether the file's name (after a `.gz`, `.zst` or `.zstd` suffix) ends in `.jsonl`,
  /// `.ndjson` or `.json`.
  static func namedAsJSON(_ path: String) -> Bool {
    var name = (path as NSString).lastPathComponent.lowercased()
    for suffix in [".gz", ".zst", ".zstd"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
    return name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") || name.hasSuffix(".json")
  }

  /// Adds the line `buffer[start..<end]` (its CR kept) to the piece of text, after a line break
  /// when the piece holds lines already, then `newlines` bare line breaks (a run of blank
  /// lines), so the piece's bytes are the file's; a piece that has grown enough is handed on: at
  /// a blank line past ``ShardReaderOptions/textPieceBlankCut``, at any line past
  /// ``ShardReaderOptions/textPieceBytes`` (or ``ShardReaderOptions/maxLineBytes``).
  private func addToPiece(
    start: Int, end: Int, newlines: Int, blank: Bool, path: String, onDocument: (Document) throws -> Void
  ) throws {
    let count = end - start
    let separator = pieceCount > 0 ? 1 : 0
    ensurePiece(pieceCount + separator + count + newlines)
    if separator > 0 { textPiece.storeBytes(of: 0x0A, toByteOffset: pieceCount, as: UInt8.self) }
    (textPiece + pieceCount + separator).copyMemory(from: buffer + start, byteCount: count)
    if newlines > 0 { memset(textPiece + pieceCount + separator + count, 0x0A, newlines) }
    pieceCount += separator + count + newlines
    if pieceCount >= min(ShardReaderOptions.textPieceBytes, options.maxLineBytes)
      || (blank && pieceCount >= ShardReaderOptions.textPieceBlankCut)
    {
      try endPiece(path: path, onDocument: onDocument)
    }
  }

  /// Hands on the piece of text gathered (without the blank lines and spaces it ends with) and
  /// starts a new one.
  private func endPiece(path: String, onDocument: (Document) throws -> Void) throws {
    var count = pieceCount
    pieceCount = 0
    while count > 0 {
      let last = textPiece.load(fromByteOffset: count - 1, as: UInt8.self)
      guard last == 0x0A || last == 0x0D || last == 0x20 || last == 0x09 || last == 0x0C else { break }
      count -= 1
    }
    guard count > 0 else { return }
    counts.documents += 1
    var document = Document(
      shardPath: path, line: pieceLine, lineOffset: pieceOffset, idBytes: nil, text: UnsafeRawBufferPointer(start: textPiece, count: count))
    document.spansLines = true
    try onDocument(document)
    if pieceCapacity > 4 * ShardReaderOptions.textPieceBytes {
      // A piece that ended in a line of many MiB: give the memory back.
      textPiece.deallocate()
      pieceCapacity = 1 << 16
      textPiece = .allocate(byteCount: pieceCapacity, alignment: 16)
    }
  }

  private func ensurePiece(_ count: Int) {
    if count <= pieceCapacity { return }
    let bigger = UnsafeMutableRawPointer.allocate(byteCount: max(count, pieceCapacity * 2), alignment: 16)
    bigger.copyMemory(from: textPiece, byteCount: pieceCount)
    textPiece.deallocate()
    textPiece = bigger
    pieceCapacity = max(count, pieceCapacity * 2)
  }

  /// Moves the buffer's first `count` bytes into a buffer of `newCapacity` bytes (larger, or
  /// back to ``lineBufferBytes``).
  private func grow(to newCapacity: Int, keeping count: Int) {
    let bigger = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 64)
    bigger.copyMemory(from: buffer, byteCount: count)
    buffer.deallocate()
    buffer = bigger
    capacity = newCapacity
  }

  /// Frees `joined`'s memory when a long record made it large (as the line buffer's).
  private func giveBackJoined() {
    if joined.capacity > Self.lineBufferBytes { joined = [] }
  }

  private func handleLine(
    start: Int, end rawEnd: Int, number: Int, offset: Int, path: String,
    report: (ContamError) throws -> Void, onDocument: (Document) throws -> Void
  ) throws {
    var begin = start
    var end = rawEnd
    if case .auto(let textField, let idField) = format {
      // The first non-blank line decides (a BOM and spaces before it are skipped).
      let line = UnsafeRawBufferPointer(start: buffer + begin, count: end - begin)
      guard let first = line.firstIndex(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) })
      else { return }
      format =
        line[first] == UInt8(ascii: "{")
        ? .jsonl(textField: textField, idField: idField) : options.autoTextPieces ? .text : .lines
    }
    let isJSONL = format != .lines && format != .text && format != .wholeFile
    if format != .wholeFile && end > begin && buffer.load(fromByteOffset: end - 1, as: UInt8.self) == 0x0D {
      end -= 1
    }
    // A UTF-8 byte order mark at the very start of a JSONL stream (in plain text the
    // normalizer ignores it, and offsets stay those of the file).
    if isJSONL && offset == 0 && end - begin >= 3 && buffer.load(fromByteOffset: begin, as: UInt8.self) == 0xEF
      && buffer.load(fromByteOffset: begin + 1, as: UInt8.self) == 0xBB
      && buffer.load(fromByteOffset: begin + 2, as: UInt8.self) == 0xBF
    {
      begin += 3
    }
    let line = UnsafeRawBufferPointer(start: buffer + begin, count: end - begin)
    switch format {
    case .lines, .text, .wholeFile, .auto, .wet:
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A || $0 == 0x0C }) {
        if pieceCount > 0 {
          try addToPiece(start: start, end: rawEnd, newlines: 0, blank: true, path: path, onDocument: onDocument)
        }
        return
      }
      // Binary data inside text (a gzip member compressed twice, a file appended to another):
      // its "lines" hold NUL bytes, which text does not, and are mostly not UTF-8. Read, they
      // would be bytes that match nothing, and what they hold would read clean.
      if format == .lines || format == .text, let reason = _TextProbe.binaryRecordReason(line) {
        if pieceCount > 0 { try endPiece(path: path, onDocument: onDocument) }
        try report(
          ContamError(
            .unsupported, path: path, line: number, offset: offset,
            "\(reason): compressed data inside the text (a part compressed twice?) or a binary file; this line is not read"))
        return
      }
      if format == .text {
        if pieceCount == 0 {
          pieceLine = number
          pieceOffset = offset
        }
        try addToPiece(start: start, end: rawEnd, newlines: 0, blank: false, path: path, onDocument: onDocument)
        return
      }
      counts.documents += 1
      try onDocument(Document(shardPath: path, line: number, lineOffset: offset, idBytes: nil, text: line))
    case .jsonl(let textField, let idField):
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
        if counts.problems[.emptyLine, default: 0] >= options.problemCallbackLimit {
          // Past the limit a blank line is only counted (it loses no input, so it never stops a run).
          counts.problems[.emptyLine, default: 0] += 1
          return
        }
        try report(ContamError(.emptyLine, path: path, line: number, offset: offset, "blank line"))
        return
      }
      if let onlyLines, !onlyLines.contains(number) {
        counts.documents += 1
        return
      }
      if textExtractor == nil { textExtractor = JSONFieldExtractor(path: textField) }
      // `*` finds no field (it has no keys) but checks the line: the record's strings are its text.
      func everyString(_ outcome: JSONFieldExtractor.Outcome, _ field: FieldPath) -> JSONFieldExtractor.Outcome {
        guard field.isEveryString, case .missing = outcome else { return outcome }
        return .found(.array(start: 0, end: line.count))
      }
      var extracted = everyString(textExtractor?.extract(line) ?? .missing, textField)
      var usedField = textField
      // The first of two strings at the field read, when the record gives it twice.
      var earlier = textExtractor?.earlierString
      if case .missing = extracted, !fallbackExtractors.isEmpty {
        for k in fallbackExtractors.indices {
          extracted = everyString(fallbackExtractors[k].extract(line), options.fallbackTextFields[k])
          if case .missing = extracted { continue }
          usedField = options.fallbackTextFields[k]
          earlier = fallbackExtractors[k].earlierString
          break
        }
      }
      if !fallbackExtractors.isEmpty, case .found = extracted { counts.textFields[usedField.description, default: 0] += 1 }
      if fieldSample.records < _FieldSample.size, line.count <= _FieldSample.maximumLineBytes, case .found = extracted, !usedField.isEveryString {
        fieldSample.add(JSONRecordFields.textPaths(line), read: usedField.description)
      }
      /// Reads the record's id into `idScratch` (left empty when it has none). Before the text is
      /// decoded in place, which leaves the line no longer JSON.
      func readID() {
        idScratch.removeAll(keepingCapacity: true)
        guard idField != nil, case .found(let value) = idExtractor!.extract(line) else { return }
        switch value {
        case .string(let s, let e, let escaped):
          if escaped {
            JSONString.unescape(UnsafeRawBufferPointer(rebasing: line[s..<e]), into: &idScratch)
          } else {
            idScratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[s..<e]))
          }
        case .number(let s, let e):
          idScratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[s..<e]))
        case .other, .array:
          break
        }
      }
      /// Hands `text` on as a document, with the id ``readID()`` read when there is one.
      func deliver(_ text: UnsafeRawBufferPointer) throws {
        counts.documents += 1
        guard !idScratch.isEmpty else {
          try onDocument(Document(shardPath: path, line: number, lineOffset: offset, idBytes: nil, text: text))
          return
        }
        documentsWithID += 1
        try idScratch.withUnsafeBytes { ids in
          try onDocument(Document(shardPath: path, line: number, lineOffset: offset, idBytes: ids, text: text))
        }
      }
      /// Hands the record's text on as a document, with its id when it has one.
      func emit(_ text: UnsafeRawBufferPointer) throws {
        readID()
        try deliver(text)
      }
      /// Hands `joined` (the text put together from several strings) on as the document.
      func emitJoined() throws {
        try joined.withUnsafeBytes { try emit($0) }
        giveBackJoined()
      }
      switch extracted {
      case .notJSON(let column, let reason):
        // A file that is one JSON array of records (Alpaca, ShareGPT dumps) opens with `[`.
        let array =
          number == 1 && line.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF }) == UInt8(ascii: "[")
          ? "; the file looks like one JSON array of records: convert it to JSON Lines first (jq -c '.[]' FILE > FILE.jsonl)" : ""
        try report(
          ContamError(.notJSON, path: path, line: number, offset: offset, "not a JSON object: \(reason) at column \(column + 1)\(array)"))
      case .missing:
        let names = ([textField] + options.fallbackTextFields).map { "'\($0)'" }.joined(separator: ", ")
        // The shard's first such record says what it has and where its text may be.
        let hint = counts.problems[.missingField, default: 0] == 0 ? JSONRecordFields.hint(line) : ""
        try report(
          ContamError(
            .missingField, path: path, line: number, offset: offset,
            (fallbackExtractors.isEmpty ? "no field '\(textField)'" : "none of the fields \(names)") + hint))
      case .found(.string(let s, let e, let escaped)) where earlier.map({ $0.start < $0.end || s < e }) == true:
        // The field twice: readers disagree on which one the record means, so both are read
        // (also when one of them is empty: `{"text": copy, "text": ""}` is not an empty record).
        let first = earlier!
        joined.removeAll(keepingCapacity: true)
        for (start, end, isEscaped) in [(first.start, first.end, first.escaped), (s, e, escaped)] {
          if !joined.isEmpty { joined.append(0x0A) }
          let body = UnsafeRawBufferPointer(rebasing: line[start..<end])
          if isEscaped { JSONString.unescape(body, into: &joined) } else { joined.append(contentsOf: body) }
        }
        try report(
          ContamError(
            .repeatedField, path: path, line: number, offset: offset,
            "field '\(usedField)' appears twice in the record: both are read (Python's json reads the last, simdjson the first)"))
        try emitJoined()
      case .found(.string(let s, let e, _)) where s == e:
        try report(ContamError(.emptyText, path: path, line: number, offset: offset, "field '\(usedField)' is an empty string"))
      case .found(.array) where usedField.element == nil:
        try report(
          ContamError(
            .fieldNotString, path: path, line: number, offset: offset,
            "field '\(usedField)' is an array, not a string (to read the strings in it: --text-field '\(usedField)[]', or '\(usedField)[].content' for one field of each element)"
          ))
      case .found(.array(let s, let e)):
        // `--text-field 'messages[]'` or `'messages[].content'`: the array's strings, joined.
        joined.removeAll(keepingCapacity: true)
        _ = JSONArrayText.append(UnsafeRawBufferPointer(rebasing: line[s..<e]), element: usedField.element!, into: &joined)
        guard joined.contains(where: { $0 != 0x0A }) else {
          try report(ContamError(.emptyText, path: path, line: number, offset: offset, "field '\(usedField)' holds no text"))
          return
        }
        try emitJoined()
      case .found(.string(let s, let e, let escaped)):
        guard escaped else {
          try emit(UnsafeRawBufferPointer(rebasing: line[s..<e]))
          return
        }
        // Decoded where it lies in the line buffer (decoded text is never longer than its
        // escapes, and ``JSONString/unescape(_:into:bad:)`` writes behind where it reads), so a
        // record of many MiB is not held twice. The id is read first: the line is no longer
        // JSON afterwards.
        readID()
        let body = UnsafeMutableRawPointer(mutating: line.baseAddress!) + s
        var bad = 0
        let written = JSONString.unescape(
          UnsafeRawBufferPointer(start: body, count: e - s), into: body.assumingMemoryBound(to: UInt8.self), bad: &bad)
        try deliver(UnsafeRawBufferPointer(start: body, count: written))
      case .found(.number):
        try report(ContamError(.fieldNotString, path: path, line: number, offset: offset, "field '\(usedField)' is a number, not a string"))
      case .found(.other(let kind)):
        try report(ContamError(.fieldNotString, path: path, line: number, offset: offset, "field '\(usedField)' is \(kind == "object" ? "an" : "a") \(kind), not a string"))
      }
    }

  }
}
