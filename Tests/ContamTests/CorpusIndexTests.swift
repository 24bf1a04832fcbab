import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("Corpus index: winnowing and segments")
struct CorpusIndexTests {
  static func tokenHashes(_ novel: String, bytes: Int = 60_000) throws -> [UInt64] {
    Tokenizer().tokens(of: try TestData.gutenberg(novel, bytes: bytes)).map(\.hash)
  }

  static func kept(_ hashes: [UInt64], _ w: Winnowing) -> [UInt64] {
    let keys = NGramHasher(n: w.k).hashes(of: hashes)
    var out: [UInt64] = []
    keys.withUnsafeBufferPointer { buffer in w.select(buffer) { out.append(buffer[$0]) } }
    return out
  }

  /// Every window's smallest key is kept, on real text (where repeated words make equal keys).
  @Test(arguments: [(8, 13), (5, 4), (3, 1), (8, 40)])
  func everyWindowKeepsItsSmallestKey(k: Int, window: Int) throws {
    let w = Winnowing(k: k, window: window)
    let keys = NGramHasher(n: k).hashes(of: try Self.tokenHashes("1342-0.txt.gz", bytes: 30_000))
    var positions: [Int] = []
    keys.withUnsafeBufferPointer { buffer in w.select(buffer) { positions.append($0) } }
    #expect(positions == positions.sorted() && Set(positions).count == positions.count, "in order, once each")
    let chosen = Set(positions)
    for start in 0...(keys.count - window) {
      let smallest = keys[start..<start + window].min()!
      let hit = (start..<start + window).contains { chosen.contains($0) && keys[$0] == smallest }
      #expect(hit, "window at \(start) lost its smallest key")
      if !hit { break }
    }
    // About 2 / (window + 1) of the keys are kept.
    let density = Double(positions.count) / Double(keys.count)
    #expect(density < 3.0 / Double(window + 1) + 0.01, "density \(density)")
  }

  /// A run of `guaranteedTokens` tokens of one real text placed inside another is always found
  /// through the kept keys; runs a few tokens shorter are found only sometimes.
  @Test func aSharedRunOfTheGuaranteedLengthIsAlwaysFound() throws {
    let w = Winnowing()
    let document = try Self.tokenHashes("122-0.txt.gz")
    let other = try Self.tokenHashes("1310-0.txt.gz")
    var random = SystemRandomNumberGenerator()
    var foundShort = 0
    let trials = 400
    for trial in 0..<trials {
      let length = trial % 2 == 0 ? w.guaranteedTokens : w.guaranteedTokens - 6
      let start = Int.random(in: 0..<(document.count - 2000), using: &random)
      // The corpus document: 1,000 tokens of the novel around the run.
      let context = Array(document[start..<start + 1000])
      let at = Int.random(in: 0...(1000 - length), using: &random)
      let run = Array(context[at..<at + length])
      // The item: the run between unrelated words of another novel.
      let o = Int.random(in: 0..<(other.count - 100), using: &random)
      let item = Array(other[o..<o + 30]) + run + Array(other[o + 30..<o + 60])
      let itemKeys = Set(NGramHasher(n: w.k).hashes(of: item))
      let found = Self.kept(context, w).contains { itemKeys.contains($0) }
      if length == w.guaranteedTokens {
        #expect(found, "a \(length)-token run at \(at) was missed")
      } else if found {
        foundShort += 1
      }
    }
    #expect(foundShort < trials / 2, "shorter runs are not guaranteed; found \(foundShort) of \(trials / 2)")
  }

  /// A built index answers exactly what the documents' kept fingerprints say: every document
  /// holding a looked-up fingerprint, no other (on real paragraphs, several segments).
  /// A segment of exactly 2^k documents: the writer gives their numbers k bits (0..<2^k); the
  /// reader asked for the count itself to fit in k bits and refused the segment as damaged.
  @Test(arguments: [1, 2, 64, 65, 128])
  func aSegmentOfAPowerOfTwoDocumentsOpensAndAnswers(documents count: Int) throws {
    let directory = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let (jsonl, texts) = try ShardFixture.paragraphsJSONL(count: count, novel: "122-0.txt.gz")
    #expect(texts.count == count)
    let path = directory.appendingPathComponent("s.jsonl").path
    try jsonl.write(to: URL(fileURLWithPath: path))
    let out = directory.appendingPathComponent("index").path
    let manifest = try CorpusIndexBuilder().build(paths: [path], into: out)
    let index = try CorpusIndex(directory: out)
    let keys = Self.kept(Tokenizer().tokens(of: texts[count - 1]).map(\.hash), Winnowing())
    #expect(!keys.isEmpty)
    let found = try index.candidates(forKeys: keys)
    #expect(found.first { $0.shard.absolutePath == path }?.lines.contains(count) == true, "\(manifest.segments.count) segments")
  }

