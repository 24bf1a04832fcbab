import Crypto
import Foundation

/// One check made by ``Verifier``.
public struct VerificationCheck: Sendable, Codable, Hashable {
  public enum Kind: String, Sendable, Codable {
    case digest, signature, shard, benchmarkFile = "benchmark_file", evidence, full
  }
  public var kind: Kind
  /// What was checked: a path, `item benchmark/id at shard:line`, …
  public var subject: String
  public var passed: Bool
  public var message: String
}

/// Re-checks a certificate against the files it names.
///
/// 1. Its digest matches its content; its signature (if any) verifies, by the expected key if given.
/// 2. Every shard and benchmark file it lists, where found, has the recorded size and SHA-256.
///    A file is looked for at its recorded path, then under each corpus root by that path
///    and by its name; a missing one is reported as such.
/// 3. Every evidence location is re-read: the document at that shard and line, read with the
///    certificate's reader parameters, must hold the snippet at the byte range, and the scanner's
///    own matching code, run on that document alone, must give the same match and scores.
/// 4. With `full`, the whole scan is run again with the certificate's parameters on the files
///    found, and every item result must be equal, clean ones included.
public enum Verifier {
  /// Runs the checks above.
  /// - Parameters:
  ///   - certificate: the certificate to check.
  ///   - corpusRoots: directories to look for moved files in.
  ///   - expectedSigner: the base64 public key that must have signed it, if any.
  ///   - full: also re-run the whole scan.
  ///   - jobs: threads for the full re-scan.
  /// - Returns: every check made, passed or not.
  public static func verify(
    _ certificate: Certificate, corpusRoots: [String] = [], expectedSigner: String? = nil, full: Bool = false, jobs: Int = 2
  ) throws -> [VerificationCheck] {
    var checks: [VerificationCheck] = []
    let integrity = try certificate.checkIntegrity()
    checks.append(
      .init(
        kind: .digest, subject: certificate.digest ?? "(none)", passed: integrity.digestMatches,
        message: integrity.digestMatches ? "digest matches the content" : "digest does not match the content: the certificate was edited"))
    if let valid = integrity.signatureValid {
      var ok = valid
      var message = valid ? "Ed25519 signature valid" : "signature does not verify"
      if let expectedSigner, integrity.signer != expectedSigner.trimmingCharacters(in: .whitespacesAndNewlines) {
        ok = false
        message = "signed by \(integrity.signer ?? "?"), not by the expected key"
      }
      checks.append(.init(kind: .signature, subject: integrity.signer ?? "", passed: ok, message: message))
    } else if expectedSigner != nil {
      checks.append(.init(kind: .signature, subject: "", passed: false, message: "the certificate is not signed"))
    }

    // Files: where they are now, and whether they are the same.
    var located: [String: String] = [:]
    for shard in certificate.shards {
      let check = checkFile(path: shard.path, bytes: shard.compressedBytes, sha256: shard.sha256, roots: corpusRoots, kind: .shard)
      checks.append(check.check)
      if check.check.passed, let found = check.found { located[shard.path] = found }
    }
    for benchmark in certificate.benchmarks {
      for file in benchmark.files {
        checks.append(checkFile(path: file.path, bytes: file.bytes, sha256: file.sha256, roots: corpusRoots, kind: .benchmarkFile).check)
      }
    }

    // Evidence: reload the benchmarks as recorded, then re-read and re-score each location.
    let reader = try certificate.parameters.reader.options()
    var items: [BenchmarkItem] = []
    for benchmark in certificate.benchmarks {
      guard let format = benchmark.format else {
        throw ContamError(.invalidBenchmark, path: benchmark.path, "the certificate does not record the benchmark's format")
      }
      let path = locate(benchmark.path, roots: corpusRoots) ?? benchmark.path
      items += try BenchmarkLoader.load(name: benchmark.name, path: path, format: format)
    }
    guard items.map(\.id) == certificate.items.map(\.id) else {
      checks.append(.init(kind: .evidence, subject: "benchmarks", passed: false, message: "the benchmark files no longer give the certificate's items"))
      return checks
    }
    let p = certificate.parameters
    let scanner = try Scanner(items: items, configuration: p, readerOptions: reader)
    for (i, item) in certificate.items.enumerated() {
      let locations = Set(item.evidence.map { EvidenceKey(shard: $0.shard, line: $0.line) }
        + (item.nearDuplicate?.evidence ?? []).map { EvidenceKey(shard: $0.shard, line: $0.line) })
      for location in locations.sorted(by: { ($0.shard, $0.line) < ($1.shard, $1.line) }) {
        let subject = "\(item.benchmark)/\(item.id) at \(location.shard):\(location.line)"
        guard let path = located[location.shard] else {
          checks.append(.init(kind: .evidence, subject: subject, passed: false, message: "shard missing or changed; evidence not re-read"))
          continue
        }
        guard let partial = try scanner.findings(inDocumentAt: location.line, path: path, reportedAs: location.shard) else {
          checks.append(.init(kind: .evidence, subject: subject, passed: false, message: "no document at that line"))
          continue
        }
        let exact = item.evidence.filter { $0.shard == location.shard && $0.line == location.line }
        let near = (item.nearDuplicate?.evidence ?? []).filter { $0.shard == location.shard && $0.line == location.line }
        let foundExact = (partial.evidence[i] ?? []).filter { $0.line == location.line }
        let foundNear = (partial.near[i] ?? []).filter { $0.line == location.line }
        let ok = exact.allSatisfy { foundExact.contains($0) } && near.allSatisfy { foundNear.contains($0) }
        checks.append(
          .init(
            kind: .evidence, subject: subject, passed: ok,
            message: ok
              ? "text, byte range, snippet and scores re-read and equal"
              : "the document no longer gives the recorded evidence (text, range or scores differ)"))
      }
    }

    if full {
      let shardPaths = certificate.shards.compactMap { located[$0.path] }
      if shardPaths.count < certificate.shards.count {
        checks.append(.init(kind: .full, subject: "scan", passed: false, message: "some shards are missing or changed; full re-scan skipped"))
      } else {
        let rerun = try scanner.scan(paths: shardPaths, jobs: jobs)
        let back = Dictionary(uniqueKeysWithValues: certificate.shards.compactMap { s in located[s.path].map { ($0, s.path) } })
        let items = rerun.items.map { relabel($0, back) }
        var differing: [String] = []
        for (a, b) in zip(items, certificate.items) where a != b { differing.append("\(b.benchmark)/\(b.id)") }
        checks.append(
          .init(
            kind: .full, subject: "\(items.count) items", passed: differing.isEmpty,
            message: differing.isEmpty
              ? "a full re-scan gives every item's result again"
              : "a full re-scan differs for \(differing.count) items: \(differing.prefix(5).joined(separator: ", "))"))
      }
    }
    return checks
  }

