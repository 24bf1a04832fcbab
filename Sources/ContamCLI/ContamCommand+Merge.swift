import ArgumentParser
import Contam
import Foundation

extension ContamCommand {
  struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Join the partial certificates of a partitioned run into one.",
      discussion: """
        Each part comes from `contam scan --partition i/N` with the same benchmarks and \
        parameters. The merged certificate equals the one a single run over all shards writes. \
        Parts with different parameters, benchmarks or tool versions, missing or duplicate \
        partitions, parts from runs over different shard lists or that do not cover their \
        share of it exactly, edited parts, and (with --sign, --public-key or --trusted-keys) \
        parts not signed by a pinned key, are refused.

        Example:
          contam merge part-1.json part-2.json part-3.json part-4.json --out result.json
          contam merge --public-key lab.key.pub --sign lab.key part-*.json --out result.json
        """)

    @Argument(help: ArgumentHelp("The partial certificates.", valueName: "part"))
    var parts: [String]

    @Option(help: ArgumentHelp("Where to write the merged certificate (atomically).", valueName: "file"))
    var out: String

    @Option(
      help: ArgumentHelp(
        "Sign the merged certificate with this Ed25519 key. Every part must then be signed by a pinned key (--public-key, --trusted-keys), so a signature never vouches for an edited part.",
        valueName: "key-file"))
    var sign: String?

    @OptionGroup var signers: SignerOptions

    func run() throws {
      let terminal = Terminal.shared
      do {
        let certificates = try parts.map { try Certificate(contentsOfFile: $0) }
        let pinned = try signers.keys()
        let merged = try Certificate.merge(certificates, trustedSigners: pinned, requireSignedParts: sign != nil)
        let key = try sign.map { try Certificate.signingKey(fromBase64: String(contentsOfFile: $0, encoding: .utf8)) }
        try merged.writeSealed(to: out, signingKey: key)
        printOut("merged \(parts.count) partial certificates into \(out)")
      } catch let error as ContamError {
        terminal.line("contam: cannot merge: \(error.path.map { "\($0): " } ?? "")\(error.message)")
        throw ExitCode(ContamExit.failed)
      } catch {
        terminal.line("contam: cannot merge: \(error)")
        throw ExitCode(ContamExit.failed)
      }
    }
  }
}
