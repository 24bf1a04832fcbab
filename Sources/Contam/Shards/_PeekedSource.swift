/// A stream whose first bytes have been looked at (to tell a WARC file from text lines by its
/// content, whatever its name): they are read ahead once, then handed out again before the rest.
final class _PeekedSource: ByteSource {
  private let source: ByteSource
  /// The first bytes of the stream, not handed out yet.
  private var held: [UInt8]
  /// The first bytes of the stream (fewer when it is shorter or a read failed).
  let head: [UInt8]
  /// A read that failed while looking ahead: thrown once the bytes before it are handed out,
  /// as the stream itself would have.
  private var failure: ContamError?

  /// Reads up to `count` bytes ahead.
  init(_ source: ByteSource, count: Int) {
    self.source = source
    var head = [UInt8](repeating: 0, count: count)
    var got = 0
    while got < count {
      var failure: ContamError? = nil
      let n = head.withUnsafeMutableBytes { bytes -> Int in
        do throws(ContamError) { return try source.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[got...])) } catch {
          failure = error
          return 0
        }
      }
      if let failure {
        self.failure = failure
        break
      }
      if n == 0 { break }
      got += n
    }
    head.removeSubrange(got...)
    self.head = head
    held = head
  }

  var compressedBytesRead: Int { source.compressedBytesRead }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(ContamError) -> Int {
    guard !held.isEmpty else {
      if let failure {
        self.failure = nil
        throw failure
      }
      return try source.read(into: buffer)
    }
    let n = min(held.count, buffer.count)
    held.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
    held.removeFirst(n)
    return n
  }
}
