import Contam
import Foundation
import Testing
import _ContamTestSupport

/// What an adversary who wants a false "clean" would try (issue: a certificate that cannot
/// be forged, merged wrong or misread; every input mistake an error). Each case ran through
/// the real binary and got through before the fix.
@Suite("Trust: forged, edited and mistaken inputs")
struct TrustTests {
  let contam = TestData.contamExecutable
  let samples = TestData.packageRoot.appendingPathComponent("corpora-samples")

  var gsm8k: [String] { ["--benchmark", "gsm8k=\(samples.path)/benchmarks/gsm8k-sample.jsonl"] }

  /// A certificate of the sample run (gsm8k sample items 1, 2, 3, 6 are partial), signed when `key` is given.
  func certificate(_ fixture: ShardFixture, key: String? = nil, extra: [String] = []) throws -> String {
    let cert = fixture.url("cert-\(UUID().uuidString).json").path
    let run = try Tool.execute(
      contam, ["scan", "--fail-on", "never", "--out", cert] + (key.map { ["--sign", $0] } ?? []) + gsm8k + extra + ["\(samples.path)/shards"])
    #expect(run.status == 0, "\(run.stderr)")
    return cert
  }

  func roots(_ fixture: ShardFixture) -> [String] { ["--corpus", samples.path, "--corpus", fixture.directory.path] }

