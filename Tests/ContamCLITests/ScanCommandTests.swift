import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("contam scan, run as a user would")
struct ScanCommandTests {
  let contam = TestData.contamExecutable
  let samples = TestData.packageRoot.appendingPathComponent("corpora-samples")

  func benchmarkArguments() -> [String] {
    [
      "--benchmark", "gsm8k=\(samples.path)/benchmarks/gsm8k-sample.jsonl",
      "--benchmark", "arc=\(samples.path)/benchmarks/arc-challenge-sample.jsonl",
      "--benchmark", "math=\(samples.path)/benchmarks/math-sample.jsonl",
    ]
  }

  /// `--index-cache`: the first scan writes the indexes, the second reads them and says so,
  /// with the same items in the certificate; `--no-index-cache` reads and writes nothing.
  @Test func theIndexCacheIsWrittenOnceAndReadAfterWithTheSameResults() throws {
    let root = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let cache = root.appendingPathComponent("cache").path
    let benchmarks = [
      "--benchmark", "mmlu=\(TestData.path("benchmarks/mmlu/test"))", "--benchmark", "math=\(TestData.path("benchmarks/math/test.jsonl.gz"))",
      "--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))",
    ]
    func scan(_ options: [String], _ out: String) throws -> (stderr: String, items: Data) {
      let run = try Tool.execute(
        contam, ["scan", "--jobs", "2", "--fail-on", "never", "--out", root.appendingPathComponent(out).path] + options + benchmarks + ["\(samples.path)/shards"])
      #expect(run.status == 0, "\(run.stderr)")
      let certificate = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent(out))) as? [String: Any])
      return (run.stderr, try JSONSerialization.data(withJSONObject: certificate["items"] as Any, options: [.sortedKeys]))
    }
    let first = try scan(["--index-cache", cache], "first.json")
    #expect(!first.stderr.contains("read from the index cache"))
    let written = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".contam-index") }
    #expect(written.count == 1, "the build of these items takes more than 0.2 s: \(written)")
    let second = try scan(["--index-cache", cache], "second.json")
    #expect(second.stderr.contains("(read from the index cache)"), "\(second.stderr)")
    #expect(second.items == first.items)
    // --no-index-cache wins over a cache that holds these indexes.
    let none = try scan(["--no-index-cache", "--index-cache", cache], "none.json")
    #expect(!none.stderr.contains("read from the index cache"), "\(none.stderr)")
    #expect(none.items == first.items)
  }

  @Test func onATerminalProgressCountsTheBytesReadUpToTheShardsSizes() throws {
    // Progress is drawn only when stderr is a terminal: run under script(1), which gives the
    // scan a pseudo-terminal and copies what it draws to stdout.
    let script = "/usr/bin/script"
    try #require(FileManager.default.isExecutableFile(atPath: script), "script(1) (util-linux) is needed")
    let arguments = [contam, "scan", "--jobs", "2", "--fail-on", "never"] + benchmarkArguments() + ["\(samples.path)/shards"]
    let command = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
    let run = try Tool.execute(script, ["-qec", command, "/dev/null"])
    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    let shards = try FileManager.default.contentsOfDirectory(atPath: "\(samples.path)/shards")
    let total = try shards.reduce(0) {
      $0 + (try FileManager.default.attributesOfItem(atPath: "\(samples.path)/shards/\($1)")[.size] as! Int)
    }
    let megabytes = String(format: "%.1f", Double(total) / 1e6)
    let last = "scan: \(shards.count)/\(shards.count) shards, \(megabytes) of \(megabytes) MB read (100%)"
    #expect(run.stdout.contains(last), "the last progress line counts every byte: \(run.stdout.suffix(600))")
  }

  @Test func theSampleScanFindsWhatPLANTEDmdSaysAndMatchesTheSchema() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let out = fixture.url("result.json").path
    let run = try Tool.execute(
      contam, ["scan", "--jobs", "2", "--id-field", "id", "--out", out] + benchmarkArguments() + ["\(samples.path)/shards"])
    // The ARC copy (question and answer) is contaminated: exit 1. The GSM8K copies are questions
    // only (no answer stated): partial.
    #expect(run.status == 1, "\(run.stderr)")
    #expect(run.stdout.contains("flagged items"))
    let data = try Data(contentsOf: URL(fileURLWithPath: out))
    let json = try JSONSerialization.jsonObject(with: data)
    let schemaURL = TestData.packageRoot.appendingPathComponent("docs/schema/contam-certificate-1.schema.json")
    let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: schemaURL)) as? [String: Any])
    #expect(SchemaCheck.violations(of: json, against: schema) == [])
    // The check can fail: a missing key and an unknown verdict are both caught.
    var broken = try #require(json as? [String: Any])
    broken["format"] = nil
    var items = try #require(broken["items"] as? [[String: Any]])
    items[0]["verdict"] = "dirty"
    broken["items"] = items
    #expect(SchemaCheck.violations(of: broken, against: schema).count == 2)
    let result = try JSONDecoder().decode(Certificate.self, from: data)
    // PLANTED.md: GSM8K items 1, 2, 3 and 6 (questions) at lines 11, 51, 91, 151; ARC Mercury_SC_408547 at 181.
    let flagged = result.items.filter { $0.verdict != .clean && $0.verdict != .tooShort }
    #expect(flagged.map(\.id) == ["gsm8k-sample/1", "gsm8k-sample/2", "gsm8k-sample/3", "gsm8k-sample/6", "Mercury_SC_408547"])
    #expect(flagged.map { $0.evidence.first?.line } == [11, 51, 91, 151, 181])
    #expect(flagged.allSatisfy { $0.parts.first { $0.part == "question" }?.coverage == 1.0 })
    #expect(flagged.first?.evidence.first?.documentID == "web-11")
    // The ARC copy states its answer as the option's text: it agrees, and the near copy of the
    // question at containment 1.0 with the same answer makes it contaminated, though its exact
    // coverage (0.46: the options are short) is not.
    #expect(flagged.last?.evidence.first?.answer?.agreement == .same)
    #expect(flagged.map(\.verdict) == [.partial, .partial, .partial, .partial, .contaminated])
    #expect(flagged.last.map { $0.coverage < 0.8 && $0.nearDuplicate?.containment == 1 } == true)
    #expect(result.summary.map(\.items) == [40, 30, 20])
    // The same bytes for any --jobs.
    let out1 = fixture.url("one.json").path
    _ = try Tool.execute(contam, ["scan", "--jobs", "1", "--id-field", "id", "--out", out1] + benchmarkArguments() + ["\(samples.path)/shards"])
    #expect(try Data(contentsOf: URL(fileURLWithPath: out1)) == data)
  }

  @Test func exitStatusGatesAPipeline() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let partial = try Tool.execute(contam, ["scan", "--fail-on", "partial"] + benchmarkArguments() + ["\(samples.path)/shards"])
    #expect(partial.status == 1)
    let never = try Tool.execute(contam, ["scan", "--fail-on", "never"] + benchmarkArguments() + ["\(samples.path)/shards"])
    #expect(never.status == 0)
    let noBenchmark = try Tool.execute(contam, ["scan", "\(samples.path)/shards"])
    #expect(noBenchmark.status == 64)
    let unknown = try Tool.execute(contam, ["scan", "--benchmark", "nope=/no/such/file", "\(samples.path)/shards"])
    #expect(unknown.status == 64, "a non-preset name without --fields is a usage error")
    let missing = try Tool.execute(contam, ["scan", "--benchmark", "gsm8k=/no/such/file", "\(samples.path)/shards"])
    #expect(missing.status == 4)
    #expect(missing.stderr.contains("/no/such/file"))
    // A field mapping no benchmark reads (every one is a preset) is a usage error, not ignored.
    for option in [["--fields", "question=problem"], ["--item-id-field", "uid"]] {
      let unused = try Tool.execute(contam, ["scan"] + option + benchmarkArguments() + ["\(samples.path)/shards"])
      #expect(unused.status == 64 && unused.stderr.contains("\(option[0]) applies to benchmarks that are not presets"), "\(unused.stderr)")
    }
    // An --id-field no document has is named once per shard, counted in the certificate.
    let ids = fixture.url("ids.json").path
    let misnamed = try Tool.execute(contam, ["scan", "--fail-on", "never", "--id-field", "uid", "--out", ids] + benchmarkArguments() + ["\(samples.path)/shards"])
    #expect(misnamed.status == 0 && misnamed.stderr.contains("missing_id: no document has an id at 'uid'"), "\(misnamed.stderr)")
    let counted = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: ids))).shards.filter { $0.problems["missing_id"] == 1 }
    #expect(counted.count == 2, "the two JSONL shards (the third is plain text): \(counted.map(\.path))")
    // A mapped field no record has is an error naming it (exit 4), not a scan without that part.
    let gsm = "\(samples.path)/benchmarks/gsm8k-sample.jsonl"
    let typo = try Tool.execute(contam, ["scan", "--benchmark", "mine=\(gsm)", "--fields", "question=question,answer=answers", "\(samples.path)/shards"])
    #expect(typo.status == 4 && typo.stderr.contains("no record has any of the fields 'answers'"), "\(typo.stderr)")
  }

  @Test func anUnwritableOutputIsAClearErrorAndLeavesNoFile() throws {
    let run = try Tool.execute(contam, ["scan", "--out", "/proc/contam-result.json"] + benchmarkArguments() + ["\(samples.path)/shards"])
    #expect(run.status == 4)
    #expect(run.stderr.contains("output_failed"))
    #expect(!FileManager.default.fileExists(atPath: "/proc/contam-result.json"))
  }

  /// Mistakes in options that once ran on or said the wrong thing: one benchmark name given
  /// twice (items named alike, a file counted twice) is a usage error; a signing key that is
  /// not there is named as such; a work directory that cannot be made fails the run (exit 4)
  /// without blaming --strict, which was not given.
  @Test func repeatedBenchmarksMissingKeysAndBadWorkDirectoriesAreNamed() throws {
    let gsm = "gsm8k=\(samples.path)/benchmarks/gsm8k-sample.jsonl"
    let shards = "\(samples.path)/shards"
    let twice = try Tool.execute(contam, ["scan", "--benchmark", gsm, "--benchmark", gsm, shards])
    #expect(twice.status == 64 && twice.stderr.contains("--benchmark gsm8k is given twice"), "\(twice.stderr)")
    let renamed = try Tool.execute(contam, ["scan", "--fail-on", "never", "--benchmark", gsm, "--benchmark", "gsm8k=\(samples.path)/benchmarks/arc-challenge-sample.jsonl", shards])
    #expect(renamed.status == 64, "two files under one name: \(renamed.stderr)")
    let key = try Tool.execute(contam, ["scan", "--sign", "/nonexistent/lab.key", "--benchmark", gsm, shards])
    #expect(key.status == 4 && key.stderr.contains("cannot read the signing key /nonexistent/lab.key: no such file"), "\(key.stderr)")
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("contam-workdir-\(UUID().uuidString)").path
    FileManager.default.createFile(atPath: file, contents: Data("a file".utf8))
    defer { try? FileManager.default.removeItem(atPath: file) }
    let work = try Tool.execute(contam, ["scan", "--fail-on", "never", "--work-dir", file, "--benchmark", gsm, shards])
    #expect(work.status == 4 && work.stderr.contains("output_failed") && !work.stderr.contains("--strict"), "\(work.stderr)")
  }

  /// Two benchmarks that are not presets, with fields of their own, in one run: each gets its
  /// mapping and id field by name (`--fields NAME:...`), a planted item of each is found, and the
  /// certificate records each benchmark's mapping. A name that is no benchmark, a preset's name,
  /// a mapping given twice, and a benchmark left without one are usage errors saying so.
  @Test func eachBenchmarkTakesItsOwnFieldsByName() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let lines = try String(contentsOfFile: TestData.path("benchmarks/gsm8k/test.jsonl"), encoding: .utf8).split(separator: "\n")
    func record(_ line: Substring) throws -> [String: Any] { try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) }
    func jsonl(_ objects: [[String: Any]]) throws -> Data {
      Data(try objects.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: .sortedKeys), as: UTF8.self) }.joined(separator: "\n").utf8)
    }
    // alpha: GSM8K's first 20 items as {q, a}; beta: the next 20 as {uid, prompt}.
    let alpha = try lines.prefix(20).map { line -> [String: Any] in
      let r = try record(line)
      return ["q": r["question"]!, "a": r["answer"]!]
    }
    let beta = try lines.dropFirst(20).prefix(20).enumerated().map { k, line -> [String: Any] in ["uid": "b-\(k)", "prompt": try record(line)["question"]!] }
    let alphaPath = try fixture.write("alpha.jsonl", try jsonl(alpha))
    let betaPath = try fixture.write("beta.jsonl", try jsonl(beta))
    let prose = try TestData.gutenberg(bytes: 4_000)
    let planted = [prose + "\n" + (alpha[3]["q"] as! String) + "\n" + prose, prose + "\n" + (beta[5]["prompt"] as! String) + "\n" + prose]
    let shard = try fixture.write("shard.jsonl", try jsonl(planted.map { ["text": $0] }))
    let benchmarks = ["--benchmark", "alpha=\(alphaPath)", "--benchmark", "beta=\(betaPath)"]
    let cert = fixture.url("cert.json").path
    let run = try Tool.execute(
      contam,
      ["scan", "--fail-on", "never", "--out", cert] + benchmarks + [
        "--fields", "alpha:question=q,answer=a", "--fields", "beta:question=prompt", "--item-id-field", "beta:uid", shard,
      ])
    #expect(run.status == 0, "\(run.stderr)")
    let certificate = try Certificate(contentsOfFile: cert)
    #expect(certificate.benchmarks.map { $0.format?.parts.map(\.fields) ?? [] } == [[["q"], ["a"]], [["prompt"]]])
    #expect(certificate.benchmarks.map(\.format?.idField) == [nil, "uid"])
    let flagged = certificate.items.filter { $0.verdict == .contaminated }.map { "\($0.benchmark)/\($0.id)" }.sorted()
    #expect(flagged == ["alpha/alpha/4", "beta/b-5"], "\(flagged)")
    // A mapping without a name serves the benchmarks without one of their own.
    let shared = try Tool.execute(
      contam, ["scan", "--fail-on", "never"] + benchmarks + ["--fields", "beta:question=prompt", "--fields", "question=q", shard])
    #expect(shared.status == 0, "\(shared.stderr)")
    for (extra, says) in [
      (["--fields", "gamma:question=q", "--fields", "question=prompt"], "there is no --benchmark gamma"),
      (["--fields", "alpha:question=q", "--fields", "beta:question=prompt", "--item-id-field", "gsm8k:id"], "there is no --benchmark gsm8k"),
      (["--fields", "alpha:question=q", "--fields", "alpha:question=a"], "given twice for benchmark 'alpha'"),
      (["--fields", "question=q", "--fields", "question=prompt"], "given twice without a benchmark name"),
      (["--fields", "alpha:question=q"], "'beta' is not a preset"),
    ] {
      let bad = try Tool.execute(contam, ["scan"] + benchmarks + extra + [shard])
      #expect(bad.status == 64 && bad.stderr.contains(says), "\(extra): \(bad.stderr)")
    }
    let preset = try Tool.execute(
      contam, ["scan", "--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))"] + benchmarks + ["--fields", "gsm8k:question=q", "--fields", "question=q", shard])
    #expect(preset.status == 64 && preset.stderr.contains("'gsm8k' is a preset"), "\(preset.stderr)")
  }

  /// A benchmark that is not a preset gets an answer with `--answer-field` (FIELD, FIELD@boxed,
  /// FIELD@MARKER): GSM8K's first 30 items as {q, sol} with `sol@####` are judged as the preset
  /// judges them (a planted copy whose final answer was changed reads `answer different`, an
  /// exact one `answer same`); without it no answer is checked; a rule that finds no answer in
  /// any record is an error naming the fields there are.
  @Test func anAnswerFieldGivesACustomBenchmarkItsAnswers() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let lines = try String(contentsOfFile: TestData.path("benchmarks/gsm8k/test.jsonl"), encoding: .utf8).split(separator: "\n").prefix(30)
    let records = try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String]) }
    func jsonl(_ objects: [[String: String]]) throws -> Data {
      Data(try objects.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: .sortedKeys), as: UTF8.self) }.joined(separator: "\n").utf8)
    }
    // `ans`: the value after `####`, as a benchmark with an answer field of its own has it.
    let custom = try fixture.write(
      "alpha.jsonl",
      try jsonl(
        records.map {
          ["q": $0["question"]!, "sol": $0["answer"]!, "ans": $0["answer"]!.components(separatedBy: "####").last!.trimmingCharacters(in: .whitespaces)]
        }))
    let preset = try fixture.write("test.jsonl", Data(lines.joined(separator: "\n").utf8))
    let solution = records[3]["answer"]!
    let answer = try #require(solution.components(separatedBy: "####").last?.trimmingCharacters(in: .whitespaces))
    let changed = solution.replacingOccurrences(of: answer, with: String(try #require(Int(answer)) + 7))
    let prose = try TestData.gutenberg(bytes: 3_000)
    let shard = try fixture.write(
      "shard.jsonl",
      try jsonl([
        ["text": prose], ["text": prose + "\n" + records[3]["question"]! + "\n" + changed + "\n" + prose],
        ["text": prose + "\n" + records[5]["question"]! + "\n" + records[5]["answer"]! + "\n" + prose],
      ]))
    func answers(_ arguments: [String]) throws -> [String: String] {
      let out = fixture.url("cert-\(UUID().uuidString).json").path
      let run = try Tool.execute(contam, ["scan", "--fail-on", "never", "--out", out] + arguments + [shard])
      #expect(run.status == 0, "\(run.stderr)")
      let certificate = try Certificate(contentsOfFile: out)
      var found: [String: String] = [:]
      for item in certificate.items where item.verdict != .clean {
        found[String(item.id.split(separator: "/").last!)] = "\(item.verdict) \(item.nearDuplicate?.evidence.first?.answer?.agreement.rawValue ?? "-")"
      }
      return found
    }
    let expected = try answers(["--benchmark", "gsm8k=\(preset)"])
    #expect(expected["4"]?.hasSuffix("different") == true && expected["6"]?.hasSuffix("same") == true, "\(expected)")
    #expect(try answers(["--benchmark", "alpha=\(custom)", "--fields", "question=q,answer=sol", "--answer-field", "alpha:sol@####"]) == expected)
    let without = try answers(["--benchmark", "alpha=\(custom)", "--fields", "question=q,answer=sol"])
    #expect(without.keys.sorted() == ["4", "6"] && without.values.allSatisfy { $0.hasSuffix(" -") }, "\(without)")
    // A field that holds the answer itself.
    #expect(try answers(["--benchmark", "alpha=\(custom)", "--fields", "question=q,answer=sol", "--answer-field", "ans"]) == expected)
    let wrong = try Tool.execute(
      contam, ["scan", "--benchmark", "alpha=\(custom)", "--fields", "question=q,answer=sol", "--answer-field", "solution@####", shard])
    #expect(wrong.status == 4 && wrong.stderr.contains("no record has an answer in the text after '####' in 'solution'"), "\(wrong.stderr)")
    // A marker may hold a colon: `sol@Answer:` is the field `sol`, not a benchmark named `sol@Answer`.
    let colon = try Tool.execute(
      contam, ["scan", "--benchmark", "alpha=\(custom)", "--fields", "question=q,answer=sol", "--answer-field", "sol@Answer:", shard])
    #expect(colon.status == 4 && colon.stderr.contains("the text after 'Answer:' in 'sol'"), "\(colon.stderr)")
    let none = try Tool.execute(contam, ["scan", "--benchmark", "alpha=\(custom)", "--fields", "question=q", "--answer-field", "sol@", shard])
    #expect(none.status == 64 && none.stderr.contains("is not FIELD, FIELD@boxed or FIELD@MARKER"), "\(none.stderr)")
    // Read from its records (--fields auto): the same verdicts and answers, with what was read said,
    // recorded in the certificate, and verified; without --fields, the error offers that mapping.
    #expect(try answers(["--benchmark", "alpha=\(custom)", "--fields", "auto"]) == expected)
    let cert = fixture.url("auto.json").path
    let auto = try Tool.execute(contam, ["scan", "--fail-on", "never", "--out", cert, "--benchmark", "alpha=\(custom)", "--fields", "alpha:auto", shard])
    #expect(
      auto.status == 0
        && auto.stderr.contains("alpha: fields read from its records: question=q,answer=sol; answer: the text after '####' in 'sol'; left out: ans (its text is inside 'sol')"),
      "\(auto.stderr)")
    let recorded = try #require(try Certificate(contentsOfFile: cert).benchmarks[0].format)
    #expect(recorded.parts.map(\.fields) == [["q"], ["sol"]] && recorded.answer == .afterMarker(field: "sol", marker: "####"))
    let verified = try Tool.execute(contam, ["verify", "--full", cert, "--corpus", fixture.directory.path])
    #expect(verified.status == 0 && verified.stdout.contains("PASS"), "\(verified.stdout)")
    let unmapped = try Tool.execute(contam, ["scan", "--benchmark", "alpha=\(custom)", shard])
    #expect(unmapped.status == 64 && unmapped.stderr.contains("From its records: --fields alpha:auto would read question=q,answer=sol;"), "\(unmapped.stderr)")
    // An explicit answer rule wins over the one read from the records.
    #expect(try answers(["--benchmark", "alpha=\(custom)", "--fields", "auto", "--answer-field", "ans"]) == expected)
    // A preset's name on a file of other fields: refused, with the mapping under another name.
    let misnamed = try Tool.execute(contam, ["scan", "--benchmark", "gsm8k=\(custom)", shard])
    #expect(
      misnamed.status == 4 && misnamed.stderr.contains("no record has any of the fields 'question'")
        && misnamed.stderr.contains("--benchmark my-gsm8k=\(custom) --fields my-gsm8k:auto would read question=q,answer=sol;"),
      "\(misnamed.stderr)")
  }

  /// A negative number is the option's value, refused by name, not "Missing value" (the
  /// parser once read `-1` as an option of its own).
  @Test func negativeNumbersAreValuesRefusedByName() throws {
    let gsm = "gsm8k=\(samples.path)/benchmarks/gsm8k-sample.jsonl"
    for (option, value, says) in [
      ("--max-messages", "-1", "--max-messages must be at least 0"), ("--vote", "-0.3", "--vote in (0, 1]"),
      ("--contaminated", "-0.5", "--contaminated and --partial are fractions"), ("--ngram", "-3", "--ngram must be in 1...64"),
    ] {
      let run = try Tool.execute(contam, ["scan", "--benchmark", gsm, option, value, "\(samples.path)/shards"])
      #expect(run.status == 64 && run.stderr.contains(says) && !run.stderr.contains("Missing value"), "\(option) \(value): \(run.stderr)")
    }
  }

  @Test func helpExplainsEveryOption() throws {
    let help = try Tool.execute(contam, ["scan", "--help"])
    for option in ["--benchmark", "--fields", "--item-id-field", "--ngram", "--min-tokens", "--max-items-per-ngram",
      "--contaminated", "--partial", "--fail-on", "--out", "--jobs", "--strict", "Examples:", "Presets"]
    {
      #expect(help.stdout.contains(option), "help lacks \(option)")
    }
  }
}
