/// How the decompressed bytes of a shard are cut into documents.
public enum RecordFormat: Hashable, Sendable, CustomStringConvertible {
  /// One JSON object per line; the document text is the string at `textField`, its id the
  /// string or number at `idField`.
  case jsonl(textField: FieldPath, idField: FieldPath?)
  /// Plain text, one document per non-blank line.
  case lines
  /// Plain text in pieces: the file's bytes, line breaks and blank lines kept, cut at a blank
  /// line once a piece holds ``ShardReaderOptions/textPieceBlankCut`` bytes, else at a line end
  /// past ``ShardReaderOptions/textPieceBytes``. A copy is found whatever its line breaks:
  /// hard-wrapped text (a book, a mail) has lines of 8 to 12 words, too few for an n-gram, and a
  /// question often stands a blank line above its options. Evidence names the line of the
  /// match (``Document/line(at:)``).
  case text
  /// Plain text, the whole file one document (up to the line limit).
  case wholeFile
  /// WARC files (named for Common Crawl's WET): one document per record with text, id the
  /// target URI: `conversion` records as they are, `response` records' HTTP bodies decoded,
  /// `resource` records.
  case wet
  /// Decided per shard: JSONL (with these fields) if the file name ends in `.jsonl`, `.ndjson`
  /// or `.json` (before `.gz`/`.zst`), or else if its first non-blank line starts with `{`;
  /// otherwise plain text, read as ``text`` (as ``lines`` when
  /// ``ShardReaderOptions/autoTextPieces`` is off, as before session 17). A name ending in `.wet` or `.warc` (before
  /// `.gz`/`.zst`), or a stream that starts with `WARC/`, means WARC. (The name decides first so that a JSONL shard
  /// whose first line is damaged is not read as text.)
  case auto(textField: FieldPath, idField: FieldPath?)

  /// JSONL with the text in `text` and no id.
  public static var defaultJSONL: RecordFormat { .jsonl(textField: .text, idField: nil) }

  public var description: String {
    switch self {
    case .jsonl(let text, let id): return "jsonl(text: \(text)\(id.map { ", id: \($0)" } ?? ""))"
    case .lines: return "lines"
    case .text: return "text"
    case .wholeFile: return "whole-file"
    case .wet: return "wet"
    case .auto(let text, let id): return "auto(text: \(text)\(id.map { ", id: \($0)" } ?? ""))"
    }
  }
}
