import CZstd

/// Streams the decompressed bytes of a zstd file, every frame of it.
///
/// `ZSTD_decompressStream` starts the next frame by itself after one ends, so a multi-frame
/// file (as `cat a.zst b.zst` or seekable writers make) is read whole. Input that ends inside
/// a frame is ``ContamError/Code/truncatedData``; any decoder error (bad frame, checksum
/// mismatch, bytes that are not a frame) is ``ContamError/Code/corruptData`` with zstd's own
/// message.
final class ZstdDecompressor: ByteSource {
  private let source: FileSource
  private let context: OpaquePointer
  private let input: UnsafeMutableRawBufferPointer
  private var inBuffer = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
  private var inputEnded = false
  /// The decoder's last hint: 0 exactly when the last frame ended and was flushed.
  private var lastHint = 0
  private var frames = 0
  private var finished = false

  var compressedBytesRead: Int { source.compressedBytesRead - (inBuffer.size - inBuffer.pos) }

  /// The default largest window a frame may ask for, as log2 bytes (zstd's own default:
  /// 128 MiB). Frames written with `zstd --long=N` for N above it need a larger limit.
  static let defaultWindowLogMax = 27
  /// The largest limit accepted: 2 GiB windows (`zstd --long=31`), memory the caller allows.
  static let windowLogLimit = 31
  private let windowLogMax: Int

  /// - Parameters:
  ///   - source: the file.
  ///   - windowLogMax: the largest window (log2 bytes) a frame may ask for; decoding a frame
  ///     needs that much memory.
  init(source: FileSource, windowLogMax: Int = ZstdDecompressor.defaultWindowLogMax) throws(ContamError) {
    self.source = source
    guard let context = ZSTD_createDCtx() else {
      throw ContamError(.corruptData, path: source.path, "ZSTD_createDCtx failed")
    }
    self.context = context
    self.windowLogMax = windowLogMax
    let set = ZSTD_DCtx_setParameter(context, ZSTD_d_windowLogMax, Int32(windowLogMax))
    if ZSTD_isError(set) != 0 {
      ZSTD_freeDCtx(context)
      throw ContamError(.invalidArgument, path: source.path, "zstd window log \(windowLogMax): \(String(cString: ZSTD_getErrorName(set)))")
    }
    input = .allocate(byteCount: ZSTD_DStreamInSize(), alignment: 64)
  }

  deinit {
    ZSTD_freeDCtx(context)
    input.deallocate()
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(ContamError) -> Int {
    if finished || buffer.count == 0 { return 0 }
    var out = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
    while out.pos == 0 {
      if inBuffer.pos == inBuffer.size {
        if !inputEnded {
          let n = try source.read(into: input)
          if n == 0 { inputEnded = true }
          inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: n, pos: 0)
        }
        if inputEnded && inBuffer.size == inBuffer.pos {
          // No input left; but the decoder may still hold output to flush.
          let hint = ZSTD_decompressStream(context, &out, &inBuffer)
          if ZSTD_isError(hint) != 0 { throw corrupt(hint) }
          if out.pos > 0 { lastHint = hint; break }
          finished = true
          if lastHint != 0 {
            throw ContamError(
              .truncatedData, path: source.path, offset: compressedBytesRead,
              "zstd stream ends inside frame \(frames + 1)")
          }
          return 0
        }
      }
      let hint = ZSTD_decompressStream(context, &out, &inBuffer)
      if ZSTD_isError(hint) != 0 { throw corrupt(hint) }
      if hint == 0 { frames += 1 }
      lastHint = hint
    }
    return out.pos
  }

  private func corrupt(_ code: Int) -> ContamError {
    finished = true
    let reason = String(cString: ZSTD_getErrorName(code))
    if ZSTD_getErrorCode(code) == ZSTD_error_frameParameter_windowTooLarge {
      let hint =
        windowLogMax < Self.windowLogLimit
        ? "; it was written with a long window (zstd --long): allow it with --zstd-window-log-max up to \(Self.windowLogLimit) (a window of 2^N bytes of memory per job)"
        : ""
      return ContamError(
        .corruptData, path: source.path, offset: compressedBytesRead,
        "zstd frame \(frames + 1): its window is larger than 2^\(windowLogMax) bytes\(hint)")
    }
    return ContamError(.corruptData, path: source.path, offset: compressedBytesRead, "zstd frame \(frames + 1): \(reason)")
  }
}
