@_spi(Testing) import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("Index cache: built indexes read back, the same results")
struct IndexCacheTests {
  /// Real items of several formats: short items and parts matched whole (TruthfulQA), shared
  /// context (MMLU), answers of every kind, long MATH solutions; and, last, MMLU questions with a
  /// blank near their start, with their options and without (each kind of span the index keys
  /// such a question by, ``ItemIndex/ApartSpan``).
  static func items() throws -> [BenchmarkItem] {
    var items: [BenchmarkItem] = []
    for (name, path) in [
      ("gsm8k", "benchmarks/gsm8k/test.jsonl"), ("mmlu", "benchmarks/mmlu/test"), ("math", "benchmarks/math/test.jsonl.gz"),
      ("truthfulqa", "benchmarks/truthfulqa/TruthfulQA.csv"), ("sciq", "benchmarks/sciq/test.json"),
    ] {
      items += try BenchmarkLoader.load(name: name, path: TestData.path(path), format: BenchmarkFormat.presets[name]!)
    }
    let blanks = try BenchmarkLoader.load(name: "mmlu-blanks", path: TestData.path("benchmarks/mmlu-blanks"), format: BenchmarkFormat.presets["mmlu"]!)
    let alone = blanks.map { item in
      BenchmarkItem(benchmark: "blanks-alone", id: item.id, parts: item.parts.filter { $0.name != BenchmarkItem.choicesPartName }, answer: nil)
    }
    return items + blanks + alone
  }

  /// A shard with some items planted whole and some in halves, so the scan finds exact,
  /// partial and near copies.
  static func shard(_ fixture: ShardFixture, _ items: [BenchmarkItem]) throws -> String {
    var plants: [Int: String] = [:]
    for (k, i) in stride(from: 0, to: items.count, by: max(1, items.count / 40)).enumerated() {
      let text = ItemIndex.text(of: items[i])
      plants[k + 1] = k % 3 == 0 ? String(text.prefix(text.count / 2)) : text
    }
    return try ScannerTests.shard(fixture, "planted.jsonl.gz", plants: plants, documents: 60)
  }

  static let options = ShardReaderOptions(format: .jsonl(textField: try! FieldPath("text"), idField: try! FieldPath("id")))

  func cache(_ directory: URL, build: String = "tests") -> IndexCache {
    var cache = IndexCache(directory: directory.path, build: build)
    cache.minimumBuildSeconds = 0
    return cache
  }

