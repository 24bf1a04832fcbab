import Foundation
import Testing
@_spi(Testing) import Contam
import _ContamTestSupport

/// The certificate's items are written without JSONEncoder (`_CertificateJSON`), but the bytes
/// must be JSONEncoder's: the canonical body is its output by definition, and verify re-derives
/// the digest from it. Compared here on real certificates and on items holding what JSONEncoder
/// treats specially (control characters, quotes, backslashes, slashes, non-ASCII text, numbers
/// in exponent form, negative zero, optionals present and absent, empty arrays).
@Suite("Certificate JSON: the items' bytes are JSONEncoder's")
struct CertificateJSONTests {
  /// A real scan of the samples: evidence, near duplicates, answers, parts, covered tokens.
  static func samplesCertificate() throws -> Certificate {
    let samples = TestData.packageRoot.appendingPathComponent("corpora-samples").path
    var items: [BenchmarkItem] = []
    var inputs: [Certificate.BenchmarkInput] = []
    for (name, file) in [("gsm8k", "gsm8k-sample.jsonl"), ("math", "math-sample.jsonl"), ("arc", "arc-challenge-sample.jsonl")] {
      let path = samples + "/benchmarks/" + file
      let loaded = try BenchmarkLoader.load(name: name, path: path, format: BenchmarkFormat.presets[name]!)
      items += loaded
      inputs.append(.init(name: name, path: path, items: loaded.count))
    }
    let scanner = try Scanner(items: items, configuration: ScanConfiguration(), readerOptions: ShardReaderOptions())
    return try scanner.run(benchmarks: inputs, paths: try ShardList.resolve([samples + "/shards"]).paths, jobs: 2)
  }

  func expectSameBytes(_ certificate: Certificate, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let canonical = try certificate.canonicalBody()
    var body = certificate
    body.digest = nil
    body.signature = nil
    #expect(canonical == (try body.encodedByFoundation(pretty: false)), "canonical body", sourceLocation: sourceLocation)
    let file = try certificate.encoded()
    #expect(file == (try certificate.encodedByFoundation(pretty: true)) + Data("\n".utf8), "file form", sourceLocation: sourceLocation)
  }

  @Test func aRealCertificateIsWrittenAsJSONEncoderWritesIt() throws {
    let certificate = try Self.samplesCertificate()
    #expect(certificate.items.contains { !$0.evidence.isEmpty })
    #expect(certificate.items.contains { $0.nearDuplicate != nil })
    #expect(certificate.items.contains { $0.evidence.contains { $0.answer != nil } })
    try expectSameBytes(certificate)
    try expectSameBytes(try certificate.sealed())
  }

  @Test func whatJSONEncoderTreatsSpeciallyIsWrittenAlike() throws {
    var certificate = try Self.samplesCertificate()
    let every = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self)
    let texts = [every, "é ü ß 中文 😀 \u{2028}\u{2029}\u{FEFF}\u{7F}\u{85}", "a/b\\c\"d", "", "\n  \"items\" : [\n\n  ]"]
    let numbers: [Double] = [0, -0.0, 0.1, 1, 1e-7, 1e-5, 0.0001, 1e15, 1e16, 1e21, 2.0 / 3, 5e-324, 123_456.789, 0.1 + 0.2]
    let withNear = try #require(certificate.items.firstIndex { $0.nearDuplicate != nil && !$0.evidence.isEmpty })
    var item = certificate.items[withNear]
    for (k, text) in texts.enumerated() {
      item.id = text
      item.benchmark = texts[(k + 1) % texts.count]
      item.coveredTokens = k % 2 == 0 ? nil : text
      item.coverage = numbers[k % numbers.count]
      item.evidence[0].snippet = text
      item.evidence[0].documentID = k % 2 == 0 ? text : nil
      item.evidence[0].coverage = numbers[(k + 5) % numbers.count]
      item.evidence[0].answer = k % 3 == 0 ? nil : AnswerCheck(agreement: .different, expected: text, found: k % 3 == 1 ? nil : text)
      item.nearDuplicate!.evidence[0].answer = AnswerCheck(agreement: k % 2 == 0 ? .same : .none, expected: text, found: text, distinctive: k % 4 == 0)
      item.nearDuplicate!.containment = numbers[(k + 9) % numbers.count]
      item.nearDuplicate!.evidence[0].snippet = text
      item.nearDuplicate!.evidence[0].part = k % 2 == 0 ? text : nil
      item.nearDuplicate!.evidence[0].alignment = k % 2 == 0 ? numbers[(k + 2) % numbers.count] : nil
      item.nearDuplicate!.evidence[0].estimatedContainment = numbers[(k + 11) % numbers.count]
      item.nearDuplicate!.evidence[0].verbatim = [true, false, nil][k % 3]
      item.parts[0].part = text
      item.parts[0].coverage = numbers[(k + 7) % numbers.count]
      certificate.items.append(item)
    }
    item.evidence = []
    item.parts = []
    item.nearDuplicate!.evidence = []
    certificate.items.append(item)
    try expectSameBytes(certificate)
  }

  @Test func aNumberJSONEncoderRefusesIsStillRefused() throws {
    var certificate = try Self.samplesCertificate()
    certificate.items[0].coverage = .nan
    #expect(throws: (any Error).self) { try certificate.encoded() }
    #expect(throws: (any Error).self) { try certificate.canonicalBody() }
  }
}
