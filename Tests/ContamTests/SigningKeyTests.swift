import Contam
import Foundation
import Testing
import _ContamTestSupport

/// Ed25519 through the system libcrypto: RFC 8032's own test vectors (section 7.1), so a
/// certificate signed here verifies with any conforming implementation and the other way round
/// (`Fixtures/certificates/` holds one signed by the swift-crypto build of an earlier version).
@Suite("SigningKey: Ed25519 as RFC 8032 specifies it")
struct SigningKeyTests {
  /// RFC 8032 section 7.1, TEST 1, 2 and 3: secret key, public key, message, signature (hex).
  static let vectors: [(secret: String, publicKey: String, message: String, signature: String)] = [
    (
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    ),
    (
      "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
      "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
    ),
    (
      "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
      "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
      "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
    ),
  ]

  static func bytes(_ hex: String) -> [UInt8] {
    stride(from: 0, to: hex.count, by: 2).map { i in
      let start = hex.index(hex.startIndex, offsetBy: i)
      return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
    }
  }

  @Test(arguments: 0..<3) func signsAndVerifiesTheRFCVector(_ n: Int) throws {
    let v = Self.vectors[n]
    let key = try SigningKey(rawRepresentation: Self.bytes(v.secret))
    #expect(key.publicKey == Self.bytes(v.publicKey))
    #expect(key.signature(for: Self.bytes(v.message)) == Self.bytes(v.signature))
    #expect(SigningKey.isValidSignature(Self.bytes(v.signature), for: Self.bytes(v.message), publicKey: Self.bytes(v.publicKey)))
  }

  @Test func refusesAnEditedSignatureMessageOrKey() throws {
    let v = Self.vectors[2]
    let (signature, message, publicKey) = (Self.bytes(v.signature), Self.bytes(v.message), Self.bytes(v.publicKey))
    for i in [0, 31, 32, 63] {
      var edited = signature
      edited[i] ^= 1
      #expect(!SigningKey.isValidSignature(edited, for: message, publicKey: publicKey), "signature byte \(i) flipped")
    }
    #expect(!SigningKey.isValidSignature(signature, for: message + [0], publicKey: publicKey))
    #expect(!SigningKey.isValidSignature(signature, for: message, publicKey: Self.bytes(Self.vectors[1].publicKey)))
    // Wrong lengths are refused, not read past.
    #expect(!SigningKey.isValidSignature(signature.dropLast(), for: message, publicKey: publicKey))
    #expect(!SigningKey.isValidSignature(signature, for: message, publicKey: publicKey.dropLast()))
    #expect(throws: ContamError.self) { try SigningKey(rawRepresentation: [UInt8](repeating: 7, count: 31)) }
  }

  @Test func generatedKeysDifferAndSignDeterministically() throws {
    let (a, b) = (SigningKey.generate(), SigningKey.generate())
    #expect(a.rawRepresentation != b.rawRepresentation)
    let message = Array("a certificate digest".utf8)
    #expect(a.signature(for: message) == a.signature(for: message))
    #expect(SigningKey.isValidSignature(a.signature(for: message), for: message, publicKey: a.publicKey))
    #expect(!SigningKey.isValidSignature(a.signature(for: message), for: message, publicKey: b.publicKey))
    // The base64 form `contam keygen` writes reads back as the same key.
    let written = Certificate.generateKey()
    let read = try Certificate.signingKey(fromBase64: written.privateKey + "\n")
    #expect(Data(read.publicKey).base64EncodedString() == written.publicKey)
    // Printed, a key shows its public half only.
    #expect("\(read)".contains(written.publicKey) && !"\(read)".contains(written.privateKey))
  }
}

extension SigningKeyTests {
  /// A certificate signed by an earlier build, whose Ed25519 came from swift-crypto (BoringSSL):
  /// its signature verifies here, and signing its digest again with the same key gives the same
  /// bytes, so certificates signed before and after the change verify alike.
  @Test func aCertificateSignedBySwiftCryptoVerifiesAndSignsAlike() throws {
    let directory = TestData.packageRoot.appendingPathComponent("Tests/Fixtures/certificates")
    let file = try Data(contentsOf: directory.appendingPathComponent("signed-by-swift-crypto.json"))
    let certificate = try Certificate(decoding: file)
    let integrity = try certificate.checkIntegrity()
    #expect(integrity.digestMatches && integrity.signatureValid == true)
    let key = try Certificate.signingKey(
      fromBase64: String(decoding: try Data(contentsOf: directory.appendingPathComponent("signed-by-swift-crypto.key")), as: UTF8.self))
    #expect(Data(key.publicKey).base64EncodedString() == integrity.signer)
    let resealed = try certificate.sealed(signingKey: key)
    #expect(resealed.signature == certificate.signature)
    #expect(try resealed.encoded() == file, "the same file, byte for byte")
    // One flipped bit of the signature is caught.
    var edited = certificate
    var value = [UInt8](Data(base64Encoded: certificate.signature!.value)!)
    value[10] ^= 0x20
    edited.signature?.value = Data(value).base64EncodedString()
    #expect(try edited.checkIntegrity().signatureValid == false)
  }
}
