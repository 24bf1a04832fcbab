import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("Near duplicates on real perturbed items")
struct NearDuplicateTests {
  /// Every MATH problem, test and train, as a JSONL shard: text = problem + solution, id = unique_id.
  static func mathCorpus(_ fixture: ShardFixture) throws -> String {
    var out = Data()
    for split in ["test", "train"] {
      let text = String(decoding: try TestData.gunzip("benchmarks/math/\(split).jsonl.gz", shared: true), as: UTF8.self)
      for line in text.split(separator: "\n") {
        let r = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let doc: [String: Any] = [
          "id": (r["unique_id"] as? String ?? "").replacingOccurrences(of: ".json", with: ""),
          "text": "\(r["problem"] ?? "")\n\n\(r["solution"] ?? "")",
        ]
        out += try JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys]) + Data("\n".utf8)
      }
    }
    return try fixture.write("math.jsonl", out)
  }

  func scan(_ items: [BenchmarkItem], _ paths: [String], near: NearDuplicateConfiguration? = NearDuplicateConfiguration(), exact: Bool = true)
    throws -> [ItemResult]
  {
    var configuration = ScanConfiguration()
    configuration.near = near
    configuration.exact = exact
    let options = ShardReaderOptions(format: .jsonl(textField: try FieldPath("text"), idField: try FieldPath("id")))
    return try Scanner(items: items, configuration: configuration, readerOptions: options)
      .scan(paths: paths, jobs: 2).items
  }

  @Test(.extended) func mathPerturbSimpleIsFoundInTheMathOriginals() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let corpus = try Self.mathCorpus(fixture)
    let items = try BenchmarkLoader.load(
      name: "math-perturb", path: TestData.sharedPath("benchmarks/math_perturb/math_perturb_simple.jsonl"),
      format: BenchmarkFormat.presets["math-perturb"]!)
    let results = try scan(items, [corpus])
    // Truth: ../shared/data/benchmarks/math_perturb/pairs_with_math_originals.jsonl.
    var truth: [String: String] = [:]
    let pairs = try String(contentsOfFile: TestData.sharedPath("benchmarks/math_perturb/pairs_with_math_originals.jsonl"), encoding: .utf8)
    for line in pairs.split(separator: "\n") {
      let r = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      if r["matched"] as? Bool == true, let id = r["problem_id"] as? Int, let original = r["original_unique_id"] as? String {
        truth[String(id)] = original.replacingOccurrences(of: ".json", with: "")
      }
    }
    #expect(truth.count == 276)
    var found = 0
    var different = 0
    var reported = Set<String>()
    for item in results {
      let documents = item.nearDuplicate?.evidence.compactMap(\.documentID) ?? []
      reported.formUnion(documents)
      guard let original = truth[item.id], documents.contains(original) else { continue }
      found += 1
      if item.nearDuplicate?.evidence.first(where: { $0.documentID == original })?.answer?.agreement == .different { different += 1 }
    }
    let falsePositives = reported.subtracting(truth.values).count
    // Second copies are reported only when they count (secondaryEvidenceCounts): 261 found
    // (two originals ranked second to a sibling and too small to count), 51 false positives,
    // under the issue's bar of 0.5% (71 and 0.58% before the rule). contam-text/4: 259 found
    // (two short items lost a `frac`), 47 false positives. With the math stream (MathTokens):
    // 267 found, 58 false positives (0.47%).
    #expect(Double(found) / 276 >= 0.935, "recall \(found)/276")
    #expect(Double(falsePositives) / Double(12_500 - Set(truth.values).count) <= 0.005, "false positives \(falsePositives)")
    // MATH-Perturb changes the answer: the found originals state a different one.
    #expect(Double(different) / Double(found) >= 0.95, "different answers \(different)/\(found)")
  }

  @Test func gsm8kQuestionsWithNumbersChangedAreFoundInLongNovels() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let items = Array(
      try BenchmarkLoader.load(name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!)
        .prefix(60))
    let novel = try TestData.gutenberg("1342-0.txt.gz", bytes: 700_000)
    // Every number in the question changed (n → n + 3); 30 planted, each in its own ~20 kB page.
    func perturbed(_ text: String) -> String {
      var out = ""
      var digits = ""
      for c in text + " " {
        if c.isASCII && c.isNumber { digits.append(c); continue }
        if !digits.isEmpty { out += String(Int(digits)! + 3); digits = "" }
        out.append(c)
      }
      return String(out.dropLast())
    }
    var lines: [String] = []
    let chunk = novel.count / 30
    for k in 0..<30 {
      let page = String(novel.dropFirst(k * chunk).prefix(chunk))
      let question = perturbed(items[k].parts[0].text)
      // Half the pages also state an answer: the item's own for k % 4 == 0, another for k % 4 == 2.
      let answer = k % 4 == 0 ? " #### \(items[k].answer!.value)" : k % 4 == 2 ? " #### 987654" : ""
      let text = String(page.prefix(chunk / 2)) + " " + question + answer + " " + String(page.dropFirst(chunk / 2))
      let data = try JSONSerialization.data(withJSONObject: ["id": "page-\(k)", "text": text], options: [.sortedKeys])
      lines.append(String(decoding: data, as: UTF8.self))
    }
    let path = try fixture.write("pages.jsonl", Data(lines.joined(separator: "\n").utf8))
    let results = try scan(items, [path])
    for k in 0..<30 {
      let near = try #require(results[k].nearDuplicate, "item \(k) not found")
      let best = try #require(near.evidence.first)
      #expect(best.documentID == "page-\(k)")
      #expect(best.part == "question")
      #expect(results[k].verdict != .contaminated, "numbers changed: no exact copy of the whole item (containment \(near.containment))")
      // One verdict from all the evidence: another answer makes it perturbed, the question alone partial.
      #expect(results[k].verdict == (k % 4 == 2 ? .perturbed : .partial), "item \(k): \(results[k].verdict)")
      let expected: AnswerCheck.Agreement = k % 4 == 0 ? .same : k % 4 == 2 ? .different : .none
      #expect(best.answer?.agreement == expected, "item \(k)")
      // The evidence span lies inside the planted question and covers most of it.
      let planted = perturbed(items[k].parts[0].text)
      #expect(planted.contains(best.snippet))
      #expect(best.snippet.count * 2 > planted.count)
    }
    for k in 30..<60 { #expect(results[k].nearDuplicate == nil, "item \(k) was not planted") }
  }

  /// MATH-Perturb changes a number of a MATH problem and so its answer: most 13-grams of the
  /// perturbed problem are still in the original. Such a copy states another answer and is
  /// `perturbed` even above the contaminated coverage. A copy with every token of the item, or
  /// every shingle of its problem, is `contaminated` whatever answer is read after it; and a
  /// certificate made before the rule (`perturbedOverCoverage` absent) keeps `contaminated` first.
  @Test func perturbedProblemsAreNotContaminatedEvenWhenMostOfTheirTextIsThere() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = TestData.path("benchmarks/math_perturb/math_perturb_simple.jsonl")
    let items = try BenchmarkLoader.load(name: "math-perturb", path: path, format: BenchmarkFormat.presets["math-perturb"]!)
    let pairs = try String(contentsOfFile: TestData.path("benchmarks/math_perturb/pairs_with_math_originals.jsonl"), encoding: .utf8)
      .split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    try #require(pairs.count == items.count)
    let novel = try TestData.gutenberg("1342-0.txt.gz", bytes: 400_000)
    let chunk = novel.count / 160
    var lines: [String] = []
    for k in 0..<160 {
      let page = String(novel.dropFirst(k * chunk).prefix(chunk))
      // Pages 0..<150: the MATH original with its solution. Pages 150..<160: the perturbed
      // item itself (150..<155) or its problem (155..<160), then another answer.
      let copy =
        k < 150
        ? "\(pairs[k]["original_problem"]!)\n\n\(pairs[k]["original_solution"]!)"
        : "\(k < 155 ? ItemIndex.text(of: items[k]) : items[k].parts[0].text)\nThe answer is $\\boxed{987654}$."
      let text = String(page.prefix(chunk / 2)) + "\n" + copy + "\n" + String(page.dropFirst(chunk / 2))
      lines.append(String(decoding: try JSONSerialization.data(withJSONObject: ["id": "page-\(k)", "text": text], options: [.sortedKeys]), as: UTF8.self))
    }
    let corpus = try fixture.write("pages.jsonl", Data(lines.joined(separator: "\n").utf8))
    let results = try scan(items, [corpus])
    var beforeTheRule = NearDuplicateConfiguration()
    beforeTheRule.perturbedOverCoverage = nil
    var old = ScanConfiguration()
    old.near = beforeTheRule
    var mostlyThere = 0
    for k in 0..<150 {
      let result = results[k]
      guard result.coverage >= 0.8, let near = result.nearDuplicate, near.evidence.first?.answer?.agreement == .different else { continue }
      mostlyThere += 1
      // The problem's text changed too (some shingle of it is not in the copy, or a sign or a
      // lone letter tokens do not keep), and not every token of the item is there: perturbed.
      let changed = result.coverage < 1 && (near.containment < 1 || near.evidence.first?.verbatim == false)
      #expect(result.verdict == (changed ? .perturbed : .contaminated), "item \(k): coverage \(result.coverage), \(result.verdict)")
      #expect(old.verdict(tokens: result.tokens, coverage: result.coverage, near: near) == .contaminated, "item \(k)")
    }
    #expect(mostlyThere >= 10, "pairs above the contaminated coverage with another answer: \(mostlyThere)")
    // A near copy too small to count by itself, with another answer, beside the item's n-grams:
    // perturbed (`partial` before the rule).
    var beforeWeakRule = NearDuplicateConfiguration()
    beforeWeakRule.perturbedWithPartialCoverage = nil
    var older = ScanConfiguration()
    older.near = beforeWeakRule
    var weak = 0
    for k in 0..<150 {
      let result = results[k]
      guard let near = result.nearDuplicate, let best = near.evidence.first, best.answer?.agreement == .different,
        (0.2..<0.8).contains(result.coverage),
        !(best.matchedShingles >= 12 || (best.matchedShingles >= 8 && 5 * best.matchedShingles >= 3 * near.shingles))
      else { continue }
      weak += 1
      #expect(result.verdict == .perturbed, "item \(k): \(result.verdict)")
      #expect(older.verdict(tokens: result.tokens, coverage: result.coverage, near: near) == .partial, "item \(k)")
    }
    #expect(weak >= 1, "pairs with a small near copy and another answer")
    // No near copy reaches the threshold, but some 13-grams of the item are there and the exact
    // evidence states another answer: perturbed (`partial` before the rule).
    var beforeExactRule = ScanConfiguration()
    beforeExactRule.perturbedByExactAnswer = nil
    var exactOnly = 0
    for k in 0..<150 {
      let result = results[k]
      guard result.nearDuplicate == nil, (0.2..<0.8).contains(result.coverage), result.evidence.first?.answer?.agreement == .different
      else { continue }
      exactOnly += 1
      #expect(result.verdict == .perturbed, "item \(k): \(result.verdict)")
      #expect(beforeExactRule.verdict(tokens: result.tokens, coverage: result.coverage, exactAnswer: .different) == .partial, "item \(k)")
    }
    #expect(exactOnly >= 1, "pairs with only exact evidence stating another answer")
    #expect(results[0..<150].filter { $0.verdict == .perturbed }.count >= 110, "\(results[0..<150].map(\.verdict))")
    for k in 150..<160 {
      #expect(k >= 155 || results[k].coverage == 1, "item \(k)")
      #expect(results[k].nearDuplicate?.containment == 1, "item \(k)")
      #expect(results[k].nearDuplicate?.evidence.first?.answer?.agreement == .different, "item \(k)")
      #expect(results[k].verdict == .contaminated, "item \(k): every token is there, whatever answer follows")
    }
    for k in 160..<items.count { #expect(results[k].verdict == .clean || results[k].verdict == .tooShort, "item \(k) was not planted") }
  }

  /// Tokens do not keep `+ - = < > ^` or a lone letter (a variable, a vertex), so a MATH problem
  /// with one sign or one variable changed holds every shingle of its original. With another
  /// answer after it, the original is the item perturbed (`perturbed`), not the item copied whole:
  /// the copy is not verbatim. The item's own problem, copied in another layout (upper case, HTML
  /// entities, a Unicode minus, quoted, JSON-escaped line breaks) with another answer after it,
  /// is verbatim and stays `contaminated`.
  @Test func aSignOrALoneLetterChangedIsAPerturbationNotACopy() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let math = try BenchmarkLoader.load(name: "math", path: TestData.path("benchmarks/math/test.jsonl.gz"), format: BenchmarkFormat.presets["math"]!)
    // The item: the problem with its first ` + ` made ` - ` (or its first `$x$` made `$w$`), and
    // an answer no copy states.
    func changed(_ problem: String) -> String? {
      for (from, to) in [(" + ", " - "), ("$x$", "$w$")] {
        if let range = problem.range(of: from) { return problem.replacingCharacters(in: range, with: to) }
      }
      return nil
    }
    // 36 problems whose originals are planted, then 12 of several lines copied in a layout.
    let candidates = math.filter { changed($0.parts[0].text) != nil && $0.parts[0].text.count > 120 }
    let originals =
      Array(candidates.filter { !$0.parts[0].text.contains("\n") }.prefix(36)) + candidates.filter { $0.parts[0].text.contains("\n") }.prefix(12)
    try #require(originals.count == 48)
    let items = originals.enumerated().map { k, original in
      BenchmarkItem(
        benchmark: "math-perturb", id: "\(k)",
        parts: [.init(name: "question", text: changed(original.parts[0].text)!), .init(name: "answer", text: "987654")],
        answer: ItemAnswer(value: "987654"))
    }
    let layouts: [(String) -> String] = [
      { $0 },
      { $0.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "  ", with: " ") },
      { $0.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: "+", with: "&#43;").replacingOccurrences(of: "-", with: "&minus;") },
      { $0.replacingOccurrences(of: "-", with: "\u{2212}") },
      { $0.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }.joined(separator: "\n") },
      { $0.replacingOccurrences(of: "\n", with: "\\n") },
      // Words as markdown links whose targets hold `-` and `=`.
      { $0.split(separator: " ", omittingEmptySubsequences: false).map { $0.count > 3 && $0.allSatisfy(\.isLetter) ? "[\($0)](https://example.org/a-b?c=\($0))" : String($0) }.joined(separator: " ") },
    ]
    let novel = try TestData.gutenberg("1342-0.txt.gz", bytes: 400_000)
    let chunk = novel.count / items.count
    var lines: [String] = []
    for k in items.indices {
      let page = String(novel.dropFirst(k * chunk).prefix(chunk))
      // Pages 0..<36: the original with its solution. Pages 36..<48: the item's own problem in a
      // layout, then another answer.
      let copy =
        k < 36
        ? "\(originals[k].parts[0].text)\n\n\(originals[k].parts[1].text)"
        : "\(layouts[k % layouts.count](items[k].parts[0].text))\nThe answer is $\\boxed{5}$."
      let text = String(page.prefix(chunk / 2)) + "\n" + copy + "\n" + String(page.dropFirst(chunk / 2))
      lines.append(String(decoding: try JSONSerialization.data(withJSONObject: ["id": "page-\(k)", "text": text], options: [.sortedKeys]), as: UTF8.self))
    }
    let results = try scan(items, [try fixture.write("pages.jsonl", Data(lines.joined(separator: "\n").utf8))])
    // Two of these problems are siblings (the same template, other numbers); the tokens they
    // share are not judged, and a head run over them must not push coverage past 1.
    for result in results { #expect((0...1).contains(result.coverage), "\(result.id): coverage \(result.coverage)") }
    let beforeTheCheck = ScanConfiguration()
    var wholeShingles = 0
    for k in 0..<36 {
      // The rule reads every token of the item there (coverage 1) as a copy, whatever follows.
      guard let near = results[k].nearDuplicate, let best = near.evidence.first, best.containment == 1, best.matchedShingles >= 12,
        results[k].coverage < 1
      else { continue }
      wholeShingles += 1
      #expect(best.answer?.agreement == .different, "item \(k)")
      #expect(best.verbatim == false, "item \(k): the sign or letter changed: \(items[k].parts[0].text)")
      #expect(results[k].verdict == .perturbed, "item \(k): \(results[k].verdict), coverage \(results[k].coverage)")
      // Without the check (a certificate made before it), every shingle there reads as a copy.
      var unmeasured = near
      unmeasured.evidence[0].verbatim = nil
      #expect(beforeTheCheck.verdict(tokens: results[k].tokens, coverage: results[k].coverage, near: unmeasured) == .contaminated, "item \(k)")
    }
    #expect(wholeShingles >= 20, "originals holding every shingle of the changed problem: \(wholeShingles)")
    for k in 36..<48 {
      let best = results[k].nearDuplicate?.evidence.first
      #expect(best?.containment == 1, "item \(k), layout \(k % layouts.count)")
      #expect(best?.answer?.agreement == .different, "item \(k), layout \(k % layouts.count)")
      #expect(best?.verbatim == true, "item \(k), layout \(k % layouts.count): \(best?.snippet ?? "")")
      #expect(results[k].verdict == .contaminated, "item \(k), layout \(k % layouts.count): \(results[k].verdict)")
    }
  }

  /// A twin's solution is not a perturbed copy (ScanConfiguration.solutionAloneIsPartial). MATH
  /// test/precalculus/1033 (the determinant of a reflection, -1) and its training-set twins
  /// 1213 (a projection, 0) and 180 (a rotation, 1) share their solution's opening and closing
  /// sentences: a corpus holding the twins (problem and solution, as any MATH training copy)
  /// made the test item `perturbed` (a near copy of its solution stating another answer), while
  /// its question is found nowhere. Now `partial`; the item's own problem with its answer
  /// changed stays `perturbed`, and without the rule (certificates before it) the twins still
  /// read `perturbed`.
  @Test func aTwinsSolutionIsNotAPerturbedCopy() throws {
    let all = try BenchmarkLoader.load(name: "math", path: TestData.path("math-twins/twins.jsonl"), format: BenchmarkFormat.presets["math"]!)
    let items = all.filter { $0.id == "test/precalculus/1033.json" }
    let twins = all.filter { $0.id != "test/precalculus/1033.json" }
    try #require(items.count == 1 && twins.count == 2)
    let prose = try TestData.gutenberg(bytes: 4_000)
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    func scan(_ texts: [String], rule: Bool?) throws -> ItemResult {
      let records = try texts.enumerated().map { k, text in
        String(decoding: try JSONSerialization.data(withJSONObject: ["id": "doc-\(k)", "text": prose + "\n\n" + text + "\n\n" + prose]), as: UTF8.self)
      }
      let path = try fixture.write("corpus-\(UUID().uuidString).jsonl", Data(records.joined(separator: "\n").utf8))
      var configuration = ScanConfiguration()
      configuration.solutionAloneIsPartial = rule
      return try Scanner(items: items, configuration: configuration, readerOptions: AlignmentTests.options).scan(paths: [path], jobs: 2).items[0]
    }
    let copies = twins.map { $0.parts.map(\.text).joined(separator: "\n\n") }
    let result = try scan(copies, rule: true)
    #expect(result.verdict == .partial, "\(result)")
    #expect(result.parts[0].coverage == 0 && result.coverage > 0)
    #expect(try scan(copies, rule: nil).verdict == .perturbed)
    // The item itself with its vector and its answer changed (MATH-Perturb's kind of copy): its
    // question is there, so it is a perturbed copy.
    let item = items[0].parts.map(\.text).joined(separator: "\n\n")
    let changed = item.replacingOccurrences(of: "1 \\\\ 5", with: "3 \\\\ 8").replacingOccurrences(of: "\\boxed{-1}", with: "\\boxed{2}")
    try #require(changed != item && !changed.contains("1 \\\\ 5"))
    let perturbed = try scan([changed], rule: true)
    #expect(perturbed.verdict == .perturbed, "\(perturbed)")
    #expect(try scan(copies + [item], rule: true).verdict == .contaminated)
  }

  /// The word-for-word check reads the text between a copy's tokens: entities cut short, lone
  /// backslashes, tags never closed, look-alike signs, line breaks. Junk made only of such text,
  /// put between the words of real MATH problems (so their tokens are unchanged), with another
  /// answer after each: every copy is flagged and measured, none crashes the scan.
  @Test func junkBetweenTheWordsOfACopyIsReadNotACrash() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = TestData.path("benchmarks/math_perturb/math_perturb_simple.jsonl")
    let items = Array(try BenchmarkLoader.load(name: "math-perturb", path: path, format: BenchmarkFormat.presets["math-perturb"]!).prefix(40))
    let junk = [
      "&", "&#;", "&;", "\\", "<", ">", "</>", "<!", "\u{2212}", "\u{FF0B}", "\u{FFFD}", "\n", "\n- ", "\n> ", "$", "^", "=", "+", "--",
      "\t", "\u{00A0}", "&&&", "<<", "\\\\",
    ]
    var generator = SystemRandomNumberGenerator()
    let lines = try items.enumerated().map { k, item in
      let words = item.parts[0].text.split(separator: " ", omittingEmptySubsequences: false)
      let copy = words.map { String($0) + (Int.random(in: 0..<3, using: &generator) == 0 ? " " + junk.randomElement(using: &generator)! + " " : "") }
        .joined(separator: " ")
      let text = "Worked problems.\n\n" + copy + "\nThe answer is $\\boxed{987654}$.\n"
      return String(decoding: try JSONSerialization.data(withJSONObject: ["id": "page-\(k)", "text": text]), as: UTF8.self)
    }
    let results = try scan(items, [try fixture.write("junk.jsonl", Data(lines.joined(separator: "\n").utf8))])
    var measured = 0
    for (k, result) in results.enumerated() where result.verdict != .tooShort {
      #expect([.contaminated, .perturbed, .partial].contains(result.verdict), "item \(k): \(result.verdict)")
      if result.nearDuplicate?.evidence.first?.verbatim != nil { measured += 1 }
    }
    #expect(measured >= 20, "copies measured word for word: \(measured)")
  }

  /// Near evidence after the best is kept only when it counts toward the verdict: a MATH
  /// sibling that shares a few shingles with a short perturbed problem is not reported as a
  /// copy of it. The best copy and every verdict stay as they were.
  @Test func secondNearCopiesAreReportedOnlyWhenTheyCount() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let items = try BenchmarkLoader.load(
      name: "math-perturb", path: TestData.path("benchmarks/math_perturb/math_perturb_simple.jsonl"),
      format: BenchmarkFormat.presets["math-perturb"]!)
    // The corpus: the MATH problems of the fixture and the originals of the perturbed ones.
    var lines: [String] = []
    func add(_ id: String, _ text: String) throws {
      lines.append(String(decoding: try JSONSerialization.data(withJSONObject: ["id": id, "text": text], options: [.sortedKeys]), as: UTF8.self))
    }
    let math = String(decoding: try TestData.gunzip("benchmarks/math/test.jsonl.gz"), as: UTF8.self).split(separator: "\n")
    for line in math {
      let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      try add(record["unique_id"] as! String, "\(record["problem"]!)\n\n\(record["solution"]!)")
    }
    let pairs = try String(contentsOfFile: TestData.path("benchmarks/math_perturb/pairs_with_math_originals.jsonl"), encoding: .utf8)
      .split(separator: "\n")
    for (k, line) in pairs.enumerated() {
      let pair = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      try add("original-\(k)", "\(pair["original_problem"]!)\n\n\(pair["original_solution"] ?? "")")
    }
    let corpus = try fixture.write("math.jsonl", Data(lines.joined(separator: "\n").utf8))
    let rules = NearDuplicateConfiguration()
    var before = rules
    before.secondaryEvidenceCounts = nil
    let results = try scan(items, [corpus], near: rules)
    let old = try scan(items, [corpus], near: before)
    var dropped = 0
    for (now, then) in zip(results, old) {
      #expect(now.verdict == then.verdict, "\(now.id)")
      #expect(now.nearDuplicate?.evidence.first == then.nearDuplicate?.evidence.first, "\(now.id)")
      let shingles = now.nearDuplicate?.shingles ?? 0
      for evidence in now.nearDuplicate?.evidence.dropFirst() ?? [] {
        #expect(rules.counts(evidence, itemShingles: shingles), "\(now.id): \(evidence.documentID ?? "")")
      }
      dropped += (then.nearDuplicate?.evidence.dropFirst() ?? []).filter { !rules.counts($0, itemShingles: shingles) }.count
    }
    #expect(dropped >= 3, "second copies that do not count, reported before the rule: \(dropped)")
  }

  @Test func eitherPassCanBeTurnedOff() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let items = Array(
      try BenchmarkLoader.load(name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!)
        .prefix(5))
    let text = "Some text. " + ItemIndex.text(of: items[0]) + " More text."
    let path = try fixture.write("one.jsonl", try JSONSerialization.data(withJSONObject: ["id": "d", "text": text]))
    let both = try scan(items, [path])
    #expect(both[0].verdict == .contaminated && both[0].nearDuplicate != nil)
    let exactOnly = try scan(items, [path], near: nil)
    #expect(exactOnly[0].verdict == .contaminated && exactOnly[0].nearDuplicate == nil)
    let nearOnly = try scan(items, [path], exact: false)
    #expect(nearOnly[0].evidence.isEmpty && nearOnly[0].coverage == 0 && nearOnly[0].nearDuplicate != nil)
  }
}

