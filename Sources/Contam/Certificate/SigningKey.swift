import COpenSSL
import Foundation

/// An Ed25519 private key that signs certificates (RFC 8032 through the system libcrypto):
/// its raw form is the 32-byte seed, the form `contam keygen` writes as base64. Signatures are
/// deterministic: one key signs one digest the same way every time.
public struct SigningKey: Sendable, Hashable {
  /// The 32-byte seed.
  public let rawRepresentation: [UInt8]
  /// The 32-byte public key that verifies this key's signatures.
  public let publicKey: [UInt8]

  /// The key whose seed is `raw`.
  /// - Throws: ``ContamError/Code/invalidArgument`` when `raw` is not 32 bytes.
  public init(rawRepresentation raw: some Collection<UInt8>) throws(ContamError) {
    let seed = Array(raw)
    guard seed.count == 32 else { throw ContamError(.invalidArgument, "an Ed25519 private key is 32 bytes, not \(seed.count)") }
    var publicKey = [UInt8](repeating: 0, count: 32)
    guard COpenSSL_ed25519_public_key(seed, &publicKey) == 1 else {
      throw ContamError(.invalidArgument, "libcrypto refused the Ed25519 private key")
    }
    self.rawRepresentation = seed
    self.publicKey = publicKey
  }

  /// A new key from the system's secure random source.
  public static func generate() -> SigningKey {
    var seed = [UInt8](repeating: 0, count: 32)
    guard COpenSSL_random(&seed, 32) == 1, let key = try? SigningKey(rawRepresentation: seed) else {
      fatalError("libcrypto has no random bytes for a signing key")
    }
    return key
  }

  /// The 64-byte signature of `message`.
  public func signature(for message: some Collection<UInt8>) -> [UInt8] {
    let bytes = Array(message)
    var out = [UInt8](repeating: 0, count: 64)
    // The seed was accepted when the key was made: signing it cannot fail but for a broken library.
    guard COpenSSL_ed25519_sign(rawRepresentation, bytes, bytes.count, &out) == 1 else { fatalError("libcrypto cannot sign with Ed25519") }
    return out
  }

  /// Whether `signature` is `message`'s signature by the key whose public key is `publicKey`;
  /// false for a public key or signature of the wrong length.
  public static func isValidSignature(_ signature: some Collection<UInt8>, for message: some Collection<UInt8>, publicKey: some Collection<UInt8>)
    -> Bool
  {
    let (signature, message, publicKey) = (Array(signature), Array(message), Array(publicKey))
    guard signature.count == 64, publicKey.count == 32 else { return false }
    return COpenSSL_ed25519_verify(publicKey, message, message.count, signature) == 1
  }
}

extension SigningKey: CustomStringConvertible {
  /// The public key only (base64): printing or logging a key never shows its seed.
  public var description: String { "SigningKey(public: \(Data(publicKey).base64EncodedString()))" }
}
