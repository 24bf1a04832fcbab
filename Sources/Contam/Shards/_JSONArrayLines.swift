/// A shard that is one JSON array of records (`[{…}, {…}]`, as Alpaca and ShareGPT dumps are
/// written, pretty-printed or not), read as JSON Lines: the bytes pass through with the same
/// length, but the array's brackets and the white space between and inside its records become
/// spaces, and each comma between two records a line break. So record k is line k, every byte
/// offset is the file's own, and the JSON Lines reader needs nothing new.
///
/// It changes nothing unless the stream opens with `[` and then `{` (white space aside): a text
/// file that opens with `[` (`[1] Introduction`) passes through as it is.
final class _JSONArrayLines: ByteSource {
  private let source: ByteSource
  /// Undecided until the first bytes that are not white space are seen.
  private enum Mode { case undecided, array, passThrough }
  private var mode = Mode.undecided
  /// Bytes held back while undecided (white space, then `[`, then white space).
  private var held: [UInt8] = []
  private var depth = 0
  private var inString = false
  private var escaped = false

  init(_ source: ByteSource) { self.source = source }

  var compressedBytesRead: Int { source.compressedBytesRead }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(ContamError) -> Int {
    if mode == .undecided { try decide(capacity: buffer.count) }
    if !held.isEmpty {
      let n = min(held.count, buffer.count)
      held.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
      held.removeFirst(n)
      if mode == .array { rewrite(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<n])) }
      return n
    }
    let n = try source.read(into: buffer)
    if mode == .array { rewrite(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<n])) }
    return n
  }

  /// Reads until the first byte that is not white space, and the one after a `[`.
  private func decide(capacity: Int) throws(ContamError) {
    var chunk = [UInt8](repeating: 0, count: max(1, min(capacity, 1 << 16)))
    var sawBracket = false
    while mode == .undecided {
      var failure: ContamError? = nil
      let n = chunk.withUnsafeMutableBytes { bytes -> Int in
        do throws(ContamError) { return try source.read(into: bytes) } catch {
          failure = error
          return 0
        }
      }
      if let failure { throw failure }
      if n == 0 {
        mode = .passThrough
        break
      }
      let start = held.count
      held.append(contentsOf: chunk[0..<n])
      for b in held[start...] where !(b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || (!sawBracket && (b == 0xEF || b == 0xBB || b == 0xBF))) {
        if !sawBracket && b == UInt8(ascii: "[") {
          sawBracket = true
          continue
        }
        mode = sawBracket && b == UInt8(ascii: "{") ? .array : .passThrough
        break
      }
    }
  }

  /// Rewrites a run of the array's bytes in place, keeping the state across runs.
  private func rewrite(_ bytes: UnsafeMutableRawBufferPointer) {
    for i in bytes.indices {
      let b = bytes[i]
      if inString {
        if escaped {
          escaped = false
        } else if b == 0x5C {
          escaped = true
        } else if b == 0x22 {
          inString = false
        }
        continue
      }
      switch b {
      case 0x22:
        inString = true
      case UInt8(ascii: "["), UInt8(ascii: "{"):
        depth += 1
        if depth == 1 { bytes[i] = 0x20 }  // the array's own bracket
      case UInt8(ascii: "]"), UInt8(ascii: "}"):
        if depth == 1 { bytes[i] = 0x20 }
        depth -= 1
      case UInt8(ascii: ","):
        if depth == 1 { bytes[i] = 0x0A }  // between two records: the line break
      case 0x0A, 0x0D, 0x09:
        bytes[i] = 0x20
      default:
        break
      }
    }
  }
}
