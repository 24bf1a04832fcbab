import Foundation

/// An Ed25519 signature over a certificate's digest.
public struct CertificateSignature: Sendable, Codable, Hashable {
  public var algorithm = "ed25519"
  /// The signer's public key, base64 of its 32 raw bytes.
  public var publicKey: String
  /// The signature over the 32 digest bytes, base64.
  public var value: String
}

/// Canonical form, digest and signature.
///
/// The canonical form is the JSON encoding of the certificate with `digest` and `signature`
/// removed, keys sorted, no whitespace, slashes unescaped, numbers in Swift's shortest
/// round-trip form: the same run always gives the same bytes, and decoding then re-encoding
/// gives them back. The digest is the SHA-256 of those bytes; the signature signs the digest.
extension Certificate {
  /// The canonical bytes of this certificate (without its digest and signature).
  public func canonicalBody() throws -> Data {
    var body = self
    body.digest = nil
    body.signature = nil
    return try body.encoding(pretty: false)
  }

  /// JSONEncoder's bytes for this certificate (`.sortedKeys`, `.withoutEscapingSlashes`, and
  /// `.prettyPrinted` when `pretty`). The items are written by ``_CertificateJSON`` into the
  /// encoding of the rest, where JSONEncoder wrote an empty array for them; when that place is
  /// not found exactly once, or an item holds a number JSONEncoder refuses, JSONEncoder
  /// encodes everything.
  func encoding(pretty: Bool) throws -> Data { Data(try encodingBytes(pretty: pretty)) }

