import Foundation

extension _ScanWorker {
  /// A word cut in two: the tokens its joined word replaces (1 or 2: a lone letter is no token,
  /// it reads as an option label), the joined word's hash and its bytes.
  typealias Cut = (first: Int, last: Int, hash: UInt64, bytes: Range<Int>)

  /// The most bytes a word cut in two inside a document may have, joined.
  static let cutWordBytes = 32

  /// Words cut in two inside the text by a line break, as text wrapped at a fixed width with
  /// no regard for words has them (`fold -w`, a terminal's capture, a PDF's or OCR's lines):
  /// `the experi\nmental method`, `l\nength`. Each line then holds fewer tokens than an n-gram
  /// whole, and the halves are no item's tokens. Where a line break alone parts two runs of
  /// plain ASCII letters and digits, one of them no token of any item (``ItemIndex/mayHoldToken``:
  /// a bitmap; a lone letter is no token) and the two written together one, the exact passes read
  /// them once more as that one word, around each such cut (as ``collectJoinedHits(_:)`` does for
  /// a word cut between two documents). Only matches through a joined word are kept; the others
  /// the passes over the buffer found. Text costs a `memchr` for its line breaks, and a line
  /// break between two words of the items' (most of them) two bitmap tests.
  ///
  /// The same for words cut by a single space (`spaces`: ``spaceSeparators(text:base:end:tokens:bits:into:)``
  /// says which spaces), in a pass of their own: a space's cut may be a false one (`Mark's car`
  /// as `s` + `car`, `scar`), which read with the line breaks' cuts could break the n-grams
  /// through a true one within an n-gram of it.
  /// - Parameters:
  ///   - base: the document byte offset of the tokenized text.
  ///   - end: the document byte offset where the tokenized text ends.
  ///   - lines: words cut by a line break (``ScanConfiguration/cutWords``).
  ///   - spaces: words cut by a single space (``ScanConfiguration/spacedWords``).
  mutating func collectCutWordHits(document: Document, base: Int, end: Int, lines: Bool = true, spaces: Bool = false) {
    let tokens = ownTokens
    let text = document.text
    guard tokens.count > 0, end > base, let origin = text.baseAddress else { return }
    @inline(__always) func isWordByte(_ k: Int) -> Bool { k >= 0 && k < text.count && RunTogetherIndex.squeezed(text[k]) != 0 }
    var cuts: [Cut] = []
    var words = runTogetherIndex?.words
    // Where a word may be cut: each line break (`\n`, `\r\n`: bytes `p...q`), or the spaces.
    var separators: [(p: Int, q: Int)] = []
    var from = base
    while lines && from < end, let found = memchr(origin + from, 0x0A, end - from) {
      let q = origin.distance(to: UnsafeRawPointer(found))
      from = q + 1
      separators.append((q > 0 && text[q - 1] == 0x0D ? q - 1 : q, q))
    }
    if spaces {
      index.tokenBits.withUnsafeBufferPointer { bits in
        Self.spaceSeparators(text: text, base: base, end: end, tokens: tokens, bits: bits, into: &separators)
      }
    }
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.cutWordBytes) { joined in
      var u = 0  // the first token after the separator
      var last = -1
      for (p, q) in separators where q != last {
        last = q
        // A word on either side of the separator, nothing else between.
        guard isWordByte(p - 1), isWordByte(q + 1) else { continue }
        while u < tokens.count && base + Int(tokens.starts[u]) <= q { u += 1 }
        // Most line breaks part two words of the items' (a bitmap test each): no cut to join.
        let firstEnds = u > 0 && base + Int(tokens.ends[u - 1]) == p
        let secondStarts = u < tokens.count && base + Int(tokens.starts[u]) == q + 1
        if firstEnds && secondStarts && index.mayHoldToken(tokens.hashes[u - 1]) && index.mayHoldToken(tokens.hashes[u]) { continue }
        guard let (bytes, length, hash) = Self.joinedWord(text, p: p, q: q, into: joined) else { continue }
        let (a, b) = (bytes.lowerBound, bytes.upperBound)
        // Each half is a token, or a lone letter (no token); not both lone.
        let firstIsToken = firstEnds && base + Int(tokens.starts[u - 1]) == a
        let secondIsToken = secondStarts && base + Int(tokens.ends[u]) == b
        guard (firstIsToken || p - a == 1) && (secondIsToken || b - q == 2) && (firstIsToken || secondIsToken) else { continue }
        guard index.mayHoldToken(hash) else { continue }
        // Rarer from here on: a filter of the items' words with few false "yes", then the
        // tokenizer's word for the joined bytes, to be sure it is the one word hashed so.
        if words == nil {
          runTogetherIndex = index.runTogether.get(index)
          words = runTogetherIndex!.words
        }
        guard words!.mayContain(hash) else { continue }
        var token = _FirstToken()
        _ = tokenizer.tokenize(UnsafeRawBufferPointer(start: joined.baseAddress, count: length), into: &token)
        guard token.count == 1 && token.hash == hash else { continue }
        let cut = (first: firstIsToken ? u - 1 : u, last: secondIsToken ? u : u - 1, hash: hash, bytes: a..<b)
        // Two spaces' cuts through one lone letter (`x T he`) are two readings of it: the first
        // is kept.
        if spaces, let previous = cuts.last, previous.bytes.overlaps(cut.bytes) { continue }
        cuts.append(cut)
      }
    }
    read(cuts, base: base)
  }

  /// Words written twice in a row (`the the`, as speech transcripts and OCR double them, or
  /// text made to dodge a check): each doubled pair is read as its one word, the text around
  /// it read again as ``collectCutWordHits(document:base:end:lines:spaces:)`` reads a cut word,
  /// and only matches through a pair read once are kept (``ScanConfiguration/repeatedWords``). A
  /// doubled word every few words leaves no n-gram of a copy whole. An item's own repeated word
  /// (`had had`) matched as written is found by the passes over the buffer.
  /// Only words that start with a letter: a number twice (`1 \\ -1 \\ 2`, a matrix's entries
  /// with their signs, which are no tokens) is what the text says, and read once it matches
  /// other numbers.
  mutating func collectRepeatedWordHits(document: Document, base: Int) {
    let tokens = ownTokens
    let text = document.text
    var cuts: [Cut] = []
    var t = 1
    while t < tokens.count {
      let first = text[base + Int(tokens.starts[t])]
      if tokens.hashes[t] == tokens.hashes[t - 1] && (first >= 0x80 || (first | 0x20 >= 0x61 && first | 0x20 <= 0x7A)) {
        cuts.append((t - 1, t, tokens.hashes[t], (base + Int(tokens.starts[t - 1]))..<(base + Int(tokens.ends[t]))))
        t += 2  // a word written three times is read once as two
      } else {
        t += 1
      }
    }
    if !cuts.isEmpty { read(cuts, base: base) }
  }

  /// The single spaces of document bytes `base..<end` where a word may be cut, appended to
  /// `separators` (each as `(p, q)`, the space's byte twice): between two words written with
  /// letters, one of which is no item's word (`bits`: ``ItemIndex/tokenBits``) and has 3 bytes or
  /// fewer, or both no item's words (a word cut at a random place leaves such halves; real text
  /// has many words no item has, names, seldom two side by side); and beside a lone letter
  /// (`T he`) other than `a` and `I` (English's words of one letter: a word after one of them is
  /// often an item's word with it in front, `a part`, `a way`). Only those whose two halves
  /// joined (squeezed, at most ``cutWordBytes``) may be an item's word are kept. Raw bytes and
  /// the bitmap only: it asks about every token.
  static func spaceSeparators(
    text: UnsafeRawBufferPointer, base: Int, end: Int, tokens: _TokenView, bits: UnsafeBufferPointer<UInt64>,
    into separators: inout [(p: Int, q: Int)]
  ) {
    let n = text.count
    @inline(__always) func holds(_ hash: UInt64) -> Bool {
      let bit = ItemIndex.tokenBit(hash)
      return bits[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }
    @inline(__always) func isWordByte(_ k: Int) -> Bool { k >= 0 && k < n && RunTogetherIndex.squeezed(text[k]) != 0 }
    @inline(__always) func isLetter(_ k: Int) -> Bool { text[k] | 0x20 >= 0x61 && text[k] | 0x20 <= 0x7A }
    @inline(__always) func isLone(_ k: Int) -> Bool {
      isWordByte(k) && !isWordByte(k - 1) && !isWordByte(k + 1) && text[k] | 0x20 != 0x61 && text[k] | 0x20 != 0x69
    }
    // The word on either side of the space at `q`, joined: whether an item may hold it.
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: cutWordBytes) { joined in
      func mayJoin(_ q: Int) -> Bool { joinedWord(text, p: q, q: q, into: joined).map { holds($0.hash) } ?? false }
      var previous = (holds: true, short: false)
      for t in 0..<tokens.count {
        let s = base + Int(tokens.starts[t])
        let e = base + Int(tokens.ends[t])
        let own = (holds: !isLetter(s) || holds(tokens.hashes[t]), short: e - s <= 3)
        if s - 1 > base && text[s - 1] == 0x20 {
          if t > 0 && base + Int(tokens.ends[t - 1]) == s - 1 {
            if (!own.holds && (!previous.holds || own.short)) || (!previous.holds && previous.short), mayJoin(s - 1) {
              separators.append((s - 1, s - 1))
            }
          } else if isLone(s - 2), mayJoin(s - 1) {
            separators.append((s - 1, s - 1))
          }
        }
        if e + 1 < end && text[e] == 0x20 && isLone(e + 1), mayJoin(e) { separators.append((e, e)) }
        previous = own
      }
    }
  }

  /// The word a separator at bytes `p...q` of `text` (a line break, `\r\n`, or a space) cuts in
  /// two: the runs of ASCII letters and digits on either side, with no byte beside them that may
  /// start an escape read into a word (``RunTogetherIndex/isPlainEdge(_:)``), at most
  /// ``cutWordBytes`` together; its bytes (both halves and the separator), and its squeezed
  /// characters written to `joined` (`length` of them) and hashed. Nil where no such word is.
  static func joinedWord(_ text: UnsafeRawBufferPointer, p: Int, q: Int, into joined: UnsafeMutableBufferPointer<UInt8>)
    -> (bytes: Range<Int>, length: Int, hash: UInt64)?
  {
    @inline(__always) func isWordByte(_ k: Int) -> Bool { RunTogetherIndex.squeezed(text[k]) != 0 }
    guard p > 0, q + 1 < text.count, isWordByte(p - 1), isWordByte(q + 1) else { return nil }
    var a = p - 1
    while a > 0 && p - a < cutWordBytes && isWordByte(a - 1) { a -= 1 }
    var b = q + 2
    while b < text.count && b - q <= cutWordBytes && isWordByte(b) { b += 1 }
    guard p - a + b - q - 1 <= cutWordBytes, a == 0 || RunTogetherIndex.isPlainEdge(text[a - 1]),
      b == text.count || RunTogetherIndex.isPlainEdge(text[b])
    else { return nil }
    var length = 0
    for k in a..<b where k < p || k > q {
      joined[length] = RunTogetherIndex.squeezed(text[k])
      length += 1
    }
    return (a..<b, length, XXH3.hash64(UnsafeRawPointer(joined.baseAddress!), count: length))
  }

  /// Reads the text around `cuts` (in order) with each cut's halves as its one word: clusters
  /// of cuts, each read with `matchReach` tokens on either side; the matches through a joined
  /// word are kept.
  private mutating func read(_ cuts: [Cut], base: Int) {
    let tokens = ownTokens
    let reach = index.matchReach
    var c = 0
    while c < cuts.count {
      var d = c + 1
      while d < cuts.count && cuts[d].first - cuts[d - 1].last <= 2 * reach { d += 1 }
      let low = max(0, cuts[c].first - reach)
      let high = min(tokens.count, cuts[d - 1].last + 1 + reach)
      var joinedRanges: [Range<Int>] = []
      storage.refillJoinBuffer { join in
        var t = low
        var k = c
        while t < high {
          while k < d && cuts[k].first < t { k += 1 }  // a cut overlapping the one before
          if k < d && cuts[k].first == t {
            let bytes = cuts[k].bytes
            join.consume(hash: cuts[k].hash, start: bytes.lowerBound - base, end: bytes.upperBound - base)
            joinedRanges.append(bytes)
            let last = cuts[k].last
            k += 1
            t = last + 1
          } else {
            join.consume(hash: tokens.hashes[t], start: Int(tokens.starts[t]), end: Int(tokens.ends[t]))
            t += 1
          }
        }
      }
      let before = hits.count
      let view = storage.joinBuffer.view
      collectExactHits(tokens: view, base: base, overlap: 0)
      if index.hasApartItems { collectApartHits(tokens: view, base: base, overlap: 0) }
      let through = hits[before...].filter { hit in joinedRanges.contains { hit.byteStart <= $0.lowerBound && $0.upperBound <= hit.byteEnd } }
      hits.removeSubrange(before...)
      hits += through
      c = d
    }
  }
}
