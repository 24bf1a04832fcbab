import Crypto
import Foundation

/// An Ed25519 signature over a certificate's digest.
public struct CertificateSignature: Sendable, Codable, Hashable {
  public var algorithm = "ed25519"
  /// The signer's public key, base64 of its 32 raw bytes.
  public var publicKey: String
  /// The signature over the 32 digest bytes, base64.
  public var value: String
}

/// Canonical form, digest and signature of overlap certificates (``ScanResult``).
///
/// The canonical form is the JSON encoding of the certificate with `digest` and `signature`
/// removed, keys sorted, no whitespace, slashes unescaped, numbers in Swift's shortest
/// round-trip form: the same run always gives the same bytes, and decoding then re-encoding
/// gives them back. The digest is the SHA-256 of those bytes; the signature signs the digest.
public enum Certificate {
  /// The canonical bytes of `certificate` (without its digest and signature).
  public static func canonicalBody(_ certificate: ScanResult) throws -> Data {
    var body = certificate
    body.digest = nil
    body.signature = nil
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(body)
  }

  /// The SHA-256 of the canonical body, lowercase hex.
  public static func digest(_ certificate: ScanResult) throws -> String {
    hex(Data(SHA256.hash(data: try canonicalBody(certificate))))
  }

  /// Sets the digest and, with a key, the signature.
  public static func seal(_ certificate: ScanResult, signingKey: Curve25519.Signing.PrivateKey? = nil) throws -> ScanResult {
    var sealed = certificate
    sealed.signature = nil
    let digest = try Self.digest(sealed)
    sealed.digest = digest
    if let signingKey {
      let value = try signingKey.signature(for: Data(unhex(digest)))
      sealed.signature = CertificateSignature(
        publicKey: signingKey.publicKey.rawRepresentation.base64EncodedString(), value: value.base64EncodedString())
    }
    return sealed
  }

  /// The file form: the sealed certificate, keys sorted, indented for people.
  public static func encode(_ certificate: ScanResult) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
    return try encoder.encode(certificate) + Data("\n".utf8)
  }

  /// Reads a certificate file.
  public static func decode(_ data: Data) throws -> ScanResult {
    try JSONDecoder().decode(ScanResult.self, from: data)
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
  public static func checkIntegrity(_ certificate: ScanResult) throws -> Integrity {
    let digest = try Self.digest(certificate)
    let matches = certificate.digest == digest
    guard let signature = certificate.signature else { return Integrity(digestMatches: matches, signatureValid: nil, signer: nil) }
    var valid = false
    if signature.algorithm == "ed25519", let keyData = Data(base64Encoded: signature.publicKey),
      let value = Data(base64Encoded: signature.value), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyData)
    {
      valid = key.isValidSignature(value, for: Data(unhex(digest)))
    }
    return Integrity(digestMatches: matches, signatureValid: valid, signer: signature.publicKey)
  }

  /// A new signing key: the private key's raw bytes and the public key's, base64.
  public static func generateKey() -> (privateKey: String, publicKey: String) {
    let key = Curve25519.Signing.PrivateKey()
    return (key.rawRepresentation.base64EncodedString(), key.publicKey.rawRepresentation.base64EncodedString())
  }

  /// Reads a private key written by ``generateKey()`` (base64 text).
  public static func signingKey(fromBase64 text: String) throws -> Curve25519.Signing.PrivateKey {
    guard let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
      throw ContamError(.invalidArgument, "the signing key is not base64")
    }
    return try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
  }

  static func hex(_ data: Data) -> String {
    data.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
  }

  static func unhex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var chars = Array(text.utf8)[...]
    while chars.count >= 2 {
      let pair = String(decoding: chars.prefix(2), as: UTF8.self)
      bytes.append(UInt8(pair, radix: 16) ?? 0)
      chars = chars.dropFirst(2)
    }
    return bytes
  }
}
