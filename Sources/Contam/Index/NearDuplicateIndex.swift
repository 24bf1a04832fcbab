import CContamSupport
import Foundation

/// How near duplicates are searched: shingles, MinHash samples, the banded index, the vote,
/// and the containment a finding needs.
public struct NearDuplicateConfiguration: Sendable, Codable, Hashable {
  /// Tokens per shingle.
  public var k = 3
  /// MinHash signature size m: each item is represented by up to m of its shingles (the
  /// signature's minima), each one band of one row in the LSH index.
  public var signatureSize = 32
  public var scheme = MinHasher.Scheme.onePermutation
  /// An item becomes a candidate where at least this fraction of its sample (at least 2
  /// shingles) occurs within a span of at most twice its length. With m = 32 the vote is 10
  /// of 32: a true containment of 0.5 passes with probability 0.99, one of 0.1 with 0.001.
  public var voteFraction = 0.3
  /// A candidate becomes a finding when at least this fraction of the item's informative
  /// shingles is in the span (containment, confirmed exactly on the real tokens). 0.5 finds
  /// 95%+ of MATH-P-Simple pairs (scripts/eval-math-perturb.sh).
  public var containmentThreshold = 0.5
  /// Items with fewer informative shingles are not searched for near duplicates.
  public var minimumShingles = 8
  /// A near copy at or above this containment that states the item's answer (or of an item
  /// without one) makes the item `contaminated` (a verbatim copy in another layout reaches 1.0).
  public var contaminatedContainment = 0.95
  /// Whether a near copy whose ``alignment`` (its item's tokens in order) reaches
  /// ``contaminatedContainment`` makes the item `contaminated` as such a containment does, when it
  /// states the item's answer (or the item has none): a short item copied whole with a word
  /// inserted or doubled every few words (each insertion breaks shingles, not the order), or with
  /// one typo. Nil (certificates made before this rule): containment alone.
  public var alignedContaminated: Bool? = true
  /// A near copy counts toward the verdict only when it shares at least this many of the
  /// item's shingles (a short item's few shingles are too common to decide on).
  public var minimumMatchedShingles = 12
  /// Whether a near copy that states a different answer makes the item `perturbed` even at
  /// exact coverage above ``ScanConfiguration/contaminatedThreshold``, when the copy's text
  /// differs from the item's (coverage and containment both below 1): MATH-Perturb changes one
  /// number of a problem and its answer, which leaves most 13-grams of it. A copy with every
  /// token of the item stays `contaminated` whatever answer is read after it. Nil (certificates
  /// made before this rule) keeps `contaminated` first.
  public var perturbedOverCoverage: Bool? = true
  /// Whether a near copy too small to count by itself (fewer shared shingles than
  /// ``minimumMatchedShingles`` and the short-item rule ask) makes the item `perturbed` when it
  /// states a different answer and exact coverage reaches ``ScanConfiguration/partialThreshold``:
  /// the item's n-grams show its text is there, so the copy's few shingles are not chance (a
  /// short MATH problem with one number changed). Such an item is flagged `partial` either way;
  /// this names what the copy is. Nil (certificates made before this rule): off.
  public var perturbedWithPartialCoverage: Bool? = true
  /// A whole item of ``alignedTokens`` tokens also has a near copy where one window of at most
  /// 1.5 times its length holds at least this fraction of its tokens in order (the longest
  /// common subsequence), its own text included as for containment: a short item copied with a
  /// few typos, dropped or swapped words, where each change breaks up to `k` of its few
  /// shingles. Such a copy counts toward the verdict. Nil (certificates made before this rule):
  /// off, and the fraction is not measured.
  public var alignment: Double? = 0.85
  /// A near copy too small to count by itself (fewer shingles than ``minimumMatchedShingles``
  /// and the short-item rule ask) counts toward the verdict with at least this many shared
  /// shingles when it states the item's answer in a way chance rarely gives
  /// (``AnswerCheck/distinctive``): a short question copied with its options, a word dropped,
  /// and `Answer: D` naming the right option's text. The rule for short items: more
  /// than a few shingles, or the answer agreeing. Nil (certificates made before this rule): off.
  public var answeredShingles: Int? = 5
  /// Whether near evidence after the best is kept only when it counts toward the verdict
  /// (``counts(_:itemShingles:)``): a second document sharing a few shingles with a short item
  /// (a sibling problem) is not reported as a copy of it. Nil (certificates made before this
  /// rule): every finding is kept, best first.
  public var secondaryEvidenceCounts: Bool? = true
  /// Whether items with TeX math are also searched on a second token stream that holds their
  /// math's lone letters and operators (``MathTokens``): a MATH problem with a sign, a variable
  /// or an exponent changed, where the text's own tokens barely differ, and one whose few words
  /// leave too few shingles to search. Nil (certificates made before this rule): off.
  public var mathTokens: Bool? = true
  /// Whether a `$` that starts a price (`$5 and`, `$3.50.`: ``MathTokens/isPrice(_:at:)``) is
  /// text on the math stream, not a delimiter: a page of prices is not read a second time as
  /// math, nor are the formulas after an odd number of prices read inside out. Nil
  /// (certificates made before this rule): every `$` switches math mode.
  public var dollarPrices: Bool? = true
  /// How many tokens of the shard's documents before a document the near search reads in front
  /// of it, when documents are read together (``ScanConfiguration/acrossDocuments``): a copy
  /// reworded, perturbed or typed with typos and split over short records (a sentence a record)
  /// is a near copy of the item only where its records are read as one text. A copy is reported
  /// in the document where its span ends, from byte 0. Nil (certificates made before): none.
  public var carriedTokens: Int? = 64
  /// Whether an item with context parts and its own parts side by side before or after them
  /// (``BenchmarkItem/ownParts``; SciQ: question and choices, then the supporting passage) is
  /// also searched as those parts together, and judged as a whole
  /// item is (the 60% share, alignment, the containment that makes it `contaminated`): a copy
  /// holds the question as it is tested, usually without the passage, and a part alone is too
  /// small to decide on. Nil (certificates made before this rule): off.
  public var withoutContext: Bool? = true
  /// Whether each near copy's ``NearDuplicateEvidence/literalSimilarity`` is measured, so that
  /// of documents holding the same share of an item (templated problems that differ in their
  /// numbers, variables and operators, which tokens fold) the one written most like the item is
  /// reported first and read by the verdict. It orders evidence only; no copy is found or
  /// missed by it. Nil (certificates made before it): ties go to shard and line.
  public var literalTieBreak: Bool? = true
  /// The sample hits a target with `sampleSize` sample shingles needs to become a candidate.
  func votes(sampleSize: Int) -> Int { max(2, Int((voteFraction * Double(sampleSize)).rounded(.up))) }

