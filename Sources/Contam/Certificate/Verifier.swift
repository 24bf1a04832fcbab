import Foundation

/// One check made by ``Verifier``.
public struct VerificationCheck: Sendable, Codable, Hashable {
  public enum Kind: String, Sendable, Codable {
    case digest, signature, consistency, parameters, shard, benchmarkFile = "benchmark_file", evidence, full
    /// Not a check: what the checks cannot vouch for (``Verifier/notes(for:corpusRoots:full:certificatePath:)``).
    case note
  }
  public var kind: Kind
  /// What was checked: a path, `item benchmark/id at shard:line`, …
  public var subject: String
  public var passed: Bool
  public var message: String
}

/// Re-checks a certificate against the files it names.
///
/// 1. Its digest matches its content. A signature counts only when it verifies with a pinned
///    key (`trustedSigners`): a signature by a key the certificate merely carries proves
///    nothing (anyone can edit and re-sign), so it is reported as unpinned and fails.
/// 2. It agrees with itself: every item's scores and verdict follow from its recorded covered
///    tokens, evidence and thresholds (scored again by the scanner's own scoring), items with
///    covered tokens carry evidence, and the summary and corpus totals follow from the items
///    and shards.
/// 3. Its parameters are as strong as this tool's defaults
///    (``ScanConfiguration/weakenings(against:)``): a scan with longer n-grams, higher
///    thresholds or a search turned off is honest about it in its parameters, and its clean
///    verdicts still say less than they seem to. Each weaker setting is named, and the check
///    fails unless `acceptWeakerParameters`.
/// 4. Every shard and benchmark file it lists, where found, has the recorded size and SHA-256.
///    Files are looked for only under the corpus roots (the current directory when none is
///    given): by the recorded path and by its name. A path that leads outside every root
///    (`/etc/shadow`, `../../x`, a symbolic link out) is never read.
/// 5. Every evidence location is re-read: the document at that shard and line, read with the
///    certificate's reader parameters, must hold the snippet at the byte range, and the scanner's
///    own matching code, run on that document alone, must give the same match and scores.
/// 6. With `full`, the whole scan is run again with the certificate's parameters on the files
///    found, and every item result must be equal, clean ones included.
public enum Verifier {
  /// Runs the checks above.
  /// - Parameters:
  ///   - certificate: the certificate to check.
  ///   - corpusRoots: the directories files are looked for in (the current directory if empty).
  ///   - trustedSigners: pinned public keys (base64); the certificate must be signed by one of
  ///     them. Empty: a signature cannot be verified and is reported as unpinned.
  ///   - acceptWeakerParameters: pass the parameters check when settings are weaker than the
  ///     defaults (they are still named).
  ///   - full: also re-run the whole scan.
  ///   - jobs: threads for the full re-scan.
  /// - Returns: every check made, passed or not.
  public static func verify(
    _ certificate: Certificate, corpusRoots: [String] = [], trustedSigners: [String] = [], acceptWeakerParameters: Bool = false,
    full: Bool = false, jobs: Int = 2
  ) throws -> [VerificationCheck] {
    let corpusRoots = corpusRoots.isEmpty ? [FileManager.default.currentDirectoryPath] : corpusRoots
    var checks: [VerificationCheck] = []
    let integrity = try certificate.checkIntegrity()
    checks.append(
      .init(
        kind: .digest, subject: certificate.digest ?? "(none)", passed: integrity.digestMatches,
        message: integrity.digestMatches ? "digest matches the content" : "digest does not match the content: the certificate was edited"))
    if let check = signatureCheck(integrity, trustedSigners: trustedSigners) { checks.append(check) }
    checks += consistencyChecks(certificate)
    // A scan that read no document checked nothing: none of its verdicts is evidence of clean.
    // (Not a consistency check: one part of a partitioned run may hold no document.)
    let documents = certificate.corpus.documents
    let read = documents > 0 && certificate.corpus.tokens > 0
    checks.append(
      .init(
        kind: .consistency, subject: "documents", passed: read,
        message: read
          ? "\(documents) documents were read"
          : "no document with text was read, so nothing was checked: no verdict here means clean"))
    checks.append(parametersCheck(certificate.parameters, accept: acceptWeakerParameters))

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
      guard let path = locate(benchmark.path, roots: corpusRoots) else {
        checks.append(.init(kind: .evidence, subject: benchmark.path, passed: false, message: "benchmark not found under the corpus roots; evidence not re-read"))
        return checks
      }
      items += try BenchmarkLoader.load(name: benchmark.name, path: path, format: format)
    }
    guard items.map(\.id) == certificate.items.map(\.id) else {
      checks.append(.init(kind: .evidence, subject: "benchmarks", passed: false, message: "the benchmark files no longer give the certificate's items"))
      return checks
    }
    let p = certificate.parameters
    let scanner = try Scanner(items: items, configuration: p, readerOptions: reader)
    // The tokens each item is judged on follow from the benchmark files: an edit that moves
    // tokens into or out of `boilerplateTokens` or `sharedTokens` changes its coverage.
    let reshaped = certificate.items.indices.filter { i in
      let shape = scanner.index.shape(ofItem: i)
      let recorded = ItemScorer.Shape(certificate.items[i])
      return shape.parts.map { [$0.tokens, $0.judged, $0.shared] } != recorded.parts.map { [$0.tokens, $0.judged, $0.shared] }
        || certificate.items[i].sharedTokens != shape.shared
    }
    checks.append(
      .init(
        kind: .benchmarkFile, subject: "item tokens", passed: reshaped.isEmpty,
        message: reshaped.isEmpty
          ? "every item's tokens, boilerplate and shared-context counts follow from the benchmark files"
          : "\(reshaped.count) items' token counts differ from the benchmark files: "
            + reshaped.prefix(5).map { "\(certificate.items[$0].benchmark)/\(certificate.items[$0].id)" }.joined(separator: ", ")))
    func locations(_ item: ItemResult) -> Set<EvidenceKey> {
      Set(item.evidence.map { EvidenceKey(shard: $0.shard, line: $0.line) }
        + (item.nearDuplicate?.evidence ?? []).map { EvidenceKey(shard: $0.shard, line: $0.line) })
    }
    // Every location of every item, re-read in one pass over its shard (shards on all cores).
    // Per shard: line → the items whose evidence is there (only theirs is kept from the re-read).
    var wanted: [String: [Int: Set<Int>]] = [:]
    for (i, item) in certificate.items.enumerated() {
      for location in locations(item) where located[location.shard] != nil {
        wanted[location.shard, default: [:]][location.line, default: []].insert(i)
      }
    }
    let shards = wanted.keys.sorted()
    let reread = _parallelMap(shards.count, jobs: ProcessInfo.processInfo.activeProcessorCount, minimumChunk: 1) { k in
      Result { try scanner.findings(atLines: wanted[shards[k]]!, path: located[shards[k]]!, reportedAs: shards[k]) }
    }
    let found = Dictionary(uniqueKeysWithValues: zip(shards, try reread.map { try $0.get() }))
    for (i, item) in certificate.items.enumerated() {
      for location in locations(item).sorted(by: { ($0.shard, $0.line) < ($1.shard, $1.line) }) {
        let subject = "\(item.benchmark)/\(item.id) at \(location.shard):\(location.line)"
        guard located[location.shard] != nil else {
          checks.append(.init(kind: .evidence, subject: subject, passed: false, message: "shard missing or changed; evidence not re-read"))
          continue
        }
        guard let reread = found[location.shard]?[location.line] else {
          checks.append(.init(kind: .evidence, subject: subject, passed: false, message: "no document at that line"))
          continue
        }
        let exact = item.evidence.filter { $0.shard == location.shard && $0.line == location.line }
        let near = (item.nearDuplicate?.evidence ?? []).filter { $0.shard == location.shard && $0.line == location.line }
        let foundExact = reread.evidence[i] ?? []
        let foundNear = reread.near[i] ?? []
        let ok = exact.allSatisfy { foundExact.contains($0) } && near.allSatisfy { foundNear.contains($0) }
        checks.append(
          .init(
            kind: .evidence, subject: subject, passed: ok,
            message: ok
              ? "text, byte range, snippet and scores re-read and equal"
              : "the document no longer gives the recorded evidence (text, range or scores differ)"))
      }
    }

