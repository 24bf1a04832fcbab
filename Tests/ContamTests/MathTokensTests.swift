@_spi(Testing) import Contam
import Foundation
import Testing
import _ContamTestSupport

/// The math stream (MathTokens): which bytes of TeX math become tokens, and what the near search
/// finds with them.
@Suite("Math stream: variables and operators of TeX math as tokens")
struct MathTokensTests {
  /// The extra tokens of `text`, as the bytes they stand for.
  func extras(_ text: String, prices: Bool = true) -> String {
    var found: [UInt8] = []
    var copy = text
    copy.withUTF8 { bytes in
      MathTokens.forEach(in: UnsafeRawBufferPointer(bytes), prices: prices) { hash, start, end in
        #expect(end == start + 1)
        #expect(hash == MathTokens.hash(bytes[start] | (bytes[start] >= 0x41 && bytes[start] <= 0x5A ? 0x20 : 0)))
        found.append(bytes[start])
      }
    }
    return String(decoding: found, as: UTF8.self)
  }

  @Test func loneLettersAndOperatorsInsideMathAreTokens() {
    #expect(extras("If $(x-1)^2+y^2=1$, what is $|x|+|y|$?") == "x-^+y^=|x|+|y|")
    // Words, numbers with letters and command names are the text's own tokens.
    #expect(extras("$2x + \\frac{a}{b} \\le \\alpha$ and $\\sin A$") == "+abA")
    #expect(extras("\\(a+b\\) then \\[c=d\\] and $$e<f$$") == "a+bc=de<f")
    // Outside math nothing is added: a lone letter there is an option label.
    #expect(extras("A. x + y = 3\nB. 4 - 2") == "")
    // An escaped dollar does not open math.
    #expect(extras("It costs \\$5 or a pen, and $n$ more") == "n")
  }

  /// The math search copies the tokens between extra tokens into its window in bulk: token by
  /// token, every window holds the stream ``MathTokens/merge(_:tokens:start:_:)`` orders, over
  /// real MATH problems (one by one, and as one long text) and texts that start or end in math.
  @Test func mathWindowsHoldTheMergedStream() throws {
    let problems = try HeadRunTests.load("math", "benchmarks/math/test.jsonl.gz").prefix(400).map {
      $0.parts.map(\.text).joined(separator: "\n")
    }
    let texts =
      problems + [
        problems.joined(separator: "\n\n"), "$x$", "$x+y$", "Let $a$ be $b$.", "\\(x\\)y and \\[z\\]", "$$a=b$$",
        "It costs $5 and $x^2$ more", "x $ y", "$ab + c - d$ and then $e$",
      ]
    var windows = 0
    for text in texts {
      let check = MathTokens.windowFillCheck(text, tokenizer: Tokenizer(), prices: true, reaches: [0, 1, 3, 40, 400])
      #expect(check.differing == 0, "\(text.prefix(80))")
      windows += check.windows
    }
    #expect(windows > 2_000)
  }

  @Test func aStrayDollarReachesNoFurtherThanItsParagraph() {
    // A stray `$` opens math for the rest of the paragraph (its lone letter becomes a token);
    // the blank line ends it, so the problem after it is read as written.
    #expect(extras("Pens cost 5$ for a box.\n\nLet $x+1=y$.") == "ax+=y")
    #expect(extras("Pens cost 5$ for a box.\n  \nLet $x+1=y$.") == "ax+=y")
    // Within the paragraph, the parity is flipped for what follows.
    #expect(extras("Pens cost 5$. Let $x+1=y$.") == "")
    // So did a price's `$` before the rule that reads prices as text (older certificates).
    #expect(extras("Pens cost $5 for a box.\n\nLet $x+1=y$.", prices: false) == "ax+=y")
    #expect(extras("Pens cost $5. Let $x+1=y$.", prices: false) == "")
  }

