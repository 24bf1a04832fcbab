import ArgumentParser
import Contam
import Foundation

@main
struct ContamCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "contam",
    abstract: "Find benchmark test items inside language-model training data.",
    discussion: """
      Contam streams training shards (gzip, zstd or plain; JSONL or text) once and reports \
      what it found with evidence.

      Exit status: 0 success; 1 contamination found (scan); 3 input was skipped and --strict \
      was given; 4 the run could not complete (no shards, unwritable output); 64 bad usage.

      Text normalization (\(TextVersion.current.name), choose another with scan --text-version): \
      \(TextVersion.allCases.map { "\($0.rawValue): \($0.summary)" }.joined(separator: ". "))
      """,
    version: ContamVersion.string,
    subcommands: [Scan.self, Index.self, Verify.self, Merge.self, Report.self, Impact.self, Stats.self, Keygen.self]
  )

  /// A reader of stdout or stderr that goes away (`| head`) must not kill a scan before it
  /// writes its certificate: SIGPIPE is ignored, and writes to a closed pipe are dropped
  /// (``writeAll(_:_:)``).
  static func main() {
    signal(SIGPIPE, SIG_IGN)
    main(nil)
  }
}

extension TextVersion: ExpressibleByArgument {
  public init?(argument: String) { self.init(name: argument) }
  public static var allValueStrings: [String] { allCases.map { String($0.rawValue) } }
  public var defaultValueDescription: String { String(rawValue) }
}

/// Exit codes shared by every subcommand.
enum ContamExit {
  static let contaminated: Int32 = 1
  static let skippedUnderStrict: Int32 = 3
  static let failed: Int32 = 4
}
