import CIsal

/// Streams the decompressed bytes of a gzip file with ISA-L's igzip (the default gzip decoder:
/// measured 2.4× zlib's inflate on this project's machines), every member of it.
///
/// Same contract as ``GzipDecompressor``: after each member's end the state is reset and reading
/// goes on while input remains; bytes after a member that do not start a new one are
/// ``ContamError/Code/trailingGarbage``; a bad block, header or CRC-32 is
/// ``ContamError/Code/corruptData``; input that ends inside a member is
/// ``ContamError/Code/truncatedData``.
final class IsalGzipDecompressor: ByteSource {
  private let source: FileSource
  /// ISA-L's state is large and must not move.
  private let state: UnsafeMutablePointer<inflate_state>
  private let input: UnsafeMutableRawBufferPointer
  private var inputEnded = false
  private var inMember = true
  private var memberEnded = false
  private var members = 0
  private var finished = false

  var compressedBytesRead: Int { source.compressedBytesRead - Int(state.pointee.avail_in) }

  init(source: FileSource, inputSize: Int = 1 << 18) {
    self.source = source
    state = .allocate(capacity: 1)
    state.initialize(to: inflate_state())
    isal_inflate_init(state)
    state.pointee.crc_flag = UInt32(ISAL_GZIP)
    input = .allocate(byteCount: inputSize, alignment: 64)
  }

  deinit {
    state.deallocate()
    input.deallocate()
  }

  private func refill() throws(ContamError) {
    let left = Int(state.pointee.avail_in)
    if left > 0, let next = state.pointee.next_in {
      input.baseAddress!.copyMemory(from: next, byteCount: left)
    }
    let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: input[left...]))
    if n == 0 { inputEnded = true }
    state.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
    state.pointee.avail_in = UInt32(left + n)
  }

  /// Starts the next member, keeping the unread input.
  private func reset() {
    let next = state.pointee.next_in
    let available = state.pointee.avail_in
    isal_inflate_reset(state)
    state.pointee.crc_flag = UInt32(ISAL_GZIP)
    state.pointee.next_in = next
    state.pointee.avail_in = available
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(ContamError) -> Int {
    if finished || buffer.count == 0 { return 0 }
    let capacity = min(buffer.count, Int(UInt32.max))
    var produced = 0
    while produced == 0 {
      if memberEnded {
        if state.pointee.avail_in < 2 && !inputEnded {
          try refill()
          continue
        }
        if state.pointee.avail_in == 0 {
          finished = true
          return 0
        }
        let next = state.pointee.next_in!
        if state.pointee.avail_in >= 2 && next[0] == 0x1F && next[1] == 0x8B {
          reset()
          memberEnded = false
          inMember = true
          continue
        }
        finished = true
        throw ContamError(
          .trailingGarbage, path: source.path, offset: compressedBytesRead,
          "\(state.pointee.avail_in)\(inputEnded ? "" : "+") bytes after gzip member \(members) are not a gzip member; ignored")
      }
      if state.pointee.avail_in == 0 {
        if inputEnded {
          finished = true
          if inMember {
            throw ContamError(
              .truncatedData, path: source.path, offset: compressedBytesRead, "gzip stream ends inside member \(members + 1)")
          }
          return 0
        }
        try refill()
        continue
      }
      state.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + produced
      state.pointee.avail_out = UInt32(capacity - produced)
      let status = isal_inflate(state)
      produced = capacity - Int(state.pointee.avail_out)
      if status != ISAL_DECOMP_OK && status != ISAL_END_INPUT {
        finished = true
        let reason: String
        switch status {
        case ISAL_INCORRECT_CHECKSUM: reason = "CRC-32 mismatch"
        case ISAL_INVALID_WRAPPER: reason = "invalid gzip header"
        case ISAL_INVALID_BLOCK: reason = "invalid deflate block"
        case ISAL_INVALID_SYMBOL: reason = "invalid deflate symbol"
        case ISAL_INVALID_LOOKBACK: reason = "invalid distance"
        default: reason = "igzip error \(status)"
        }
        throw ContamError(.corruptData, path: source.path, offset: compressedBytesRead, "gzip member \(members + 1): \(reason)")
      }
      if state.pointee.block_state == ISAL_BLOCK_FINISH {
        members += 1
        memberEnded = true
        inMember = false
      }
    }
    return produced
  }
}
