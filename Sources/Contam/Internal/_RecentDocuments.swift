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
    var beginsStream: Bool
    var text: [UInt8]
    var id: [UInt8]?
  }

  let limit: Int
  private var kept: [Kept] = []
  private var bytes = 0

  init(limit: Int) { self.limit = limit }

  /// Keeps a copy of `document`; one that opens a stream (``Document/beginsStream``) forgets
  /// those before it.
  mutating func keep(_ document: Document) {
    guard limit > 0 else { return }
    if document.beginsStream {
      kept.removeAll()
      bytes = 0
    }
    kept.append(
      Kept(
        shardPath: document.shardPath, line: document.line, lineOffset: document.lineOffset, spansLines: document.spansLines,
        beginsStream: document.beginsStream, text: Array(document.text), id: document.idBytes.map { Array($0) }))
    bytes += document.text.count
    while kept.count > limit || (kept.count > 1 && bytes - kept[kept.count - 1].text.count > Self.maximumBytes) {
      bytes -= kept.removeFirst().text.count
    }
  }

  /// Calls `body` with each kept document, oldest first; the views are valid only inside it.
  func forEach(_ body: (Document) -> Void) {
    for k in kept {
      k.text.withUnsafeBytes { text in
        func call(_ id: UnsafeRawBufferPointer?) {
          var document = Document(shardPath: k.shardPath, line: k.line, lineOffset: k.lineOffset, idBytes: id, text: text)
          document.spansLines = k.spansLines
          document.beginsStream = k.beginsStream
          body(document)
        }
        if let id = k.id { id.withUnsafeBytes { call($0) } } else { call(nil) }
      }
    }
  }
}