  /// Writes `certificate` after `edit`, sealed again (digest recomputed, unsigned).
  func resealed(_ path: String, _ fixture: ShardFixture, _ edit: (inout Certificate) -> Void) throws -> String {
    var certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: path)))
    edit(&certificate)
    let out = fixture.url("edited-\(UUID().uuidString).json").path
    try certificate.sealed().encoded().write(to: URL(fileURLWithPath: out))
    return out
  }

  @Test func duplicateAndUnknownKeysAreRefusedWithTheirJSONPath() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let key = fixture.url("k.key").path
    #expect(try Tool.execute(contam, ["keygen", "--out", key]).status == 0)
    let cert = try certificate(fixture, key: key)
    let text = try String(contentsOfFile: cert, encoding: .utf8)
    #expect(try Tool.execute(contam, ["verify", "--public-key", key + ".pub", cert] + roots(fixture)).status == 0)
    // The issue's exact attack: jq and Python read the last of two keys, so this said "clean" to them.
    let duplicate = text.replacingOccurrences(
      of: "\"verdict\" : \"partial\"", with: "\"verdict\" : \"partial\", \"verdict\" : \"clean\"")
    let unknown = text.replacingOccurrences(of: "\"verdict\" : \"partial\"", with: "\"verdict\" : \"partial\", \"note\" : \"clean\"")
    let nulled = text.replacingOccurrences(of: "\"documents\" : 1,", with: "\"documents\" : 1, \"documentID\" : null,")
    for (name, edited, message) in [
      ("duplicate", duplicate, ".verdict: duplicate key"), ("unknown", unknown, ".note: unknown field"),
      ("null", nulled, ".documentID: null"),
    ] {
      #expect(edited != text, "\(name): the edit applies")
      let path = fixture.url("\(name).json").path
      try edited.write(toFile: path, atomically: true, encoding: .utf8)
      for command in [["verify", "--public-key", key + ".pub", path], ["report", path]] {
        let run = try Tool.execute(contam, command)
        #expect(run.status == 4, "\(name) \(command[0]): \(run.stdout)")
        #expect(run.stderr.contains("invalid_certificate: at $.items[") && run.stderr.contains(message), "\(name): \(run.stderr)")
      }
    }
  }

  @Test func anEditedCertificateWithARecomputedDigestDisagreesWithItself() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let cert = try certificate(fixture)
    let original = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    let partial = try #require(original.items.firstIndex { $0.verdict == .partial })
    let edits: [(String, (inout Certificate) -> Void)] = [
      ("verdict flipped to clean", { $0.items[partial].verdict = .clean }),
      ("summary edited", { $0.summary[0].partial = 0; $0.summary[0].clean += 4 }),
      ("coverage lowered", { $0.items[partial].coverage = 0.1 }),
      ("evidence removed", { $0.items[partial].evidence = [] }),
      ("thresholds raised", {
        $0.parameters.partialThreshold = 0.7
        $0.parameters.near?.minimumMatchedShingles = 10_000
      }),
      ("contaminated without evidence", {
        let clean = $0.items.firstIndex { $0.verdict == .clean }!
        $0.items[clean].verdict = .contaminated
      }),
    ]
    for (name, edit) in edits {
      let path = try resealed(cert, fixture, edit)
      let run = try Tool.execute(contam, ["verify", path] + roots(fixture))
      #expect(run.status == 1, "\(name)")
      #expect(run.stdout.contains("ok   digest"), "\(name): the digest was recomputed")
      #expect(run.stdout.contains("FAIL consistency"), "\(name): \(run.stdout)")
    }
    // The untouched certificate agrees with itself.
    let clean = try Tool.execute(contam, ["verify", cert] + roots(fixture))
    #expect(clean.status == 0 && clean.stdout.contains("ok   consistency"), "\(clean.stdout)")
  }

  @Test func valuesOutOfRangeAreErrorsNotCrashes() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let cert = try certificate(fixture)
    let edits: [(String, String, (inout Certificate) -> Void)] = [
      ("n = 0", "$.parameters", { $0.parameters.n = 0 }),
      ("evidencePerItem = -1", "$.parameters", { $0.parameters.evidencePerItem = -1 }),
      ("signatureSize = 1000", "$.parameters", { $0.parameters.near?.signatureSize = 1000 }),
      ("coverage = -1", "$.items[0].coverage", { $0.items[0].coverage = -1 }),
      ("coverage = 1e300", "$.items[0].coverage", { $0.items[0].coverage = 1e300 }),
      ("tokens negative", "$.items[0].tokens", { $0.items[0].tokens = -5 }),
      ("unknown text version", "$.parameters.normalization", { $0.parameters.normalization = "contam-text/9" }),
    ]
    for (name, path, edit) in edits {
      let edited = try resealed(cert, fixture, edit)
      for command in [["verify", edited], ["verify", "--full", edited], ["report", edited], ["merge", edited, "--out", fixture.url("m.json").path]] {
        let run = try Tool.execute(contam, command)
        #expect(run.status == 4, "\(name), \(command[0]): status \(run.status)")
        #expect(run.stderr.contains(path), "\(name), \(command[0]): \(run.stderr)")
      }
    }
  }

  @Test func aShardPathMistakeIsAnErrorNeverAllClean() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let cert = fixture.url("cert.json").path
    for (argument, message) in [
      (fixture.url("nomatch/*.gz").path, "the pattern matches no file"), ("/nonexistent/dir", "no such file or directory"),
      (fixture.url("").path, "the directory holds no shard files"),
    ] {
      let run = try Tool.execute(contam, ["scan", "--out", cert] + gsm8k + [argument])
      #expect(run.status == 4, "\(argument)")
      #expect(run.stderr.contains(message), "\(run.stderr)")
      #expect(!FileManager.default.fileExists(atPath: cert))
      // One good argument does not excuse a bad one.
      let mixed = try Tool.execute(contam, ["scan", "--out", cert] + gsm8k + ["\(samples.path)/shards", argument])
      #expect(mixed.status == 4 && !FileManager.default.fileExists(atPath: cert))
    }
  }

  @Test func oneFileNamedTwiceIsReadOnceAndHiddenFilesAreReported() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let dir = fixture.url("shards")
    try FileManager.default.copyItem(at: samples.appendingPathComponent("shards"), to: dir)
    try FileManager.default.createSymbolicLink(atPath: fixture.url("link.jsonl.gz").path, withDestinationPath: dir.path + "/web.jsonl.gz")
    try FileManager.default.copyItem(atPath: dir.path + "/web.jsonl.gz", toPath: dir.path + "/.hidden.jsonl.gz")
    func documents(_ arguments: [String]) throws -> (Int, String) {
      let cert = fixture.url("c-\(UUID().uuidString).json").path
      let run = try Tool.execute(contam, ["scan", "--fail-on", "never", "--out", cert] + gsm8k + arguments)
      #expect(run.status == 0, "\(run.stderr)")
      return (try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert))).corpus.documents, run.stderr)
    }
    // A name that is not UTF-8 cannot be recorded exactly: an error naming it, never a silent drop.
    let odd = fixture.url("odd")
    try FileManager.default.createDirectory(at: odd, withIntermediateDirectories: true)
    try Tool.run("bash", ["-c", "cp \"$0\" \"$1\"/$'caf\\xe9.jsonl.gz'", dir.path + "/web.jsonl.gz", odd.path])
    let refused = try Tool.execute(contam, ["scan", "--out", fixture.url("odd.json").path] + gsm8k + [odd.path])
    #expect(refused.status == 4 && refused.stderr.contains("not UTF-8") && refused.stderr.contains("caf\\xe9"), "\(refused.stderr)")
    let (once, hiddenNote) = try documents([dir.path])
    #expect(hiddenNote.contains("not reading 1 hidden entries") && hiddenNote.contains(".hidden.jsonl.gz"))
    let web = dir.path + "/web.jsonl.gz"
    let (twice, note) = try documents([dir.path, web, dir.path + "/./web.jsonl.gz", fixture.url("link.jsonl.gz").path])
    #expect(twice == once, "each file read once")
    #expect(note.contains("reading once what 3 arguments name twice"), "\(note)")
  }

  @Test func mergeRefusesPartsThatDoNotCoverOneShardListExactlyOnce() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let dir = fixture.url("shards")
    try FileManager.default.copyItem(at: samples.appendingPathComponent("shards"), to: dir)
    func part(_ i: Int, _ shards: [String]) throws -> String {
      let out = fixture.url("part-\(i)-\(UUID().uuidString).json").path
      let run = try Tool.execute(contam, ["scan", "--fail-on", "never", "--partition", "\(i)/2", "--out", out] + gsm8k + shards)
      #expect(run.status == 0, "\(run.stderr)")
      return out
    }
    let first = try part(1, [dir.path])
    let second = try part(2, [dir.path])
    let merged = fixture.url("merged.json").path
    #expect(try Tool.execute(contam, ["merge", first, second, "--out", merged]).status == 0)
    // The issue's case: part 2 from another shard list, so web.jsonl.gz twice and devil.txt.gz never.
    let other = try part(2, [dir.path + "/code.jsonl.zst", dir.path + "/web.jsonl.gz"])
    let bad = try Tool.execute(contam, ["merge", first, other, "--out", fixture.url("bad.json").path])
    #expect(bad.status == 4 && bad.stderr.contains("different shard list"), "\(bad.stderr)")
    #expect(!FileManager.default.fileExists(atPath: fixture.url("bad.json").path))

    // An edited unsigned part is not laundered by signing the merge.
    let key = fixture.url("k.key").path
    _ = try Tool.execute(contam, ["keygen", "--out", key])
    let edited = try resealed(second, fixture) { certificate in
      for k in certificate.items.indices { certificate.items[k].evidence = [] }
    }
    let signed = try Tool.execute(contam, ["merge", first, edited, "--sign", key, "--out", fixture.url("s.json").path])
    #expect(signed.status == 4 && signed.stderr.contains("part 1"), "\(signed.stderr)")
    // Signed parts under a pinned key merge and sign; an edited one is refused.
    let signedFirst = fixture.url("sp1.json").path
    let signedSecond = fixture.url("sp2.json").path
    for (i, out) in [(1, signedFirst), (2, signedSecond)] {
      #expect(
        try Tool.execute(
          contam, ["scan", "--fail-on", "never", "--partition", "\(i)/2", "--sign", key, "--out", out] + gsm8k + [dir.path]
        ).status == 0)
    }
    let good = try Tool.execute(
      contam, ["merge", "--public-key", key + ".pub", "--sign", key, signedFirst, signedSecond, "--out", fixture.url("g.json").path])
    #expect(good.status == 0, "\(good.stderr)")
    // Part 1 holds web.jsonl.gz, where the partial items are.
    let original = try String(contentsOfFile: signedFirst, encoding: .utf8)
    let editedSigned = original.replacingOccurrences(of: "\"verdict\" : \"partial\"", with: "\"verdict\" : \"clean\"")
    #expect(editedSigned != original)
    try editedSigned.write(toFile: signedFirst, atomically: true, encoding: .utf8)
    let refused = try Tool.execute(
      contam, ["merge", "--public-key", key + ".pub", "--sign", key, signedFirst, signedSecond, "--out", fixture.url("r.json").path])
    #expect(refused.status == 4, "\(refused.stderr)")
  }

  @Test func verifyReadsOnlyUnderItsCorpusRoots() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let cert = try certificate(fixture)
    let secret = "/etc/passwd"
    let digest = try Tool.run("sha256sum", [secret]).prefix(64)
    let pointed = try resealed(cert, fixture) { $0.shards[0].path = secret }
    let run = try Tool.execute(contam, ["verify", "--corpus", fixture.directory.path, pointed])
    #expect(run.stdout.contains("FAIL shard: \(secret): missing"), "\(run.stdout)")
    #expect(!run.stdout.contains(String(decoding: digest, as: UTF8.self)), "the file outside the roots was never hashed")
    // A relative path that climbs out of the root is refused the same way.
    let climbing = try resealed(cert, fixture) { $0.shards[0].path = "../../../../../../../etc/passwd" }
    let climbed = try Tool.execute(contam, ["verify", "--corpus", fixture.directory.path, climbing])
    #expect(climbed.stdout.contains("missing") && !climbed.stdout.contains(String(decoding: digest, as: UTF8.self)))
  }

  @Test func aBenchmarkGivenAsAJSONArrayIsReadAsItsItems() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let lines = try String(contentsOfFile: "\(samples.path)/benchmarks/gsm8k-sample.jsonl", encoding: .utf8)
      .split(separator: "\n")
    for (name, text) in [
      ("one-line.jsonl", "[" + lines.joined(separator: ",") + "]\n"), ("pretty.jsonl", "[\n  " + lines.joined(separator: ",\n  ") + "\n]\n"),
    ] {
      let path = try fixture.write(name, Data(text.utf8))
      let items = try BenchmarkLoader.load(name: "gsm8k", path: path, format: BenchmarkFormat.presets["gsm8k"]!)
      #expect(items.count == lines.count, "\(name)")
    }
    let scalar = try fixture.write("scalar.jsonl", Data("{\"question\": \"a b c\", \"answer\": \"#### 1\"}\n42\n".utf8))
    #expect(throws: ContamError.self) { try BenchmarkLoader.load(name: "gsm8k", path: scalar, format: BenchmarkFormat.presets["gsm8k"]!) }
  }

  @Test func aLongWindowZstdShardNeedsAnExplicitLimitAndThenReads() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    // Real documents with the planted sample question, compressed from stdin with a 2 GiB window.
    let web = try Tool.run("zstd", ["-dc", "\(samples.path)/shards/code.jsonl.zst"])
    let planted = try Tool.run("gzip", ["-dc", "\(samples.path)/shards/web.jsonl.gz"])
    let shard = try fixture.write("long.jsonl.zst", try Tool.run("zstd", ["--long=31", "-q", "-c"], input: web + planted))
    let lines = (web + planted).split(separator: 0x0A).count
    let refused = try Tool.execute(contam, ["stats", "--json", shard])
    #expect(refused.stderr.contains("corrupt_data") && refused.stderr.contains("--zstd-window-log-max"), "\(refused.stderr)")
    let read = try Tool.execute(contam, ["stats", "--json", "--zstd-window-log-max", "31", shard])
    let figures = try JSONDecoder().decode(CorpusStatistics.self, from: Data(read.stdout.utf8))
    #expect(figures.total.documents == lines && figures.total.problems.isEmpty, "\(figures.total.problems)")
    // The limit is recorded, so verify re-reads the evidence the same way.
    let cert = fixture.url("long.json").path
    #expect(try Tool.execute(contam, ["scan", "--fail-on", "never", "--zstd-window-log-max", "31", "--out", cert] + gsm8k + [shard]).status == 0)
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    #expect(certificate.parameters.reader.zstdWindowLogMax == 31)
    #expect(certificate.items.contains { $0.verdict == .partial })
    let verified = try Tool.execute(contam, ["verify", cert] + roots(fixture))
    #expect(verified.status == 0 && verified.stdout.contains("evidence locations confirmed"), "\(verified.stdout)")
    #expect(try Tool.execute(contam, ["stats", "--zstd-window-log-max", "40", shard]).status == 64)
  }

  @Test func thePrivateKeyIsNeverReadableByOthers() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let key = fixture.url("k.key").path
    #expect(try Tool.execute(contam, ["keygen", "--out", key]).status == 0)
    let mode = try #require(try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? NSNumber).intValue
    #expect(mode == 0o600, "mode \(String(mode, radix: 8))")
  }

  @Test func aReportShowsMarkupFromTheCorpusAsText() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    // A real GSM8K question planted in a page whose text carries markup and Markdown.
    let question = try #require(
      try JSONSerialization.jsonObject(
        with: Data(String(contentsOfFile: "\(samples.path)/benchmarks/gsm8k-sample.jsonl", encoding: .utf8).split(separator: "\n")[4].utf8))
        as? [String: Any])["question"] as! String
    // The markup sits inside the matched region, so it is part of the evidence snippet.
    let words = question.split(separator: " ")
    let half = words.count / 2
    let page = "Intro. " + words[..<half].joined(separator: " ") + " <script>alert(1)</script> [click](http://x.example) | cell | <img src=x onerror=alert(2)> "
      + words[half...].joined(separator: " ")
    let shard = try fixture.write("page.jsonl", try JSONSerialization.data(withJSONObject: ["text": page]) + Data("\n".utf8))
    let cert = fixture.url("c.json").path
    #expect(try Tool.execute(contam, ["scan", "--fail-on", "never", "--out", cert] + gsm8k + [shard]).status == 0)
    let markdown = try Tool.execute(contam, ["report", cert])
    #expect(markdown.status == 0)
    #expect(markdown.stdout.contains("Findings (1)"), "the planted question is found: \(markdown.stdout)")
    #expect(!markdown.stdout.contains("<script>") && !markdown.stdout.contains("<img"), "\(markdown.stdout)")
    #expect(!markdown.stdout.contains("](http"), "no live link")
    #expect(markdown.stdout.contains("&lt;script&gt;"))
  }

  @Test(arguments: [
    ["--contaminated", "2"], ["--partial", "-0.1"], ["--near-containment", "5"], ["--max-items-per-ngram", "0"],
    ["--jobs", "0"], ["--jobs", "-1"], ["--ngram", "0"], ["--minhash", "bogus"], ["--fail-on", "sometimes"],
  ])
  func optionValuesOutOfRangeAreUsageErrors(_ option: [String]) throws {
    let run = try Tool.execute(contam, ["scan"] + option + gsm8k + ["\(samples.path)/shards"])
    #expect(run.status == 64, "\(option): \(run.stderr)")
    #expect(run.stderr.contains(option[0]), "\(run.stderr)")
  }
}

