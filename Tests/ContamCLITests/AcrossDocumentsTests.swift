import Contam
import Foundation
import Testing
import _ContamTestSupport

/// The exact pass reads the last n - 1 tokens of the documents before a document in front of
/// it (`acrossDocuments`), as a model trained on packed documents reads them. Read apart, an
/// item split one sentence a record read `partial` or `clean`, and a corpus chunked into
/// records of six words hid every item: no 13-gram lies in one record.
extension UInt8 {
  fileprivate var isLetterByte: Bool { (self | 0x20) >= 0x61 && (self | 0x20) <= 0x7A }
}

@Suite("Documents read together")
struct AcrossDocumentsTests {
  let contam = TestData.contamExecutable

  /// Real GSM8K and ARC items among sentences of a novel, written one sentence (or option) a
  /// record, and the same stream chunked into records of `chunk` words (or, negative, cut
  /// every -`chunk` characters, words and all, as a corpus chunked by length is).
  func corpus(chunk: Int?) throws -> (records: [String], planted: [(benchmark: String, index: Int)]) {
    let gsm8k = try BenchmarkLoader.load(name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!)
    let arc = try BenchmarkLoader.load(
      name: "arc", path: TestData.path("benchmarks/arc/ARC-Challenge-Test.jsonl"), format: BenchmarkFormat.presets["arc"]!)
    let sentences = try novelSentences(longerThan: 30)
    var records: [String] = []
    var planted: [(benchmark: String, index: Int)] = []
    var s = 100
    for k in 0..<16 {
      records += sentences[s..<(s + 3 + k % 5)].map { $0 + "." }
      s += 3 + k % 5
      let item = k < 8 ? gsm8k[3 * k] : arc[3 * (k - 8)]
      planted.append(k < 8 ? ("gsm8k", 3 * k) : ("arc", 3 * (k - 8)))
      let text = item.parts.map(\.text).joined(separator: "\n")
      // A sentence (or an option, a line of the solution) a record.
      for line in text.components(separatedBy: "\n") {
        records += line.components(separatedBy: ". ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
      }
    }
    records += sentences[s..<(s + 40)].map { $0 + "." }
    guard let chunk else { return (records, planted) }
    if chunk < 0 {
      let stream = Array(records.joined(separator: " "))
      return (stride(from: 0, to: stream.count, by: -chunk).map { String(stream[$0..<min(stream.count, $0 - chunk)]) }, planted)
    }
    let words = records.joined(separator: " ").split(separator: " ")
    return (stride(from: 0, to: words.count, by: chunk).map { words[$0..<min(words.count, $0 + chunk)].joined(separator: " ") }, planted)
  }

  /// The sentences of a real novel's first 300 kB longer than `minimum` characters and shorter
  /// than 300, line breaks read as spaces.
  func novelSentences(longerThan minimum: Int) throws -> [String] {
    let novel = try TestData.gutenberg("155-0.txt.gz", bytes: 300_000)
    return novel.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
      .components(separatedBy: ". ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.count > minimum && $0.count < 300 }
  }

  func write(_ records: [String], to path: String) throws {
    var lines = ""
    for (k, text) in records.enumerated() {
      let record = try JSONSerialization.data(withJSONObject: ["id": "r\(k)", "text": text], options: [.sortedKeys])
      lines += String(decoding: record, as: UTF8.self) + "\n"
    }
    try Data(lines.utf8).write(to: URL(fileURLWithPath: path))
  }

  func scan(_ shard: String, _ cert: String, _ extra: [String] = []) throws -> Certificate {
    let run = try Tool.execute(
      contam,
      ["scan", "--fail-on", "never", "--out", cert, "--benchmark", "gsm8k=\(TestData.path("benchmarks/gsm8k/test.jsonl"))",
        "--benchmark", "arc=\(TestData.path("benchmarks/arc/ARC-Challenge-Test.jsonl"))"] + extra + [shard])
    #expect(run.status == 0, "\(run.stderr)")
    return try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: cert)))
  }

  func verdicts(_ certificate: Certificate, _ planted: [(benchmark: String, index: Int)]) -> [Verdict] {
    planted.map { p in certificate.items.filter { $0.benchmark == p.benchmark }[p.index].verdict }
  }

  @Test(arguments: [nil, 6, 9])
  func itemsSplitOverRecordsAreFoundWholeAndVerify(chunk: Int?) throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (records, planted) = try corpus(chunk: chunk)
    let shard = fixture.url("split.jsonl").path
    try write(records, to: shard)
    let cert = fixture.url("c.json").path
    // One shard on two threads: read in batches of 16 KiB, each handed over with its carry.
    let together = try scan(shard, cert, ["--jobs", "2"])
    #expect(together.parameters.acrossDocuments == true)
    let found = verdicts(together, planted)
    #expect(found.allSatisfy { $0 == .contaminated }, "split a \(chunk.map { $0 < 0 ? "\(-$0) characters" : "\($0) words" } ?? "sentence") a record: \(found)")
    // Nothing else is: the records around them are a novel's.
    let plantedIDs = Set(planted.map { p in "\(p.benchmark)/\(together.items.filter { $0.benchmark == p.benchmark }[p.index].id)" })
    let others = together.items.filter { !plantedIDs.contains("\($0.benchmark)/\($0.id)") }
    #expect(others.allSatisfy { $0.verdict == .clean || $0.verdict == .tooShort }, "\(others.filter { $0.verdict != .clean && $0.verdict != .tooShort }.map(\.id))")
    // The evidence lies in a record that holds part of the copy, its snippet that record's text.
    for (p, verdict) in zip(planted, found) where verdict == .contaminated {
      let item = together.items.filter { $0.benchmark == p.benchmark }[p.index]
      for evidence in item.evidence {
        let text = records[evidence.line - 1]
        #expect(Array(Array(text.utf8)[evidence.byteStart..<evidence.byteEnd]) == Array(evidence.snippet.utf8), "\(item.id) at line \(evidence.line)")
      }
    }
    // One thread, the whole shard in order: the same results.
    let one = try scan(shard, fixture.url("one.json").path, ["--jobs", "1"])
    #expect(one.items == together.items)
    // Every evidence location re-read with the documents before it, and the whole scan again.
    let verified = try Tool.execute(contam, ["verify", "--full", "--corpus", fixture.directory.path, "--corpus", TestData.packageRoot.path, cert])
    #expect(verified.status == 0 && verified.stdout.contains("evidence locations confirmed"), "\(verified.stdout)\(verified.stderr)")
    // Read apart, most are not found: weaker, and verify says so.
    let apartPath = fixture.url("apart.json").path
    let apart = try scan(shard, apartPath, ["--jobs", "2", "--documents-apart"])
    #expect(apart.parameters.acrossDocuments == false)
    // (A sentence of a GSM8K solution often holds a 13-gram; six or nine words never do.)
    #expect(verdicts(apart, planted).filter { $0 == .contaminated }.count < (chunk == nil ? planted.count : planted.count / 2), "\(verdicts(apart, planted))")
    let weak = try Tool.execute(contam, ["verify", "--corpus", fixture.directory.path, "--corpus", TestData.packageRoot.path, apartPath])
    #expect(weak.status == 1 && weak.stdout.contains("documents were read apart"), "\(weak.stdout)")
  }

  /// GSM8K items with every number changed (a perturbed copy) or a letter swapped in every
  /// fifth word (a hand-typed copy), written a sentence a record among a novel's: no record
  /// holds enough of one for a near copy, so read apart the near search found few and some
  /// items read clean. The near search reads the last 64 tokens of the records before each
  /// (`near.carriedTokens`): each copy is a near copy, reported in a record it ends in (its
  /// snippet that record's bytes), the same on one thread or two, and `verify --full` agrees.
  @Test func nearCopiesSplitOverRecordsAreFound() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let gsm8k = try BenchmarkLoader.load(name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!)
    let sentences = try novelSentences(longerThan: 30)
    let digits = try NSRegularExpression(pattern: "[0-9]+")
    func numbersChanged(_ text: String) -> String {
      var result = ""
      var last = text.startIndex
      for match in digits.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
        let range = Range(match.range, in: text)!
        result += text[last..<range.lowerBound] + String(Int(text[range])! % 1000 + 3)
        last = range.upperBound
      }
      return result + text[last...]
    }
    func typed(_ text: String) -> String {
      text.split(separator: " ", omittingEmptySubsequences: false).enumerated().map { k, word in
        guard k % 5 == 2, word.count > 3 else { return String(word) }
        var letters = Array(word)
        letters.swapAt(1, 2)
        return String(letters)
      }.joined(separator: " ")
    }
    var records: [String] = []
    var planted: [Int] = []
    var s = 100
    for k in 0..<12 {
      records += sentences[s..<(s + 4)].map { $0 + "." }
      s += 4
      let item = 7 * k + 1
      planted.append(item)
      let text = gsm8k[item].parts.map(\.text).joined(separator: "\n")
      let copy = k % 2 == 0 ? numbersChanged(text) : typed(text)
      for line in copy.components(separatedBy: "\n") {
        records += line.components(separatedBy: ". ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
      }
    }
    records += sentences[s..<(s + 20)].map { $0 + "." }
    let shard = fixture.url("split.jsonl").path
    try write(records, to: shard)
    func found(_ certificate: Certificate) -> [ItemResult] {
      let items = certificate.items.filter { $0.benchmark == "gsm8k" }
      return planted.map { items[$0] }
    }
    let together = try scan(shard, fixture.url("c.json").path, ["--jobs", "2"])
    #expect(together.parameters.near?.carriedTokens == 64)
    let near = found(together).filter { $0.nearDuplicate != nil }
    #expect(near.count == planted.count, "near copies found: \(near.count) of \(planted.count)")
    #expect(found(together).allSatisfy { $0.verdict != .clean && $0.verdict != .tooShort }, "\(found(together).map(\.verdict))")
    for item in near {
      for evidence in item.nearDuplicate!.evidence {
        let text = records[evidence.line - 1]
        #expect(Array(Array(text.utf8)[evidence.byteStart..<evidence.byteEnd]) == Array(evidence.snippet.utf8), "\(item.id) at line \(evidence.line)")
      }
    }
    // One thread reads the same.
    let one = try scan(shard, fixture.url("one.json").path, ["--jobs", "1"])
    #expect(one.items == together.items)
    // No near copy is reported in a record it does not reach: each ends in its record's own text.
    #expect(near.allSatisfy { $0.nearDuplicate!.evidence.allSatisfy { $0.byteEnd > 0 && !$0.snippet.isEmpty } })
    // Through a corpus index, the lines before each candidate are read for the carry (64 tokens,
    // here many records back): every near copy found in the candidates is the full scan's, though
    // the records that are no candidate are not read.
    let index = fixture.url("split.cidx").path
    #expect(try Tool.execute(contam, ["index", "build", "--out", index, shard]).status == 0)
    let indexed = found(try scan(index, fixture.url("i.json").path, ["--index"])).filter { $0.nearDuplicate != nil }
    #expect(!indexed.isEmpty)
    for item in indexed {
      let full = try #require(near.first { $0.id == item.id }?.nearDuplicate)
      // A record read both ways gives the same copy: the same carry was in front of it.
      for evidence in item.nearDuplicate!.evidence {
        if let same = full.evidence.first(where: { $0.line == evidence.line }) { #expect(same == evidence, "\(item.id) at line \(evidence.line)") }
      }
      #expect(item.nearDuplicate!.containment <= full.containment)
    }
    // Read apart: the near search finds few, and some items read clean.
    let apart = try scan(shard, fixture.url("apart.json").path, ["--jobs", "2", "--documents-apart"])
    #expect(found(apart).filter { $0.nearDuplicate != nil }.count < near.count - 3, "\(found(apart).filter { $0.nearDuplicate != nil }.count)")
    #expect(found(apart).contains { $0.verdict == .clean }, "\(found(apart).map(\.verdict))")
    let verified = try Tool.execute(
      contam, ["verify", "--full", "--corpus", fixture.directory.path, "--corpus", TestData.packageRoot.path, fixture.url("c.json").path])
    #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    // A certificate made before (no carriedTokens) verifies as made, and weaker.
    var before = ScanConfiguration()
    before.near?.carriedTokens = nil
    #expect(before.weakenings().contains { $0.contains("carriedTokens = 0") })
  }

  /// A record that copies an item, after a record whose last tokens (the carry read in front of
  /// it) hold a closer copy of the same item: the closer copy, in the carry, is the earlier
  /// record's finding, and must not hide this record's own. The vote once kept one span per
  /// item and dropped it when it ended in the carry, so the record's copy (fewer votes) was
  /// never measured: 3 of 20 real ARC items were found in their second record, each of the 20
  /// is when the records are read apart.
  @Test func aCloserCopyInTheCarryDoesNotHideTheRecordsOwn() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let arc = try BenchmarkLoader.load(
      name: "arc", path: TestData.path("benchmarks/arc/ARC-Challenge-Test.jsonl"), format: BenchmarkFormat.presets["arc"]!)
    let sentences = try novelSentences(longerThan: 60)
    var records: [String] = []
    var planted: [(item: Int, line: Int)] = []
    for k in 0..<20 {
      let item = 2 * k
      let text = arc[item].parts.map(\.text).joined(separator: "\n")
      // Record one: a sentence, then the item verbatim (its last tokens, the next record's carry).
      records.append(sentences[3 * k] + ". " + text)
      // Record two: two sentences (more than twice the item's length from the carry), then the
      // item with its fourth word dropped and its middle word changed.
      var words = text.split(separator: " ").map(String.init)
      words.remove(at: 3)
      words[words.count / 2] = "banana"
      records.append(sentences[3 * k + 1] + ". " + sentences[3 * k + 2] + ". " + words.joined(separator: " "))
      planted.append((item, records.count))
    }
    let shard = fixture.url("carry.jsonl").path
    try write(records, to: shard)
    func foundInTheirSecondRecord(_ certificate: Certificate) -> Int {
      let items = certificate.items.filter { $0.benchmark == "arc" }
      return planted.filter { p in items[p.item].nearDuplicate?.evidence.contains { $0.line == p.line } == true }.count
    }
    let apart = foundInTheirSecondRecord(try scan(shard, fixture.url("apart.json").path, ["--documents-apart"]))
    let together = try scan(shard, fixture.url("c.json").path)
    #expect(apart >= 18, "found apart: \(apart) of 20")
    #expect(foundInTheirSecondRecord(together) >= apart, "found read together: \(foundInTheirSecondRecord(together)), apart \(apart)")
    let verified = try Tool.execute(contam, ["verify", "--full", "--corpus", fixture.directory.path, "--corpus", TestData.packageRoot.path, fixture.url("c.json").path])
    #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
  }

  /// An item cut in two records inside a word (a corpus cut every so many characters): the
  /// halves of the word are read as the one word again (`y` | `ou`), so a short item whose every
  /// n-gram holds that word is found, though each half alone is no token of it. Read with the
  /// records apart, or with the halves as two tokens, most of these read clean.
  @Test func aWordCutBetweenTwoRecordsIsReadWhole() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = TestData.path("benchmarks/truthfulqa/TruthfulQA.csv")
    let items = try BenchmarkLoader.load(name: "truthfulqa", path: path, format: BenchmarkFormat.presets["truthfulqa"]!)
    let novel = try TestData.gutenberg("155-0.txt.gz", bytes: 200_000).components(separatedBy: "\r\n\r\n").filter { $0.count > 200 }
    var records: [String] = []
    var planted: [Int] = []
    for (k, i) in stride(from: 5, to: 200, by: 13).prefix(12).enumerated() {
      let text = items[i].parts.map(\.text).joined(separator: "\n")
      // The cut: inside the word that holds the text's middle character, past its first letter.
      let bytes = Array(text.utf8)
      var cut = bytes.count / 2
      while cut < bytes.count - 2 && !(bytes[cut - 1].isLetterByte && bytes[cut].isLetterByte) { cut += 1 }
      guard cut < bytes.count - 2 else { continue }
      planted.append(i)
      records.append(novel[k] + "\n\n" + String(decoding: bytes[..<cut], as: UTF8.self))
      records.append(String(decoding: bytes[cut...], as: UTF8.self) + "\n\n" + novel[k + 20])
    }
    #expect(planted.count >= 10)
    let shard = fixture.url("cut.jsonl").path
    try write(records, to: shard)
    let cert = fixture.url("c.json").path
    func run(_ extra: [String], _ out: String) throws -> [Verdict] {
      let result = try Tool.execute(contam, ["scan", "--fail-on", "never", "--out", out, "--benchmark", "truthfulqa=\(path)"] + extra + [shard])
      #expect(result.status == 0, "\(result.stderr)")
      let items = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: out))).items
      return planted.map { items[$0].verdict }
    }
    let together = try run(["--jobs", "2"], cert)
    #expect(together.allSatisfy { $0 == .contaminated }, "\(together)")
    #expect(try run(["--jobs", "1"], fixture.url("one.json").path) == together)
    let verified = try Tool.execute(contam, ["verify", "--full", "--corpus", fixture.directory.path, "--corpus", TestData.packageRoot.path, cert])
    #expect(verified.status == 0 && verified.stdout.contains("evidence locations confirmed"), "\(verified.stdout)\(verified.stderr)")
    let apart = try run(["--documents-apart"], fixture.url("apart.json").path)
    #expect(apart.filter { $0 == .contaminated }.count < planted.count / 2, "\(apart)")
  }

  /// Rows of a Parquet file are read together across its row groups, on one thread as on
  /// several (the reader's thread decodes the groups, the batches carry what came before):
  /// items written 4 words a row are found whole, the one across a row-group boundary too.
  /// (Row groups once went to separate threads and the carry stopped at each, so a file of
  /// one row per group hid every split item.)
  @Test func rowsAreReadTogetherAcrossParquetRowGroups() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = TestData.packageRoot.appendingPathComponent("Tests/Fixtures/parquet/split-rows.parquet").path
    let benchmark = TestData.path("benchmarks/truthfulqa/TruthfulQA.csv")
    var results: [[ItemResult]] = []
    for jobs in ["1", "2", "3"] {
      let out = fixture.url("c\(jobs).json").path
      let run = try Tool.execute(contam, ["scan", "--fail-on", "never", "--jobs", jobs, "--out", out, "--benchmark", "truthfulqa=\(benchmark)", path])
      #expect(run.status == 0, "\(run.stderr)")
      let items = try Certificate(decoding: Data(contentsOf: URL(fileURLWithPath: out))).items
      results.append(items)
      // Items 2-7 (CSV rows 1-6) inside row groups; item 8 across the first boundary.
      #expect((1...7).allSatisfy { items[$0].verdict == .contaminated && items[$0].coverage == 1 }, "\((1...7).map { items[$0].coverage })")
    }
    #expect(results[0] == results[1] && results[1] == results[2])
  }

  /// A corpus index winnows each record with the last tokens of the records before it in
  /// front, so a run shared with an item across records names the record where it ends, and a
  /// scan through the index reads it with the records before: the split items are found as a
  /// full scan finds them. Indexes built before (no `acrossDocuments`) read as built.
  @Test func aCorpusIndexFindsItemsSplitOverRecords() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (records, planted) = try corpus(chunk: 9)
    let shard = fixture.url("split.jsonl").path
    try write(records, to: shard)
    let index = fixture.url("corpus.cidx").path
    let build = try Tool.execute(contam, ["index", "build", "--out", index, shard])
    #expect(build.status == 0, "\(build.stderr)")
    let manifest = try CorpusIndexManifest.read(directory: index).manifest
    #expect(manifest.acrossDocuments == true)
    #expect(try Tool.execute(contam, ["index", "stats", index]).stdout.contains("a run across records is found"))
    let throughIndex = try scan(index, fixture.url("i.json").path, ["--index"])
    let found = verdicts(throughIndex, planted)
    #expect(found.allSatisfy { $0 == .contaminated }, "\(found)")
    #expect(throughIndex.corpusIndex?.scope.contains("counting the records before it") == true)
    let verified = try Tool.execute(contam, ["verify", "--corpus", fixture.directory.path, "--corpus", TestData.packageRoot.path, fixture.url("i.json").path])
    #expect(verified.status == 0 && verified.stdout.contains("evidence locations confirmed"), "\(verified.stdout)\(verified.stderr)")
    // An index built before session 18: its manifest has no `acrossDocuments`; read so, and
    // shards added to it are winnowed as its others were.
    let path = index + "/" + CorpusIndexManifest.fileName
    var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    json.removeValue(forKey: "acrossDocuments")
    try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
    #expect(try CorpusIndexManifest.read(directory: index).manifest.acrossDocuments == nil)
    #expect(try Tool.execute(contam, ["index", "stats", index]).stdout.contains("each winnowed alone"))
    let more = fixture.url("more.jsonl").path
    try write(Array(records.prefix(50)), to: more)
    let add = try Tool.execute(contam, ["index", "add", index, more])
    #expect(add.status == 0, "\(add.stderr)")
    #expect(try CorpusIndexManifest.read(directory: index).manifest.acrossDocuments == nil)
  }

  /// The carry starts anew with each shard, and is the same whatever the threads: two shards
  /// on one thread each, or each read on a thread of its own while two match its batches.
  @Test func theCarryStopsAtTheShardAndIsTheSameOnAnyThreads() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (records, planted) = try corpus(chunk: nil)
    // The stream cut in two shards after the fifth item's first sentence.
    let item = try BenchmarkLoader.load(name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!)[planted[4].index]
    let head = item.parts[0].text.split(separator: " ").prefix(5).joined(separator: " ")
    let cut = try #require(records.firstIndex { $0.contains(head) }) + 1
    let shards = fixture.url("shards")
    try FileManager.default.createDirectory(at: shards, withIntermediateDirectories: true)
    let first = shards.appendingPathComponent("a.jsonl").path
    let second = shards.appendingPathComponent("b.jsonl").path
    try write(Array(records[..<cut]), to: first)
    try write(Array(records[cut...]), to: second)
    var results: [[ItemResult]] = []
    for jobs in ["1", "4"] {
      let certificate = try scan(shards.path, fixture.url("c\(jobs).json").path, ["--jobs", jobs])
      results.append(certificate.items)
      let found = verdicts(certificate, planted)
      // Every item but the one cut between the shards is found whole.
      #expect(found.enumerated().allSatisfy { $0.offset == 4 || $0.element == .contaminated }, "\(found)")
      // No evidence of the cut item joins the end of one shard to the start of the other.
      let cutItem = certificate.items.filter { $0.benchmark == "gsm8k" }[planted[4].index]
      for evidence in cutItem.evidence where evidence.shard.hasSuffix("b.jsonl") && evidence.line == 1 {
        #expect(evidence.snippet.split(separator: " ").count >= 1 && records[cut].utf8.starts(with: evidence.snippet.utf8))
      }
    }
    #expect(results[0] == results[1])
    // A stream of items alone in records of 6 words, one shard read in 16 KiB batches on two
    // threads: every batch starts inside a copy, where the carry decides which records hold
    // evidence (a record of 6 words has none without it). One thread gives the same.
    let gsm8k = try BenchmarkLoader.load(name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!)
    let words = gsm8k.prefix(200).map { $0.parts.map(\.text).joined(separator: " ") }.joined(separator: " ").split(separator: " ")
    let dense = fixture.url("dense.jsonl").path
    try write(stride(from: 0, to: words.count, by: 6).map { words[$0..<min(words.count, $0 + 6)].joined(separator: " ") }, to: dense)
    let two = try scan(dense, fixture.url("d2.json").path, ["--jobs", "2"])
    let one = try scan(dense, fixture.url("d1.json").path, ["--jobs", "1"])
    #expect(two.items.filter { $0.benchmark == "gsm8k" }.prefix(200).allSatisfy { $0.verdict == .contaminated })
    #expect(one.items == two.items)
  }

  /// A document over 1 MiB is matched (and indexed) in segments, and on two threads on the
  /// reader's own: the carry after it comes from its last 64 KiB, the same on every path. An
  /// item begun at its end and ended in the next records is found whole, by a scan on one or
  /// two threads and through a corpus index.
  @Test func theCarryAfterADocumentReadInSegments() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let gsm8k = try BenchmarkLoader.load(name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!)
    let novel = try TestData.gutenberg("1342-0.txt.gz", bytes: 400_000)
    var long = ""
    while long.utf8.count < 1_300_000 { long += novel + "\n\n" }
    var records: [String] = []
    for k in 0..<4 {
      let words = gsm8k[10 + k].parts.map(\.text).joined(separator: " ").split(separator: " ")
      // The item's first 6 words end the long document; the rest follows 5 words a record.
      records.append(long + " " + words.prefix(6).joined(separator: " "))
      records += stride(from: 6, to: words.count, by: 5).map { words[$0..<min(words.count, $0 + 5)].joined(separator: " ") }
    }
    let shard = fixture.url("long.jsonl").path
    try write(records, to: shard)
    let two = try scan(shard, fixture.url("2.json").path, ["--jobs", "2"])
    let one = try scan(shard, fixture.url("1.json").path, ["--jobs", "1"])
    #expect(one.items == two.items)
    let items = two.items.filter { $0.benchmark == "gsm8k" }
    #expect((10..<14).allSatisfy { items[$0].verdict == .contaminated && items[$0].coverage == 1 }, "\((10..<14).map { items[$0].coverage })")
    let index = fixture.url("long.cidx").path
    #expect(try Tool.execute(contam, ["index", "build", "--out", index, shard]).status == 0)
    let throughIndex = try scan(index, fixture.url("i.json").path, ["--index"])
    let indexed = throughIndex.items.filter { $0.benchmark == "gsm8k" }
    #expect((10..<14).allSatisfy { indexed[$0].verdict == .contaminated }, "\((10..<14).map { indexed[$0].coverage })")
  }
}
