/// Finds one field of a JSON object in a line of bytes, without building a JSON tree.
///
/// The whole line is checked to be one well-formed JSON object (strings, numbers, literals,
/// nesting of any depth: the scan keeps an explicit stack, no recursion), and the value at the
/// path is located. When a key repeats, the last occurrence is the value, as in Python's `json`
/// and most JSON libraries; when the path's string repeats, the first string is kept too
/// (``earlierString``: simdjson and other readers take the first). String values come back as the byte range of their body plus a flag saying
/// whether escapes need decoding (``JSONString/unescape(_:into:)``).
///
/// Leniency, stated: control characters inside strings are accepted (real dumps carry raw
/// tabs), and escapes are only checked in the strings that are decoded.
@_spi(Testing) public struct JSONFieldExtractor {
  /// What the path holds.
  public enum Value: Equatable {
    /// A string: the body between the quotes, `[start, end)`, and whether it has escapes.
    case string(start: Int, end: Int, escaped: Bool)
    /// A number: the literal's bytes `[start, end)`.
    case number(start: Int, end: Int)
    /// An array: its bytes from `[` to `]`, both included (``JSONArrayText`` reads its strings).
    case array(start: Int, end: Int)
    /// Another JSON type: `null`, `true`/`false` or `object`.
    case other(String)
  }

  /// The result of a scan.
  public enum Outcome: Equatable {
    case found(Value)
    case missing
    /// Not a JSON object; `column` is the 0-based byte where the scan failed.
    case notJSON(column: Int, reason: String)
  }

  let path: FieldPath
  /// Container stack: true = object, false = array. Reused across lines.
  private var stack: [Bool] = []
  /// After a scan whose path held a string more than once: the first of them (the value found
  /// is the last).
  public private(set) var earlierString: (start: Int, end: Int, escaped: Bool)?

  public init(path: FieldPath) {
    self.path = path
    stack.reserveCapacity(64)
  }

  /// Scans one line (without its newline).
  public mutating func extract(_ line: UnsafeRawBufferPointer) -> Outcome {
    guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
      return .notJSON(column: 0, reason: "empty line")
    }
    let n = line.count
    var i = 0
    stack.removeAll(keepingCapacity: true)
    earlierString = nil
    var found: Value? = nil
    // Open objects at depths 1...matched+1 lie on the path: depth 1 is the root, depth k+1 the
    // value of keys[k-1].
    var matched = 0
    let keys = path.keyBytes
    let last = keys.count - 1

