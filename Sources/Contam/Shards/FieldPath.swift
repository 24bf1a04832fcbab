/// A dotted path to a field of a JSON record: `text`, `content`, `meta.raw_content`.
public struct FieldPath: Hashable, Sendable, CustomStringConvertible, Codable {
  /// The keys from the outermost object inwards.
  public let keys: [String]
  let keyBytes: [[UInt8]]

  /// Parses `a.b.c`.
  /// - Throws: ``ContamError/Code/invalidArgument`` for an empty path or an empty key.
  public init(_ dotted: String) throws(ContamError) {
    let keys = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard !dotted.isEmpty, !keys.contains(where: \.isEmpty) else {
      throw ContamError(.invalidArgument, "field path '\(dotted)' is empty or has an empty key")
    }
    self.keys = keys
    self.keyBytes = keys.map { Array($0.utf8) }
  }

  /// A path of keys already known to be non-empty.
  private init(validKeys keys: [String]) {
    self.keys = keys
    self.keyBytes = keys.map { Array($0.utf8) }
  }

  /// The field `text`, where most corpora keep a document's text.
  public static let text = FieldPath(validKeys: ["text"])

  public var description: String { keys.joined(separator: ".") }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    try self.init(text)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}
