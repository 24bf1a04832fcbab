import Contam
import Foundation
import Testing
import _ContamTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// `contam index` and `contam scan --index` on real text: the verdicts and evidence of a scan
/// through the index are a streaming scan's, a partitioned build merges to the same answers,
/// a changed shard or a damaged index is refused, never answered wrongly.
@Suite("Corpus index")
struct CorpusIndexCommandTests {
  let contam = TestData.contamExecutable
  let gsm = TestData.path("benchmarks/gsm8k/test.jsonl")

  /// 8 shards (gzip, zstd and plain JSONL) of real novel paragraphs; GSM8K questions planted
  /// whole in some documents, and 14-token runs of other questions (shorter than the index's
  /// 20-token guarantee) in others.
  struct Corpus {
    let fixture: ShardFixture
    let directory: String
    let wholeItems: Set<String>
    let fragmentItems: Set<String>
    var shards: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted().map { directory + "/" + $0 } }
  }

  func makeCorpus() throws -> Corpus {
    let fixture = try ShardFixture()
    let questions = try String(contentsOfFile: gsm, encoding: .utf8).split(separator: "\n").prefix(40).map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["question"] as! String
    }
    let novels = ["1342-0.txt.gz", "122-0.txt.gz", "1310-0.txt.gz", "141.txt.gz"]
    try FileManager.default.createDirectory(at: fixture.url("corpus"), withIntermediateDirectories: true)
    var whole = Set<String>()
    var fragments = Set<String>()
    for k in 0..<8 {
      var (jsonl, _) = try ShardFixture.paragraphsJSONL(count: 150, novel: novels[k % 4])
      for j in 0..<3 {
        let q = k * 5 + j
        let text: String
        if j < 2 {
          text = "Homework help, page \(k). " + questions[q] + " Thanks in advance!"
          whole.insert("test/\(q + 1)")
        } else {
          let words = questions[q].split(separator: " ")
          guard words.count > 20 else { continue }
          text = "A line from a forum: " + words[2..<16].joined(separator: " ") + " and so on."
          fragments.insert("test/\(q + 1)")
        }
        jsonl += try JSONSerialization.data(withJSONObject: ["text": text]) + Data("\n".utf8)
      }
      let name = String(format: "corpus/shard-%02d.jsonl", k)
      switch k % 3 {
      case 0: try fixture.compress(name + ".gz", jsonl, tool: "gzip", ["-c"])
      case 1: try fixture.compress(name + ".zst", jsonl, tool: "zstd", ["-q", "-c"])
      default: try fixture.write(name, jsonl)
      }
    }
    return Corpus(fixture: fixture, directory: fixture.url("corpus").path, wholeItems: whole, fragmentItems: fragments)
  }

  func certificate(_ path: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
  }

  func items(_ certificate: [String: Any]) -> [String: NSDictionary] {
    var out: [String: NSDictionary] = [:]
    for item in certificate["items"] as? [[String: Any]] ?? [] { out[item["id"] as! String] = item as NSDictionary }
    return out
  }

  @Test func aScanThroughTheIndexGivesTheStreamingScansVerdictsAndEvidence() throws {
    let corpus = try makeCorpus()
    defer { corpus.fixture.cleanup() }
    let index = corpus.fixture.url("corpus.cidx").path
    let build = try Tool.execute(contam, ["index", "build", "--jobs", "2", "--out", index, corpus.directory])
    #expect(build.status == 0, "\(build.stderr)")
    let scan = ["scan", "--fail-on", "never", "--benchmark", "gsm8k=\(gsm)"]
    let streaming = corpus.fixture.url("streaming.json").path
    let through = corpus.fixture.url("index.json").path
    #expect(try Tool.execute(contam, scan + ["--out", streaming, corpus.directory]).status == 0)
    let run = try Tool.execute(contam, scan + ["--index", index, "--out", through])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("candidate documents"), "\(run.stderr)")
    let a = try certificate(streaming)
    let b = try certificate(through)
    let (x, y) = (items(a), items(b))
    #expect(x.count == 1319 && y.count == 1319)
    // Every item: whole copies share far more than 20 tokens with their documents, so their
    // results must be identical; clean items too. The 14-token fragments may be missed.
    var fragmentsMissed = 0
    for (id, result) in x {
      if corpus.fragmentItems.contains(id) && result != y[id] {
        fragmentsMissed += 1
        #expect(y[id]?["verdict"] as? String == "clean", "\(id): a fragment read differently, not just missed")
        continue
      }
      #expect(result == y[id], "\(id) differs through the index")
    }
    for id in corpus.wholeItems { #expect(y[id]?["verdict"] as? String != "clean", "\(id) planted whole but clean") }
    // The corpus is described as a streaming scan describes it.
    #expect((a["shards"] as? NSArray) == (b["shards"] as? NSArray))
    #expect((a["corpus"] as? NSDictionary) == (b["corpus"] as? NSDictionary))
    let use = try #require(b["corpusIndex"] as? [String: Any])
    #expect(use["guaranteedTokens"] as? Int == 20)
    #expect((use["digest"] as? String)?.count == 64)
    #expect(a["corpusIndex"] == nil)
    print("corpus index: \(use["candidateDocuments"] ?? 0) candidate documents; 14-token fragments missed: \(fragmentsMissed) of \(corpus.fragmentItems.count)")
    // The certificate verifies like any other (its evidence is re-read from the shards).
    let verify = try Tool.execute(
      contam, ["verify", "--corpus", corpus.fixture.directory.path, "--corpus", TestData.fixtures.path, through])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    #expect(verify.stdout.contains("only as good as that index"), "verify says what it did not check: \(verify.stdout)")
    // An edited index reference does not read.
    let edited = corpus.fixture.url("edited.json").path
    try String(contentsOfFile: through, encoding: .utf8)
      .replacingOccurrences(of: use["digest"] as! String, with: "not-a-digest").write(toFile: edited, atomically: true, encoding: .utf8)
    let bad = try Tool.execute(contam, ["verify", edited])
    #expect(bad.status == 4 && (bad.stdout + bad.stderr).contains("$.corpusIndex.digest"), "\(bad.stdout)\(bad.stderr)")
    // A report says the corpus was read through the index, and what that leaves out.
    for format in ["markdown", "html"] {
      let report = try Tool.execute(contam, ["report", "--format", format, through])
      #expect(report.status == 0 && report.stdout.contains("Read through the corpus index"), "\(report.stderr)")
      #expect(report.stdout.contains("may not be"), "the scope is stated")
    }
    let plain = try Tool.execute(contam, ["report", "--format", "markdown", streaming])
    #expect(!plain.stdout.contains("corpus index"))
  }

  @Test func aPartitionedBuildMergedAndAnIndexGrownByAddAnswerAsOneBuild() throws {
    let corpus = try makeCorpus()
    defer { corpus.fixture.cleanup() }
    let f = corpus.fixture
    let one = f.url("one.cidx").path
    #expect(try Tool.execute(contam, ["index", "build", "--out", one, corpus.directory]).status == 0)
    var parts: [String] = []
    for i in 1...4 {
      let part = f.url("part\(i).cidx").path
      let r = try Tool.execute(contam, ["index", "build", "--partition", "\(i)/4", "--out", part, corpus.directory])
      #expect(r.status == 0, "\(r.stderr)")
      parts.append(part)
    }
    // Three of four parts, or a part twice, is refused.
    let missing = try Tool.execute(contam, ["index", "merge", "--out", f.url("m3.cidx").path] + parts.prefix(3))
    #expect(missing.status != 0 && missing.stderr.contains("missing"), "\(missing.stderr)")
    let twice = try Tool.execute(contam, ["index", "merge", "--out", f.url("m5.cidx").path] + parts + [parts[0]])
    #expect(twice.status != 0, "\(twice.stderr)")
    let merged = f.url("merged.cidx").path
    let m = try Tool.execute(contam, ["index", "merge", "--out", merged] + parts)
    #expect(m.status == 0, "\(m.stderr)")
    // Grown: the first 3 shards, then the other 5 added.
    let grown = f.url("grown.cidx").path
    let shards = corpus.shards
    #expect(try Tool.execute(contam, ["index", "build", "--out", grown] + shards.prefix(3)).status == 0)
    #expect(try Tool.execute(contam, ["index", "add", grown] + shards.dropFirst(3)).status == 0)
    let again = try Tool.execute(contam, ["index", "add", grown, shards[0]])
    #expect(again.status != 0 && again.stderr.contains("already in the index"), "\(again.stderr)")

    var results: [[String: NSDictionary]] = []
    for index in [one, merged, grown] {
      let out = f.url(URL(fileURLWithPath: index).lastPathComponent + ".json").path
      let r = try Tool.execute(contam, ["scan", "--fail-on", "never", "--benchmark", "gsm8k=\(gsm)", "--index", index, "--out", out])
      #expect(r.status == 0, "\(r.stderr)")
      let c = try certificate(out)
      results.append(items(c))
      #expect(((c["shards"] as? [[String: Any]]) ?? []).count == 8)
    }
    #expect(results[0].count == 1319)
    #expect(results[0] == results[1], "merged partitions answer differently")
    #expect(results[0] == results[2], "an index grown by add answers differently")
    let stats = try Tool.execute(contam, ["index", "stats", "--verify", "--json", merged])
    #expect(stats.status == 0, "\(stats.stderr)")
    let figures = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
    #expect(figures["shards"] as? Int == 8 && figures["segments"] as? Int == 4)
    #expect((figures["digestProblems"] as? [Any])?.isEmpty == true)
  }

  @Test func aChangedShardOrADamagedIndexIsRefusedNeverAnswered() throws {
    let corpus = try makeCorpus()
    defer { corpus.fixture.cleanup() }
    let f = corpus.fixture
    let scan = ["scan", "--fail-on", "never", "--benchmark", "gsm8k=\(gsm)"]
    func build(_ name: String) throws -> String {
      let index = f.url(name).path
      let r = try Tool.execute(contam, ["index", "build", "--out", index, corpus.directory])
      #expect(r.status == 0, "\(r.stderr)")
      return index
    }
    func refused(_ index: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
      let out = f.url("refused.json").path
      try? FileManager.default.removeItem(atPath: out)
      let r = try Tool.execute(contam, scan + ["--index", index, "--out", out])
      #expect(r.status == 4, "exit \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
      #expect(r.stderr.contains(expected), "\(r.stderr)", sourceLocation: sourceLocation)
      #expect(!FileManager.default.fileExists(atPath: out), "a certificate was written", sourceLocation: sourceLocation)
    }
    let index = try build("a.cidx")
    let segment = try #require(try FileManager.default.contentsOfDirectory(atPath: index).first { $0.hasSuffix(".cidx") })
    let segmentPath = index + "/" + segment
    let pristine = try Data(contentsOf: URL(fileURLWithPath: segmentPath))

    // Truncated, a flipped byte in the entries, a flipped byte in the tables or header.
    try pristine.prefix(pristine.count - 100).write(to: URL(fileURLWithPath: segmentPath))
    try refused(index, "invalid_index")
    for offset in [200, 40] {
      var damaged = pristine
      damaged[offset] ^= 0x10
      try damaged.write(to: URL(fileURLWithPath: segmentPath))
      try refused(index, "checksum mismatch")
    }
    // Entries are checked chunk by chunk as lookups reach them: a damaged chunk is an error
    // when read, and an unread one cannot change the answer.
    try pristine.write(to: URL(fileURLWithPath: segmentPath))
    let reference = f.url("reference.json").path
    #expect(try Tool.execute(contam, scan + ["--index", index, "--out", reference]).status == 0)
    var refusedCount = 0
    for k in 1...8 {
      var damaged = pristine
      damaged[pristine.count * k / 10] ^= 0x04
      try damaged.write(to: URL(fileURLWithPath: segmentPath))
      let out = f.url("damaged.json").path
      try? FileManager.default.removeItem(atPath: out)
      let r = try Tool.execute(contam, scan + ["--index", index, "--out", out])
      if r.status == 4 {
        #expect(r.stderr.contains("checksum mismatch") && r.stderr.contains(segment), "\(r.stderr)")
        refusedCount += 1
      } else {
        #expect(r.status == 0, "\(r.stderr)")
        #expect(items(try certificate(out)) == items(try certificate(reference)), "a damaged index changed an answer")
      }
    }
    #expect(refusedCount > 0, "no damaged entry chunk was ever read")
    try pristine.write(to: URL(fileURLWithPath: segmentPath))
    let manifestPath = index + "/manifest.json"
    let manifest = try String(contentsOfFile: manifestPath, encoding: .utf8)
    try manifest.replacingOccurrences(of: "\"winnowing\"", with: "\"winowing\"").write(toFile: manifestPath, atomically: true, encoding: .utf8)
    try refused(index, "manifest")
    try FileManager.default.removeItem(atPath: manifestPath)
    try refused(index, "no corpus index here")
    try refused(f.url("nowhere.cidx").path, "no such corpus index")

    // A shard that grew since it was indexed.
    let fresh = try build("b.cidx")
    let plain = try #require(corpus.shards.first { $0.hasSuffix(".jsonl") })
    let handle = try #require(FileHandle(forWritingAtPath: plain))
    handle.seekToEndOfFile()
    handle.write(Data("{\"text\": \"one more document\"}\n".utf8))
    handle.closeFile()
    try refused(fresh, "the index cannot vouch for it")
    let stats = try Tool.execute(contam, ["index", "stats", fresh])
    #expect(stats.status == 4 && stats.stderr.contains("cannot vouch"), "\(stats.stderr)")

    // A shard named through a symbolic link whose target changed.
    let linked = f.url("linked").path
    try FileManager.default.createDirectory(atPath: linked, withIntermediateDirectories: true)
    let target = f.url("target.jsonl").path
    try FileManager.default.copyItem(atPath: plain, toPath: target)
    try FileManager.default.createSymbolicLink(atPath: linked + "/shard.jsonl", withDestinationPath: target)
    let viaLink = f.url("link.cidx").path
    #expect(try Tool.execute(contam, ["index", "build", "--out", viaLink, linked]).status == 0)
    let targetHandle = try #require(FileHandle(forWritingAtPath: target))
    targetHandle.seekToEndOfFile()
    targetHandle.write(Data("{\"text\": \"appended behind the link\"}\n".utf8))
    targetHandle.closeFile()
    try refused(viaLink, "bytes; the index cannot vouch for it")

    // Same size and modification time, other content: found when the shard is read again.
    let other = try build("c.cidx")
    var bytes = try Data(contentsOf: URL(fileURLWithPath: plain))
    var info = stat()
    stat(plain, &info)
    let at = try #require(bytes.lastIndex(of: UInt8(ascii: "a")))
    bytes[at] = UInt8(ascii: "b")
    try bytes.write(to: URL(fileURLWithPath: plain))
    var times = [info.st_atim, info.st_mtim]
    utimensat(AT_FDCWD, plain, &times, 0)
    let digests = try Tool.execute(contam, ["index", "stats", "--verify", other])
    #expect(digests.status == 4 && digests.stderr.contains("SHA-256"), "\(digests.stderr)")
  }

  @Test func aBuildThatReadsNothingWritesNoIndex() throws {
    let corpus = try makeCorpus()
    defer { corpus.fixture.cleanup() }
    let index = corpus.fixture.url("wrong.cidx").path
    let r = try Tool.execute(contam, ["index", "build", "--text-field", "body", "--out", index, corpus.directory])
    #expect(r.status == 3 || r.status == 4, "exit \(r.status): \(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: index + "/manifest.json"))
    // Reader options other than the index's are refused by scan --index.
    let good = corpus.fixture.url("good.cidx").path
    #expect(try Tool.execute(contam, ["index", "build", "--out", good, corpus.directory]).status == 0)
    let mismatch = try Tool.execute(contam, ["scan", "--benchmark", "gsm8k=\(gsm)", "--index", good, "--text-field", "body"])
    #expect(mismatch.status == 64, "\(mismatch.stderr)")
    let shardsToo = try Tool.execute(contam, ["scan", "--benchmark", "gsm8k=\(gsm)", "--index", good, corpus.directory])
    #expect(shardsToo.status == 64, "\(shardsToo.stderr)")
    // An index of an older text pipeline is refused by a default scan, which says how to go on.
    let older = corpus.fixture.url("v6.cidx").path
    #expect(try Tool.execute(contam, ["index", "build", "--text-version", "6", "--out", older, corpus.directory]).status == 0)
    let newer = try Tool.execute(contam, ["scan", "--benchmark", "gsm8k=\(gsm)", "--index", older])
    #expect(newer.status == 64 && newer.stderr.contains("--text-version 6") && newer.stderr.contains("older pipeline"), "\(newer.stderr)")
    #expect(try Tool.execute(contam, ["scan", "--fail-on", "never", "--text-version", "6", "--benchmark", "gsm8k=\(gsm)", "--index", older]).status == 0)
  }

  /// The bundled samples (three benchmarks, three codecs) and, in the extended suite, all the
  /// shared real text with every item of four shared benchmarks and copies of some planted as
  /// whole documents: item for item the same results through the index as streaming.
  @Test func theBundledSamplesGiveTheSameResultsThroughTheIndex() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let samples = TestData.packageRoot.appendingPathComponent("corpora-samples").path
    let benchmarks = ["gsm8k=gsm8k-sample.jsonl", "arc=arc-challenge-sample.jsonl", "math=math-sample.jsonl"].flatMap {
      ["--benchmark", $0.replacingOccurrences(of: "=", with: "=\(samples)/benchmarks/")]
    }
    try compareThroughIndex(fixture: fixture, shards: [samples + "/shards"], benchmarks: benchmarks, expectFlagged: 5)
  }

  @Test(.extended) func realTextAndEveryItemOfFourBenchmarksGiveTheSameResultsThroughTheIndex() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let data = TestData.shared.appendingPathComponent("benchmarks").path
    var planted = Data()
    let gsmLines = try String(contentsOfFile: data + "/gsm8k/test.jsonl", encoding: .utf8).split(separator: "\n")
    for line in gsmLines.enumerated().filter({ $0.offset % 50 == 0 }).map(\.element) {
      let q = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])["question"] as! String
      planted += try JSONSerialization.data(withJSONObject: ["text": "Copied homework: " + q]) + Data("\n".utf8)
    }
    let plantedPath = try fixture.write("planted.jsonl", planted)
    let text = TestData.shared.appendingPathComponent("text").path
    let benchmarks = [
      "--benchmark", "gsm8k=\(data)/gsm8k/test.jsonl", "--benchmark", "math=\(data)/math/test.jsonl.gz",
      "--benchmark", "mmlu=\(data)/mmlu/test", "--benchmark", "arc=\(data)/arc/ARC-Challenge-Test.jsonl",
    ]
    try compareThroughIndex(
      fixture: fixture, shards: [text + "/gutenberg", text + "/reference", text + "/code", plantedPath], benchmarks: benchmarks,
      expectFlagged: gsmLines.count / 50)
  }

  func compareThroughIndex(fixture: ShardFixture, shards: [String], benchmarks: [String], expectFlagged: Int) throws {
    let index = fixture.url("c.cidx").path
    let build = try Tool.execute(contam, ["index", "build", "--out", index] + shards)
    #expect(build.status == 0, "\(build.stderr)")
    let streaming = fixture.url("s.json").path
    let through = fixture.url("i.json").path
    let s = try Tool.execute(contam, ["scan", "--fail-on", "never", "--out", streaming] + benchmarks + shards)
    #expect(s.status == 0, "\(s.stderr)")
    let i = try Tool.execute(contam, ["scan", "--fail-on", "never", "--out", through, "--index", index] + benchmarks)
    #expect(i.status == 0, "\(i.stderr)")
    let a = try certificate(streaming)
    let b = try certificate(through)
    let x = (a["items"] as? [[String: Any]]) ?? []
    let y = (b["items"] as? [[String: Any]]) ?? []
    #expect(x.count == y.count && !x.isEmpty)
    // An item may differ only where the streaming scan's evidence is a run shorter than the
    // index's guarantee (20 tokens) in a document the index did not name.
    var belowGuarantee = 0
    for (p, q) in zip(x, y) where (p as NSDictionary) != (q as NSDictionary) {
      func locations(_ item: [String: Any]) -> [String: Int] {
        var out: [String: Int] = [:]
        for e in (item["evidence"] as? [[String: Any]]) ?? [] { out["\(e["shard"] ?? ""):\(e["line"] ?? 0)"] = e["longestRun"] as? Int ?? 0 }
        return out
      }
      let (seen, found) = (locations(p), locations(q))
      let missed = seen.filter { found[$0.key] == nil }
      let differing = Set(p.keys).union(q.keys).filter { (p[$0] as? NSObject) != (q[$0] as? NSObject) }
      // A near copy (no run of 20 tokens, or it would be a candidate) that only the streaming
      // scan's near pass saw, and nothing else different.
      let nearOnly = differing == ["nearDuplicate"] && q["nearDuplicate"] == nil
      let explained =
        nearOnly || (!missed.isEmpty && missed.values.allSatisfy { $0 < 20 } && found.keys.allSatisfy { seen[$0] != nil })
      if explained {
        belowGuarantee += 1
      } else {
        Issue.record(
          "\(p["benchmark"] ?? "")/\(p["id"] ?? ""): \(p["verdict"] ?? "") streaming (\(seen)), \(q["verdict"] ?? "") through the index (\(found)); differing: \(differing.sorted())")
      }
    }
    print("through the index: \(x.count) items, \(belowGuarantee) differ only by runs shorter than the guarantee or near copies outside the candidates")
    let flagged = x.filter { ($0["verdict"] as? String) != "clean" && ($0["verdict"] as? String) != "too_short" }.count
    #expect(flagged >= expectFlagged, "only \(flagged) items flagged; the comparison must cover found items")
    #expect((a["shards"] as? NSArray) == (b["shards"] as? NSArray))
  }
}
