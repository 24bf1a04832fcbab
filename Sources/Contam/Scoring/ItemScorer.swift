/// The one place that turns what was found for an item into its scores and verdict: the scan,
/// the merge of partial certificates and `verify` all score through ``score(_:covered:found:parameters:)``.
enum ItemScorer {
  /// What scoring needs to know of an item besides what was found: its name, token counts,
  /// and per part the tokens it is judged on (`judged`: not boilerplate, not shared context)
  /// and those left out as shared with other items (`shared`). The scan takes it from the
  /// index; a merge takes it from a certificate's item.
  struct Shape {
    var benchmark: String
    var id: String
    var parts: [(name: String, tokens: Int, judged: Int, shared: Int)]

    var tokens: Int { parts.reduce(0) { $0 + $1.tokens } }
    var judged: Int { parts.reduce(0) { $0 + $1.judged } }
    var shared: Int { parts.reduce(0) { $0 + $1.shared } }

    /// The shape recorded in a certificate's item.
    init(_ item: ItemResult) {
      benchmark = item.benchmark
      id = item.id
      parts = item.parts.map { ($0.part, $0.tokens, $0.tokens - $0.boilerplateTokens - $0.sharedTokens, $0.sharedTokens) }
    }

    init(benchmark: String, id: String, parts: [(name: String, tokens: Int, judged: Int, shared: Int)]) {
      self.benchmark = benchmark
      self.id = id
      self.parts = parts
    }
  }

  /// Everything found for one item, over all shards (or all parts of a partitioned run).
  struct Found {
    /// Evidence from every shard, in any order.
    var evidence: [Evidence] = []
    /// Documents with any exact match.
    var documents = 0
    /// Near-duplicate evidence from every shard, in any order.
    var near: [NearDuplicateEvidence] = []
    /// Documents with a near-duplicate span.
    var nearDocuments = 0
    /// The item's distinct informative shingles (reported with a near finding).
    var nearShingles = 0
  }

  /// The item's result: coverage over its informative tokens, per part, the longest run, the
  /// verdict from ``ScanConfiguration/verdict(tokens:coverage:near:)``, and the best evidence.
  /// The verdict judges the larger of the item's coverage and the coverage of its own parts,
  /// without its context parts (``BenchmarkItem/contextPartNames``: SciQ's supporting passage), when those have at
  /// least `minimumTokens` informative tokens: a copy of a question with its choices and answer,
  /// without the passage it came with, is a copy of the test item. (Own parts shorter than `n`
  /// are found as one whole sequence, ``ItemIndex``.) With
  /// ``ScanConfiguration/contextAloneIsPartial``, such an item is judged on its own parts only,
  /// and the passage found alone makes it `partial`.
  /// - Parameters:
  ///   - shape: the item's parts and token counts.
  ///   - covered: one bit per item token covered by a corpus n-gram (may be empty).
  ///   - found: evidence and counts.
  ///   - parameters: thresholds and how much evidence to keep.
  static func score(_ shape: Shape, covered: [UInt64], found: Found, parameters: ScanConfiguration) -> ItemResult {
    let tokens = shape.tokens
    let judged = shape.judged
    // Covered tokens all lie in kept n-grams of the item's own, so they are all judged.
    let coveredCount = _Bits.count(covered, in: 0..<tokens)
    let coverage = judged == 0 ? 0 : Double(coveredCount) / Double(judged)
    var parts: [PartScore] = []
    var start = 0
    // The item without its context parts (a supporting passage): what a model is tested on.
    var ownJudged = 0
    var ownCovered = 0
    for part in shape.parts {
      let inPart = _Bits.count(covered, in: start..<start + part.tokens)
      parts.append(
        PartScore(
          part: part.name, tokens: part.tokens, boilerplateTokens: part.tokens - part.judged - part.shared,
          sharedTokens: part.shared, coverage: part.judged == 0 ? 0 : Double(inPart) / Double(part.judged)))
      if !BenchmarkItem.contextPartNames.contains(part.name) {
        ownJudged += part.judged
        ownCovered += inPart
      }
      start += part.tokens
    }
    // The question: the first own part, when the item has another (an answer, a solution, choices).
    let own = parts.filter { !BenchmarkItem.contextPartNames.contains($0.part) }
    let questionCoverage = own.count > 1 && own[0].tokens - own[0].boilerplateTokens - own[0].sharedTokens > 0 ? own[0].coverage : 0
    let hasContext = shape.parts.contains { BenchmarkItem.contextPartNames.contains($0.name) }
    let ownCoverage = hasContext && ownJudged >= parameters.minimumTokens ? Double(ownCovered) / Double(ownJudged) : 0
    let keep = parameters.evidencePerItem
    var nearEvidence = found.near.sorted { $0.ranksBefore($1) }
    if let rules = parameters.near, rules.secondaryEvidenceCounts == true, nearEvidence.count > 1 {
      // The best copy is kept whatever it is (the verdict reads it); another only when it is a
      // near copy by the verdict's rule, not a few shingles another problem shares.
      nearEvidence = [nearEvidence[0]] + nearEvidence.dropFirst().filter { rules.counts($0, itemShingles: found.nearShingles) }
    }
    let near =
      found.near.isEmpty
      ? nil
      : NearDuplicateResult(
        shingles: found.nearShingles, containment: found.near.map(\.containment).max() ?? 0,
        documents: found.nearDocuments, evidence: Array(nearEvidence.prefix(keep)))
    let evidence = Array(found.evidence.sorted { $0.ranksBefore($1) }.prefix(keep))
    // With `contextAloneIsPartial` the test is the item's own parts: judged on their coverage and
    // on near copies that are not of a context part alone; the passage found alone leaves the
    // item `partial`.
    let ownOnly = parameters.contextAloneIsPartial == true && hasContext && ownJudged > 0
    let ownNear = near.flatMap { result -> NearDuplicateResult? in
      var own = result
      own.evidence = result.evidence.filter { !BenchmarkItem.contextPartNames.contains($0.part ?? "") }
      return own.evidence.isEmpty ? nil : own
    }
    var verdict = parameters.verdict(
      tokens: judged, coverage: ownOnly ? Double(ownCovered) / Double(ownJudged) : max(coverage, ownCoverage),
      near: ownOnly ? ownNear : near, exactAnswer: evidence.first?.answer?.agreement, questionCoverage: questionCoverage)
    // With `solutionAloneIsPartial`, evidence of the other parts alone (the question found nowhere)
    // does not make the item perturbed: a twin's solution states the twin's answer.
    if parameters.solutionAloneIsPartial == true, verdict == .perturbed, own.count > 1, own[0].coverage == 0,
      let question = own.first?.part,
      (ownOnly ? ownNear : near)?.evidence.first.map({ $0.part != nil && $0.part != question }) ?? true
    {
      verdict = .partial
    }
    if ownOnly, verdict == .clean {
      let contextFound = near?.evidence.contains { parameters.near?.counts($0, itemShingles: found.nearShingles) ?? false } ?? false
      if coverage >= parameters.partialThreshold || contextFound { verdict = .partial }
    }
    return ItemResult(
      benchmark: shape.benchmark, id: shape.id, verdict: verdict,
      tokens: tokens, boilerplateTokens: tokens - judged - shape.shared, sharedTokens: shape.shared, coverage: coverage,
      coveredTokens: coveredCount == 0 ? nil : _Bits.hex(covered, count: tokens),
      longestRun: _Bits.longestRun(covered, count: tokens), parts: parts,
      evidence: evidence, documents: found.documents,
      nearDuplicate: near)
  }
}