  @Test func lookupsAnswerExactlyTheDocumentsHoldingAKey() throws {
    let directory = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var shards: [String] = []
    var documents: [(shard: String, line: Int, keys: [UInt64])] = []
    let w = Winnowing()
    let tokenizer = Tokenizer()
    for (k, novel) in ["1342-0.txt.gz", "122-0.txt.gz", "1310-0.txt.gz"].enumerated() {
      let (jsonl, texts) = try ShardFixture.paragraphsJSONL(count: 300, novel: novel)
      let path = directory.appendingPathComponent("s\(k).jsonl").path
      try jsonl.write(to: URL(fileURLWithPath: path))
      shards.append(path)
      // Each document is winnowed with the last w - 1 tokens of up to w - 1 documents before
      // it in its shard in front (a run across records names the record where it ends).
      let limit = w.guaranteedTokens - 1
      var carry: [(hash: UInt64, age: Int)] = []
      for (i, text) in texts.enumerated() {
        let own = tokenizer.tokens(of: text).map(\.hash)
        documents.append((path, i + 1, Self.kept(carry.map(\.hash) + own, w)))
        carry = (carry.map { ($0.hash, $0.age + 1) } + own.map { ($0, 1) }).suffix(limit).filter { $0.age <= limit }
      }
    }
    var builder = CorpusIndexBuilder()
    builder.segmentBytes = 1  // one segment per shard
    builder.jobs = 2
    let out = directory.appendingPathComponent("index").path
    let manifest = try builder.build(paths: shards, into: out)
    #expect(manifest.segments.count == 3)
    // One shard per segment, two threads: each shard was read on one thread and winnowed in
    // batches on both; one thread gives the same segment files, byte for byte.
    builder.jobs = 1
    let alone = try builder.build(paths: shards, into: directory.appendingPathComponent("alone").path)
    #expect(alone.segments.map(\.sha256) == manifest.segments.map(\.sha256))
    let index = try CorpusIndex(directory: out)
    // Query samples of real keys, and keys no document has.
    var random = SystemRandomNumberGenerator()
    let allKeys = documents.flatMap(\.keys)
    for _ in 0..<20 {
      var query = (0..<50).map { _ in allKeys.randomElement(using: &random)! }
      query += (0..<50).map { _ in UInt64.random(in: 1...UInt64.max, using: &random) }
      let shift = UInt64(64 - manifest.fingerprintBits)
      let wanted = Set(query.map { $0 >> shift })
      var expected: [String: [Int]] = [:]
      for d in documents where d.keys.contains(where: { wanted.contains($0 >> shift) }) { expected[d.shard, default: []].append(d.line) }
      var got: [String: [Int]] = [:]
      for c in try index.candidates(forKeys: query) { got[c.shard.absolutePath] = c.lines }
      #expect(got == expected)
    }
  }
}

/// The start-up's bucket sort: the order of the standard library's stable sort, on hash keys,
/// repeated keys (their original order kept) and keys crowded into one bucket.
@Suite("Stable sort by hash key")
struct KeySortTests {
  @Test(arguments: [0, 1, 50, 5_000, 200_000])
  func sameOrderAsTheStableSort(count: Int) {
    var random = SystemRandomNumberGenerator()
    // A third uniform hashes, a third from 50 repeated keys, a third sharing their top 20 bits.
    let keys: [UInt64] = (0..<count).map { i in
      switch i % 3 {
      case 0: return UInt64.random(in: 0...UInt64.max, using: &random)
      case 1: return UInt64(i % 50) &* 0x9E37_79B9_7F4A_7C15
      default: return 0xABCDE << 44 | UInt64.random(in: 0..<(1 << 44), using: &random)
      }
    }
    var pairs = keys.enumerated().map { (key: $0.element, original: $0.offset) }
    let expected = pairs.sorted { $0.key < $1.key }
    _KeySort.sort(&pairs) { $0.key }
    #expect(pairs.map(\.original) == expected.map(\.original))
  }

  /// The boilerplate set's bitmap answers "not there" for most keys; it must never answer it for
  /// a key that is (keys sharing their top bits, keys at both ends of the range included).
  @Test func theKeySetAgreesWithASet() {
    var random = SystemRandomNumberGenerator()
    for count in [0, 1, 8, 5_000] {
      var keys = Set<UInt64>()
      while keys.count < count {
        switch keys.count % 4 {
        case 0: keys.insert(UInt64.random(in: 0...UInt64.max, using: &random))
        case 1: keys.insert(0xABCD << 48 | UInt64.random(in: 0..<(1 << 48), using: &random))
        case 2: keys.insert(UInt64.random(in: 0..<1_000_000, using: &random))
        default: keys.insert(UInt64.max - UInt64.random(in: 0..<1_000_000, using: &random))
        }
      }
      let set = _KeySet(sorted: keys.sorted())
      for key in keys { #expect(set.contains(key), "\(key) of \(count)") }
      for _ in 0..<20_000 {
        let probe = [UInt64.random(in: 0...UInt64.max, using: &random), 0xABCD << 48 | UInt64.random(in: 0..<(1 << 48), using: &random)][Int.random(in: 0...1, using: &random)]
        #expect(set.contains(probe) == keys.contains(probe))
      }
    }
  }
}
