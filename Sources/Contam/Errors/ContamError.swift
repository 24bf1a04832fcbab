/// Every problem Contam reports: what went wrong, and where (file, line, byte offset).
///
/// Problems with input are values: a reader reports each one, counts it under its ``Code``,
/// and goes on (or stops, under ``ErrorPolicy/stop``). The same codes key the skipped-input
/// counts in statistics and results.
public struct ContamError: Error, Hashable, CustomStringConvertible, Sendable {
  /// The kind of problem. The raw value is the name used in JSON output.
  public enum Code: String, Sendable, Codable, CaseIterable, Comparable {
    /// The file could not be opened or read (missing, a directory, no permission).
    case unreadableFile = "unreadable_file"
    /// The file has no bytes at all.
    case emptyFile = "empty_file"
    /// The compressed stream is damaged (bad header, bad block, checksum mismatch).
    case corruptData = "corrupt_data"
    /// The compressed stream ends in the middle.
    case truncatedData = "truncated_data"
    /// Bytes after the last complete gzip member that are not another member.
    case trailingGarbage = "trailing_garbage"
    /// A line cut short by a damaged or truncated stream, dropped.
    case incompleteLine = "incomplete_line"
    /// A line longer than the configured maximum, skipped without being loaded.
    case lineTooLong = "line_too_long"
    /// A JSONL line that is blank.
    case emptyLine = "empty_line"
    /// A JSONL line that is not a JSON object.
    case notJSON = "not_json"
    /// The text field is absent from the record.
    case missingField = "missing_field"
    /// The text field is present but not a string (number, null, array, object, bool).
    case fieldNotString = "field_not_string"
    /// The text field is an empty string: nothing to check. Not input lost, but a shard whose
    /// records are mostly empty was read through the wrong field and is refused.
    case emptyText = "empty_text"
    /// The record holds its text field more than once (`{"text": a, "text": b}`). JSON readers
    /// disagree on which one such a record means (Python's `json` takes the last, simdjson the
    /// first), so both are read, joined by a line break: counted, not input lost.
    case repeatedField = "repeated_field"
    /// No document of a JSONL shard has the id field asked for (`--id-field`): a misnamed field,
    /// so evidence names its documents by line only. Counted once per shard, not input lost.
    case missingID = "missing_id"
    /// A record whose text is base64 that decodes to text (``_TextProbe/base64Reason(_:)``): read
    /// as it is, it matches nothing and would read clean, so it is skipped and counted as input
    /// not read.
    case encodedText = "encoded_text"
    /// The records of a JSONL shard hold more text at another path than at the text field read
    /// (`{"text": title, "content": page}`): counted once per shard, not input lost, since what
    /// to read is the user's choice; but a copy there is not seen, so it is said.
    case unreadField = "unread_field"
    /// A benchmark file or option that cannot be used.
    case invalidBenchmark = "invalid_benchmark"
    /// The shard changed (size, modification time or inode) while it was being read: what was
    /// read may mix two versions, and the recorded digest is of the bytes read.
    case shardChanged = "shard_changed"
    /// An output file could not be written.
    case outputFailed = "output_failed"
    /// A bad argument or option value.
    case invalidArgument = "invalid_argument"
    /// A valid file in a form this tool does not read (a Parquet codec, encoding or layout
    /// it lacks; a Parquet stream on standard input).
    case unsupported = "unsupported"
    /// A certificate (or a work-directory record) that does not read strictly: not JSON,
    /// duplicate or unknown keys, an unknown format or version, a value out of range.
    case invalidCertificate = "invalid_certificate"
    /// A corpus index (`contam index`) that does not read: a missing, truncated or damaged
    /// file, an unknown format, a checksum mismatch, a manifest that does not fit its segments.
    case invalidIndex = "invalid_index"

    public static func < (a: Code, b: Code) -> Bool { a.rawValue < b.rawValue }

    /// Whether this problem loses input: a record or part of a shard that was not scanned.
    public var losesInput: Bool {
      switch self {
      case .emptyLine, .emptyFile, .trailingGarbage, .emptyText, .repeatedField, .missingID, .unreadField: return false
      default: return true
      }
    }
  }

  /// The kind of problem.
  public var code: Code
  /// The file concerned, if any.
  public var path: String?
  /// The 1-based line (of the decompressed stream), if the problem is in a line.
  public var line: Int?
  /// The byte offset: in the decompressed stream for line problems, in the file for codec problems.
  public var offset: Int?
  /// What happened, in words (for codec problems, the library's own message).
  public var message: String

  public init(_ code: Code, path: String? = nil, line: Int? = nil, offset: Int? = nil, _ message: String) {
    self.code = code
    self.path = path
    self.line = line
    self.offset = offset
    self.message = message
  }

  /// `path:line: code: message (offset N)`, the form printed on stderr.
  public var description: String {
    var where_ = path ?? "-"
    if let line { where_ += ":\(line)" }
    var text = "\(where_): \(code.rawValue): \(message)"
    if let offset { text += " (byte offset \(offset))" }
    return text
  }
}

/// What a reader does when it meets bad input.
public enum ErrorPolicy: String, Sendable, Codable, CaseIterable {
  /// Report it, count it, and go on with the next line or shard (the default).
  case skip
  /// Report it and stop: the reader throws the error.
  case stop
}
