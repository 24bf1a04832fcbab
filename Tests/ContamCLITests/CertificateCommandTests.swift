import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("Certificates: sign, verify, merge, report, as a user would")
struct CertificateCommandTests {
  let contam = TestData.contamExecutable
  let samples = TestData.packageRoot.appendingPathComponent("corpora-samples")

  var benchmarks: [String] {
    [
      "--benchmark", "gsm8k=\(samples.path)/benchmarks/gsm8k-sample.jsonl",
      "--benchmark", "arc=\(samples.path)/benchmarks/arc-challenge-sample.jsonl",
    ]
  }

  /// Copies the sample shards into `fixture` (so tests can modify them).
  func shards(_ fixture: ShardFixture) throws -> String {
    let dir = fixture.url("shards")
    try FileManager.default.copyItem(at: samples.appendingPathComponent("shards"), to: dir)
    return dir.path
  }

  /// `--corpus` roots for verify and report: the fixture's directory and the samples.
  func roots(_ fixture: ShardFixture) -> [String] { ["--corpus", fixture.directory.path, "--corpus", samples.path] }

  func scan(_ args: [String]) throws -> Tool.Outcome {
    try Tool.execute(contam, ["scan", "--fail-on", "never", "--id-field", "id"] + args)
  }

  @Test func aSignedCertificateVerifiesAndEveryTamperingIsNamed() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let corpus = try shards(fixture)
    let key = fixture.url("k.key").path
    #expect(try Tool.execute(contam, ["keygen", "--out", key]).status == 0)
    let cert = fixture.url("cert.json").path
    #expect(try scan(["--sign", key, "--out", cert] + benchmarks + [corpus]).status == 0)
    let ok = try Tool.execute(contam, ["verify", "--public-key", key + ".pub", "--full", cert] + roots(fixture))
    #expect(ok.status == 0, "\(ok.stdout)")
    #expect(ok.stdout.contains("PASS"))
    #expect(ok.stdout.contains("5/5 evidence locations confirmed"))
    #expect(ok.stdout.contains("ok   signature") && ok.stdout.contains("pinned key"))

    // Without a pinned key the signature proves nothing (anyone can re-sign an edit): it fails.
    let unpinned = try Tool.execute(contam, ["verify", cert] + roots(fixture))
    #expect(unpinned.status == 1 && unpinned.stdout.contains("FAIL signature") && unpinned.stdout.contains("unpinned"), "\(unpinned.stdout)")
    // A trusted-keys file pins it as well.
    let trusted = fixture.url("trusted.txt").path
    try ("# the lab's signing keys\n" + String(contentsOfFile: key + ".pub", encoding: .utf8)).write(toFile: trusted, atomically: true, encoding: .utf8)
    #expect(try Tool.execute(contam, ["verify", "--trusted-keys", trusted, cert] + roots(fixture)).status == 0)

    // A flipped verdict and an edited score: digest and signature fail.
    let text = try String(contentsOfFile: cert, encoding: .utf8)
    let longest = try #require(try JSONDecoder().decode(Certificate.self, from: Data(text.utf8)).items.map(\.longestRun).max())
    #expect(longest > 0)
    for (name, edited) in [
      ("flipped", text.replacingOccurrences(of: "\"verdict\" : \"partial\"", with: "\"verdict\" : \"clean\"")),
      ("score", text.replacingOccurrences(of: "\"longestRun\" : \(longest)", with: "\"longestRun\" : \(longest + 1)")),
    ] {
      #expect(edited != text, "\(name): the edit applies")
      let path = fixture.url("\(name).json").path
      try edited.write(toFile: path, atomically: true, encoding: .utf8)
      let run = try Tool.execute(contam, ["verify", path])
      #expect(run.status == 1)
      #expect(run.stdout.contains("FAIL digest"))
      #expect(run.stdout.contains("FAIL signature"))
    }

    // Another key: the signature is valid but not by the expected signer.
    let other = fixture.url("other.key").path
    _ = try Tool.execute(contam, ["keygen", "--out", other])
    let wrongKey = try Tool.execute(contam, ["verify", "--public-key", other + ".pub", cert] + roots(fixture))
    #expect(wrongKey.status == 1 && wrongKey.stdout.contains("not a pinned key"))

