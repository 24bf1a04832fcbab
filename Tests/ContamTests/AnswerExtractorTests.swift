import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("Answers: extraction and agreement")
struct AnswerExtractorTests {
  func check(_ expected: ItemAnswer, _ document: String, from start: Int = 0) -> AnswerCheck {
    var copy = document
    return copy.withUTF8 { AnswerExtractor.check(expected: expected, in: UnsafeRawBufferPointer($0), from: start) }
  }

  @Test func itemAnswersComeFromTheRealFormats() throws {
    let gsm = try BenchmarkLoader.load(name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!)
    #expect(gsm[0].answer == ItemAnswer(value: "18"))
    let math = try BenchmarkLoader.load(name: "math", path: TestData.path("benchmarks/math/test.jsonl.gz"), format: BenchmarkFormat.presets["math"]!)
    #expect(math[0].answer == ItemAnswer(value: "2"), "the last \\boxed{} of the solution")
    #expect(math.filter { $0.answer == nil }.count < 10, "nearly every MATH solution has a \\boxed{}")
    let mmlu = try BenchmarkLoader.load(name: "mmlu", path: TestData.path("benchmarks/mmlu/test"), format: BenchmarkFormat.presets["mmlu"]!)
    #expect(mmlu[0].answer == ItemAnswer(value: "4", choice: "B"))
    let arc = try BenchmarkLoader.load(name: "arc", path: TestData.path("benchmarks/arc/ARC-Challenge-Test.jsonl"), format: BenchmarkFormat.presets["arc"]!)
    #expect(arc.allSatisfy { $0.answer?.choice != nil })
    let perturbed = try BenchmarkLoader.load(
      name: "p", path: TestData.path("benchmarks/math_perturb/math_perturb_hard.jsonl"), format: BenchmarkFormat.presets["math-perturb"]!)
    #expect(perturbed.allSatisfy { $0.answer != nil })
  }

  @Test func boxedAnswersWithNestedBraces() {
    #expect(AnswerExtractor.lastBoxed(in: "so $\\boxed{3}$, then \\boxed{\\frac{1}{2}}.") == "\\frac{1}{2}")
    #expect(check(ItemAnswer(value: "\\frac{1}{2}"), "Thus $\\boxed{\\dfrac{1}{2}}$.").agreement == .same)
    #expect(check(ItemAnswer(value: "\\frac{1}{2}"), "Thus $\\boxed{\\frac{1}{3}}$.").agreement == .different)
  }

  @Test func gsmStyleAndPlainStatements() {
    #expect(check(ItemAnswer(value: "1,000"), "She earns 10 * 100 = 1000 dollars.\n#### 1000").agreement == .same)
    #expect(check(ItemAnswer(value: "18"), "The answer is 18.").agreement == .same)
    #expect(check(ItemAnswer(value: "18"), "Answer: 18.00").agreement == .same)
    #expect(check(ItemAnswer(value: "18"), "#### 21").found == "21")
    #expect(check(ItemAnswer(value: "18"), "#### 18 and the page goes on").agreement == .same)
    #expect(check(ItemAnswer(value: "18"), "No conclusion here.").agreement == .none)
    // Only what follows the match counts.
    #expect(check(ItemAnswer(value: "18"), "#### 18 and then the question", from: 8).agreement == .none)
    // Markdown links are read as their text, as tokens read them (a copy with linked words had
    // its answer read as the link target `](https://…)`: another answer).
    #expect(check(ItemAnswer(value: "22"), "per day.\n[####](https://example.org/wiki/complete_) 22").agreement == .same)
    #expect(check(ItemAnswer(value: "22"), "per day.\n#### [22](https://example.org/wiki/22)").agreement == .same)
    #expect(check(ItemAnswer(value: "22"), "The answer is [22](https://example.org/a-b).").agreement == .same)
    #expect(check(ItemAnswer(value: "22"), "#### [21](https://example.org/wiki/21)").found == "21")
    // A statement whose line was broken (a copy with its whitespace rewritten): the boxed value
    // in its paragraph, not the first number of a calculation.
    let rewrapped = "and   the\tfinal  answer \n is   $0   +   0  + \n 1 \n - \n \\frac{1}{4}  =\t\\boxed{\\frac{3}{4}}.$"
    #expect(check(ItemAnswer(value: "\\frac{3}{4}"), rewrapped).agreement == .same)
    #expect(check(ItemAnswer(value: "18"), "The answer is 5 + 13, which we add.").found == nil)
    // The next sentence glued to the value (a page's block tags stripped without a space): the
    // number; a unit or a variable after a number is not a sentence.
    #expect(check(ItemAnswer(value: "15"), "#### 15The morning was grey.").agreement == .same)
    #expect(check(ItemAnswer(value: "1,000"), "#### 1,000Natalia's friends").agreement == .same)
    #expect(check(ItemAnswer(value: "18"), "The answer is 18Next, the road.").agreement == .same)
    #expect(check(ItemAnswer(value: "16"), "#### 15The").found == "15")
    #expect(check(ItemAnswer(value: "15"), "#### 15x").found == "15x")
    #expect(check(ItemAnswer(value: "15"), "#### 15Km").found == "15Km")
    #expect(check(ItemAnswer(value: "15"), "#### 15Hz").found == "15Hz")
  }

