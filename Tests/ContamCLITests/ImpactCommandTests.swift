@_spi(Testing) import Contam
import Foundation
import Testing
import _ContamTestSupport

/// `contam impact` as a user runs it: a real scan's certificate, results in the shapes people
/// have (lm-eval `--log_samples` output for GSM8K and MMLU, plain JSONL, CSV), and the
/// mistakes they make.
@Suite("contam impact: clean-subset evaluation from a certificate")
struct ImpactCommandTests {
  let contam = TestData.contamExecutable
  let samples = TestData.packageRoot.appendingPathComponent("corpora-samples")
  let mmluDirectory = TestData.path("benchmarks/mmlu/test")

  /// A certificate of the sample shards with the GSM8K sample and three MMLU subjects, some
  /// GSM8K items planted in an extra shard so that both clean and flagged items exist.
  func certificate(_ fixture: ShardFixture) throws -> (path: String, certificate: Certificate) {
    let gsm8k = try String(contentsOfFile: "\(samples.path)/benchmarks/gsm8k-sample.jsonl", encoding: .utf8)
      .split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: String] }
    let prose = try TestData.gutenberg(bytes: 3_000)
    var lines: [String] = []
    for k in stride(from: 0, to: gsm8k.count, by: 3) {
      let text = prose + "\n\n" + gsm8k[k]["question"]! + "\n" + gsm8k[k]["answer"]! + "\n\n" + prose
      lines.append(String(decoding: try JSONSerialization.data(withJSONObject: ["text": text]), as: UTF8.self))
    }
    try (lines.joined(separator: "\n") + "\n").write(to: fixture.url("planted.jsonl"), atomically: true, encoding: .utf8)
    let out = fixture.url("cert.json").path
    let run = try Tool.execute(
      contam,
      [
        "scan", "--fail-on", "never", "--out", out, "--benchmark", "gsm8k=\(samples.path)/benchmarks/gsm8k-sample.jsonl",
        "--benchmark", "mmlu=\(mmluDirectory)", fixture.url("planted.jsonl").path, "\(samples.path)/shards",
      ])
    #expect(run.status == 0, "\(run.stderr)")
    return (out, try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: out))))
  }

  /// lm-eval's samples file in its real layout: one line per document and filter.
  func lmEvalSamples(task: String, docs: [[String: Any]], scores: [Double], metric: String, filters: [String], into dir: URL) throws -> String {
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    var lines: [String] = []
    for (k, doc) in docs.enumerated() {
      for filter in filters {
        let record: [String: Any] = [
          "doc_id": k, "doc": doc, "target": "t", "arguments": [["prompt", ["until": ["\n"]]]], "resps": [["r"]],
          "filtered_resps": ["r"], "filter": filter, "metrics": [metric], "doc_hash": "h", "prompt_hash": "p", "target_hash": "t",
          metric: scores[k],
        ]
        lines.append(String(decoding: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self))
      }
    }
    let path = dir.appendingPathComponent("samples_\(task)_2024-06-01T10-00-00.123456.jsonl").path
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  func impact(_ args: [String]) throws -> Tool.Outcome { try Tool.execute(contam, ["impact"] + args) }

  @Test func lmEvalSamplesForGSM8KAndMMLUMapToTheirItems() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (cert, certificate) = try certificate(fixture)
    let gsm8kItems = certificate.items.filter { $0.benchmark == "gsm8k" }
    let docs = try String(contentsOfFile: "\(samples.path)/benchmarks/gsm8k-sample.jsonl", encoding: .utf8)
      .split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    #expect(docs.count == gsm8kItems.count)
    // Flagged items answered right, clean ones right every other time.
    let scores = gsm8kItems.enumerated().map { k, item in item.verdict == .clean ? Double(k % 2) : 1 }
    let gsm8k = try lmEvalSamples(
      task: "gsm8k", docs: docs, scores: scores, metric: "exact_match", filters: ["strict-match", "flexible-extract"],
      into: fixture.url("out/llama-3-8b"))
    // MMLU sociology, its real rows as lm-eval's doc (question, subject, choices, answer).
    let rows = try CSVParser.parse(try String(contentsOfFile: "\(mmluDirectory)/sociology_test.csv", encoding: .utf8))
    let mmluDocs: [[String: Any]] = rows.map { ["question": $0[0], "subject": "sociology", "choices": Array($0[1...4]), "answer": 0] }
    let mmlu = try lmEvalSamples(
      task: "mmlu_sociology", docs: mmluDocs, scores: rows.indices.map { Double($0 % 3 == 0 ? 1 : 0) }, metric: "acc",
      filters: ["none"], into: fixture.url("out/llama-3-8b"))
    let json = fixture.url("impact.json").path
    let run = try impact([cert, "--results", gsm8k, "--results", mmlu, "--corpus", fixture.directory.path, "--corpus", "/", "--out", json])
    #expect(run.status == 0, "\(run.stderr)")
    let report = try JSONDecoder().decode(ImpactReport.self, from: Data(contentsOf: URL(fileURLWithPath: json)))
    #expect(report.results[0].mapped == gsm8kItems.count && report.results[0].setAside == gsm8kItems.count)
    #expect(report.results[0].filter == "strict-match" && report.results[0].metric == "exact_match")
    #expect(report.results[1].mapped == rows.count && report.results[1].mismatched == 0 && report.results[1].metric == "acc")
    #expect(report.results[1].checked == rows.count)
    // Without the benchmark files the positions cannot be checked, and the table says so.
    let unchecked = try impact([cert, "--results", mmlu, "--corpus", fixture.url("nowhere").path])
    #expect(unchecked.status == 0 && unchecked.stdout.contains("NOT checked"), "\(unchecked.stdout)")
    let onGSM8K = try #require(report.benchmarks.first { $0.benchmark == "gsm8k" && $0.model == "llama-3-8b" })
    let clean = gsm8kItems.indices.filter { gsm8kItems[$0].verdict == .clean }
    #expect(onGSM8K.subsets.first { $0.name == "clean" }?.score == clean.map { scores[$0] }.reduce(0, +) / Double(clean.count))
    #expect(onGSM8K.subsets.first { $0.name == "flagged" }?.score == 1)
    #expect(report.benchmarks.contains { $0.benchmark == "mmlu" && $0.subsets[0].items == rows.count })
    // The report names the certificate's digest and each results file's SHA-256.
    #expect(report.certificateDigest == certificate.digest)
    let sha = try Tool.run("sha256sum", [gsm8k])
    #expect(String(decoding: sha, as: UTF8.self).hasPrefix(report.results[0].sha256))
    #expect(run.stdout.contains("llama-3-8b on gsm8k") && run.stdout.contains("minus clean"), "\(run.stdout)")

    // The report shows it beside the certificate, and refuses an impact report of another one.
    let html = try Tool.execute(contam, ["report", cert, "--impact", json, "--format", "html"])
    #expect(html.status == 0 && html.stdout.contains("Score by verdict") && html.stdout.contains("llama-3-8b on gsm8k"), "\(html.stderr)")
    #expect(html.stdout.contains("aria-label=\"score minus clean score by verdict\""))
    let markdown = try Tool.execute(contam, ["report", cert, "--impact", json])
    #expect(markdown.stdout.contains("### llama-3-8b on mmlu") && markdown.stdout.contains("| flagged |"), "\(markdown.stdout.prefix(2000))")
    var foreign = report
    foreign.certificateDigest = String(repeating: "0", count: 64)
    try JSONEncoder().encode(foreign).write(to: fixture.url("foreign.json"))
    let refused = try Tool.execute(contam, ["report", cert, "--impact", fixture.url("foreign.json").path])
    #expect(refused.status == 4 && refused.stderr.contains("not an impact report of"), "\(refused.stderr)")

    // An edited impact report's names are text in the report, never markup.
    var hostile = report
    hostile.benchmarks[0].subsets[0].name = "<script>alert(1)</script>"
    hostile.benchmarks[0].comparisons[0].subset = "<img src=x>"
    try JSONEncoder().encode(hostile).write(to: fixture.url("hostile.json"))
    let escaped = try Tool.execute(contam, ["report", cert, "--impact", fixture.url("hostile.json").path, "--format", "html"])
    #expect(escaped.status == 0 && !escaped.stdout.contains("<script>alert") && !escaped.stdout.contains("<img src=x>"), "\(escaped.stderr)")
    #expect(escaped.stdout.contains("&lt;script&gt;"))

    // The same MMLU results under the wrong subject: their text is not the items'.
    let wrong = try lmEvalSamples(
      task: "mmlu_abstract_algebra", docs: Array(mmluDocs.prefix(100)), scores: Array(repeating: 1, count: 100), metric: "acc",
      filters: ["none"], into: fixture.url("out/other"))
    let mismatch = try impact([cert, "--results", wrong, "--corpus", fixture.directory.path, "--corpus", "/"])
    #expect(mismatch.status == 4 && mismatch.stderr.contains("not the text of the item") && mismatch.stderr.contains(wrong), "\(mismatch.stderr)")
  }

  @Test func plainJSONLAndCSVGiveTheSameFigures() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (cert, certificate) = try certificate(fixture)
    let scored = certificate.items.filter { $0.benchmark == "gsm8k" }
    var jsonl = ""
    var csv = "model,benchmark,id,score\n"
    for (k, item) in scored.enumerated() {
      jsonl += "{\"benchmark\": \"gsm8k\", \"id\": \"\(item.id)\", \"score\": \(k % 3 == 0 ? "true" : "0.5"), \"model\": \"m\"}\n"
      csv += "m,gsm8k,\(item.id),\(k % 3 == 0 ? "1" : "0.5")\n"
    }
    // A result for an item the certificate does not have: reported, not dropped silently.
    jsonl += "{\"benchmark\": \"gsm8k\", \"id\": \"test/999\", \"score\": 1, \"model\": \"m\"}\n"
    try jsonl.write(to: fixture.url("r.jsonl"), atomically: true, encoding: .utf8)
    try csv.write(to: fixture.url("r.csv"), atomically: true, encoding: .utf8)
    let a = try impact([cert, "--results", fixture.url("r.jsonl").path, "--json"])
    let b = try impact([cert, "--results", fixture.url("r.csv").path, "--json"])
    #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
    let ra = try JSONDecoder().decode(ImpactReport.self, from: Data(a.stdout.utf8))
    let rb = try JSONDecoder().decode(ImpactReport.self, from: Data(b.stdout.utf8))
    #expect(ra.benchmarks == rb.benchmarks)
    #expect(ra.results[0].unmapped == 1 && ra.problems.contains { $0.message.contains("test/999") && $0.line == scored.count + 1 })
  }

  @Test func badResultsAreErrorsNamingFileAndLine() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (cert, certificate) = try certificate(fixture)
    let id = certificate.items[0].id
    let cases: [(String, String, String)] = [
      ("missing-metric.jsonl", "{\"doc_id\": 0, \"doc\": {}, \"filter\": \"none\", \"metrics\": [\"acc\"]}\n", "missing-metric.jsonl:1"),
      // A blank line before the bad row: the error names the file's line, not the row number.
      ("bad-score.csv", "benchmark,id,score\ngsm8k,\(id),1\n\ngsm8k,\(id),high\n", "bad-score.csv:4"),
      ("no-score.jsonl", "{\"benchmark\": \"gsm8k\", \"id\": \"\(id)\"}\n", "no-score.jsonl:1"),
      ("not-json.jsonl", "{\"benchmark\": \"gsm8k\", \"id\": \"\(id)\", \"score\": 1}\nnot json\n", "not-json.jsonl:2"),
      ("other.jsonl", (1...20).map { "{\"benchmark\": \"arc\", \"id\": \"x\($0)\", \"score\": 1}" }.joined(separator: "\n"), "different certificate"),
      ("empty.csv", "", "empty"),
    ]
    for (name, text, message) in cases {
      try text.write(to: fixture.url(name), atomically: true, encoding: .utf8)
      let run = try impact([cert, "--results", fixture.url(name).path])
      #expect(run.status == 4, "\(name): \(run.status) \(run.stdout)")
      #expect(run.stderr.contains(message), "\(name): \(run.stderr)")
    }
    // An edited certificate (digest no longer matches) is refused.
    let text = try String(contentsOfFile: cert, encoding: .utf8).replacingOccurrences(of: "\"verdict\" : \"contaminated\"", with: "\"verdict\" : \"clean\"")
    try text.write(to: fixture.url("edited.json"), atomically: true, encoding: .utf8)
    try "benchmark,id,score\ngsm8k,\(id),1\n".write(to: fixture.url("ok.csv"), atomically: true, encoding: .utf8)
    let edited = try impact([fixture.url("edited.json").path, "--results", fixture.url("ok.csv").path])
    #expect(edited.status == 4 && edited.stderr.contains("digest"), "\(edited.stderr)")
    // Usage mistakes.
    #expect(try impact([cert]).status == 64)
    #expect(try impact([cert, "--results", fixture.url("ok.csv").path, "--resamples", "5"]).status == 64)
  }

  @Test func mathPerturbOriginalsAgainstTheirPerturbedVersions() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let mathFile = TestData.path("benchmarks/math/test.jsonl.gz")
    let pairsFile = TestData.path("benchmarks/math_perturb/pairs_with_math_originals.jsonl")
    let originals = try String(decoding: TestData.gunzip("benchmarks/math/test.jsonl.gz"), as: UTF8.self).split(separator: "\n")
      .map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    let byID = Dictionary(uniqueKeysWithValues: originals.map { ($0["unique_id"] as! String, $0) })
    let pairs = try String(contentsOfFile: pairsFile, encoding: .utf8).split(separator: "\n")
      .map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
      .filter { ($0["original_unique_id"] as? String).map { byID[$0] != nil } ?? false }
    #expect(pairs.count >= 20)
    // Every other original (problem and solution) is in the corpus.
    let prose = try TestData.gutenberg(bytes: 2_000)
    var lines: [String] = []
    for pair in pairs.enumerated().filter({ $0.offset % 2 == 0 }).map(\.element) {
      let original = byID[pair["original_unique_id"] as! String]!
      let text = prose + "\n\n" + (original["problem"] as! String) + "\n\n" + (original["solution"] as! String) + "\n\n" + prose
      lines.append(String(decoding: try JSONSerialization.data(withJSONObject: ["text": text]), as: UTF8.self))
    }
    try (lines.joined(separator: "\n") + "\n").write(to: fixture.url("corpus.jsonl"), atomically: true, encoding: .utf8)
    let cert = fixture.url("cert.json").path
    let scan = try Tool.execute(
      contam,
      [
        "scan", "--fail-on", "never", "--no-near", "--out", cert, "--benchmark", "math=\(mathFile)",
        "--benchmark", "math-perturb=\(TestData.path("benchmarks/math_perturb/math_perturb_simple.jsonl"))", fixture.url("corpus.jsonl").path,
      ])
    #expect(scan.status == 0, "\(scan.stderr)")
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    let verdicts = Dictionary(uniqueKeysWithValues: certificate.items.filter { $0.benchmark == "math" }.map { ($0.id, $0.verdict) })
    // The model solves every original, and a perturbed problem only when its original was not in the corpus.
    var results = "benchmark,id,score\n"
    var expected: [String: (pairs: Int, perturbed: Double)] = ["found": (0, 0), "clean": (0, 0)]
    for pair in pairs {
      let original = pair["original_unique_id"] as! String
      let found = verdicts[original] != .clean && verdicts[original] != .tooShort
      results += "math,\(original),1\nmath-perturb,\(pair["problem_id"]!),\(found ? 0 : 1)\n"
      expected[found ? "found" : "clean"]!.pairs += 1
      expected[found ? "found" : "clean"]!.perturbed += found ? 0 : 1
    }
    #expect(expected["found"]!.pairs >= pairs.count / 2 - 1, "\(expected)")
    try results.write(to: fixture.url("results.csv"), atomically: true, encoding: .utf8)
    let run = try impact([cert, "--results", "model=\(fixture.url("results.csv").path)", "--pairs", "math-perturb=math:\(pairsFile)", "--json"])
    #expect(run.status == 0, "\(run.stderr)")
    let report = try JSONDecoder().decode(ImpactReport.self, from: Data(run.stdout.utf8))
    for name in ["found", "clean"] {
      let row = try #require(report.pairs.first { $0.originalFound == name })
      #expect(row.pairs == expected[name]!.pairs && row.originalScore == 1)
      #expect(row.perturbedScore == expected[name]!.perturbed / Double(expected[name]!.pairs))
    }
    let table = try impact([cert, "--results", "model=\(fixture.url("results.csv").path)", "--pairs", "math-perturb=math:\(pairsFile)"])
    #expect(table.stdout.contains("Originals vs perturbed problems"), "\(table.stdout)")
  }
}
