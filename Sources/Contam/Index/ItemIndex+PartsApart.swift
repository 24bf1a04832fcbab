extension ItemIndex {
  /// Tokens that key an item of parts apart, and layout tokens allowed between two of its parts
  /// (or two of its choice lines).
  static let apartKeyTokens = 3
  static let apartGap = 4

  /// An item of parts apart (see the type's documentation): its own parts in order, each found
  /// within ``ItemIndex/apartGap`` tokens of the one before; the lines of one of them, its
  /// `choices`, may stand in any order, each within the gap of the line before.
  struct ApartSpan: Hashable, Sendable {
    var item: Int
    /// The token ranges of the item's own parts, in order.
    var parts: [Range<Int>]
    /// Which of `parts` has lines that may stand in any order, or -1.
    var anyOrderPart: Int
    /// That part's lines; with `anyOrderPart` -1, empty, or, for a question whose side before its
    /// blank is too short to key, the item's options (what may fill the blank, ``keys(in:)``).
    var lines: [Range<Int>]
    /// Where the key starts, in tokens from the first part's start.
    var keyOffset: Int

    /// The most tokens a match spans: the parts, and a gap between each two parts or lines.
    var reach: Int {
      let pieces = parts.count + (anyOrderPart >= 0 ? lines.count - 1 : 0)
      return parts.reduce(0) { $0 + $1.count } + ItemIndex.apartGap * (pieces - 1)
    }

    /// The token sequences that key it, from the item's token hashes: ``ItemIndex/apartKeyTokens``
    /// tokens of its first part from `keyOffset`; for a first part shorter than that, the part
    /// and the start of each choice line (any of them may come first); for a question's side
    /// before its blank shorter than that (`anyOrderPart` -1, its options as `lines`), the start
    /// of the question with the blank empty or holding each option.
    func keys(in hashes: [UInt64]) -> [[UInt64]] {
      let first = parts[0]
      let size = ItemIndex.apartKeyTokens
      if first.count >= size {
        let start = first.lowerBound + keyOffset
        return [Array(hashes[start..<start + size])]
      }
      if anyOrderPart < 0 {
        let fills = [hashes[first.lowerBound..<first.lowerBound]] + lines.map { hashes[$0] }
        return fills.map { Array((hashes[first] + $0 + hashes[parts[1]]).prefix(size)) }
      }
      return lines.map { Array((hashes[first] + hashes[$0]).prefix(size)) }
    }
  }

  /// The items of parts apart and their keys (see the type's documentation). An item is kept
  /// when its own parts' tokens, in order, are no other item's of its benchmark; a key in more
  /// than `maximumItemsPerNGram` items is dropped (a common opening decides nothing).
  ///
  /// Without ``Parameters/choicesInAnyOrder`` (certificates made before it): items whose first
  /// own part has 3 to `minimumTokens - 1` tokens and all under `2n`, keyed by the first 3
  /// tokens, every part in order. With it, also items with a `choices` part of two or more
  /// lines after a first part under `n` tokens, all under `4n`: their lines in any order, keyed
  /// by the 3 tokens of the first part that the fewest items share (a question under 3 tokens:
  /// by the question and the start of each line). With ``Parameters/questionWithAnswer``, also
  /// the question (3 to `n - 1` tokens) and the item's correct option (`answers`), together
  /// `minimumTokens` to `4n - 1`: a copy of the question and its answer without the other options.
  /// With ``Parameters/blanksFilled``, also the question of at least `minimumTokens` tokens with
  /// a blank at least 3 tokens in, as its two sides: a copy with the blank filled; with
  /// ``Parameters/blanksNearStart``, a blank nearer the start too, keyed as ``ApartSpan/keys(in:)``
  /// says.
  /// A key's and an opening's counts are of distinct items (an item may have two spans).
  static func apartIndex(
    items: [BenchmarkItem], tokens: [[UInt64]], ranges: [[Range<Int>]], lines: [[[Range<Int>]]], answers: [Range<Int>?],
    blanks: [Int?], parameters: Parameters
  ) -> (_HashTable, [ApartSpan]) {
    let minimumTokens = min(parameters.minimumTokens, parameters.n)
    let hasher = NGramHasher(n: apartKeyTokens)
    var candidates: [ApartSpan] = []
    for i in items.indices {
      let own = zip(items[i].parts.indices, ranges[i]).filter { !BenchmarkItem.contextPartNames.contains(items[i].parts[$0.0].name) && !$0.1.isEmpty }
      // The question on both sides of its blank (the scan checks what fills it: one of the
      // item's options, ``isBlankSpan(_:)``).
      if parameters.blanksFilled, let blank = blanks[i], let question = own.first?.1, blank < question.upperBound,
        question.count >= minimumTokens
      {
        let sides = [question.lowerBound..<blank, blank..<question.upperBound]
        if blank - question.lowerBound >= apartKeyTokens {
          candidates.append(ApartSpan(item: i, parts: sides, anyOrderPart: -1, lines: [], keyOffset: 0))
        } else if parameters.blanksNearStart, blank >= question.lowerBound, question.upperBound - blank >= apartKeyTokens {
          // Its side before the blank is too short to key: keyed by the question's start with
          // the blank empty or holding each option (the options as its lines).
          let options = items[i].parts.firstIndex { $0.name == BenchmarkItem.choicesPartName }.map { lines[i][$0] } ?? []
          candidates.append(ApartSpan(item: i, parts: sides, anyOrderPart: -1, lines: options, keyOffset: 0))
        }
      }
      guard own.count >= 2 else { continue }
      let first = own[0].1
      let total = own.reduce(0) { $0 + $1.1.count }
      let choices =
        parameters.choicesInAnyOrder
        ? own.indices.dropFirst().first { items[i].parts[own[$0].0].name == BenchmarkItem.choicesPartName && lines[i][own[$0].0].count >= 2 } : nil
      if let choices, first.count < parameters.n, total >= minimumTokens, total < 4 * parameters.n {
        let choiceLines = lines[i][own[choices].0]
        // A question under 3 tokens is keyed with the start of the line after it.
        guard first.count >= apartKeyTokens || (choices == 1 && choiceLines.allSatisfy { first.count + $0.count >= apartKeyTokens }) else { continue }
        candidates.append(ApartSpan(item: i, parts: own.map(\.1), anyOrderPart: choices, lines: choiceLines, keyOffset: 0))
      } else if first.count >= apartKeyTokens, first.count < minimumTokens, total >= minimumTokens, total < 2 * parameters.n {
        candidates.append(ApartSpan(item: i, parts: own.map(\.1), anyOrderPart: -1, lines: [], keyOffset: 0))
      }
      // The question and its answer: the correct option's line, after a question of its own.
      if parameters.questionWithAnswer, let answer = answers[i], items[i].parts[own[0].0].name != BenchmarkItem.choicesPartName,
        first.count >= apartKeyTokens, first.count < parameters.n, (minimumTokens..<4 * parameters.n).contains(first.count + answer.count),
        answer.lowerBound >= first.upperBound
      {
        candidates.append(ApartSpan(item: i, parts: [first, answer], anyOrderPart: -1, lines: [], keyOffset: 0))
      }
    }
    func key(_ tokens: [UInt64]) -> UInt64 { hasher.hash(tokens) }
    if parameters.choicesInAnyOrder {
      // Every 3 tokens of every first part, with the number of items they open or stand in.
      var itemsPerOption: [UInt64: Int] = [:]
      func options(_ span: ApartSpan) -> [UInt64] {
        let first = span.parts[0]
        guard first.count >= apartKeyTokens else { return [] }
        let hashes = tokens[span.item]
        return (0...(first.count - apartKeyTokens)).map { key(Array(hashes[first.lowerBound + $0..<first.lowerBound + $0 + apartKeyTokens])) }
      }
      // Per distinct item: the options of all its spans (their first parts may differ: the
      // question, or its side before a blank).
      var optionsOfItem: [Int: Set<UInt64>] = [:]
      for span in candidates { optionsOfItem[span.item, default: []].formUnion(options(span)) }
      for set in optionsOfItem.values { for option in set { itemsPerOption[option, default: 0] += 1 } }
      for c in candidates.indices {
        let keys = options(candidates[c])
        if let rarest = keys.indices.min(by: { (itemsPerOption[keys[$0]]!, $0) < (itemsPerOption[keys[$1]]!, $1) }) { candidates[c].keyOffset = rarest }
      }
    }
    var seen: [[UInt64]: [String: Set<Int>]] = [:]
    func sequence(_ span: ApartSpan) -> [UInt64] { span.parts.flatMap { tokens[span.item][$0] } }
    for span in candidates { seen[sequence(span), default: [:]][items[span.item].benchmark, default: []].insert(span.item) }
    var itemsPerKey: [UInt64: Int] = [:]
    let keys = candidates.map { Set($0.keys(in: tokens[$0.item]).map(key)) }
    var keysOfItem: [Int: Set<UInt64>] = [:]
    for (span, set) in zip(candidates, keys) { keysOfItem[span.item, default: []].formUnion(set) }
    for set in keysOfItem.values { for k in set { itemsPerKey[k, default: 0] += 1 } }
    var spans: [ApartSpan] = []
    var entries: [(key: UInt64, posting: Posting)] = []
    for (span, set) in zip(candidates, keys) where seen[sequence(span)]![items[span.item].benchmark]!.count == 1 {
      let kept = set.filter { itemsPerKey[$0]! <= parameters.maximumItemsPerNGram }
      guard !kept.isEmpty else { continue }
      for k in kept { entries.append((k, Posting(item: UInt32(span.item), position: UInt32(spans.count)))) }
      spans.append(span)
    }
    _KeySort.sort(&entries) { $0.key }
    return (_HashTable(entries: entries), spans)
  }

  /// One bit set for every key of `spans`, in a map of ``keyBitCount`` bits.
  static func keyBits(of spans: [ApartSpan], hashes: [[UInt64]]) -> [UInt64] {
    var bits = [UInt64](repeating: 0, count: keyBitCount / 64)
    for span in spans {
      for key in span.keys(in: hashes[span.item]) {
        let bit = keyBit(key[0], key[1], key[2])
        bits[bit >> 6] |= 1 << UInt64(bit & 63)
      }
    }
    return bits
  }

  /// 128 Kbit (16 KiB, half of L1): with the ~6,000 keys of every shared benchmark, about 1
  /// window in 20 passes to the key's hash and the table.
  static let keyBitCount = 1 << 17

  /// The bit of a key's three token hashes in ``apartKeyBits``: cheaper than the key's hash.
  @inline(__always)
  static func keyBit(_ first: UInt64, _ second: UInt64, _ third: UInt64) -> Int {
    Int(truncatingIfNeeded: (first ^ (second &* 0x9E37_79B9_7F4A_7C15) ^ (third &* 0xC2B2_AE3D_27D4_EB4F)) >> 47)
  }
}

