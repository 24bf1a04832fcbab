import Contam
import Foundation
import Testing
import _ContamTestSupport

/// The README's and the DocC overview's example, run on real files: what another package sees.
@Suite("The library API as another package uses it")
struct LibraryAPITests {
  @Test func theReadmeExampleFindsThePlantedItems() throws {
    let samples = TestData.packageRoot.appendingPathComponent("corpora-samples").path
    let path = samples + "/benchmarks/gsm8k-sample.jsonl"
    // --- as in README.md ---
    let items = try BenchmarkLoader.load(name: "gsm8k", path: path, format: BenchmarkFormat.presets["gsm8k"]!)
    let scanner = try Scanner(items: items, configuration: ScanConfiguration(), readerOptions: ShardReaderOptions())
    let result = try scanner.run(
      benchmarks: [.init(name: "gsm8k", path: path, items: items.count)],
      paths: try ShardList.resolve([samples + "/shards"]).paths, jobs: 2)
    let certificate = try result.sealed()
    // ---
    let flagged = certificate.items.filter { $0.verdict != .clean }.map(\.id)
    #expect(flagged == ["gsm8k-sample/1", "gsm8k-sample/2", "gsm8k-sample/3", "gsm8k-sample/6"])
    #expect(try certificate.checkIntegrity().digestMatches)
    let reread = try Certificate(decoding: try certificate.encoded())
    #expect(reread == certificate, "a certificate survives its file form")
  }

  /// `sealedFile` (the digest hashed as the body is encoded) gives the sealed certificate's file,
  /// whose digest and signature check when it is read back (`CertificateJSONTests` holds the
  /// bytes to JSONEncoder's), signed or not, on a real certificate whose items include text an adversary
  /// controls (quotes, newlines and "digest" in an id and a benchmark name).
  @Test func sealingInOnePassGivesTheSameFile() throws {
    var result = try Self.sampleResult(benchmarkName: "gsm8k\n  \"digest\" : \"0000")
    result.items[0].id = "\n  \"digest\" : \"" + String(repeating: "0", count: 64)
    let key = try Certificate.signingKey(fromBase64: Certificate.generateKey().privateKey)
    for signing in [nil, key] {
      let (certificate, file) = try result.sealedFile(signingKey: signing)
      let reference = try result.sealed(signingKey: signing)
      #expect(certificate == Certificate(copying: reference, signatureFrom: certificate))
      #expect(file == (try Certificate(copying: reference, signatureFrom: certificate).encoded()))
      let reread = try Certificate(decoding: file)
      #expect(try reread.checkIntegrity().digestMatches)
      #expect(try reread.checkIntegrity().signatureValid == (signing == nil ? nil : true))
    }
  }

  /// `writeSealed` (the canonical body hashed as it is encoded, the file written a piece at a
  /// time: what `contam scan --out` does) writes the bytes `sealedFile` gives, for a certificate
  /// of several MiB (pieces flushed many times), signed or not; a failure leaves no file.
  @Test func sealingToAFileInPiecesGivesTheSameFile() throws {
    var result = try Self.sampleResult(benchmarkName: "gsm8k")
    let one = result.items
    result.items = (0..<2_000).flatMap { k in one.map { item in var copy = item; copy.id += "-\(k)"; return copy } }
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let out = fixture.url("c.json").path
    let key = try Certificate.signingKey(fromBase64: Certificate.generateKey().privateKey)
    for signing in [nil, key] {
      let certificate = try result.writeSealed(to: out, signingKey: signing)
      let file = try Data(contentsOf: URL(fileURLWithPath: out))
      #expect(file.count > 4 << 20)
      #expect(file == (try Certificate(copying: result.sealed(signingKey: signing), signatureFrom: certificate).encoded()))
      #expect(certificate.digest == (try result.sealed().digest) && certificate.digest?.count == 64)
    }
    let missing = fixture.url("no-such-directory/c.json").path
    #expect(throws: ContamError.self) { try result.writeSealed(to: missing) }
    #expect(!FileManager.default.fileExists(atPath: missing))
  }
}

extension LibraryAPITests {
  /// The scan of the bundled samples (`corpora-samples`) for their GSM8K items, unsealed.
  static func sampleResult(benchmarkName: String) throws -> Certificate {
    let samples = TestData.packageRoot.appendingPathComponent("corpora-samples").path
    let path = samples + "/benchmarks/gsm8k-sample.jsonl"
    let items = try BenchmarkLoader.load(name: "gsm8k", path: path, format: BenchmarkFormat.presets["gsm8k"]!)
    let scanner = try Scanner(items: items, configuration: ScanConfiguration(), readerOptions: ShardReaderOptions())
    return try scanner.run(
      benchmarks: [.init(name: benchmarkName, path: path, items: items.count)],
      paths: try ShardList.resolve([samples + "/shards"]).paths, jobs: 2)
  }
}

extension Certificate {
  /// `reference` with the signature of `other` (Ed25519 signatures of one digest by one key may
  /// differ between calls in some implementations; the digest must not).
  init(copying reference: Certificate, signatureFrom other: Certificate) {
    self = reference
    signature = other.signature
  }
}
