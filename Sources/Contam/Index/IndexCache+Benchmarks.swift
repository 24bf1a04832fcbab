import Foundation

/// The benchmarks as loaded, kept beside the indexes: a scan whose benchmark files are those
/// read before (by content: their SHA-256) reads its items back from one file instead of
/// parsing JSON and CSV again (about 0.2 s of the 0.5 s a start from the index cache took with
/// all shared benchmarks).
///
/// The file is named by the SHA-256 of ``build``, each benchmark's name, path and format, and
/// each of its files' path, size and SHA-256; it holds the items and the files as
/// ``BenchmarkLoader/loadWithFiles(_:jobs:)`` gave them. A file whose bytes changed has another
/// SHA-256, so the key moves on and the files are loaded again. The payload is checked as the
/// index file's is (``readFile(key:magic:suffix:_:)``): damaged, it is a miss.
extension IndexCache {
  static let benchmarksMagic = Array("contam-benchmarks-cache/3\n".utf8)
  static let benchmarksSuffix = ".contam-benchmarks"

  /// What ``BenchmarkLoader/loadWithFiles(_:jobs:)`` gives for `benchmarks`, read from the cache
  /// when these very files were loaded before by this build, else loaded (and written to the
  /// cache when every file read is the file hashed).
  /// - Throws: what loading throws (a path that does not exist, a file that does not parse).
  public func loadBenchmarks(_ benchmarks: [(name: String, path: String, format: BenchmarkFormat)], jobs: Int) throws
    -> [BenchmarkLoader.Loaded]
  {
    try loadBenchmarksReportingCache(benchmarks, jobs: jobs).benchmarks
  }

  /// ``loadBenchmarks(_:jobs:)``, and whether they were read from the cache.
  public func loadBenchmarksReportingCache(_ benchmarks: [(name: String, path: String, format: BenchmarkFormat)], jobs: Int) throws
    -> (benchmarks: [BenchmarkLoader.Loaded], fromCache: Bool)
  {
    let units = try BenchmarkLoader.files(of: benchmarks)
    // Only regular files are hashed first: a pipe (`<(zcat …)`) or standard input can be read
    // once, by the loader.
    guard units.allSatisfy({ Self.isRegularFile($0.file) }) else { return (try BenchmarkLoader.loadWithFiles(benchmarks, jobs: jobs), false) }
    // Each file's SHA-256 and size; a file that cannot be read is the loader's to report.
    guard let files = try? units.map({ try InputFile(hashing: $0.file) }) else { return (try BenchmarkLoader.loadWithFiles(benchmarks, jobs: jobs), false) }
    let key = benchmarksKey(benchmarks, units: units, files: files)
    if let cached = readFile(key: key, magic: Self.benchmarksMagic, suffix: Self.benchmarksSuffix, { reader throws(_ByteReader.Damaged) in
      try Self.readBenchmarks(&reader, count: benchmarks.count)
    }), cached.flatMap(\.files) == files,
      // What loading checks holds for what is read back (items, each id once), or it is a miss.
      zip(benchmarks, cached).allSatisfy({ (try? BenchmarkLoader.check(name: $0.name, path: $0.path, format: $1.format, items: $1.items)) != nil })
    {
      return (cached, true)
    }
    let loaded = try BenchmarkLoader.loadWithFiles(benchmarks, jobs: jobs)
    if loaded.flatMap(\.files) == files {
      writeFile(key: key, magic: Self.benchmarksMagic, suffix: Self.benchmarksSuffix) { Self.writeBenchmarks(loaded, to: &$0) }
    }
    return (loaded, false)
  }

  static func isRegularFile(_ path: String) -> Bool {
    var status = stat()
    return path != FileSource.standardInput && stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
  }

