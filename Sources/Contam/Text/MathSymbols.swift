/// Rule 18 (`contam-text/5`): math as a page renders it reads as the TeX that writes it.
///
/// A MATH problem is stored as TeX (`$x \le 2\pi$`) and copied onto the web as it renders
/// (`x ≤ 2π`). Under `contam-text/4` the command names of meaning (`le`, `pi`) were words and
/// the symbols were separators or words of their own, so every n-gram across them was lost. Now
/// both sides give the command's name:
/// - a math symbol (`≤ ≥ ≠ × ÷ ± · √ ∞ ° ∠ → ≈ ≡ ∈ ⊂ ∪ ∩ ∑ ∫ ∀ ∃ …`) that stands in math is a
///   token on its own, the name of the command that writes it (``symbolNames``); between two
///   words it separates as before (``LayoutMarkup/isMathContext(_:_:count:start:end:)``);
/// - a word that is one Greek letter (after the folds of rules 3 and 11) reads as the letter's
///   command (`π` as `pi`, `Δ` as `delta`), and a Greek letter right after digits starts a
///   word of its own (`2π` is `2 pi`, as `2\pi` is). That names `δ θ λ ξ π φ ψ ω` and their
///   capitals. Greek words of two letters or more are untouched, and so are the letters that
///   fold to a Latin look-alike by their own shape or their capital's (`α β γ ε ζ η ι κ μ ν ρ σ
///   τ υ χ`, rule 11): named, a disguised article (`α` for `a`) would add a token to a copy;
/// - a superscript or subscript after other text starts a word (`x²` reads `x 2`, as `x^2`
///   does; ``isScript(_:)``);
/// - commands that write the same symbol read as one name (`\leq` as `\le`, `\rightarrow` as
///   `\to`, `\varphi` as `\phi`; ``commandAliases``), and the dots commands (`\dots`, `\cdots`,
///   `\ldots`), which render as dots that are no token, are not tokens either;
/// - a symbol first on its line and followed by white space is a list bullet (`· choice`,
///   `→ step`; ``LayoutMarkup/isBullet(_:count:start:end:)``): layout, like `-`, and no token.
public enum MathSymbols {
  /// Symbol scalar → the name of the TeX command that writes it (lower case).
  public static let symbolNames: [UInt32: String] = [
    0x2264: "le", 0x2266: "le", 0x2A7D: "le", 0x2265: "ge", 0x2267: "ge", 0x2A7E: "ge", 0x2260: "ne",
    0x00D7: "times", 0x00F7: "div", 0x00B1: "pm", 0x2213: "mp", 0x00B7: "cdot", 0x22C5: "cdot", 0x2219: "cdot",
    0x221A: "sqrt", 0x221E: "infty", 0x00B0: "circ", 0x2218: "circ", 0x2220: "angle", 0x25B3: "triangle",
    0x2192: "to", 0x27F6: "to", 0x2248: "approx", 0x2261: "equiv", 0x2245: "cong", 0x223C: "sim",
    0x221D: "propto", 0x2208: "in", 0x2209: "notin", 0x2282: "subset", 0x2286: "subseteq", 0x2283: "supset",
    0x2287: "supseteq", 0x222A: "cup", 0x2229: "cap", 0x2211: "sum", 0x220F: "prod", 0x222B: "int",
    0x2202: "partial", 0x2207: "nabla", 0x2200: "forall", 0x2203: "exists", 0x00AC: "neg", 0x2227: "wedge",
    0x2228: "vee", 0x2205: "emptyset", 0x22A5: "perp", 0x2225: "parallel", 0x230A: "lfloor", 0x230B: "rfloor",
    0x2308: "lceil", 0x2309: "rceil",
  ]

