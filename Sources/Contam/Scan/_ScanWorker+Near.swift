extension _ScanWorker {
  /// The near-duplicate pass over the tokens in the buffer (a document, or a segment of one
  /// starting at byte `base`): every shingle probed once against the sample table; per item,
  /// the span (at most twice the item's length) holding the most distinct sample slots; if it
  /// has the votes, the item's containment in the span, widened by half the item's length on
  /// each side, is computed exactly. The best finding per item is kept in `scratch.best`.
  /// The first `lead` tokens are the carry of the documents before (at the document's byte 0):
  /// a span must end past them, or it is the earlier document's.
  mutating func collectNearDuplicates(
    document: Document, base: Int, tokens: _TokenView, lead: Int = 0, near: NearDuplicateIndex, scratch: _NearScratch, math: Bool = false
  ) {
    let k = near.configuration.k
    guard tokens.count >= k else { return }
    let count = tokens.count - k + 1
    var hitBuffer = scratch.hits
    var hitCount = 0
    var hitCapacity = scratch.hitCapacity
    let targetHits = scratch.targetHits
    let targetVotes = scratch.targetVotes
    probe(near.table, hasher: near.shingler, tokens: tokens) { position, postings in
      for p in postings {
        scratch.count(Int(p.item))
        if hitCount == hitCapacity {
          hitBuffer = scratch.growHits(keeping: hitCount)
          hitCapacity = scratch.hitCapacity
        }
        hitBuffer[hitCount] = _NearScratch.hit(target: Int(p.item), position: position, slot: Int(p.position))
        hitCount += 1
      }
    }
    if hitCount == 0 { return }
    func target(_ hit: UInt64) -> Int { Int(truncatingIfNeeded: hit >> 38) }
    // Only the hits of targets with enough of them to vote go on (most targets get one or two
    // from a common phrase). A dropped target's count is cleared at once: its other hits are
    // dropped too. A kept target's count is cleared when its group is read below.
    var kept = 0
    for h in 0..<hitCount {
      let t = target(hitBuffer[h])
      if targetHits[t] >= targetVotes[t] {
        hitBuffer[kept] = hitBuffer[h]
        kept += 1
      } else {
        targetHits[t] = 0
      }
    }
    var hits = UnsafeMutableBufferPointer(start: hitBuffer, count: kept)
    hits.sort()  // by target, then position
    // The shingles' polynomials are in tokens.keys now (probe wrote them).
    let polynomials = tokens.keys
    func position(_ hit: UInt64) -> Int { Int(truncatingIfNeeded: (hit >> 6) & 0xFFFF_FFFF) }
    func slot(_ hit: UInt64) -> Int { Int(truncatingIfNeeded: hit & 63) }
    var i = 0
    while i < hits.count {
      let item = target(hits[i])
      var j = i
      while j < hits.count && target(hits[j]) == item { j += 1 }
      defer { i = j }
      targetHits[item] = 0
      guard j - i >= near.votes[item] else { continue }
      // The best span: most distinct slots among hits within 2 × length shingles (a sliding
      // window, with each slot's hits in it counted).
      let span = 2 * near.length[item]  // `item` is a target here
      var bestVotes = 0
      var bestStart = 0
      var bestEnd = 0
      var left = i
      var votes = 0
      for right in i..<j {
        while position(hits[right]) - position(hits[left]) > span {
          scratch.slotHits[slot(hits[left])] -= 1
          if scratch.slotHits[slot(hits[left])] == 0 { votes -= 1 }
          left += 1
        }
        scratch.slotHits[slot(hits[right])] += 1
        if scratch.slotHits[slot(hits[right])] == 1 { votes += 1 }
        // A span that ends in the carry is the earlier document's (found there): it must not
        // hide this document's own copy, which may have fewer votes.
        if votes > bestVotes && position(hits[right]) + k > lead {
          bestVotes = votes
          bestStart = position(hits[left])
          bestEnd = position(hits[right])
        }
      }
      for h in left..<j { scratch.slotHits[slot(hits[h])] = 0 }
      guard bestVotes >= near.votes[item] else { continue }
      confirm(
        target: item, votes: bestVotes, spanStart: bestStart, spanEnd: bestEnd, shingleCount: count,
        polynomials: polynomials, tokens: tokens, lead: lead, near: near, scratch: scratch, document: document, base: base, math: math)
    }
  }

  /// The near search over the math stream (``MathTokens``) of the text in the buffer (document
  /// bytes `base..<end`), against the items' math index; its findings join the text's in
  /// `nearScratch.best` by the same rule as two findings of one stream. Only the tokens within
  /// the math index's reach (``NearDuplicateIndex/segmentOverlap``) of an extra token are
  /// searched: elsewhere the math stream is the text's own, on which the text's targets
  /// measure a copy at least as well. Text without a `$` or a backslash costs two `memchr`.
  mutating func collectMathNearDuplicates(document: Document, base: Int, end: Int, near math: NearDuplicateIndex, scratch: _NearScratch) {
    let text = UnsafeRawBufferPointer(rebasing: document.text[base..<end])
    guard let nearScratch, let near = self.near else { return }
    // The worker's array, taken out and put back, so that its capacity is kept and not copied.
    var extras: [MathTokens.Extra] = []
    swap(&extras, &storage.mathExtras)
    defer { swap(&extras, &storage.mathExtras) }
    extras.removeAll(keepingCapacity: true)
    // A segment of a long document starts in the math mode the text before it leaves.
    let prices = near.configuration.dollarPrices == true
    let startsInMath = base > 0 && MathTokens.inMath(document.text, at: base, prices: prices)
    MathTokens.forEach(in: text, startingInMath: startsInMath, prices: prices) { hash, start, end in extras.append((hash, start, end)) }
    guard !extras.isEmpty else { return }
    let tokens = ownTokens
    let gate = math.table.polynomialFilter
    for window in MathTokens.windows(extras: extras, tokens: tokens, reach: math.segmentOverlap) {
      // One access to the buffer for the whole window (not one per token).
      let placed = MathTokens.fill(&storage.mathBuffer, tokens: tokens, range: window.tokens, extras: extras[window.extras])
      // Only a window where a shingle holding an extra token may be in the math index's sample
      // table is searched: elsewhere its math stream votes only with shingles the text's has.
      let view = storage.mathBuffer.view
      let k = math.configuration.k
      let sampled = placed.contains { p in
        (max(0, p - k + 1)...p).contains { s in
          s + k <= view.count && gate.mayContain(math.shingler.polynomial(UnsafeBufferPointer(start: view.hashes + s, count: k)))
        }
      }
      guard sampled else { continue }
      collectNearDuplicates(document: document, base: base, tokens: storage.mathBuffer.view, near: math, scratch: scratch, math: true)
    }
    for (item, evidence) in scratch.best {
      if let previous = nearScratch.best[item], !Self.replaces(evidence, previous, near: near, item: item) { continue }
      nearScratch.best[item] = evidence
    }
    scratch.best.removeAll(keepingCapacity: true)
  }

  /// Whether `evidence` is kept as an item's finding in a document over `previous`: with
  /// alignment measured, one that counts toward the verdict comes first (a part found whole but
  /// too small to count, an item's options, must not hide the aligned item around it); then the
  /// evidence order.
  static func replaces(_ evidence: NearDuplicateEvidence, _ previous: NearDuplicateEvidence, near: NearDuplicateIndex, item: Int) -> Bool {
    guard near.configuration.alignment != nil else { return evidence.ranksBefore(previous) }
    let counts = (
      near.configuration.counts(evidence, itemShingles: near.itemShingles(item)),
      near.configuration.counts(previous, itemShingles: near.itemShingles(item))
    )
    return counts.0 != counts.1 ? counts.0 : evidence.ranksBefore(previous)
  }

  /// One finding per item and document: the best of its targets (and segments).
  func emitNearDuplicates(scratch: _NearScratch, into partial: inout _ShardPartial) {
    let literal = near?.configuration.literalTieBreak == true
    for (item, found) in scratch.best {
      var evidence = found
      if literal { evidence.literalSimilarity = LiteralSimilarity.of(evidence.snippet, targetText(of: evidence, item: item)) }
      partial.nearDocuments[item, default: 0] += 1
      _keepBest(&partial.near[item, default: []], evidence, limit: configuration.evidencePerItem)
    }
    scratch.best.removeAll(keepingCapacity: true)
  }

  /// The text of the target a near copy was matched on: the whole item's, one part's, or the
  /// item's own parts together (each joined by newlines, as ``ItemIndex/text(of:)`` joins them).
  func targetText(of evidence: NearDuplicateEvidence, item: Int) -> String {
    let parts = index.items[item].parts
    if evidence.withoutContext == true, let own = index.items[item].ownParts {
      return parts[own].map(\.text).joined(separator: "\n")
    }
    if let name = evidence.part, let part = parts.first(where: { $0.name == name }) { return part.text }
    return ItemIndex.text(of: index.items[item])
  }

  private func confirm(
    target: Int, votes: Int, spanStart: Int, spanEnd: Int, shingleCount: Int, polynomials: UnsafeMutablePointer<UInt64>,
    tokens: _TokenView, lead: Int, near: NearDuplicateIndex, scratch: _NearScratch, document: Document, base: Int, math: Bool
  ) {
    let item = near.targetItem[target]
    let margin = near.length[target] / 2 + near.configuration.k
    let lower = max(0, spanStart - margin)
    let upper = min(shingleCount, spanEnd + 1 + margin)
    let unitCount = upper - lower
    // The region's shingle keys (the probe mixed only the shingles that passed the filter).
    let region = scratch.region(unitCount)
    for u in 0..<unitCount { region[u] = near.shingler.finalize(polynomials[lower + u]) }
    scratch.reserve(unitCount)
    scratch.sorted.update(from: region, count: unitCount)
    var sortable = UnsafeMutableBufferPointer(start: scratch.sorted, count: unitCount)
    sortable.sort()
    let keys = near.keys(of: target)
    let (shared, ownFound) = near.intersection(target, keys, UnsafeBufferPointer(sortable))
    let containment = Double(shared) / Double(near.shingleCount[target])
    // A short whole item (or the item without its context): how many of its tokens the region
    // holds in order.
    var aligned: (fraction: Double, first: Int, last: Int)?
    let length = near.length[target]
    let wholeLike = near.targetPart[target] == nil || near.targetWithoutContext[target]
    let itemStart =
      near.targetWithoutContext[target] ? index.items[item].ownParts.map { index.partRanges[item][$0.lowerBound].lowerBound } ?? 0 : 0
    if let threshold = near.configuration.alignment, !math, wholeLike, NearDuplicateConfiguration.alignedTokens.contains(length),
      itemStart + length <= index.tokenHashes[item].count
    {
      let regionTokens = unitCount + near.configuration.k - 1
      scratch.reserve(regionTokens)
      let best = index.tokenHashes[item].withUnsafeBufferPointer { itemTokens in
        _TokenAlignment.best(
          item: UnsafeBufferPointer(rebasing: itemTokens[itemStart..<itemStart + length]),
          document: UnsafeBufferPointer(start: tokens.hashes + lower, count: regionTokens),
          window: length + length / 2, masks: scratch.sorted)
      }
      let fraction = Double(best.matched) / Double(length)
      if fraction >= threshold { aligned = (fraction, lower + best.first, lower + best.last) }
    }
    guard containment >= near.configuration.containmentThreshold || aligned != nil else { return }
    // Shared context: the span must hold the item's own text, not only what siblings share.
    let ownCount = near.ownCount[target]
    if ownCount > 0 {
      guard 4 * Double(ownFound) >= near.configuration.containmentThreshold * Double(ownCount) else { return }
    }
    // The evidence span: the densest run of matched shingles (gaps of at most `maximumGap`),
    // so stray common shingles in the margins do not stretch it.
    let maximumGap = 8
    var first = -1
    var last = -1
    var bestRun = 0
    var runStart = -1
    var runEnd = -1
    var runCount = 0
    for p in lower..<upper where near.holds(target, keys, region[p - lower]) {
      if runStart < 0 || p - runEnd > maximumGap {
        runStart = p
        runCount = 0
      }
      runEnd = p
      runCount += 1
      if runCount > bestRun {
        bestRun = runCount
        first = runStart
        last = runEnd
      }
    }
    // The span: the shingles' densest run, or the aligned window where the shingles fall short.
    var startToken = first
    var endToken = last + near.configuration.k - 1
    if let aligned, containment < near.configuration.containmentThreshold || first < 0 {
      startToken = aligned.first
      endToken = aligned.last
    }
    // A copy that ends in the carry is the document's before, found there.
    guard endToken >= lead else { return }
    let byteStart = base + Int(tokens.starts[startToken])
    let byteEnd = base + Int(tokens.ends[endToken])
    let snippetEnd = min(byteEnd, byteStart + Evidence.maximumSnippetBytes)
    var evidence = NearDuplicateEvidence(
      shard: document.shardPath, line: document.line(at: byteStart), documentID: document.id, byteStart: byteStart, byteEnd: byteEnd,
      snippet: String(decoding: UnsafeRawBufferPointer(rebasing: document.text[byteStart..<snippetEnd]), as: UTF8.self),
      part: near.targetPart[target], containment: containment,
      estimatedContainment: Double(votes) / Double(near.sampleSize[target]), matchedShingles: shared, alignment: aligned?.fraction,
      answer: index.answers[item].map { AnswerExtractor.check(expected: $0, in: document.text, from: byteStart, to: byteEnd) })
    if near.targetWithoutContext[target] { evidence.withoutContext = true }
    if math {
      // Its lone letters and operators are tokens here: every shingle is the word-for-word check.
      evidence.mathTokens = true
    } else if shared == near.shingleCount[target], evidence.answer?.agreement == .different {
      evidence.verbatim = holdsVerbatim(
        target: target, near: near, tokens: tokens, from: lower, count: unitCount + near.configuration.k - 1, document: document, base: base)
    }
    // One finding per item and document.
    if let previous = scratch.best[item], !Self.replaces(evidence, previous, near: near, item: item) { return }
    scratch.best[item] = evidence
  }

  /// Whether document tokens `from..<from + count` hold the target verbatim (``_VerbatimCheck``).
  private func holdsVerbatim(
    target: Int, near: NearDuplicateIndex, tokens: _TokenView, from: Int, count: Int, document: Document, base: Int
  ) -> Bool {
    let item = near.targetItem[target]
    let parts = index.items[item].parts
    var text = ItemIndex.text(of: index.items[item])
    let itemTokens = tokenizer.tokens(of: text)
    guard itemTokens.count == index.tokenHashes[item].count else { return false }
    var range = itemTokens.indices
    var partEnd = text.utf8.count
    if near.targetWithoutContext[target], let own = index.items[item].ownParts {
      // Its own parts, from the first to the last (context before or after them).
      let p = own.upperBound - 1
      range = index.partRanges[item][own.lowerBound].lowerBound..<index.partRanges[item][p].upperBound
      partEnd = parts[...p].reduce(p) { $0 + $1.text.utf8.count }
    } else if let part = near.targetPart[target], let p = parts.firstIndex(where: { $0.name == part }) {
      range = index.partRanges[item][p]
      partEnd = parts[...p].reduce(p) { $0 + $1.text.utf8.count }  // the parts before joined by newlines
    }
    guard range.upperBound <= itemTokens.count else { return false }
    return text.withUTF8 { itemText in
      _VerbatimCheck.holds(
        item: UnsafeRawBufferPointer(itemText), itemTokens: itemTokens[range], partEnd: partEnd, document: document.text,
        hashes: UnsafeBufferPointer(start: tokens.hashes + from, count: count), starts: tokens.starts + from, ends: tokens.ends + from,
        base: base, version: index.parameters.textVersion)
    }
  }
}

