/// Where a near copy of an item was found: one corpus unit (a document or a window of one).
public struct NearDuplicateEvidence: Sendable, Codable, Hashable {
  public var shard: String
  public var line: Int
  public var documentID: String?
  /// Byte range in the document text from the first to the last token of the shingles it
  /// shares with the item.
  public var byteStart: Int
  public var byteEnd: Int
  /// The document text in that range (cut at ``Evidence/maximumSnippetBytes``).
  public var snippet: String
  /// Fraction of the item's distinct shingles present in the unit (exact, on the real tokens).
  public var containment: Double
  /// The MinHash estimate of Jaccard similarity between item and unit that made it a candidate.
  public var estimatedJaccard: Double
  /// Item shingles present in the unit.
  public var matchedShingles: Int
  /// Whether the document carries the item's answer, where the item has one.
  public var answer: AnswerCheck?

  /// Higher containment first, then shard path, then line: a total order.
  public func ranksBefore(_ other: NearDuplicateEvidence) -> Bool {
    (containment, other.shard, other.line) > (other.containment, shard, line)
  }
}

/// The near-duplicate finding for one item: present only when at least one corpus unit
/// contains the item's shingles at or above ``NearDuplicateConfiguration/containmentThreshold``.
/// It sits beside the exact verdict: a perturbed copy (numbers changed, words swapped) can be
/// exactly `clean` or `partial` and still a near duplicate.
public struct NearDuplicateResult: Sendable, Codable, Hashable {
  /// The item's distinct shingles.
  public var shingles: Int
  /// The best containment over the corpus.
  public var containment: Double
  /// Units at or above the threshold.
  public var documents: Int
  /// Best first (at most ``ScanConfiguration/evidencePerItem``).
  public var evidence: [NearDuplicateEvidence]
}
