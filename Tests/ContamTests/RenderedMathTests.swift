import Contam
import Foundation
import Testing
import _ContamTestSupport

/// contam-text/5 (Normalizer rules 17-19): a capital look-alike folds to the capital it copies,
/// math as a page renders it (`x ≤ 2π`) reads as the TeX that writes it (`$x \le 2\pi$`), and a
/// word hyphenated at a line break is one word.
@Suite("Rendered math, capital look-alikes and line-break hyphens (contam-text/5)")
struct RenderedMathTests {
  let v4 = Tokenizer(normalizer: .of(.v4))
  let v5 = Tokenizer(normalizer: .of(.v5))

  func hashes(_ text: String, _ tokenizer: Tokenizer) -> [UInt64] { tokenizer.tokens(of: text).map(\.hash) }

  /// The fixtures' MATH test problems.
  static func mathItems() throws -> [BenchmarkItem] { try HeadRunTests.load("math", "benchmarks/math/test.jsonl.gz") }

  /// `items` scanned once per version in `versions` (near duplicates too unless `near` is
  /// false) over novel paragraphs, the copy `copy(i)` of each item `i` of `planted` inside
  /// every other document.
  static func scanPlanted(
    _ items: [BenchmarkItem], _ planted: [Int], versions: [TextVersion], near: Bool = true, copy: (Int) -> String
  ) throws -> [[ItemResult]] {
    var plants: [Int: String] = [:]
    for (k, i) in planted.enumerated() { plants[2 * k + 1] = copy(i) }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "planted.jsonl.gz", plants: plants, documents: 2 * planted.count + 1)
    let options = ShardReaderOptions(format: .jsonl(textField: try FieldPath("text"), idField: try FieldPath("id")))
    return try versions.map { version in
      var configuration = ScanConfiguration()
      configuration.normalization = version.name
      if !near { configuration.near = nil }
      return try Scanner(items: items, configuration: configuration, readerOptions: options).scan(paths: [path], jobs: 2).items
    }
  }

  /// Every item of `items`, its copy `copy(i)` planted in novel paragraphs, reads `contaminated`
  /// under `version`, and fewer do under `before` (the rule that version adds is what finds them).
  static func expectEveryCopyContaminated(
    _ items: [BenchmarkItem], under version: TextVersion, notUnder before: TextVersion, copy: (Int) -> String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let results = try scanPlanted(items, Array(items.indices), versions: [version, before], copy: copy)
    let now = results[0].filter { $0.verdict == .contaminated }.count
    let earlier = results[1].filter { $0.verdict == .contaminated }.count
    #expect(now == items.count, "\(now) of \(items.count) contaminated", sourceLocation: sourceLocation)
    #expect(earlier < now, "\(before.name): \(earlier) of \(items.count)", sourceLocation: sourceLocation)
  }

  @Test func symbolsReadAsTheirCommands() {
    let pairs = [
      ("$x \\le 2\\pi$ and $y \\geq 3 \\cdot 4$", "x ≤ 2π and y ≥ 3 · 4"),
      ("$a \\neq b \\times c \\div d \\pm e$", "a ≠ b × c ÷ d ± e"),
      ("$\\sqrt{2} + \\infty$, $90^\\circ$, $\\angle ABC$", "√2 + ∞, 90°, ∠ABC"),
      ("$x \\in A \\cup B \\cap C$, $f \\to g$, $1 + 2 + \\cdots + n$", "x ∈ A ∪ B ∩ C, f → g, 1 + 2 + ⋯ + n"),
      ("$\\theta = \\frac{\\pi}{3}$, $\\Delta = \\lambda \\omega$", "θ = π/3, Δ = λ ω"),
      ("x $\\leq \\leqslant \\rightarrow \\varphi \\ldots$", "x ≤ ≤ → φ …"),
    ]
    for (tex, rendered) in pairs {
      #expect(hashes(tex, v5) == hashes(rendered, v5), "\(rendered)")
      #expect(hashes(tex, v4) != hashes(rendered, v4), "contam-text/4 reads \(rendered) otherwise")
    }
    // A symbol is a token of its own, spanning the symbol's bytes (the lone x is a label).
    let tokens = v5.tokens(of: "x≤2π")
    #expect(tokens.map { $0.end - $0.start } == [3, 1, 2])
    #expect(tokens.map(\.hash) == hashes("\\le 2 \\pi", v5))
    // A Greek letter that folds to a Latin look-alike (μ with its capital Μ, α) is that letter,
    // a lone one a label, as in contam-text/4: naming it would let a disguised article add a token.
    #expect(hashes("λ μ α", v5) == hashes("\\lambda", v5))
    // Different symbols stay different: a perturbed problem may change only one.
    #expect(hashes("x ≤ 2", v5) != hashes("x ≥ 2", v5))
    #expect(hashes("$\\sin x$", v5) != hashes("$\\cos x$", v5))
  }

  @Test func aSymbolUsedAsABulletIsNoToken() {
    // First on its line and followed by white space, a symbol is a bullet: layout, like `-`.
    let bulleted = "Which is a compound?\n· water\n  → iron\n∙ gold\n√ neon\n× salt"
    #expect(hashes(bulleted, v5) == hashes("Which is a compound? water iron gold neon salt", v5))
    // Inside a line, or before a number, it is the symbol.
    #expect(hashes("2 · 3 → 6", v5) == hashes("2 \\cdot 3 \\to 6", v5))
    #expect(hashes("√2 is irrational", v5) == hashes("\\sqrt 2 is irrational", v5))
    // Between two words it separates, as in contam-text/4: words joined by symbols keep their
    // n-grams (`What·is·the`, a navigation bar's `Home · About`).
    for joined in ["What·is·the×capital→of°France", "Home · About · Contact", "word → word", "lay·16·eggs", "3 × width"] {
      #expect(hashes(joined, v5) == hashes(joined, v4), "\(joined)")
    }
    // With math (a digit, a lone letter, a bracket or an operator, another symbol or a Greek
    // letter) on both sides of a relation, after a prefix (`√`), before a postfix (`°`), it
    // stands in math.
    for (math, tex) in [
      ("n → ∞", "n \\to \\infty"), ("(a) · (b)", "a \\cdot b"), ("θ · r", "\\theta \\cdot r"), ("= ∑ a", "\\sum a"),
      ("is √2", "is \\sqrt 2"), ("angle 90° here", "angle 90 \\circ here"),
    ] {
      #expect(hashes(math, v5) == hashes(tex, v5), "\(math)")
    }
  }

  /// Real GSM8K questions with every space replaced by a symbol (`What·is·the…`), a disguise that
  /// contam-text/4 saw through because symbols separated: still covered. (Not `°`: after a number
  /// it is a degree, `16°`, a token as `16^\circ` gives one.)
  @Test func wordsJoinedBySymbolsAreFound() throws {
    let items = try ScannerTests.gsm8k(20)
    let symbols = ["·", "×", "→", "∙", "≈", "∈"]
    let results = try Self.scanPlanted(items, Array(items.indices), versions: [.current], near: false) { k in
      items[k].parts[0].text.split(separator: " ").joined(separator: symbols[k % symbols.count])
    }[0]
    let covered = results.filter { $0.parts[0].coverage >= 0.9 }.count
    #expect(covered == items.count, "\(covered) of \(items.count) questions covered")
  }

  /// Real PIQA items (a short goal and two solutions) copied with each solution on a line behind
  /// a symbol bullet read as they do behind `-`: contaminated. (Without the bullet rule, `·`
  /// added a `cdot` token between the lines, and such a copy of a short item read clean.)
  @Test func choicesBehindSymbolBulletsAreFound() throws {
    let items = try HeadRunTests.load("piqa", "benchmarks/piqa/dev.jsonl")
    let tokenizer = Tokenizer()
    // Items of 8 to 24 tokens: their n-grams, or the whole short item, span the lines.
    let chosen = items.indices.filter { (8..<25).contains(tokenizer.tokens(of: ItemIndex.text(of: items[$0])).count) }
    try #require(chosen.count >= 20)
    let planted = Array(chosen.prefix(20))
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    func contaminated(bullets: [String]) throws -> Int {
      var plants: [Int: String] = [:]
      for (k, i) in planted.enumerated() {
        let lines = items[i].parts.dropFirst().flatMap { $0.text.split(separator: "\n") }
        plants[2 * k + 1] = ([items[i].parts[0].text] + lines.map { "\(bullets[k % bullets.count]) \($0)" }).joined(separator: "\n")
      }
      let path = try ScannerTests.shard(fixture, "bullets-\(bullets.count).jsonl.gz", plants: plants, documents: 41)
      let results = try HeadRunTests().scan(items, path, headRuns: true)
      return planted.filter { results[$0].verdict == .contaminated }.count
    }
    let dashes = try contaminated(bullets: ["-"])
    let symbols = try contaminated(bullets: ["·", "→", "∙", "×", "°", "√", "⋅"])
    #expect(dashes >= 18, "behind -: \(dashes) of 20")
    #expect(symbols == dashes, "behind symbols: \(symbols), behind -: \(dashes)")
  }

  @Test func aWordHyphenatedAtALineBreakIsOneWord() {
    #expect(hashes("the exam-\nple of a contami-  \r\n   nated set", v5) == hashes("the example of a contaminated set", v5))
    #expect(hashes("the exam-\nple", v4) != hashes("the example", v4), "contam-text/4 read exam ple")
    // The token spans both halves.
    let tokens = v5.tokens(of: "an exam-\nple")
    #expect(tokens.count == 2 && tokens[1].start == 3 && tokens[1].end == 12)
    // Not a continuation: a capital or a digit after the break, a blank line, a hyphen inside a
    // line, one letter before it, or a dash.
    for text in ["Jean-\nPaul", "page-\n12", "end-\n\nnext", "well-known", "a-\nb", "word--\nnext", "word -\nnext"] {
      #expect(hashes(text, v5) == hashes(text, v4), "\(text)")
    }
  }

  /// Real GSM8K questions as text extracted from a PDF keeps them: wrapped at 45 columns, a
  /// word at a line's end cut with a hyphen (57 cuts in 40 questions). contam-text/5 covers every
  /// question whole; contam-text/4 covered 7.
  @Test func questionsHyphenatedAtLineBreaksAreFound() throws {
    let items = try ScannerTests.gsm8k(40)
    func wrapped(_ text: String, cut: Int) -> String {
      var lines: [String] = [], line = ""
      for word in text.split(whereSeparator: \.isWhitespace).map(String.init) {
        if line.count + word.count + 1 > 45 && !line.isEmpty {
          if word.count >= 5 && word.allSatisfy(\.isLetter) && word.first!.isLowercase {
            let k = 2 + (cut + word.count) % (word.count - 3)
            lines.append(line + " " + word.prefix(k) + "-")
            line = String(word.dropFirst(k))
            continue
          }
          lines.append(line)
          line = word
        } else {
          line = line.isEmpty ? word : line + " " + word
        }
      }
      return (lines + [line]).joined(separator: "\n")
    }
    let copies = items.indices.map { wrapped(items[$0].parts[0].text, cut: $0) }
    let hyphens = copies.map { $0.components(separatedBy: "-\n").count - 1 }.reduce(0, +)
    try #require(hyphens >= 25, "\(hyphens) hyphens")
    let results = try Self.scanPlanted(items, Array(items.indices), versions: [.v5, .v4], near: false) { copies[$0] }
    let now = results[0].filter { $0.parts[0].coverage == 1 }.count
    let before = results[1].filter { $0.parts[0].coverage == 1 }.count
    #expect(now == items.count, "contam-text/5: \(now) questions covered whole")
    #expect(before < now - 5, "contam-text/4: \(before)")
  }

  @Test func superscriptsAndSubscriptsReadAsTheirTeX() {
    for (rendered, tex) in [("x² + y³ = z¹⁰", "$x^2 + y^3 = z^{10}$"), ("10² = 2ⁿ", "$10^2 = 2^n$"), ("H₂O and x₁", "$H_2O$ and $x_1$"), ("a²b", "$a^2b$")] {
      #expect(hashes(rendered, v5) == hashes(tex, v5), "\(rendered)")
      #expect(hashes(rendered, v4) != hashes(tex, v4), "contam-text/4 read \(rendered) otherwise")
    }
  }

  /// Real MATH problems with powers, copied with the powers as Unicode superscripts (`x²`, `2¹⁰`)
  /// and the rest as TeX: contam-text/5 reads them as their TeX (30 of 30 contaminated, against
  /// 19 under contam-text/4).
  @Test func powersWrittenAsSuperscriptsAreFound() throws {
    let items = try Self.mathItems()
    let superscript = Dictionary(uniqueKeysWithValues: zip("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    func rendered(_ tex: String) -> String {
      var text = tex
      for pattern in [#"\^\{([0-9]+)\}"#, #"\^([0-9])"#] {
        let regex = try! NSRegularExpression(pattern: pattern)
        for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
          let digits = String(text[Range(match.range(at: 1), in: text)!])
          text.replaceSubrange(Range(match.range, in: text)!, with: String(digits.map { superscript[$0]! }))
        }
      }
      return text
    }
    let chosen = items.indices.filter { rendered(items[$0].parts[0].text) != items[$0].parts[0].text }
    try #require(chosen.count >= 30)
    let planted = Array(chosen.prefix(30))
    let (v5, v4) = try Self.scanPlanted(items, planted, versions: [.v5, .v4]) { i in
      items[i].parts.map { rendered($0.text) }.joined(separator: "\n\n")
    }.pair
    let now = planted.filter { v5[$0].verdict == .contaminated }.count
    let before = planted.filter { v4[$0].verdict == .contaminated }.count
    #expect(now >= 28, "contam-text/5: \(now) of 30")
    #expect(now > before + 3, "contam-text/4: \(before) of 30")
  }

  @Test func greekWordsAndLookAlikesAreUntouched() {
    // Greek text keeps its words: only a word of one Greek letter is read as a command.
    let greek = "Το σπίτι είναι μεγάλο και η πόλη έχει πολλά δέντρα"
    #expect(hashes(greek, v5) == hashes(greek, v4))
    #expect(v5.tokens(of: greek).count == v4.tokens(of: greek).count)
    // A formula written with a Greek omicron after digits stays one word (it folds to o).
    #expect(hashes("H2Ο and CΟ2", v5) == hashes("H2O and CO2", v5))
    // Small look-alikes fold as before.
    #expect(hashes("ναι υπο", v5) == hashes("ναι υπο", v4))
  }

  @Test func capitalLookAlikesFoldToTheCapitalTheyCopy() {
    // Greek capital Nu and Upsilon look like N and Y; their small letters like v and u.
    let plain = "New York Yields Nothing"
    let disguised = "Νew Υork Υields Νothing"
    #expect(hashes(disguised, v5) == hashes(plain, v5))
    #expect(hashes(disguised, v4) != hashes(plain, v4), "contam-text/4 folded Ν to v, Υ to u")
    // Capital iota and Ukrainian І still fold with their small letters, to i.
    #expect(hashes("ΙN Іt", v5) == hashes("in it", v5))
    // A Greek word in capitals and in small letters: the capitals that copy another Latin
    // letter than their small forms (Ν, Υ) now read differently; the rest fold as before.
    #expect(hashes("ΚΑΙ ΤΟ", v5) == hashes("και το", v5))
  }

  /// Real MATH problems from the fixtures, copied as a page renders them (commands with a meaning
  /// as their symbols, Greek letters as letters, presentation gone, no `$`) into prose:
  /// contam-text/5 finds more of them whole than contam-text/4.
  @Test func mathRenderedWithSymbolsIsFound() throws {
    let items = try Self.mathItems()
    let symbols = [
      "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "cdot": "·", "times": "×", "div": "÷",
      "pm": "±", "infty": "∞", "pi": "π", "theta": "θ", "circ": "°", "sqrt": "√", "angle": "∠", "cdots": "⋯",
      "ldots": "…", "dots": "…", "in": "∈", "to": "→", "lambda": "λ", "phi": "φ", "omega": "ω", "delta": "δ",
    ]
    func rendered(_ tex: String) -> String {
      var text = tex
      for (pattern, template) in [
        (#"\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}"#, "($1)/($2)"), (#"\\(?:text|mathrm|textbf|mbox|mathbf)\{([^{}]*)\}"#, "$1"),
        (#"\\(?:left|right|[bB]ig+[lr]?|displaystyle|quad|qquad)"#, ""), (#"\$"#, ""),
      ] {
        text = text.replacingOccurrences(of: pattern, with: template, options: .regularExpression)
      }
      for (name, symbol) in symbols.sorted(by: { $0.key.count > $1.key.count }) {
        text = text.replacingOccurrences(of: "\\\\\(name)(?![a-zA-Z])", with: symbol, options: .regularExpression)
      }
      return text
    }
    // Problems whose source writes symbols as commands.
    let pattern = try NSRegularExpression(pattern: #"\\(le|leq|ge|geq|neq|cdot|times|pi|sqrt|circ|infty|pm|div|theta)(?![a-zA-Z])"#)
    let chosen = items.indices.filter {
      let text = items[$0].parts[0].text
      return pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
    try #require(chosen.count >= 40)
    let planted = Array(chosen.prefix(30))
    let (now, before) = try Self.scanPlanted(items, planted, versions: [.v5, .v4]) { i in
      items[i].parts.map { rendered($0.text) }.joined(separator: "\n\n")
    }.pair
    let contaminated = planted.filter { now[$0].verdict == .contaminated }.count
    let contaminatedBefore = planted.filter { before[$0].verdict == .contaminated }.count
    #expect(contaminated >= 27, "contam-text/5: \(contaminated) of 30")
    #expect(contaminated > contaminatedBefore + 3, "contam-text/4: \(contaminatedBefore) of 30")
    let others = Set(items.indices).subtracting(planted)
    #expect(others.filter { now[$0].verdict != .clean && now[$0].verdict != .tooShort }.count <= 3)
  }
}

extension Array {
  /// The first two elements (of a two-element result).
  var pair: (Element, Element) { (self[0], self[1]) }
}