/// Corpora that mix schemas: a wrong or single `--text-field` must not pass as clean.
@Suite("Mixed schemas: several text fields, and the skipped-records gate")
struct MixedSchemaTests {
  let contam = TestData.contamExecutable

  /// Three shards of real prose with a GSM8K question planted, one per schema.
  func corpus(_ fixture: ShardFixture) throws -> (dir: String, questions: [String]) {
    let items = try BenchmarkLoader.load(name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!)
    let questions = items.prefix(3).map { $0.parts[0].text }
    let (_, texts) = try ShardFixture.paragraphsJSONL(count: 90, novel: "122-0.txt.gz")
    let schemas: [(String, (String) -> [String: Any])] = [
      ("web.jsonl.gz", { ["text": $0] }), ("stack.jsonl.gz", { ["content": $0, "lang": "en"] }),
      ("cc.jsonl.gz", { ["meta": ["url": "https://example.org"], "raw_content": $0] }),
    ]
    try FileManager.default.createDirectory(at: fixture.url("corpus"), withIntermediateDirectories: true)
    for (k, (name, wrap)) in schemas.enumerated() {
      var data = Data()
      for (i, text) in texts[(30 * k)..<(30 * k + 30)].enumerated() {
        let body = i == 10 ? text + " " + questions[k] : text
        data += try JSONSerialization.data(withJSONObject: wrap(body), options: [.sortedKeys]) + Data("\n".utf8)
      }
      try fixture.compress("corpus/\(name)", data, tool: "gzip", ["-c"])
    }
    return (fixture.url("corpus").path, questions)
  }