  /// The item lengths, in tokens, measured by ``alignment``: from 16 (with fewer, three short
  /// phrases of the item could pass) to 64 (one bit per token; longer items have shingles enough).
  public static let alignedTokens = 16...64

  public init() {}

  /// Whether a near copy counts toward the verdict: enough shared shingles to decide on
  /// (``minimumMatchedShingles``); or, for an item with few, at least ``minimumShingles`` and 60%
  /// of all its shingles, not of one part (a short item copied with a typo or a dropped word);
  /// or at least ``alignment`` of its tokens in order; or at least ``answeredShingles`` with the
  /// item's answer stated distinctively.
  /// - Parameters:
  ///   - evidence: the near copy.
  ///   - itemShingles: the item's distinct informative shingles (``NearDuplicateResult/shingles``).
  public func counts(_ evidence: NearDuplicateEvidence, itemShingles: Int) -> Bool {
    // On the math stream the item has more shingles than `itemShingles` counts; a whole-item
    // copy's containment is the share of them.
    // The item without its context is judged as the whole item is, on its own shingles.
    let share =
      evidence.mathTokens == true
      ? (evidence.part == nil ? evidence.containment : 0)
      : evidence.withoutContext == true ? evidence.containment : Double(evidence.matchedShingles) / Double(max(1, itemShingles))
    return evidence.matchedShingles >= minimumMatchedShingles
      || (evidence.matchedShingles >= minimumShingles && share >= 0.6)
      || (evidence.alignment ?? 0) >= (alignment ?? 2)
      || (evidence.answer?.distinctive == true && evidence.matchedShingles >= (answeredShingles ?? Int.max))
  }

  /// What makes this search find less than `standard`, one sentence per setting (see
  /// ``ScanConfiguration/weakenings(against:)``). `k` and the scheme are not ordered weaker or
  /// stronger, so a change there is named too. The two `perturbed` rules are not here: off, they
  /// only rename a flagged item.
  func weakenings(against standard: NearDuplicateConfiguration) -> [String] {
    var weaker: [String] = []
    func note(_ isWeaker: Bool, _ what: String) { if isWeaker { weaker.append(what) } }
    note(k != standard.k, "k = \(k), not \(standard.k)")
    note(signatureSize < standard.signatureSize, "signatureSize = \(signatureSize): fewer samples than \(standard.signatureSize)")
    note(scheme != standard.scheme, "scheme = \(scheme.rawValue), not \(standard.scheme.rawValue)")
    note(voteFraction > standard.voteFraction, "voteFraction = \(voteFraction) is above \(standard.voteFraction)")
    note(
      containmentThreshold > standard.containmentThreshold,
      "containmentThreshold = \(containmentThreshold) is above \(standard.containmentThreshold)")
    note(minimumShingles > standard.minimumShingles, "minimumShingles = \(minimumShingles) is above \(standard.minimumShingles)")
    if let standardAlignment = standard.alignment {
      note(alignment == nil, "alignment was off: short items copied with typos or words changed are not found")
      note((alignment ?? 0) > standardAlignment, "alignment = \(alignment ?? 0) is above \(standardAlignment)")
    }
    if let standardAnswered = standard.answeredShingles {
      note(answeredShingles == nil, "answered shingles were off: short items copied with a word changed and their answer are not found")
      note((answeredShingles ?? 0) > standardAnswered, "answeredShingles = \(answeredShingles ?? 0) is above \(standardAnswered)")
    }
    note(
      withoutContext != true && standard.withoutContext == true,
      "items were not searched without their context: a question copied with its options but not its supporting passage, a few words changed, is not found")
    note(
      alignedContaminated != true && standard.alignedContaminated == true,
      "aligned copies were not contaminated: a short item copied whole with words inserted every few words reads partial")
    note(
      contaminatedContainment > standard.contaminatedContainment,
      "contaminatedContainment = \(contaminatedContainment) is above \(standard.contaminatedContainment)")
    note(
      mathTokens != true && standard.mathTokens == true,
      "math tokens were off: math items are not searched with their variables and operators")
    note(
      (carriedTokens ?? 0) < (standard.carriedTokens ?? 0),
      "carriedTokens = \(carriedTokens ?? 0), below \(standard.carriedTokens ?? 0): a near copy split over short records (a sentence a record) is not found")
    note(
      minimumMatchedShingles > standard.minimumMatchedShingles,
      "minimumMatchedShingles = \(minimumMatchedShingles) is above \(standard.minimumMatchedShingles)")
    return weaker
  }

