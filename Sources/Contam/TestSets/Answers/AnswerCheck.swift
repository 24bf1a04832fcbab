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

  public init(agreement: Agreement, expected: String, found: String?) {
    self.agreement = agreement
    self.expected = expected
    self.found = found
  }
}
