import Benchmark
import Contam
import Foundation

/// Real English prose: the first 1 MB of Pride and Prejudice from ../shared/data, decompressed
/// once by the shard reader (so the benchmark also reads it the way a scan does).
nonisolated(unsafe) let prose: [UInt8] = {
  let here = URL(fileURLWithPath: #filePath)
  let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  let path = root.deletingLastPathComponent().appendingPathComponent("shared/data/text/gutenberg/1342-0.txt.gz").path
  var text: [UInt8] = []
  let reader = ShardReader(options: ShardReaderOptions(format: .wholeFile))
  _ = try? reader.read(path: path) { document in text = Array(document.text.prefix(1_000_000)) } onProblem: { _ in }
  return text
}()

/// Real Chinese, Japanese and Korean text (the committed GLib translations), repeated to 1 MB.
nonisolated(unsafe) let cjk: [UInt8] = {
  let here = URL(fileURLWithPath: #filePath)
  let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  var text: [UInt8] = []
  for language in ["zh_TW", "ja", "ko"] {
    let path = root.appendingPathComponent("Tests/Fixtures/data/text/scripts/\(language).txt").path
    text += (try? Data(contentsOf: URL(fileURLWithPath: path))).map(Array.init) ?? []
  }
  guard !text.isEmpty else { return [] }
  var out: [UInt8] = []
  while out.count < 1_000_000 { out += text }
  return Array(out.prefix(1_000_000))
}()

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(2))

  Benchmark("XXH3 over 1.25 KiB") { benchmark in
    let block = Array(prose.prefix(1280))
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      block.withUnsafeBytes { blackHole(XXH3.hash64($0)) }
    }
  }

  Benchmark(
    "Tokenize 1 MB of prose",
    configuration: .init(thresholds: [.mallocCountTotal: .init(absolute: [.p90: 0])])  // none per token
  ) { benchmark in
    let tokenizer = Tokenizer()
    var counter = TokenCounter()
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      prose.withUnsafeBytes { blackHole(tokenizer.tokenize($0, into: &counter)) }
    }
  }

  // The text pipeline versions side by side: contam-text/3's folds must cost ASCII prose
  // nothing and CJK text little (each row is the same bytes through one version).
  for version in [TextVersion.v2, .v3] {
    for (name, text) in [("prose", prose), ("CJK text", cjk)] {
      Benchmark("Tokenize 1 MB of \(name), \(version.name)") { benchmark in
        let tokenizer = Tokenizer(normalizer: .of(version))
        var counter = TokenCounter()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
          text.withUnsafeBytes { blackHole(tokenizer.tokenize($0, into: &counter)) }
        }
      }
    }
  }

  Benchmark("Rolling 13-gram keys of 1 MB of prose") { benchmark in
    let hashes = Tokenizer().tokens(of: prose).map(\.hash)
    let hasher = NGramHasher(n: 13)
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      var x: UInt64 = 0
      hashes.withUnsafeBufferPointer { hasher.forEachHash(of: $0) { _, key in x ^= key } }
      blackHole(x)
    }
  }

  // MinHash of one item-sized shingle set (the first 150 tokens of prose: 148 shingles),
  // the two schemes at the same signature size.
  for scheme in MinHasher.Scheme.allCases {
    Benchmark("MinHash \(scheme.rawValue), m = 32, 148 shingles") { benchmark in
      let hashes = Tokenizer().tokens(of: Array(prose.prefix(1_000))).map(\.hash).prefix(150)
      let keys = NGramHasher(n: 3).hashes(of: Array(hashes))
      let hasher = MinHasher(m: 32, scheme: scheme)
      let signature = UnsafeMutablePointer<UInt32>.allocate(capacity: 32)
      let scratch = UnsafeMutablePointer<UInt32>.allocate(capacity: 32)
      defer {
        signature.deallocate()
        scratch.deallocate()
      }
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        keys.withUnsafeBufferPointer { blackHole(hasher.signature(of: $0, into: signature, scratch: scratch)) }
      }
    }
  }
}
