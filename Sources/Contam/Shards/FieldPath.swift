/// A dotted path to a field of a JSON record: `text`, `content`, `meta.raw_content`; or to the
/// strings of an array field: `messages[]` (every string in it), `messages[].content` (one field
/// of each element), as chat and instruction data keep their text; or `*`, every string value
/// of the record (an `instruction`/`input`/`output` record, a schema not known).
public struct FieldPath: Hashable, Sendable, CustomStringConvertible, Codable {
  /// The keys from the outermost object inwards, up to the array when there is one (`messages`
  /// for `messages[].content`).
  public let keys: [String]
  let keyBytes: [[UInt8]]
  /// For a path through an array (`messages[]…`), the path inside each of its elements: empty
  /// for every string of the array (`messages[]`), `content` for `messages[].content`; nil for
  /// a path to one string.
  public var element: FieldPath? { elementKeys.map { FieldPath(validKeys: $0) } }
  /// The keys of ``element``.
  let elementKeys: [String]?

  /// Parses `a.b.c`, `a[]` or `a[].b.c` (one `[]`, right after a key).
  /// - Throws: ``ContamError/Code/invalidArgument`` for an empty path or an empty key, or a
  ///   `[]` anywhere else.
  public init(_ dotted: String) throws(ContamError) {
    if dotted == "*" {
      // Every string of the record (instruction/input/output records, schemas not known).
      self.keys = []
      self.keyBytes = []
      self.elementKeys = []
      return
    }
    let array = dotted.range(of: "[]")
    let head = array.map { String(dotted[..<$0.lowerBound]) } ?? dotted
    let tail = array.map { String(dotted[$0.upperBound...]) }
    let keys = head.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard !head.isEmpty, !keys.contains(where: \.isEmpty) else {
      throw ContamError(.invalidArgument, "field path '\(dotted)' is empty or has an empty key")
    }
    if let tail, tail.contains("[") || tail.contains("]") {
      throw ContamError(.invalidArgument, "field path '\(dotted)': one '[]' only")
    }
    guard !keys.contains(where: { $0.contains("[") || $0.contains("]") }),
      tail.map({ $0.isEmpty || ($0.hasPrefix(".") && $0.count > 1) }) ?? true
    else {
      throw ContamError(
        .invalidArgument, "field path '\(dotted)': '[]' goes right after a key, and a key after '[].' ('messages[]' or 'messages[].content')")
    }
    self.keys = keys
    self.keyBytes = keys.map { Array($0.utf8) }
    if let tail {
      self.elementKeys = tail.isEmpty ? [] : try FieldPath(String(tail.dropFirst())).keys
    } else {
      self.elementKeys = nil
    }
  }

  /// A path of keys already known to be non-empty.
  private init(validKeys keys: [String]) {
    self.keys = keys
    self.keyBytes = keys.map { Array($0.utf8) }
    self.elementKeys = nil
  }

  /// The element path of `a[]`: every string of the array.
  static let everyString = FieldPath(validKeys: [])

  /// The field `text`, where most corpora keep a document's text.
  public static let text = FieldPath(validKeys: ["text"])

  /// Whether this is `*`: every string value of the record, at any depth, joined.
  public var isEveryString: Bool { keys.isEmpty }

  public var description: String {
    if keys.isEmpty { return "*" }
    let head = keys.joined(separator: ".")
    guard let element else { return head }
    return element.keys.isEmpty ? head + "[]" : head + "[]." + element.description
  }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    try self.init(text)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}