  /// A `$` before a number that ends as prices end is text: a page of prices is not math, and a
  /// formula after an odd number of them is read as written; a formula that starts with a number
  /// is still math.
  @Test func pricesAreTextAndFormulasStartingWithANumberAreMath() {
    #expect(extras("Pens cost $5 for a box.\n\nLet $x+1=y$.") == "x+=y")
    #expect(extras("Pens cost $5. Let $x+1=y$.") == "x+=y")
    #expect(extras("A pen is $5, a box $12.50 a piece, and a crate $1,200; so $x = 3$ pens.") == "x=")
    #expect(extras("From $5-$10 a month, or $3/month, or $2bn in all: $a$") == "a")
    #expect(extras("It cost $60,841 in 1982 and $14,264. A year on, $n^2$ more") == "n^")
    #expect(extras("($20,000) in a year: $a - b$") == "a-b")
    // Math that starts with a number.
    #expect(extras("Find $5 + x$ and $2x = 4$ or $5 x$") == "+x=x")
    #expect(extras("The sequence $243, 81, x, y, 3, \\ldots$ and $20 !$ and $10^2$ and $5$") == "xy^")
    #expect(extras("Then $5/x$ is $3 - a$ and $2$") == "/x-a")
    func isPrice(_ text: String) -> Bool {
      var copy = text
      return copy.withUTF8 { MathTokens.isPrice(UnsafeRawBufferPointer($0), at: 0) }
    }
    for price in [
      "$5", "$5.", "$5 and", "$3.50, then", "$20,000) in", "$5, $6", "$2bn in", "$4k a", "$9/hr", "$5-$7", "$60,841 1982", "$5 a day",
      "$400 + $60", "$17/$8.50", "$9 = $<<9*2=18>>18", "$<<3*2=6>>6",
    ] {
      #expect(isPrice(price), "\(price)")
    }
    for formula in ["$5$", "$2x$", "$5 + x$", "$5 x$", "$243, 81, x$", "$20 !$", "$5/x$", "$10^2$", "$x$", "$ 5$", "$5\\%$", "$5 (x+1)$", "$3.5$"] {
      #expect(!isPrice(formula), "\(formula)")
    }
  }

  /// Real GSM8K items, whose `$` are prices and which have no TeX: with prices read as text no
  /// item has a math stream; with every `$` a switch (older certificates) their text between two
  /// prices was read as math. MATH's problems, all TeX, keep theirs.
  @Test func realPricesOpenNoMathAndRealTeXStillDoes() throws {
    func withExtras(_ texts: [String], prices: Bool) -> Int {
      texts.filter { text in
        var copy = text
        var found = false
        copy.withUTF8 { MathTokens.forEach(in: UnsafeRawBufferPointer($0), prices: prices) { _, _, _ in found = true } }
        return found
      }.count
    }
    let gsm8k = try HeadRunTests.load("gsm8k", "benchmarks/gsm8k/test.jsonl").map { $0.parts.map(\.text).joined(separator: "\n") }
    let priced = gsm8k.filter { $0.contains("$") }
    try #require(priced.count >= 100, "\(priced.count) GSM8K fixture items with a $")
    let now = withExtras(priced, prices: true)
    let before = withExtras(priced, prices: false)
    #expect(now * 3 <= before, "with prices as text \(now), every $ a switch \(before), of \(priced.count)")
    let math = try HeadRunTests.load("math", "benchmarks/math/test.jsonl.gz").map { $0.parts.map(\.text).joined(separator: "\n") }
    #expect(withExtras(math, prices: true) == withExtras(math, prices: false))
  }

  /// Each MATH original (problem and solution) on a page of a novel, one page per pair.
  static func originalsCorpus(_ fixture: ShardFixture) throws -> (path: String, pairs: [[String: Any]]) {
    let (jsonl, pairs) = try ShardFixture.mathOriginalsJSONL()
    return (try fixture.write("originals.jsonl", jsonl), pairs)
  }

  func scan(_ items: [BenchmarkItem], _ path: String, mathTokens: Bool?) throws -> [ItemResult] {
    var configuration = ScanConfiguration()
    configuration.near?.mathTokens = mathTokens
    let options = ShardReaderOptions(format: .jsonl(textField: try FieldPath("text"), idField: try FieldPath("id")))
    return try Scanner(items: items, configuration: configuration, readerOptions: options).scan(paths: [path], jobs: 2).items
  }

