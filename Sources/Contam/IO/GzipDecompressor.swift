import CZlib

/// Streams the decompressed bytes of a gzip file, every member of it.
///
/// Files written by `pigz`, by `cat a.gz b.gz` or by block-parallel writers hold several
/// gzip members one after the other; after each member's end the stream is reset and goes on
/// while input remains. Bytes after a member that do not start a new member are reported as
/// ``ContamError/Code/trailingGarbage`` (the data before them is complete and kept); a damaged
/// member is ``ContamError/Code/corruptData`` (zlib checks each member's CRC-32 and length),
/// and input that ends inside a member is ``ContamError/Code/truncatedData``.
final class GzipDecompressor: ByteSource {
  private let source: FileSource
  /// zlib needs the stream at a stable address.
  private let stream: UnsafeMutablePointer<z_stream>
  private let input: UnsafeMutableRawBufferPointer
  private var inputEnded = false
  /// True between a member's first input byte and its end.
  private var inMember = true
  private var memberEnded = false
  private var members = 0
  /// Set once the stream has ended (cleanly or with trailing garbage).
  private var finished = false

  var compressedBytesRead: Int { source.compressedBytesRead - Int(stream.pointee.avail_in) }

  init(source: FileSource, inputSize: Int = 1 << 18) throws(ContamError) {
    self.source = source
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    input = .allocate(byteCount: inputSize, alignment: 64)
    // 15 + 16: a gzip wrapper is required (the codec was chosen by its magic bytes).
    let status = CZlib_inflateInit2(stream, 15 + 16)
    guard status == Z_OK else {
      input.deallocate()
      stream.deallocate()
      throw ContamError(.corruptData, path: source.path, "zlib inflateInit2 failed (\(status))")
    }
  }

  deinit {
    inflateEnd(stream)
    stream.deallocate()
    input.deallocate()
  }

  /// Refills the input buffer, keeping unread bytes at its front.
  private func refill() throws(ContamError) {
    let left = Int(stream.pointee.avail_in)
    if left > 0, let next = stream.pointee.next_in {
      input.baseAddress!.copyMemory(from: next, byteCount: left)
    }
    let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: input[left...]))
    if n == 0 { inputEnded = true }
    stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
    stream.pointee.avail_in = UInt32(left + n)
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(ContamError) -> Int {
    if finished || buffer.count == 0 { return 0 }
    stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
    stream.pointee.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
    let capacity = Int(stream.pointee.avail_out)
    while Int(stream.pointee.avail_out) == capacity {
      if memberEnded {
        // A member ended: another may follow. Look at the next two bytes.
        if stream.pointee.avail_in < 2 && !inputEnded { try refill() ; continue }
        if stream.pointee.avail_in == 0 {
          finished = true
          return 0
        }
        let next = stream.pointee.next_in!
        if stream.pointee.avail_in >= 2 && next[0] == 0x1F && next[1] == 0x8B {
          inflateReset(stream)
          memberEnded = false
          inMember = true
          continue
        }
        finished = true
        let offset = compressedBytesRead
        let trailing = Int(stream.pointee.avail_in)
        throw ContamError(
          .trailingGarbage, path: source.path, offset: offset,
          "\(trailing)\(inputEnded ? "" : "+") bytes after gzip member \(members) are not a gzip member; ignored")
      }
      if stream.pointee.avail_in == 0 {
        if inputEnded {
          finished = true
          if inMember {
            throw ContamError(
              .truncatedData, path: source.path, offset: compressedBytesRead,
              "gzip stream ends inside member \(members + 1)")
          }
          return 0
        }
        try refill()
        continue
      }
      let status = inflate(stream, Z_NO_FLUSH)
      switch status {
      case Z_STREAM_END:
        members += 1
        memberEnded = true
        inMember = false
      case Z_OK, Z_BUF_ERROR:
        break
      default:
        finished = true
        let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
        throw ContamError(
          .corruptData, path: source.path, offset: compressedBytesRead,
          "gzip member \(members + 1): \(reason)")
      }
    }
    return capacity - Int(stream.pointee.avail_out)
  }
}