  /// Where a symbol's operand stands, for ``LayoutMarkup/isMathContext(_:_:count:start:end:)``.
  public enum Position: Sendable {
    /// A relation or operation: math on both sides (`x ≤ y`).
    case between
    /// Written before its operand (`√2`, `∑ a`, `∠ABC`).
    case before
    /// Written after its operand (`90°`, `⌊x⌋`).
    case after
    /// An operand itself (`∞`, `∅`): math on either side.
    case operand
  }

  /// Where the operand of the symbol `value` stands (``Position``).
  @inlinable
  public static func position(of value: UInt32) -> Position {
    switch value {
    case 0x221A, 0x2211, 0x220F, 0x222B, 0x2202, 0x2207, 0x2200, 0x2203, 0x00AC, 0x2220, 0x25B3, 0x230A, 0x2308: return .before
    case 0x00B0, 0x2218, 0x230B, 0x2309: return .after
    case 0x221E, 0x2205: return .operand
    default: return .between
    }
  }

  /// Commands that write the same symbol as another, by the name they read as.
  public static let commandAliases: [String: String] = [
    "leq": "le", "leqslant": "le", "geq": "ge", "geqslant": "ge", "neq": "ne", "rightarrow": "to",
    "longrightarrow": "to", "varepsilon": "epsilon", "varphi": "phi", "vartheta": "theta", "varpi": "pi",
    "degree": "circ", "lnot": "neg", "land": "wedge", "lor": "vee", "varnothing": "emptyset",
  ]

  /// The dots commands: they render as dots, which are no token.
  static let dotsCommands: Set<String> = ["dots", "ldots", "cdots", "dotsb", "dotsc", "dotsm", "dotsi", "vdots", "ddots"]

  /// The Greek letters' commands (small; a capital reads as its small letter's name).
  static let greekLetters: [(String, UInt32)] = [
    ("alpha", 0x3B1), ("beta", 0x3B2), ("gamma", 0x3B3), ("delta", 0x3B4), ("epsilon", 0x3B5), ("zeta", 0x3B6),
    ("eta", 0x3B7), ("theta", 0x3B8), ("iota", 0x3B9), ("kappa", 0x3BA), ("lambda", 0x3BB), ("mu", 0x3BC),
    ("nu", 0x3BD), ("xi", 0x3BE), ("pi", 0x3C0), ("rho", 0x3C1), ("sigma", 0x3C3), ("tau", 0x3C4),
    ("upsilon", 0x3C5), ("phi", 0x3C6), ("chi", 0x3C7), ("psi", 0x3C8), ("omega", 0x3C9),
  ]

  /// A folded one-letter Greek word (its two UTF-8 bytes, big-endian) → its command's name.
  /// Built from the folds themselves, so a letter that folds to a Latin look-alike is left out.
  @usableFromInline static let greekNames: [UInt16: [UInt8]] = {
    var names: [UInt16: [UInt8]] = [:]
    for (name, value) in greekLetters {
      let folded = Normalizer.fold(Unicode.Scalar(value)!, version: .v5).bytes
      guard folded.count == 2, folded[0] >= 0xC0 else { continue }
      names[UInt16(folded[0]) << 8 | UInt16(folded[1])] = Array(name.utf8)
    }
    return names
  }()

  /// Command words (packed, first eight bytes) that are aliases or dots: the only ones
  /// ``canonicalCommand(_:count:)`` must look at closely.
  @usableFromInline static let _special: Set<UInt64> = Set(
    (Array(commandAliases.keys) + Array(dotsCommands)).map { pack(Array($0.utf8)[...]) })

  /// Aliases by their full name bytes.
  private static let _aliases: [[UInt8]: [UInt8]] = Dictionary(
    uniqueKeysWithValues: commandAliases.map { (Array($0.key.utf8), Array($0.value.utf8)) })
  private static let _dots: Set<[UInt8]> = Set(dotsCommands.map { Array($0.utf8) })

  static func pack(_ bytes: ArraySlice<UInt8>) -> UInt64 {
    bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
  }