    @inline(__always) func skipSpace() {
      while i < n {
        let c = base[i]
        if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1 } else { break }
      }
    }
    /// Moves `i` past a string whose opening quote is at `i`; returns the body and escape flag.
    /// Jumps from quote to quote with memchr (text fields are long); a quote preceded by an
    /// odd number of backslashes is escaped.
    @inline(__always) func skipString() -> (Int, Int, Bool)? {
      let start = i + 1
      guard let q = JSONString.closingQuote(base, count: n, bodyStart: start) else { return nil }
      i = q + 1
      let escaped = memchr(base + start, 0x5C, q - start) != nil
      return (start, q, escaped)
    }

    skipSpace()
    guard i < n, base[i] == UInt8(ascii: "{") else {
      return .notJSON(column: i, reason: i < n ? "a record must be a JSON object" : "blank line")
    }
    // The state machine: what may come next.
    enum Expect { case keyOrClose, key, colon, value, commaOrClose }
    var expect = Expect.keyOrClose
    stack.append(true)
    i += 1
    // Set when the key just read selects the path's next step.
    var keyOnPath = false
    // The target array being read: where it opened and the stack depth inside it.
    var arrayStart = -1
    var arrayDepth = -1
    while true {
      skipSpace()
      if i >= n {
        if stack.isEmpty { break }
        return .notJSON(column: i, reason: "line ends inside the record")
      }
      if stack.isEmpty { return .notJSON(column: i, reason: "text after the end of the record") }
      let c = base[i]
      switch expect {
      case .keyOrClose, .key:
        if c == UInt8(ascii: "}") && expect == .keyOrClose {
          if stack.count == matched + 1 && matched > 0 { matched -= 1 }
          stack.removeLast()
          i += 1
          expect = .commaOrClose
          continue
        }
        guard c == UInt8(ascii: "\"") else { return .notJSON(column: i, reason: "expected a key") }
        guard let (ks, ke, kesc) = skipString() else {
          return .notJSON(column: i, reason: "unterminated key")
        }
        keyOnPath = false
        if stack.count == matched + 1 && matched <= last {
          let want = keys[matched]
          if kesc {
            var decoded: [UInt8] = []
            JSONString.unescape(UnsafeRawBufferPointer(start: base + ks, count: ke - ks), into: &decoded)
            keyOnPath = decoded == want
          } else if ke - ks == want.count {
            keyOnPath = want.withUnsafeBytes { w in memcmp(w.baseAddress!, base + ks, want.count) == 0 }
          }
        }
        expect = .colon
      case .colon:
        guard c == UInt8(ascii: ":") else { return .notJSON(column: i, reason: "expected ':'") }
        i += 1
        expect = .value
      case .value:
        let isTarget = keyOnPath && matched == last && stack.count == matched + 1 && stack.last == true
        let descends = keyOnPath && matched < last && stack.count == matched + 1 && stack.last == true
        keyOnPath = false
        switch c {
        case UInt8(ascii: "\""):
          guard let (s, e, esc) = skipString() else {
            return .notJSON(column: i, reason: "unterminated string")
          }
          if isTarget {
            if earlierString == nil, case .string(let a, let b, let c)? = found { earlierString = (a, b, c) }
            found = .string(start: s, end: e, escaped: esc)
          }
          expect = .commaOrClose
        case UInt8(ascii: "{"):
          if isTarget { found = .other("object") }
          if descends { matched += 1 }
          stack.append(true)
          i += 1
          expect = .keyOrClose
        case UInt8(ascii: "["):
          let open = i
          stack.append(false)
          i += 1
          skipSpace()
          if i < n && base[i] == UInt8(ascii: "]") {
            stack.removeLast()
            i += 1
            if isTarget { found = .array(start: open, end: i) }
            expect = .commaOrClose
          } else {
            if isTarget { (arrayStart, arrayDepth) = (open, stack.count) }
            expect = .value
          }
        default:
          let s = i
          while i < n {
            let d = base[i]
            let literal =
              (d >= 0x30 && d <= 0x39) || (d >= 0x61 && d <= 0x7A) || d == UInt8(ascii: "-")
              || d == UInt8(ascii: "+") || d == UInt8(ascii: ".") || d == UInt8(ascii: "E")
            if !literal { break }
            i += 1
          }
          guard i > s else { return .notJSON(column: s, reason: "expected a value") }
          let word = UnsafeRawBufferPointer(start: base + s, count: i - s)
          let kind: Value
          if word.elementsEqual("null".utf8) {
            kind = .other("null")
          } else if word.elementsEqual("true".utf8) || word.elementsEqual("false".utf8) {
            kind = .other("bool")
          } else if base[s] == UInt8(ascii: "-") || (base[s] >= 0x30 && base[s] <= 0x39) {
            kind = .number(start: s, end: i)
          } else {
            return .notJSON(column: s, reason: "expected a value")
          }
          if isTarget { found = kind }
          expect = .commaOrClose
        }
      case .commaOrClose:
        let inObject = stack.last!
        if c == UInt8(ascii: ",") {
          i += 1
          expect = inObject ? .key : .value
        } else if (c == UInt8(ascii: "}") && inObject) || (c == UInt8(ascii: "]") && !inObject) {
          if inObject && stack.count == matched + 1 && matched > 0 { matched -= 1 }
          if !inObject && stack.count == arrayDepth {
            found = .array(start: arrayStart, end: i + 1)
            arrayDepth = -1
          }
          stack.removeLast()
          i += 1
          expect = .commaOrClose
        } else {
          return .notJSON(column: i, reason: "expected ',' or the end of \(inObject ? "an object" : "an array")")
        }
      }
    }
    if let found { return .found(found) }
    return .missing
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
