import Contam
import Foundation
import Testing
import _ContamTestSupport

/// contam-text/8 (Normalizer rule 27): a text read out as subtitles (SRT or WebVTT cues: a
/// number, a timing line, a few words) reads as the text.
@Suite("Subtitle cue numbers and timing lines are layout (contam-text/8)")
struct SubtitleCueTests {
  let v7 = Tokenizer(normalizer: .of(.v7))
  let v8 = Tokenizer(normalizer: .of(.v8))

  func hashes(_ text: String, _ tokenizer: Tokenizer) -> [UInt64] { tokenizer.tokens(of: text).map(\.hash) }

  /// `text` as subtitle cues of `words` words each, in SRT (`00:00:01,000`) or WebVTT
  /// (`00:01.000`, cue settings) form, with `\n` or `\r\n` line ends. (A WebVTT file's
  /// `WEBVTT` header is one word, as it is in the file.)
  static func cues(_ text: String, words: Int, webVTT: Bool = false, crlf: Bool = false) -> String {
    let all = text.split(whereSeparator: \.isWhitespace).map(String.init)
    var blocks: [String] = []
    var clock = 61_250
    for (n, at) in stride(from: 0, to: all.count, by: words).enumerated() {
      func time(_ ms: Int) -> String {
        webVTT
          ? String(format: "%02d:%02d.%03d", ms / 60_000, ms / 1000 % 60, ms % 1000)
          : String(format: "%02d:%02d:%02d,%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
      }
      let timing = "\(time(clock)) --> \(time(clock + 2_400))" + (webVTT ? " align:start position:10%" : "")
      blocks.append("\(n + 1)\n\(timing)\n" + all[at..<min(at + words, all.count)].joined(separator: " "))
      clock += 2_700
    }
    let joined = blocks.joined(separator: "\n\n")
    return crlf ? joined.replacingOccurrences(of: "\n", with: "\r\n") : joined
  }

  @Test func cuesReadAsTheirText() throws {
    let gsm8k = try HeadRunTests.load("gsm8k", "benchmarks/gsm8k/test.jsonl")
    for item in gsm8k.prefix(20) {
      let text = item.parts.map(\.text).joined(separator: "\n")
      for (words, webVTT, crlf) in [(5, false, false), (8, false, true), (7, true, false)] {
        let copy = Self.cues(text, words: words, webVTT: webVTT, crlf: crlf)
        let same = hashes(copy, v8) == hashes(text, v8)
        #expect(same, "\(item.id), \(words) words a cue, WebVTT \(webVTT), CRLF \(crlf)")
      }
    }
    // Under contam-text/7 every number of a cue is a token.
    let sample = Self.cues("Natalia sold clips to 48 of her friends in April", words: 5)
    #expect(hashes(sample, v7) != hashes("Natalia sold clips to 48 of her friends in April", v7))
  }

  @Test func timesThatAreTextStayTokens() {
    for text in [
      "The train left at 10:30 and arrived at 12:45.", "Recorded 00:03:41,200 into the tape.", "from 1:00 --> to 2:00",
      "12\nnot a timing line", "It took 3.500 seconds", "00:03:41,200 - 00:03:44,900", "Chapter 7\n\nThe end came at 9:15.",
      "Scores 1,000 --> 2,000 points", "Note: align:start is a setting only after a timing", "12:30 align:left",
    ] {
      let same = hashes(text, v8) == hashes(text, v7)
      #expect(same, "\(text)")
    }
  }

  /// Real items read out as subtitles into real text: under contam-text/8 all are
  /// `contaminated`; under 7 the cue lines leave pieces shorter than an n-gram.
  @Test func subtitledCopiesOfRealItemsAreContaminated() throws {
    let gsm8k = try HeadRunTests.load("gsm8k", "benchmarks/gsm8k/test.jsonl")
    let items = Array(gsm8k.prefix(12))
    try RenderedMathTests.expectEveryCopyContaminated(items, under: .v8, notUnder: .v7) { i in
      Self.cues(items[i].parts.map(\.text).joined(separator: "\n"), words: 5 + i % 5, webVTT: i % 3 == 0, crlf: i % 4 == 1)
    }
  }
}
