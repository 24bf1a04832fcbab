import ArgumentParser
import Contam
import Foundation

extension ContamCommand {
  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check an overlap certificate: its digest and signature, its input files, its evidence.",
      discussion: """
        Checks that the digest matches the content and that the signature (if any) verifies; \
        re-hashes every shard and benchmark file it can find and names those that changed or \
        are missing; re-reads every evidence location and confirms the text and the scores. \
        With --full it runs the whole scan again and confirms every verdict, the clean ones \
        included.

        Exit status: 0 every check passed; 1 a check failed; 4 the certificate could not be read.

        Examples:
          contam verify result.json
          contam verify --corpus /data/shards --public-key contam.key.pub --full result.json
        """)

    @Argument(help: ArgumentHelp("The certificate (JSON) to check.", valueName: "certificate"))
    var certificate: String

    @Option(
      name: .customLong("corpus"),
      help: ArgumentHelp("A directory to look for shards and benchmark files in when they are not at their recorded paths; repeatable.", valueName: "dir"))
    var corpusRoots: [String] = []

    @Option(name: .customLong("public-key"), help: ArgumentHelp("Require the certificate to be signed by this key (a .pub file from `contam keygen`).", valueName: "file"))
    var publicKey: String?

    @Flag(help: "Also run the whole scan again and compare every item's result.")
    var full = false

    @Option(name: .shortAndLong, help: ArgumentHelp("Threads for --full.", valueName: "n"))
    var jobs = ProcessInfoCores.count

    @Flag(help: "Print the checks as JSON.")
    var json = false

    func run() throws {
      let terminal = Terminal.shared
      let cert: Certificate
      let expected: String?
      do {
        cert = try Certificate(decoding: try Data(contentsOf: URL(fileURLWithPath: certificate)))
        expected = try publicKey.map { try String(contentsOfFile: $0, encoding: .utf8) }
      } catch {
        terminal.line("contam: cannot read \(certificate): \(error)")
        throw ExitCode(ContamExit.failed)
      }
      let checks: [VerificationCheck]
      do {
        checks = try Verifier.verify(cert, corpusRoots: corpusRoots, expectedSigner: expected, full: full, jobs: jobs)
      } catch {
        terminal.line("contam: verification could not run: \(error)")
        throw ExitCode(ContamExit.failed)
      }
      if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        printOut(String(decoding: try encoder.encode(checks), as: UTF8.self))
      } else {
        for check in checks where !check.passed || check.kind != .evidence {
          printOut("\(check.passed ? "ok  " : "FAIL") \(check.kind.rawValue): \(check.subject): \(check.message)")
        }
        let evidence = checks.filter { $0.kind == .evidence }
        printOut("\(evidence.filter(\.passed).count)/\(evidence.count) evidence locations confirmed")
        let failed = checks.filter { !$0.passed }.count
        printOut(failed == 0 ? "PASS: \(checks.count) checks" : "FAIL: \(failed) of \(checks.count) checks failed")
      }
      if checks.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }
  }

  struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Join the partial certificates of a partitioned run into one.",
      discussion: """
        Each part comes from `contam scan --partition i/N` with the same benchmarks and \
        parameters. The merged certificate equals the one a single run over all shards writes. \
        Parts with different parameters, benchmarks or tool versions, and missing or duplicate \
        partitions, are refused.

        Example:
          contam merge part-1.json part-2.json part-3.json part-4.json --out result.json
        """)

    @Argument(help: ArgumentHelp("The partial certificates.", valueName: "part"))
    var parts: [String]

    @Option(help: ArgumentHelp("Where to write the merged certificate (atomically).", valueName: "file"))
    var out: String

    @Option(help: ArgumentHelp("Sign the merged certificate with this Ed25519 key.", valueName: "key-file"))
    var sign: String?

    func run() throws {
      let terminal = Terminal.shared
      do {
        let certificates = try parts.map { try Certificate(decoding: try Data(contentsOf: URL(fileURLWithPath: $0))) }
        let merged = try Certificate.merge(certificates)
        let key = try sign.map { try Certificate.signingKey(fromBase64: String(contentsOfFile: $0, encoding: .utf8)) }
        try AtomicFile.write(try merged.sealed(signingKey: key).encoded(), to: out)
        printOut("merged \(parts.count) partial certificates into \(out)")
      } catch let error as ContamError {
        terminal.line("contam: cannot merge: \(error.message)")
        throw ExitCode(ContamExit.failed)
      } catch {
        terminal.line("contam: cannot merge: \(error)")
        throw ExitCode(ContamExit.failed)
      }
    }
  }

  struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Render a certificate as a Markdown or HTML report.",
      discussion: """
        Per-benchmark rates by verdict, a chart of the coverage distribution (inline SVG), and \
        every contaminated, partial or near-duplicate item with its evidence snippet, the \
        words it shares with the item highlighted (when the benchmark files are at hand).

        Examples:
          contam report result.json --format html --out report.html
          contam report result.json > report.md
        """)

    @Argument(help: ArgumentHelp("The certificate.", valueName: "certificate"))
    var certificate: String

    @Option(help: ArgumentHelp("markdown or html.", valueName: "format"))
    var format = "markdown"

    @Option(help: ArgumentHelp("Write the report here instead of stdout.", valueName: "file"))
    var out: String?

    @Option(name: .customLong("corpus"), help: ArgumentHelp("Where to look for the benchmark files when moved; repeatable.", valueName: "dir"))
    var corpusRoots: [String] = []

    func validate() throws {
      guard ReportRenderer.Format(rawValue: format) != nil else { throw ValidationError("--format takes markdown or html.") }
    }

    func run() throws {
      let terminal = Terminal.shared
      let cert: Certificate
      do {
        cert = try Certificate(decoding: try Data(contentsOf: URL(fileURLWithPath: certificate)))
      } catch {
        terminal.line("contam: cannot read \(certificate): \(error)")
        throw ExitCode(ContamExit.failed)
      }
      // The items, for highlighting, if the benchmark files are still there.
      var items: [BenchmarkItem]? = []
      for benchmark in cert.benchmarks {
        guard let format = benchmark.format, let path = Verifier.locate(benchmark.path, roots: corpusRoots),
          let loaded = try? BenchmarkLoader.load(name: benchmark.name, path: path, format: format)
        else {
          items = nil
          break
        }
        items?.append(contentsOf: loaded)
      }
      let text = ReportRenderer.render(cert, format: ReportRenderer.Format(rawValue: format)!, items: items)
      if let out {
        do {
          try AtomicFile.write(Data(text.utf8), to: out)
        } catch {
          terminal.line("contam: \(error)")
          throw ExitCode(ContamExit.failed)
        }
      } else {
        printOut(text)
      }
    }
  }
}