  @Test func everySchemaIsReadAndTheCertificateSaysWhichFieldEachShardUsed() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (dir, _) = try corpus(fixture)
    let benchmark = ["--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))"]
    // One field: two of three shards are all missing_field; the gate refuses the run.
    let cert = fixture.url("cert.json").path
    let single = try Tool.execute(contam, ["scan", "--fail-on", "never", "--out", cert] + benchmark + [dir])
    #expect(single.status == 3, "\(single.stderr)")
    #expect(single.stderr.contains("stack.jsonl.gz: 100.0% of its records were skipped") && single.stderr.contains("--text-field"))
    #expect(!FileManager.default.fileExists(atPath: cert))
    // Forced through the gate, the run writes a certificate, but verify refuses to vouch for it.
    let forced = fixture.url("forced.json").path
    #expect(try Tool.execute(contam, ["scan", "--fail-on", "never", "--max-skipped-fraction", "1", "--out", forced] + benchmark + [dir]).status == 0)
    let refused = try Tool.execute(contam, ["verify", "--corpus", fixture.directory.path, "--corpus", TestData.path(""), forced])
    #expect(refused.status == 1 && refused.stdout.contains("FAIL consistency: input read: 2 shards had more records skipped than read"), "\(refused.stdout)")
    // Three fields: every shard read, the three planted questions found.
    let run = try Tool.execute(
      contam, ["scan", "--fail-on", "never", "--text-field", "text,content,raw_content", "--out", cert] + benchmark + [dir])
    #expect(run.status == 0, "\(run.stderr)")
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    #expect(certificate.corpus.documents == 90 && certificate.corpus.problems.isEmpty)
    let fields = Dictionary(uniqueKeysWithValues: certificate.shards.map { (($0.path as NSString).lastPathComponent, $0.textFields ?? [:]) })
    #expect(fields == ["web.jsonl.gz": ["text": 30], "stack.jsonl.gz": ["content": 30], "cc.jsonl.gz": ["raw_content": 30]])
    #expect(certificate.items.prefix(3).allSatisfy { $0.verdict != .clean }, "\(certificate.items.prefix(3).map(\.verdict))")
    #expect(certificate.parameters.reader.textField == "text,content,raw_content")
    // verify reads the shards the same way (the fields are in the certificate).
    #expect(try Tool.execute(contam, ["verify", "--corpus", fixture.directory.path, "--corpus", TestData.path(""), cert]).status == 0)
  }
}

