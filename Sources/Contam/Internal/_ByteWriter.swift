import Foundation

/// Writes fixed-width values and arrays of them to a file through a 1 MiB buffer, for the index
/// cache (``IndexCache``), and checksums what it wrote (``checksum``). Values are in the
/// machine's byte order: a cache file is read back only by the build that wrote it.
struct _ByteWriter: ~Copyable {
  /// Bytes per checksummed piece: the checksum is the XXH3-64 of the pieces' XXH3-64s, so it
  /// does not depend on how the writes fell.
  static let piece = 1 << 20

  private let file: FileHandle
  private var buffer: [UInt8] = []
  private var pieceSums: [UInt64] = []
  private(set) var count = 0
  private(set) var failed = false

  init(file: FileHandle) {
    self.file = file
    buffer.reserveCapacity(2 * Self.piece)
  }

  private mutating func append(_ bytes: UnsafeRawBufferPointer) {
    var rest = bytes
    while !rest.isEmpty {
      let room = Self.piece - buffer.count
      let taken = min(room, rest.count)
      buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[..<taken]))
      rest = UnsafeRawBufferPointer(rebasing: rest[taken...])
      if buffer.count == Self.piece { flush() }
    }
    count += bytes.count
  }

  private mutating func flush() {
    guard !buffer.isEmpty else { return }
    buffer.withUnsafeBytes { raw in
      pieceSums.append(XXH3.hash64(raw))
      if !failed {
        do { try file.write(contentsOf: raw) } catch { failed = true }
      }
    }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Writes what is buffered; the checksum of everything written.
  mutating func finish() -> UInt64 {
    flush()
    return pieceSums.withUnsafeBytes { XXH3.hash64($0) }
  }

  /// The checksum ``finish()`` gives for `bytes` written at once.
  static func checksum(of bytes: UnsafeRawBufferPointer) -> UInt64 {
    var sums: [UInt64] = []
    var start = 0
    while start < bytes.count {
      let end = min(bytes.count, start + piece)
      sums.append(XXH3.hash64(UnsafeRawBufferPointer(rebasing: bytes[start..<end])))
      start = end
    }
    return sums.withUnsafeBytes { XXH3.hash64($0) }
  }

  mutating func write<T: BitwiseCopyable>(_ value: T) {
    withUnsafeBytes(of: value) { append($0) }
  }

  mutating func write(_ value: Int) { write(Int64(value)) }

  mutating func write<T: BitwiseCopyable>(_ array: [T]) {
    write(array.count)
    array.withUnsafeBytes { append($0) }
  }

  mutating func write<T: BitwiseCopyable>(_ arrays: [[T]]) {
    write(arrays.count)
    for array in arrays { write(array) }
  }

  /// Rows of a ragged list, as ``write(_:)-([[T]])`` writes the same rows as arrays (read back
  /// alike), without making an array of each: the rows `rows` names, in its order.
  mutating func write<T: BitwiseCopyable>(_ ragged: _Ragged<T>, rows: some Collection<Int>) {
    write(rows.count)
    for r in rows {
      let row = ragged[r]
      write(row.count)
      row.withUnsafeBytes { append($0) }
    }
  }

  mutating func write(_ string: String) { write(Array(string.utf8)) }

  mutating func write(raw pointer: UnsafeRawPointer, count: Int) {
    write(count)
    append(UnsafeRawBufferPointer(start: pointer, count: count))
  }
}
