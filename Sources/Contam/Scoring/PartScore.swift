/// Coverage of one part of an item (question, choices, answer…).
public struct PartScore: Sendable, Codable, Hashable {
  public var part: String
  public var tokens: Int
  /// Tokens of this part that occur only in boilerplate n-grams (not judged).
  public var boilerplateTokens: Int
  /// Tokens of this part that occur only in n-grams shared with other items of the test sets
  /// (shared context: a passage, an options block, a twin sentence); not judged.
  public var sharedTokens: Int
  /// Covered tokens / the part's judged tokens (`tokens - boilerplateTokens - sharedTokens`).
  public var coverage: Double
}
