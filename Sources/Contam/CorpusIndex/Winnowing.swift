/// Which k-grams of a document a corpus index keeps: in every window of `window` consecutive
/// k-gram keys, the smallest (the rightmost of equal ones), the "robust winnowing" of
/// Schleimer, Wilkerson and Aiken (2003).
///
/// The guarantee: when a document and an item share a run of at least ``guaranteedTokens``
/// consecutive tokens (`k + window − 1`), the run holds `window` whole k-grams of the
/// document, the smallest of them is kept, and the item has that same k-gram, so looking up
/// every k-gram of the item finds the document. Shorter shared runs are found when a kept
/// k-gram happens to fall inside them. About `2 / (window + 1)` of a document's k-grams are
/// kept.
public struct Winnowing: Sendable, Hashable, Codable {
  /// Tokens per hashed k-gram.
  public var k: Int
  /// k-grams per window.
  public var window: Int

  /// The default: 8-grams (the scan's `--min-tokens`), windows of 13, a guarantee of 20 tokens.
  public init(k: Int = 8, window: Int = 13) {
    self.k = k
    self.window = window
  }

  /// Every shared run of at least this many tokens is found.
  public var guaranteedTokens: Int { k + window - 1 }

  /// Calls `body(position)` for each kept position of `keys`, once each, in increasing order.
  /// A sequence shorter than one window keeps its smallest key.
  public func select(_ keys: UnsafeBufferPointer<UInt64>, _ body: (Int) -> Void) {
    let count = keys.count
    guard count > 0 else { return }
    let w = min(window, count)
    var chosen = -1
    var end = w - 1
    while end < count {
      let start = end - w + 1
      if chosen < start {
        // The kept key left the window: the rightmost smallest of the new window.
        chosen = start
        var j = start + 1
        while j <= end {
          if keys[j] <= keys[chosen] { chosen = j }
          j += 1
        }
        body(chosen)
      } else if keys[end] <= keys[chosen] {
        chosen = end
        body(chosen)
      }
      end += 1
    }
  }
}