  @Test func choiceLetters() {
    let b = ItemAnswer(value: "4", choice: "B")
    #expect(check(b, "Q ... A. 0 B. 4 C. 2 D. 6\nAnswer: B").agreement == .same)
    #expect(check(b, "The correct answer is (C).").agreement == .different)
    #expect(check(b, "No letter given.").agreement == .none)
    // The option's text instead of its letter (as in corpora-samples/PLANTED.md's ARC copy).
    let light = ItemAnswer(value: "Light energy is converted to chemical energy.", choice: "B")
    #expect(check(light, "Which step signals the beginning? Answer: light energy is converted to chemical energy. More.").agreement == .same)
    #expect(check(light, "Which step signals the beginning? Answer: Chemical energy is absorbed through the roots.").agreement == .different)
  }

  /// A real ARC item with its options in the copy's order and labels, and a stated answer.
  func arcCopy(options order: [Int], labels: (Int) -> String, stated: String) throws -> (item: BenchmarkItem, text: String) {
    let arc = try BenchmarkLoader.load(name: "arc", path: TestData.path("benchmarks/arc/ARC-Challenge-Test.jsonl"), format: BenchmarkFormat.presets["arc"]!)
    let item = try #require(arc.first { $0.parts[1].text.split(separator: "\n").count == 4 })
    let options = item.parts[1].text.split(separator: "\n").map(String.init)
    let lines = order.enumerated().map { "\(labels($0.offset))\(options[$0.element])" }
    return (item, item.parts[0].text + "\n" + lines.joined(separator: "\n") + "\n" + stated)
  }

  @Test func optionsInAnotherOrderAreReadThroughTheCopysLabels() throws {
    let letters = ["A", "B", "C", "D"]
    let (item, _) = try arcCopy(options: [0, 1, 2, 3], labels: { "\(letters[$0]). " }, stated: "")
    let answer = try #require(item.answer)
    let correct = try #require(letters.firstIndex(of: answer.choice!))
    // Options reversed: the correct option now has another letter.
    let moved = letters[3 - correct]
    for label in [{ "\(letters[$0]). " }, { "(\(letters[$0])) " }, { "\(letters[$0].lowercased())) " }, { "- \(letters[$0]). " }] as [(Int) -> String] {
      let right = try arcCopy(options: [3, 2, 1, 0], labels: label, stated: "Answer: \(moved)").text
      #expect(check(answer, right).agreement == .same, "\(right)")
      // The item's own letter now labels another option: that is another answer.
      let wrong = try arcCopy(options: [3, 2, 1, 0], labels: label, stated: "Answer: \(answer.choice!)").text
      #expect(check(answer, wrong).agreement == (moved == answer.choice! ? .same : .different), "\(wrong)")
    }
    // Options on one line, and a label alone on its line above its option.
    let oneLine = try arcCopy(options: [3, 2, 1, 0], labels: { "\(letters[$0]). " }, stated: "").text
    let joined = oneLine.split(separator: "\n").dropFirst().joined(separator: " ")
    #expect(check(answer, item.parts[0].text + "\n" + joined + "\nThe answer is (\(moved)).").agreement == .same)
    let broken = try arcCopy(options: [3, 2, 1, 0], labels: { "\(letters[$0]).\n" }, stated: "Answer: \(moved)").text
    #expect(check(answer, broken).agreement == .same, "\(broken)")
    // Roman labels give no letters: the stated letter is the item's. So for a block whose
    // labels the copy's markup broke (`C.**`), and for options that differ by a word only.
    let roman = try arcCopy(options: [0, 1, 2, 3], labels: { ["(i) ", "(ii) ", "(iii) ", "(iv) "][$0] }, stated: "Answer: \(answer.choice!)").text
    #expect(check(answer, roman).agreement == .same, "\(roman)")
    let scenarios = ItemAnswer(value: "Not wrong, Wrong", choice: "C")
    let copy = "Scenario 1 | I did it.\nA. Wrong,\nWrong\nB. Wrong, Not\nwrong\nC. Not\nwrong, Wrong\nD. Not wrong, Not wrong\nAnswer: C"
    #expect(check(scenarios, copy).agreement == .same)
  }

