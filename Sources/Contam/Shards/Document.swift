#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One record of a shard, valid only inside the reader's callback.
///
/// - warning: `text` and `idBytes` point into the reader's buffers: copy what you keep.
public struct Document {
  /// The shard's path as given.
  public let shardPath: String
  /// 1-based line number in the decompressed stream (a piece of plain text's first line; 1 for a
  /// whole-file document).
  public let line: Int
  /// Byte offset of the line's first byte in the decompressed stream.
  public let lineOffset: Int
  /// The id field's bytes (a string's decoded body, or a number's literal), if any.
  public let idBytes: UnsafeRawBufferPointer?
  /// The document text as UTF-8 (JSON escapes decoded).
  public let text: UnsafeRawBufferPointer
  /// The text is a piece of a plain-text file as the file holds it (``RecordFormat/text``), so
  /// its line breaks are the file's: a byte of it lies on a later line than the first.
  public var spansLines = false

  /// The id as a string, if the record has one.
  public var id: String? { idBytes.map { String(decoding: $0, as: UTF8.self) } }
  /// The text as a string (invalid UTF-8 replaced), for tests and messages.
  public var textString: String { String(decoding: text, as: UTF8.self) }

  /// The same document reported under another shard name.
  public func renamed(_ shardPath: String) -> Document {
    var document = Document(shardPath: shardPath, line: line, lineOffset: lineOffset, idBytes: idBytes, text: text)
    document.spansLines = spansLines
    return document
  }

  /// The file's line that byte `offset` of the text lies on: ``line``, plus, in a piece of plain
  /// text, the line breaks before it.
  public func line(at offset: Int) -> Int {
    guard spansLines, offset > 0, let base = text.baseAddress else { return line }
    return line + Self.lineBreaks(in: UnsafeRawBufferPointer(start: base, count: min(offset, text.count)))
  }

  /// Whether the file's line `number` lies in this document (for a piece of plain text, any of
  /// its lines; else its one line).
  public func holds(line number: Int) -> Bool {
    guard spansLines, number > line else { return number == line }
    return number <= line + Self.lineBreaks(in: text)
  }

  static func lineBreaks(in bytes: UnsafeRawBufferPointer) -> Int {
    guard var p = bytes.baseAddress else { return 0 }
    let end = p + bytes.count
    var count = 0
    while p < end, let hit = memchr(p, 0x0A, end - p) {
      count += 1
      p = UnsafeRawPointer(hit) + 1
    }
    return count
  }
}
