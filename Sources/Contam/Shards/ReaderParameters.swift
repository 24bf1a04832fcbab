/// How shards are read, as recorded in certificates (so `verify` reads them the same way).
/// The one conversion to ``ShardReaderOptions`` is ``options(policy:inflater:)``.
public struct ReaderParameters: Sendable, Codable, Hashable {
  /// The names a user gives for how shards are cut into documents.
  public enum Format: String, Sendable, Codable, CaseIterable {
    /// JSONL if the name ends in `.jsonl`/`.ndjson`/`.json` or the first line starts with `{`;
    /// else plain text as ``plainText`` says.
    case auto
    /// One JSON object per line.
    case jsonl
    /// Plain text, one document per non-blank line.
    case lines
    /// Plain text in pieces of up to about 1 MiB, cut at blank lines (``RecordFormat/text``).
    case text
    /// Plain text, one document per file.
    case file
    /// WARC files: one document per record with text (WET `conversion`, `response`, `resource`).
    case wet
  }

  public var format = Format.auto
  /// How `auto` cuts plain text. Absent (nil) in certificates and corpus indexes made before
  /// session 17, whose plain-text shards were read a document per line: they are read that way
  /// again.
  public var plainText: PlainText? = .pieces

  /// What `auto` makes of a shard that is plain text.
  public enum PlainText: String, Sendable, Codable {
    /// A document per non-blank line (before session 17).
    case lines
    /// Pieces of up to about 1 MiB, cut at blank lines (``RecordFormat/text``).
    case pieces
  }
  /// The JSON field (dotted path) holding the document text; several, comma-separated, are
  /// tried in order (`text,content,raw_content`: the first one a record has is read).
  public var textField = "text"
  /// The JSON field (dotted path) holding a document id, if any.
  public var idField: String?
  public var maxLineBytes = ShardReaderOptions.defaultMaxLineBytes
  /// The largest zstd window allowed (log2 bytes), when raised above the default 27.
  public var zstdWindowLogMax: Int?

  public init() {}

  /// Whether a plain-text shard is read a line a document (`--format lines`, or `auto` in a
  /// certificate made before session 17): a copy wrapped over lines is not found whole.
  public var readsPlainTextByLine: Bool { format == .lines || (format == .auto && plainText != .pieces) }

  /// The options that give these parameters, as a user types them.
  public var summary: String {
    var parts = ["--format \(format.rawValue)", "--text-field \(textField)"]
    if format == .auto && plainText != .pieces { parts[0] += " (plain text a document per line)" }
    if let idField { parts.append("--id-field \(idField)") }
    parts.append("--max-line-bytes \(maxLineBytes)")
    if let zstdWindowLogMax { parts.append("--zstd-window-log-max \(zstdWindowLogMax)") }
    return parts.joined(separator: " ")
  }

  /// The reader options these parameters describe.
  /// - Parameters:
  ///   - policy: skip and count bad input, or stop at the first problem.
  ///   - inflater: the gzip decoder (it never changes what is read).
  /// - Throws: ``ContamError/Code/invalidArgument`` when a field path is malformed.
  public func options(policy: ErrorPolicy = .skip, inflater: ShardReaderOptions.Inflater = .isal) throws
    -> ShardReaderOptions
  {
    let fields = try textField.split(separator: ",", omittingEmptySubsequences: false).map {
      try FieldPath(String($0).trimmingCharacters(in: .whitespaces))
    }
    let text = fields[0]
    let id = try idField.map { try FieldPath($0) }
    let recordFormat: RecordFormat
    switch format {
    case .jsonl: recordFormat = .jsonl(textField: text, idField: id)
    case .lines: recordFormat = .lines
    case .text: recordFormat = .text
    case .file: recordFormat = .wholeFile
    case .wet: recordFormat = .wet
    case .auto: recordFormat = .auto(textField: text, idField: id)
    }
    var options = ShardReaderOptions(format: recordFormat, maxLineBytes: maxLineBytes, policy: policy, inflater: inflater)
    options.fallbackTextFields = Array(fields.dropFirst())
    options.autoTextPieces = plainText == .pieces
    if let zstdWindowLogMax {
      guard (10...31).contains(zstdWindowLogMax) else {
        throw ContamError(.invalidArgument, "zstdWindowLogMax \(zstdWindowLogMax) is not in 10...31")
      }
      options.zstdWindowLogMax = zstdWindowLogMax
    }
    return options
  }
}
