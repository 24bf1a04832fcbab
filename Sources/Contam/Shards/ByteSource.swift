/// A stream of bytes read in chunks: a file, or a decompressor over a file.
protocol ByteSource: AnyObject {
  /// Fills `buffer` with the next bytes.
  /// - Returns: how many bytes were written; 0 only at the end of the stream.
  /// - Throws: ``ContamError`` for unreadable, corrupt or truncated input.
  func read(into buffer: UnsafeMutableRawBufferPointer) throws(ContamError) -> Int
  /// Bytes of the underlying file consumed so far.
  var compressedBytesRead: Int { get }
}
