/// How shards are read, as recorded in certificates (so `verify` reads them the same way).
/// The one conversion to ``ShardReaderOptions`` is ``options(policy:inflater:)``.
public struct ReaderParameters: Sendable, Codable, Hashable {
  /// The names a user gives for how shards are cut into documents.
  public enum Format: String, Sendable, Codable, CaseIterable {
    /// JSONL if the name ends in `.jsonl`/`.ndjson`/`.json` or the first line starts with `{`; else lines.
    case auto
    /// One JSON object per line.
    case jsonl
    /// Plain text, one document per non-blank line.
    case lines
    /// Plain text, one document per file.
    case file
  }

  public var format = Format.auto
  /// The JSON field (dotted path) holding the document text.
  public var textField = "text"
  /// The JSON field (dotted path) holding a document id, if any.
  public var idField: String?
  public var maxLineBytes = ShardReaderOptions.defaultMaxLineBytes

  public init() {}

  /// The reader options these parameters describe.
  /// - Parameters:
  ///   - policy: skip and count bad input, or stop at the first problem.
  ///   - inflater: the gzip decoder (it never changes what is read).
  /// - Throws: ``ContamError/Code/invalidArgument`` when a field path is malformed.
  public func options(policy: ErrorPolicy = .skip, inflater: ShardReaderOptions.Inflater = .isal) throws
    -> ShardReaderOptions
  {
    let text = try FieldPath(textField)
    let id = try idField.map { try FieldPath($0) }
    let recordFormat: RecordFormat
    switch format {
    case .jsonl: recordFormat = .jsonl(textField: text, idField: id)
    case .lines: recordFormat = .lines
    case .file: recordFormat = .wholeFile
    case .auto: recordFormat = .auto(textField: text, idField: id)
    }
    return ShardReaderOptions(format: recordFormat, maxLineBytes: maxLineBytes, policy: policy, inflater: inflater)
  }
}
