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

        With --impact, a section on model results by verdict (from `contam impact --out`).

        Examples:
          contam report result.json --format html --out report.html
          contam report result.json --impact impact.json --format html --out report.html
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

    @Option(
      help: ArgumentHelp(
        "Add a 'Score by verdict' section from a `contam impact --out` report of this certificate (refused if it names another certificate).",
        valueName: "impact.json"))
    var impact: String?

    func validate() throws {
    }

    func run() throws {
      let terminal = Terminal.shared
      let cert: Certificate
      do {
        cert = try Certificate(contentsOfFile: certificate)
      } catch {
        terminal.line("contam: cannot read the certificate: \(error)")
        throw ExitCode(ContamExit.failed)
      }
      // The items, for highlighting, if the benchmark files are still there.
      let items = cert.benchmarkItems(roots: corpusRoots)
      var impactReport: ImpactReport?
      if let impact {
        do {
          impactReport = try JSONDecoder().decode(ImpactReport.self, from: Data(contentsOf: URL(fileURLWithPath: impact)))
        } catch {
          terminal.line("contam: cannot read the impact report \(impact): \(error)")
          throw ExitCode(ContamExit.failed)
        }
        guard impactReport?.format == ImpactReport.currentFormat, impactReport?.certificateDigest == cert.digest else {
          terminal.line("contam: \(impact) is not an impact report of \(certificate) (its certificate digest differs)")
          throw ExitCode(ContamExit.failed)
        }
      }
      let text = ReportRenderer.render(cert, format: format, items: items, impact: impactReport)
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