@Suite("Streams: a shard on standard input")
struct StreamTests {
  let contam = TestData.contamExecutable
  let samples = TestData.packageRoot.appendingPathComponent("corpora-samples")

  /// Runs `contam args` with `file`'s bytes on standard input.
  func run(_ args: [String], stdin file: String) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: contam)
    process.arguments = args
    process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
  }

  @Test(arguments: ["web.jsonl.gz", "code.jsonl.zst"])
  func aPipedShardGivesTheSameVerdictsAndIsRecordedAsAStream(_ name: String) throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let shard = "\(samples.path)/shards/\(name)"
    let benchmarks = [
      "--benchmark", "gsm8k=\(samples.path)/benchmarks/gsm8k-sample.jsonl",
      "--benchmark", "arc=\(samples.path)/benchmarks/arc-challenge-sample.jsonl",
    ]
    let piped = fixture.url("piped.json").path
    let direct = fixture.url("direct.json").path
    #expect(try run(["scan", "--fail-on", "never", "--out", piped] + benchmarks + ["-"], stdin: shard) == 0)
    #expect(try Tool.execute(contam, ["scan", "--fail-on", "never", "--out", direct] + benchmarks + [shard]).status == 0)
    let a = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: piped)))
    let b = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: direct)))
    #expect(a.shards.map(\.path) == ["-"])
    let sha = String(decoding: try Tool.run("sha256sum", [shard]).prefix(64), as: UTF8.self)
    #expect(a.shards[0].sha256 == sha && a.shards[0].compressedBytes == b.shards[0].compressedBytes)
    #expect(a.shards[0].codec == b.shards[0].codec && a.corpus.documents == b.corpus.documents)
    #expect(a.items.map(\.verdict) == b.items.map(\.verdict) && a.items.map(\.coverage) == b.items.map(\.coverage))
    #expect(a.items.flatMap(\.evidence).allSatisfy { $0.shard == "-" })
    let verify = try Tool.execute(contam, ["verify", piped])
    #expect(verify.status == 1 && verify.stdout.contains("standard input") && verify.stdout.contains(sha), "\(verify.stdout)")
  }
}

