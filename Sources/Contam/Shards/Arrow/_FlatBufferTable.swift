/// One table of a FlatBuffers buffer (the metadata of Arrow IPC messages), read field by field
/// with every offset checked against the buffer: a damaged or hostile message is a ``Failure``
/// naming what did not fit, never a read out of bounds.
///
/// The layout (flatbuffers.dev, "Internals"): the buffer starts with the 32-bit offset of the
/// root table; a table starts with the signed 32-bit distance back to its vtable; the vtable
/// holds its own size, the table's size, then one 16-bit offset per field (0: the field is
/// absent, its default applies). Strings, vectors and other tables are reached through a 32-bit
/// offset from where the offset is stored. All little-endian.
struct _FlatBufferTable {
  struct Failure: Error { var message: String }

  let bytes: [UInt8]
  /// Where the table starts in `bytes`.
  let position: Int
  /// Where its vtable starts, and the vtable's size in bytes.
  private let vtable: Int
  private let vtableSize: Int

  /// The root table of `bytes`.
  init(root bytes: [UInt8]) throws(Failure) {
    try self.init(bytes, at: Int(try Self.load(UInt32.self, bytes, at: 0)))
  }

  init(_ bytes: [UInt8], at position: Int) throws(Failure) {
    self.bytes = bytes
    self.position = position
    let back = Int(try Self.load(Int32.self, bytes, at: position))
    vtable = position - back
    vtableSize = Int(try Self.load(UInt16.self, bytes, at: vtable))
    guard vtableSize >= 4, vtableSize % 2 == 0 else { throw Failure(message: "a FlatBuffers vtable of \(vtableSize) bytes") }
  }

  /// A little-endian integer at `offset`, or a failure when it does not lie inside `bytes`.
  static func load<T: FixedWidthInteger>(_ type: T.Type, _ bytes: [UInt8], at offset: Int) throws(Failure) -> T {
    let size = MemoryLayout<T>.size
    guard offset >= 0, offset <= bytes.count - size else {
      throw Failure(message: "a FlatBuffers offset (\(offset)) outside the message of \(bytes.count) bytes")
    }
    var value: T = 0
    for k in 0..<size { value |= T(truncatingIfNeeded: bytes[offset + k]) << (8 * k) }
    return value
  }

  /// Where field `slot` is stored in the table, or nil when the table does not have it.
  func fieldOffset(_ slot: Int) throws(Failure) -> Int? {
    let entry = 4 + 2 * slot
    guard entry + 2 <= vtableSize else { return nil }
    let offset = Int(try Self.load(UInt16.self, bytes, at: vtable + entry))
    return offset == 0 ? nil : position + offset
  }

  /// The scalar in field `slot`, or `value` when it is absent.
  func scalar<T: FixedWidthInteger>(_ slot: Int, default value: T) throws(Failure) -> T {
    guard let at = try fieldOffset(slot) else { return value }
    return try Self.load(T.self, bytes, at: at)
  }

  /// Where the object that field `slot` points to starts, or nil when the field is absent.
  private func target(_ slot: Int) throws(Failure) -> Int? {
    guard let at = try fieldOffset(slot) else { return nil }
    return at + Int(try Self.load(UInt32.self, bytes, at: at))
  }

  /// The table in field `slot`.
  func table(_ slot: Int) throws(Failure) -> _FlatBufferTable? {
    guard let at = try target(slot) else { return nil }
    return try _FlatBufferTable(bytes, at: at)
  }

  /// The string in field `slot`, its bytes decoded as UTF-8 (invalid bytes replaced).
  func string(_ slot: Int) throws(Failure) -> String? {
    guard let (start, count) = try vector(slot, elementSize: 1) else { return nil }
    return String(decoding: bytes[start..<(start + count)], as: UTF8.self)
  }

  /// The first element's position and the element count of the vector in field `slot`, each
  /// element `elementSize` bytes, all inside the buffer.
  func vector(_ slot: Int, elementSize: Int) throws(Failure) -> (start: Int, count: Int)? {
    guard let at = try target(slot) else { return nil }
    let count = Int(try Self.load(UInt32.self, bytes, at: at))
    let start = at + 4
    guard count <= (bytes.count - start) / max(1, elementSize) else {
      throw Failure(message: "a FlatBuffers vector of \(count) elements past the message's end")
    }
    return (start, count)
  }

  /// The tables of the vector in field `slot` (empty when absent).
  func tables(_ slot: Int) throws(Failure) -> [_FlatBufferTable] {
    guard let (start, count) = try vector(slot, elementSize: 4) else { return [] }
    var tables: [_FlatBufferTable] = []
    for k in 0..<count {
      let at = start + 4 * k
      tables.append(try _FlatBufferTable(bytes, at: at + Int(try Self.load(UInt32.self, bytes, at: at))))
    }
    return tables
  }
}
