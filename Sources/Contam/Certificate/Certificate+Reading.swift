import Foundation

/// Reading a certificate so that what it says is exactly what its digest covers.
///
/// Lenient JSON readers disagree on duplicate keys and ignore fields they do not know, so an
/// edited file could say one thing to `jq` and another to `verify`. A certificate is read in
/// four steps, each of which names the JSON path of the first problem:
/// 1. the bytes parse as JSON with no duplicate key (``_StrictJSON``);
/// 2. they decode as a ``Certificate``;
/// 3. every key of the file is a key the certificate writes (no unknown field, no `null`),
///    so the canonical form the digest is taken over holds everything the file says;
/// 4. every value is in range and the format and text-pipeline versions are known
///    (``validate()``).
extension Certificate {
  /// Reads `data` strictly (see above).
  /// - Throws: ``ContamError/Code/invalidCertificate`` naming the JSON path.
  public init(strictlyDecoding data: Data) throws(ContamError) {
    let tree = try _StrictJSON.parse([UInt8](data))
    if let format = tree["format"], format != .string(Certificate.currentFormat) {
      throw ContamError(.invalidCertificate, "at $.format: unknown certificate format (this tool reads \(Certificate.currentFormat))")
    }
    let decoded: Certificate
    do {
      decoded = try JSONDecoder().decode(Certificate.self, from: data)
    } catch let error as DecodingError {
      throw ContamError(.invalidCertificate, Self.describe(error))
    } catch {
      throw ContamError(.invalidCertificate, "\(error)")
    }
    let written: _JSONTree
    do {
      written = try _StrictJSON.parse([UInt8](try decoded.encoded()))
    } catch let error as ContamError {
      throw error
    } catch {
      throw ContamError(.invalidCertificate, "cannot encode: \(error)")
    }
    try Self.checkKnown(tree, written, path: "$")
    try decoded.validate()
    self = decoded
  }

  /// Every key of `given` is one that `written` (the decoded certificate encoded again) has.
  static func checkKnown(_ given: _JSONTree, _ written: _JSONTree, path: String) throws(ContamError) {
    switch (given, written) {
    case (.object(let members), .object):
      for (key, value) in members {
        guard let counterpart = written[key] else {
          if value == .null { throw ContamError(.invalidCertificate, "at \(path).\(key): null (leave the field out instead)") }
          throw ContamError(.invalidCertificate, "at \(path).\(key): unknown field")
        }
        try checkKnown(value, counterpart, path: path + "." + key)
      }
    case (.array(let elements), .array(let counterparts)):
      for (k, pair) in zip(elements, counterparts).enumerated() { try checkKnown(pair.0, pair.1, path: "\(path)[\(k)]") }
    default:
      break
    }
  }

