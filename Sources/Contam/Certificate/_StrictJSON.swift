/// A JSON value exactly as written: object keys in order, numbers as their text.
indirect enum _JSONTree: Equatable {
  case object([(key: String, value: _JSONTree)])
  case array([_JSONTree])
  case string(String)
  case number(String)
  case bool(Bool)
  case null

  static func == (a: _JSONTree, b: _JSONTree) -> Bool {
    switch (a, b) {
    case (.object(let x), .object(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    case (.array(let x), .array(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.number(let x), .number(let y)): return x == y
    case (.bool(let x), .bool(let y)): return x == y
    case (.null, .null): return true
    default: return false
    }
  }

  /// The value at `key` of an object.
  subscript(key: String) -> _JSONTree? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.key == key }?.value
  }
}

/// A JSON reader that refuses what lenient decoders let through: duplicate keys (Foundation
/// keeps the first, Python and jq the last, so two readers would see two documents), nesting
/// deeper than a limit, and anything after the value. Errors name the JSON path
/// (`$.items[3].verdict`) and the byte offset.
struct _StrictJSON {
  private let bytes: [UInt8]
  private var i = 0
  /// Deeper nesting is refused (a certificate nests about 6 levels).
  static let maximumDepth = 64

  /// Parses `bytes` as one JSON value.
  /// - Throws: ``ContamError/Code/invalidCertificate`` naming the JSON path and byte offset.
  static func parse(_ bytes: [UInt8]) throws(ContamError) -> _JSONTree {
    var parser = _StrictJSON(bytes: bytes)
    parser.skipSpace()
    let value = try parser.value(path: "$", depth: 0)
    parser.skipSpace()
    guard parser.i == bytes.count else { throw parser.failure("$", "text after the JSON value") }
    return value
  }

  private init(bytes: [UInt8]) { self.bytes = bytes }

  private func failure(_ path: String, _ message: String) -> ContamError {
    ContamError(.invalidCertificate, offset: i, "at \(path): \(message)")
  }

  private mutating func skipSpace() {
    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
  }

  private mutating func expect(_ literal: String, _ path: String) throws(ContamError) {
    for byte in literal.utf8 {
      guard i < bytes.count, bytes[i] == byte else { throw failure(path, "expected '\(literal)'") }
      i += 1
    }
  }

  private mutating func value(path: String, depth: Int) throws(ContamError) -> _JSONTree {
    guard depth <= Self.maximumDepth else { throw failure(path, "nested deeper than \(Self.maximumDepth) levels") }
    guard i < bytes.count else { throw failure(path, "the text ends where a value should be") }
    switch bytes[i] {
    case UInt8(ascii: "{"):
      i += 1
      var members: [(key: String, value: _JSONTree)] = []
      var seen = Set<String>()
      skipSpace()
      if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
        i += 1
        return .object(members)
      }
      while true {
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw failure(path, "expected a key") }
        let key = try string(path)
        guard seen.insert(key).inserted else { throw failure(path + "." + key, "duplicate key") }
        skipSpace()
        try expect(":", path)
        skipSpace()
        members.append((key, try value(path: path + "." + key, depth: depth + 1)))
        skipSpace()
        guard i < bytes.count else { throw failure(path, "the text ends inside an object") }
        if bytes[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        try expect("}", path)
        return .object(members)
      }
    case UInt8(ascii: "["):
      i += 1
      var elements: [_JSONTree] = []
      skipSpace()
      if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
        i += 1
        return .array(elements)
      }
      while true {
        skipSpace()
        elements.append(try value(path: "\(path)[\(elements.count)]", depth: depth + 1))
        skipSpace()
        guard i < bytes.count else { throw failure(path, "the text ends inside an array") }
        if bytes[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        try expect("]", path)
        return .array(elements)
      }
    case UInt8(ascii: "\""): return .string(try string(path))
    case UInt8(ascii: "t"):
      try expect("true", path)
      return .bool(true)
    case UInt8(ascii: "f"):
      try expect("false", path)
      return .bool(false)
    case UInt8(ascii: "n"):
      try expect("null", path)
      return .null
    default: return .number(try number(path))
    }
  }

  private mutating func number(_ path: String) throws(ContamError) -> String {
    let start = i
    func digits() -> Int {
      let from = i
      while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
      return i - from
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
    guard digits() > 0 else { throw failure(path, "not a JSON value") }
    if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
      i += 1
      guard digits() > 0 else { throw failure(path, "a number needs digits after '.'") }
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
      i += 1
      if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
      guard digits() > 0 else { throw failure(path, "a number needs digits in its exponent") }
    }
    return String(decoding: bytes[start..<i], as: UTF8.self)
  }

  /// A string at `bytes[i] == '"'`, escapes decoded; invalid UTF-8 or a raw control character is an error.
  private mutating func string(_ path: String) throws(ContamError) -> String {
    i += 1
    var out: [UInt8] = []
    while true {
      guard i < bytes.count else { throw failure(path, "the text ends inside a string") }
      let byte = bytes[i]
      i += 1
      switch byte {
      case UInt8(ascii: "\""):
        guard let text = String(validating: out, as: UTF8.self) else { throw failure(path, "a string that is not UTF-8") }
        return text
      case UInt8(ascii: "\\"):
        guard i < bytes.count else { throw failure(path, "the text ends inside an escape") }
        let escape = bytes[i]
        i += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
          var scalar = try hex4(path)
          if (0xD800..<0xDC00).contains(scalar) {
            try expect("\\u", path)
            let low = try hex4(path)
            guard (0xDC00..<0xE000).contains(low) else { throw failure(path, "a lone surrogate in \\u escapes") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let unicode = Unicode.Scalar(scalar) else { throw failure(path, "a lone surrogate in \\u escapes") }
          out.append(contentsOf: Array(String(Character(unicode)).utf8))
        default: throw failure(path, "an unknown escape")
        }
      default:
        guard byte >= 0x20 else { throw failure(path, "a control character inside a string") }
        out.append(byte)
      }
    }
  }

  private mutating func hex4(_ path: String) throws(ContamError) -> UInt32 {
    guard i + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else {
      throw failure(path, "a \\u escape needs four hex digits")
    }
    i += 4
    return value
  }
}
