/// Where an item was found: one document and the matched region of its text.
public struct Evidence: Sendable, Codable, Hashable {
  public var shard: String
  /// 1-based line of the document in the decompressed shard.
  public var line: Int
  public var documentID: String?
  /// Byte range `[start, end)` of the matched region in the document text (after JSON decoding).
  public var byteStart: Int
  public var byteEnd: Int
  /// The document's text in that range (cut at ``maximumSnippetBytes``).
  public var snippet: String
  /// Item tokens covered by n-grams of this document, as a fraction of the item's informative tokens.
  public var coverage: Double
  /// The longest run of consecutive item tokens matched in this document.
  public var longestRun: Int
  /// Item tokens matched in this document.
  public var matchedTokens: Int
  /// Whether the document states the item's answer after the match, where the item has one.
  public var answer: AnswerCheck?

  /// The longest snippet kept.
  public static let maximumSnippetBytes = 1000

  /// The order of evidence: more matched tokens first, then shard path, then line. A total
  /// order, so merged evidence does not depend on which worker found it.
  public func ranksBefore(_ other: Evidence) -> Bool {
    (matchedTokens, other.shard, other.line) > (other.matchedTokens, shard, line)
  }
}
