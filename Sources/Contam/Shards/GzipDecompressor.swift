/// One inflate implementation under ``GzipDecompressor``: it holds the decoder state and the
/// unread input; the member loop around it is shared.
protocol _InflateEngine: AnyObject {
  /// Input bytes not consumed yet, and where they start.
  var availableInput: Int { get }
  var nextInput: UnsafePointer<UInt8>? { get }
  func setInput(_ start: UnsafePointer<UInt8>, count: Int)
  /// Inflates into `output`: bytes written, whether the current member ended, or the
  /// decoder's description of a data error.
  func inflate(into output: UnsafeMutableRawBufferPointer) -> (produced: Int, memberEnded: Bool, error: String?)
  /// Starts decoding a new member at the current input position.
  func startNextMember()
}

/// Streams the decompressed bytes of a gzip file, every member of it.
///
/// Files written by `pigz`, by `cat a.gz b.gz` or by block-parallel writers hold several gzip
/// members one after the other; after each member's end the decoder starts the next while
/// input remains. Bytes after a member that do not start a new member are reported as
/// ``ContamError/Code/trailingGarbage`` (the data before them is complete and kept); a damaged
/// member (bad header, block or CRC-32) is ``ContamError/Code/corruptData``; input that ends
/// inside a member is ``ContamError/Code/truncatedData``. The inflate step is ISA-L's igzip
/// (``ShardReaderOptions/Inflater/isal``, the default) or zlib.
final class GzipDecompressor: ByteSource {
  private let source: FileSource
  private let engine: _InflateEngine
  private let input: UnsafeMutableRawBufferPointer
  private var inputEnded = false
  /// True between a member's first input byte and its end.
  private var inMember = true
  private var memberEnded = false
  private var members = 0
  /// Set once the stream has ended (cleanly, or with trailing garbage or an error).
  private var finished = false

  var compressedBytesRead: Int { source.compressedBytesRead - engine.availableInput }

  init(source: FileSource, inflater: ShardReaderOptions.Inflater, inputSize: Int = 1 << 18) throws(ContamError) {
    self.source = source
    switch inflater {
    case .isal: engine = _IsalInflateEngine()
    case .zlib: engine = try _ZlibInflateEngine(path: source.path)
    }
    input = .allocate(byteCount: inputSize, alignment: 64)
  }

  deinit { input.deallocate() }

  /// Refills the input buffer, keeping unread bytes at its front.
  private func refill() throws(ContamError) {
    let left = engine.availableInput
    if left > 0, let next = engine.nextInput {
      input.baseAddress!.copyMemory(from: next, byteCount: left)
    }
    let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: input[left...]))
    if n == 0 { inputEnded = true }
    engine.setInput(input.baseAddress!.assumingMemoryBound(to: UInt8.self), count: left + n)
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(ContamError) -> Int {
    if finished || buffer.count == 0 { return 0 }
    let capacity = min(buffer.count, Int(UInt32.max))
    var produced = 0
    while produced == 0 {
      if memberEnded {
        // A member ended: another may follow. Look at the next two bytes.
        if engine.availableInput < 2 && !inputEnded {
          try refill()
          continue
        }
        if engine.availableInput == 0 {
          finished = true
          return 0
        }
        let next = engine.nextInput!
        if engine.availableInput >= 2 && next[0] == 0x1F && next[1] == 0x8B {
          engine.startNextMember()
          memberEnded = false
          inMember = true
          continue
        }
        finished = true
        throw ContamError(
          .trailingGarbage, path: source.path, offset: compressedBytesRead,
          "\(engine.availableInput)\(inputEnded ? "" : "+") bytes after gzip member \(members) are not a gzip member; ignored")
      }
      if engine.availableInput == 0 {
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
      let step = engine.inflate(into: UnsafeMutableRawBufferPointer(start: buffer.baseAddress! + produced, count: capacity - produced))
      produced += step.produced
      if let error = step.error {
        finished = true
        throw ContamError(.corruptData, path: source.path, offset: compressedBytesRead, "gzip member \(members + 1): \(error)")
      }
      if step.memberEnded {
        members += 1
        memberEnded = true
        inMember = false
      }
    }
    return produced
  }
}
