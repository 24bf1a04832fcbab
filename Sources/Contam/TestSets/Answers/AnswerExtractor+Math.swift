/// Math answers compared across their forms: TeX (`\frac{1}{4}`, `432\sqrt{2}`) and the same
/// math as a page renders it (`1/4`, `432√2`), for ``AnswerExtractor/equivalent(_:_:)``.
extension AnswerExtractor {
  /// A math answer, as ``normalize(_:)`` leaves it (no white space, no degree signs), in a form
  /// TeX and its rendering share: `\frac{A}{B}` (and `\frac12`) as `(A)/(B)`, `\sqrt{A}` and `√A`
  /// as `√(A)`, `^{A}` as `^(A)`, `²` `³` as `^2` `^3`; `\pi` as `π`, `\infty` as `∞`; `\cdot`
  /// `\times` `×` `·` as `*`; the `−` minus as `-`; then parentheses around one number, letter or
  /// root are dropped where an operator, a comma or an end is on both sides (`(1)/(4)` is
  /// `1/4`, while `2(3)` stays).
  static func mathCanonical(_ answer: String) -> String {
    var text = answer
    for (from, to) in [
      ("\\pi", "π"), ("\\infty", "∞"), ("\\cdot", "*"), ("\\times", "*"), ("×", "*"), ("·", "*"), ("⋅", "*"), ("−", "-"),
      ("–", "-"), ("²", "^2"), ("³", "^3"), ("\\sqrt", "√"), ("\\frac", "\u{1}"),
    ] {
      text = text.replacingOccurrences(of: from, with: to)
    }
    let c = Array(text)
    /// The argument at `k`: a braced group's content, or one character; and the index after it.
    func argument(_ k: Int) -> (String, Int)? {
      guard k < c.count else { return nil }
      guard c[k] == "{" else { return (String(c[k]), k + 1) }
      var depth = 0
      for j in k..<c.count {
        if c[j] == "{" { depth += 1 }
        if c[j] == "}" {
          depth -= 1
          if depth == 0 { return (String(c[(k + 1)..<j]), j + 1) }
        }
      }
      return nil
    }
    var out = ""
    var i = 0
    while i < c.count {
      if c[i] == "\u{1}", let (top, next) = argument(i + 1), let (bottom, end) = argument(next) {
        out += "(" + mathCanonical(top) + ")/(" + mathCanonical(bottom) + ")"
        i = end
      } else if c[i] == "√", i + 1 < c.count, c[i + 1] == "{", let (radicand, end) = argument(i + 1) {
        out += "√(" + mathCanonical(radicand) + ")"
        i = end
      } else if c[i] == "√", i + 1 < c.count, c[i + 1].isNumber || c[i + 1].isLetter {
        // A rendered root over a number or a letter: `√72` is √(72).
        var j = i + 1
        if c[j].isNumber { while j < c.count && (c[j].isNumber || c[j] == ".") { j += 1 } } else { j += 1 }
        out += "√(" + String(c[(i + 1)..<j]) + ")"
        i = j
      } else if c[i] == "^", i + 1 < c.count, c[i + 1] == "{", let (power, end) = argument(i + 1) {
        out += "^(" + mathCanonical(power) + ")"
        i = end
      } else {
        out.append(c[i])
        i += 1
      }
    }
    // Parentheses around an atom, with an operator, a comma or an end on both sides.
    let atom = #"(?<=^|[-/+*(,√^])\((-?√?[0-9A-Za-z.π∞]+)\)(?=$|[-/+*),^])"#
    while let range = out.range(of: atom, options: .regularExpression) {
      out.replaceSubrange(range, with: out[range].dropFirst().dropLast())
    }
    return out
  }

  /// The value of `a/b` or `-a/b` (decimal numbers), or of a number; else nil.
  static func fractionValue(_ text: String) -> Double? {
    if let value = Double(text), value.isFinite { return value }
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let top = Double(parts[0]), let bottom = Double(parts[1]), bottom != 0, top.isFinite, bottom.isFinite else {
      return nil
    }
    return top / bottom
  }
}
