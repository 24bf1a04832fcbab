/// The certificate's item results as `JSONEncoder` writes them with `.sortedKeys` and
/// `.withoutEscapingSlashes` (and `.prettyPrinted` for the file form), byte for byte, without
/// its generic machinery: the items are nearly all of a certificate, and encoding them through
/// `Codable` took about half of a run on a small corpus (0.4 s for 21,697 items).
///
/// The bytes must be JSONEncoder's exactly, because the canonical body is defined as its
/// output and ``Verifier`` re-derives the digest from it. What that output is, as measured on
/// this toolchain and held by `CertificateJSONTests` against JSONEncoder itself:
/// - keys in sorted order; an absent optional is left out;
/// - numbers: integers in decimal; a `Double` as its `description`, without a trailing `.0`;
/// - strings: `"` and `\` escaped, `\b \t \n \f \r` as such, other bytes below 0x20 as
///   `\u00xx` (lowercase hex), every other byte as it is (UTF-8, `/` included);
/// - pretty: two spaces per level, `"key" : value`, an empty container as `[`, an empty line
///   and `]` at the container's indentation.
///
/// A non-finite `Double` (which JSONEncoder refuses) makes ``items(_:pretty:depth:appendingTo:flushingAt:_:)`` return
/// false, so the caller encodes with JSONEncoder and gets its error.
struct _CertificateJSON {
  private(set) var bytes: [UInt8] = []
  let pretty: Bool
  private var depth: Int
  /// Per open container: whether nothing has been written into it yet.
  private var empty: [Bool] = []
  private var finite = true

  private init(pretty: Bool, depth: Int) {
    self.pretty = pretty
    self.depth = depth
  }

  /// Writes the JSON array of `items` at the end of `bytes`, handing `bytes` to `flush` (which
  /// takes them and leaves it empty) whenever it holds `limit` bytes or more after an item: a
  /// certificate written to a file or a hash need not be held whole. False, with the bytes
  /// unspecified, when an item holds a non-finite number.
  static func items(
    _ items: [ItemResult], pretty: Bool, depth: Int, appendingTo bytes: inout [UInt8], flushingAt limit: Int = .max,
    _ flush: (inout [UInt8]) throws -> Void = { _ in }
  ) rethrows -> Bool {
    var writer = _CertificateJSON(pretty: pretty, depth: depth)
    swap(&writer.bytes, &bytes)
    defer { swap(&writer.bytes, &bytes) }
    writer.open(UInt8(ascii: "["))
    for item in items {
      writer.element()
      writer.write(item)
      if writer.bytes.count >= limit { try flush(&writer.bytes) }
    }
    writer.close(UInt8(ascii: "]"))
    return writer.finite
  }

  /// More than an item takes (all shared benchmarks on a real corpus: 644 and 352 bytes), so
  /// the buffer is sized once: pages reserved and never written are not resident, while a
  /// buffer that grows is copied into one twice its size.
  static func bytesPerItem(pretty: Bool) -> Int { pretty ? 1024 : 640 }

  // MARK: The item types, keys in sorted order

  private mutating func write(_ item: ItemResult) {
    open(UInt8(ascii: "{"))
    key("benchmark")
    string(item.benchmark)
    key("boilerplateTokens")
    int(item.boilerplateTokens)
    key("coverage")
    double(item.coverage)
    if let covered = item.coveredTokens {
      key("coveredTokens")
      string(covered)
    }
    key("documents")
    int(item.documents)
    key("evidence")
    array(item.evidence) { $0.write($1) }
    key("id")
    string(item.id)
    key("longestRun")
    int(item.longestRun)
    if let near = item.nearDuplicate {
      key("nearDuplicate")
      write(near)
    }
    key("parts")
    array(item.parts) { $0.write($1) }
    key("sharedTokens")
    int(item.sharedTokens)
    key("tokens")
    int(item.tokens)
    key("verdict")
    string(item.verdict.rawValue)
    close(UInt8(ascii: "}"))
  }

  private mutating func write(_ part: PartScore) {
    open(UInt8(ascii: "{"))
    key("boilerplateTokens")
    int(part.boilerplateTokens)
    key("coverage")
    double(part.coverage)
    key("part")
    string(part.part)
    key("sharedTokens")
    int(part.sharedTokens)
    key("tokens")
    int(part.tokens)
    close(UInt8(ascii: "}"))
  }

  private mutating func write(_ evidence: Evidence) {
    open(UInt8(ascii: "{"))
    if let answer = evidence.answer {
      key("answer")
      write(answer)
    }
    key("byteEnd")
    int(evidence.byteEnd)
    key("byteStart")
    int(evidence.byteStart)
    key("coverage")
    double(evidence.coverage)
    if let id = evidence.documentID {
      key("documentID")
      string(id)
    }
    key("line")
    int(evidence.line)
    key("longestRun")
    int(evidence.longestRun)
    key("matchedTokens")
    int(evidence.matchedTokens)
    key("shard")
    string(evidence.shard)
    key("snippet")
    string(evidence.snippet)
    close(UInt8(ascii: "}"))
  }

