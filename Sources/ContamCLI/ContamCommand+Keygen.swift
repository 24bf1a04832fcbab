import ArgumentParser
import Contam
import Foundation

extension ContamCommand {
  struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Make an Ed25519 key pair for signing certificates.",
      discussion: """
        Writes the private key (base64, mode 0600) to FILE and the public key to FILE.pub. \
        Give the private key to `contam scan --sign FILE`; give the public key to whoever \
        verifies (`contam verify --public-key FILE.pub`).

        Example:
          contam keygen --out contam.key
        """)

    @Option(help: ArgumentHelp("Where to write the private key; the public key goes to the same path plus .pub.", valueName: "file"))
    var out: String

    @Flag(help: "Replace existing key files.")
    var force = false

    func run() throws {
      if !force && (FileManager.default.fileExists(atPath: out) || FileManager.default.fileExists(atPath: out + ".pub")) {
        Terminal.shared.line("contam: \(out) or \(out).pub exists; use --force to replace it")
        throw ExitCode(ContamExit.failed)
      }
      let key = Certificate.generateKey()
      do {
        try AtomicFile.write(Data((key.privateKey + "\n").utf8), to: out, permissions: 0o600)
        try AtomicFile.write(Data((key.publicKey + "\n").utf8), to: out + ".pub")
      } catch {
        Terminal.shared.line("contam: \(error)")
        throw ExitCode(ContamExit.failed)
      }
      printOut("private key: \(out)\npublic key:  \(out).pub (\(key.publicKey))")
    }
  }
}
