@_spi(Testing) import Contam
import Foundation
import Synchronization
import Testing
import _ContamTestSupport

@Suite("Scanner on GSM8K items planted in real prose")
struct ScannerTests {
  static func gsm8k(_ count: Int) throws -> [BenchmarkItem] {
    Array(try BenchmarkLoader.load(name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!).prefix(count))
  }

  /// Writes documents of Gutenberg paragraphs, with `plants[line]` inserted in the middle of that document.
  static func shard(_ fixture: ShardFixture, _ name: String, plants: [Int: String], documents: Int = 60) throws -> String {
    let (_, texts) = try ShardFixture.paragraphsJSONL(count: documents, novel: "1342-0.txt.gz")
    var lines: [String] = []
    for (i, text) in texts.enumerated() {
      var doc = text
      if let plant = plants[i + 1] { doc = String(text.prefix(120)) + " " + plant + " " + String(text.dropFirst(120)) }
      let data = try JSONSerialization.data(withJSONObject: ["id": "doc-\(i + 1)", "text": doc], options: [.sortedKeys])
      lines.append(String(decoding: data, as: UTF8.self))
    }
    return try fixture.compress(name, Data((lines.joined(separator: "\n") + "\n").utf8), tool: "gzip", ["-c"])
  }

  func scan(_ items: [BenchmarkItem], _ paths: [String], jobs: Int = 1) throws -> [ItemResult] {
    let options = ShardReaderOptions(format: .jsonl(textField: try FieldPath("text"), idField: try FieldPath("id")))
    return try Scanner(items: items, configuration: ScanConfiguration(), readerOptions: options).scan(paths: paths, jobs: jobs).items
  }

  @Test func exactAndRewrittenCopiesAreFoundWithEvidenceAtTheRightBytes() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let items = try Self.gsm8k(12)
    let full = { (i: Int) in ItemIndex.text(of: items[i]) }
    let q1 = items[1].parts[0].text
    let rewritten = q1.uppercased().replacingOccurrences(of: " ", with: "\n  ").replacingOccurrences(of: ",", with: " ;")
    let curly = full(2).replacingOccurrences(of: "'", with: "’").replacingOccurrences(of: "&", with: "&amp;")
    let path = try Self.shard(fixture, "a.jsonl.gz", plants: [5: full(0), 20: rewritten, 33: curly, 40: String(full(3).prefix(full(3).count / 2))])
    let results = try scan(items, [path])
    #expect(results[0].verdict == .contaminated)
    #expect(results[0].coverage == 1.0)
    #expect(results[1].parts.first { $0.part == "question" }?.coverage == 1.0, "question-only copy, case/space/punct changed")
    #expect(results[1].parts.first { $0.part == "answer" }?.coverage ?? 1 < 0.2)
    #expect(results[2].verdict == .contaminated, "curly quotes and entities")
    #expect(results[3].verdict == .partial, "half an item")
    for k in 4..<12 { #expect(results[k].verdict == .clean, "item \(k) was not planted") }
    // The evidence points at the planted bytes of the document.
    let evidence = try #require(results[0].evidence.first)
    #expect(evidence.line == 5)
    #expect(evidence.documentID == "doc-5")
    let docs = try readAll(path).documents
    let text = Array(docs[4].text.utf8)
    let snippet = String(decoding: text[evidence.byteStart..<evidence.byteEnd], as: UTF8.self)
    #expect(snippet == full(0).trimmingCharacters(in: .whitespacesAndNewlines) || full(0).hasPrefix(snippet))
    #expect(evidence.snippet == snippet)
  }

