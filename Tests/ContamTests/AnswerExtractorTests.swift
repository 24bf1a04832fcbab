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

  @Test func normalization() {
    #expect(AnswerExtractor.normalize(" $1,234$ ") == "1234")
    #expect(AnswerExtractor.normalize("\\left( 3, \\dfrac{1}{2} \\right)") == "(3,\\frac{1}{2})")
    #expect(AnswerExtractor.normalize("90^\\circ") == "90")
    #expect(AnswerExtractor.normalize("\\text{(B)}") == "(B)")
  }
}