  @Test func layoutAroundTheStatedLetterIsNotPartOfIt() throws {
    let letters = ["A", "B", "C", "D"]
    let (item, _) = try arcCopy(options: [0, 1, 2, 3], labels: { "\(letters[$0]). " }, stated: "")
    let answer = try #require(item.answer)
    let letter = answer.choice!
    let greek: [String: String] = ["A": "\u{391}", "B": "\u{392}", "C": "\u{421}", "D": "D"]  // Greek Α, Β; Cyrillic С
    for stated in [
      "**Answer:** \(letter)", "Answer: <b>\(letter)</b></p>", "Answer:&nbsp;(\(letter))", "Answer: \(greek[letter]!)",
      "Answer: \(String(UnicodeScalar(0xFF21 + UInt32(letters.firstIndex(of: letter)!))!))",  // full-width
      "Answer:Â\u{A0}\(letter)",  // a no-break space misread as Windows-1252 (`Â` is no A)
    ] {
      let text = try arcCopy(options: [0, 1, 2, 3], labels: { "\(letters[$0]). " }, stated: stated).text
      #expect(check(answer, text).agreement == .same, "\(stated)")
    }
    // A lower-case letter without parentheses is a word, not an option.
    #expect(AnswerExtractor.statedChoice(in: "so the answer is a prime number") == nil)
    #expect(AnswerExtractor.statedChoice(in: "so the answer is (b).") == "B")
    #expect(AnswerExtractor.statedChoice(in: "and in answer I said nothing; the answer is I think clear") == nil)
    // Options that differ by a syllable: the one equal to the item's decides.
    let beef = ItemAnswer(value: "demand for beef is price elastic and spending is falling.", choice: "A")
    let shuffled = "A. demand for beef is price inelastic and spending is falling.\nB. demand for beef is price elastic and spending is falling.\nAnswer: B"
    #expect(check(beef, shuffled).agreement == .same)
    // A match that starts inside the first option still reads its label.
    #expect(check(beef, shuffled, from: 3).agreement == .same)
    // A calculation after "Answer:" is not the value; the #### line is.
    #expect(check(ItemAnswer(value: "-10"), "**Answer:** -48 + 21 + (-3) = -30\n-30/3 = -10 degrees\n#### -10").agreement == .same)
    // A JSON-escaped LaTeX command, and typographic dashes for minus signs.
    #expect(check(ItemAnswer(value: "75"), #"the hands are $\\boxed{75^\\circ}$ apart"#).agreement == .same)
    #expect(check(ItemAnswer(value: "8x^3-6x-1"), "so the polynomial is $\\boxed{8x^3 \u{2013} 6x \u{2212} 1}$.").agreement == .same)
    // Prose after "answer" that names none of the copy's options compares with nothing.
    let prose = try arcCopy(options: [0, 1, 2, 3], labels: { "\(letters[$0]). " }, stated: "").text
    #expect(check(answer, prose + "\nThe answer is something we will come back to in the next chapter of this book.").agreement == .none)
  }

  @Test func aLetterStatedForATextAnswerReadsTheOptionItLabels() throws {
    let sciq = try BenchmarkLoader.load(name: "sciq", path: TestData.path("benchmarks/sciq/test.json"), format: BenchmarkFormat.presets["sciq"]!)
    let item = try #require(sciq.first)
    let answer = try #require(item.answer)
    #expect(answer.choice == nil, "SciQ's answer is the correct option's text")
    let options = item.parts[1].text.split(separator: "\n").map(String.init)
    let correct = try #require(options.firstIndex(of: answer.value))
    let letters = ["A", "B", "C", "D"]
    let copy = item.parts[0].text + "\n" + options.enumerated().map { "\(letters[$0.offset])) \($0.element)" }.joined(separator: "\n")
    #expect(check(answer, copy + "\nAnswer: (\(letters[correct]))").agreement == .same)
    #expect(check(answer, copy + "\nAnswer: \(letters[(correct + 1) % 4])").agreement == .different)
    // A letter the copy labels no option with says nothing.
    let unlabelled = item.parts[0].text + "\n" + options.joined(separator: "\n")
    #expect(check(answer, unlabelled + "\nAnswer: \(letters[(correct + 1) % 4])").agreement == .none)
  }

