import Contam
import Foundation
import Testing
import _ContamTestSupport

#if canImport(Glibc)
  import Glibc
#endif

@Suite("Faults: a shard changing while read, a full disk")
struct FaultTests {
  @Test func aShardThatGrowsWhileReadIsReported() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (jsonl, _) = try ShardFixture.paragraphsJSONL(count: 50)
    let path = try fixture.write("growing.jsonl", jsonl)
    var appended = false
    var problems: [ContamError] = []
    let counts = try ShardReader().read(path: path) { _ in
      if !appended {
        // Another process appends to the shard while it is being read.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"text\": \"late\"}\n".utf8))
        try handle.close()
        appended = true
      }
    } onProblem: { problems.append($0) }
    #expect(problems.map(\.code).contains(.shardChanged))
    #expect(counts.problems[.shardChanged] == 1)
    #expect(problems.first { $0.code == .shardChanged }?.path == path)
    // Its figures say it was not read whole (the scan's gate refuses it, verify fails it), and
    // why; a stream cut short says so too; a shard read whole says nothing.
    let figures = CorpusStatistics.ShardFigures(path: path, counts: counts, textBytes: 0, tokens: 0, invalidUTF8Bytes: 0, seconds: 0)
    #expect(figures.notReadWhole?.contains("changed while it was read") == true)
    var cut = counts
    cut.problems = [:]
    cut.cutShort = true
    #expect(CorpusStatistics.ShardFigures(path: path, counts: cut, textBytes: 0, tokens: 0, invalidUTF8Bytes: 0, seconds: 0).notReadWhole?.contains("ended in a fault") == true)
    // Unchanged, the same file reads clean.
    let again = try readAll(path)
    #expect(again.problems.isEmpty)
    #expect(CorpusStatistics.ShardFigures(path: path, counts: again.counts, textBytes: 0, tokens: 0, invalidUTF8Bytes: 0, seconds: 0).notReadWhole == nil)
  }

  @Test func aFullDiskIsAClearErrorAndLeavesNoFile() throws {
    let mountPoint = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: mountPoint) }
    // A 64 KiB tmpfs: needs root (as on the build machines and CI).
    let mounted = try Tool.execute("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mountPoint.path])
    try #require(mounted.status == 0, "cannot mount a tmpfs here: \(mounted.stderr)")
    defer { _ = try? Tool.execute("/bin/umount", [mountPoint.path]) }
    let target = mountPoint.appendingPathComponent("certificate.json").path
    #expect(throws: ContamError.self) { try AtomicFile.write(Data(count: 1 << 20), to: target) }
    do {
      try AtomicFile.write(Data(count: 1 << 20), to: target)
    } catch {
      #expect(error.code == .outputFailed)
      #expect(error.description.contains("No space left on device"))
      #expect(error.description.contains(target))
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: mountPoint.path).isEmpty, "no half-written or temporary file")
    // The CLI says so and exits 4, on a disk made full: a filler written 1 KiB at a time until
    // the disk refuses more (a fixed size depends on how the kernel counts the tmpfs's pages).
    let filler = mountPoint.appendingPathComponent("filler").path
    let fd = open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    try #require(fd >= 0)
    let chunk = [UInt8](repeating: 0, count: 1024)
    var filled = 0
    while filled < 1 << 20, chunk.withUnsafeBytes({ write(fd, $0.baseAddress!, $0.count) }) == chunk.count { filled += chunk.count }
    close(fd)
    #expect(filled > 0 && filled < 1 << 20, "\(filled) bytes filled the disk")
    let samples = TestData.packageRoot.appendingPathComponent("corpora-samples").path
    let run = try Tool.execute(
      TestData.contamExecutable,
      ["scan", "--benchmark", "gsm8k=\(samples)/benchmarks/gsm8k-sample.jsonl", "--out", target, "\(samples)/shards"])
    #expect(run.status == 4)
    #expect(run.stderr.contains("output_failed") && run.stderr.contains("No space left on device"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: mountPoint.path) == ["filler"])
  }
}