@Suite("Parquet shards through the CLI")
struct ParquetCommandTests {
  let contam = TestData.contamExecutable
  let directory = TestData.packageRoot.appendingPathComponent("Tests/Fixtures/parquet").path

  @Test func aParquetShardGivesTheVerdictsAndEvidenceOfTheSameJSONL() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let arguments = [
      "scan", "--fail-on", "never", "--id-field", "id", "--max-skipped-fraction", "0.2",
      "--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))",
    ]
    func certificate(_ shard: String) throws -> Certificate {
      let out = fixture.url("c-\(UUID().uuidString).json").path
      let run = try Tool.execute(contam, arguments + ["--out", out, shard])
      #expect(run.status == 0, "\(run.stderr)")
      return try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: out)))
    }
    let jsonl = try certificate(directory + "/same.jsonl.zst")
    #expect(jsonl.items.prefix(3).allSatisfy { $0.verdict != .clean }, "the three planted questions are found")
    for name in ["snappy-dictionary-v1", "zstd-dictionary-v2", "delta-byte-array"] {
      let parquet = try certificate(directory + "/\(name).parquet")
      #expect(parquet.shards[0].codec == .parquet)
      #expect(parquet.items.map(\.verdict) == jsonl.items.map(\.verdict), "\(name)")
      #expect(parquet.items.map(\.coverage) == jsonl.items.map(\.coverage))
      let a = parquet.items.flatMap(\.evidence).map { [$0.documentID ?? "", $0.snippet, "\($0.byteStart)-\($0.byteEnd)"] }
      let b = jsonl.items.flatMap(\.evidence).map { [$0.documentID ?? "", $0.snippet, "\($0.byteStart)-\($0.byteEnd)"] }
      #expect(a == b, "same evidence text, ids and byte ranges")
    }
    // verify re-reads the evidence rows of a Parquet shard.
    let out = fixture.url("p.json").path
    #expect(try Tool.execute(contam, arguments + ["--out", out, directory + "/snappy-plain-v2.parquet"]).status == 0)
    let verified = try Tool.execute(contam, ["verify", "--corpus", TestData.packageRoot.path, out])
    #expect(verified.status == 0 && verified.stdout.contains("evidence locations confirmed"), "\(verified.stdout)")
    // With the default gate, 16 null texts of 120 rows (13%) are too many to call the shard read.
    let gated = try Tool.execute(contam, ["scan", "--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))", directory + "/binary.parquet"])
    #expect(gated.status == 3 && gated.stderr.contains("13.3% of its records were skipped"), "\(gated.stderr)")
  }
}