extension NearDuplicateTests {
  @Test func aShortItemCopiedWithAWordDroppedIsFlagged() throws {
    // Winogrande sentences are short (15-25 tokens, 13-23 shingles): one dropped word breaks
    // every 13-gram and leaves fewer than 12 shingles in common, but most of all the item's.
    let items = Array(
      try BenchmarkLoader.load(
        name: "winogrande", path: TestData.path("benchmarks/winogrande/dev.jsonl"), format: BenchmarkFormat.presets["winogrande"]!
      ).prefix(40))
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    var plants: [Int: String] = [:]
    for (k, item) in items.enumerated() {
      var words = ItemIndex.text(of: item).split(separator: " ").map(String.init)
      words.remove(at: words.count / 3)
      plants[k + 1] = words.joined(separator: " ")
    }
    let path = try ScannerTests.shard(fixture, "a.jsonl.gz", plants: plants, documents: 60)
    let results = try scan(items, [path])
    let flagged = results.filter { $0.verdict != .clean && $0.verdict != .tooShort }
    #expect(flagged.count * 100 >= 85 * items.count, "\(flagged.count) of \(items.count) flagged")
    // The copies found on fewer shingles than the absolute floor: most of the item's own.
    let few = flagged.filter { ($0.nearDuplicate?.evidence.first?.matchedShingles ?? 99) < 12 }
    #expect(!few.isEmpty)
    for result in few {
      let best = try #require(result.nearDuplicate)
      #expect(5 * best.evidence[0].matchedShingles >= 3 * best.shingles, "\(result.id)")
    }
  }
}

extension NearDuplicateTests {
  @Test func aNearFindingWithAbsurdCountsIsJudgedNotACrash() throws {
    // Counts read from an edited certificate can be anything the JSON allows; the verdict
    // compares them without arithmetic that can overflow.
    let json = """
      {"shingles": \(Int.max), "containment": 1, "documents": 1, "evidence": [{"shard": "s", "line": 1,
       "byteStart": 0, "byteEnd": 1, "snippet": "x", "containment": 1, "estimatedContainment": 1,
       "matchedShingles": 10}]}
      """
    let near = try JSONDecoder().decode(NearDuplicateResult.self, from: Data(json.utf8))
    // 10 shared shingles of Int.max: below the floor of 12 and far below 60% of the item.
    let verdict = ScanConfiguration().verdict(tokens: 20, coverage: 0, near: near)
    #expect(verdict == .clean, "\(verdict)")
  }
}
