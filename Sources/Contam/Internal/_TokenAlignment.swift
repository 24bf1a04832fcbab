/// How much of a short item's token sequence a stretch of a document holds in order: the
/// longest common subsequence of the item's tokens and any window of the document at most
/// `window` tokens long. A copy with a few typos, dropped or swapped words keeps nearly all of
/// its tokens in order, though every shingle that touches a changed word is lost.
///
/// Bit-parallel (one 64-bit word per window, Hyyrö's formulation of Allison–Dix): the item has
/// at most 64 tokens, one bit each; every window start costs `window` word operations.
enum _TokenAlignment {
  /// The most item tokens found in order in one window, and that window's first and last
  /// document token (indices into `document`); matched 0 when none is.
  /// - Parameters:
  ///   - item: the item's token hashes (1 to 64).
  ///   - document: the document tokens' hashes to search.
  ///   - window: the longest window considered, in tokens.
  ///   - masks: scratch of at least `document.count` words.
  static func best(
    item: UnsafeBufferPointer<UInt64>, document: UnsafeBufferPointer<UInt64>, window: Int, masks: UnsafeMutablePointer<UInt64>
  ) -> (matched: Int, first: Int, last: Int) {
    precondition((1...64).contains(item.count), "one bit per item token")
    let all: UInt64 = item.count == 64 ? ~0 : (1 << UInt64(item.count)) - 1
    // Per document token, the item positions holding the same token.
    for d in document.indices {
      var mask: UInt64 = 0
      let token = document[d]
      for i in item.indices where item[i] == token { mask |= 1 << UInt64(i) }
      masks[d] = mask
    }
    // The item tokens found in order in document[start...] as it grows, one call per token.
    func grow(_ v: inout UInt64, _ d: Int) -> Int {
      let m = masks[d]
      v = ((v &+ (v & m)) | (v & ~m)) & all
      return item.count - v.nonzeroBitCount
    }
    var best = (matched: 0, first: 0, last: 0)
    // A window is worth starting only at a token the item has.
    search: for start in document.indices where masks[start] != 0 {
      var v = all
      for d in start..<min(document.count, start + window) where masks[d] != 0 {
        let matched = grow(&v, d)
        if matched > best.matched {
          best = (matched, start, d)
          if matched == item.count { break search }
        }
      }
    }
    // The first window start that reaches the best may hold a stray match before the copy:
    // move it on while the window still holds as many.
    var first = best.first + 1
    while best.matched > 0 && first <= best.last {
      guard masks[first] != 0 else {
        first += 1
        continue
      }
      var v = all
      var matched = 0
      for d in first...best.last where masks[d] != 0 { matched = grow(&v, d) }
      guard matched == best.matched else { break }
      best.first = first
      first += 1
    }
    return best
  }
}