  /// The name of the cache file for these benchmarks and files, lowercase hex.
  func benchmarksKey(
    _ benchmarks: [(name: String, path: String, format: BenchmarkFormat)], units: [(benchmark: Int, file: String)], files: [InputFile]
  ) -> String {
    var bytes = Self.benchmarksMagic
    // Every value with its length, so no two inputs give the same bytes.
    func feed(_ value: Int) { withUnsafeBytes(of: Int64(value)) { bytes += $0 } }
    func feed(_ string: String) {
      feed(string.utf8.count)
      bytes += string.utf8
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    feed(build)
    feed(benchmarks.count)
    for benchmark in benchmarks {
      feed(benchmark.name)
      feed(benchmark.path)
      feed((try? encoder.encode(benchmark.format)).map { String(decoding: $0, as: UTF8.self) } ?? "unencodable")
    }
    feed(units.count)
    for (unit, file) in zip(units, files) {
      feed(unit.benchmark)
      feed(file.path)
      feed(file.bytes)
      feed(file.sha256)
    }
    return SHA256Stream.digest(of: Data(bytes))
  }

  static func writeBenchmarks(_ benchmarks: [BenchmarkLoader.Loaded], to writer: inout _ByteWriter) {
    writer.write(benchmarks.count)
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    for benchmark in benchmarks {
      // The format that read the files (a preset's release, when it fell back to one).
      writer.write((try? encoder.encode(benchmark.format)).map { String(decoding: $0, as: UTF8.self) } ?? "")
      writer.write(benchmark.items.count)
      for item in benchmark.items {
        writer.write(item.benchmark)
        writer.write(item.id)
        writer.write(item.parts.count)
        for part in item.parts {
          writer.write(part.name)
          writer.write(part.text)
        }
        // 0: no answer; 1: a value; 2: a value and the option's letter; then its alternatives.
        writer.write(item.answer == nil ? 0 : item.answer?.choice == nil ? 1 : 2)
        if let answer = item.answer {
          writer.write(answer.value)
          if let choice = answer.choice { writer.write(choice) }
          writer.write(answer.alternatives.count)
          for alternative in answer.alternatives { writer.write(alternative) }
        }
      }
      writer.write(benchmark.files.count)
      for file in benchmark.files {
        writer.write(file.path)
        writer.write(file.bytes)
        writer.write(file.sha256)
      }
    }
  }

  /// Reads what ``writeBenchmarks(_:to:)`` wrote for `count` benchmarks.
  static func readBenchmarks(_ reader: inout _ByteReader, count: Int) throws(_ByteReader.Damaged) -> [BenchmarkLoader.Loaded] {
    func check(_ ok: Bool) throws(_ByteReader.Damaged) { if !ok { throw _ByteReader.Damaged() } }
    try check(try reader.readInt() == count)
    var benchmarks: [BenchmarkLoader.Loaded] = []
    for _ in 0..<count {
      guard let format = try? JSONDecoder().decode(BenchmarkFormat.self, from: Data(try reader.readString().utf8)) else {
        throw _ByteReader.Damaged()
      }
      // Every item takes more than 8 bytes, so the counts are bounded by the bytes left.
      let itemCount = try reader.readCount(of: 8)
      var items: [BenchmarkItem] = []
      items.reserveCapacity(itemCount)
      for _ in 0..<itemCount {
        let benchmark = try reader.readString()
        let id = try reader.readString()
        let partCount = try reader.readCount(of: 16)
        var parts: [BenchmarkItem.Part] = []
        for _ in 0..<partCount { parts.append(BenchmarkItem.Part(name: try reader.readString(), text: try reader.readString())) }
        var answer: ItemAnswer?
        switch try reader.readInt() {
        case 0: answer = nil
        case 1: answer = ItemAnswer(value: try reader.readString())
        case 2: answer = ItemAnswer(value: try reader.readString(), choice: try reader.readString())
        default: throw _ByteReader.Damaged()
        }
        if answer != nil {
          let alternatives = try reader.readCount(of: 8)
          for _ in 0..<alternatives { answer?.alternatives.append(try reader.readString()) }
        }
        items.append(BenchmarkItem(benchmark: benchmark, id: id, parts: parts, answer: answer))
      }
      let fileCount = try reader.readCount(of: 24)
      var files: [InputFile] = []
      for _ in 0..<fileCount {
        files.append(InputFile(path: try reader.readString(), bytes: try reader.readInt(), sha256: try reader.readString()))
      }
      benchmarks.append(BenchmarkLoader.Loaded(items: items, files: files, format: format))
    }
    return benchmarks
  }
}