  @Test(arguments: ["math_perturb_simple.jsonl", "math_perturb_hard.jsonl"])
  func perturbedProblemsAreFoundOnTheirMathStream(file: String) throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (corpus, pairs) = try Self.originalsCorpus(fixture)
    let items = try BenchmarkLoader.load(
      name: "math-perturb", path: TestData.path("benchmarks/math_perturb/\(file)"), format: BenchmarkFormat.presets["math-perturb"]!)
    try #require(items.count == pairs.count)
    // Found: `perturbed`, with its own original's page as the best near copy.
    func found(_ results: [ItemResult]) -> Set<Int> {
      Set(
        results.indices.filter { k in
          pairs[k]["matched"] as? Bool == true && results[k].verdict == .perturbed
            && results[k].nearDuplicate?.evidence.first?.documentID == "page-\(k)"
        })
    }
    let with = try scan(items, corpus, mathTokens: true)
    let without = try scan(items, corpus, mathTokens: nil)
    let gained = found(with).subtracting(found(without))
    #expect(gained.count >= 6, "\(file): \(found(without).count) -> \(found(with).count)")
    #expect(found(without).subtracting(found(with)).isEmpty, "\(file): lost \(found(without).subtracting(found(with)).sorted())")
    // What the math stream added was measured on it, and says so.
    for k in gained { #expect(with[k].nearDuplicate?.evidence.first?.mathTokens == true) }
    // No item's best near copy is another item's original.
    let elsewhere = with.indices.filter { k in
      with[k].nearDuplicate.map { $0.evidence.first?.documentID != "page-\(k)" } ?? false
    }
    let elsewhereBefore = without.indices.filter { k in
      without[k].nearDuplicate.map { $0.evidence.first?.documentID != "page-\(k)" } ?? false
    }
    #expect(elsewhere.count <= elsewhereBefore.count + 1, "\(file): \(elsewhere) against \(elsewhereBefore)")
  }

