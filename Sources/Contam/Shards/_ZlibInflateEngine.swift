import CZlib

/// zlib's inflate as a ``_InflateEngine`` (`--inflate zlib`).
final class _ZlibInflateEngine: _InflateEngine {
  /// zlib needs the stream at a stable address.
  private let stream: UnsafeMutablePointer<z_stream>

  init(path: String) throws(ContamError) {
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    // 15 + 16: a gzip wrapper is required (the codec was chosen by its magic bytes).
    let status = CZlib_inflateInit2(stream, 15 + 16)
    guard status == Z_OK else {
      stream.deallocate()
      throw ContamError(.corruptData, path: path, "zlib inflateInit2 failed (\(status))")
    }
  }

  deinit {
    inflateEnd(stream)
    stream.deallocate()
  }

  var availableInput: Int { Int(stream.pointee.avail_in) }
  var nextInput: UnsafePointer<UInt8>? { stream.pointee.next_in.map { UnsafePointer($0) } }

  func setInput(_ start: UnsafePointer<UInt8>, count: Int) {
    stream.pointee.next_in = UnsafeMutablePointer(mutating: start)
    stream.pointee.avail_in = UInt32(count)
  }

  func inflate(into output: UnsafeMutableRawBufferPointer) -> (produced: Int, memberEnded: Bool, error: String?) {
    stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
    stream.pointee.avail_out = UInt32(output.count)
    let status = CZlib.inflate(stream, Z_NO_FLUSH)
    let produced = output.count - Int(stream.pointee.avail_out)
    switch status {
    case Z_STREAM_END: return (produced, true, nil)
    case Z_OK, Z_BUF_ERROR: return (produced, false, nil)
    default: return (produced, false, stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)")
    }
  }

  func startNextMember() { inflateReset(stream) }
}
