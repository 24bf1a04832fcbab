/// Coverage of one part of an item (question, choices, answer…).
public struct PartScore: Sendable, Codable, Hashable {
  public var part: String
  public var tokens: Int
  /// Tokens of this part that occur only in boilerplate n-grams (not judged).
  public var boilerplateTokens: Int
  /// Covered tokens / the part's informative tokens.
  public var coverage: Double
}