@Suite("Dataset layouts")
struct DatasetLayoutTests {
  let contam = TestData.contamExecutable

  @Test func aHuggingFaceStyleCheckoutIsReadShardsOnly() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let parquet = TestData.packageRoot.appendingPathComponent("Tests/Fixtures/parquet").path
    let root = fixture.url("dataset")
    let fm = FileManager.default
    for dir in ["data", "extra", ".cache/huggingface"] {
      try fm.createDirectory(at: root.appendingPathComponent(dir), withIntermediateDirectories: true)
    }
    try "---\nlicense: mit\n---\n# A dataset card\nSome prose about the data.\n".write(
      to: root.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
    try "*.parquet filter=lfs\n".write(to: root.appendingPathComponent(".gitattributes"), atomically: true, encoding: .utf8)
    try "tokenizer: x\n".write(to: root.appendingPathComponent("extra/config.yaml"), atomically: true, encoding: .utf8)
    try fm.copyItem(atPath: parquet + "/snappy-dictionary-v1.parquet", toPath: root.appendingPathComponent("data/train-00000-of-00002.parquet").path)
    try fm.copyItem(atPath: parquet + "/zstd-dictionary-v2.parquet", toPath: root.appendingPathComponent("data/train-00001-of-00002.parquet").path)
    try fm.copyItem(atPath: parquet + "/same.jsonl.zst", toPath: root.appendingPathComponent("extra/part-0.jsonl.zst").path)
    let cert = fixture.url("c.json").path
    let run = try Tool.execute(
      contam, [
        "scan", "--fail-on", "never", "--id-field", "id", "--max-skipped-fraction", "0.2", "--out", cert,
        "--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))", root.path,
      ])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("not reading 2 files that are not data by name") && run.stderr.contains("README.md"), "\(run.stderr)")
    #expect(run.stderr.contains("hidden entries"))
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    #expect(certificate.shards.map { ($0.path as NSString).lastPathComponent } == ["train-00000-of-00002.parquet", "train-00001-of-00002.parquet", "part-0.jsonl.zst"])
    #expect(certificate.corpus.documents == 3 * 104)
    #expect(certificate.items.prefix(3).allSatisfy { $0.verdict != .clean && $0.documents == 3 })
  }
}

@Suite("Common Crawl WET")
struct WETTests {
  let contam = TestData.contamExecutable

