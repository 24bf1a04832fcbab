import Contam
import Foundation
import Testing
import _ContamTestSupport

/// Inputs that made a fuzz target fail (scripts/fuzz.sh), kept so the bug stays fixed. Each
/// input is run through the same checks as its target.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
  static func inputs(_ target: String) throws -> [URL] {
    let dir = TestData.packageRoot.appendingPathComponent("Tests/ContamTests/Fuzz/\(target)")
    return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil).sorted { $0.path < $1.path }
  }

  @Test func tokenizerInputs() throws {
    let files = try Self.inputs("FuzzTokenizer")
    #expect(!files.isEmpty)
    let tokenizer = Tokenizer()
    for file in files {
      let data = [UInt8](try Data(contentsOf: file))
      let tokens = tokenizer.tokens(of: data)
      // The fuzz target's invariants: in bounds, non-empty, in order; overlap only where one
      // character folds to several words (`o¾` → `o3`, `4`; `o¾Chara` → `o3`, `4chara`).
      var previous = (start: 0, end: 0)
      for token in tokens {
        #expect(token.start < token.end && token.end <= data.count)
        #expect(token.start >= previous.start && token.end >= previous.end)
        if token.start < previous.end {
          #expect(previous.end - token.start <= HTMLEntity.maximumEscapedLength, "\(file.lastPathComponent)")
        }
        previous = (token.start, token.end)
      }
      #expect(tokens == tokenizer.tokens(of: data), "deterministic")
    }
  }

  @Test func parquetInputs() throws {
    let files = try Self.inputs("FuzzParquet")
    #expect(!files.isEmpty)
    var options = ShardReaderOptions(format: .auto(textField: .text, idField: try FieldPath("id")))
    options.fallbackTextFields = [try FieldPath("messages[].content")]
    let reader = ShardReader(options: options)
    for file in files {
      // The target's checks: no crash, rows in order, no more documents than rows.
      var last = 0
      let counts = try reader.read(path: file.path) { document in
        #expect(document.line > last)
        last = document.line
      } onProblem: { _ in }
      #expect(counts.documents <= counts.lines, "\(file.lastPathComponent)")
      // As a benchmark too (every column decoded into records): no crash, no more items than rows.
      let format = BenchmarkFormat(
        layout: .jsonl, parts: [("question", ["question", "q", "text"]), ("choices", ["choices", "choices.text", "counts", "meta.level"])],
        answer: .indexedChoice(key: "answer", choices: ["choices"]))
      if let items = try? BenchmarkLoader.load(name: "fuzz", path: file.path, format: format) {
        #expect(items.count <= counts.lines, "\(file.lastPathComponent)")
      }
    }
  }

  @Test func certificateInputs() throws {
    let files = try Self.inputs("FuzzCertificate")
    #expect(!files.isEmpty)
    for file in files {
      // The target's checks: reading, verify, report and merge never crash; what reads reads back.
      guard let certificate = try? Certificate(decoding: Data(contentsOf: file)) else { continue }
      #expect(try Certificate(decoding: certificate.encoded()) == certificate, "\(file.lastPathComponent)")
      _ = try? Verifier.verify(certificate, corpusRoots: ["/nonexistent-fuzz-root"])
      _ = ReportRenderer.render(certificate, format: .markdown)
      _ = ReportRenderer.render(certificate, format: .html)
      _ = try? Certificate.merge([certificate, certificate])
    }
  }
}
