import Foundation

/// Reads back, from a file in 4 MiB pieces (never held whole), what a ``_ByteWriter`` wrote,
/// summing the pieces as they go by: the caller trusts nothing read until ``atEnd`` and
/// ``checksum`` is the one written (one pass over the file, not a checking pass first). Every
/// length is checked against the bytes left before anything is allocated, so a damaged or
/// crafted cache file is an error (and the index is built again), never a crash, whatever
/// its checksum.
struct _ByteReader: ~Copyable {
  struct Damaged: Error {}

  private let descriptor: Int32
  private var buffer: [UInt8]
  private var position = 0  // in buffer
  private var filled = 0  // bytes of buffer holding data
  private var remaining: Int  // payload bytes not yet in the buffer
  var atEnd: Bool { position == filled && remaining == 0 }
  /// Payload bytes not read yet.
  var bytesLeft: Int { filled - position + remaining }
  /// The XXH3-64 of each 1 MiB piece read so far (``_ByteWriter/piece``).
  private var pieceSums: [UInt64] = []
  /// The checksum ``_ByteWriter/finish()`` gives, of the bytes read so far (the payload's, once
  /// ``atEnd``).
  var checksum: UInt64 { pieceSums.withUnsafeBytes { XXH3.hash64($0) } }

  /// Reads `length` bytes from `descriptor`'s current offset.
  init(descriptor: Int32, length: Int) {
    self.descriptor = descriptor
    remaining = length
    buffer = [UInt8](repeating: 0, count: 4 * _ByteWriter.piece)
  }

  /// Reads up to `count` bytes; fewer only at the end of the file or on an error.
  private static func readFully(_ descriptor: Int32, into destination: UnsafeMutableRawPointer, count: Int) -> Int {
    var done = 0
    while done < count {
      let n = Glibc.read(descriptor, destination + done, count - done)
      if n <= 0 { break }
      done += n
    }
    return done
  }

  /// Moves what is left to the front and reads the next pieces.
  private mutating func refill() throws(Damaged) {
    guard position == filled else { throw Damaged() }  // only called when the buffer is used up
    let want = min(remaining, buffer.count)
    guard want > 0 else { throw Damaged() }
    let got = buffer.withUnsafeMutableBytes { Self.readFully(descriptor, into: $0.baseAddress!, count: want) }
    guard got == want else { throw Damaged() }
    // Fills start at multiples of the buffer's size, itself a multiple of the piece.
    buffer.withUnsafeBytes { raw in
      for start in stride(from: 0, to: got, by: _ByteWriter.piece) {
        pieceSums.append(XXH3.hash64(UnsafeRawBufferPointer(rebasing: raw[start..<min(got, start + _ByteWriter.piece)])))
      }
    }
    remaining -= got
    position = 0
    filled = got
  }

  /// Copies the next `count` bytes to `destination`.
  private mutating func copy(into destination: UnsafeMutableRawPointer, count: Int) throws(Damaged) {
    guard count >= 0, count <= bytesLeft else { throw Damaged() }
    var done = 0
    while done < count {
      if position == filled { try refill() }
      let taken = min(count - done, filled - position)
      buffer.withUnsafeBytes { raw in (destination + done).copyMemory(from: raw.baseAddress! + position, byteCount: taken) }
      position += taken
      done += taken
    }
  }

  mutating func read<T: BitwiseCopyable>(_: T.Type) throws(Damaged) -> T {
    let size = MemoryLayout<T>.size
    guard size <= 16 else { throw Damaged() }
    // Small values come whole from the buffer when they can, else through a copy.
    var bytes: (UInt64, UInt64) = (0, 0)
    try withUnsafeMutableBytes(of: &bytes) { raw throws(Damaged) in try copy(into: raw.baseAddress!, count: size) }
    return withUnsafeBytes(of: bytes) { $0.loadUnaligned(as: T.self) }
  }

  mutating func readInt() throws(Damaged) -> Int {
    let value = try read(Int64.self)
    guard let int = Int(exactly: value) else { throw Damaged() }
    return int
  }

  /// A count of things of `size` bytes each that fits in the bytes left.
  mutating func readCount(of size: Int) throws(Damaged) -> Int {
    let count = try readInt()
    guard count >= 0, count <= bytesLeft / max(1, size) else { throw Damaged() }
    return count
  }

  mutating func readArray<T: BitwiseCopyable>(of _: T.Type) throws(Damaged) -> [T] {
    let count = try readCount(of: MemoryLayout<T>.stride)
    var failure: Damaged? = nil
    let array = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
      do throws(Damaged) {
        if count > 0 { try copy(into: buffer.baseAddress!, count: count * MemoryLayout<T>.stride) }
        initialized = count
      } catch {
        failure = error
        initialized = 0
      }
    }
    if let failure { throw failure }
    return array
  }

  mutating func readArrays<T: BitwiseCopyable>(of type: T.Type) throws(Damaged) -> [[T]] {
    let count = try readCount(of: 8)
    var arrays: [[T]] = []
    arrays.reserveCapacity(count)
    for _ in 0..<count { arrays.append(try readArray(of: type)) }
    return arrays
  }

  mutating func readString() throws(Damaged) -> String {
    String(decoding: try readArray(of: UInt8.self), as: UTF8.self)
  }

  /// Raw bytes written by ``_ByteWriter/write(raw:count:)``, copied to `destination`, which
  /// must hold exactly `expected` bytes.
  mutating func readRaw(into destination: UnsafeMutableRawPointer, expected: Int) throws(Damaged) {
    let count = try readInt()
    guard count == expected else { throw Damaged() }
    try copy(into: destination, count: count)
  }
}
