/// How literally a near copy's snippet reads as its target's text: the Dice coefficient of their
/// distinct character trigrams, `2 |A ∩ B| / (|A| + |B|)`, on bytes with ASCII letters lower-cased
/// and each run of whitespace read as one space (none at either end).
///
/// Tokens fold what a templated family of problems varies: variables and operators are not
/// tokens, numbers are one token each. So "Let $a$ and $b$ … $a + 2b = 1$ … $\frac{1}{a} +
/// \frac{1}{b}$" and "Let $a,$ $b,$ $c,$ $d$ … $a + b + c + d = 1$ … $\frac{1}{a} + \frac{1}{b} +
/// \frac{4}{c} + \frac{16}{d}$" hold the same share of "Let $a$ and $b$ … $a + b = 1$ …" in order.
/// Characters do not fold them: this measure breaks ties of ``NearDuplicateEvidence/strength``
/// between documents (``NearDuplicateEvidence/ranksBefore(_:)``), so the copy that reads most
/// like the item is the one reported first, and the one the verdict reads. It never decides
/// whether a span is a copy. Anyone can recompute it from a certificate: the snippet is there,
/// and the target's text is the benchmark's.
public enum LiteralSimilarity {
  /// The measure of `snippet` against `target` (0 when either has fewer than 3 characters).
  public static func of(_ snippet: String, _ target: String) -> Double {
    let a = trigrams(snippet)
    let b = trigrams(target)
    guard !a.isEmpty, !b.isEmpty else { return 0 }
    var shared = 0
    var i = 0
    var j = 0
    while i < a.count && j < b.count {
      if a[i] == b[j] {
        shared += 1
        i += 1
        j += 1
      } else if a[i] < b[j] {
        i += 1
      } else {
        j += 1
      }
    }
    return Double(2 * shared) / Double(a.count + b.count)
  }

  /// The distinct trigrams of `text`, normalized as above, three bytes each, sorted.
  static func trigrams(_ text: String) -> [UInt32] {
    var grams: [UInt32] = []
    grams.reserveCapacity(text.utf8.count)
    var window: UInt32 = 0
    var filled = 0
    var pendingSpace = false
    func push(_ byte: UInt8) {
      window = (window << 8 | UInt32(byte)) & 0xFF_FFFF
      filled += 1
      if filled >= 3 { grams.append(window) }
    }
    for byte in text.utf8 {
      if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C {
        pendingSpace = filled > 0
        continue
      }
      if pendingSpace {
        push(0x20)
        pendingSpace = false
      }
      push(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
    }
    grams.sort()
    var unique = 0
    for g in grams where unique == 0 || grams[unique - 1] != g {
      grams[unique] = g
      unique += 1
    }
    grams.removeLast(grams.count - unique)
    return grams
  }
}
