/// Where a near copy of an item was found: a span of one document, sized from the item.
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
  /// The part that was matched (`question`, …), or nil when the item was matched as a whole.
  public var part: String?
  /// Fraction of the matched target's (item's or part's) distinct informative shingles present in the span (exact, on the
  /// real tokens; the span is widened by half the item's length on each side).
  public var containment: Double
  /// The MinHash estimate that made it a candidate: the fraction of the item's signature
  /// shingles found in the span.
  public var estimatedContainment: Double
  /// Item shingles present in the span.
  public var matchedShingles: Int
  /// The fraction of the item's tokens found in order in one window of the document
  /// (``NearDuplicateConfiguration/alignment``); nil when not measured (a part, an item outside
  /// ``NearDuplicateConfiguration/alignedTokens``, or the rule off).
  public var alignment: Double?
  /// Whether the document carries the item's answer, where the item has one.
  public var answer: AnswerCheck?
  /// Whether the span holds the matched target word for word: its tokens in one run, with the
  /// same math operators (`+ - = < > ^`) between them, which tokens do not keep. Measured only
  /// where the verdict asks: a copy holding every shingle of its target that states another
  /// answer (a MATH-Perturb problem with only a sign changed holds every shingle of its
  /// original). Nil when not measured (and in certificates made before the check).
  public var verbatim: Bool? = nil
  /// True when the span was measured on the math stream (``MathTokens``): its containment and
  /// shingles count the item's math's lone letters and operators too. Nil for the text's own
  /// tokens (and in certificates made before the math stream).
  public var mathTokens: Bool? = nil
  /// True when the target was the item's own parts without their context
  /// (``NearDuplicateConfiguration/withoutContext``; ``part`` names them, `question+choices`):
  /// judged as the whole item is. Nil otherwise (and in certificates made before the rule).
  public var withoutContext: Bool? = nil
  /// How literally the snippet reads as the matched target's text (``LiteralSimilarity``: shared
  /// character trigrams, 0 to 1): breaks ties of ``strength`` between documents, so of a
  /// templated family of problems that hold the same share of the item's tokens the one written
  /// most like it comes first. Nil when not measured
  /// (``NearDuplicateConfiguration/literalTieBreak`` off, and in certificates made before it).
  public var literalSimilarity: Double? = nil

  /// How much of the item the span holds: its containment, or its alignment where that is
  /// higher (a copy with typos keeps its tokens but loses shingles).
  public var strength: Double { max(containment, alignment ?? 0) }

  /// Higher ``strength`` first, then an aligned copy, then the whole item before a part, then
  /// the text's own tokens before the math stream, then higher ``literalSimilarity``, then shard
  /// path, line and part name: a total order. Without alignments (certificates made before them) this is the order by
  /// containment they were made with.
  public func ranksBefore(_ other: NearDuplicateEvidence) -> Bool {
    let kind = (strength, alignment == nil ? 0 : 1, part == nil ? 1 : 0, mathTokens == true ? 0 : 1)
    let otherKind = (other.strength, other.alignment == nil ? 0 : 1, other.part == nil ? 1 : 0, other.mathTokens == true ? 0 : 1)
    if kind != otherKind { return kind > otherKind }
    let literal = (literalSimilarity ?? 0, other.literalSimilarity ?? 0)
    if literal.0 != literal.1 { return literal.0 > literal.1 }
    return (other.shard, other.line, other.part ?? "") > (shard, line, part ?? "")
  }
}

/// The near-duplicate finding for one item: present only when at least one corpus unit
/// span contains the item's shingles at or above ``NearDuplicateConfiguration/containmentThreshold``.
/// It sits beside the exact verdict: a perturbed copy (numbers changed, words swapped) can be
/// exactly `clean` or `partial` and still a near duplicate.
public struct NearDuplicateResult: Sendable, Codable, Hashable {
  /// The item's distinct informative shingles (0 when only its parts are searched).
  public var shingles: Int
  /// The best containment over the corpus.
  public var containment: Double
  /// Documents with a span at or above the threshold.
  public var documents: Int
  /// Best first (at most ``ScanConfiguration/evidencePerItem``).
  public var evidence: [NearDuplicateEvidence]
}
