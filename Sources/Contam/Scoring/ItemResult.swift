/// The result for one item.
public struct ItemResult: Sendable, Codable, Hashable {
  public var benchmark: String
  public var id: String
  public var verdict: Verdict
  public var tokens: Int
  /// Tokens that occur only inside n-grams dropped as boilerplate: no match can cover them,
  /// so they are left out of `coverage` (and of the too-short test).
  public var boilerplateTokens: Int
  /// Tokens that occur only inside n-grams shared with other items (a passage several
  /// questions share, a twin sentence): a match there is the sibling's as much as this item's,
  /// so they are left out of `coverage` too. Zero for an item with fewer than `minimumTokens`
  /// tokens of its own (a duplicate within its test set), which is judged on all of them.
  public var sharedTokens: Int
  /// Fraction of the item's judged tokens (`tokens - boilerplateTokens - sharedTokens`) inside
  /// n-grams of its own found anywhere in the corpus.
  public var coverage: Double
  /// Which item tokens were covered, as hex bytes (bit t is bit t % 8 of byte t / 8); absent
  /// when none was. Lets partial certificates merge into exactly the coverage of one run.
  public var coveredTokens: String?
  public var longestRun: Int
  public var parts: [PartScore]
  /// Documents that contributed, best first (at most ``ScanConfiguration/evidencePerItem``).
  public var evidence: [Evidence]
  /// Documents with any match.
  public var documents: Int
  /// The near-duplicate finding, when near-duplicate search is on and found one.
  public var nearDuplicate: NearDuplicateResult?
}