  /// Checks every parameter's range.
  /// - Throws: ``ContamError/Code/invalidArgument`` naming the first parameter out of range.
  public func validate() throws(ContamError) {
    func check(_ ok: Bool, _ what: String) throws(ContamError) {
      if !ok { throw ContamError(.invalidArgument, "parameter near.\(what)") }
    }
    try check((1...16).contains(k), "k = \(k) is not in 1...16")
    try check((1...64).contains(signatureSize), "signatureSize = \(signatureSize) is not in 1...64")
    try check(voteFraction > 0 && voteFraction <= 1, "voteFraction = \(voteFraction) is not in (0, 1]")
    try check(containmentThreshold > 0 && containmentThreshold <= 1, "containmentThreshold = \(containmentThreshold) is not in (0, 1]")
    try check(minimumShingles >= 1, "minimumShingles = \(minimumShingles) is below 1")
    try check(
      contaminatedContainment >= containmentThreshold && contaminatedContainment <= 1,
      "contaminatedContainment = \(contaminatedContainment) is not in containmentThreshold...1")
    try check(minimumMatchedShingles >= 1, "minimumMatchedShingles = \(minimumMatchedShingles) is below 1")
    if let alignment { try check(alignment > 0.5 && alignment <= 1, "alignment = \(alignment) is not in (0.5, 1]") }
    if let answeredShingles { try check(answeredShingles >= 1, "answeredShingles = \(answeredShingles) is below 1") }
    if let carriedTokens { try check((0...4096).contains(carriedTokens), "carriedTokens = \(carriedTokens) is not in 0...4096") }
  }
}

/// The items' informative shingle sets and MinHash samples, in one LSH table.
///
/// Each item is searched as a whole and, when it has several parts, part by part: a target is
/// the whole item or one of its parts (the question of a GSM8K item without its worked
/// solution is the usual shape of a leak), so a copy of the question alone is measured against
/// the question, not diluted by the answer.
///
/// LSH, stated: bands = the signature size m, rows = 1 (each band is one signature shingle),
/// and a pair becomes a candidate when at least ⌈voteFraction · m⌉ bands agree within one span
/// of the document (a vote over bands instead of "any band"). For containment c of the item in
/// the span, the candidate probability is P[Binomial(m, c) ≥ votes].
///
/// Shingles found in 2 to `maximumItemsPerShingle` items of one benchmark are shared context:
/// a span is a near copy of an item only if it also holds at least half the containment
/// threshold of the item's own shingles, so a sibling's copy (a shared passage, a twin
/// sentence) is not this item's, while a perturbed copy, which keeps most of them, still is.
/// Shingles found in more than `maximumItemsPerShingle` items ("of the following", "what is
/// the") are boilerplate: they are left out of samples and of containment, as the exact index
/// drops shared n-grams.
public final class NearDuplicateIndex: @unchecked Sendable {
  public let configuration: NearDuplicateConfiguration
  public let hasher: MinHasher
  let shingler: NGramHasher
  /// Per target: its item, and its part's name (nil for the whole item).
  let targetItem: [Int]
  let targetPart: [String?]
  /// Per target: whether it is its item's own parts without its context
  /// (``NearDuplicateConfiguration/withoutContext``), judged as a whole item is.
  let targetWithoutContext: [Bool]
  /// Per whole target: its sorted distinct informative shingle keys, in the math index, whose
  /// token streams are not kept. A part's keys are a subset of its item's, so a part target's
  /// row is empty: it reads its whole target's (``keys(of:)``) and marks its own keys in
  /// ``member``. Empty in the text index, which makes a target's keys from ``tokens`` when a
  /// candidate is confirmed: kept, they were 10.7 MB of every scan's memory for all shared
  /// benchmarks, read only for the few targets a document votes for.
  let shingles: _Ragged<UInt64>
  /// The items' token hashes (the item index's own arrays, shared, not copied) when the keys
  /// are made from them (the text index); nil when ``shingles`` holds them.
  let tokens: [[UInt64]]?
  /// The boilerplate shingles (sorted), left out of a target's keys made from ``tokens``.
  let boilerplate: _KeySet
  /// Per target: the whole target whose array ``shingles`` holds (the target itself for a
  /// whole item).
  let keyOwner: [Int]
  /// Per target: one bit per key of `keys(of: target)`, set for the part's keys; empty for a
  /// whole item (every key is its).
  let member: _Ragged<UInt64>
  /// Per target: one bit per key of `keys(of: target)`, set for its own shingles (those no
  /// other item of its benchmark has) when it has shared ones too and at least one of its own;
  /// empty otherwise. A near copy must hold its share of them.
  let own: _Ragged<UInt64>
  /// Per target: its informative shingles, and its own ones (0 when ``own`` is empty).
  let shingleCount: [Int]
  let ownCount: [Int]
  /// Per target: the number of sample shingles, and the votes a candidate needs.
  let sampleSize: [Int]
  let votes: [Int]
  /// Per target: its token count (bounds the span of a candidate).
  let length: [Int]
  /// Tokens a segment of a long document must share with the one before, so that every span
  /// the search considers (twice a target's length, widened by half of it on each side) lies
  /// wholly in one segment.
  let segmentOverlap: Int
  static func segmentOverlap(lengths: [Int], k: Int, math: NearDuplicateIndex?) -> Int {
    max(3 * (lengths.max() ?? 0) + 2 * k + 16, math?.segmentOverlap ?? 0)
  }
  /// Sample shingle → (target, slot within its sample).
  let table: _HashTable
  /// Per item: informative shingles of the whole item (0 if not searched whole).
  let wholeShingles: [Int]
  /// Shingles dropped as boilerplate.
  public let droppedShingles: Int
  /// The same search over the items' math stream (``MathTokens``): items without TeX math have
  /// no targets there. Its targets are each item whole and its question (first part that is
  /// not context), not its other parts: a worked solution's math is the generic algebra many
  /// solutions share (searched alone it matched solution fragments of sibling problems), and its
  /// words are searched on the text's own stream. Nil when ``NearDuplicateConfiguration/mathTokens``
  /// is off, and in itself.
  public let math: NearDuplicateIndex?

