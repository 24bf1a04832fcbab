/// Documents copied out of a reader's buffers, so that another thread can match them while
/// the reader goes on: their texts and ids in one byte array, and where each lies in it.
final class _DocumentBatch: @unchecked Sendable {
  private struct Record {
    var line: Int
    var lineOffset: Int
    /// Where the id's bytes start; `idCount` is -1 when the record has no id.
    var idStart: Int
    var idCount: Int
    var textStart: Int
    var textCount: Int
    var spansLines: Bool
  }

  /// Texts and ids. Starts with one byte that is no document's, so even a batch of empty texts
  /// hands out views with a base address.
  private var bytes: [UInt8] = [0]
  private var records: [Record] = []
  /// A document not copied: its views point into the reader's buffers, so the batch must be
  /// used up inside the reader's callback, on the reader's thread.
  private var borrowed: Document?

  /// The carry in front of the batch's first document (``_DocumentCarry``), when the scan
  /// reads documents together.
  var carry: _DocumentCarry?

  /// A batch of about `bytes` bytes of text.
  init(reservingBytes capacity: Int) {
    bytes.reserveCapacity(capacity + 1)
  }

  /// A batch of one document, not copied (a long one): valid only inside the reader's callback.
  init(borrowing document: Document) {
    borrowed = document
  }

  /// Bytes held (texts and ids).
  var byteCount: Int { bytes.count - 1 }
  /// Documents held.
  var count: Int { records.count + (borrowed == nil ? 0 : 1) }

  /// Empties the batch, keeping its memory for the next one.
  func removeAll() {
    bytes.removeAll(keepingCapacity: true)
    bytes.append(0)
    records.removeAll(keepingCapacity: true)
  }

  /// Whether `document` can be copied in without the batch's memory growing.
  func fits(_ document: Document) -> Bool {
    bytes.count + document.text.count + (document.idBytes?.count ?? 0) <= bytes.capacity
  }

  /// Copies `document`'s text and id in.
  func append(_ document: Document) {
    let idStart = bytes.count
    var idCount = -1
    if let id = document.idBytes {
      bytes.append(contentsOf: id)
      idCount = id.count
    }
    let textStart = bytes.count
    bytes.append(contentsOf: document.text)
    records.append(
      Record(
        line: document.line, lineOffset: document.lineOffset, idStart: idStart, idCount: idCount, textStart: textStart,
        textCount: document.text.count, spansLines: document.spansLines))
  }

  /// Calls `body` with each document, in the order appended, as read from the shard at
  /// `shardPath`. The views are valid only inside `body`.
  func forEach(shardPath: String, reversed: Bool = false, _ body: (Document) throws -> Void) rethrows {
    if let borrowed {
      try body(borrowed)
      return
    }
    try bytes.withUnsafeBytes { raw in
      for k in records.indices {
        let r = records[reversed ? records.count - 1 - k : k]
        // Safe: every range was appended whole, so it lies inside `bytes`.
        let id = r.idCount < 0 ? nil : UnsafeRawBufferPointer(rebasing: raw[r.idStart..<(r.idStart + r.idCount)])
        let text = UnsafeRawBufferPointer(rebasing: raw[r.textStart..<(r.textStart + r.textCount)])
        var document = Document(shardPath: shardPath, line: r.line, lineOffset: r.lineOffset, idBytes: id, text: text)
        document.spansLines = r.spansLines
        try body(document)
      }
    }
  }
}