  /// `verify`'s re-read: the findings at each line are the claimed items' evidence there, as the
  /// scan recorded it, and nothing else (a document holding two items gives only the claimed
  /// one's; an unplanted line gives none; a line past the end has no entry).
  @Test func aReReadKeepsOnlyTheClaimedItemsEvidenceAtEachLine() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let items = try Self.gsm8k(6)
    let full = { (i: Int) in ItemIndex.text(of: items[i]) }
    let path = try Self.shard(fixture, "a.jsonl.gz", plants: [5: full(0) + "\n\n" + full(1), 12: full(2)])
    let options = ShardReaderOptions(format: .jsonl(textField: try FieldPath("text"), idField: try FieldPath("id")))
    let scanner = try Scanner(items: items, configuration: ScanConfiguration(), readerOptions: options)
    let results = try scanner.scan(paths: [path], jobs: 1).items
    #expect(results[0].verdict == .contaminated && results[1].verdict == .contaminated && results[2].verdict == .contaminated)
    let found = try scanner.findings(atLines: [5: [0], 12: [2, 3], 33: [4], 900: [5]], path: path, reportedAs: path)
    #expect(Set(found.keys) == [5, 12, 33], "a line past the end has no entry")
    let five = try #require(found[5])
    #expect(Set(five.evidence.keys) == [0], "item 1 is in the document too, but not claimed there")
    #expect(Set(five.near.keys).isSubset(of: [0]))
    #expect(results[0].evidence.filter { $0.line == 5 }.allSatisfy { five.evidence[0]?.contains($0) == true })
    #expect(results[0].evidence.contains { $0.line == 5 })
    let twelve = try #require(found[12])
    #expect(Set(twelve.evidence.keys) == [2], "item 3 was claimed there but is not in the document")
    #expect(results[2].evidence.filter { $0.line == 12 }.allSatisfy { twelve.evidence[2]?.contains($0) == true })
    #expect(found[33]?.evidence.isEmpty == true && found[33]?.near.isEmpty == true)
  }

  @Test func shortItemsAndBoilerplate() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let short = BenchmarkItem(benchmark: "t", id: "short", parts: [.init(name: "question", text: "Who wrote the novel Pride and Prejudice in 1813?")])
    let tiny = BenchmarkItem(benchmark: "t", id: "tiny", parts: [.init(name: "question", text: "True, True")])
    // Twelve items sharing one template sentence: the template must not flag them.
    let template = "Which of the following statements best describes the main idea of the passage below"
    let templated = (0..<12).map { BenchmarkItem(benchmark: "t", id: "tpl-\($0)", parts: [.init(name: "question", text: "\(template)? Option \($0) concerns topic number \($0 * 7).")]) }
    let path = try Self.shard(fixture, "b.jsonl.gz", plants: [3: "who wrote the NOVEL “Pride and Prejudice”, in 1813?", 9: template + "."])
    let index = ItemIndex(items: [short, tiny] + templated)
    #expect(index.droppedNGrams.count >= 1)
    let results = try scan([short, tiny] + templated, [path])
    #expect(results[0].verdict == .contaminated, "an item shorter than 13 tokens is matched whole")
    #expect(results[1].verdict == .tooShort)
    for r in results.dropFirst(2) { #expect(r.verdict == .clean, "\(r.id): template wording only") }
  }

  @Test func resultsAreTheSameForAnyJobCountAndShardOrder() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let items = try Self.gsm8k(30)
    var paths: [String] = []
    for s in 0..<4 {
      paths.append(try Self.shard(fixture, "s\(s).jsonl.gz", plants: [2 + s: ItemIndex.text(of: items[s]), 10: ItemIndex.text(of: items[20])]))
    }
    let one = try scan(items, paths, jobs: 1)
    let read = ByteCounter()
    let options = ShardReaderOptions(format: .jsonl(textField: try FieldPath("text"), idField: try FieldPath("id")))
    let two = try Scanner(items: items, configuration: ScanConfiguration(), readerOptions: options)
      .scan(paths: paths.reversed(), jobs: 2, inputRead: { read.add($0) }).items
    let sizes = try paths.reduce(0) { $0 + (try FileManager.default.attributesOfItem(atPath: $1)[.size] as! Int) }
    #expect(read.total == sizes, "the file bytes reported as read add up to the shards' sizes")
    #expect(one == two)
    // Four shards on 3 and 4 threads: the last shards go through pipelines whose extra
    // consumers are the pool's threads that ran out of shards (`_IdleWorkers`).
    for jobs in [3, 4] { #expect(try scan(items, paths, jobs: jobs) == one, "\(jobs) threads") }
    #expect(one[20].documents == 4)
    #expect(one.filter { $0.verdict == .contaminated }.count == 5)
  }

  @Test func oneShardOnSeveralThreadsGivesTheOneThreadResult() throws {
    // Fewer shards than threads: the shard is read on a thread of its own and its documents
    // matched in batches on the others (ShardPipeline). Items are planted in many documents
    // (more than the evidence kept per item, so batches' evidence must merge by the same
    // rule), near copies, a document longer than a batch, and a broken line.
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let items = try Self.gsm8k(40)
    var plants: [Int: String] = [:]
    for k in 0..<30 { plants[2 + k * 9] = ItemIndex.text(of: items[k % 10]) }
    for k in 0..<10 { plants[5 + k * 23] = ItemIndex.text(of: items[0]) }
    // Near copies: an item with every tenth word dropped.
    for k in 10..<16 {
      let words = ItemIndex.text(of: items[k]).split(separator: " ")
      plants[7 + k * 17] = words.enumerated().filter { $0.offset % 10 != 9 }.map(\.element).joined(separator: " ")
    }
    let (_, texts) = try ShardFixture.paragraphsJSONL(count: 300)
    var lines: [String] = []
    for (i, text) in texts.enumerated() {
      var doc = text
      if let plant = plants[i + 1] { doc = String(text.prefix(120)) + " " + plant + " " + String(text.dropFirst(120)) }
      if i == 150 { doc = texts.joined(separator: " ") + " " + ItemIndex.text(of: items[20]) }  // far over a batch
      if i == 250 {
        // Over 1 MiB: matched in place on the reader's thread.
        doc = String(repeating: texts.joined(separator: " ") + " ", count: 8) + ItemIndex.text(of: items[21])
      }
      let data = try JSONSerialization.data(withJSONObject: ["id": "doc-\(i + 1)", "text": doc], options: [.sortedKeys])
      lines.append(String(decoding: data, as: UTF8.self))
    }
    lines.insert("{\"id\": \"broken\", \"text\": ", at: 200)
    let path = try fixture.compress("one.jsonl.gz", Data((lines.joined(separator: "\n") + "\n").utf8), tool: "gzip", ["-c"])
    let options = ShardReaderOptions(format: .jsonl(textField: try FieldPath("text"), idField: try FieldPath("id")))
    let scanner = try Scanner(items: items, configuration: ScanConfiguration(), readerOptions: options)
    let one = try scanner.scan(paths: [path], jobs: 1)
    #expect(one.items[0].documents == 13 && one.items[0].evidence.count == 3)
    #expect(one.items.prefix(10).allSatisfy { $0.verdict == .contaminated })
    #expect(one.items[10..<16].allSatisfy { $0.nearDuplicate != nil }, "the near copies are found: \(one.items[10..<16].map { $0.nearDuplicate?.containment ?? 0 })")
    #expect(one.items[20].verdict == .contaminated && one.items[20].evidence.first?.line == 151)
    #expect(one.items[21].verdict == .contaminated && one.items[21].evidence.first?.line == 252, "line 252: the broken line 201 comes before it")
    #expect(one.shards[0].problems["not_json"] == 1 && one.shards[0].documents == 300)
    var figures = one.shards[0]
    figures.seconds = 0
    for jobs in [2, 3] {
      // Progress: the file bytes reported as read add up to the shard's size.
      let read = ByteCounter()
      let many = try scanner.scan(paths: [path], jobs: jobs, inputRead: { read.add($0) })
      #expect(read.total == one.shards[0].compressedBytes && read.calls > 1, "\(jobs) threads: \(read.total) bytes in \(read.calls) calls")
      let differing = zip(many.items, one.items).filter { $0 != $1 }.map(\.0.id)
      #expect(many.items.count == one.items.count && differing.isEmpty, "\(jobs) threads: \(differing) differ")
      var manyFigures = many.shards[0]
      manyFigures.seconds = 0
      #expect(manyFigures == figures, "\(jobs) threads")
    }
    // Stopping at the first problem stops the same way on several threads.
    var stopping = options
    stopping.policy = .stop
    let strict = try Scanner(items: items, configuration: ScanConfiguration(), readerOptions: stopping)
    for jobs in [1, 2] {
      #expect {
        _ = try strict.scan(paths: [path], jobs: jobs)
      } throws: { error in
        guard let error = error as? ContamError else { return false }
        return error.code == .notJSON && error.line == 201 && error.path == path
      }
    }
  }

  @Test func aVerbatimItemWithTemplateWordingIsStillContaminated() throws {
    // MMLU moral scenarios: 895 items share a long preamble, whose n-grams are dropped. A copy
    // of one whole item must still reach full coverage of its informative tokens.
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let mmlu = try BenchmarkLoader.load(name: "mmlu", path: TestData.path("benchmarks/mmlu/test"), format: BenchmarkFormat.presets["mmlu"]!)
    let target = try #require(mmlu.firstIndex { $0.id == "moral_scenarios/1" })
    let path = try Self.shard(fixture, "m.jsonl.gz", plants: [7: ItemIndex.text(of: mmlu[target])])
    let options = ShardReaderOptions(format: .jsonl(textField: try FieldPath("text"), idField: nil))
    let scanner = try Scanner(items: mmlu, configuration: ScanConfiguration(), readerOptions: options)
    #expect(scanner.index.droppedNGrams.first?.items ?? 0 >= 800, "the preamble is dropped as boilerplate")
    let results = try scanner.scan(paths: [path], jobs: 2).items
    #expect(results[target].verdict == .contaminated)
    #expect(results[target].coverage == 1.0)
    #expect(results[target].boilerplateTokens > 10)
    // Only moral-scenario items (which reuse scenario sentences) may share anything with the page.
    #expect(results.filter { $0.coverage > 0 }.allSatisfy { $0.id.hasPrefix("moral_scenarios/") })
  }

  @Test func shortPhrasesOfManyItemsFlagNothing() throws {
    // A page made of 10-token fragments (shorter than n = 13) of 40 GSM8K questions.
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let items = try Self.gsm8k(40)
    // Cut at the end of the 10th token (ten words by whitespace can be 13 tokens: "$19.50").
    let tokenizer = Tokenizer()
    let fragments = items.map { item in
      let question = item.parts[0].text
      let end = tokenizer.tokens(of: question)[9].end
      return String(decoding: Array(question.utf8)[..<end], as: UTF8.self)
    }
    let path = try Self.shard(fixture, "f.jsonl.gz", plants: [3: fragments.joined(separator: ". ")])
    let results = try scan(items, [path])
    #expect(results.allSatisfy { $0.verdict == .clean || $0.verdict == .tooShort }, "\(results.filter { $0.verdict != .clean }.map(\.id))")
  }

  @Test func aDocumentOfMegabytesIsMatchedInSegmentsLikeAShortOne() throws {
    // One 3.5 MB document of real prose with items planted at the start, across the first
    // segment boundary (about 1 MiB in) and at the end; and the same items in short documents.
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let items = try Self.gsm8k(8)
    // ASCII only, so that characters and bytes count alike when placing the plants.
    let prose = String(String.UnicodeScalarView(try TestData.gutenberg("1342-0.txt.gz", bytes: 700_000).unicodeScalars.filter { $0.isASCII && $0 != "\r" }))
    var text = ""
    var planted: [(item: Int, range: Range<Int>)] = []
    func plant(_ item: Int) {
      let copy = ItemIndex.text(of: items[item])
      text += " "
      // Evidence spans the copy's first to last token (a leading `A` is a label, not a token).
      let tokens = Tokenizer().tokens(of: copy)
      planted.append((item, text.utf8.count + tokens.first!.start..<text.utf8.count + tokens.last!.end))
      text += copy + " "
    }
    plant(0)
    text += String((prose + prose).prefix(1_048_576 - 100 - text.utf8.count))
    plant(1)  // straddles the first cut, at the first whitespace after 1 MiB
    for k in 2..<5 {
      text += prose
      plant(k)
    }
    text += String(prose.prefix(300_000))
    plant(5)
    #expect(planted[1].range.contains(1_048_576) && text.utf8.count > 3_000_000)
    let long = try fixture.write("long.jsonl", try JSONSerialization.data(withJSONObject: ["id": "long", "text": text]) + Data("\n".utf8))
    let results = try scan(items, [long])
    for (item, range) in planted {
      let result = results[item]
      #expect(result.verdict == .contaminated, "item \(item): \(result.verdict) \(result.coverage)")
      #expect(result.coverage == 1 && result.documents == 1, "item \(item)")
      // The evidence points at the planted bytes, in document coordinates.
      #expect(result.evidence.first.map { $0.byteStart..<$0.byteEnd } == range, "item \(item): \(String(describing: result.evidence.first))")
      #expect(result.nearDuplicate?.evidence.first.map { $0.byteStart >= range.lowerBound - 64 && $0.byteEnd <= range.upperBound } == true, "item \(item)")
    }
    #expect(results[6].verdict == .clean && results[7].verdict == .clean)
    // The same copies as short documents give the same scores.
    var short = Data()
    for (item, _) in planted {
      short += try JSONSerialization.data(withJSONObject: ["id": "s\(item)", "text": "Intro. " + ItemIndex.text(of: items[item]) + " End."])
      short += Data("\n".utf8)
    }
    let shortResults = try scan(items, [try fixture.write("short.jsonl", short)])
    for (item, _) in planted {
      #expect(shortResults[item].coverage == results[item].coverage && shortResults[item].parts == results[item].parts)
      #expect(shortResults[item].nearDuplicate?.containment == results[item].nearDuplicate?.containment, "item \(item)")
    }
    // The figures count every token once.
    let options = ShardReaderOptions(format: .jsonl(textField: try FieldPath("text"), idField: nil))
    let scanned = try Scanner(items: items, configuration: ScanConfiguration(), readerOptions: options).scan(paths: [long], jobs: 1)
    var counter = TokenCounter()
    var copy = text
    _ = copy.withUTF8 { Tokenizer().tokenize(UnsafeRawBufferPointer($0), into: &counter) }
    #expect(scanned.shards[0].tokens == counter.count)
  }
}

/// Adds up byte counts reported from several threads.
final class ByteCounter: Sendable {
  private let state = Mutex((total: 0, calls: 0))
  func add(_ bytes: Int) { state.withLock { $0.total += bytes; $0.calls += 1 } }
  var total: Int { state.withLock { $0.total } }
  var calls: Int { state.withLock { $0.calls } }
}
