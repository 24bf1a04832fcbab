import ArgumentParser
import Contam
import Foundation

extension ContamCommand {
  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check an overlap certificate: its digest and signature, its input files, its evidence.",
      discussion: """
        Checks that the digest matches the content and that the certificate agrees with itself \
        (every verdict and score follows from its measures and thresholds, the summary from \
        the items); that it is signed by a pinned key (--public-key, --trusted-keys: a \
        signature by a key that is not pinned proves nothing and fails); that its parameters \
        are as strong as this tool's defaults (longer n-grams, higher thresholds, a search \
        turned off: each is named, and fails unless --accept-weaker-parameters); re-hashes every shard and benchmark file it can find and names those that changed or \
        are missing, looking for them only under the --corpus directories (the current directory \
        by default; a recorded path that leads elsewhere is never read); re-reads every evidence location and confirms the text and the scores. \
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

    @OptionGroup var signers: SignerOptions

    @Flag(
      help: "Pass the parameters check when the scan's settings are weaker than the defaults (higher thresholds, longer n-grams, a search off); they are still listed.")
    var acceptWeakerParameters = false

    @Flag(help: "Also run the whole scan again and compare every item's result.")
    var full = false

    @Option(name: .shortAndLong, parsing: .unconditional, help: ArgumentHelp("Threads for --full.", valueName: "n"))
    var jobs = ProcessInfoCores.count

    func validate() throws {
      guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1.") }
    }

    @Flag(help: "Print the checks as JSON.")
    var json = false

    func run() throws {
      let terminal = Terminal.shared
      let cert: Certificate
      let expected: [String]
      do {
        cert = try Certificate(contentsOfFile: certificate)
        expected = try signers.keys()
      } catch let error as ContamError {
        terminal.line("contam: cannot read the certificate: \(error)")
        throw ExitCode(ContamExit.failed)
      } catch {
        terminal.line("contam: cannot read the pinned keys: \(error)")
        throw ExitCode(ContamExit.failed)
      }
      let checks: [VerificationCheck]
      do {
        checks = try Verifier.verify(
          cert, corpusRoots: corpusRoots, trustedSigners: expected, acceptWeakerParameters: acceptWeakerParameters, full: full, jobs: jobs)
      } catch {
        terminal.line("contam: verification could not run: \(error)")
        throw ExitCode(ContamExit.failed)
      }
      // What the checks cannot vouch for, said after them (kind `note`, never failed).
      let notes = Verifier.notes(for: cert, corpusRoots: corpusRoots, full: full, certificatePath: certificate)
      if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        printOut(String(decoding: try encoder.encode(checks + notes), as: UTF8.self))
      } else {
        for check in checks where !check.passed || check.kind != .evidence {
          printOut("\(check.passed ? "ok  " : "FAIL") \(check.kind.rawValue): \(check.subject): \(check.message)")
        }
        let evidence = checks.filter { $0.kind == .evidence }
        printOut("\(evidence.filter(\.passed).count)/\(evidence.count) evidence locations confirmed")
        let failed = checks.filter { !$0.passed }.count
        printOut(failed == 0 ? "PASS: \(checks.count) checks" : "FAIL: \(failed) of \(checks.count) checks failed")
        for note in notes { printOut("\(note.subject): \(note.message)") }
      }
      if checks.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }
  }
}

/// Pinned signers, for `verify` and `merge`: a signature counts only by one of these keys.
struct SignerOptions: ParsableArguments {
  @Option(
    name: .customLong("public-key"),
    help: ArgumentHelp("Pin a signer: a .pub file from `contam keygen`; repeatable. Signatures by other keys do not count.", valueName: "file"))
  var publicKeys: [String] = []

  @Option(
    name: .customLong("trusted-keys"),
    help: ArgumentHelp("Pin signers from a file of public keys, one base64 key per line ('#' starts a comment).", valueName: "file"))
  var trustedKeys: String?

  /// The pinned keys, base64.
  func keys() throws -> [String] {
    var keys = try publicKeys.map { try String(contentsOfFile: $0, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) }
    if let trustedKeys {
      for line in try String(contentsOfFile: trustedKeys, encoding: .utf8).split(whereSeparator: \.isNewline) {
        let key = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0].trimmingCharacters(in: .whitespaces)
        if !key.isEmpty { keys.append(key) }
      }
    }
    return keys
  }
}