  private mutating func write(_ near: NearDuplicateResult) {
    open(UInt8(ascii: "{"))
    key("containment")
    double(near.containment)
    key("documents")
    int(near.documents)
    key("evidence")
    array(near.evidence) { $0.write($1) }
    key("shingles")
    int(near.shingles)
    close(UInt8(ascii: "}"))
  }

  private mutating func write(_ evidence: NearDuplicateEvidence) {
    open(UInt8(ascii: "{"))
    if let alignment = evidence.alignment {
      key("alignment")
      double(alignment)
    }
    if let answer = evidence.answer {
      key("answer")
      write(answer)
    }
    key("byteEnd")
    int(evidence.byteEnd)
    key("byteStart")
    int(evidence.byteStart)
    key("containment")
    double(evidence.containment)
    if let id = evidence.documentID {
      key("documentID")
      string(id)
    }
    key("estimatedContainment")
    double(evidence.estimatedContainment)
    key("line")
    int(evidence.line)
    if let literal = evidence.literalSimilarity {
      key("literalSimilarity")
      double(literal)
    }
    key("matchedShingles")
    int(evidence.matchedShingles)
    if let math = evidence.mathTokens {
      key("mathTokens")
      bytes.append(contentsOf: (math ? "true" : "false").utf8)
    }
    if let part = evidence.part {
      key("part")
      string(part)
    }
    key("shard")
    string(evidence.shard)
    key("snippet")
    string(evidence.snippet)
    if let verbatim = evidence.verbatim {
      key("verbatim")
      bytes.append(contentsOf: (verbatim ? "true" : "false").utf8)
    }
    if let withoutContext = evidence.withoutContext {
      key("withoutContext")
      bytes.append(contentsOf: (withoutContext ? "true" : "false").utf8)
    }
    close(UInt8(ascii: "}"))
  }

  private mutating func write(_ answer: AnswerCheck) {
    open(UInt8(ascii: "{"))
    key("agreement")
    string(answer.agreement.rawValue)
    if answer.distinctive == true {
      key("distinctive")
      bytes.append(contentsOf: "true".utf8)
    }
    key("expected")
    string(answer.expected)
    if let found = answer.found {
      key("found")
      string(found)
    }
    close(UInt8(ascii: "}"))
  }

  // MARK: Layout

  private mutating func array<Element>(_ elements: [Element], _ write: (inout Self, Element) -> Void) {
    open(UInt8(ascii: "["))
    for element in elements {
      self.element()
      write(&self, element)
    }
    close(UInt8(ascii: "]"))
  }

  private mutating func newline(_ level: Int) {
    bytes.append(UInt8(ascii: "\n"))
    for _ in 0..<2 * level { bytes.append(UInt8(ascii: " ")) }
  }

  private mutating func open(_ bracket: UInt8) {
    bytes.append(bracket)
    depth += 1
    empty.append(true)
  }

  private mutating func close(_ bracket: UInt8) {
    depth -= 1
    if pretty {
      if empty.last! { bytes.append(UInt8(ascii: "\n")) }
      newline(depth)
    }
    empty.removeLast()
    bytes.append(bracket)
  }

  /// Before a member or an element: the separator, and in pretty form a new indented line.
  private mutating func element() {
    if !empty[empty.count - 1] { bytes.append(UInt8(ascii: ",")) }
    empty[empty.count - 1] = false
    if pretty { newline(depth) }
  }

  private mutating func key(_ name: StaticString) {
    element()
    bytes.append(UInt8(ascii: "\""))
    name.withUTF8Buffer { bytes.append(contentsOf: $0) }
    bytes.append(UInt8(ascii: "\""))
    if pretty { bytes.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: ":"), UInt8(ascii: " ")]) } else { bytes.append(UInt8(ascii: ":")) }
  }

  // MARK: Values

  private mutating func int(_ value: Int) {
    bytes.append(contentsOf: String(value).utf8)
  }

  private mutating func double(_ value: Double) {
    guard value.isFinite else {
      finite = false
      return
    }
    var text = value.description
    if text.hasSuffix(".0") { text.removeLast(2) }
    bytes.append(contentsOf: text.utf8)
  }

  private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

  private mutating func string(_ value: String) {
    bytes.append(UInt8(ascii: "\""))
    var value = value
    value.withUTF8 { utf8 in
      var run = 0  // start of the bytes not yet copied
      for i in 0..<utf8.count {
        let b = utf8[i]
        guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<i]))
        run = i + 1
        bytes.append(UInt8(ascii: "\\"))
        switch b {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(b)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        default:
          let hex = Self.hexDigits
          bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(b >> 4)], hex[Int(b & 15)]])
        }
      }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<utf8.count]))
    }
    bytes.append(UInt8(ascii: "\""))
  }
}