  /// A WET file as Common Crawl ships it: a warcinfo record, then conversion records of real
  /// prose, each record its own gzip member.
  func wet(_ fixture: ShardFixture, pages: [String], cutLast: Bool = false) throws -> String {
    var records: [Data] = []
    func record(_ type: String, uri: String?, _ body: String) -> Data {
      let content = Data(body.utf8)
      var header = "WARC/1.0\r\nWARC-Type: \(type)\r\n"
      if let uri { header += "WARC-Target-URI: \(uri)\r\n" }
      header += "WARC-Date: 2024-02-21T00:00:00Z\r\nContent-Type: text/plain\r\nContent-Length: \(content.count)\r\n\r\n"
      return Data(header.utf8) + content + Data("\r\n\r\n".utf8)
    }
    records.append(record("warcinfo", uri: nil, "isPartOf: CC-MAIN-2024-10\r\noperator: Common Crawl Admin\r\n"))
    for (k, page) in pages.enumerated() { records.append(record("conversion", uri: "https://example.org/page/\(k + 1)", page)) }
    if cutLast { records[records.count - 1] = records[records.count - 1].prefix(records[records.count - 1].count / 2) }
    var file = Data()
    for r in records { file += try Tool.run("gzip", ["-c"], input: r) }
    return try fixture.write("CC-MAIN-test.warc.wet.gz", file)
  }

  @Test func conversionRecordsAreDocumentsWithTheirURIs() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (_, paragraphs) = try ShardFixture.paragraphsJSONL(count: 30, novel: "155-0.txt.gz")
    let items = try BenchmarkLoader.load(name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!)
    var pages = stride(from: 0, to: 30, by: 3).map { paragraphs[$0..<$0 + 3].joined(separator: "\n\n") }
    pages[4] += "\n\nA reader asked: " + items[0].parts[0].text + "\nThanks for reading."
    let path = try wet(fixture, pages: pages)
    let reader = ShardReader(options: ShardReaderOptions(format: .auto(textField: .text, idField: nil)))
    var documents: [(Int, String?, String)] = []
    let counts = try reader.read(path: path) { documents.append(($0.line, $0.id, $0.textString)) } onProblem: { _ in }
    #expect(counts.problems.isEmpty && counts.lines == 11 && counts.documents == 10)
    #expect(documents.map(\.1) == (1...10).map { "https://example.org/page/\($0)" })
    #expect(documents.map(\.2) == pages, "record content exactly, CRLF and all")
    #expect(documents.map(\.0) == Array(2...11), "line = the record's ordinal (the warcinfo record is 1)")
    let cert = fixture.url("c.json").path
    let run = try Tool.execute(
      contam, ["scan", "--fail-on", "never", "--out", cert, "--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))", path])
    #expect(run.status == 0, "\(run.stderr)")
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    #expect(certificate.items[0].verdict != .clean && certificate.items[0].evidence.first?.documentID == "https://example.org/page/5")
    let verified = try Tool.execute(contam, ["verify", "--corpus", fixture.directory.path, "--corpus", TestData.packageRoot.path, cert])
    #expect(verified.status == 0, "\(verified.stdout)")
  }

  @Test func largeRecordsAcrossReadChunksAreReadWhole() throws {
    // Pages of 50 to 400 kB, so record headers fall across the reader's 1 MiB chunks and the
    // buffer is compacted under them.
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let novel = try TestData.gutenberg("1342-0.txt.gz", bytes: 700_000)
    var pages: [String] = []
    for k in 0..<24 {
      let size = 50_000 + (k * 37_123) % 350_000
      pages.append(String(novel.dropFirst((k * 9_001) % 250_000).prefix(size)))
    }
    let path = try wet(fixture, pages: pages)
    let reader = ShardReader(options: ShardReaderOptions(format: .auto(textField: .text, idField: nil)))
    var texts: [String] = []
    let counts = try reader.read(path: path) { texts.append($0.textString) } onProblem: { _ in }
    #expect(counts.problems.isEmpty, "\(counts.problems)")
    #expect(texts == pages)
  }

  @Test func aCutRecordAndAHeaderThatIsNotWARCAreReported() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let long = try TestData.gutenberg("141.txt.gz", bytes: 5_000)
    let path = try wet(fixture, pages: ["first page of text", long], cutLast: true)
    var problems: [ContamError] = []
    let reader = ShardReader(options: ShardReaderOptions(format: .auto(textField: .text, idField: nil)))
    let counts = try reader.read(path: path) { _ in } onProblem: { problems.append($0) }
    #expect(counts.documents == 1 && problems.map(\.code) == [.incompleteLine], "\(problems)")
    let bogus = try fixture.write("bogus.wet", Data("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello".utf8))
    problems = []
    _ = try reader.read(path: bogus) { _ in } onProblem: { problems.append($0) }
    #expect(problems.first?.code == .corruptData && problems.first?.message.contains("not a WARC record") == true)
  }
}