  static func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
      "$" + context.codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
    }
    switch error {
    case .keyNotFound(let key, let context): return "at \(path(context)).\(key.stringValue): missing field"
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
      return "at \(path(context)): \(context.debugDescription)"
    @unknown default: return "\(error)"
    }
  }

  /// Checks every value's range and the versions, so that nothing read from a file can make
  /// `verify`, `merge` or `report` misbehave.
  /// - Throws: ``ContamError/Code/invalidCertificate`` naming the JSON path of the first bad value.
  public func validate() throws(ContamError) {
    func check(_ ok: Bool, _ path: String, _ message: @autoclosure () -> String) throws(ContamError) {
      if !ok { throw ContamError(.invalidCertificate, "at \(path): \(message())") }
    }
    func fraction(_ value: Double, _ path: String) throws(ContamError) {
      try check(value.isFinite && value >= 0 && value <= 1, path, "\(value) is not a fraction in 0...1")
    }
    try check(format == Certificate.currentFormat, "$.format", "unknown certificate format '\(format)'")
    try check(
      parameters.textVersion != nil, "$.parameters.normalization",
      "unknown text-pipeline version '\(parameters.normalization)' (this tool knows \(TextVersion.allCases.map(\.name).joined(separator: ", ")))")
    do {
      try parameters.validate()
    } catch {
      throw ContamError(.invalidCertificate, "at $.parameters: \(error.message)")
    }
    try check(parameters.reader.maxLineBytes >= 1, "$.parameters.reader.maxLineBytes", "must be at least 1")
    if let partition {
      try check(partition.count >= 1 && (1...partition.count).contains(partition.index), "$.partition", "index must be in 1...count")
    }
    if let corpusIndex {
      try check(
        corpusIndex.guaranteedTokens == corpusIndex.winnowing.guaranteedTokens && corpusIndex.winnowing.k >= 1
          && corpusIndex.winnowing.window >= 1, "$.corpusIndex.guaranteedTokens", "does not match the winnowing")
      try check(corpusIndex.candidateDocuments >= 0 && corpusIndex.candidateShards >= 0, "$.corpusIndex", "negative counts")
      try check(
        corpusIndex.digest.utf8.count == 64 && corpusIndex.digest.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) },
        "$.corpusIndex.digest", "not a SHA-256 in lowercase hex")
      try check(corpusIndex.format == CorpusIndexManifest.currentFormat, "$.corpusIndex.format", "unknown corpus index format '\(corpusIndex.format)'")
    }
    try check(benchmarks.reduce(0) { $0 + max(0, $1.items) } == items.count, "$.benchmarks", "item counts do not add up to the items listed")
    for (b, benchmark) in benchmarks.enumerated() {
      try check(benchmark.items >= 0, "$.benchmarks[\(b)].items", "negative")
      for (f, file) in benchmark.files.enumerated() {
        try check(file.bytes >= 0, "$.benchmarks[\(b)].files[\(f)].bytes", "negative")
      }
    }
    try check(Set(shards.map(\.path)).count == shards.count, "$.shards", "a shard is listed twice")
    for (s, shard) in shards.enumerated() {
      try check(shard.compressedBytes >= 0 && shard.decompressedBytes >= 0, "$.shards[\(s)]", "negative byte counts")
    }
    for (k, item) in items.enumerated() {
      let at = "$.items[\(k)]"
      try check(item.tokens >= 0 && item.tokens <= 1 << 24, at + ".tokens", "\(item.tokens) is out of range")
      try check((0...item.tokens).contains(item.boilerplateTokens), at + ".boilerplateTokens", "not in 0...tokens")
      try check((0...(item.tokens - item.boilerplateTokens)).contains(item.sharedTokens), at + ".sharedTokens", "not in 0...tokens - boilerplateTokens")
      try fraction(item.coverage, at + ".coverage")
      try check((0...item.tokens).contains(item.longestRun), at + ".longestRun", "not in 0...tokens")
      try check(item.documents >= 0, at + ".documents", "negative")
      try check(item.parts.reduce(0) { $0 + max(0, $1.tokens) } == item.tokens, at + ".parts", "part tokens do not add up to the item's")
      for (p, part) in item.parts.enumerated() {
        try check(
          part.tokens >= 0 && (0...part.tokens).contains(part.boilerplateTokens)
            && (0...(part.tokens - part.boilerplateTokens)).contains(part.sharedTokens), at + ".parts[\(p)]", "token counts out of range")
        try fraction(part.coverage, at + ".parts[\(p)].coverage")
      }
      if let hex = item.coveredTokens {
        try check(_Bits.fromHex(hex, count: item.tokens) != nil, at + ".coveredTokens", "not \((item.tokens + 7) / 8) bytes of hex")
      }
      try check(item.evidence.count <= parameters.evidencePerItem, at + ".evidence", "more entries than evidencePerItem")
      for (e, evidence) in item.evidence.enumerated() {
        let here = at + ".evidence[\(e)]"
        try check(evidence.line >= 1, here + ".line", "lines count from 1")
        try check(evidence.byteStart >= 0 && evidence.byteEnd >= evidence.byteStart, here, "byte range out of order")
        try fraction(evidence.coverage, here + ".coverage")
        try check(evidence.matchedTokens >= 0 && evidence.matchedTokens <= item.tokens, here + ".matchedTokens", "out of range")
        try check(evidence.longestRun >= 0 && evidence.longestRun <= item.tokens, here + ".longestRun", "out of range")
      }
      if let near = item.nearDuplicate {
        try fraction(near.containment, at + ".nearDuplicate.containment")
        try check(near.documents >= 0 && near.shingles >= 0, at + ".nearDuplicate", "negative counts")
        try check(near.evidence.count <= parameters.evidencePerItem, at + ".nearDuplicate.evidence", "more entries than evidencePerItem")
        for (e, evidence) in near.evidence.enumerated() {
          let here = at + ".nearDuplicate.evidence[\(e)]"
          try check(evidence.line >= 1, here + ".line", "lines count from 1")
          try check(evidence.byteStart >= 0 && evidence.byteEnd >= evidence.byteStart, here, "byte range out of order")
          try fraction(evidence.containment, here + ".containment")
          try fraction(evidence.estimatedContainment, here + ".estimatedContainment")
          try check(evidence.matchedShingles >= 0, here + ".matchedShingles", "negative")
          if let alignment = evidence.alignment { try fraction(alignment, here + ".alignment") }
        }
      }
    }
  }
}

extension Certificate {
  /// The benchmark items, loaded from the files the certificate names (looked for under
  /// `roots` as ``Verifier/locate(_:roots:)`` does), when every one is at hand and gives the
  /// certificate's items; else nil.
  public func benchmarkItems(roots: [String]) -> [BenchmarkItem]? {
    var items: [BenchmarkItem] = []
    for benchmark in benchmarks {
      guard let format = benchmark.format, let path = Verifier.locate(benchmark.path, roots: roots),
        let loaded = try? BenchmarkLoader.load(name: benchmark.name, path: path, format: format)
      else { return nil }
      items += loaded
    }
    return items.map(\.id) == self.items.map(\.id) ? items : nil
  }
}
