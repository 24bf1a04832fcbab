extension _ScanWorker {
  /// The exact pass over the tokens in the buffer (the whole document, or one segment of a
  /// long one): every n-gram window probed; each hit kept with its byte range in the document.
  /// - Parameters:
  ///   - base: the document byte offset of the tokenized text (0 unless a segment).
  ///   - overlap: the leading tokens already seen by the previous segment; hits lying wholly
  ///     inside them were collected there and are skipped here.
  mutating func collectExactHits(base: Int, overlap: Int) {
    let tokens = storage.buffer.view
    let n = index.n
    var found = hits
    hits = []
    probe(index.table, hasher: index.hasher, tokens: tokens) { position, postings in
      guard position + n > overlap else { return }
      let bytes = tokens.byteRange(first: position, length: n)
      for p in postings { found.append((Int(p.item), Int(p.position), base + bytes.lowerBound, base + bytes.upperBound, n)) }
    }
    if index.hasShortItems {
      // Short items and short parts: keyed by their first tokens, confirmed on all of them.
      let itemTokens = index.itemTokens
      let spans = index.shortSpans
      probe(index.shortTable, hasher: index.shortHasher, tokens: tokens) { position, postings in
        for p in postings {
          let span = spans[Int(p.position)]
          let want = itemTokens[span.item]
          guard position + span.length <= tokens.count, position + span.length > overlap else { continue }
          if (0..<span.length).allSatisfy({ tokens.hashes[position + $0] == want[span.start + $0].hash }) {
            let bytes = tokens.byteRange(first: position, length: span.length)
            found.append((span.item, span.start, base + bytes.lowerBound, base + bytes.upperBound, span.length))
          }
        }
      }
    }
    hits = found
  }

  /// Turns the document's exact hits into, per item, its covered tokens and one piece of
  /// evidence (the matched region, its scores and answer), then forgets the hits.
  mutating func emitExactEvidence(document: Document, into partial: inout _ShardPartial) {
    defer { hits.removeAll(keepingCapacity: true) }
    if hits.isEmpty { return }
    hits.sort { ($0.item, $0.byteStart) < ($1.item, $1.byteStart) }
    var i = 0
    while i < hits.count {
      let item = hits[i].item
      let length = index.itemTokens[item].count
      var marks = [UInt64](repeating: 0, count: (length + 63) / 64)
      var byteStart = Int.max
      var byteEnd = 0
      var j = i
      while j < hits.count && hits[j].item == item {
        let h = hits[j]
        // A shared n-gram (ItemIndex: shared context) is not this item's evidence.
        if h.length < index.n || index.covers(item: item, position: h.itemPosition) {
          _Bits.set(&marks, h.itemPosition..<(h.itemPosition + h.length))
          byteStart = min(byteStart, h.byteStart)
          byteEnd = max(byteEnd, h.byteEnd)
        }
        j += 1
      }
      let matched = _Bits.count(marks, in: 0..<length)
      guard matched > 0 else {
        i = j
        continue
      }
      _Bits.union(&partial.coverage[item, default: []], marks)
      partial.documents[item, default: 0] += 1
      let snippetEnd = min(byteEnd, byteStart + Evidence.maximumSnippetBytes)
      let snippet = String(decoding: UnsafeRawBufferPointer(rebasing: document.text[byteStart..<snippetEnd]), as: UTF8.self)
      let evidence = Evidence(
        shard: document.shardPath, line: document.line, documentID: document.id, byteStart: byteStart, byteEnd: byteEnd,
        snippet: snippet, coverage: Double(matched) / Double(max(1, index.judgedTokens[item])),
        longestRun: _Bits.longestRun(marks, count: length), matchedTokens: matched,
        answer: index.answers[item].map { AnswerExtractor.check(expected: $0, in: document.text, from: byteStart) })
      _keepBest(&partial.evidence[item, default: []], evidence, limit: configuration.evidencePerItem)
      i = j
    }
  }
}