extension ItemIndex {
  /// Whether a copy of `item` that matched its tokens `marks` holds its question and its
  /// correct option (``answerLines``), every judged token of both, and none of its other options:
  /// the question with its answer and without the distractors, which states the answer as
  /// `Answer: B` would (a model trained on it learns the pair, however it was laid out). With
  /// another option there whole, or the copy running on from the correct option into the next
  /// (the first half of a listing) or into it from the one before, the correct one is only
  /// listed. A few words of another option found apart (it shares them with the question or the
  /// answer) do not count.
  func givesCorrectOptionAlone(item: Int, marks: [UInt64]) -> Bool {
    guard let answer = answerLines[item], let question = Self.ownRanges(items[item], partRanges[item]).first,
      question.upperBound <= answer.lowerBound
    else { return false }
    let judgedBits = judged[item]
    // Every judged token of `range` matched, and at least one.
    func whole(_ range: Range<Int>) -> Bool {
      var any = false
      for t in range where _Bits.isSet(judgedBits, t) {
        guard _Bits.isSet(marks, t) else { return false }
        any = true
      }
      return any
    }
    guard whole(question), whole(answer), let lines = lineSegments[item].first(where: { $0.contains(answer) }) else { return false }
    let options = lines.first!.lowerBound..<lines.last!.upperBound
    func runsInto(_ t: Int) -> Bool { options.contains(t) && _Bits.isSet(marks, t) }
    return !lines.contains { $0 != answer && whole($0) } && !runsInto(answer.upperBound) && !runsInto(answer.lowerBound - 1)
  }
}

extension ItemIndex {
  /// Whether `span` is a question's two sides around its blank: the only span whose parts lie
  /// in one part of its item (the others join different parts).
  func isBlankSpan(_ span: ApartSpan) -> Bool {
    span.parts.count == 2
      && partRanges[span.item].contains { $0.contains(span.parts[0].lowerBound) && $0.contains(span.parts[1].upperBound - 1) }
  }

  /// The token ranges of `item`'s options, one a line of its `choices` part (empty without one).
  func choiceLines(of item: Int) -> [Range<Int>] {
    guard let choices = items[item].parts.firstIndex(where: { $0.name == BenchmarkItem.choicesPartName }) else { return [] }
    return lineSegments[item][choices]
  }
}
