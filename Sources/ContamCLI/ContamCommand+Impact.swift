import ArgumentParser
import Contam
import Foundation

extension ContamCommand {
  struct Impact: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Does contamination move the score? A model's results on clean items vs the items found in the corpus.",
      discussion: """
        Reads a certificate and per-item model results, maps every result to a certificate item, \
        and prints per model and benchmark the score on all items, on clean items, and on each \
        verdict's items; the difference to the clean score with a bootstrap 95% interval and a \
        permutation-test p-value (seeded: the same inputs give the same figures). Results that \
        name no item, name one twice, or (lm-eval) carry another item's text are counted and \
        listed, never dropped silently.

        Results files:
          lm-eval --log_samples output: samples_<task>_<timestamp>.jsonl (doc_id = 0-based \
        position in the test split; the metric from the line's "metrics", or --metric)
          JSONL: {"benchmark": "gsm8k", "id": "test/12", "score": 1} per line ("model" optional)
          CSV: a header with benchmark,id,score (model optional)

        lm-eval tasks map to benchmarks by name: gsm8k → gsm8k; mmlu_sociology → the items of \
        benchmark mmlu from sociology_test.csv; arc_challenge → arc. Override with --map.

        Exit status: 0 done; 4 a file could not be read or does not fit the certificate; 64 bad usage.

        Examples:
          contam impact result.json --results out/llama/samples_gsm8k_2024-06-01T10-00-00.jsonl
          contam impact result.json --results llama=llama.csv --results qwen=qwen.csv --json --out impact.json
          contam impact result.json --results math.jsonl --pairs math-p-simple=math:pairs.jsonl
        """)

    @Argument(help: ArgumentHelp("The certificate of the scan.", valueName: "certificate"))
    var certificate: String

    @Option(
      name: .customLong("results"),
      help: ArgumentHelp("A results file, optionally named by its model (MODEL=FILE); repeatable.", valueName: "[model=]file"))
    var results: [String] = []

    @Option(help: ArgumentHelp("The lm-eval metric field to read (default: the line's first metric: acc, exact_match, ...).", valueName: "field"))
    var metric: String?

    @Option(help: ArgumentHelp("The lm-eval filter to read when a task has several (default: the first in the file).", valueName: "name"))
    var filter: String?

    @Option(
      name: .customLong("map"),
      help: ArgumentHelp("Map an lm-eval task to a benchmark, or to one file of it: arc_easy=arc-e, mmlu_law=mmlu/professional_law_test; repeatable.", valueName: "task=benchmark[/stem]"))
    var maps: [String] = []

    @Option(
      name: .customLong("pairs"),
      help: ArgumentHelp("Original vs perturbed accuracy: PERTURBED=ORIGINAL:FILE, where FILE is JSONL with problem_id and original_unique_id (MATH-Perturb's pairs); repeatable.", valueName: "perturbed=original:file"))
    var pairs: [String] = []

    @Option(help: ArgumentHelp("Seed of the bootstrap and permutation resampling.", valueName: "n"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Bootstrap and permutation resamples.", valueName: "n"))
    var resamples = 2_000

    @Option(name: .customLong("corpus"), help: ArgumentHelp("Where to look for the benchmark files (to check lm-eval positions against item text); repeatable.", valueName: "dir"))
    var corpusRoots: [String] = []

    @Flag(help: "Print the impact report as JSON.")
    var json = false

    @Option(help: ArgumentHelp("Also write the JSON report here (atomically).", valueName: "file"))
    var out: String?

    func validate() throws {
      guard !results.isEmpty else { throw ValidationError("Give at least one --results FILE.") }
      guard (100...1_000_000).contains(resamples) else { throw ValidationError("--resamples must be in 100...1000000.") }
      for map in maps where map.split(separator: "=").count != 2 {
        throw ValidationError("--map takes TASK=BENCHMARK[/STEM], got '\(map)'.")
      }
      for pair in pairs where pair.split(separator: "=", maxSplits: 1).count != 2 || !pair.contains(":") {
        throw ValidationError("--pairs takes PERTURBED=ORIGINAL:FILE, got '\(pair)'.")
      }
    }

    func run() throws {
      let terminal = Terminal.shared
      func fail(_ message: String) -> ExitCode {
        terminal.line("contam: \(message)")
        return ExitCode(ContamExit.failed)
      }
      let certificateData: Data
      let cert: Certificate
      do {
        certificateData = try Data(contentsOf: URL(fileURLWithPath: certificate))
        cert = try Certificate(decoding: certificateData)
        guard try cert.checkIntegrity().digestMatches else {
          throw fail("\(certificate): the digest does not match the content (edited after it was written?); check it with contam verify")
        }
      } catch let exit as ExitCode {
        throw exit
      } catch {
        throw fail("cannot read \(certificate): \(error)")
      }
      var options = ImpactAnalysis.Options()
      options.seed = seed
      options.resamples = resamples
      for map in maps {
        let parts = map.split(separator: "=").map(String.init)
        options.taskMap[parts[0]] = parts[1]
      }
      for pair in pairs {
        let sides = pair.split(separator: "=", maxSplits: 1).map(String.init)
        let rest = sides[1].split(separator: ":", maxSplits: 1).map(String.init)
        guard rest.count == 2 else { throw ValidationError("--pairs takes PERTURBED=ORIGINAL:FILE, got '\(pair)'.") }
        do {
          options.pairs.append((sides[0], rest[0], try Self.readPairs(rest[1])))
        } catch {
          throw fail("\(error)")
        }
      }
      var files: [ResultsFile] = []
      for spec in results {
        var model: String?
        var path = spec
        if let eq = spec.firstIndex(of: "="), !FileManager.default.fileExists(atPath: spec) {
          model = String(spec[..<eq])
          path = String(spec[spec.index(after: eq)...])
        }
        do {
          files.append(try ResultsFile.read(path: path, model: model, metric: metric, filter: filter))
        } catch {
          throw fail("\(error)")
        }
      }
      let report: ImpactReport
      do {
        let digest = SHA256Stream.digest(of: certificateData)
        report = try ImpactAnalysis.run(
          certificate: cert, certificatePath: certificate, certificateSHA256: digest, files: files,
          items: cert.benchmarkItems(roots: corpusRoots.isEmpty ? [FileManager.default.currentDirectoryPath] : corpusRoots),
          options: options)
      } catch {
        throw fail("\(error)")
      }
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
      let data = try encoder.encode(report) + Data("\n".utf8)
      if let out {
        do {
          try AtomicFile.write(data, to: out)
        } catch {
          throw fail("\(error)")
        }
      }
      if json {
        printOut(String(decoding: data, as: UTF8.self))
      } else {
        printOut(Self.table(report))
      }
    }

    static func readPairs(_ path: String) throws -> [String: String] {
      let text = try String(contentsOfFile: path, encoding: .utf8)
      var map: [String: String] = [:]
      for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
          throw ContamError(.notJSON, path: path, line: index + 1, "not a JSON object")
        }
        let perturbed = (object["problem_id"] as? NSNumber).map { String($0.intValue) } ?? (object["problem_id"] as? String)
        guard let perturbed, object.keys.contains("original_unique_id") else {
          throw ContamError(.missingField, path: path, line: index + 1, "needs problem_id and original_unique_id")
        }
        // null: a perturbed problem with no original found (MATH-Perturb's unmatched ones).
        guard let original = object["original_unique_id"] as? String else { continue }
        map[perturbed] = original
      }
      return map
    }

    /// The report as tables: one per model and benchmark, then the pairs, then the problems.
    static func table(_ report: ImpactReport) -> String {
      func number(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "-" }
      func signed(_ x: Double) -> String { String(format: "%+.3f", x) }
      var out: [String] = []
      for input in report.results {
        var line = "\(input.path): \(input.format.rawValue), metric \(input.metric)"
        if let filter = input.filter { line += ", filter \(filter)" }
        line += "; \(input.mapped) of \(input.results) results mapped"
        let lost = [("unmapped", input.unmapped), ("duplicate", input.duplicates), ("not the item's text", input.mismatched), ("other filters", input.setAside)]
          .filter { $0.1 > 0 }.map { "\($0.1) \($0.0)" }
        if !lost.isEmpty { line += " (" + lost.joined(separator: ", ") + ")" }
        out.append(line)
        if input.format == .lmEvalSamples {
          out.append(
            input.checked > 0
              ? "  \(input.checked) doc_id positions checked against their item's text"
              : "  doc_id positions NOT checked against item text (benchmark files not found; give --corpus DIR)")
        }
      }
      for b in report.benchmarks {
        out.append("")
        out.append("\(b.model) on \(b.benchmark)" + (b.inflation.map { ": all minus clean \(signed($0))" } ?? ""))
        var table = TextTable(["subset", "items", "score", "minus clean", "95% interval", "p"])
        for subset in b.subsets where subset.items > 0 || subset.name == "clean" {
          let comparison = b.comparisons.first { $0.subset == subset.name }
          table.add([
            subset.name, String(subset.items), number(subset.score),
            comparison.map { signed($0.difference) + ($0.tooSmall ? " (few items)" : "") } ?? "",
            comparison.map { "[\(signed($0.low)), \(signed($0.high))]" } ?? "",
            comparison.map { String(format: "%.4f", $0.pValue) } ?? "",
          ])
        }
        out.append(table.render())
        for warning in b.warnings { out.append("  note: \(warning)") }
      }
      if !report.pairs.isEmpty {
        out.append("")
        out.append("Originals vs perturbed problems")
        var table = TextTable(["model", "original", "perturbed", "original in corpus", "pairs", "original score", "perturbed score", "drop"])
        for p in report.pairs {
          let drop = p.originalScore.flatMap { o in p.perturbedScore.map { signed(o - $0) } } ?? "-"
          table.add([p.model, p.original, p.perturbed, p.originalFound, String(p.pairs), number(p.originalScore), number(p.perturbedScore), drop])
        }
        out.append(table.render())
      }
      if !report.problems.isEmpty {
        out.append("")
        out.append("Problems (first \(report.problems.count)):")
        for p in report.problems { out.append("  \(p.file):\(p.line): \(p.message)") }
      }
      out.append("")
      out.append("seed \(report.seed), \(report.resamples) resamples; certificate digest \(report.certificateDigest.prefix(16))…")
      return out.joined(separator: "\n")
    }
  }
}
