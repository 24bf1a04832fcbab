/// Copies of the last few documents read from a shard, so that re-reading one document can
/// read those before it first, as the scan did (the carry in front of it, ``_DocumentCarry``).
/// At most `limit` documents, and past the newest no more than ``maximumBytes`` in all: older
/// documents reach the carry only when the newer ones hold fewer than `limit` tokens.
struct _RecentDocuments {
  /// Bytes kept besides the newest document.
  static let maximumBytes = 8 << 20

  private struct Kept {
    var shardPath: String
    var line: Int
    var lineOffset: Int
    var spansLines: Bool
    var text: [UInt8]
    var id: [UInt8]?
  }

  let limit: Int
  private var kept: [Kept] = []
  private var bytes = 0
  /// Entries dropped, kept for their arrays' capacity: re-reading one location copies every
  /// document before it, which should not cost an allocation each.
  private var spare: [Kept] = []

  init(limit: Int) { self.limit = limit }

  /// Keeps a copy of `document`.
  mutating func keep(_ document: Document) {
    guard limit > 0 else { return }
    var entry =
      spare.popLast()
      ?? Kept(shardPath: "", line: 0, lineOffset: 0, spansLines: false, text: [], id: nil)
    entry.shardPath = document.shardPath
    entry.line = document.line
    entry.lineOffset = document.lineOffset
    entry.spansLines = document.spansLines
    entry.text.removeAll(keepingCapacity: true)
    entry.text.append(contentsOf: document.text)
    entry.id = document.idBytes.map { Array($0) }
    kept.append(entry)
    bytes += document.text.count
    while kept.count > limit || (kept.count > 1 && bytes - kept[kept.count - 1].text.count > Self.maximumBytes) {
      let dropped = kept.removeFirst()
      bytes -= dropped.text.count
      // A very long document's array is not kept for reuse.
      if dropped.text.capacity <= 1 << 20 { spare.append(dropped) }
    }
  }

  /// Calls `body` with each kept document, oldest first; the views are valid only inside it.
  func forEach(_ body: (Document) -> Void) {
    for k in kept {
      k.text.withUnsafeBytes { text in
        func call(_ id: UnsafeRawBufferPointer?) {
          var document = Document(shardPath: k.shardPath, line: k.line, lineOffset: k.lineOffset, idBytes: id, text: text)
          document.spansLines = k.spansLines
          body(document)
        }
        if let id = k.id { id.withUnsafeBytes { call($0) } } else { call(nil) }
      }
    }
  }
}