  /// The index of the items of `index` (tokenized again: the item index keeps only their hashes).
  /// The index keeps the item index's token hashes (equal to these, and shared rather than a
  /// second copy), from which it makes its targets' keys.
  public convenience init(index: ItemIndex, configuration: NearDuplicateConfiguration, maximumItemsPerShingle: Int) {
    let again = TokenizedItems(index.items, version: index.parameters.textVersion)
    precondition(again.hashes == index.tokenHashes, "the item index's tokens are its items' tokens")
    self.init(
      TokenizedItems(items: again.items, version: again.version, hashes: index.tokenHashes, starts: again.starts, ends: again.ends, partRanges: again.partRanges),
      configuration: configuration, maximumItemsPerShingle: maximumItemsPerShingle)
  }

  /// Builds the index from items already tokenized (shared with ``ItemIndex``, so both can be
  /// built at once), and its ``math`` index when the configuration asks for it.
  public convenience init(_ index: consuming TokenizedItems, configuration: NearDuplicateConfiguration, maximumItemsPerShingle: Int) {
    self.init(index, configuration: configuration, maximumItemsPerShingle: maximumItemsPerShingle, beforePreparing: nil)
  }

  /// Builds the index as above; `beforePreparing` is called before the text index's targets are
  /// prepared (the build's most memory), so that the caller can wait there for another build to
  /// free its own (``Scanner``: the exact index's).
  convenience init(
    _ index: consuming TokenizedItems, configuration: NearDuplicateConfiguration, maximumItemsPerShingle: Int, beforePreparing: (() -> Void)?
  ) {
    let math =
      configuration.mathTokens == true
      ? NearDuplicateIndex(
        index.withMathTokens(prices: configuration.dollarPrices == true), configuration: configuration, maximumItemsPerShingle: maximumItemsPerShingle, math: nil,
        questionPartOnly: true, keepsKeys: true) : nil
    // Past the math stream, only the hashes and part ranges are read: the byte ranges go, and
    // what the math index's build freed goes back before the main build's peak.
    let tokens = index.withoutByteRanges
    _ = consume index
    CContamSupport_releaseFreeMemory()
    self.init(consume tokens, configuration: configuration, maximumItemsPerShingle: maximumItemsPerShingle, math: math, beforePreparing: beforePreparing)
  }

