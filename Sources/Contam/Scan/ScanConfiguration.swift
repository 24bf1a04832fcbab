/// What a scan was asked to do: every parameter that can change a result.
public struct ScanConfiguration: Sendable, Codable, Hashable {
  /// Tokens per n-gram.
  public var n = 13
  /// Items with fewer informative tokens are `too_short`; items with at least this many but
  /// fewer than `n` tokens are matched on their whole token sequence.
  public var minimumTokens = 8
  /// N-grams in more items than this are dropped as boilerplate.
  public var maximumItemsPerNGram = 10
  /// Coverage at or above which an item is `contaminated` (Llama 2's "dirty" bucket starts at 0.8).
  public var contaminatedThreshold = 0.8
  /// Coverage at or above which an item is `partial` (Llama 2's "not clean" starts at 0.2).
  public var partialThreshold = 0.2
  /// Evidence documents kept per item.
  public var evidencePerItem = 3
  public var normalization = Normalizer.version
  /// Whether the exact n-gram probe runs.
  public var exact = true
  /// Near-duplicate search, or nil when off.
  public var near: NearDuplicateConfiguration? = NearDuplicateConfiguration()
  /// How the shards were read.
  public var reader = ReaderParameters()
  public init() {}

  /// The item index's parameters (n, minimum tokens, boilerplate limit): the scanner builds
  /// its index from these, so the certificate always states the index it used.
  public var indexParameters: ItemIndex.Parameters {
    ItemIndex.Parameters(n: n, minimumTokens: minimumTokens, maximumItemsPerNGram: maximumItemsPerNGram)
  }

  /// The verdict for an item of `tokens` informative tokens with this coverage.
  public func verdict(tokens: Int, coverage: Double) -> Verdict {
    if tokens < minimumTokens { return .tooShort }
    if coverage >= contaminatedThreshold { return .contaminated }
    if coverage >= partialThreshold { return .partial }
    return .clean
  }

  /// Checks that every parameter is in its range, so a configuration read from a file or a
  /// command line can never make the index or the scoring misbehave.
  /// - Throws: ``ContamError/Code/invalidArgument`` naming the first parameter out of range.
  public func validate() throws(ContamError) {
    func check(_ ok: Bool, _ what: String) throws(ContamError) {
      if !ok { throw ContamError(.invalidArgument, "parameter \(what)") }
    }
    try check((1...64).contains(n), "n = \(n) is not in 1...64")
    try check(minimumTokens >= 1, "minimumTokens = \(minimumTokens) is below 1")
    try check(maximumItemsPerNGram >= 1, "maximumItemsPerNGram = \(maximumItemsPerNGram) is below 1")
    try check((0...1).contains(contaminatedThreshold), "contaminatedThreshold = \(contaminatedThreshold) is not in 0...1")
    try check((0...1).contains(partialThreshold), "partialThreshold = \(partialThreshold) is not in 0...1")
    try check(partialThreshold <= contaminatedThreshold, "partialThreshold exceeds contaminatedThreshold")
    try check((1...1000).contains(evidencePerItem), "evidencePerItem = \(evidencePerItem) is not in 1...1000")
    try check(exact || near != nil, "exact and near are both off: nothing would be checked")
    if let near { try near.validate() }
  }
}

