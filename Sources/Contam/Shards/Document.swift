/// One record of a shard, valid only inside the reader's callback.
///
/// - warning: `text` and `idBytes` point into the reader's buffers: copy what you keep.
public struct Document {
  /// The shard's path as given.
  public let shardPath: String
  /// 1-based line number in the decompressed stream (a paragraph's first line; 1 for a whole-file
  /// document).
  public let line: Int
  /// Byte offset of the line's first byte in the decompressed stream.
  public let lineOffset: Int
  /// The id field's bytes (a string's decoded body, or a number's literal), if any.
  public let idBytes: UnsafeRawBufferPointer?
  /// The document text as UTF-8 (JSON escapes decoded).
  public let text: UnsafeRawBufferPointer

  /// The id as a string, if the record has one.
  public var id: String? { idBytes.map { String(decoding: $0, as: UTF8.self) } }
  /// The text as a string (invalid UTF-8 replaced), for tests and messages.
  public var textString: String { String(decoding: text, as: UTF8.self) }
}