  /// ``encoding(pretty:)`` as one buffer, written once (a certificate of all shared benchmarks
  /// is 14 MB; each copy of it was that much more memory at the end of a scan).
  func encodingBytes(pretty: Bool, reserving extra: Int = 0) throws -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(4096 + items.count * _CertificateJSON.bytesPerItem(pretty: pretty) + extra)
    try streamEncoding(pretty: pretty) { bytes += $0 }
    return bytes
  }

  /// ``encoding(pretty:)`` handed to `emit` a piece of about 1 MiB at a time: the rest of the
  /// certificate before its items, the items, the rest after them.
  func streamEncoding(pretty: Bool, _ emit: ([UInt8]) throws -> Void) throws {
    guard !items.isEmpty else { return try emit([UInt8](try encodedByFoundation(pretty: pretty))) }
    var shell = self
    shell.items = []
    let data = try shell.encodedByFoundation(pretty: pretty)
    let place = Array((pretty ? "\n  \"items\" : [\n\n  ]" : "\"items\":[]").utf8)
    let found = Self.occurrences(of: place, in: data)
    guard found.count == 1 else { return try emit([UInt8](try encodedByFoundation(pretty: pretty))) }
    let emptyArray = pretty ? 6 : 2  // "[\n\n  ]" or "[]", at the end of `place`
    let start = data.startIndex + found[0] + place.count - emptyArray
    try emit([UInt8](data[..<start]))
    let limit = 1 << 20
    var buffer: [UInt8] = []
    buffer.reserveCapacity(limit + 64 * 1024)
    let finite = try _CertificateJSON.items(items, pretty: pretty, depth: 1, appendingTo: &buffer, flushingAt: limit) { bytes in
      try emit(bytes)
      bytes.removeAll(keepingCapacity: true)
    }
    guard finite else {
      // JSONEncoder refuses the number: its error says where.
      _ = try encodedByFoundation(pretty: pretty)
      throw ContamError(.outputFailed, "a certificate item holds a number JSON cannot write")
    }
    try emit(buffer)
    try emit([UInt8](data[(start + emptyArray)...]))
  }

  /// The same bytes, all through JSONEncoder (what ``encoding(pretty:)`` must equal).
  @_spi(Testing) public func encodedByFoundation(pretty: Bool) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(self)
  }

  /// The SHA-256 of the canonical body, lowercase hex.
  /// Hashed as it is encoded: the body is never held whole.
  public func computeDigest() throws -> String {
    var body = self
    body.digest = nil
    body.signature = nil
    let hasher = SHA256Stream()
    try body.streamEncoding(pretty: false) { hasher.update($0) }
    return hasher.finalizeHex()
  }

  /// This certificate with its digest set and, with a key, its signature.
  /// - Parameter signingKey: the key to sign the digest with, if any.
  public func sealed(signingKey: SigningKey? = nil) throws -> Certificate {
    var sealed = self
    sealed.signature = nil
    let digest = try sealed.computeDigest()
    sealed.digest = digest
    if let signingKey {
      let value = signingKey.signature(for: _Hex.decode(digest))
      sealed.signature = CertificateSignature(publicKey: Data(signingKey.publicKey).base64EncodedString(), value: Data(value).base64EncodedString())
    }
    return sealed
  }

  /// Seals the certificate and encodes its file form: the bytes of
  /// `sealed(signingKey:).encoded()`, with the certificate they hold.
  public func sealedFile(signingKey: SigningKey? = nil) throws -> (certificate: Certificate, file: Data) {
    let sealed = try sealed(signingKey: signingKey)
    return (sealed, try sealed.encoded())
  }

  /// Seals the certificate and writes its file form to `path` atomically, without holding
  /// either encoding whole: the canonical body is hashed as it is encoded
  /// (``computeDigest()``), then the file is written a piece at a time with its digest (and
  /// signature) in place. The bytes are those of ``sealedFile(signingKey:)``.
  /// - Returns: the sealed certificate.
  /// - Throws: ``ContamError/Code/outputFailed`` naming the path (the file is then untouched).
  @discardableResult
  package func writeSealed(to path: String, signingKey: SigningKey? = nil) throws -> Certificate {
    let sealed = try sealed(signingKey: signingKey)
    try AtomicFile.write(to: path) { append in
      try sealed.streamEncoding(pretty: true) { try append($0) }
      try append([UInt8(ascii: "\n")])
    }
    return sealed
  }

  /// Where `needle` starts in `bytes` (at most two places: enough to tell one from several),
  /// as offsets from its start.
  static func occurrences<Bytes: RandomAccessCollection>(of needle: [UInt8], in bytes: Bytes) -> [Int]
  where Bytes.Element == UInt8, Bytes.Index == Int {
    guard let first = needle.first else { return [] }
    var found: [Int] = []
    var p = bytes.startIndex
    while found.count < 2 && p + needle.count <= bytes.endIndex {
      if bytes[p] == first && bytes[p..<p + needle.count].elementsEqual(needle) { found.append(p - bytes.startIndex) }
      p += 1
    }
    return found
  }

  /// The file form: keys sorted, indented for people, a final newline.
  public func encoded() throws -> Data { Data(try encodedBytes()) }

  /// ``encoded()`` as one buffer.
  func encodedBytes() throws -> [UInt8] {
    var bytes = try encodingBytes(pretty: true, reserving: 1)
    bytes.append(0x0A)
    return bytes
  }

  /// Reads a certificate file's bytes, strictly: see ``Certificate/init(strictlyDecoding:)``.
  /// - Throws: ``ContamError/Code/invalidCertificate`` naming the JSON path.
  public init(decoding data: Data) throws {
    try self.init(strictlyDecoding: data)
  }

  /// Reads the certificate file at `path`, strictly (``init(decoding:)``).
  /// - Throws: ``ContamError/Code/unreadableFile`` (no such file, a directory, no permission) or
  ///   ``ContamError/Code/invalidCertificate``, each naming `path`.
  public init(contentsOfFile path: String) throws(ContamError) {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw ContamError(.unreadableFile, path: path, "no such file")
    }
    guard !isDirectory.boolValue else { throw ContamError(.unreadableFile, path: path, "a directory, not a certificate file") }
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw ContamError(
        .unreadableFile, path: path, FileManager.default.isReadableFile(atPath: path) ? error.localizedDescription : "permission denied")
    }
    do {
      try self.init(decoding: data)
    } catch var error as ContamError {
      error.path = path
      throw error
    } catch {
      throw ContamError(.invalidCertificate, path: path, "\(error)")
    }
  }

  /// What checking a certificate's own integrity found.
  public struct Integrity: Sendable, Hashable {
    /// The stored digest equals the digest of the content.
    public var digestMatches: Bool
    /// nil when unsigned; else whether the signature verifies with its public key.
    public var signatureValid: Bool?
    /// The signer's public key (base64), when signed.
    public var signer: String?
  }

  /// Recomputes the digest and checks the signature.
  public func checkIntegrity() throws -> Integrity {
    let digest = try computeDigest()
    let matches = self.digest == digest
    guard let signature else { return Integrity(digestMatches: matches, signatureValid: nil, signer: nil) }
    var valid = false
    if signature.algorithm == "ed25519", let keyData = Data(base64Encoded: signature.publicKey),
      let value = Data(base64Encoded: signature.value)
    {
      valid = SigningKey.isValidSignature(value, for: _Hex.decode(digest), publicKey: keyData)
    }
    return Integrity(digestMatches: matches, signatureValid: valid, signer: signature.publicKey)
  }

  /// A new signing key: the private key's raw bytes and the public key's, base64.
  public static func generateKey() -> (privateKey: String, publicKey: String) {
    let key = SigningKey.generate()
    return (Data(key.rawRepresentation).base64EncodedString(), Data(key.publicKey).base64EncodedString())
  }

  /// Reads a private key written by ``generateKey()`` (base64 text).
  /// - Parameter text: the key file's text.
  /// - Throws: ``ContamError/Code/invalidArgument`` when it is not a base64 Ed25519 key.
  public static func signingKey(fromBase64 text: String) throws -> SigningKey {
    guard let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
      throw ContamError(.invalidArgument, "the signing key is not base64")
    }
    return try SigningKey(rawRepresentation: raw)
  }
}
