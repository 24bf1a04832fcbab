@_spi(Testing) import Contam
import Foundation
import Testing
import _ContamTestSupport

/// Parts apart (ItemIndex): an item of short parts, its first under `minimumTokens` tokens
/// (a TruthfulQA question and its best answer), copied with layout words between the parts.
@Suite("Parts apart: a short question and its answer with layout between them")
struct PartsApartTests {
  static let options = ShardReaderOptions(format: .jsonl(textField: try! FieldPath("text"), idField: try! FieldPath("id")))

  /// Exact evidence only, as the rule is an exact one.
  func scan(
    _ items: [BenchmarkItem], _ path: String, partsApart: Bool?, choicesInAnyOrder: Bool? = true, questionWithAnswer: Bool? = true,
    blanksFilled: Bool? = true, blanksNearStart: Bool? = true, correctOptionAlone: Bool? = true
  ) throws -> [ItemResult] {
    var configuration = ScanConfiguration()
    configuration.blanksNearStart = blanksNearStart
    configuration.correctOptionAlone = correctOptionAlone
    configuration.partsApart = partsApart
    configuration.choicesInAnyOrder = choicesInAnyOrder
    configuration.questionWithAnswer = questionWithAnswer
    configuration.blanksFilled = blanksFilled
    configuration.near = nil
    return try Scanner(items: items, configuration: configuration, readerOptions: Self.options).scan(paths: [path], jobs: 2).items
  }

  /// TruthfulQA items whose question and best answer have 3 to 7 tokens each and 8 or more
  /// together: neither part is found alone, nor near the other by the anchored search.
  static func shortPairs() throws -> (items: [BenchmarkItem], chosen: [Int]) {
    let items = try BenchmarkLoader.load(
      name: "truthfulqa", path: TestData.path("benchmarks/truthfulqa/TruthfulQA.csv"), format: BenchmarkFormat.presets["truthfulqa"]!)
    let tokenizer = Tokenizer()
    let chosen = items.indices.filter { i in
      let parts = items[i].parts.map { tokenizer.tokens(of: $0.text).count }
      return parts.count == 2 && parts.allSatisfy { (3..<8).contains($0) } && parts[0] + parts[1] >= 8
    }
    return (items, chosen)
  }

  static func chatJSON(_ question: String, _ answer: String) throws -> String {
    let record = ["messages": [["role": "user", "content": question], ["role": "assistant", "content": answer]]]
    return String(decoding: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self)
  }

  @Test func aQuestionAndAnswerInChatOrPromptLayoutsAreContaminated() throws {
    let (items, chosen) = try Self.shortPairs()
    try #require(chosen.count >= 12, "\(chosen.count) items")
    let planted = Array(chosen.prefix(12))
    var plants: [Int: String] = [:]
    for (k, i) in planted.enumerated() {
      let (q, a) = (items[i].parts[0].text, items[i].parts[1].text)
      plants[2 * k + 1] = [try Self.chatJSON(q, a), "Question: \(q)\nAnswer: \(a)", "User: \(q)\nAssistant: \(a)"][k % 3]
    }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "chats.jsonl.gz", plants: plants, documents: 30)
    let results = try scan(items, path, partsApart: true)
    for i in planted {
      #expect(results[i].verdict == .contaminated, "\(items[i].id): \(results[i].verdict) coverage \(results[i].coverage)")
    }
    let others = Set(items.indices).subtracting(planted)
    #expect(others.filter { results[$0].verdict != .clean && results[$0].verdict != .tooShort }.isEmpty)
    // Before the rule (certificates without it) the layout words between the parts hid these
    // copies: no 8 tokens of the item stood together.
    let before = try scan(items, path, partsApart: nil)
    for i in planted { #expect(before[i].verdict == .clean, "\(items[i].id): \(before[i].verdict)") }
  }

