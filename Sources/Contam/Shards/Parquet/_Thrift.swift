/// A value of the Thrift compact protocol, as far as Parquet's metadata needs: integers,
/// binary (strings), lists and structs by field id. Booleans and doubles are read and kept
/// as integers; sets and maps are read and skipped.
indirect enum _Thrift {
  case int(Int64)
  case binary(ArraySlice<UInt8>)
  case list([_Thrift])
  case structure([Int16: _Thrift])
  case skipped

  subscript(field: Int16) -> _Thrift? {
    if case .structure(let fields) = self { return fields[field] }
    return nil
  }

  var int: Int64? {
    if case .int(let value) = self { return value }
    return nil
  }

  var string: String? {
    if case .binary(let bytes) = self { return String(decoding: bytes, as: UTF8.self) }
    return nil
  }

  var list: [_Thrift] {
    if case .list(let elements) = self { return elements }
    return []
  }
}

/// Reads the Thrift compact protocol from bytes, refusing anything that does not fit: lengths
/// beyond the remaining bytes, nesting deeper than 32, unknown types. Used for the footer and
/// page headers of Parquet files, which come from untrusted shards.
struct _ThriftReader {
  let bytes: [UInt8]
  private(set) var position: Int

  struct Failure: Error { var message: String }

  init(_ bytes: [UInt8], at position: Int = 0) {
    self.bytes = bytes
    self.position = position
  }

  private mutating func byte() throws(Failure) -> UInt8 {
    guard position < bytes.count else { throw Failure(message: "the metadata ends early") }
    defer { position += 1 }
    return bytes[position]
  }

  mutating func varint() throws(Failure) -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      let b = try byte()
      result |= UInt64(b & 0x7F) << shift
      if b & 0x80 == 0 { return result }
      shift += 7
      guard shift < 64 else { throw Failure(message: "a varint longer than 10 bytes") }
    }
  }

  mutating func zigzag() throws(Failure) -> Int64 {
    let raw = try varint()
    return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
  }

  /// One value of compact type `type`.
  mutating func value(type: UInt8, depth: Int) throws(Failure) -> _Thrift {
    guard depth < 32 else { throw Failure(message: "metadata nested too deep") }
    switch type {
    case 1: return .int(1)  // boolean true (in a field header)
    case 2: return .int(0)  // boolean false
    case 3: return .int(Int64(Int8(bitPattern: try byte())))
    case 4, 5, 6: return .int(try zigzag())
    case 7:
      guard position + 8 <= bytes.count else { throw Failure(message: "the metadata ends inside a double") }
      position += 8
      return .skipped
    case 8:
      let length = Int(clamping: try varint())
      guard length <= bytes.count - position else { throw Failure(message: "a string longer than the metadata") }
      defer { position += length }
      return .binary(bytes[position..<position + length])
    case 9, 10:
      let header = try byte()
      var count = Int(header >> 4)
      if count == 15 { count = Int(clamping: try varint()) }
      let elementType = header & 0x0F
      // Every element takes at least one byte (booleans in lists included).
      guard count <= bytes.count - position else { throw Failure(message: "a list longer than the metadata") }
      var elements: [_Thrift] = []
      elements.reserveCapacity(count)
      for _ in 0..<count {
        if elementType == 1 || elementType == 2 {
          elements.append(.int(try byte() == 1 ? 1 : 0))
        } else {
          elements.append(try value(type: elementType, depth: depth + 1))
        }
      }
      return type == 9 ? .list(elements) : .skipped
    case 11:
      let count = Int(clamping: try varint())
      guard count <= bytes.count - position else { throw Failure(message: "a map longer than the metadata") }
      if count > 0 {
        let types = try byte()
        for _ in 0..<count {
          _ = try value(type: types >> 4, depth: depth + 1)
          _ = try value(type: types & 0x0F, depth: depth + 1)
        }
      }
      return .skipped
    case 12: return try structure(depth: depth + 1)
    default: throw Failure(message: "unknown Thrift type \(type)")
    }
  }

  /// A struct: fields until the stop byte.
  mutating func structure(depth: Int = 0) throws(Failure) -> _Thrift {
    var fields: [Int16: _Thrift] = [:]
    var last: Int16 = 0
    while true {
      let header = try byte()
      if header == 0 { return .structure(fields) }
      let type = header & 0x0F
      let delta = Int16(header >> 4)
      let id: Int16
      if delta == 0 {
        let raw = try zigzag()
        guard let small = Int16(exactly: raw) else { throw Failure(message: "a field id out of range") }
        id = small
      } else {
        id = last &+ delta
      }
      fields[id] = try value(type: type, depth: depth)
      last = id
    }
  }
}
