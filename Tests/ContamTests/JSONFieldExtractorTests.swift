@_spi(Testing) import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("JSON field extraction")
struct JSONFieldExtractorTests {
  func extract(_ line: String, _ path: String = "text") throws -> JSONFieldExtractor.Outcome {
    var extractor = JSONFieldExtractor(path: try FieldPath(path))
    var copy = line
    return copy.withUTF8 { extractor.extract(UnsafeRawBufferPointer($0)) }
  }

  @Test func deepNestingNeitherCrashesNorRecurses() throws {
    let deep = "{\"a\": " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + ", \"text\": \"ok\"}"
    guard case .found(.string) = try extract(deep) else {
      Issue.record("expected the text after a 10,000-deep array")
      return
    }
    let unbalanced = "{\"text\": \"x\", \"a\": " + String(repeating: "{\"b\": ", count: 10_000) + "1"
    guard case .notJSON = try extract(unbalanced) else {
      Issue.record("an unclosed 10,000-deep object is not JSON")
      return
    }
  }

  @Test func keysWithEscapesMatch() throws {
    guard case .found(.string) = try extract(#"{"te\u0078t": "escaped key"}"#) else {
      Issue.record("\\u0078 is x")
      return
    }
  }

  @Test(arguments: [
    #"{"text": "a",}"#, #"{"text" "a"}"#, #"{"text": tru}"#, #"{"text": "a"} {"#, #"{text: "a"}"#, "{",
  ])
  func malformedLinesAreNotJSON(line: String) throws {
    guard case .notJSON = try extract(line) else {
      Issue.record("\(line) should not parse")
      return
    }
  }

  @Test func realRecordsFromSharedData() throws {
    // GSM8K test records: every line has a string question.
    let text = try String(contentsOfFile: TestData.path("benchmarks/gsm8k/test.jsonl"), encoding: .utf8)
    var found = 0
    for line in text.split(separator: "\n") {
      if case .found(.string) = try extract(String(line), "question") { found += 1 }
    }
    #expect(found == 1319)
  }
}
