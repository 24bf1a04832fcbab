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
    // The untouched certificate agrees with itself and with the benchmark files.
    let clean = try Tool.execute(contam, ["verify", cert] + roots(fixture))
    #expect(clean.status == 0 && clean.stdout.contains("ok   consistency"), "\(clean.stdout)")
    #expect(clean.stdout.contains("item tokens") && !clean.stdout.contains("FAIL"), "\(clean.stdout)")
    // Moving tokens between judged, boilerplate and shared changes what coverage means; the
    // counts must follow from the benchmark files.
    for (name, edit) in [
      ("boilerplate raised", { (c: inout Certificate) in
        c.items[partial].boilerplateTokens += 1
        c.items[partial].parts[0].boilerplateTokens += 1
      }),
      ("shared raised", { (c: inout Certificate) in
        c.items[partial].sharedTokens += 1
        c.items[partial].parts[0].sharedTokens += 1
      }),
    ] {
      let run = try Tool.execute(contam, ["verify", try resealed(cert, fixture, edit)] + roots(fixture))
      #expect(run.status == 1, "\(name)")
      #expect(run.stdout.contains("FAIL benchmark_file: item tokens"), "\(name): \(run.stdout)")
    }
  }

  /// An honest certificate of a weak scan agrees with itself, and its clean verdicts still say
  /// less than a default scan's. Verify names every weaker setting and fails unless told to
  /// accept them; the scan and the report say so too.
  @Test func weakerParametersAreNamedAndFailUnlessAccepted() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let weak = fixture.url("weak.json").path
    let scan = try Tool.execute(
      contam,
      ["scan", "--fail-on", "never", "--out", weak, "--ngram", "20", "--partial", "0.5", "--no-near"] + gsm8k + ["\(samples.path)/shards"])
    #expect(scan.status == 0 && scan.stderr.contains("weaker than the defaults: n = 20"), "\(scan.stderr)")
    let run = try Tool.execute(contam, ["verify", weak] + roots(fixture))
    #expect(run.status == 1)
    for named in ["FAIL parameters", "n = 20", "partialThreshold = 0.5", "near-duplicate search was off"] {
      #expect(run.stdout.contains(named), "\(named): \(run.stdout)")
    }
    #expect(run.stdout.contains("FAIL: 1 of"), "only the parameters fail: \(run.stdout)")
    let accepted = try Tool.execute(contam, ["verify", "--accept-weaker-parameters", weak] + roots(fixture))
    #expect(accepted.status == 0 && accepted.stdout.contains("ok   parameters: scan: weaker than the defaults, accepted: n = 20"), "\(accepted.stdout)")
    let report = try Tool.execute(contam, ["report", weak])
    #expect(report.status == 0 && report.stdout.contains("**Weaker than the defaults**") && report.stdout.contains("n = 20"))

    // A default scan passes, and its report says nothing of it.
    let standard = try certificate(fixture)
    let ok = try Tool.execute(contam, ["verify", standard] + roots(fixture))
    #expect(ok.status == 0 && ok.stdout.contains("ok   parameters"), "\(ok.stdout)")
    #expect(try !Tool.execute(contam, ["report", standard]).stdout.contains("Weaker than the defaults"))
    // Rules turned off in an edited copy, sealed again: the items still follow, the parameters do not.
    let edited = try resealed(standard, fixture) {
      $0.parameters.headRuns = nil
      $0.parameters.partsApart = false
      $0.parameters.maximumItemsPerNGram = 2
    }
    let off = try Tool.execute(contam, ["verify", edited] + roots(fixture))
    #expect(off.status == 1)
    for named in ["head runs were off", "parts apart was off", "maximumItemsPerNGram = 2"] {
      #expect(off.stdout.contains(named), "\(named): \(off.stdout)")
    }
    // A certificate that read no document checked nothing, whatever its verdicts say.
    let empty = try resealed(standard, fixture) {
      for k in $0.shards.indices { $0.shards[k].documents = 0 }
      $0.corpus.documents = 0
    }
    let none = try Tool.execute(contam, ["verify", empty] + roots(fixture))
    #expect(none.status == 1 && none.stdout.contains("FAIL consistency: documents: no document with text was read"), "\(none.stdout)")
  }

  /// A text field that is there but empty (the words in another field) or only blank: nothing
  /// was checked, so nothing may be called clean.
  @Test func emptyOrBlankTextFieldsCheckNothing() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let question = Self.firstQuestion(samples)
    // Four records in five with an empty `text`, the item's words in `content`.
    var lines = ""
    for k in 0..<20 {
      let record: [String: String] = ["text": k % 5 == 0 ? "an ordinary line of prose" : "", "content": question]
      lines += String(decoding: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self) + "\n"
    }
    let mostlyEmpty = try fixture.write("mostly-empty.jsonl", Data(lines.utf8))
    let out = fixture.url("c.json").path
    let refused = try Tool.execute(contam, ["scan", "--out", out] + gsm8k + [mostlyEmpty])
    #expect(refused.status == 3, "\(refused.stderr)")
    #expect(refused.stderr.contains("mostly-empty.jsonl: 16 records have an empty text field and 4 have text: check --text-field"), "\(refused.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))
    // Through the right field the copy is found.
    let right = try Tool.execute(contam, ["scan", "--fail-on", "never", "--text-field", "content", "--out", out] + gsm8k + [mostlyEmpty])
    #expect(right.status == 0 && right.stdout.contains("contaminated"), "\(right.stdout)")
    // Only blank text: documents, but no word to match.
    let blank = try fixture.write("blank.jsonl", Data(String(repeating: "{\"text\": \"  \\n \"}\n", count: 5).utf8))
    let none = try Tool.execute(contam, ["scan", "--out", out + "2"] + gsm8k + [blank])
    #expect(none.status == 4 && none.stderr.contains("5 documents were read from 1 shards but hold no word to match"), "\(none.stderr)")
    // A certificate edited to say so fails verify.
    let edited = try resealed(try certificate(fixture), fixture) { c in
      c.shards[0].problems["empty_text"] = c.shards[0].documents + 1
      c.corpus.problems["empty_text"] = c.shards[0].documents + 1
    }
    let verified = try Tool.execute(contam, ["verify", edited] + roots(fixture))
    #expect(verified.status == 1 && verified.stdout.contains("FAIL consistency: input read"), "\(verified.stdout)")
  }

  /// A record that holds its text field twice: Python's json reads the last value, simdjson the
  /// first, so a copy in either one must be found (it read clean when it was the first).
  @Test func aTextFieldGivenTwiceIsReadBothTimes() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let question = Self.firstQuestion(samples)
    let prose = "An ordinary paragraph of prose about the weather, the roads and the market in town."
    func quoted(_ text: String) throws -> String { String(decoding: try JSONSerialization.data(withJSONObject: [text], options: []), as: UTF8.self).dropFirst().dropLast().description }
    var lines = ""
    for k in 0..<10 {
      switch k {
      case 3: lines += "{\"id\": 3, \"text\": \(try quoted(question)), \"text\": \(try quoted(prose))}\n"  // the copy first
      case 6: lines += "{\"meta\": {\"text\": \(try quoted(question))}, \"text\": \(try quoted(prose))}\n"  // another path: not the text
      default: lines += "{\"id\": \(k), \"text\": \(try quoted(prose + " Day \(k)."))}\n"
      }
    }
    let path = try fixture.write("twice.jsonl", Data(lines.utf8))
    let read = try readAll(path)
    #expect(read.problems.map(\.code) == [.repeatedField] && read.problems.first?.line == 4, "\(read.problems)")
    #expect(read.documents.count == 10 && read.documents[3].text == question + "\n" + prose)
    #expect(read.documents[6].text == prose)
    let out = fixture.url("c.json").path
    let run = try Tool.execute(contam, ["scan", "--fail-on", "never", "--out", out] + gsm8k + [path])
    #expect(run.status == 0 && run.stderr.contains("twice.jsonl:4: repeated_field"), "\(run.stderr)")
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: out)))
    #expect(certificate.items[0].verdict == .contaminated && certificate.items[0].evidence.first?.line == 4)
    #expect(certificate.corpus.problems["repeated_field"] == 1)
    let verified = try Tool.execute(contam, ["verify", "--full", out] + roots(fixture))
    #expect(verified.status == 0, "\(verified.stdout)")
  }

  /// Records read through a field of short strings (a title, a URL): nothing in them can hold an
  /// item, and the scan says so rather than letting "clean" pass unremarked.
  @Test func documentsTooShortToHoldAnItemAreRemarked() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let question = Self.firstQuestion(samples)
    var lines = ""
    for k in 0..<20 {
      let record: [String: String] = ["title": "Chapter \(k + 1): a short title", "text": k == 7 ? question : "An ordinary paragraph of prose, long enough to hold a passage of a test item had anyone copied one into it."]
      lines += String(decoding: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self) + "\n"
    }
    let path = try fixture.write("titled.jsonl", Data(lines.utf8))
    let titles = try Tool.execute(contam, ["scan", "--fail-on", "never", "--text-field", "title"] + gsm8k + [path])
    #expect(titles.status == 0 && titles.stderr.contains("hold 4.0 tokens on average, fewer than an n-gram (13)"), "\(titles.stderr)")
    #expect(titles.stderr.contains("--text-field title"))
    let text = try Tool.execute(contam, ["scan", "--fail-on", "never"] + gsm8k + [path])
    #expect(text.status == 0 && !text.stderr.contains("on average") && text.stdout.contains("contaminated"), "\(text.stderr)")
  }

  /// `--fail-on perturbed`: a copy of a GSM8K sample item with its numbers changed and another
  /// answer stated (a perturbed copy) fails the run, which the default passes with a note.
  @Test func failOnPerturbedCountsACopyWithAnotherAnswer() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let full = Self.firstQuestion(samples)
    let question = String(full.split(separator: "\n")[0])
    let changed = question.replacing(/\d+/) { String(Int($0.output)! + 7) }
    #expect(question.matches(of: /\d+/).count >= 2 && changed != question, "the first sample question has numbers: \(question)")
    let prose = "An ordinary paragraph of prose, long enough to hold a passage of a test item had anyone copied one into it."
    let record = ["text": prose + "\n\n" + changed + "\nShe worked it out step by step.\n#### 987654\n\n" + prose]
    let path = try fixture.write("perturbed.jsonl", JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]) + Data("\n".utf8))
    let byDefault = try Tool.execute(contam, ["scan", "--no-index-cache"] + gsm8k + [path])
    #expect(byDefault.status == 0 && byDefault.stdout.contains("perturbed"), "\(byDefault.stdout)")
    #expect(byDefault.stderr.contains("1 perturbed items do not reach --fail-on contaminated") && byDefault.stderr.contains("--fail-on perturbed counts them"),
      "\(byDefault.stderr)")
    let gated = try Tool.execute(contam, ["scan", "--no-index-cache", "--fail-on", "perturbed"] + gsm8k + [path])
    #expect(gated.status == 1 && !gated.stderr.contains("do not reach"), "\(gated.stderr)")
  }

  @Test func evidenceSetsHowManyDocumentsAreShownPerItem() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let full = Self.firstQuestion(samples)
    let prose = "An ordinary paragraph of prose, long enough to hold a passage of a test item had anyone copied one into it."
    var lines = Data()
    for k in 0..<6 {
      lines += try JSONSerialization.data(withJSONObject: ["id": "copy-\(k)", "text": prose + "\n\n" + full + "\n\n" + prose], options: [.sortedKeys])
      lines += Data("\n".utf8)
    }
    let path = try fixture.write("six.jsonl", lines)
    func evidence(_ extra: [String]) throws -> (exact: Int, near: Int, documents: Int) {
      let out = fixture.url("e\(extra.joined()).json").path
      let run = try Tool.execute(contam, ["scan", "--no-index-cache", "--id-field", "id", "--out", out] + extra + gsm8k + [path])
      #expect(run.status == 1, "\(run.stderr)")
      let certificate = try JSONDecoder().decode(Certificate.self, from: Data(contentsOf: URL(fileURLWithPath: out)))
      let item = try #require(certificate.items.first { $0.verdict == .contaminated })
      return (item.evidence.count, item.nearDuplicate?.evidence.count ?? 0, item.documents)
    }
    let byDefault = try evidence([])
    #expect(byDefault.exact == 3 && byDefault.documents == 6, "\(byDefault)")
    let all = try evidence(["--evidence", "10"])
    #expect(all.exact == 6 && all.near == 6, "\(all)")
    let one = try evidence(["--evidence", "1"])
    #expect(one.exact == 1 && one.near == 1 && one.documents == 6, "\(one)")
  }

  /// The question of the first gsm8k sample item.
  static func firstQuestion(_ samples: URL) -> String {
    let line = try! String(contentsOf: samples.appendingPathComponent("benchmarks/gsm8k-sample.jsonl"), encoding: .utf8).split(separator: "\n")[0]
    let record = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
    return (record["question"] as! String) + "\n" + (record["answer"] as! String)
  }

  /// A shard whose stream ends in a fault (a download cut short, a damaged block) read `clean`,
  /// exit 0: the records before the fault were read, none was counted as skipped, and the
  /// copies after it were never seen.
  @Test(arguments: ["gzip cut at 30%", "gzip damaged at a third", "zstd cut at half", "WARC cut at half"])
  func aShardNotReadToItsEndIsNeverCalledClean(_ damage: String) throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let gsm8kPath = TestData.path("benchmarks/gsm8k/test.jsonl")
    let items = try BenchmarkLoader.load(name: "gsm8k", path: gsm8kPath, format: BenchmarkFormat.presets["gsm8k"]!)
    // Real prose of four novels (about 1 MB: several zstd blocks), the first GSM8K item copied
    // into the record at 80%.
    var texts: [String] = []
    for novel in ["1342-0.txt.gz", "122-0.txt.gz", "1310-0.txt.gz", "155-0.txt.gz"] {
      texts += try ShardFixture.paragraphsJSONL(count: 300, novel: novel).texts
    }
    texts[texts.count * 4 / 5] += "\n\n" + items[0].parts.map(\.text).joined(separator: "\n")
    let name: String
    var bytes: Data
    if damage.hasPrefix("WARC") {
      var records = Data()
      for (k, text) in texts.enumerated() {
        let body = Data(text.utf8)
        records += Data("WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: https://example.org/\(k)\r\nContent-Length: \(body.count)\r\n\r\n".utf8)
        records += body + Data("\r\n\r\n".utf8)
      }
      name = "crawl.warc.gz"
      bytes = try Tool.run("gzip", ["-c"], input: records)
    } else {
      let jsonl = Data(texts.map { String(data: try! JSONSerialization.data(withJSONObject: ["text": $0]), encoding: .utf8)! + "\n" }.joined().utf8)
      name = damage.hasPrefix("zstd") ? "shard.jsonl.zst" : "shard.jsonl.gz"
      bytes = try Tool.run(damage.hasPrefix("zstd") ? "zstd" : "gzip", ["-c"], input: jsonl)
    }
    let whole = try fixture.write("whole-" + name, bytes)
    if damage.contains("damaged") {
      let at = bytes.count / 3
      for i in at..<at + 64 { bytes[i] ^= 0x5A }
    } else {
      bytes = bytes.prefix(damage.contains("30%") ? bytes.count * 3 / 10 : bytes.count / 2)
    }
    let path = try fixture.write(name, bytes)
    let cert = fixture.url("c.json").path
    // The whole shard: the copy is found.
    let good = try Tool.execute(contam, ["scan", "--fail-on", "never", "--out", cert, "--benchmark", "gsm8k=\(gsm8kPath)", whole])
    #expect(good.status == 0, "\(good.stderr)")
    let found = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    #expect(found.items[0].verdict == .contaminated && found.shards[0].cutShort == nil)
    // Cut short: no clean bill, no certificate.
    try FileManager.default.removeItem(atPath: cert)
    let cut = try Tool.execute(contam, ["scan", "--fail-on", "never", "--out", cert, "--benchmark", "gsm8k=\(gsm8kPath)", path])
    // (Where the fault leaves most records unread, the skipped-records gate says so first.)
    #expect(cut.status == 3, "\(damage): \(cut.status) \(cut.stderr)")
    #expect(
      (cut.stderr.contains("\(path): its stream ended in a fault") && cut.stderr.contains("not read to their end"))
        || cut.stderr.contains("mostly skipped"), "\(cut.stderr)")
    #expect(!FileManager.default.fileExists(atPath: cert))
    // Accepted on purpose: the certificate says the shard was cut short, and verify says what
    // that means.
    let accepted = try Tool.execute(
      contam, ["scan", "--fail-on", "never", "--max-skipped-fraction", "1", "--out", cert, "--benchmark", "gsm8k=\(gsm8kPath)", path])
    #expect(accepted.status == 0, "\(accepted.stderr)")
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    #expect(certificate.shards[0].cutShort == true && certificate.shards[0].documents > 0 && certificate.shards[0].documents < texts.count)
    #expect(certificate.items[0].verdict == .clean, "the copy lies past the fault")
    let verified = try Tool.execute(contam, ["verify", "--full", "--corpus", fixture.directory.path, "--corpus", TestData.packageRoot.path, cert])
    #expect(verified.status == 1 && verified.stdout.contains("FAIL consistency: read to the end"), "\(verified.stdout)\(verified.stderr)")
    #expect(!verified.stdout.contains("FAIL full"), "the re-read agrees: \(verified.stdout)")
  }

  /// Status 0 under the default `--fail-on contaminated` is not "clean": flagged items it does
  /// not count (the samples' partial GSM8K items) are named on stderr with how to count them.
  @Test func flaggedItemsTheExitStatusIgnoresAreNamed() throws {
    let shards = "\(samples.path)/shards"
    let plain = try Tool.execute(contam, ["scan", "--no-index-cache"] + gsm8k + [shards])
    let summary = try #require(plain.stdout.split(separator: "\n").first { $0.hasPrefix("gsm8k") })
    let partial = try #require(summary.split(separator: " ").compactMap { Int($0) }.dropFirst(3).first, "\(summary)")
    #expect(partial > 0, "the samples have partial items: \(summary)")
    #expect(plain.stderr.contains("\(partial) partial items do not reach --fail-on contaminated"), "\(plain.stderr)")
    let strict = try Tool.execute(contam, ["scan", "--no-index-cache", "--fail-on", "partial"] + gsm8k + [shards])
    #expect(strict.status == 1)
    #expect(!strict.stderr.contains("do not reach --fail-on"))
    // `--fail-on perturbed` does not count partial items either, and says so.
    let perturbed = try Tool.execute(contam, ["scan", "--no-index-cache", "--fail-on", "perturbed"] + gsm8k + [shards])
    #expect(perturbed.stderr.contains("\(partial) partial items do not reach --fail-on perturbed"), "\(perturbed.stderr)")
    let never = try Tool.execute(contam, ["scan", "--no-index-cache", "--fail-on", "never"] + gsm8k + [shards])
    #expect(never.status == 0 && !never.stderr.contains("do not reach --fail-on"))
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
      ("unknown text version", "$.parameters.normalization", { $0.parameters.normalization = "contam-text/99" }),
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
    ["--text-version", "99"], ["--text-version", "contam-text/0"], ["--near-alignment", "0.3"], ["--near-alignment", "1.5"],
    ["--near-answered-shingles", "0"], ["--evidence", "0"], ["--evidence", "1001"],
  ])
  func optionValuesOutOfRangeAreUsageErrors(_ option: [String]) throws {
    let run = try Tool.execute(contam, ["scan"] + option + gsm8k + ["\(samples.path)/shards"])
    #expect(run.status == 64, "\(option): \(run.stderr)")
    #expect(run.stderr.contains(option[0]), "\(run.stderr)")
  }

  @Test func aCertificateIsVerifiedWithTheTextVersionItNames() throws {
    // A GSM8K sample item with its Latin letters swapped for Cyrillic look-alikes, in real text.
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let line = try String(contentsOfFile: "\(samples.path)/benchmarks/gsm8k-sample.jsonl", encoding: .utf8).split(separator: "\n")[4]
    let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
    let swap: [Character: Character] = ["a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і"]
    let disguised = String((record["question"]! + "\n" + record["answer"]!).map { swap[$0] ?? $0 })
    let prose = try TestData.gutenberg(bytes: 4_000)
    let document = try JSONSerialization.data(withJSONObject: ["text": prose + "\n\n" + disguised + "\n\n" + prose])
    let shard = fixture.url("disguised.jsonl").path
    try (String(decoding: document, as: UTF8.self) + "\n").write(toFile: shard, atomically: true, encoding: .utf8)

    func scanned(_ extra: [String]) throws -> (path: String, certificate: Certificate) {
      let out = fixture.url("cert-\(UUID().uuidString).json").path
      let run = try Tool.execute(contam, ["scan", "--fail-on", "never", "--out", out] + gsm8k + extra + [shard])
      #expect(run.status == 0, "\(run.stderr)")
      return (out, try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: out))))
    }
    let current = try scanned([])
    let older = try scanned(["--text-version", "2"])
    #expect(current.certificate.parameters.normalization == TextVersion.current.name)
    #expect(older.certificate.parameters.normalization == "contam-text/2")
    #expect(current.certificate.items[4].verdict == .contaminated)
    #expect(older.certificate.items[4].verdict == .clean, "contam-text/2 does not fold look-alike letters")
    for (path, accept) in [(current.path, []), (older.path, ["--accept-weaker-parameters"])] {
      let run = try Tool.execute(contam, ["verify", "--full", path, "--corpus", fixture.directory.path, "--corpus", samples.path] + accept)
      #expect(run.status == 0, "\(run.stdout)")
    }
    // Read without accepting it, the older version is named: it is why the copy reads clean there.
    let named = try Tool.execute(contam, ["verify", older.path, "--corpus", fixture.directory.path, "--corpus", samples.path])
    #expect(named.status == 1 && named.stdout.contains("FAIL parameters: scan: weaker than the defaults") && named.stdout.contains("contam-text/2"))
    // The current certificate re-labelled as contam-text/2: its evidence is no longer there.
    let relabelled = try resealed(current.path, fixture) { $0.parameters.normalization = "contam-text/2" }
    let run = try Tool.execute(contam, ["verify", relabelled, "--corpus", fixture.directory.path, "--corpus", samples.path])
    #expect(run.status == 1 && run.stdout.contains("FAIL evidence"), "\(run.stdout)")
  }

  /// A near copy holding every shingle of a problem, with another answer after it, is the item
  /// (`contaminated`) when it is verbatim and a perturbed problem when a sign or a lone letter
  /// changed. The default gate fails on the first and not the second, so `verbatim` is what an
  /// adversary would edit: the copy re-read from the corpus must give the recorded value.
  @Test func aVerbatimCopyCannotBeEditedIntoAPerturbedOne() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    // A real MATH-Perturb item, its problem pasted verbatim in real text with another answer.
    let items = TestData.path("benchmarks/math_perturb/math_perturb_simple.jsonl")
    let lines = try String(contentsOfFile: items, encoding: .utf8).split(separator: "\n").map(String.init)
    let line = try #require(lines.first { $0.count > 400 })
    let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    let benchmark = fixture.url("item.jsonl").path
    try (line + "\n").write(toFile: benchmark, atomically: true, encoding: .utf8)
    let prose = try TestData.gutenberg(bytes: 4_000)
    let text = prose + "\n\n" + (record["problem"] as! String) + "\nThe answer is $\\boxed{987654}$.\n\n" + prose
    let shard = fixture.url("page.jsonl").path
    try (String(decoding: try JSONSerialization.data(withJSONObject: ["text": text]), as: UTF8.self) + "\n").write(toFile: shard, atomically: true, encoding: .utf8)
    let cert = fixture.url("cert.json").path
    let run = try Tool.execute(contam, ["scan", "--out", cert, "--benchmark", "math-perturb=\(benchmark)", shard])
    #expect(run.status == 1, "the default gate fails on the copy: \(run.stderr)")
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    let best = try #require(certificate.items[0].nearDuplicate?.evidence.first)
    #expect(best.containment == 1 && best.answer?.agreement == .different && best.verbatim == true, "\(best)")
    #expect(certificate.items[0].verdict == .contaminated)
    let roots = ["--corpus", fixture.directory.path]
    #expect(try Tool.execute(contam, ["verify", cert] + roots).status == 0)
    // Edited to a perturbed problem, verdict and summary to match: it agrees with itself, but not
    // with the page.
    let edited = try resealed(cert, fixture) {
      $0.items[0].nearDuplicate!.evidence[0].verbatim = false
      $0.items[0].verdict = .perturbed
      $0.summary[0].contaminated -= 1
      $0.summary[0].perturbed += 1
    }
    let check = try Tool.execute(contam, ["verify", edited] + roots)
    #expect(check.status == 1 && check.stdout.contains("ok   consistency") && check.stdout.contains("FAIL evidence"), "\(check.stdout)")
    // The report says which it is, as the certificate records it.
    let report = try Tool.execute(contam, ["report", cert])
    #expect(report.status == 0 && report.stdout.contains("answer different") && report.stdout.contains(", word for word"), "\(report.stdout)")
    #expect(try Tool.execute(contam, ["report", edited]).stdout.contains("not word for word (a sign, an operator or a lone letter differs)"))
  }

  @Test func aCopyFoundOnTheMathStreamCannotBeEditedOrTurnedOff() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    // A MATH-P-Hard item whose original (planted in a novel's page) only the math stream finds.
    let (jsonl, _) = try ShardFixture.mathOriginalsJSONL()
    let corpus = try fixture.write("originals.jsonl", jsonl)
    let itemsPath = TestData.path("benchmarks/math_perturb/math_perturb_hard.jsonl")
    let items = try BenchmarkLoader.load(name: "math-perturb", path: itemsPath, format: BenchmarkFormat.presets["math-perturb"]!)
    func scan(_ mathTokens: Bool?) throws -> [ItemResult] {
      var configuration = ScanConfiguration()
      configuration.near?.mathTokens = mathTokens
      let options = ShardReaderOptions(format: .jsonl(textField: try FieldPath("text"), idField: try FieldPath("id")))
      return try Scanner(items: items, configuration: configuration, readerOptions: options).scan(paths: [corpus], jobs: 2).items
    }
    let (with, without) = (try scan(true), try scan(nil))
    let k = try #require(items.indices.first { with[$0].verdict == .perturbed && without[$0].verdict == .clean })
    // That item alone, against its original's page alone, through the command line.
    let lines = try String(contentsOfFile: itemsPath, encoding: .utf8).split(separator: "\n").map(String.init)
    let benchmark = fixture.url("item.jsonl").path
    try (lines[k] + "\n").write(toFile: benchmark, atomically: true, encoding: .utf8)
    let pages = String(decoding: jsonl, as: UTF8.self).split(separator: "\n").map(String.init)
    let shard = fixture.url("page.jsonl").path
    try (pages[k] + "\n").write(toFile: shard, atomically: true, encoding: .utf8)
    let cert = fixture.url("cert.json").path
    let run = try Tool.execute(contam, ["scan", "--fail-on", "partial", "--out", cert, "--benchmark", "math-perturb=\(benchmark)", shard])
    #expect(run.status == 1, "--fail-on partial fails on the perturbed copy: \(run.stderr)")
    let certificate = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
    #expect(certificate.items[0].verdict == .perturbed && certificate.items[0].nearDuplicate?.evidence.first?.mathTokens == true)
    let roots = ["--corpus", fixture.directory.path]
    #expect(try Tool.execute(contam, ["verify", cert] + roots).status == 0)
    // The evidence said to be on the text's own tokens: the page does not give it so.
    let edited = try resealed(cert, fixture) { $0.items[0].nearDuplicate!.evidence[0].mathTokens = nil }
    let check = try Tool.execute(contam, ["verify", edited] + roots)
    #expect(check.status == 1 && check.stdout.contains("FAIL evidence"), "\(check.stdout)")
    // A scan with the math stream off is weaker than the defaults, and verify says so.
    let off = try resealed(cert, fixture) { $0.parameters.near?.mathTokens = nil }
    let weaker = try Tool.execute(contam, ["verify", off] + roots)
    #expect(weaker.status == 1 && weaker.stdout.contains("math tokens were off"), "\(weaker.stdout)")
    // --no-math-tokens: the run says it is weaker, the certificate records it, and nothing in it
    // was measured on the math stream.
    let plain = fixture.url("plain.json").path
    let unsearched = try Tool.execute(contam, ["scan", "--no-math-tokens", "--fail-on", "never", "--out", plain, "--benchmark", "math-perturb=\(benchmark)", shard])
    #expect(unsearched.status == 0 && unsearched.stderr.contains("math tokens were off"), "\(unsearched.stderr)")
    let recorded = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: plain)))
    #expect(recorded.parameters.near?.mathTokens == nil)
    #expect(recorded.items[0].nearDuplicate?.evidence.allSatisfy { $0.mathTokens == nil } ?? true)
  }
}