  /// The command name in `buffer` (lower case, `count` bytes) as rule 18 reads it: rewritten
  /// in place to its alias's name, or 0 when it is a dots command (no token). Returns the new
  /// length.
  @inlinable
  public static func canonicalCommand(_ buffer: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
    guard count >= 3, count <= 16 else { return count }
    var name: UInt64 = 0
    for k in 0..<min(count, 8) { name = name << 8 | UInt64(buffer[k]) }
    guard _special.contains(name) else { return count }
    return _rewrite(buffer, count: count)
  }

  @usableFromInline
  static func _rewrite(_ buffer: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
    let word = Array(UnsafeBufferPointer(start: buffer, count: count))
    if _dots.contains(word) { return 0 }
    guard let canonical = _aliases[word] else { return count }
    for (k, byte) in canonical.enumerated() { buffer[k] = byte }
    return canonical.count
  }

  /// A word of one Greek letter (two bytes in `buffer`) as rule 18 reads it: rewritten in place
  /// to the letter's command name when it has one. Returns the new length.
  @inlinable
  public static func greekLetter(_ buffer: UnsafeMutablePointer<UInt8>) -> Int {
    guard let name = greekNames[UInt16(buffer[0]) << 8 | UInt16(buffer[1])] else { return 2 }
    for (k, byte) in name.enumerated() { buffer[k] = byte }
    return name.count
  }

  /// Whether the BMP scalar `value` is a superscript or subscript digit, letter or sign (`² ³ ¹
  /// ⁰…⁹ ⁿ ⁱ ⁺ ⁻ ₀…₉ ₙ …`): one after other text starts a word, so `x²` reads `x 2` as `x^2` does,
  /// `x¹⁰` reads `x 10`, and `H₂O` reads `h 2o` as `H_2O` does.
  @inlinable @inline(__always)
  public static func isScript(_ value: UInt32) -> Bool {
    (value >= 0x2070 && value <= 0x209C) || value == 0xB2 || value == 0xB3 || value == 0xB9
  }

  /// Whether the BMP scalar `value` is a superscript or subscript as `contam-text/6` has them
  /// (rule 22): ``isScript(_:)``, and the modifier letters drawn raised or lowered (`ᵃ ᴺ ʰ ᶜ ₐ`),
  /// so a word written in superscript letters (`ᴺᵃᵗᵃˡⁱᵃ`) is one word, set apart from the text
  /// before it like `x²`.
  @inlinable @inline(__always)
  public static func isScriptLetter(_ value: UInt32) -> Bool {
    isScript(value) || (value >= 0x1D2C && value <= 0x1D6A) || (value >= 0x1D9B && value <= 0x1DBF)
      || (value >= 0x02B0 && value <= 0x02B8) || (value >= 0x02E0 && value <= 0x02E4) || value == 0x2C7C || value == 0x2C7D
      || (value >= 0xA7F8 && value <= 0xA7F9) || (value >= 0xAB5C && value <= 0xAB5F)
  }

  /// Whether the BMP scalar `value` is a Greek letter that rule 18 names (not one that folds to
  /// a Latin look-alike: `H2Ο` with a Greek `Ο` stays `h2o`): one right after digits starts a
  /// word of its own.
  @inlinable @inline(__always)
  public static func isNamedGreek(_ value: UInt32) -> Bool {
    value &- 0x380 < 0x80 && _namedGreek & (1 << UInt128(value &- 0x380)) != 0
  }

  /// Bit `v - 0x380` is set for the Greek scalars `v` whose fold is a letter ``greekNames`` names.
  @usableFromInline static let _namedGreek: UInt128 = {
    var bits: UInt128 = 0
    for value in UInt32(0x380)..<0x400 {
      guard let scalar = Unicode.Scalar(value) else { continue }
      let folded = Normalizer.fold(scalar, version: .v5).bytes
      if folded.count == 2, greekNames[UInt16(folded[0]) << 8 | UInt16(folded[1])] != nil { bits |= 1 << UInt128(value - 0x380) }
    }
    return bits
  }()
}
