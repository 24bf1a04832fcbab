import ArgumentParser
import Contam
import Foundation

extension ContamCommand {
  struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Count documents, tokens and bytes of corpus shards, and report bad input.",
      discussion: """
        Streams every shard once (gzip, multi-member gzip, zstd, or plain; the codec is read \
        from the magic bytes) and prints, per shard and in total: documents, tokens, \
        compressed and decompressed bytes, skipped lines by reason, and throughput.

        Examples:
          contam stats corpora-samples/
          contam stats --jobs 2 --json 'data/*.jsonl.zst' > stats.json
          contam stats --format lines books/*.txt.gz
          contam stats --text-field meta.raw_content --id-field id shard-000.jsonl.gz
        """)

    @Argument(help: ArgumentHelp("Shard files, directories (read recursively) or quoted glob patterns.", valueName: "shard"))
    var shards: [String]

    @OptionGroup var corpus: CorpusOptions

    @Flag(help: "Print the figures as JSON on stdout instead of a table.")
    var json = false

    func run() throws {
      let paths = try CorpusOptions.resolve(shards)
      let options = try corpus.readerOptions()
      let terminal = Terminal.shared
      let limit = corpus.maxMessages
      let started = Date()
      let count = paths.count
      let stats: CorpusStatistics
      do {
        stats = try CorpusStatistics.compute(
          paths: paths, options: options, jobs: corpus.jobs,
          onProblem: { terminal.problem($0, limit: limit) },
          progress: { bytes, done in
            let seconds = max(0.001, Date().timeIntervalSince(started))
            terminal.progress(
              "stats: \(done)/\(count) shards, \(Format.megabytes(bytes)) MB of text, \(Format.fixed(Double(bytes) / 1e6 / seconds, 1)) MB/s")
          })
      } catch let error as ContamError {
        terminal.endProgress()
        terminal.line("contam: stopped (--strict): \(error)")
        throw ExitCode(ContamExit.skippedUnderStrict)
      }
      terminal.endProgress()
      if terminal.suppressed > 0 {
        terminal.line("contam: \(terminal.suppressed) more problem messages not shown (see the counts; raise --max-messages)")
      }
      if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        printOut(String(decoding: try encoder.encode(stats), as: UTF8.self))
      } else {
        printOut(render(stats))
      }
      let lost = stats.total.problems.filter { ContamError.Code(rawValue: $0.key)?.losesInput ?? true }
      if corpus.strict && !lost.isEmpty { throw ExitCode(ContamExit.skippedUnderStrict) }
    }

    func render(_ stats: CorpusStatistics) -> String {
      var table = TextTable(["shard", "codec", "docs", "tokens", "comp MB", "raw MB", "MB/s", "skipped"])
      func row(_ s: CorpusStatistics.ShardFigures, codec: String) -> [String] {
        let skipped = s.problems.values.reduce(0, +)
        return [
          s.path, codec, Format.count(s.documents), Format.count(s.tokens), Format.megabytes(s.compressedBytes),
          Format.megabytes(s.decompressedBytes),
          Format.fixed(Double(s.decompressedBytes) / 1e6 / max(s.seconds, 1e-6), 1), Format.count(skipped),
        ]
      }
      for s in stats.shards { table.add(row(s, codec: s.codec.rawValue)) }
      table.add(row(stats.total, codec: ""))
      var out = table.render()
      if !stats.total.problems.isEmpty {
        out += "\n\nskipped or faulty input, by reason:\n"
        out += stats.total.problems.sorted { $0.key < $1.key }.map { "  \($0.key): \(Format.count($0.value))" }.joined(separator: "\n")
      }
      if stats.total.invalidUTF8Bytes > 0 {
        out += "\n\ninvalid UTF-8 bytes in text (treated as separators): \(Format.count(stats.total.invalidUTF8Bytes))"
      }
      out += "\n\n\(stats.shards.count) shards, \(stats.jobs) jobs, \(Format.fixed(stats.total.seconds, 2)) s, "
      out += "\(Format.fixed(Double(stats.total.decompressedBytes) / 1e6 / max(stats.total.seconds, 1e-6), 1)) MB/s decompressed"
      return out
    }
  }
}