    if let use = certificate.corpusIndex, !full {
      // Said, not failed: without --full no clean verdict is checked against the corpus, but
      // here they rest on an index the certificate's maker built, which only --full bypasses.
      checks.append(
        .init(
          kind: .consistency, subject: "corpus index", passed: true,
          message:
            "the scan read only the \(use.candidateDocuments) documents its corpus index \(use.digest.prefix(12))… named; its clean verdicts are only as good as that index: run --full to check them against every shard"
        ))
    }
    if full {
      let shardPaths = certificate.shards.compactMap { located[$0.path] }
      if shardPaths.count < certificate.shards.count {
        checks.append(.init(kind: .full, subject: "scan", passed: false, message: "some shards are missing or changed; full re-scan skipped"))
      } else {
        let rerun = try scanner.scan(paths: shardPaths, jobs: jobs)
        let back = Dictionary(certificate.shards.compactMap { s in located[s.path].map { ($0, s.path) } }, uniquingKeysWith: { a, _ in a })
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

  /// The signature check: valid and by a pinned key, or a failure saying which it is not.
  /// nil when the certificate is unsigned and no key is pinned (nothing to check).
  static func signatureCheck(_ integrity: Certificate.Integrity, trustedSigners: [String]) -> VerificationCheck? {
    let pinned = Set(trustedSigners.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
    guard let valid = integrity.signatureValid, let signer = integrity.signer else {
      if pinned.isEmpty { return nil }
      return .init(kind: .signature, subject: "", passed: false, message: "the certificate is not signed; a pinned signer was required")
    }
    if !valid { return .init(kind: .signature, subject: signer, passed: false, message: "the signature does not verify") }
    if pinned.isEmpty {
      return .init(
        kind: .signature, subject: signer, passed: false,
        message: "unpinned: the signature is valid for the key the certificate carries, which anyone can make; pin the signer with --public-key or --trusted-keys")
    }
    if !pinned.contains(signer) {
      return .init(kind: .signature, subject: signer, passed: false, message: "signed by \(signer), which is not a pinned key")
    }
    return .init(kind: .signature, subject: signer, passed: true, message: "Ed25519 signature valid, by a pinned key")
  }

  /// The parameters against this tool's defaults: passed when none is weaker, or when the
  /// reader accepts the weaker ones; every weaker setting is named either way.
  static func parametersCheck(_ parameters: ScanConfiguration, accept: Bool) -> VerificationCheck {
    let weaker = parameters.weakenings()
    if weaker.isEmpty {
      return .init(kind: .parameters, subject: "scan", passed: true, message: "every parameter is as strong as this tool's defaults")
    }
    let list = weaker.joined(separator: "; ")
    return .init(
      kind: .parameters, subject: "scan", passed: accept,
      message: accept
        ? "weaker than the defaults, accepted: \(list)"
        : "weaker than the defaults, so a clean verdict here says less than a default scan's: \(list) (--accept-weaker-parameters to accept)")
  }

  /// The certificate against itself (no file is read): items scored again from their own
  /// covered tokens and evidence, covered tokens backed by evidence, summary and totals.
  static func consistencyChecks(_ certificate: Certificate) -> [VerificationCheck] {
    let parameters = certificate.parameters
    var inconsistent: [String] = []
    for item in certificate.items {
      let shape = ItemScorer.Shape(item)
      var found = ItemScorer.Found(evidence: item.evidence, documents: item.documents)
      if let near = item.nearDuplicate {
        found.near = near.evidence
        found.nearDocuments = near.documents
        found.nearShingles = near.shingles
      }
      let bits = item.coveredTokens.flatMap { _Bits.fromHex($0, count: shape.tokens) } ?? []
      let rescored = ItemScorer.score(shape, covered: bits, found: found, parameters: parameters)
      let backed = item.coveredTokens == nil || (!item.evidence.isEmpty && item.documents >= item.evidence.count)
      let nearBacked = item.nearDuplicate.map { $0.documents >= $0.evidence.count } ?? true
      if rescored != item || !backed || !nearBacked { inconsistent.append("\(item.benchmark)/\(item.id)") }
    }
    var checks: [VerificationCheck] = [
      .init(
        kind: .consistency, subject: "\(certificate.items.count) items", passed: inconsistent.isEmpty,
        message: inconsistent.isEmpty
          ? "every verdict and score follows from the item's covered tokens, evidence and the thresholds"
          : "\(inconsistent.count) items do not follow from their own measures and thresholds (edited?): \(inconsistent.prefix(5).joined(separator: ", "))")
    ]
    let summary = BenchmarkSummary.summarize(certificate.items, benchmarks: certificate.benchmarks)
    let counts = certificate.benchmarks.allSatisfy { b in certificate.items.filter { $0.benchmark == b.name }.count == b.items }
    checks.append(
      .init(
        kind: .consistency, subject: "summary", passed: summary == certificate.summary && counts,
        message: summary == certificate.summary && counts
          ? "the summary and item counts follow from the items" : "the summary or the benchmarks' item counts do not match the items"))
    // A shard mostly skipped (a wrong text field, corrupt data) was not checked, whatever the
    // scan's --max-skipped-fraction said: its clean verdicts prove nothing.
    let unread = certificate.shards.filter { shard in
      // Records with an empty text field were not skipped, but most of them means the wrong field.
      shard.skippedFraction > 0.5 || shard.problems[ContamError.Code.emptyText.rawValue, default: 0] > shard.documents
    }
    checks.append(
      .init(
        kind: .consistency, subject: "input read", passed: unread.isEmpty,
        message: unread.isEmpty
          ? "every shard had more records read than skipped or empty"
          : "\(unread.count) shards had more records skipped or empty than read, so they were not checked: \(unread.prefix(3).map(\.path).joined(separator: ", "))"))
    // A shard not read whole (accepted with --max-skipped-fraction 1): its clean verdicts cover
    // only part of it.
    let partlyRead = certificate.shards.filter { $0.notReadWhole != nil }
    checks.append(
      .init(
        kind: .consistency, subject: "read to the end", passed: partlyRead.isEmpty,
        message: partlyRead.isEmpty
          ? "every shard was read to its end"
          : "\(partlyRead.count) shards were not read whole, so part of them was not checked: "
            + partlyRead.prefix(3).map { "\($0.path): \($0.notReadWhole!)" }.joined(separator: "; ")))
    var total = CorpusStatistics.ShardFigures.empty("total")
    for shard in certificate.shards { total.add(shard) }

    checks.append(
      .init(
        kind: .consistency, subject: "corpus", passed: total == certificate.corpus,
        message: total == certificate.corpus ? "the corpus totals are the sum of the shards" : "the corpus totals are not the sum of the shards"))
    return checks
  }

  /// Where a recorded file is now, looked for only under `roots`: by the recorded path (taken
  /// as relative to the root, or as it is when it lies under the root) and by its name. A
  /// candidate whose real path (symbolic links resolved) leaves the root is never returned.
  public static func locate(_ path: String, roots: [String]) -> String? {
    let fm = FileManager.default
    for root in roots.isEmpty ? [fm.currentDirectoryPath] : roots {
      guard let realRoot = realPath(root) else { continue }
      let name = (path as NSString).lastPathComponent
      var candidates = [path.hasPrefix("/") ? path : root + "/" + path]
      if path.hasPrefix("/") { candidates.append(root + path) }
      candidates.append(root + "/" + name)
      for candidate in candidates where fm.fileExists(atPath: candidate) {
        guard let real = realPath(candidate), real == realRoot || real.hasPrefix(realRoot == "/" ? "/" : realRoot + "/") else {
          continue
        }
        return candidate
      }
    }
    return nil
  }

  /// What the checks of ``verify(_:corpusRoots:trustedSigners:acceptWeakerParameters:full:jobs:)``
  /// cannot vouch for, as notes (kind ``VerificationCheck/Kind/note``, passed: they fail nothing):
  /// - without `full`, that the shards hold no evidence beyond what is listed: whoever made (and
  ///   signed) the certificate could have left a copy out and scored its item clean, and every
  ///   check would pass;
  /// - what the scan did not read: records skipped (the checks pass while most of each shard was
  ///   read) and shards whose records hold more text at another path than the field read;
  /// - with explicit `corpusRoots`, the files beside its shards that the certificate does not list
  ///   (``unlistedFiles(of:roots:certificatePath:)``).
  public static func notes(for certificate: Certificate, corpusRoots: [String], full: Bool, certificatePath: String? = nil)
    -> [VerificationCheck]
  {
    var notes: [VerificationCheck] = []
    if !full {
      let clean = certificate.items.filter { $0.verdict == .clean }.count
      let megabytes = Double(certificate.shards.reduce(0) { $0 + $1.compressedBytes }) / 1e6
      notes.append(
        .init(
          kind: .note, subject: "not re-checked", passed: true,
          message:
            "that the shards hold no evidence beyond what the certificate lists (its \(clean) clean verdicts, and any verdict more evidence would raise, rest on its maker's scan); --full scans the \(certificate.shards.count) shards (\(String(format: "%.1f", megabytes)) MB) again and confirms every verdict"
        ))
    }
    let shards = certificate.shards
    let skipped = shards.reduce(0) { $0 + $1.skipped }
    let kinds = certificate.corpus.problems.filter { ContamError.Code(rawValue: $0.key)?.losesInput ?? true }
      .sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
    let elsewhere = shards.filter { $0.problems[ContamError.Code.unreadField.rawValue, default: 0] > 0 }
    var unread: [String] = []
    if skipped > 0 { unread.append("\(skipped) records were skipped (\(kinds.joined(separator: ", "))): their text was not checked") }
    if !elsewhere.isEmpty {
      unread.append(
        "\(elsewhere.count) shards hold more text at another path than the field read (unread_field: \(elsewhere.prefix(3).map(\.path).joined(separator: ", "))): a copy there was not seen")
    }
    if !unread.isEmpty { notes.append(.init(kind: .note, subject: "read in part", passed: true, message: unread.joined(separator: "; "))) }
    let unlisted = unlistedFiles(of: certificate, roots: corpusRoots, certificatePath: certificatePath)
    if !unlisted.isEmpty {
      notes.append(
        .init(
          kind: .note, subject: "not in the certificate", passed: true,
          message:
            "\(unlisted.count) files beside its shards (\(unlisted.prefix(3).joined(separator: ", "))\(unlisted.count > 3 ? ", ..." : "")); its verdicts say nothing about them: if they are shards of the corpus, it was not scanned whole"
        ))
    }
    return notes
  }

  /// The files beside the certificate's shards that it does not list, sorted: those a scan of the
  /// directory holding all its shards found under `roots` (their deepest common directory; each
  /// shard's own directory when that is `/`) would read (``ShardList/resolve(_:passOverMedia:)``),
  /// less its shards and benchmark files and the certificate file itself (`certificatePath`).
  /// A certificate covers only the shards it lists: one made over a corpus with a shard left out
  /// says nothing about that shard, and only someone who has the whole corpus can see it is
  /// missing. Only the shards' directory is walked, not the roots (`--corpus /` would walk the
  /// whole file system); none without `roots`.
  public static func unlistedFiles(of certificate: Certificate, roots: [String], certificatePath: String? = nil) -> [String] {
    guard !roots.isEmpty else { return [] }
    var listed = Set<String>()
    var shardDirectories: [[String]] = []
    for (path, isShard) in certificate.shards.map({ ($0.path, true) })
      + certificate.benchmarks.flatMap({ b in (b.files.map(\.path) + [b.path]).map { ($0, false) } })
    {
      guard let found = locate(path, roots: roots), let real = realPath(found) else { continue }
      listed.insert(real)
      if isShard { shardDirectories.append(Array(real.split(separator: "/").dropLast().map(String.init))) }
    }
    guard let first = shardDirectories.first else { return [] }
    if let certificatePath, let real = realPath(certificatePath) { listed.insert(real) }
    // The deepest directory holding every shard found.
    var common = first
    for directory in shardDirectories.dropFirst() {
      common = Array(zip(common, directory).prefix { $0 == $1 }.map(\.0))
    }
    let walked = common.isEmpty ? Array(Set(shardDirectories.map { "/" + $0.joined(separator: "/") })).sorted() : ["/" + common.joined(separator: "/")]
    var unlisted: [String] = []
    for directory in walked {
      guard let files = try? ShardList.resolve([directory]).paths else { continue }
      for file in files {
        guard let real = realPath(file), !listed.contains(real) else { continue }
        // A benchmark given as a directory (MMLU's CSV files) lists the directory.
        guard !listed.contains(where: { real.hasPrefix($0 + "/") }) else { continue }
        listed.insert(real)
        unlisted.append(file)
      }
    }
    return unlisted.sorted()
  }

  /// The canonical absolute path (symbolic links resolved), or nil when it does not exist.
  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  static func checkFile(path: String, bytes: Int, sha256: String?, roots: [String], kind: VerificationCheck.Kind)
    -> (check: VerificationCheck, found: String?)
  {
    if path == FileSource.standardInput {
      return (
        .init(
          kind: kind, subject: path, passed: false,
          message: "read from standard input (\(bytes) bytes, SHA-256 \(sha256 ?? "none")): a stream is not kept, so it cannot be re-read here; compare the SHA-256 with the source"),
        nil
      )
    }
    guard let found = locate(path, roots: roots) else {
      let places = roots.isEmpty ? "the current directory" : roots.joined(separator: ", ")
      return (
        .init(
          kind: kind, subject: path, passed: false,
          message: "missing: not found under the corpus roots (\(places)), where files are looked for; --corpus DIR names a directory that holds it"),
        nil
      )
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