  /// Every n-gram length the CLI accepts builds the parts-apart index and scans: with `--ngram`
  /// 1 or 2 (below the 3-token keys of this index) the build crashed on a range whose bounds
  /// were the wrong way round. The copied pairs are still found, in their layout.
  @Test(arguments: [(1, 1), (2, 2), (2, 1), (3, 3), (4, 2)])
  func shortNGramsAndMinimumsBuildAndFind(n: Int, minimumTokens: Int) throws {
    let (items, chosen) = try Self.shortPairs()
    let planted = Array(chosen.prefix(4))
    var plants: [Int: String] = [:]
    for (k, i) in planted.enumerated() { plants[2 * k + 1] = "Question: \(items[i].parts[0].text)\nAnswer: \(items[i].parts[1].text)" }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "short-n.jsonl.gz", plants: plants, documents: 12)
    var configuration = ScanConfiguration()
    configuration.n = n
    configuration.minimumTokens = minimumTokens
    let results = try Scanner(items: items, configuration: configuration, readerOptions: Self.options).scan(paths: [path], jobs: 2).items
    for i in planted {
      #expect([.contaminated, .perturbed, .partial].contains(results[i].verdict), "n \(n): \(items[i].id): \(results[i].verdict)")
    }
  }

  @Test func partsTooFarApartOrInAnotherOrderAreNotACopy() throws {
    let (items, chosen) = try Self.shortPairs()
    let planted = Array(chosen.prefix(6))
    var plants: [Int: String] = [:]
    for (k, i) in planted.enumerated() {
      let (q, a) = (items[i].parts[0].text, items[i].parts[1].text)
      // Six words between the parts (the rule allows four), or the answer first.
      plants[2 * k + 1] = k % 2 == 0 ? "\(q) and then she went on to say \(a)" : "\(a)\n\(q)"
    }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "apart.jsonl.gz", plants: plants, documents: 20)
    let results = try scan(items, path, partsApart: true)
    for i in planted {
      #expect(results[i].verdict != .contaminated, "\(items[i].id): \(results[i].verdict) coverage \(results[i].coverage)")
    }
  }

  /// Multiple-choice items (ARC, PIQA, SciQ) whose question has under 8 tokens (not found
  /// alone) and whose options have no 13-gram of their own: copied with the options in another
  /// order, no n-gram and no whole short item is left.
  static func shortChoiceItems() throws -> [(name: String, items: [BenchmarkItem], chosen: [Int])] {
    let tokenizer = Tokenizer()
    return try [
      ("arc", "benchmarks/arc/ARC-Challenge-Test.jsonl"), ("piqa", "benchmarks/piqa/dev.jsonl"), ("sciq", "benchmarks/sciq/test.json"),
    ].map { name, path in
      let items = try HeadRunTests.load(name, path)
      let chosen = items.indices.filter { i in
        guard let question = items[i].parts.first(where: { $0.name == "question" }),
          let choices = items[i].parts.first(where: { $0.name == BenchmarkItem.choicesPartName })
        else { return false }
        let lines = choices.text.split(separator: "\n").map { tokenizer.tokens(of: String($0)).count }
        let q = tokenizer.tokens(of: question.text).count
        return (1..<8).contains(q) && lines.count >= 2 && lines.allSatisfy { (1..<13).contains($0) } && Set(choices.text.split(separator: "\n")).count == lines.count
          && q + lines.reduce(0, +) >= 8 && q + lines.reduce(0, +) < 52
      }
      return (name, items, chosen)
    }
  }

  /// The item as a prompt shows it, its options in `order` under letters.
  static func prompt(_ item: BenchmarkItem, order: [Int]) -> String {
    let question = item.parts.first { $0.name == "question" }!.text
    let options = item.parts.first { $0.name == BenchmarkItem.choicesPartName }!.text.split(separator: "\n")
    return ([question] + order.enumerated().map { "\(["A", "B", "C", "D", "E"][$0.offset]). \(options[$0.element])" }).joined(separator: "\n")
  }

  @Test func optionsInAnotherOrderAreTheItem() throws {
    for (name, items, chosen) in try Self.shortChoiceItems() {
      try #require(chosen.count >= 6, "\(name): \(chosen.count) items")
      let planted = Array(chosen.prefix(10))
      var plants: [Int: String] = [:]
      for (k, i) in planted.enumerated() {
        let count = items[i].parts.first { $0.name == BenchmarkItem.choicesPartName }!.text.split(separator: "\n").count
        // Reversed: no two options side by side as in the item (a rotation keeps most of the
        // item's order, and its n-grams find it without the rule).
        let order = Array((0..<count).reversed())
        plants[2 * k + 1] = k % 3 == 2 ? "Question: " + Self.prompt(items[i], order: order) + "\nAnswer:" : Self.prompt(items[i], order: order)
      }
      let fixture = try ShardFixture()
      defer { fixture.cleanup() }
      let path = try ScannerTests.shard(fixture, "\(name).jsonl.gz", plants: plants, documents: 24)
      let results = try scan(items, path, partsApart: true)
      for i in planted {
        #expect(results[i].verdict == .contaminated, "\(name) \(items[i].id): \(results[i].verdict) coverage \(results[i].coverage)")
      }
      let others = Set(items.indices).subtracting(planted)
      #expect(others.filter { results[$0].verdict != .clean && results[$0].verdict != .tooShort }.isEmpty, "\(name)")
      // Before the rule (certificates without it) these copies were not found, but for PIQA's,
      // whose two options often differ in a word (their n-grams hold in either order).
      let before = try scan(items, path, partsApart: true, choicesInAnyOrder: nil, questionWithAnswer: nil)
      #expect(planted.filter { before[$0].verdict != .contaminated }.count >= planted.count / 2, "\(name)")
    }
  }

  /// Multiple-choice items with an answer (ARC, SciQ, MMLU) whose correct option is one line of
  /// its own that no other option reads as once tokenized (`a in H => a^-1 in H` and
  /// `a,b in H=> a * b^-1 in H`: a copy of either gives no answer), and whose question's and
  /// answer's token counts (and answer) pass `keep`.
  static func questionsWithAnswers(
    _ keep: @escaping (_ question: Int, _ answer: Int, _ text: String) -> Bool
  ) throws -> [(name: String, items: [BenchmarkItem], chosen: [Int])] {
    let tokenizer = Tokenizer()
    return try [
      ("arc", "benchmarks/arc/ARC-Challenge-Test.jsonl"), ("sciq", "benchmarks/sciq/test.json"), ("mmlu", "benchmarks/mmlu/test"),
    ].map { name, path in
      let items = try HeadRunTests.load(name, path)
      let chosen = items.indices.filter { i in
        guard let question = items[i].parts.first(where: { $0.name == "question" }), let answer = items[i].answer?.value,
          let choices = items[i].parts.first(where: { $0.name == BenchmarkItem.choicesPartName })
        else { return false }
        let lines = choices.text.split(separator: "\n")
        let answerTokens = tokenizer.tokens(of: answer).map(\.hash)
        guard lines.filter({ $0 == Substring(answer) }).count == 1,
          lines.filter({ tokenizer.tokens(of: String($0)).map(\.hash) == answerTokens }).count == 1
        else { return false }
        return keep(tokenizer.tokens(of: question.text).count, answerTokens.count, answer)
      }
      return (name, items, chosen)
    }
  }

  /// Those whose question has 3 to 7 tokens (not found alone), and whose question and correct
  /// option have 8 tokens or more together.
  static func shortQuestionsWithAnswers() throws -> [(name: String, items: [BenchmarkItem], chosen: [Int])] {
    try questionsWithAnswers { question, answer, _ in (3..<8).contains(question) && question + answer >= 8 }
  }

  @Test func aShortQuestionWithItsCorrectOptionIsFlaggedAndWithAWrongOneIsNot() throws {
    for (name, items, chosen) in try Self.shortQuestionsWithAnswers() {
      try #require(chosen.count >= 6, "\(name): \(chosen.count) items")
      let planted = Array(chosen.prefix(12))
      var plants: [Int: String] = [:]
      var wrong: [Int] = []
      let tokenizer = Tokenizer()
      for (k, i) in planted.enumerated() {
        let question = items[i].parts.first { $0.name == "question" }!.text
        let answer = items[i].answer!.value
        let options = items[i].parts.first { $0.name == BenchmarkItem.choicesPartName }!.text.split(separator: "\n").map(String.init)
        let tokens = { (text: String) in tokenizer.tokens(of: text).count }
        if k % 4 == 3, let other = options.filter({ $0 != answer }).min(by: { tokens($0) < tokens($1) }),
          tokens(question) + tokens(other) < 13
        {
          // The question with another option (too short together for a 13-gram of the item):
          // not the item's answer, nothing of it found.
          plants[2 * k + 1] = "Question: \(question)\nAnswer: \(other)"
          wrong.append(i)
        } else {
          // The layouts lm-eval-harness and chat data give such items in: no other option.
          // (A line of its own: the shard's pages run on after the plant.)
          plants[2 * k + 1] = ["Q: \(question) A: \(answer)", "Question: \(question)\nAnswer: \(answer)\n", try Self.chatJSON(question, answer)][k % 3]
        }
      }
      let fixture = try ShardFixture()
      defer { fixture.cleanup() }
      let path = try ScannerTests.shard(fixture, "\(name)-answered.jsonl.gz", plants: plants, documents: 2 * planted.count + 2)
      let results = try scan(items, path, partsApart: true)
      let right = planted.filter { !wrong.contains($0) }
      var older = ScanConfiguration()
      older.contaminatedByExactAnswer = nil
      for (k, i) in planted.enumerated() where !wrong.contains(i) {
        let result = results[i]
        let question = result.parts.first { $0.part == "question" }!
        #expect(question.coverage == 1, "\(name) \(items[i].id)")
        // The question and its correct option, and none of the others, state its answer in
        // every layout (`Answer:` read as such, `A:` and a chat's reply by what they hold):
        // contaminated (not before that rule, on the item's coverage alone).
        #expect(result.verdict == .contaminated, "\(name) \(items[i].id) layout \(k % 3): \(result.verdict) \(String(describing: result.evidence.first?.answer))")
        #expect(result.evidence.first?.answer?.agreement == .same, "\(name) \(items[i].id) layout \(k % 3)")
        let before = older.verdict(
          tokens: result.tokens - result.boilerplateTokens - result.sharedTokens, coverage: result.coverage,
          exactAnswer: result.evidence.first?.answer?.agreement, questionCoverage: question.coverage)
        #expect(result.coverage >= 0.8 || before != .contaminated, "\(name) \(items[i].id): \(before)")
      }
      #expect(!wrong.isEmpty, "\(name)")
      for i in wrong { #expect(results[i].verdict == .clean, "\(name) \(items[i].id): \(results[i].verdict)") }
      let others = Set(items.indices).subtracting(planted)
      #expect(others.filter { results[$0].verdict != .clean && results[$0].verdict != .tooShort }.isEmpty, "\(name)")
      // Before the rule (certificates without it) these copies read clean: the question is too
      // short to count alone, and the other options are missing.
      let before = try scan(items, path, partsApart: true, questionWithAnswer: nil)
      #expect(right.filter { before[$0].verdict == .clean }.count >= right.count * 3 / 4, "\(name)")
    }
  }

  /// Those whose question has 13 to 19 tokens (found by its n-grams) and whose correct option
  /// has 1 or 2 tokens and at least 3 letters.
  static func longQuestionsWithShortAnswers() throws -> [(name: String, items: [BenchmarkItem], chosen: [Int])] {
    try questionsWithAnswers { question, answer, text in
      (13..<20).contains(question) && (1...2).contains(answer) && text.filter(\.isLetter).count >= 3
    }
  }

  @Test func aLongQuestionWithItsShortCorrectOptionStatesItsAnswer() throws {
    // A question found by its n-grams and a correct option too short for one (`energy`): the
    // option right after the copied question (within the layout gap) is the item's answer, so
    // the copy is contaminated whatever marks the reply. The question with all its options
    // (the correct one first, no answer marked) lists the answer but does not state it, and
    // with another option it states no answer of the item's.
    for (name, items, chosen) in try Self.longQuestionsWithShortAnswers() {
      try #require(chosen.count >= 8, "\(name): \(chosen.count) items")
      var plants: [Int: String] = [:]
      var answered: [Int] = []
      var listed: [Int] = []
      var wrong: [Int] = []
      for (k, i) in chosen.prefix(16).enumerated() {
        let question = items[i].parts.first { $0.name == "question" }!.text
        let answer = items[i].answer!.value
        let options = items[i].parts.first { $0.name == BenchmarkItem.choicesPartName }!.text.split(separator: "\n").map(String.init)
        switch k % 4 {
        case 0: plants[2 * k + 1] = "Q: \(question) A: \(answer)"
        case 1: plants[2 * k + 1] = try Self.chatJSON(question, answer)
        case 2:
          // The options as a list, the correct one first: nothing says which is right.
          plants[2 * k + 1] = question + "\n" + ([answer] + options.filter { $0 != answer }).joined(separator: "\n")
          listed.append(i)
          continue
        default:
          plants[2 * k + 1] = "User: \(question)\nAssistant: \(options.first { $0 != answer }!)"
          wrong.append(i)
          continue
        }
        answered.append(i)
      }
      let fixture = try ShardFixture()
      defer { fixture.cleanup() }
      let path = try ScannerTests.shard(fixture, "\(name)-long-answered.jsonl.gz", plants: plants, documents: 34)
      let results = try scan(items, path, partsApart: true)
      for i in answered {
        #expect(results[i].verdict == .contaminated, "\(name) \(items[i].id): \(results[i].verdict) \(String(describing: results[i].evidence.first?.answer))")
        #expect(results[i].evidence.first?.answer?.agreement == .same, "\(name) \(items[i].id)")
      }
      for i in listed + wrong {
        #expect(results[i].evidence.first?.answer?.agreement != .same, "\(name) \(items[i].id): \(String(describing: results[i].evidence.first?.answer))")
      }
      // Without the rule (certificates made before it, whose evidence must read as recorded) most
      // answered copies are partial (the question alone is found), and a wrong option's copy
      // reads as it does with the rule.
      let before = try scan(items, path, partsApart: true, correctOptionAlone: nil)
      #expect(answered.filter { before[$0].verdict == .contaminated }.count <= answered.count / 4, "\(name)")
      #expect(answered.allSatisfy { before[$0].evidence.first?.answer?.agreement != .same }, "\(name)")
      for i in wrong { #expect(results[i].verdict == before[i].verdict && results[i].verdict != .clean, "\(name) \(items[i].id): \(results[i].verdict)") }
    }
  }

  @Test func aSentenceWithItsBlankFilledIsTheItemAndItsTwinIsNot() throws {
    // Winogrande as lm-eval-harness gives it, and as its sentences are quoted: the blank filled
    // with an option. No n-gram of the item runs across the blank, and the sentence's other
    // n-grams are shared with its twin (the same sentence with one word changed), so without
    // the rule most such copies were partial. The twin, whose sentence differs by that word,
    // is not found by the copy, even where the blank could hold the word too.
    let items = try HeadRunTests.load("winogrande", "benchmarks/winogrande/dev.jsonl")
    // Items whose twin (the same id but for its last character) is in the fixture.
    let ids = Dictionary(items.indices.map { (items[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
    let paired = items.indices.filter { i in
      ItemIndex.blank(in: items[i].parts[0].text) != nil && ids[String(items[i].id.dropLast()) + (items[i].id.hasSuffix("1") ? "2" : "1")] != nil
    }
    try #require(paired.count >= 24, "\(paired.count) items with a twin")
    var plants: [Int: String] = [:]
    var planted: [Int] = []
    var twins: [Int] = []
    for (k, i) in paired.enumerated() where planted.count < 12 {
      let twin = ids[String(items[i].id.dropLast()) + (items[i].id.hasSuffix("1") ? "2" : "1")]!
      guard !planted.contains(twin) && !twins.contains(i) else { continue }
      let options = items[i].parts.first { $0.name == BenchmarkItem.choicesPartName }!.text.split(separator: "\n")
      // The correct option mostly, the other one in every third copy (a copy of the item too).
      let fill = k % 3 == 2 ? options.first { $0 != Substring(items[i].answer!.value) }! : Substring(items[i].answer!.value)
      plants[2 * planted.count + 1] = items[i].parts[0].text.replacingOccurrences(of: "_", with: String(fill))
      planted.append(i)
      twins.append(twin)
    }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "winogrande-filled.jsonl.gz", plants: plants, documents: 2 * planted.count + 2)
    let results = try scan(items, path, partsApart: true)
    for i in planted {
      #expect(results[i].verdict == .contaminated, "\(items[i].id): \(results[i].verdict) coverage \(results[i].coverage)")
    }
    for i in twins { #expect(results[i].verdict != .contaminated, "twin \(items[i].id): \(results[i].verdict)") }
    let others = Set(items.indices).subtracting(planted).subtracting(twins)
    #expect(others.filter { results[$0].verdict != .clean && results[$0].verdict != .tooShort }.isEmpty)
    // Without the rule (certificates made before it) most of these copies are not contaminated.
    let before = try scan(items, path, partsApart: true, blanksFilled: nil)
    #expect(planted.filter { before[$0].verdict == .contaminated }.count <= planted.count / 2, "\(planted.map { before[$0].verdict })")
    var older = ScanConfiguration()
    older.blanksFilled = nil
    #expect(older.weakenings().contains { $0.contains("blanks filled was off") }, "\(older.weakenings())")
  }

  @Test func aBlankFilledWithTheCorrectOptionStatesTheAnswer() throws {
    // SciQ's fill-in-the-blank questions (`… the sum of ________ of the individual cells.`): the
    // correct option in the blank is the question with its answer, contaminated and `same`;
    // another option there is the question with a wrong answer (never `same`).
    let items = try HeadRunTests.load("sciq", "benchmarks/sciq/test.json")
    let blanks = items.indices.filter { ItemIndex.blank(in: items[$0].parts[0].text) != nil }
    try #require(blanks.count >= 3, "\(blanks.count) SciQ fixture items with a blank")
    let (answered, misled, before) = try fillBlanks(items, blanks, "sciq", before: { (path: String) in try self.scan(items, path, partsApart: true, blanksFilled: nil) })
    for i in blanks {
      #expect(answered[i].verdict == .contaminated, "\(items[i].id): \(answered[i].verdict) \(answered[i].coverage)")
      #expect(answered[i].evidence.first?.answer?.agreement == .same, "\(items[i].id)")
      #expect(misled[i].evidence.first?.answer?.agreement != .same && misled[i].verdict != .contaminated, "\(items[i].id): \(misled[i].verdict)")
    }
    // Certificates before the rule: the sides apart are not matched, the answer not read.
    #expect(blanks.allSatisfy { before[$0].evidence.first?.answer?.agreement != .same })
  }

  @Test func aQuestionThatOpensWithItsBlankIsFoundFilled() throws {
    // MMLU questions whose blank is in their first 3 tokens (`______ is a widespread app's
    // coding mistake …`, `The ______ was a huge marketplace …`): too little before the blank
    // to key the question's side there, so they are keyed by their opening with each option in
    // the blank. Filled with the correct option: contaminated and `same`; with another: never
    // `same` (a long question copied whole is contaminated on its coverage either way).
    let items = try HeadRunTests.load("mmlu", "benchmarks/mmlu-blanks")
    let tokenizer = Tokenizer()
    let blanks = items.indices.filter { i in
      let question = items[i].parts[0].text
      guard let blank = ItemIndex.blank(in: question) else { return false }
      return tokenizer.tokens(of: String(decoding: Array(question.utf8)[..<blank], as: UTF8.self)).count < 3  // too few to key
    }
    let opening = blanks.filter { ItemIndex.blank(in: items[$0].parts[0].text) == 0 }
    try #require(blanks.count >= 10 && opening.count >= 3, "\(blanks.count) fixture items with a blank near their start, \(opening.count) at it")
    let (answered, misled, before) = try fillBlanks(items, blanks, "mmlu", before: { (path: String) in try self.scan(items, path, partsApart: true, blanksNearStart: nil) })
    for i in blanks {
      #expect(answered[i].verdict == .contaminated, "\(items[i].id): \(answered[i].verdict) \(answered[i].coverage)")
      #expect(answered[i].evidence.first?.answer?.agreement == .same, "\(items[i].id)")
      #expect(misled[i].evidence.first?.answer?.agreement != .same, "\(items[i].id): \(misled[i].verdict)")
    }
    // Certificates before the rule: the copies of the shorter questions are found only in part.
    let partBefore = blanks.filter { before[$0].verdict != .contaminated }
    #expect(partBefore.count >= blanks.count / 3, "\(partBefore.count) of \(blanks.count) not contaminated before the rule")
    var older = ScanConfiguration()
    older.blanksNearStart = nil
    #expect(older.weakenings().contains { $0.contains("blanks near the start was off") }, "\(older.weakenings())")
  }

  /// Scans of `items` with the questions of `blanks` planted with their blank filled: by the
  /// correct option (`answered`), by another option (`misled`), and the first with `before`'s
  /// scan (a rule off, as in older certificates).
  func fillBlanks(_ items: [BenchmarkItem], _ blanks: [Int], _ name: String, before: (String) throws -> [ItemResult]) throws
    -> (answered: [ItemResult], misled: [ItemResult], before: [ItemResult])
  {
    var plants: [Int: String] = [:]
    for (k, i) in blanks.enumerated() {
      let question = items[i].parts[0].text
      let blank = ItemIndex.blank(in: question)!
      let bytes = Array(question.utf8)
      var end = blank
      while end < bytes.count && bytes[end] == UInt8(ascii: "_") { end += 1 }
      let fill = { (text: String) in String(decoding: bytes[..<blank], as: UTF8.self) + text + String(decoding: bytes[end...], as: UTF8.self) }
      let options = items[i].parts.first { $0.name == BenchmarkItem.choicesPartName }!.text.split(separator: "\n").map(String.init)
      plants[4 * k + 1] = fill(items[i].answer!.value)
      plants[4 * k + 3] = fill(options.first { $0 != items[i].answer!.value }!)
    }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    // One shard per fill: the right answer, then the wrong one.
    let right = try ScannerTests.shard(fixture, "\(name)-right.jsonl.gz", plants: plants.filter { $0.key % 4 == 1 }, documents: 4 * blanks.count)
    let wrong = try ScannerTests.shard(fixture, "\(name)-wrong.jsonl.gz", plants: plants.filter { $0.key % 4 == 3 }, documents: 4 * blanks.count)
    return (try scan(items, right, partsApart: true), try scan(items, wrong, partsApart: true), try before(right))
  }

  @Test func aBlankIsARunOfUnderscoresStandingAsAWord() {
    #expect(ItemIndex.blank(in: "Sarah was a better surgeon than Maria so _ got the easier cases.") == 41)
    #expect(ItemIndex.blank(in: "The ____ of a cell holds its DNA.") == 4)
    #expect(ItemIndex.blank(in: "_ was late.") == 0)
    #expect(ItemIndex.blank(in: "He said \"_\".") != nil)
    #expect(ItemIndex.blank(in: "Call snake_case and __init__ here.") == nil, "underscores inside words")
    #expect(ItemIndex.blank(in: "Both _ and _ are blanks.") == nil, "two blanks")
    #expect(ItemIndex.blank(in: "No blank here.") == nil)
  }

  @Test func aCertificateWithoutTheQuestionAndAnswerRulesIsNamedWeaker() throws {
    var apart = ScanConfiguration()
    apart.questionWithAnswer = nil
    #expect(apart.weakenings().contains { $0.contains("question with answer was off") }, "\(apart.weakenings())")
    var alone = ScanConfiguration()
    alone.correctOptionAlone = nil
    #expect(alone.weakenings().contains { $0.contains("correct option alone was off") }, "\(alone.weakenings())")
    var exact = ScanConfiguration()
    exact.contaminatedByExactAnswer = nil
    #expect(exact.weakenings().contains { $0.contains("contaminated by exact answer was off") }, "\(exact.weakenings())")
    // The verdict rule itself: the whole question and the same answer; not a question covered
    // in part, another answer, or no answer read.
    let standard = ScanConfiguration()
    #expect(standard.verdict(tokens: 20, coverage: 0.4, exactAnswer: .same, questionCoverage: 1) == .contaminated)
    #expect(standard.verdict(tokens: 20, coverage: 0.4, exactAnswer: .same, questionCoverage: 0.95) == .partial)
    #expect(standard.verdict(tokens: 20, coverage: 0.4, exactAnswer: .different, questionCoverage: 1) == .perturbed)
    #expect(standard.verdict(tokens: 20, coverage: 0.4, exactAnswer: AnswerCheck.Agreement.none, questionCoverage: 1) == .partial)
    #expect(exact.verdict(tokens: 20, coverage: 0.4, exactAnswer: .same, questionCoverage: 1) == .partial)
  }

  @Test func optionsWithoutTheirQuestionOrOneMissingAreNotTheItem() throws {
    let (name, items, chosen) = try Self.shortChoiceItems()[0]
    let tokenizer = Tokenizer()
    var plants: [Int: String] = [:]
    var planted: [Int] = []
    for (k, i) in chosen.prefix(12).enumerated() {
      let question = items[i].parts.first { $0.name == "question" }!.text
      let options = items[i].parts.first { $0.name == BenchmarkItem.choicesPartName }!.text.split(separator: "\n").map(String.init)
      let sizes = options.map { tokenizer.tokens(of: $0).count }
      switch k % 3 {
      case 0: plants[2 * k + 1] = options.reversed().joined(separator: "\n")  // no question
      case 1:
        // The longest option left out, where it holds over a quarter of the item (else the rest
        // is most of the item, and the coverage rule says so).
        let longest = sizes.indices.max { sizes[$0] < sizes[$1] }!
        guard 4 * sizes[longest] > tokenizer.tokens(of: question).count + sizes.reduce(0, +) else { continue }
        plants[2 * k + 1] = ([question] + options.indices.filter { $0 != longest }.reversed().map { options[$0] }).joined(separator: "\n")
      default:
        // Another item's question before them.
        let other = items[chosen[(k + 5) % chosen.count]].parts.first { $0.name == "question" }!.text
        plants[2 * k + 1] = other + "\n" + options.reversed().joined(separator: "\n")
      }
      planted.append(i)
    }
    try #require(planted.count >= 8)
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try ScannerTests.shard(fixture, "\(name)-not.jsonl.gz", plants: plants, documents: 20)
    let results = try scan(items, path, partsApart: true)
    for i in planted {
      #expect(results[i].verdict != .contaminated, "\(name) \(items[i].id): \(results[i].verdict) coverage \(results[i].coverage) \(plants)")
    }
  }

  @Test func aCopyAcrossALongDocumentsSegmentCutIsFoundAsInAShortOne() throws {
    // A document over 1 MiB is matched in segments; they overlap by the longest exact match
    // (ItemIndex.matchReach), so a chat copy of a question and answer, or the first half of an
    // ARC item, that straddles the first cut is found as in a short document, near pass off.
    let (truthful, chosen) = try Self.shortPairs()
    let arc = try HeadRunTests.load("arc", "benchmarks/arc/ARC-Challenge-Test.jsonl")
    let tokenizer = Tokenizer()
    let half = try #require(arc.indices.first { (20..<25).contains(tokenizer.tokens(of: ItemIndex.text(of: arc[$0])).count) })
    let arcText = ItemIndex.text(of: arc[half])
    let halfCopy = HeadRunTests.prefix(arcText, tokens: (tokenizer.tokens(of: arcText).count + 1) / 2)
    // The pair with the most tokens, so that more than 13 of them lie before the cut.
    let pair = try #require(chosen.max { a, b in
      truthful[a].parts.reduce(0) { $0 + tokenizer.tokens(of: $1.text).count } < truthful[b].parts.reduce(0) { $0 + tokenizer.tokens(of: $1.text).count }
    })
    let chatCopy = try Self.chatJSON(truthful[pair].parts[0].text, truthful[pair].parts[1].text)
    // ASCII prose, so that characters and bytes count alike when placing the copy on the cut.
    let prose = String(String.UnicodeScalarView(try TestData.gutenberg("1342-0.txt.gz", bytes: 700_000).unicodeScalars.filter { $0.isASCII && $0 != "\r" }))
    // The cut (just past the first white space from 1 MiB on) falls before the copy's last
    // word, with more of the copy before it than an n-gram's length, which is all the
    // segments overlapped by before.
    func straddling(_ copy: String) -> String {
      let lastSpace = copy.utf8.lastIndex(of: 0x20).map { copy.utf8.distance(from: copy.utf8.startIndex, to: $0) } ?? 0
      let before = String((prose + prose).prefix(1_048_576 - 1 - lastSpace))
      return before + " " + copy + " " + String(prose.prefix(200_000))
    }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    var lines = Data()
    for (id, text) in [("chat", straddling(chatCopy)), ("half", straddling(halfCopy))] {
      lines += try JSONSerialization.data(withJSONObject: ["id": id, "text": text]) + Data("\n".utf8)
    }
    let long = try fixture.write("long.jsonl", lines)
    var short = Data()
    // The same words after the copy as in the long document (a run goes on as far as they match).
    let after = String(prose.prefix(2_000))
    for (id, text) in [("chat", "Some words. \(chatCopy) \(after)"), ("half", "Some words. \(halfCopy) \(after)")] {
      short += try JSONSerialization.data(withJSONObject: ["id": id, "text": text]) + Data("\n".utf8)
    }
    let brief = try fixture.write("short.jsonl", short)
    let truthfulLong = try scan(truthful, long, partsApart: true)
    let truthfulShort = try scan(truthful, brief, partsApart: true)
    #expect(truthfulShort[pair].verdict == .contaminated)
    #expect(truthfulLong[pair].verdict == truthfulShort[pair].verdict && truthfulLong[pair].coverage == truthfulShort[pair].coverage)
    let arcLong = try HeadRunTests().scan(arc, long, headRuns: true)
    let arcShort = try HeadRunTests().scan(arc, brief, headRuns: true)
    #expect(arcShort[half].verdict == .partial)
    #expect(arcLong[half].verdict == arcShort[half].verdict && arcLong[half].coverage == arcShort[half].coverage)
  }
}
