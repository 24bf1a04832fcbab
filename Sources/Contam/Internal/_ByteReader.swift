import Foundation

/// Reads back, from a file in 4 MiB pieces, what a ``_ByteWriter`` wrote: every length is
/// checked against the bytes left, so a truncated or damaged cache file is an error (and the
/// index is built again), never a crash; the checksum is taken on the way (``checksum``), so
/// the file is read once and never held whole.
struct _ByteReader: ~Copyable {
  struct Damaged: Error {}

  private let descriptor: Int32
  private var buffer: [UInt8]
  private var position = 0  // in buffer
  private var filled = 0  // bytes of buffer holding data
  private var remaining: Int  // payload bytes not yet in the buffer
  private var pieceSums: [UInt64] = []
  var atEnd: Bool { position == filled && remaining == 0 }

  /// Reads `length` bytes from `descriptor`'s current offset.
  init(descriptor: Int32, length: Int) {
    self.descriptor = descriptor
    remaining = length
    buffer = [UInt8](repeating: 0, count: 4 * _ByteWriter.piece)
  }

  /// The checksum of the payload, as ``_ByteWriter/finish()`` gives it; call at the end.
  var checksum: UInt64 { pieceSums.withUnsafeBytes { XXH3.hash64($0) } }

  /// Moves what is left to the front and reads the next pieces.
  private mutating func refill() throws(Damaged) {
    guard position == filled else { throw Damaged() }  // only called when the buffer is used up
    let want = min(remaining, buffer.count)
    guard want > 0 else { throw Damaged() }
    let got = buffer.withUnsafeMutableBytes { raw -> Int in
      var done = 0
      while done < want {
        let n = Glibc.read(descriptor, raw.baseAddress! + done, want - done)
        if n <= 0 { break }
        done += n
      }
      return done
    }
    guard got == want else { throw Damaged() }
    buffer.withUnsafeBytes { raw in
      var start = 0
      while start < got {
        let end = min(got, start + _ByteWriter.piece)
        pieceSums.append(XXH3.hash64(UnsafeRawBufferPointer(rebasing: raw[start..<end])))
        start = end
      }
    }
    remaining -= got
    position = 0
    filled = got
  }

  /// Copies the next `count` bytes to `destination`.
  private mutating func copy(into destination: UnsafeMutableRawPointer, count: Int) throws(Damaged) {
    guard count >= 0, count <= filled - position + remaining else { throw Damaged() }
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
    guard count >= 0, count <= (filled - position + remaining) / max(1, size) else { throw Damaged() }
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
