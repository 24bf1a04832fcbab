import ArgumentParser
import Contam
import Foundation

extension ContamCommand {
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
    var format: ReportRenderer.Format = .markdown

    @Option(help: ArgumentHelp("Write the report here instead of stdout.", valueName: "file"))
    var out: String?

    @Option(name: .customLong("corpus"), help: ArgumentHelp("Where to look for the benchmark files when moved; repeatable.", valueName: "dir"))
    var corpusRoots: [String] = []

    func validate() throws {
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
      let items = cert.benchmarkItems(roots: corpusRoots)
      let text = ReportRenderer.render(cert, format: format, items: items)
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

extension ReportRenderer.Format: ExpressibleByArgument {}