  struct EvidenceKey: Hashable {
    var shard: String
    var line: Int
  }

  /// Rewrites evidence shard paths from where files were found back to the recorded ones.
  static func relabel(_ item: ItemResult, _ back: [String: String]) -> ItemResult {
    var copy = item
    for k in copy.evidence.indices { copy.evidence[k].shard = back[copy.evidence[k].shard] ?? copy.evidence[k].shard }
    if var near = copy.nearDuplicate {
      for k in near.evidence.indices { near.evidence[k].shard = back[near.evidence[k].shard] ?? near.evidence[k].shard }
      copy.nearDuplicate = near
    }
    return copy
  }

  /// The path at which a recorded file is found now, or nil.
  public static func locate(_ path: String, roots: [String]) -> String? {
    let fm = FileManager.default
    if fm.fileExists(atPath: path) { return path }
    for root in roots {
      for candidate in [root + "/" + path, root + "/" + (path as NSString).lastPathComponent] where fm.fileExists(atPath: candidate) {
        return candidate
      }
    }
    return nil
  }

  static func checkFile(path: String, bytes: Int, sha256: String?, roots: [String], kind: VerificationCheck.Kind)
    -> (check: VerificationCheck, found: String?)
  {
    guard let found = locate(path, roots: roots) else {
      return (.init(kind: kind, subject: path, passed: false, message: "missing"), nil)
    }
    guard let recorded = sha256 else {
      return (.init(kind: kind, subject: path, passed: false, message: "no digest recorded (it was unreadable when scanned)"), found)
    }
    guard let (hex, size) = try? streamedDigest(of: found) else {
      return (.init(kind: kind, subject: path, passed: false, message: "unreadable at \(found)"), found)
    }
    let same = hex == recorded && size == bytes
    return (
      .init(
        kind: kind, subject: path, passed: same,
        message: same ? "same SHA-256 (\(found))" : "changed: SHA-256 \(hex) (\(size) bytes), recorded \(recorded) (\(bytes) bytes)"),
      found
    )
  }

  /// SHA-256 (hex) and size of the file at `path`, read in 1 MiB pieces (never whole).
  static func streamedDigest(of path: String) throws -> (String, Int) {
    guard let handle = FileHandle(forReadingAtPath: path) else { throw ContamError(.unreadableFile, path: path, "cannot open") }
    defer { try? handle.close() }
    let hash = SHA256Stream()
    var size = 0
    while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty {
      size += piece.count
      piece.withUnsafeBytes { hash.update($0) }
    }
    return (hash.finalizeHex(), size)
  }
}