  /// How pages write the answer after a copy: a copy that is not verbatim and states the item's
  /// answer in one of these forms must not read `different` (that makes it `perturbed`, which
  /// the default `--fail-on` passes).
  @Test func answersWrittenWithMarksOrInFullAgreeWithTheItem() throws {
    let sciq = try BenchmarkLoader.load(name: "sciq", path: TestData.path("benchmarks/sciq/test.json"), format: BenchmarkFormat.presets["sciq"]!)
    let arc = try BenchmarkLoader.load(name: "arc", path: TestData.path("benchmarks/arc/ARC-Challenge-Test.jsonl"), format: BenchmarkFormat.presets["arc"]!)
    let letters = ["A", "B", "C", "D", "E"]
    var checked = 0
    for item in Array(sciq.prefix(12)) + Array(arc.prefix(12)) {
      let answer = try #require(item.answer)
      let options = item.parts[1].text.split(separator: "\n").map(String.init)
      func comparable(_ text: String) -> String { text.lowercased().filter { $0.isLetter || $0.isNumber } }
      guard let correct = options.firstIndex(where: { comparable($0) == comparable(answer.value) }) else { continue }
      let wrong = (correct + 1) % options.count
      let copy = item.parts[0].text + "\n" + options.enumerated().map { "\(letters[$0.offset]). \($0.element)" }.joined(separator: "\n")
      for style in ["Answer: [X]", "Answer: Option X", "Answer: X \u{2713}", "Answer: **X**", "Answer: X. T", "Answer: X) T"] {
        func stated(_ k: Int) -> String {
          style.replacingOccurrences(of: "X", with: letters[k]).replacingOccurrences(of: "T", with: options[k])
        }
        #expect(check(answer, copy + "\n" + stated(correct)).agreement == .same, "\(item.id): \(stated(correct))")
        #expect(check(answer, copy + "\n" + stated(wrong)).agreement == .different, "\(item.id): \(stated(wrong))")
      }
      checked += 1
    }
    #expect(checked >= 16, "most fixture items list their answer among the options")
    // A text answer of four words or more (SciQ has a dozen), stated in full and followed by
    // more of the sentence: the answer; another option stated so: another answer.
    for text in ["forming of reproductive cells", "the inner core of Earth", "a change in the environment"] {
      let answer = ItemAnswer(value: text)
      #expect(check(answer, "Which is it?\nAnswer: \(text.capitalized) is the right one.").agreement == .same, "\(text)")
      #expect(check(answer, "Which is it?\nThe answer is \(text), as the chapter says").agreement == .same, "\(text)")
      #expect(check(answer, "Which is it?\nAnswer: forming of digestive cells").agreement == .different, "\(text)")
      #expect(check(answer, "Which is it?\nAnswer: \(text.split(separator: " ").dropLast().joined(separator: " "))").agreement == .different,
        "the answer without its last word is another")
    }
  }

  @Test func anyValueTheSolutionBoxesIsTheItemsAnswer() throws {
    // MATH solutions that box two values (`the answers are $\boxed{-2}$ and $\boxed{1}$`,
    // `$\boxed{12x - 34}$, or $\boxed{-34 + 12x}$`): a verbatim copy states the first, which is
    // the item's answer as much as the last.
    let math = try BenchmarkLoader.load(name: "math", path: TestData.path("benchmarks/math/test.jsonl.gz"), format: BenchmarkFormat.presets["math"]!)
    let several = math.filter { !($0.answer?.alternatives.isEmpty ?? true) }
    #expect(several.count >= 3, "some fixture solutions box more than one value")
    for item in several {
      let answer = try #require(item.answer)
      let solution = item.parts[1].text
      #expect(AnswerExtractor.allBoxed(in: solution).last == answer.value)
      #expect(!answer.alternatives.contains(answer.value))
      let copy = item.parts[0].text + "\n\n" + solution
      #expect(check(answer, copy).agreement == .same, "\(item.id): a verbatim copy")
      // The same copy with its first boxed value changed states another answer.
      let first = try #require(AnswerExtractor.allBoxed(in: solution).first)
      let changed = copy.replacingOccurrences(of: "\\boxed{\(first)}", with: "\\boxed{\(first)7}")
      #expect(check(answer, changed).agreement == .different, "\(item.id): its first value changed")
    }
    // Only a MATH-style rule gives alternatives; read back from the benchmark cache, they are there.
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("contam-alternatives-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let cache = IndexCache(directory: directory, build: "tests")
    let request = [(name: "math", path: TestData.path("benchmarks/math/test.jsonl.gz"), format: BenchmarkFormat.presets["math"]!)]
    _ = try cache.loadBenchmarksReportingCache(request, jobs: 1)
    let (again, fromCache) = try cache.loadBenchmarksReportingCache(request, jobs: 1)
    #expect(fromCache)
    #expect(again[0].items.map(\.answer) == math.map(\.answer))
  }

  @Test func lowerCaseLettersStatedAloneAreOptions() throws {
    #expect(AnswerExtractor.statedChoice(in: "Answer: b\n") == "B")
    #expect(AnswerExtractor.statedChoice(in: "Answer: c.") == "C")
    #expect(AnswerExtractor.statedChoice(in: "**Answer:** (b)") == "B", "the letter, not the A of Answer")
    #expect(AnswerExtractor.statedChoice(in: "the answer is a.\n") == nil, "after `is`, a lower-case letter is a word")
    #expect(AnswerExtractor.statedChoice(in: "Answer: a quick look shows") == nil)
    // As chat, instruction and translated data write it (each read as no answer before).
    #expect(AnswerExtractor.statedChoice(in: "<answer>D</answer>") == "D")
    #expect(AnswerExtractor.statedChoice(in: "<answer> (b) </answer>") == "B")
    #expect(AnswerExtractor.statedChoice(in: "Answer: `C`") == "C")
    #expect(AnswerExtractor.statedChoice(in: "答案：B") == "B")
    #expect(AnswerExtractor.statedChoice(in: "Answer - B") == "B")
    #expect(AnswerExtractor.statedChoice(in: "Correct option: B\n") == "B")
    #expect(AnswerExtractor.statedChoice(in: "the answer - A good one - is long") == nil)
    #expect(AnswerExtractor.statedChoice(in: "<answer>the cell</answer>") == nil)
    // Superscript letters have no capitals: `ᵃⁿˢʷᵉʳ: ᵈ` after options labelled `ᵃ.` … `ᵈ.`.
    let superscript: [Character: String] = Dictionary(uniqueKeysWithValues: zip("abcdefghijklmnoprstuvwxyz", "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ".map(String.init)))
    func raised(_ text: String) -> String { text.map { superscript[Character($0.lowercased())] ?? String($0) }.joined() }
    let sciq = try BenchmarkLoader.load(name: "sciq", path: TestData.path("benchmarks/sciq/test.json"), format: BenchmarkFormat.presets["sciq"]!)
    let arc = try BenchmarkLoader.load(name: "arc", path: TestData.path("benchmarks/arc/ARC-Challenge-Test.jsonl"), format: BenchmarkFormat.presets["arc"]!)
    for item in [sciq[0], sciq[1], arc[0], arc[1]] {
      let answer = try #require(item.answer)
      let options = item.parts[1].text.split(separator: "\n").map(String.init)
      func letters(_ text: String) -> String { text.lowercased().filter { $0.isLetter || $0.isNumber } }
      let correct = try #require(options.firstIndex { letters($0) == letters(answer.value) })
      let labels = ["a", "b", "c", "d", "e"]
      let body = item.parts[0].text + "\n" + options.enumerated().map { "\(labels[$0.offset]). \($0.element)" }.joined(separator: "\n")
      #expect(check(answer, raised(body + "\nAnswer: " + labels[correct])).agreement == .same, "\(item.id)")
      #expect(check(answer, raised(body + "\nAnswer: " + labels[(correct + 1) % options.count])).agreement == .different, "\(item.id)")
    }
  }

  @Test func aSolutionWrittenAfterAnswerIsNotTheValue() throws {
    let gsm = try BenchmarkLoader.load(name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!)
    let item = gsm[0]
    let answer = try #require(item.answer)
    // The Q/A layout: the whole solution after "Answer:", its value after ####.
    let qa = "Question: \(item.parts[0].text)\nAnswer: \(item.parts[1].text)"
    #expect(check(answer, qa).agreement == .same, "\(check(answer, qa))")
    #expect(check(answer, "\(item.parts[0].text)\nSo the answer is \(answer.value) since the rest is sold at the market.").agreement == .same)
    // A JSON chat record kept as text: the closing quote and brackets are not the value.
    #expect(check(answer, "{\"messages\": [{\"content\": \"#### \(answer.value)\"}]}").agreement == .same)
    // The same record kept as a string inside another record (its quotes escaped once or
    // twice), and a CSV row: the record's syntax after the value is not the value. Each read as
    // another answer before, so a copy a little short of whole coverage read `perturbed`.
    let record = "{\"role\": \"assistant\", \"content\": \"#### \(answer.value)\"}"
    for layer in [1, 2] {
      var text = record
      for _ in 0..<layer { text = String(decoding: try JSONSerialization.data(withJSONObject: ["payload": text]), as: UTF8.self) }
      #expect(check(answer, text).agreement == .same, "\(text)")
      #expect(check(ItemAnswer(value: "17"), text).agreement == .different, "\(text)")
    }
    #expect(check(answer, "\"\(item.parts[0].text)\n#### \(answer.value)\",train,3").agreement == .same)
    #expect(check(answer, "Answer: \"\(answer.value)\"").agreement == .same)
    // Markup right after the value, as chat data, markdown and TeX pages write it: a model's
    // special token, a closing tag, emphasis and code marks, a TeX line break.
    let solution = item.parts[1].text.components(separatedBy: "####")[0]
    for after in ["<|im_end|>", "<|endoftext|>", "</answer>", "</s>", "<br>", "**", "`", "*", "\\\\"] {
      let text = item.parts[0].text + "\n" + solution + "#### \(answer.value)\(after)\nMore text."
      #expect(check(answer, text).agreement == .same, "#### \(answer.value)\(after)")
      #expect(check(ItemAnswer(value: "17"), text).agreement == .different, "#### \(answer.value)\(after)")
    }
    #expect(check(answer, "Answer: **\(answer.value)**").agreement == .same)
    // Minerva's format (and models' trained on it): the value is in the second statement.
    let minerva = item.parts[0].text + "\n" + solution + "Final Answer: The final answer is $\(answer.value)$. I hope it is correct."
    #expect(check(answer, minerva).agreement == .same, "\(minerva.suffix(80))")
    #expect(check(ItemAnswer(value: "17"), minerva).agreement == .different)
    // A solution written as a program (program-of-thought data), and a test of one.
    let program = "# \(item.parts[0].text)\neggs = 16 - 3 - 4\nanswer = \(answer.value)\nprint(answer)"
    #expect(check(answer, program).agreement == .same)
    #expect(check(ItemAnswer(value: "17"), program).agreement == .different)
    #expect(check(answer, "# \(item.parts[0].text)\nanswer = eggs * 2\nprint(answer)").agreement == .none)
    #expect(check(answer, "# \(item.parts[0].text)\nassert answer == 17").agreement == .none)
    // An answer tag.
    #expect(check(answer, "\(item.parts[0].text)\n<answer>\(answer.value)</answer>").agreement == .same)
    #expect(check(ItemAnswer(value: "17"), "\(item.parts[0].text)\n<answer> \(answer.value) </answer>").agreement == .different)
    #expect(check(answer, "`#### \(answer.value)`").agreement == .same)
    #expect(AnswerExtractor.normalize("\\boxed{\\frac{1}{2}}") == "\\frac{1}{2}")
    #expect(check(ItemAnswer(value: "1599 \\text{ dollars}"), #"earn $\\boxed{1599 \\text{ dollars}}$ more"#).agreement == .same)
    // An answer stated far past the match (another item's, an unrelated page) is not read.
    let far = item.parts[0].text + String(repeating: " filler", count: 1_000) + " #### 987654"
    var copy = far
    let checked = copy.withUTF8 {
      AnswerExtractor.check(expected: answer, in: UnsafeRawBufferPointer($0), from: 0, to: item.parts[0].text.utf8.count)
    }
    #expect(checked.agreement == .none)
  }

  /// Options numbered instead of lettered (`1.` … `4.`, `(i)` … `(iv)`) and the answer stated as
  /// a number: the option in that place of the copy. It read as another answer (10 of 24 near
  /// copies of MMLU, ARC and SciQ items `perturbed`), for a letter answer and a text answer.
  @Test func aNumberStatedForNumberedOptionsIsThatOption() throws {
    let arc = try BenchmarkLoader.load(name: "arc", path: TestData.path("benchmarks/arc/ARC-Challenge-Test.jsonl"), format: BenchmarkFormat.presets["arc"]!)
    let mmlu = try BenchmarkLoader.load(name: "mmlu", path: TestData.path("benchmarks/mmlu/test"), format: BenchmarkFormat.presets["mmlu"]!)
    let roman = ["i", "ii", "iii", "iv", "v"]
    var checked = 0
    let sciq = try BenchmarkLoader.load(name: "sciq", path: TestData.path("benchmarks/sciq/test.json"), format: BenchmarkFormat.presets["sciq"]!)
    for item in Array(arc.prefix(8)) + Array(mmlu.prefix(8)) + Array(sciq.prefix(8)) {
      let answer = try #require(item.answer)
      let options = item.parts[1].text.split(separator: "\n").map(String.init)
      guard let correct = options.firstIndex(where: { $0 == answer.value }), options.count >= 3 else { continue }
      let wrong = (correct + 1) % options.count
      // The options reversed, so the place differs from the item's letter.
      let order = Array(options.indices.reversed())
      let place = { (k: Int) in order.firstIndex(of: k)! }
      for (label, stated) in [
        ({ (k: Int) in "\(k + 1). " }, { (k: Int) in "Answer: \(k + 1)" }), ({ "(\($0 + 1)) " }, { "Answer: (\($0 + 1))" }),
        ({ "\($0 + 1)) " }, { "Answer: \($0 + 1). \(options[order[$0]])" }), ({ "(\(roman[$0])) " }, { "Answer: (\(roman[$0]))" }),
        ({ "\(roman[$0]). " }, { "The answer is Option \($0 + 1)" }),
      ] as [((Int) -> String, (Int) -> String)] {
        let copy = item.parts[0].text + "\n" + order.enumerated().map { label($0.offset) + options[$0.element] }.joined(separator: "\n")
        #expect(check(answer, copy + "\n" + stated(place(correct))).agreement == .same, "\(item.id): \(copy.suffix(300))\n\(stated(place(correct)))")
        #expect(check(answer, copy + "\n" + stated(place(wrong))).agreement == .different, "\(item.id): \(stated(place(wrong)))")
      }
      // Lettered options and a number that is no option's text: nothing to compare (for a letter
      // answer; a text answer compares it as a value, as before).
      let lettered = item.parts[0].text + "\n" + options.enumerated().map { "\(["A", "B", "C", "D", "E"][$0.offset]). \($0.element)" }.joined(separator: "\n")
      if answer.choice != nil, !options.contains(where: { $0.trimmingCharacters(in: .whitespaces) == "\(wrong + 1)" }) {
        #expect(check(answer, lettered + "\nAnswer: \(wrong + 1)").agreement == .none, "\(item.id)")
      }
      checked += 1
    }
    #expect(checked >= 18, "ARC and MMLU (a letter answer), SciQ (a text answer)")
    // A number with more after it than a label's mark is no option's number.
    let item = try #require(arc.first)
    let answer = try #require(item.answer)
    let options = item.parts[1].text.split(separator: "\n").map(String.init)
    let numbered = item.parts[0].text + "\n" + options.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n")
    for stated in ["Answer: 2 apples and more", "Answer: 2.5", "Answer: vi is an editor"] {
      #expect(check(answer, numbered + "\n" + stated).agreement == .none, "\(stated)")
    }
  }

  /// A number written with its thousands set apart (`$1,800.00`, `1 800`, `1.800`) is its value;
  /// `$1,800` was read as `$1` (cut at the comma), so a near copy of a GSM8K item ending so
  /// read `perturbed` (12 of 12 planted).
  @Test func thousandsSetApartAreOneNumber() throws {
    let gsm = try BenchmarkLoader.load(name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!)
    let large = gsm.filter { Int($0.answer?.value ?? "").map { $0 >= 1000 } ?? false }
    #expect(large.count >= 3, "fixture GSM8K items with answers of 1,000 or more")
    for item in large.prefix(6) {
      let answer = try #require(item.answer)
      let value = try #require(Int(answer.value))
      let grouped = value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
      for stated in ["Answer: $\(grouped).00", "**Answer:** $\(grouped)", "Answer: \(grouped.replacingOccurrences(of: ",", with: " "))",
        "Answer: \(grouped.replacingOccurrences(of: ",", with: "."))", "The answer is \(grouped), as computed."]
      {
        #expect(check(answer, item.parts[0].text + "\n" + stated).agreement == .same, "\(item.id): \(stated)")
        let other = stated.replacingOccurrences(of: String(grouped.prefix(1)), with: grouped.hasPrefix("9") ? "8" : "9")
        #expect(check(answer, item.parts[0].text + "\n" + other).agreement == .different, "\(item.id): \(other)")
      }
    }
    // A comma that sets apart no thousands still ends the value.
    #expect(check(ItemAnswer(value: "18"), "The answer is 18, since she sells the rest.").agreement == .same)
    #expect(check(ItemAnswer(value: "18"), "Answer: 18,5 more than before").agreement == .same)
  }

  /// A value in TeX's inline or display delimiters (`Answer: \(18\)`, as chat models and MathJax
  /// pages write it) is the value: it read as another answer, so a near copy of a GSM8K or MATH
  /// item that ended so read `perturbed`.
  @Test func aValueInTeXDelimitersIsTheValue() throws {
    let gsm = try BenchmarkLoader.load(name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!)
    let math = try BenchmarkLoader.load(name: "math", path: TestData.path("benchmarks/math/test.jsonl.gz"), format: BenchmarkFormat.presets["math"]!)
    var checked = 0
    for item in Array(gsm.prefix(5)) + Array(math.prefix(5)) {
      let answer = try #require(item.answer)
      for (open, close) in [("\\(", "\\)"), ("\\[", "\\]"), ("$$", "$$")] {
        let stated = item.parts[0].text + "\nAnswer: \(open)\(answer.value)\(close)"
        #expect(check(answer, stated).agreement == .same, "\(item.id): \(stated.suffix(40))")
        let other = item.parts[0].text + "\nAnswer: \(open)\(answer.value)7\(close)"
        #expect(check(answer, other).agreement == .different, "\(item.id): \(other.suffix(40))")
        // JSON-escaped once more, as a chat record kept as text has it.
        let escaped = item.parts[0].text + "\nAnswer: \(open.replacingOccurrences(of: "\\", with: "\\\\"))\(answer.value)\(close.replacingOccurrences(of: "\\", with: "\\\\"))"
        #expect(check(answer, escaped).agreement == .same, "\(item.id): \(escaped.suffix(40))")
      }
      checked += 1
    }
    #expect(checked == 10)
  }

  /// Math rendered on a page (`1/4`, `432√2`, `45°`) states the answer its TeX does; a near copy
  /// of a MATH item that ends so read `perturbed` (27 of 30 planted copies).
  @Test func renderedMathIsTheTeXItRenders() throws {
    for (tex, rendered) in [
      ("\\frac{1}{4}", "1/4"), ("-\\frac{7}{9}", "-7/9"), ("-\\frac{7}{9}", "\u{2212}7/9"), ("432\\sqrt{2}", "432√2"), ("45^\\circ", "45°"),
      ("\\frac{\\sqrt{7}}{2}", "√7/2"), ("(\\frac{1}{2},\\frac{\\sqrt{7}}{2})", "(1/2,√7/2)"), ("\\frac12", "1/2"), ("\\frac{1}{4}", "0.25"),
      ("\\frac{1}{2-x}", "1/(2-x)"), ("3\\pi", "3π"), ("x^{2}+1", "x²+1"), ("2\\cdot3^{4}", "2×3^4"), ("\\dfrac{25}{3}", "25/3"),
    ] {
      #expect(AnswerExtractor.equivalent(AnswerExtractor.normalize(tex), AnswerExtractor.normalize(rendered)), "\(tex) \(rendered)")
    }
    for (tex, other) in [
      ("\\frac{1}{4}", "1/5"), ("2(3)", "23"), ("\\frac{1}{3}", "0.333"), ("\\sqrt{2}/2", "√(2/2)"), ("\\frac{1}{2-x}", "1/2-x"),
      ("432\\sqrt{2}", "432√3"), ("x^{2}+1", "x^3+1"), ("\\frac{2}{3}", "3/2"),
    ] {
      #expect(!AnswerExtractor.equivalent(AnswerExtractor.normalize(tex), AnswerExtractor.normalize(other)), "\(tex) \(other)")
    }
    // Fixture MATH items whose answer is a fraction of numbers: a copy stating it rendered, or
    // in `$…$` after "the answer is" (a value of several words of math).
    let math = try BenchmarkLoader.load(name: "math", path: TestData.path("benchmarks/math/test.jsonl.gz"), format: BenchmarkFormat.presets["math"]!)
    var checked = 0
    for item in math {
      let answer = try #require(item.answer)
      guard let match = answer.value.firstMatch(of: /^(-?)\\[dt]?frac\{(\d+)\}\{(\d+)\}$/) else { continue }
      let rendered = "\(match.1)\(match.2)/\(match.3)"
      #expect(check(answer, item.parts[0].text + "\nAnswer: \(rendered)").agreement == .same, "\(item.id) \(rendered)")
      #expect(check(answer, item.parts[0].text + "\nAnswer: \(match.1)\(match.2)/\(Int(match.3)! + 1)").agreement == .different, "\(item.id)")
      #expect(check(answer, item.parts[0].text + "\nThe answer is $\\frac {\(match.2)} {\(match.3)}$ (\(rendered)).").agreement
        == (match.1.isEmpty ? .same : .different), "\(item.id)")
      checked += 1
    }
    #expect(checked >= 3, "the fixture has fractions for answers")
    #expect(check(ItemAnswer(value: "2\\sqrt{5}"), "so the answer is $2 \\sqrt{5}$.").agreement == .same)
    #expect(check(ItemAnswer(value: "2\\sqrt{5}"), "Answer: 2 √5").agreement == .same)
    #expect(check(ItemAnswer(value: "2\\sqrt{5}"), "Answer: 2 √6").agreement == .different)
    #expect(check(ItemAnswer(value: "-\\frac{1}{2}"), "the least value is $\\boxed{-\\frac12}$").agreement == .same, "TeX's short form")
    // Money after "answer is" is no math span: `$18 and $20` is the value 18.
    #expect(check(ItemAnswer(value: "18"), "The answer is $18 and $20 is what she keeps.").agreement == .same)
  }

  /// A copy that spells out its numbers states the item's answer in words: the same answer.
  @Test func numbersWrittenInWordsAreTheirValues() {
    for (digits, words) in [
      ("18", "eighteen"), ("21", "twenty-one"), ("21", "Twenty-One"), ("105", "onehundredfive"), ("105", "onehundredandfive"),
      ("3000", "threethousand"), ("1250", "onethousandtwohundredfifty"), ("0", "zero"), ("70", "seventy"), ("17", "seventeen"),
    ] {
      #expect(AnswerExtractor.equivalent(digits, words) && AnswerExtractor.equivalent(words, digits), "\(digits) \(words)")
    }
    for (digits, words) in [("18", "eight"), ("17", "seventy"), ("1", "none"), ("5", "fives"), ("12", "twelvee"), ("2", "and")] {
      #expect(!AnswerExtractor.equivalent(digits, words), "\(digits) \(words)")
    }
    let copy = "Natalia sold clips to forty-eight of her friends.\nShe sold forty-eight + twenty-four = seventy-two clips.\n#### seventy-two"
    let check = copy.utf8.withContiguousStorageIfAvailable {
      AnswerExtractor.check(expected: ItemAnswer(value: "72"), in: UnsafeRawBufferPointer($0), from: 0)
    }
    #expect(check?.agreement == .same, "\(String(describing: check))")
  }

  @Test func anAnswerChanceRarelyGivesIsDistinctive() throws {
    let arc = try BenchmarkLoader.load(name: "arc", path: TestData.path("benchmarks/arc/ARC-Challenge-Test.jsonl"), format: BenchmarkFormat.presets["arc"]!)
    let letters = ["A", "B", "C", "D", "E"]
    var checked = 0
    for item in arc.prefix(10) {
      let answer = try #require(item.answer)
      let letter = try #require(answer.choice)
      let options = item.parts[1].text.split(separator: "\n").map(String.init)
      guard let correct = options.firstIndex(of: answer.value) else { continue }
      let listed = item.parts[0].text + "\n" + options.enumerated().map { "\(letters[$0.offset]). \($0.element)" }.joined(separator: "\n")
      // Through the copy's options: the letter labels the right text, so it is not one in four.
      #expect(check(answer, listed + "\nAnswer: \(letters[correct])").distinctive == true, "\(item.id)")
      #expect(check(answer, listed + "\nAnswer: \(answer.value)").distinctive == true, "\(item.id): the option's text")
      // A letter alone, after the question without its options: the same letter, by chance one in four.
      let bare = check(answer, item.parts[0].text + "\nAnswer: \(letter)")
      #expect(bare.agreement == .same && bare.distinctive == nil, "\(item.id): \(bare)")
      // Another option: not the item's answer, so nothing distinctive about it.
      #expect(check(answer, listed + "\nAnswer: \(letters[(correct + 1) % options.count])").distinctive == nil)
      checked += 1
    }
    #expect(checked >= 8)
    // Values: three letters or digits or more, as math renders them.
    for (value, distinctive) in [("455", true), ("mitosis", true), ("(\\frac{1}{2}, \\frac{\\sqrt{7}}{2})", true), ("28", false), ("\\frac{1}{4}", false), ("x", false)] {
      let stated = check(ItemAnswer(value: value), "Find it.\nThe answer is $\(value)$.")
      #expect(stated.agreement == .same, "\(value)")
      #expect((stated.distinctive == true) == distinctive, "\(value): \(stated)")
    }
  }

  @Test func aCitationMarkAfterTheAnswerIsNotPartOfIt() throws {
    let arc = try BenchmarkLoader.load(name: "arc", path: TestData.path("benchmarks/arc/ARC-Challenge-Test.jsonl"), format: BenchmarkFormat.presets["arc"]!)
    let item = arc[0]
    let answer = try #require(item.answer)
    let letter = try #require(answer.choice)
    #expect(check(answer, item.parts[0].text + "\nAnswer: \(letter)[13]").agreement == .same)
    #expect(check(answer, item.parts[0].text + "\nThe answer is \(letter).[2][3] Next").agreement == .same)
    for (value, stated) in [("18", "#### 18[4]"), ("18", "The answer is 18.[4]"), ("mitosis", "Answer: mitosis[12], as the chapter says"), ("\\frac{1}{4}", "The answer is $\\frac{1}{4}$.[7]")] {
      #expect(check(ItemAnswer(value: value), "Find it.\n" + stated).agreement == .same, "\(stated)")
    }
    #expect(check(ItemAnswer(value: "18"), "Find it.\nThe answer is 19.[4]").agreement == .different)
    // A wiki's reference mark between `Answer:` and the letter (it read as the text `[7] C`).
    #expect(check(answer, item.parts[0].text + "\nAnswer:[7] \(letter)").agreement == .same)
  }

  @Test func normalization() {
    #expect(AnswerExtractor.normalize(" $1,234$ ") == "1234")
    #expect(AnswerExtractor.normalize("\\left( 3, \\dfrac{1}{2} \\right)") == "(3,\\frac{1}{2})")
    #expect(AnswerExtractor.normalize("90^\\circ") == "90")
    #expect(AnswerExtractor.normalize("\\text{(B)}") == "(B)")
  }
}
