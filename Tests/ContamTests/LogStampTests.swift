import Contam
import Foundation
import Testing
import _ContamTestSupport

/// contam-text/9 (Normalizer rule 30): an item pasted into a chat or meeting log line by line,
/// each line behind a time stamp and the speaker's name, reads as the item.
@Suite("Chat log time stamps and speakers are layout (contam-text/9)")
struct LogStampTests {
  let v8 = Tokenizer(normalizer: .of(.v8))
  let v9 = Tokenizer(normalizer: .of(.v9))

  func hashes(_ text: String, _ tokenizer: Tokenizer) -> [UInt64] { tokenizer.tokens(of: text).map(\.hash) }

  /// Each line of `text` behind a time stamp, as IRC and meeting logs write them.
  static func logged(_ text: String, style: Int) -> String {
    var clock = 43_261 + 17 * style
    return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      clock += 7 + line.count % 23
      let (h, m, s) = (clock / 3600 % 24, clock / 60 % 60, clock % 60)
      switch style % 4 {
      case 0: return String(format: "[%02d:%02d:%02d] ", h, m, s) + line
      case 1: return String(format: "%02d:%02d <reader> ", h, m) + line
      case 2: return String(format: "(%d:%02d) <bob_2> ", h, m) + line
      default: return String(format: "%02d:%02d:%02d\t", h, m, s) + line
      }
    }.joined(separator: "\n")
  }

  @Test func loggedLinesReadAsTheirText() throws {
    let humaneval = try HeadRunTests.load("humaneval", "benchmarks/humaneval/HumanEval.jsonl.gz")
    let mmlu = try HeadRunTests.load("mmlu", "benchmarks/mmlu/test")
    var checked = 0
    for item in Array(humaneval.prefix(8)) + Array(mmlu.prefix(8)) {
      let text = item.parts.map(\.text).joined(separator: "\n")
      for style in 0..<4 {
        #expect(hashes(Self.logged(text, style: style), v9) == hashes(text, v9), "\(item.id), style \(style)")
      }
      checked += 1
    }
    #expect(checked == 16)
    let sample = Self.logged("Natalia sold clips\nto 48 of her friends", style: 1)
    #expect(hashes(sample, v8) != hashes(sample, v9), "under contam-text/8 the stamps are tokens")
  }

  @Test func timesThatAreTextStayTokens() {
    for text in [
      "We met at 10:30 <b>sharp</b> and left.", "12:30 lunch was late.\nThen we went home.", "Note: 12:03 is noon-ish",
      "The ratio 3:2 holds\n4:5 too", "00:03:41,200 --> 00:03:44,900", "[12:03] alone on one line", "10:30am\n11:45am",
      "Genesis 1:1 In the beginning\nGenesis 1:2 And the earth", "<reader> without a time\n<reader> again",
    ] {
      let same = hashes(text, v9) == hashes(text, v8)
      #expect(same, "\(text.debugDescription)")
    }
  }

  /// Real items pasted into a log line by line, in real text: under contam-text/9 all are
  /// `contaminated`; under 8 a HumanEval item's short lines lose their n-grams to the stamps.
  @Test func loggedCopiesOfRealItemsAreContaminated() throws {
    let humaneval = try HeadRunTests.load("humaneval", "benchmarks/humaneval/HumanEval.jsonl.gz")
    let items = Array(humaneval.prefix(12))
    try RenderedMathTests.expectEveryCopyContaminated(items, under: .v9, notUnder: .v8) { i in
      Self.logged(items[i].parts.map(\.text).joined(separator: "\n"), style: i)
    }
  }
}