  @Test func aStrayDollarBeforeACopyCostsNothing() throws {
    // A price's `$` before a verbatim copy of a MATH problem, on its line: the copy's math is
    // read with the parity flipped, so its math stream is wrong; the text's own stream still
    // finds it as without the math stream.
    let items = try BenchmarkLoader.load(
      name: "math", path: TestData.path("benchmarks/math/test.jsonl.gz"), format: BenchmarkFormat.presets["math"]!)
    let chosen = Array(items.indices.filter { ItemIndex.text(of: items[$0]).contains("$") }.prefix(12))
    try #require(chosen.count == 12)
    var plants: [Int: String] = [:]
    for (k, i) in chosen.enumerated() { plants[2 * k + 1] = "Pens cost $5 each. " + ItemIndex.text(of: items[i]) }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "stray.jsonl.gz", plants: plants, documents: 26)
    let with = try scan(items, path, mathTokens: true)
    let without = try scan(items, path, mathTokens: nil)
    for i in chosen {
      #expect(with[i].verdict == .contaminated && with[i].verdict == without[i].verdict, "\(items[i].id): \(with[i].verdict)")
      #expect((with[i].nearDuplicate?.containment ?? 0) >= (without[i].nearDuplicate?.containment ?? 0))
    }
  }

  /// A MATH-P-Hard item only the math stream finds; its original, with `lead` before it, in a
  /// document over 1 MiB whose first cut falls `cutInto(lead + original)` bytes into them, and
  /// in a short document: the item's near evidence in each.
  func longAndShort(lead: String, cutInto: (String) -> Int) throws -> (id: String, long: NearDuplicateEvidence?, short: NearDuplicateEvidence?) {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (corpus, pairs) = try Self.originalsCorpus(fixture)
    let items = try BenchmarkLoader.load(
      name: "math-perturb", path: TestData.path("benchmarks/math_perturb/math_perturb_hard.jsonl"), format: BenchmarkFormat.presets["math-perturb"]!)
    let with = try scan(items, corpus, mathTokens: true)
    let without = try scan(items, corpus, mathTokens: nil)
    let k = try #require(
      items.indices.first { with[$0].verdict == .perturbed && without[$0].verdict == .clean && with[$0].nearDuplicate?.evidence.first?.mathTokens == true })
    let placed = lead + "\(pairs[k]["original_problem"] ?? "")\n\n\(pairs[k]["original_solution"] ?? "")"
    let prose = String(String.UnicodeScalarView(try TestData.gutenberg("1342-0.txt.gz", bytes: 700_000).unicodeScalars.filter { $0.isASCII && $0 != "\r" }))
    // The cut falls just past the first white space from 1 MiB on.
    let before = String((prose + prose).prefix(1_048_576 - cutInto(placed)))
    let long = before + "\n\n" + placed + "\n\n" + String(prose.prefix(200_000))
    let short = "Some words.\n\n" + placed + "\n\n" + String(prose.prefix(2_000))
    var lines = Data()
    for (id, text) in [("long", long), ("short", short)] {
      lines += try JSONSerialization.data(withJSONObject: ["id": id, "text": text]) + Data("\n".utf8)
    }
    let path = try fixture.write("long.jsonl", lines)
    let results = try scan([items[k]], path, mathTokens: true)
    let evidence = results[0].nearDuplicate?.evidence ?? []
    return (items[k].id, evidence.first { $0.documentID == "long" }, evidence.first { $0.documentID == "short" })
  }

  @Test func aCopyAcrossALongDocumentsSegmentCutIsFoundAsInAShortOne() throws {
    // A document over 1 MiB is matched in segments that overlap by the near search's reach,
    // the math index's included: an original found only on the math stream, placed across the
    // first cut, is found as in a short document.
    let (id, long, short) = try longAndShort(lead: "") { $0.utf8.count / 2 }
    let inShort = try #require(short, "\(id): not found in the short document")
    let inLong = try #require(long, "\(id): not found in the long document")
    #expect(inLong.containment == inShort.containment && inLong.matchedShingles == inShort.matchedShingles && inLong.mathTokens == true)
  }

  @Test func theMathIndexSearchesItemsWholeAndTheirQuestionsNotTheirSolutions() throws {
    let items = try BenchmarkLoader.load(
      name: "math", path: TestData.path("benchmarks/math/test.jsonl.gz"), format: BenchmarkFormat.presets["math"]!)
    let index = NearDuplicateIndex(
      TokenizedItems(items, version: .current), configuration: NearDuplicateConfiguration(), maximumItemsPerShingle: 10)
    let math = try #require(index.math)
    let question = try #require(items.first?.parts.first?.name)
    let parts = Set(math.targets.map { $0.part ?? "" })
    #expect(parts == ["", question], "\(parts)")
    // The text's index searches the other parts too.
    #expect(Set(index.targets.map { $0.part ?? "" }).count > 2)
    // Only items with math have targets there, each with its whole target first.
    #expect(Set(math.targets.map(\.item)).allSatisfy { ItemIndex.text(of: items[$0]).contains("$") || ItemIndex.text(of: items[$0]).contains("\\") })
    #expect(math.targets.count > 0 && math.targets.count < index.targets.count)
  }

  @Test func mathModeAtAnOffsetIsReadFromItsParagraph() {
    func inMath(_ text: String, at marker: String) -> Bool {
      var copy = text
      let offset = copy.utf8.count - copy.split(separator: Character(marker), maxSplits: 1).last!.utf8.count - 1
      return copy.withUTF8 { MathTokens.inMath(UnsafeRawBufferPointer($0), at: offset) }
    }
    #expect(inMath("Let $x + 1 @= y$.", at: "@"))
    #expect(!inMath("Let $x + 1$ and @y.", at: "@"))
    #expect(!inMath("Pens cost $5.\n\nLet @x.", at: "@"))
    #expect(inMath("Pens cost $5.\n\nLet \\(x @+ 1\\).", at: "@"))
    // A segment read from there gives the tokens the whole text gives from there.
    let text = "Some words, then $a + b = c$ and $x^2 - y^2 = (x-y)(x+y)$ to end."
    let whole = extras(text)
    let cut = text.utf8.count - " y^2 = (x-y)(x+y)$ to end.".utf8.count
    var copy = text
    let tail = copy.withUTF8 { bytes -> String in
      let raw = UnsafeRawBufferPointer(bytes)
      var found: [UInt8] = []
      MathTokens.forEach(in: UnsafeRawBufferPointer(rebasing: raw[cut...]), startingInMath: MathTokens.inMath(raw, at: cut)) { _, start, _ in
        found.append(raw[cut + start])
      }
      return String(decoding: found, as: UTF8.self)
    }
    #expect(whole.hasSuffix(tail) && tail == "y^=(x-y)(x+y)".filter { !"()".contains($0) }, "\(whole) / \(tail)")
  }

  @Test func aLongDocumentCutInsideMathReadsTheCopyAfterItAsAShortOne() throws {
    // Past 1 MiB, a paragraph opens math with `$` and holds thousands of tokens of it before
    // the copy: the segment holding the copy starts inside that math, and reads the copy's
    // `$` as the whole document does.
    let math = "Notes: $" + String(repeating: "2 + 3 = 5, ", count: 1_200) + "7 - 1 = 6$ and so on. "
    let (id, long, short) = try longAndShort(lead: math) { _ in math.utf8.count / 2 }
    let inShort = try #require(short, "\(id): not found in the short document")
    let inLong = try #require(long, "\(id): not found in the long document")
    #expect(inLong.containment == inShort.containment && inLong.matchedShingles == inShort.matchedShingles && inShort.mathTokens == true)
  }
}