  /// - Parameters:
  ///   - questionPartOnly: whether an item's only part target is its question (the math index,
  ///     see ``math``).
  ///   - keepsKeys: whether the targets' keys are kept (``shingles``), not made from the items'
  ///     tokens when asked for (``tokens``): the math index's streams are not kept.
  ///   - beforePreparing: called before the targets are prepared.
  init(
    _ index: consuming TokenizedItems, configuration: NearDuplicateConfiguration, maximumItemsPerShingle: Int, math: NearDuplicateIndex?,
    questionPartOnly: Bool = false, keepsKeys: Bool = false, beforePreparing: (() -> Void)? = nil
  ) {
    self.math = math
    tokens = keepsKeys ? nil : index.hashes
    precondition(configuration.signatureSize <= 64, "the vote counts slots in a 64-bit mask")
    self.configuration = configuration
    let hasher = MinHasher(m: configuration.signatureSize, scheme: configuration.scheme)
    let shingler = NGramHasher(n: configuration.k)
    self.hasher = hasher
    self.shingler = shingler
    func distinctShingles(_ tokens: ArraySlice<UInt64>) -> [UInt64] {
      guard tokens.count >= configuration.k else { return [] }
      var keys = shingler.hashes(of: Array(tokens))
      _KeySort.sort(&keys) { $0 }
      _KeySort.removeRepeats(&keys)
      return keys
    }
    // The targets, prepared in a scope of their own: the shingle lists of every candidate and the
    // sort buffers are freed before the table is built.
    var (prepared, dropped) = { () -> ([_Target?], [UInt64]) in
      let jobs = ProcessInfo.processInfo.activeProcessorCount
      // Targets: every item whole, and each part of an item that has several (items on all
      // cores). A part's shingles are made when it is prepared, not held meanwhile.
      var candidates = _parallelMap(index.hashes.count, jobs: jobs) {
        i -> [(item: Int, part: String?, range: Range<Int>, shingles: [UInt64], withoutContext: Bool)] in
        let tokens = index.hashes[i]
        var list = [(i, String?.none, tokens.indices, distinctShingles(tokens[...]), false)]
        let ranges = index.partRanges[i]
        if ranges.count > 1 {
          let question = index.items[i].parts.firstIndex { !BenchmarkItem.contextPartNames.contains($0.name) }
          for (p, (part, range)) in zip(index.items[i].parts, ranges).enumerated() where !questionPartOnly || p == question {
            list.append((i, part.name, range, [], false))
          }
          // The item as it is tested, without the context before or after its own parts.
          if configuration.withoutContext == true, !questionPartOnly, let own = Self.withoutContext(index.items[i], ranges: ranges),
            own.range.count < tokens.count
          {
            list.append((i, own.name, own.range, [], true))
          }
        }
        return list
      }.flatMap { $0 }
      // Items per shingle (whole items only), by sorting their distinct shingles together:
      // boilerplate counts items of every benchmark; shared context the items of one benchmark
      // (as in ItemIndex), kept per item as a sorted list. The keys are taken in passes over
      // their range (by their top bits; each item's list is sorted, so a pass takes the next run
      // of it), so no array of every (key, item) pair is held at once, only a pass's.
      let benchmarkNumbers = Dictionary(index.items.map(\.benchmark).enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
      let benchmarkOf = index.items.map { benchmarkNumbers[$0.benchmark]! }
      let wholes = candidates.indices.filter { candidates[$0].part == nil }
      let total = wholes.reduce(0) { $0 + candidates[$1].shingles.count }
      let passBits = _KeySort.passBits(for: total)
      var next = [Int](repeating: 0, count: candidates.count)  // per candidate: its first key not taken
      var boilerplate: [UInt64] = []  // sorted: the passes go up the key range
      var sharedOf = [[UInt64]](repeating: [], count: index.items.count)
      let fill = { (range: UInt64, pass: inout [(key: UInt64, item: Int32)]) in
        for c in wholes {
          let item = Int32(candidates[c].item)
          next[c] = candidates[c].shingles.withUnsafeBufferPointer { keys in
            var j = next[c]
            while j < keys.count && _KeySort.inPass(keys[j], range, passBits: passBits) {
              pass.append((keys[j], item))
              j += 1
            }
            return j
          }
        }
      }
      _KeySort.forEachRun(passBits: passBits, key: { $0.key }, fill: fill) { run in
        if run.count > maximumItemsPerShingle {
          boilerplate.append(run[0].key)
        } else if run.count > 1 {
          for k in run.indices where run.indices.contains(where: { $0 != k && benchmarkOf[Int(run[$0].item)] == benchmarkOf[Int(run[k].item)] }) {
            sharedOf[Int(run[k].item)].append(run[k].key)
          }
        }
      }
      precondition(zip(wholes, wholes.map { next[$0] }).allSatisfy { candidates[$0].shingles.count == $1 }, "every key is taken by a pass")
      // Each item's informative shingles: its distinct ones less the boilerplate, removed in
      // place (each list is moved out of its candidate, so no second copy of every item's
      // shingles is made; the whole target keeps the same buffer).
      let boilerplateSet = _KeySet(sorted: boilerplate)
      let lists = _Slots<[UInt64]>(count: index.items.count)
      for c in wholes {
        lists.set(candidates[c].item, candidates[c].shingles)
        candidates[c].shingles = []
      }
      let informativeOf = _parallelMap(index.items.count, jobs: jobs) { i -> [UInt64] in
        guard var keys = lists.take(i) else { return [] }
        keys.removeAll { boilerplateSet.contains($0) }
        return keys
      }
      // Per target, on all cores: its informative shingles, its own ones, its sample.
      let minimumShingles = configuration.minimumShingles
      // A part keeps its shingles only as bits over its item's (a part has no shingle its item
      // lacks), so no part's list outlives its preparation.
      beforePreparing?()
      let prepared = _parallelMap(candidates.count, jobs: jobs) { c -> _Target? in
        let candidate = candidates[c]
        let informative =
          candidate.part == nil
          ? informativeOf[candidate.item] : Self.subtracting(boilerplateSet, from: distinctShingles(index.hashes[candidate.item][candidate.range]))
        guard informative.count >= minimumShingles else { return nil }
        // Shared context (as in ItemIndex): the shingles of the item's own, when it also has
        // shared ones and at least one of its own (a duplicate within its test set has none).
        let shared = sharedOf[candidate.item]  // sorted, as `every` was
        let own = Self.subtracting(shared, from: informative)
        let ownKeys = own.count == informative.count ? [] : own
        // The keys a target's bits are over: its item's informative shingles.
        let keys = informativeOf[candidate.item]
        return _Target(
          item: candidate.item, part: candidate.part, withoutContext: candidate.withoutContext, tokens: candidate.range.count, informative: candidate.part == nil ? informative : [],
          count: informative.count, ownCount: ownKeys.count, member: candidate.part == nil ? [] : Self.mask(of: informative, in: keys),
          own: Self.mask(of: ownKeys, in: keys), sample: hasher.sample(of: informative))
      }
      return (prepared, boilerplate)
    }()
    droppedShingles = dropped.count
    boilerplate = _KeySet(sorted: keepsKeys ? [] : dropped)
    // The items' tokens are read no more (this build's reference to them goes; the item index
    // keeps the hashes), and the candidates' shingle lists and the pass buffers are freed: hand
    // them back.
    let itemCount = index.items.count
    _ = consume index
    CContamSupport_releaseFreeMemory()
    var targetItem: [Int] = []
    var targetPart: [String?] = []
    var targetWithoutContext: [Bool] = []
    // Every target's lists go into four arrays, sized first (``_Ragged``).
    var shingles = _Ragged<UInt64>()
    var member = _Ragged<UInt64>()
    var own = _Ragged<UInt64>()
    var samples = _Ragged<UInt64>()  // per target
    do {
      var sizes = (rows: 0, keys: 0, member: 0, own: 0, sample: 0)
      for case let candidate? in prepared {
        sizes = (
          sizes.rows + 1, sizes.keys + candidate.informative.count, sizes.member + candidate.member.count, sizes.own + candidate.own.count,
          sizes.sample + candidate.sample.count
        )
      }
      shingles.reserveCapacity(rows: sizes.rows, elements: keepsKeys ? sizes.keys : 0)
      member.reserveCapacity(rows: sizes.rows, elements: sizes.member)
      own.reserveCapacity(rows: sizes.rows, elements: sizes.own)
      samples.reserveCapacity(rows: sizes.rows, elements: sizes.sample)
    }
    var keyOwner: [Int] = []
    var shingleCount: [Int] = []
    var ownCount: [Int] = []
    var sampleSize: [Int] = []
    var votes: [Int] = []
    var length: [Int] = []
    var wholeTarget = -1  // the latest whole target: an item's parts follow it
    let trimEvery = max(1, prepared.count / 8)
    for c in prepared.indices {
      // The lists copied so far are freed: hand their pages back as the copies grow, so the
      // two are not resident at once.
      if c > 0 && c % trimEvery == 0 { CContamSupport_releaseFreeMemory() }
      guard let candidate = prepared[c] else { continue }
      prepared[c] = nil  // its lists live on only in what is kept
      let sample = candidate.sample
      let target = targetItem.count
      if candidate.part == nil { wholeTarget = target }
      // A part has no more informative shingles than its item, so its item is a target too.
      precondition(
        candidate.part == nil || (wholeTarget >= 0 && targetItem[wholeTarget] == candidate.item), "a part target follows its item's")
      targetItem.append(candidate.item)
      targetPart.append(candidate.part)
      targetWithoutContext.append(candidate.withoutContext)
      shingles.append(candidate.part == nil && keepsKeys ? candidate.informative : [])
      keyOwner.append(wholeTarget)
      member.append(candidate.member)
      own.append(candidate.own)
      shingleCount.append(candidate.count)
      ownCount.append(candidate.ownCount)
      sampleSize.append(sample.count)
      votes.append(configuration.votes(sampleSize: sample.count))
      length.append(candidate.tokens)
      samples.append(sample)
    }
    // The prepared lists are all copied and freed: hand them back before the table is built.
    CContamSupport_releaseFreeMemory()
    precondition(targetItem.count < 1 << 26, "a hit packs its target in 26 bits (_NearScratch)")
    var whole = [Int](repeating: 0, count: itemCount)
    for t in targetItem.indices where targetPart[t] == nil { whole[targetItem[t]] = shingleCount[t] }
    wholeShingles = whole
    self.targetItem = targetItem
    self.targetPart = targetPart
    self.targetWithoutContext = targetWithoutContext
    self.shingles = shingles
    self.keyOwner = keyOwner
    self.member = member
    self.own = own
    self.shingleCount = shingleCount
    self.ownCount = ownCount
    self.sampleSize = sampleSize
    self.votes = votes
    self.length = length
    segmentOverlap = Self.segmentOverlap(lengths: length, k: configuration.k, math: math)
    // Sample shingle → (target, slot), in passes over the key range; a key's postings in
    // (target, slot) order.
    let passBits = _KeySort.passBits(for: (0..<samples.count).reduce(0) { $0 + samples[$1].count })
    table = _HashTable.built(
      passBits: passBits,
      pairs: { pass, chunk in
        for target in 0..<samples.count {
          samples[target].withUnsafeBufferPointer { sample in
            for (slot, key) in sample.enumerated() where _KeySort.inPass(key, pass, passBits: passBits) {
              chunk.append((key, .init(item: UInt32(target), position: UInt32(slot))))
            }
          }
        }
      }, keep: { _ in true }, filterHasher: shingler)
  }

  /// Everything the index holds beyond its configuration (the index cache's payload).
  struct Stored {
    var targetItem: [Int]
    var targetPart: [String?]
    var targetWithoutContext: [Bool]
    var shingles: _Ragged<UInt64>
    /// The boilerplate shingles, sorted, when the keys are made from the items' tokens (then
    /// ``shingles`` is empty); nil when ``shingles`` holds them.
    var boilerplate: [UInt64]?
    var keyOwner: [Int]
    var member: _Ragged<UInt64>
    var own: _Ragged<UInt64>
    var shingleCount: [Int]
    var ownCount: [Int]
    var sampleSize: [Int]
    var votes: [Int]
    var length: [Int]
    var table: _HashTable
    var wholeShingles: [Int]
    var droppedShingles: Int
  }

  /// The index ``stored`` describes (``IndexCache``); `tokens` are the items' token hashes
  /// (``ItemIndex/tokenHashes``) when it makes its keys from them (`stored.boilerplate` is set).
  init(configuration: NearDuplicateConfiguration, math: NearDuplicateIndex?, stored: Stored, tokens: [[UInt64]]?) {
    precondition((stored.boilerplate == nil) == (tokens == nil), "keys kept, or made from the items' tokens")
    self.configuration = configuration
    self.math = math
    self.tokens = tokens
    boilerplate = _KeySet(sorted: stored.boilerplate ?? [])
    hasher = MinHasher(m: configuration.signatureSize, scheme: configuration.scheme)
    shingler = NGramHasher(n: configuration.k)
    targetItem = stored.targetItem
    targetPart = stored.targetPart
    targetWithoutContext = stored.targetWithoutContext
    shingles = stored.shingles
    keyOwner = stored.keyOwner
    member = stored.member
    own = stored.own
    shingleCount = stored.shingleCount
    ownCount = stored.ownCount
    sampleSize = stored.sampleSize
    votes = stored.votes
    length = stored.length
    segmentOverlap = Self.segmentOverlap(lengths: stored.length, k: configuration.k, math: math)
    table = stored.table
    wholeShingles = stored.wholeShingles
    droppedShingles = stored.droppedShingles
  }

  var stored: Stored {
    Stored(
      targetItem: targetItem, targetPart: targetPart, targetWithoutContext: targetWithoutContext, shingles: shingles,
      boilerplate: tokens == nil ? nil : boilerplate.keys, keyOwner: keyOwner,
      member: member, own: own, shingleCount: shingleCount, ownCount: ownCount, sampleSize: sampleSize,
      votes: votes, length: length, table: table, wholeShingles: wholeShingles, droppedShingles: droppedShingles)
  }

  /// The target of `item` without its context (``BenchmarkItem/ownParts``): its own parts'
  /// names joined by `+` (`question+choices`) and their tokens.
  static func withoutContext(_ item: BenchmarkItem, ranges: [Range<Int>]) -> (name: String, range: Range<Int>)? {
    guard let own = item.ownParts, ranges.count == item.parts.count else { return nil }
    return (item.parts[own].map(\.name).joined(separator: "+"), ranges[own.lowerBound].lowerBound..<ranges[own.upperBound - 1].upperBound)
  }

  /// ``_TokenAlignment/best(item:document:window:masks:)`` on arrays, for tests.
  @_spi(Testing) public static func alignment(item: [UInt64], document: [UInt64], window: Int) -> (matched: Int, first: Int, last: Int) {
    var masks = [UInt64](repeating: 0, count: max(1, document.count))
    return masks.withUnsafeMutableBufferPointer { masks in
      item.withUnsafeBufferPointer { item in
        document.withUnsafeBufferPointer { _TokenAlignment.best(item: item, document: $0, window: window, masks: masks.baseAddress!) }
      }
    }
  }

  /// The targets in order: an item, and its part's name (nil for the whole item).
  @_spi(Testing) public var targets: [(item: Int, part: String?)] { zip(targetItem, targetPart).map { ($0, $1) } }

  /// Per target, the sample hits it needs (as the index cache stores them).
  @_spi(Testing) public var targetVotes: [Int] { votes }

  /// The informative shingle keys of `target`, sorted (its bits of its item's keys).
  @_spi(Testing) public func informativeShingles(ofTarget target: Int) -> [UInt64] {
    keys(of: target).enumerated().filter { Self.bit(member[target], $0.offset) }.map(\.element)
  }

  /// The sorted keys `target`'s bits are over: its own for a whole item, its item's for a part.
  /// Read from ``shingles`` where they are kept; otherwise made from the item's tokens as the
  /// build made them (its distinct shingles less the boilerplate), a sort of one item's
  /// shingles, asked once per confirmed candidate. Keys that do not agree with the counts the
  /// index holds (a cache file that does not belong to these items) are none: the target then
  /// matches nothing, rather than its bits being read against other keys.
  func keys(of target: Int) -> ArraySlice<UInt64> {
    let owner = keyOwner[target]
    guard let tokens else { return shingles[owner] }
    let item = tokens[targetItem[owner]]
    guard item.count >= configuration.k else { return [] }
    var keys = shingler.hashes(of: item)
    _KeySort.sort(&keys) { $0 }
    _KeySort.removeRepeats(&keys)
    if !boilerplate.keys.isEmpty { keys.removeAll { boilerplate.contains($0) } }
    return keys.count == shingleCount[owner] ? keys[...] : []
  }

  /// How many shingle keys the index keeps in memory (``shingles``): none in the text index,
  /// which makes them from the items' tokens.
  @_spi(Testing) public var keptKeys: Int { (0..<shingles.count).reduce(0) { $0 + shingles[$1].count } }

  /// How many keys of `keys` `target` holds, and how many of its own (as the search counts them).
  @_spi(Testing) public func intersection(ofTarget target: Int, with keys: [UInt64]) -> (shared: Int, own: Int) {
    let sorted = keys.sorted()
    return sorted.withUnsafeBufferPointer { intersection(target, self.keys(of: target), $0) }
  }

  /// Items searched for near duplicates (as a whole or by part).
  public var searchedItems: Int { Set(targetItem).count }

  /// The whole-item informative shingle count of `item` (0 when the item as a whole is not searched).
  func itemShingles(_ item: Int) -> Int { wholeShingles[item] }

  /// Whether `value` is one of the informative shingles of `target`, whose keys (``keys(of:)``)
  /// are `keys` (a binary search in them, then its part's bit).
  @inline(__always)
  func holds(_ target: Int, _ keys: ArraySlice<UInt64>, _ value: UInt64) -> Bool {
    let base = keys.startIndex
    var low = 0
    var high = keys.count
    while low < high {
      let mid = (low + high) >> 1
      if keys[base + mid] < value { low = mid + 1 } else { high = mid }
    }
    guard low < keys.count && keys[base + low] == value else { return false }
    return Self.bit(member[target], low)
  }

  /// Bit `position` of `mask`; an empty mask has every bit.
  @inline(__always)
  static func bit(_ mask: ArraySlice<UInt64>, _ position: Int) -> Bool {
    mask.isEmpty || mask[mask.startIndex + (position >> 6)] & (1 << UInt64(position & 63)) != 0
  }

  /// One bit per key of sorted `keys`, set for those in sorted `subset` (a subset of `keys`);
  /// empty when `subset` is empty or all of `keys`.
  static func mask(of subset: [UInt64], in keys: [UInt64]) -> [UInt64] {
    guard !subset.isEmpty && subset.count < keys.count else { return [] }
    var bits = [UInt64](repeating: 0, count: (keys.count + 63) / 64)
    var j = 0
    for (position, key) in keys.enumerated() where j < subset.count && subset[j] == key {
      bits[position >> 6] |= 1 << UInt64(position & 63)
      j += 1
    }
    precondition(j == subset.count, "a subset's keys are all in the set")
    return bits
  }

  /// How many of the informative shingles of `target`, whose keys (``keys(of:)``) are `keys`,
  /// the sorted `unit` holds (duplicates allowed in `unit`), and how many of its own ones.
  func intersection(_ target: Int, _ keys: ArraySlice<UInt64>, _ unit: UnsafeBufferPointer<UInt64>) -> (shared: Int, own: Int) {
    let member = member[target]
    let own = own[target]
    let base = keys.startIndex
    var i = 0
    var j = 0
    var shared = 0
    var ownFound = 0
    while i < keys.count && j < unit.count {
      let key = keys[base + i]
      if key < unit[j] {
        i += 1
      } else if key > unit[j] {
        j += 1
      } else {
        if Self.bit(member, i) {
          shared += 1
          if !own.isEmpty && Self.bit(own, i) { ownFound += 1 }
        }
        let value = key
        i += 1
        while j < unit.count && unit[j] == value { j += 1 }
      }
    }
    return (shared, ownFound)
  }

  /// The keys of sorted `keys` that are not in `removed`. When nothing is removed, which is
  /// nearly always, the list is shared, not copied (the build would otherwise hold every item's
  /// shingles twice).
  static func subtracting(_ removed: _KeySet, from keys: [UInt64]) -> [UInt64] {
    guard let first = keys.firstIndex(where: removed.contains) else { return keys }
    var kept = Array(keys[..<first])
    kept.reserveCapacity(keys.count)
    for key in keys[(first + 1)...] where !removed.contains(key) { kept.append(key) }
    return kept
  }

  /// The keys of sorted `keys` that are not in sorted `removed`, a list not much longer (an
  /// item's shared shingles): one merge pass.
  static func subtracting(_ removed: [UInt64], from keys: [UInt64]) -> [UInt64] {
    var i = 0
    var j = 0
    while i < keys.count && j < removed.count && keys[i] != removed[j] {
      if keys[i] < removed[j] { i += 1 } else { j += 1 }
    }
    guard i < keys.count && j < removed.count else { return keys }
    var kept = Array(keys[..<i])
    kept.reserveCapacity(keys.count)
    for key in keys[i...] {
      while j < removed.count && removed[j] < key { j += 1 }
      if j == removed.count || removed[j] != key { kept.append(key) }
    }
    return kept
  }
}

/// A target as the near-duplicate index's build prepares it: an item whole or one of its parts,
/// its token count, informative shingles (sorted; an item's own, a part's as bits `member` over
/// its item's), its own shingles as bits over its item's, their counts, and its MinHash sample.
private struct _Target: Sendable {
  var item: Int
  var part: String?
  var withoutContext: Bool
  var tokens: Int
  var informative: [UInt64]
  var count: Int
  var ownCount: Int
  var member: [UInt64]
  var own: [UInt64]
  var sample: [UInt64]
}