    // A modified shard (one byte appended) and a missing one are named; evidence in them is not confirmed.
    let web = corpus + "/web.jsonl.gz"
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: web))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data([0]))
    try handle.close()
    try FileManager.default.removeItem(atPath: corpus + "/code.jsonl.zst")
    let changed = try Tool.execute(contam, ["verify", cert] + roots(fixture))
    #expect(changed.status == 1)
    #expect(changed.stdout.contains("FAIL shard: \(web): changed"))
    #expect(changed.stdout.contains("code.jsonl.zst: missing"))
    #expect(changed.stdout.contains("0/5 evidence locations confirmed"))
  }

  /// Evidence at many lines of one shard, some adjacent and one after a line that is not JSON,
  /// is re-read in one pass over it and every location confirmed; a location moved to that bad
  /// line or past the shard's end is "no document at that line", and the others (the same items'
  /// near-duplicate evidence at the old lines among them) still pass.
  @Test func everyLocationOfAShardIsReReadInOnePass() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let questions = try String(contentsOf: samples.appendingPathComponent("benchmarks/gsm8k-sample.jsonl"), encoding: .utf8)
      .split(separator: "\n").prefix(6).map { line -> String in
        let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        return "\(record["question"]!) \(record["answer"]!)"
      }
    let (_, texts) = try ShardFixture.paragraphsJSONL(count: 45)
    let plantedAt = [3, 7, 8, 20, 40, 41]
    var lines: [String] = []
    for (i, text) in texts.enumerated() {
      let line = i + 1
      if line == 30 { lines.append("{not json at all"); continue }
      let body = plantedAt.firstIndex(of: line).map { text + " " + questions[$0] } ?? text
      lines.append(String(decoding: try JSONSerialization.data(withJSONObject: ["id": "d\(line)", "text": body]), as: UTF8.self))
    }
    let shard = try fixture.write("many.jsonl", Data((lines.joined(separator: "\n") + "\n").utf8))
    let cert = fixture.url("many.json").path
    let scanned = try scan(["--benchmark", "gsm8k=\(samples.path)/benchmarks/gsm8k-sample.jsonl", "--out", cert, shard])
    #expect(scanned.status == 0, "\(scanned.stderr)")
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    let evidenceLines = Set(certificate.items.flatMap { $0.evidence.map(\.line) })
    #expect(evidenceLines == Set(plantedAt), "\(evidenceLines.sorted())")
    let verified = try Tool.execute(contam, ["verify"] + roots(fixture) + [cert])
    #expect(verified.status == 0 && verified.stdout.contains("6/6 evidence locations confirmed"), "\(verified.stdout)")
    // Two locations moved: to the line that is not JSON, and past the end.
    var edited = certificate
    let first = try #require(edited.items.firstIndex { $0.evidence.first?.line == 7 })
    let second = try #require(edited.items.firstIndex { $0.evidence.first?.line == 40 })
    for k in edited.items[first].evidence.indices { edited.items[first].evidence[k].line = 30 }
    for k in edited.items[second].evidence.indices { edited.items[second].evidence[k].line = 900 }
    let editedPath = try fixture.write("edited.json", try edited.encoded())
    let failed = try Tool.execute(contam, ["verify"] + roots(fixture) + [editedPath])
    #expect(failed.status == 1)
    #expect(failed.stdout.components(separatedBy: "no document at that line").count - 1 >= 2, "\(failed.stdout)")
    // The items' near-duplicate evidence stays at lines 7 and 40 and is still confirmed there.
    #expect(failed.stdout.contains("6/8 evidence locations confirmed"), "\(failed.stdout)")
  }

  /// The maker of a certificate, signing with its own pinned key, leaves an item's evidence out
  /// and calls it clean. Every check of a verify without `--full` passes, as it must (nothing
  /// listed is wrong), so the output says what was not re-checked; `--full` finds the item.
  @Test func evidenceLeftOutBySignerIsSaidUncheckedAndFullFindsIt() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let corpus = try shards(fixture)
    let key = fixture.url("lab.key").path
    #expect(try Tool.execute(contam, ["keygen", "--out", key]).status == 0)
    let cert = fixture.url("cert.json").path
    #expect(try scan(["--sign", key, "--out", cert] + benchmarks + [corpus]).status == 0)
    var certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    let flagged = try #require(certificate.items.firstIndex { $0.verdict == .contaminated })
    let clean = certificate.items.filter { $0.verdict == .clean }.count
    // The item as it reads where it was never copied: scored by a scan of other text.
    let other = try fixture.write("other-prose.jsonl", try ShardFixture.paragraphsJSONL(count: 20).jsonl)
    let elsewhere = fixture.url("elsewhere.json").path
    #expect(try scan(["--out", elsewhere] + benchmarks + [other]).status == 0)
    let id = certificate.items[flagged].id
    let unseen = try #require(try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: elsewhere))).items.first { $0.id == id })
    #expect(unseen.verdict == .clean)
    certificate.items[flagged] = unseen
    certificate.summary = BenchmarkSummary.summarize(certificate.items, benchmarks: certificate.benchmarks)
    let seed = try String(contentsOfFile: key, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    let signed = try certificate.sealed(signingKey: try SigningKey(rawRepresentation: try #require(Data(base64Encoded: seed))))
    let edited = try fixture.write("doctored.json", try signed.encoded())
    let quick = try Tool.execute(contam, ["verify", "--public-key", key + ".pub", edited] + roots(fixture))
    #expect(quick.status == 0, "\(quick.stdout)")
    #expect(quick.stdout.contains("not re-checked: that the shards hold no evidence beyond what the certificate lists (its \(clean + 1) clean verdicts"), "\(quick.stdout)")
    // In JSON too, as a note (a kind of its own, never failed).
    let json = try Tool.execute(contam, ["verify", "--json", "--public-key", key + ".pub", edited] + roots(fixture))
    let checks = try JSONDecoder().decode([VerificationCheck].self, from: Data(json.stdout.utf8))
    #expect(json.status == 0 && checks.contains { $0.kind == .note && $0.subject == "not re-checked" && $0.passed }, "\(json.stdout)")
    let full = try Tool.execute(contam, ["verify", "--public-key", key + ".pub", "--full", edited] + roots(fixture))
    #expect(full.status == 1 && full.stdout.contains("FAIL full") && full.stdout.contains(id), "\(full.stdout)")
    #expect(!full.stdout.contains("not re-checked"))
  }

  /// A certificate made over a corpus with a shard left out says nothing about that shard:
  /// verify with the corpus directory names it, and names nothing when every file is listed;
  /// with `--corpus /` it walks the shards' directory, not the file system.
  @Test func aShardLeftOutOfTheScanIsNamedByVerify() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let corpus = try shards(fixture)
    let benchmark = fixture.url("gsm8k.jsonl").path
    try FileManager.default.copyItem(atPath: samples.path + "/benchmarks/gsm8k-sample.jsonl", toPath: benchmark)
    let cert = fixture.url("cert.json").path
    #expect(try scan(["--benchmark", "gsm8k=\(benchmark)", "--out", cert, corpus]).status == 0)
    let whole = try Tool.execute(contam, ["verify", "--corpus", fixture.directory.path, cert])
    #expect(whole.status == 0 && !whole.stdout.contains("not in the certificate"), "\(whole.stdout)")
    // A shard that was there all along but not scanned (one written now stands for it).
    let left = try fixture.compress("shards/left-out.jsonl.gz", try ShardFixture.paragraphsJSONL(count: 10).jsonl, tool: "gzip", ["-c"])
    let partial = try Tool.execute(contam, ["verify", "--corpus", fixture.directory.path, cert])
    #expect(partial.status == 0, "\(partial.stdout)")
    #expect(partial.stdout.contains("not in the certificate: 1 files beside its shards (\(left))"), "\(partial.stdout)")
    // Only the shards' directory is walked: `--corpus /` names the same one file, not the file system.
    let everywhere = try Tool.execute(contam, ["verify", "--corpus", "/", cert])
    #expect(everywhere.stdout.contains("not in the certificate: 1 files beside its shards ("), "\(everywhere.stdout)")
  }

  /// A certificate file that is not there, a directory, empty, cut short or not an object is
  /// named with what is wrong (the JSON path for a bad one), exit 4, by verify, report and merge.
  /// MMLU and ARC as the Hugging Face Hub serves them (Parquet; MMLU a directory of subjects,
  /// its answer an index from 0) under their presets: a planted item of each is found with its
  /// answer, the certificate records the release's format that read them, and verify re-reads
  /// the benchmarks with it and passes.
  @Test func benchmarksInHuggingFacesLayoutAreScannedAndVerified() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let hf = TestData.packageRoot.appendingPathComponent("Tests/Fixtures/benchmarks-hf").path
    let mmlu = try BenchmarkLoader.load(name: "mmlu", path: hf + "/mmlu", format: BenchmarkFormat.presets["mmlu"]!)
    let arc = try BenchmarkLoader.load(name: "arc", path: hf + "/arc/test-00000-of-00001.parquet", format: BenchmarkFormat.presets["arc"]!)
    let prose = try TestData.gutenberg(bytes: 6_000)
    func text(_ item: BenchmarkItem) -> String {
      item.parts.map(\.text).joined(separator: "\n") + (item.answer?.choice.map { "\nAnswer: \($0)" } ?? "")
    }
    let planted = [mmlu[150], arc[7]]
    let records = [prose, prose + "\n" + text(planted[0]) + "\n" + prose, prose + "\n" + text(planted[1]) + "\n" + prose].enumerated().map {
      String(decoding: try! JSONSerialization.data(withJSONObject: ["id": "doc-\($0.offset)", "text": $0.element]), as: UTF8.self)
    }
    let shard = try fixture.write("shard.jsonl", Data(records.joined(separator: "\n").utf8))
    let cert = fixture.url("cert.json").path
    let run = try scan(["--out", cert, "--benchmark", "mmlu=\(hf)/mmlu", "--benchmark", "arc=\(hf)/arc/test-00000-of-00001.parquet", shard])
    #expect(run.status == 0, "\(run.stderr)")
    let certificate = try Certificate(contentsOfFile: cert)
    #expect(certificate.benchmarks.map(\.format) == [BenchmarkFormat.releases["mmlu"]![0], BenchmarkFormat.releases["arc"]![0]])
    for item in planted {
      let result = try #require(certificate.items.first { $0.benchmark == item.benchmark && $0.id == item.id })
      #expect(result.verdict == .contaminated, "\(item.id): \(result.verdict)")
    }
    #expect(certificate.items.filter { $0.verdict != .clean }.count == 2)
    let verified = try Tool.execute(contam, ["verify", "--full", cert, "--corpus", fixture.directory.path, "--corpus", hf])
    #expect(verified.status == 0 && verified.stdout.contains("PASS"), "\(verified.stdout)")
  }

  @Test func certificateFilesThatDoNotReadAreNamedWithTheReason() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let cert = fixture.url("cert.json").path
    #expect(try scan(["--out", cert] + benchmarks + [try shards(fixture)]).status == 0)
    let whole = try Data(contentsOf: URL(fileURLWithPath: cert))
    let cases: [(String, String)] = [
      (fixture.url("nowhere.json").path, "unreadable_file: no such file"),
      (fixture.directory.path, "unreadable_file: a directory, not a certificate file"),
      (try fixture.write("empty.json", Data()), "invalid_certificate: at $:"),
      (try fixture.write("cut.json", whole.prefix(whole.count / 2)), "invalid_certificate: at $."),
      (try fixture.write("array.json", Data("[1, 2]".utf8)), "invalid_certificate: at $:"),
    ]
    for (path, says) in cases {
      for command in [["verify", path], ["report", path]] {
        let run = try Tool.execute(contam, command)
        #expect(run.status == 4 && run.stderr.contains("cannot read the certificate: \(path): \(says)"), "\(command): \(run.stderr)")
      }
      let merge = try Tool.execute(contam, ["merge", cert, path, "--out", fixture.url("merged.json").path])
      #expect(merge.status == 4 && merge.stderr.contains("cannot merge: \(path): "), "\(merge.stderr)")
    }
  }

  /// What a scan did not read is said by verify, which passes: records skipped (a line that is
  /// not JSON), and a shard whose records hold more text in another field than the one read.
  /// A shard read whole says nothing.
  @Test func verifySaysWhatTheScanDidNotRead() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let texts = try ShardFixture.paragraphsJSONL(count: 30).texts
    let titled = try texts.enumerated().map { i, text in
      String(decoding: try JSONSerialization.data(withJSONObject: ["text": "Part \(i) of the novel", "content": text]), as: UTF8.self)
    }
    let shard = try fixture.write("titled.jsonl", Data((titled.joined(separator: "\n") + "\n{not json\n").utf8))
    let cert = fixture.url("cert.json").path
    #expect(try scan(["--max-skipped-fraction", "1", "--out", cert] + benchmarks + [shard]).status == 0)
    let said = try Tool.execute(contam, ["verify", "--corpus", fixture.directory.path, "--corpus", samples.path, cert])
    #expect(said.status == 0, "\(said.stdout)")
    #expect(said.stdout.contains("read in part: 1 records were skipped (not_json 1)"), "\(said.stdout)")
    #expect(said.stdout.contains("1 shards hold more text at another path than the field read (unread_field: \(shard))"), "\(said.stdout)")
    let whole = fixture.url("whole.json").path
    #expect(try scan(["--out", whole] + benchmarks + [try shards(fixture)]).status == 0)
    let quiet = try Tool.execute(contam, ["verify", "--corpus", fixture.directory.path, "--corpus", samples.path, whole])
    #expect(quiet.status == 0 && !quiet.stdout.contains("read in part"), "\(quiet.stdout)")
  }

  @Test func verifyFindsMovedShardsUnderCorpusRoots() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let corpus = try shards(fixture)
    let cert = fixture.url("cert.json").path
    _ = try scan(["--out", cert] + benchmarks + [corpus])
    let moved = fixture.url("moved").path
    try FileManager.default.moveItem(atPath: corpus, toPath: moved)
    let lost = try Tool.execute(contam, ["verify", cert])
    #expect(lost.status == 1)
    // The failure says where files were looked for and how to name another place.
    #expect(lost.stdout.contains("not found under the corpus roots (\(FileManager.default.currentDirectoryPath))") && lost.stdout.contains("--corpus DIR"), "\(lost.stdout)")
    let found = try Tool.execute(contam, ["verify", "--corpus", moved, "--corpus", samples.path, "--full", cert])
    #expect(found.status == 0, "\(found.stdout)")
  }

  @Test func fourPartitionsInSeparateProcessesMergeIntoTheSingleRun() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    // Eight shards: the samples and five more made from Gutenberg paragraphs.
    let corpus = try shards(fixture)
    for k in 0..<5 {
      let (jsonl, _) = try ShardFixture.paragraphsJSONL(count: 40 + 10 * k, novel: ["1342-0.txt.gz", "122-0.txt.gz", "1310-0.txt.gz", "141.txt.gz", "155-0.txt.gz"][k])
      try fixture.compress("shards/extra-\(k).jsonl.gz", jsonl, tool: "gzip", ["-c"])
    }
    let single = fixture.url("single.json").path
    #expect(try scan(["--out", single] + benchmarks + [corpus]).status == 0)
    // The four partitions run as four concurrent processes.
    let outcomes = try (1...4).map { i in
      let process = Process()
      process.executableURL = URL(fileURLWithPath: contam)
      process.arguments = ["scan", "--fail-on", "never", "--id-field", "id", "--jobs", "1", "--partition", "\(i)/4",
        "--out", fixture.url("part-\(i).json").path] + benchmarks + [corpus]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      return process
    }.map { process -> Int32 in
      process.waitUntilExit()
      return process.terminationStatus
    }
    #expect(outcomes == [0, 0, 0, 0])
    let parts = (1...4).map { fixture.url("part-\($0).json").path }
    let partials = try parts.map { try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: $0))) }
    #expect(partials.map { $0.shards.count } == [2, 2, 2, 2])
    let merged = fixture.url("merged.json").path
    #expect(try Tool.execute(contam, ["merge"] + parts + ["--out", merged]).status == 0)
    #expect(try Data(contentsOf: URL(fileURLWithPath: merged)) == Data(contentsOf: URL(fileURLWithPath: single)), "byte-identical")
    // Refused: a missing partition, a duplicated one, different parameters.
    let missing = try Tool.execute(contam, ["merge"] + parts.dropLast() + ["--out", fixture.url("x.json").path])
    #expect(missing.status == 4 && missing.stderr.contains("partition 4/4 missing"))
    let duplicate = try Tool.execute(contam, ["merge"] + parts + [parts[0], "--out", fixture.url("x.json").path])
    #expect(duplicate.status == 4 && duplicate.stderr.contains("given twice"))
    let otherParameters = fixture.url("other.json").path
    _ = try scan(["--ngram", "12", "--partition", "4/4", "--out", otherParameters] + benchmarks + [corpus])
    let mismatch = try Tool.execute(contam, ["merge"] + parts.dropLast() + [otherParameters, "--out", fixture.url("x.json").path])
    #expect(mismatch.status == 4 && mismatch.stderr.contains("parameters differ"))
    #expect(!FileManager.default.fileExists(atPath: fixture.url("x.json").path))
  }

  @Test func reportsInMarkdownAndHTML() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let cert = fixture.url("cert.json").path
    _ = try scan(["--out", cert] + benchmarks + ["\(samples.path)/shards"])
    let markdown = try Tool.execute(contam, ["report", cert, "--corpus", samples.path])
    #expect(markdown.status == 0)
    #expect(markdown.stdout.contains("| gsm8k | 40 |"))
    #expect(markdown.stdout.contains("### gsm8k/gsm8k-sample/1: partial"))
    #expect(markdown.stdout.contains("**Janet**"), "matched words are highlighted")
    let html = fixture.url("report.html").path
    #expect(try Tool.execute(contam, ["report", cert, "--format", "html", "--out", html, "--corpus", samples.path]).status == 0)
    let page = try String(contentsOfFile: html, encoding: .utf8)
    #expect(page.contains("<svg") && page.contains("<mark>Janet</mark>"))
    #expect(!page.contains("src=\"http") && !page.contains("href=\"http"), "no external assets")
  }
}
