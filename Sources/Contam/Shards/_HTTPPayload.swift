import CZlib
import CZstd

/// The body of the HTTP message a WARC `response` record holds, as the page's text: its header
/// block read for the codings, the transfer coding (`chunked`) and the content codings (`gzip`,
/// `deflate`, `zstd`) undone. A body that is a coding Contam does not decode (brotli) is not
/// text it can read, and must not pass as a page read clean: it is ``Outcome/unsupported``.
enum _HTTPPayload {
  enum Outcome: Equatable {
    /// The body is these bytes of the payload as they are.
    case slice(Range<Int>)
    /// The body, decoded.
    case decoded([UInt8])
    /// A coding Contam does not decode.
    case unsupported(String)
    /// A coding that does not decode.
    case corrupt(String)
    /// The decoded body is over the line limit.
    case tooLong
  }

  /// The body of `payload`, an HTTP response with its header block (a payload that does not
  /// start with `HTTP/` is all body), decoded to at most `maxBytes` bytes.
  static func body(of payload: [UInt8], in range: Range<Int>, maxBytes: Int) -> Outcome {
    var bodyStart = range.lowerBound
    var transfer: [String] = []
    var content: [String] = []
    if payload[range].starts(with: Array("HTTP/".utf8)), let (end, next) = headerEnd(payload, in: range) {
      let header = String(decoding: payload[range.lowerBound..<end], as: UTF8.self)
      for line in header.split(whereSeparator: \.isNewline).dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let values = line[line.index(after: colon)...].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if name == "transfer-encoding" { transfer += values }
        if name == "content-encoding" { content += values }
      }
      bodyStart = next
    }
    var body: [UInt8]? = nil  // nil: the payload's own bytes from bodyStart
    if transfer.contains("chunked") {
      guard let joined = dechunk(payload[bodyStart..<range.upperBound], maxBytes: maxBytes) else {
        return .corrupt("a chunked HTTP body whose chunks do not add up")
      }
      body = joined
    }
    // Codings in the order they were applied; undone last first. A body that starts with a
    // gzip or zstd magic but names no coding is decoded too (a server or archiver that dropped
    // the header): read as it is, it would be bytes that match nothing.
    var codings = content.filter { !$0.isEmpty && $0 != "identity" }
    if codings.isEmpty {
      let head = body.map { Array($0.prefix(4)) } ?? Array(payload[bodyStart..<min(bodyStart + 4, range.upperBound)])
      if head.starts(with: [0x1F, 0x8B]) { codings = ["gzip"] }
      if head.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { codings = ["zstd"] }
    }
    for coding in codings.reversed() {
      let input = body ?? Array(payload[bodyStart..<range.upperBound])
      let decoded: [UInt8]?
      switch coding {
      case "gzip", "x-gzip": decoded = inflate(input, windowBits: 15 + 32, maxBytes: maxBytes)
      case "deflate":
        // RFC 9110 says zlib-wrapped; some servers send raw deflate.
        decoded = inflate(input, windowBits: 15, maxBytes: maxBytes) ?? inflate(input, windowBits: -15, maxBytes: maxBytes)
      case "zstd": decoded = unzstd(input, maxBytes: maxBytes)
      case "br": return .unsupported("an HTTP body in brotli (Content-Encoding: br), which Contam does not decode")
      default: return .unsupported("an HTTP body in Content-Encoding '\(coding)', which Contam does not decode")
      }
      guard let decoded else { return .corrupt("an HTTP body in Content-Encoding '\(coding)' that does not decode") }
      if decoded.count > maxBytes { return .tooLong }
      body = decoded
    }
    if let body { return .decoded(body) }
    return .slice(bodyStart..<range.upperBound)
  }

  /// The end of a header block in `bytes[range]` (its last line break, before a blank line of
  /// `\n` or `\r\n`) and the next block's first byte: an HTTP message's, and a WARC record's.
  static func headerEnd(_ bytes: [UInt8], in range: Range<Int>) -> (end: Int, next: Int)? {
    var i = range.lowerBound
    while i + 1 < range.upperBound {
      if bytes[i] == 0x0A {
        if bytes[i + 1] == 0x0A { return (i, i + 2) }
        if bytes[i + 1] == 0x0D, i + 2 < range.upperBound, bytes[i + 2] == 0x0A { return (i, i + 3) }
      }
      i += 1
    }
    return nil
  }

  /// The chunks of a `chunked` body joined (sizes in hex, extensions and trailers passed
  /// over, CRLF or LF), or nil when a size is not hex. A body cut short (`WARC-Truncated`)
  /// keeps what it has.
  static func dechunk(_ bytes: ArraySlice<UInt8>, maxBytes: Int) -> [UInt8]? {
    var out: [UInt8] = []
    var i = bytes.startIndex
    while i < bytes.endIndex {
      var size = 0
      var digits = 0
      while i < bytes.endIndex, let digit = hexValue(bytes[i]) {
        size = size &* 16 &+ digit
        digits += 1
        i += 1
      }
      guard digits > 0, digits <= 15 else { return nil }
      while i < bytes.endIndex && bytes[i] != 0x0A { i += 1 }  // extensions, CR
      guard i < bytes.endIndex else { return out }
      i += 1
      if size == 0 { return out }  // trailers follow; nothing of the body
      let take = min(size, bytes.endIndex - i, maxBytes + 1 - out.count)
      out += bytes[i..<i + take]
      i += take
      if take < size { return out }
      if i < bytes.endIndex && bytes[i] == 0x0D { i += 1 }
      if i < bytes.endIndex && bytes[i] == 0x0A { i += 1 }
    }
    return out
  }

  private static func hexValue(_ byte: UInt8) -> Int? {
    switch byte {
    case 0x30...0x39: return Int(byte - 0x30)
    case 0x41...0x46: return Int(byte - 0x41 + 10)
    case 0x61...0x66: return Int(byte - 0x61 + 10)
    default: return nil
    }
  }

  /// `input` inflated by zlib (`windowBits` as `inflateInit2` takes them), stopping past
  /// `maxBytes`; nil when it is not that format. A body cut short (an archiver's size limit,
  /// `WARC-Truncated`) or damaged further on gives the text before the cut.
  static func inflate(_ input: [UInt8], windowBits: Int32, maxBytes: Int) -> [UInt8]? {
    var stream = z_stream()
    guard CZlib_inflateInit2(&stream, windowBits) == Z_OK else { return nil }
    defer { inflateEnd(&stream) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    return input.withUnsafeBytes { source -> [UInt8]? in
      stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress?.assumingMemoryBound(to: Bytef.self))
      stream.avail_in = uInt(source.count)
      while true {
        let (status, produced) = chunk.withUnsafeMutableBytes { target -> (Int32, Int) in
          stream.next_out = target.baseAddress?.assumingMemoryBound(to: Bytef.self)
          stream.avail_out = uInt(target.count)
          let status = CZlib.inflate(&stream, Z_NO_FLUSH)
          return (status, target.count - Int(stream.avail_out))
        }
        out += chunk[0..<produced]
        if out.count > maxBytes || status == Z_STREAM_END { return out }
        // No progress (input used up, or damaged data): what came out so far, if anything.
        guard status == Z_OK, produced > 0 || stream.avail_in > 0 else { return out.isEmpty ? nil : out }
      }
    }
  }

  /// `input` decompressed by zstd (every frame), stopping past `maxBytes`; nil when it is not
  /// zstd. Cut short or damaged further on, the text before that.
  static func unzstd(_ input: [UInt8], maxBytes: Int) -> [UInt8]? {
    guard let context = ZSTD_createDCtx() else { return nil }
    defer { ZSTD_freeDCtx(context) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    return input.withUnsafeBytes { source -> [UInt8]? in
      var inBuffer = ZSTD_inBuffer(src: source.baseAddress, size: source.count, pos: 0)
      var hint = 1
      while true {
        let produced = chunk.withUnsafeMutableBytes { target -> Int in
          var outBuffer = ZSTD_outBuffer(dst: target.baseAddress, size: target.count, pos: 0)
          hint = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
          return outBuffer.pos
        }
        if ZSTD_isError(hint) != 0 { return out.isEmpty ? nil : out }
        out += chunk[0..<produced]
        if out.count > maxBytes { return out }
        if inBuffer.pos == inBuffer.size && produced < chunk.count { return out.isEmpty && hint != 0 ? nil : out }
      }
    }
  }
}