  func files(_ directory: URL, suffix: String = ".contam-index") -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(suffix) }.sorted()
  }

  @Test func aSecondScannerReadsTheIndexesAndFindsTheSame() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let directory = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let items = try Self.items()
    let shard = try Self.shard(fixture, items)
    for near in [NearDuplicateConfiguration(), nil] {
      var configuration = ScanConfiguration()
      configuration.near = near
      let built = try Scanner(items: items, configuration: configuration, readerOptions: Self.options)
      let first = try Scanner(items: items, configuration: configuration, readerOptions: Self.options, indexCache: cache(directory))
      let second = try Scanner(items: items, configuration: configuration, readerOptions: Self.options, indexCache: cache(directory))
      #expect(!built.indexesFromCache && !first.indexesFromCache)
      let read = second.indexesFromCache
      #expect(read, "the second scanner reads what the first wrote (near \(near != nil))")
      let expected = try built.scan(paths: [shard], jobs: 2).items
      #expect(expected.contains { $0.verdict == .contaminated } && expected.contains { $0.verdict == .partial })
      #expect(try second.scan(paths: [shard], jobs: 2).items == expected)
      #expect(second.index.keyCount == built.index.keyCount && second.index.droppedNGrams == built.index.droppedNGrams)
      #expect(second.nearIndex?.searchedItems == built.nearIndex?.searchedItems)
      #expect(second.nearIndex?.droppedShingles == built.nearIndex?.droppedShingles)
    }
    #expect(files(directory).count == 2, "one file with near duplicates, one without: \(files(directory))")
  }

  /// The run-together index (0.1-0.3 s to make, which nearly every scan of real text needs) is
  /// made with the others when they are built for the cache, and read back with them: a second
  /// scanner has it before it scans, and finds what one that built everything finds, copies
  /// without their spaces and copies cut through their words included.
  @Test func theRunTogetherIndexIsReadBackWithTheOthers() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let directory = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let items = try Self.items()
    var plants: [Int: String] = [:]
    for (k, i) in stride(from: 0, to: items.count, by: max(1, items.count / 30)).enumerated() {
      let text = ItemIndex.text(of: items[i])
      // Every other copy without its spaces; the others cut every 40 bytes through their words.
      plants[k + 1] =
        k % 2 == 0
        ? text.filter { $0 != " " }
        : stride(from: 0, to: text.utf8.count, by: 40).map { String(decoding: Array(text.utf8)[$0..<min(text.utf8.count, $0 + 40)], as: UTF8.self) }
          .joined(separator: "\n")
    }
    let shard = try ScannerTests.shard(fixture, "together.jsonl.gz", plants: plants, documents: 40)
    let built = try Scanner(items: items, configuration: ScanConfiguration(), readerOptions: Self.options)
    #expect(!built.index.hasRunTogetherIndex, "without a cache it is made when a document first needs it")
    let first = try Scanner(items: items, configuration: ScanConfiguration(), readerOptions: Self.options, indexCache: cache(directory))
    #expect(!first.indexesFromCache && first.index.hasRunTogetherIndex)
    let second = try Scanner(items: items, configuration: ScanConfiguration(), readerOptions: Self.options, indexCache: cache(directory))
    #expect(second.indexesFromCache && second.index.hasRunTogetherIndex)
    let expected = try built.scan(paths: [shard], jobs: 2).items
    #expect(expected.filter { $0.verdict == .contaminated }.count >= 20)
    #expect(try second.scan(paths: [shard], jobs: 2).items == expected)
  }

  /// Each fixture benchmark alone, with near duplicates on and off: what one writes, the next
  /// scanner reads. The cache's reader checks every span and posting against the items, so a kind
  /// of span the index learns to make and the reader does not know is a miss on every run, which
  /// nothing else shows but the time (session 26's blank near the start did that for MMLU and
  /// MATH: each scan built its indexes again, 2-3 s for all shared benchmarks).
  @Test func everyFixtureBenchmarkReadsBack() throws {
    for (name, path) in [
      ("arc", "arc/ARC-Challenge-Test.jsonl"), ("gsm8k", "gsm8k/test.jsonl"), ("humaneval", "humaneval/HumanEval.jsonl.gz"),
      ("lambada", "lambada/lambada_test_plain_text.txt"), ("math", "math/test.jsonl.gz"), ("mmlu", "mmlu/test"), ("mmlu", "mmlu-blanks"),
      ("math-perturb", "math_perturb/math_perturb_hard.jsonl"), ("math-perturb", "math_perturb/math_perturb_simple.jsonl"),
      ("piqa", "piqa/dev.jsonl"), ("sciq", "sciq/test.json"), ("truthfulqa", "truthfulqa/TruthfulQA.csv"), ("winogrande", "winogrande/dev.jsonl"),
    ] {
      let items = try BenchmarkLoader.load(name: name, path: TestData.path("benchmarks/" + path), format: BenchmarkFormat.presets[name]!)
      let directory = try TestData.temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: directory) }
      for near in [NearDuplicateConfiguration(), nil] {
        var configuration = ScanConfiguration()
        configuration.near = near
        let first = try Scanner(items: items, configuration: configuration, readerOptions: Self.options, indexCache: cache(directory))
        let second = try Scanner(items: items, configuration: configuration, readerOptions: Self.options, indexCache: cache(directory))
        let (written, read) = (first.indexesFromCache, second.indexesFromCache)
        #expect(!written && read, "\(path) (\(items.count) items), near \(near != nil): built, then read back")
        #expect(second.index.keyCount == first.index.keyCount && second.nearIndex?.searchedItems == first.nearIndex?.searchedItems, "\(path)")
      }
    }
  }

  @Test func aDamagedOrForeignFileIsNotReadAndTheIndexesAreBuiltAgain() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let directory = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let items = Array(try Self.items().prefix(3_000))
    let shard = try Self.shard(fixture, items)
    let expected = try Scanner(items: items, configuration: ScanConfiguration(), readerOptions: Self.options).scan(paths: [shard], jobs: 2).items
    func scanner(_ items: [BenchmarkItem], build: String = "tests") throws -> Contam.Scanner {
      try Scanner(items: items, configuration: ScanConfiguration(), readerOptions: Self.options, indexCache: cache(directory, build: build))
    }
    _ = try scanner(items)
    // The exact index's file, its n-gram table's and the near index's, each damaged in turn
    // (the others left whole).
    for suffix in [".contam-index", ".contam-ngrams", ".contam-near"] {
      let path = directory.appendingPathComponent(try #require(files(directory, suffix: suffix).first)).path
      let original = try Data(contentsOf: URL(fileURLWithPath: path))
      var damages: [(String, Data?)] = [
        ("truncated", original.prefix(original.count / 2)), ("empty", Data()), ("trailer cut", original.dropLast(3)), ("missing", nil),
      ]
      for offset in [original.count / 3, original.count / 2, original.count - 20] {
        var flipped = original
        flipped[offset] ^= 0x40
        damages.append(("byte \(offset) changed", flipped))
      }
      for (damage, bytes) in damages {
        let what = "\(suffix) \(damage)"
        if let bytes { try bytes.write(to: URL(fileURLWithPath: path)) } else { try FileManager.default.removeItem(atPath: path) }
        let rebuilt = try scanner(items)
        #expect(!rebuilt.indexesFromCache, "\(what): not read")
        #expect(try rebuilt.scan(paths: [shard], jobs: 2).items == expected, "\(what)")
        // The rebuild wrote the file again, whole.
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original, "\(what)")
        #expect(try scanner(items).indexesFromCache, "\(what): read again after the rebuild")
      }
    }
    // Another binary, or an item changed by one character, never reads this file.
    #expect(try !scanner(items, build: "another build").indexesFromCache)
    var edited = items
    edited[7].parts[0].text += "."
    #expect(try !scanner(edited).indexesFromCache)
    let key = cache(directory).key(items: items, parameters: ScanConfiguration().indexParameters, near: NearDuplicateConfiguration(), maximumItemsPerShingle: 10)
    #expect(files(directory).contains(key + ".contam-index") && files(directory, suffix: ".contam-near").contains(key + ".contam-near"))
    #expect(files(directory, suffix: ".contam-ngrams").contains(key + ".contam-ngrams"))
  }

  /// The cache file's checksum of its payload: XXH3 of the XXH3s of its 1 MiB pieces.
  static func checksum(_ bytes: Data) -> UInt64 {
    var sums: [UInt64] = []
    var start = bytes.startIndex
    while start < bytes.endIndex {
      let end = min(bytes.endIndex, start + (1 << 20))
      sums.append(bytes[start..<end].withUnsafeBytes { XXH3.hash64($0) })
      start = end
    }
    return sums.withUnsafeBytes { XXH3.hash64($0) }
  }

  /// A file made to pass the checksum (someone who can write the cache directory) with any
  /// byte changed: the reader never crashes; a changed count or length is not read.
  @Test func aCraftedFileWithAValidChecksumNeverCrashesTheReader() throws {
    let directory = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let items = Array(try Self.items().prefix(300))
    let make = { try Scanner(items: items, configuration: ScanConfiguration(), readerOptions: Self.options, indexCache: cache(directory)) }
    _ = try make()
    let path = directory.appendingPathComponent(try #require(files(directory).first)).path
    let original = try Data(contentsOf: URL(fileURLWithPath: path))
    // magic ("contam-index-cache/8\n"), the 64-character key, the payload, its length and checksum.
    let payload = 21 + 64..<original.count - 16
    #expect(original.suffix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) } == Self.checksum(original[payload]))
    let offsets = Array(stride(from: payload.lowerBound, to: payload.lowerBound + 64, by: 7))
      + Array(stride(from: payload.lowerBound, to: payload.upperBound, by: payload.count / 60))
    for offset in offsets {
      var crafted = original
      crafted[offset] ^= 0x5A
      let sum = Self.checksum(crafted[payload])
      crafted.replaceSubrange(crafted.count - 8..<crafted.count, with: withUnsafeBytes(of: sum) { Data($0) })
      try crafted.write(to: URL(fileURLWithPath: path))
      let scanner = try make()  // must not crash, whatever it reads
      if offset < payload.lowerBound + 8 { #expect(!scanner.indexesFromCache, "the item count at \(offset) changed") }
    }
  }

  /// The cache files of `items` made in `directory` (and read back): how to make the scanner
  /// again, and the path and bytes of the file with `suffix`.
  func cachedFile(_ items: [BenchmarkItem], in directory: URL, suffix: String) throws -> (make: () throws -> Contam.Scanner, path: String, original: [UInt8]) {
    let make = { try Scanner(items: items, configuration: ScanConfiguration(), readerOptions: Self.options, indexCache: self.cache(directory)) }
    _ = try make()
    #expect(try make().indexesFromCache)
    let path = directory.appendingPathComponent(try #require(files(directory, suffix: suffix).first)).path
    return (make, path, [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
  }

  /// Writes to `path` the cache file `original` with the 64-bit integer at byte `at` set to
  /// `integer` and its checksum made to match (someone who can write the cache directory).
  static func craft(_ original: [UInt8], integer: Int, at: Int, payload: Range<Int>, to path: String) throws {
    var crafted = original
    crafted.replaceSubrange(at..<at + 8, with: withUnsafeBytes(of: Int64(integer).littleEndian) { Array($0) })
    let sum = checksum(Data(crafted[payload]))
    crafted.replaceSubrange(crafted.count - 8..<crafted.count, with: withUnsafeBytes(of: sum) { Array($0) })
    try Data(crafted).write(to: URL(fileURLWithPath: path))
  }

  /// A crafted file (valid checksum) that changes the votes a target needs would silently
  /// weaken or disable the near-duplicate search, and one above 255 would stop the scan: the
  /// votes are recomputed from the sample sizes when read, so such a file is not used.
  @Test func aCraftedVoteCountIsNotRead() throws {
    let directory = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let items = Array(try Self.items().prefix(300))
    // The near index's file: its magic ("contam-near-cache/3\n"), the key, the payload.
    let (make, path, original) = try cachedFile(items, in: directory, suffix: ".contam-near")
    // The votes array as the cache writes it: its count, then each value, as 64-bit integers.
    let parameters = ScanConfiguration().indexParameters
    let votes = NearDuplicateIndex(index: ItemIndex(items: items, parameters: parameters), configuration: NearDuplicateConfiguration(), maximumItemsPerShingle: 10).targetVotes
    let pattern = ([votes.count] + votes).flatMap { value in withUnsafeBytes(of: Int64(value).littleEndian) { Array($0) } }
    let at = try #require((0...(original.count - pattern.count)).first { original[$0..<$0 + pattern.count].elementsEqual(pattern) })
    let payload = 20 + 64..<original.count - 16
    for vote in [votes[0] + 1, 1, 100_000] {
      try Self.craft(original, integer: vote, at: at + 8, payload: payload, to: path)
      #expect(!(try make().indexesFromCache), "a first target needing \(vote) votes was read")
    }
  }

  /// The scan tests the n-gram table's filter on its windows' polynomials: a table read as one
  /// whose filter holds keys, or the polynomials of another n, would turn every copy away. A
  /// crafted file (valid checksum) that says so is not used.
  @Test func aTableOfAnotherFilterKindIsNotRead() throws {
    let directory = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    // The n-gram table's file: its magic ("contam-ngrams-cache/2\n"), the key, then the table:
    // key count, home slots, slots, filter mask, and the n of the filter's polynomials (0: keys).
    let (make, path, original) = try cachedFile(Array(try Self.items().prefix(300)), in: directory, suffix: ".contam-ngrams")
    let payload = 22 + 64..<original.count - 16
    let at = payload.lowerBound + 32
    #expect(original[at..<at + 8].elementsEqual(withUnsafeBytes(of: Int64(ScanConfiguration().indexParameters.n).littleEndian) { Array($0) }))
    for n in [0, 12] {
      try Self.craft(original, integer: n, at: at, payload: payload, to: path)
      #expect(!(try make().indexesFromCache), "a table whose filter holds n = \(n) was read")
    }
  }

  @Test func onlyTheMostRecentlyUsedFilesAreKept() throws {
    let directory = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let items = try Self.items()
    var kept = cache(directory)
    kept.keptFiles = 2
    var configuration = ScanConfiguration()
    configuration.near = nil
    var names: [[String]] = []
    var tables: [[String]] = []
    for count in [500, 1_000, 1_500] {
      _ = try Scanner(items: Array(items.prefix(count)), configuration: configuration, readerOptions: Self.options, indexCache: kept)
      names.append(files(directory))
      tables.append(files(directory, suffix: ".contam-ngrams"))
      Thread.sleep(forTimeInterval: 0.05)  // distinct modification times
    }
    #expect(names.map(\.count) == [1, 2, 2])
    // Each exact index's n-gram table goes with it.
    #expect(tables.map { $0.map { $0.replacingOccurrences(of: ".contam-ngrams", with: ".contam-index") } } == names)
    #expect(!names[2].contains(names[0][0]), "the least recently used file went first")
    // Nothing is written for a build faster than the minimum.
    let fast = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: fast) }
    var slow = IndexCache(directory: fast.path, build: "tests")
    slow.minimumBuildSeconds = 1_000
    _ = try Scanner(items: Array(items.prefix(100)), configuration: configuration, readerOptions: Self.options, indexCache: slow)
    #expect(files(fast).isEmpty)
  }

  /// Real benchmarks of every layout (JSONL, a directory of CSV files, gzip, CSV, JSON), as the
  /// scan names them.
  static func specs(_ root: (String) throws -> String = { try TestData.path($0) }) throws -> [(name: String, path: String, format: BenchmarkFormat)] {
    try [
      ("gsm8k", "benchmarks/gsm8k/test.jsonl"), ("mmlu", "benchmarks/mmlu/test"), ("math", "benchmarks/math/test.jsonl.gz"),
      ("truthfulqa", "benchmarks/truthfulqa/TruthfulQA.csv"), ("sciq", "benchmarks/sciq/test.json"),
    ].map { ($0.0, try root($0.1), BenchmarkFormat.presets[$0.0]!) }
  }

  func benchmarkFiles(_ directory: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".contam-benchmarks") }.sorted()
  }

  static func same(_ a: [BenchmarkLoader.Loaded], _ b: [BenchmarkLoader.Loaded]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.items == $1.items && $0.files == $1.files && $0.format == $1.format }
  }

  /// A benchmark a preset read through one of its releases (Hugging Face's MMLU and ARC) comes
  /// back from the cache with that release's format, which the certificate records.
  @Test func aReleaseReadBackKeepsTheFormatThatReadIt() throws {
    let directory = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let hf = TestData.packageRoot.appendingPathComponent("Tests/Fixtures/benchmarks-hf").path
    let specs = [
      ("mmlu", hf + "/mmlu", BenchmarkFormat.presets["mmlu"]!), ("arc", hf + "/arc/test-00000-of-00001.parquet", BenchmarkFormat.presets["arc"]!),
    ]
    let first = try cache(directory).loadBenchmarksReportingCache(specs, jobs: 2)
    #expect(!first.fromCache)
    #expect(first.benchmarks.map(\.format) == [BenchmarkFormat.releases["mmlu"]![0], BenchmarkFormat.releases["arc"]![0]])
    let again = try cache(directory).loadBenchmarksReportingCache(specs, jobs: 2)
    #expect(again.fromCache)
    #expect(Self.same(again.benchmarks, first.benchmarks))
  }

  /// The benchmarks loaded once are read back from the cache, item for item and file for file
  /// what loading gives (every field: BenchmarkItem's == compares them all).
  @Test func theBenchmarksAreReadBackAsLoaded() throws {
    let directory = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let specs = try Self.specs()
    let expected = try BenchmarkLoader.loadWithFiles(specs, jobs: 2)
    #expect(expected.allSatisfy { !$0.items.isEmpty } && expected.contains { $0.items.contains { $0.answer?.choice != nil } })
    #expect(Self.same(try cache(directory).loadBenchmarks(specs, jobs: 2), expected))
    let written = benchmarkFiles(directory)
    #expect(written.count == 1)
    let second = try cache(directory).loadBenchmarks(specs, jobs: 2)
    #expect(Self.same(second, expected))
    // Read, not loaded again: the file's payload is what came back (a crafted item in it, with
    // its checksum made good, comes back too).
    let path = directory.appendingPathComponent(written[0]).path
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    let question = Array(expected[0].items[0].parts[0].text.utf8.prefix(12))
    let at = try #require((0...(bytes.count - question.count)).first { bytes[$0..<$0 + question.count].elementsEqual(question) })
    bytes[at] ^= 0x20  // the first letter's case
    let payload = Self.benchmarksMagicCount + 64..<bytes.count - 16
    bytes.replaceSubrange(bytes.count - 8..<bytes.count, with: withUnsafeBytes(of: Self.checksum(bytes[payload])) { Data($0) })
    try bytes.write(to: URL(fileURLWithPath: path))
    let crafted = try cache(directory).loadBenchmarks(specs, jobs: 2)
    #expect(crafted[0].items[0].parts[0].text != expected[0].items[0].parts[0].text)
  }

  static let benchmarksMagicCount = "contam-benchmarks-cache/1\n".utf8.count

  /// A benchmark file changed after it was cached is loaded again (its SHA-256 names another
  /// cache file); a cache file damaged on disk is not read (its checksum).
  @Test func aChangedBenchmarkFileOrADamagedCacheFileIsLoadedAgain() throws {
    let directory = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let copies = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: copies) }
    let gsm8k = copies.appendingPathComponent("test.jsonl")
    try FileManager.default.copyItem(at: URL(fileURLWithPath: try TestData.path("benchmarks/gsm8k/test.jsonl")), to: gsm8k)
    let specs: [(name: String, path: String, format: BenchmarkFormat)] = [("gsm8k", gsm8k.path, BenchmarkFormat.presets["gsm8k"]!)]
    let before = try cache(directory).loadBenchmarks(specs, jobs: 2)
    #expect(Self.same(try cache(directory).loadBenchmarks(specs, jobs: 2), before))
    // The same size, one word changed.
    let text = try String(contentsOf: gsm8k, encoding: .utf8)
    let first = String(try #require(before[0].items.first?.parts.first?.text.split(separator: " ").first { $0.count >= 4 && $0.allSatisfy { $0.isASCII && $0.isLetter } }))
    let changedWord = String(first.reversed()) == first ? first.uppercased() : String(first.reversed())
    let range = try #require(text.range(of: first))
    try text.replacingCharacters(in: range, with: changedWord).write(
      to: gsm8k, atomically: true, encoding: .utf8)
    let after = try cache(directory).loadBenchmarks(specs, jobs: 2)
    #expect(Self.same(after, try BenchmarkLoader.loadWithFiles(specs, jobs: 2)))
    #expect(after[0].items[0] != before[0].items[0] && after[0].files != before[0].files)
    #expect(benchmarkFiles(directory).count == 2)
    // Damage every cache file in its payload: loading gives what the loader gives.
    for name in benchmarkFiles(directory) {
      let path = directory.appendingPathComponent(name)
      var bytes = try Data(contentsOf: path)
      bytes[bytes.count / 2] ^= 0x20
      try bytes.write(to: path)
    }
    #expect(Self.same(try cache(directory).loadBenchmarks(specs, jobs: 2), after))
  }

  /// A benchmark given as a pipe (`--benchmark gsm8k=<(zcat test.jsonl.gz)`) can be read once:
  /// with the cache it is not hashed first (then the loader would wait for a writer that is
  /// gone), it gives what the loader gives on it, and nothing is cached.
  @Test func aBenchmarkReadFromAPipeIsReadOnceByTheLoader() throws {
    let directory = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let content = try Data(contentsOf: URL(fileURLWithPath: try TestData.path("benchmarks/gsm8k/test.jsonl")))
    let fifo = directory.appendingPathComponent("gsm8k.fifo").path
    let format = BenchmarkFormat.presets["gsm8k"]!
    /// The outcome of `load` on the pipe, fed once by another thread.
    func outcome(_ load: () throws -> [BenchmarkItem]) -> String {
      unlink(fifo)
      guard mkfifo(fifo, 0o600) == 0 else { return "no fifo" }
      let writer = Thread {
        if let handle = FileHandle(forWritingAtPath: fifo) {
          try? handle.write(contentsOf: content)
          try? handle.close()
        }
      }
      writer.start()
      do { return "\(try load().count) items" } catch { return "\(error)" }
    }
    let direct = outcome { try BenchmarkLoader.load(name: "gsm8k", path: fifo, format: format) }
    let cached = outcome { try cache(directory).loadBenchmarks([("gsm8k", fifo, format)], jobs: 2)[0].items }
    #expect(cached == direct)
    #expect(benchmarkFiles(directory).isEmpty)
  }

  /// A cache file crafted to pass its checksum with two items of one id is not used: what
  /// loading checks (items, each id once) holds for what is read back, or it is a miss.
  @Test func aCraftedBenchmarksFileWithARepeatedIdIsNotUsed() throws {
    let directory = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let specs = Array(try Self.specs().prefix(1))  // GSM8K
    let expected = try cache(directory).loadBenchmarks(specs, jobs: 2)
    let (first, second) = (expected[0].items[0].id, expected[0].items[1].id)
    #expect(first.utf8.count == second.utf8.count && first != second)
    let path = directory.appendingPathComponent(try #require(benchmarkFiles(directory).first)).path
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    // Item ids follow their benchmark's name, each with its length: the second id's bytes.
    let pattern = withUnsafeBytes(of: Int64(second.utf8.count).littleEndian) { Data($0) } + Data(second.utf8)
    let at = try #require(bytes.range(of: pattern))
    bytes.replaceSubrange(at.lowerBound + 8..<at.upperBound, with: Data(first.utf8))
    let payload = Self.benchmarksMagicCount + 64..<bytes.count - 16
    bytes.replaceSubrange(bytes.count - 8..<bytes.count, with: withUnsafeBytes(of: Self.checksum(bytes[payload])) { Data($0) })
    try bytes.write(to: URL(fileURLWithPath: path))
    #expect(Self.same(try cache(directory).loadBenchmarks(specs, jobs: 2), expected))
  }
}
