/// Whether a matched document carries the same final answer as the item.
public struct AnswerCheck: Sendable, Codable, Hashable {
  public enum Agreement: String, Sendable, Codable, CaseIterable {
    /// The document states the item's answer.
    case same
    /// The document states an answer, and it is not the item's: a perturbed problem, not a leak
    /// of this item's solution.
    case different
    /// The document states no answer that could be compared.
    case none
  }

  public var agreement: Agreement
  /// The item's answer, normalized.
  public var expected: String
  /// The answer found in the document, normalized, if any.
  public var found: String?
  /// Whether the item's answer was stated in a way chance rarely gives (agreement `same` only):
  /// an option letter or number read through the copy's own options (it labels the item's
  /// correct option's text), or a value of at least three letters or digits (`455`, `mitosis`;
  /// not `B` alone, `28` or `x`). A near copy too small to count by itself counts with such an
  /// answer (``NearDuplicateConfiguration/answeredShingles``). Nil: not (and in certificates
  /// made before session 23).
  public var distinctive: Bool?

  public init(agreement: Agreement, expected: String, found: String?, distinctive: Bool? = nil) {
    self.agreement = agreement
    self.expected = expected
    self.found = found
    self.distinctive = agreement == .same && distinctive == true ? true : nil
  }
}
