import COpenSSL

/// Streaming SHA-256 through the system libcrypto (which uses the CPU's SHA extensions): the
/// digest of every input file costs about 1 CPU-second per 1.7 GB.
package final class SHA256Stream {
  private let context: UnsafeMutablePointer<SHA256_CTX>

  init() {
    guard let context = COpenSSL_sha256_new() else { fatalError("libcrypto cannot make a SHA-256 context") }
    self.context = context
  }

  deinit { COpenSSL_sha256_free(context) }

  func update(_ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
    _ = COpenSSL_sha256_update(context, base, bytes.count)
  }

  /// Adds `bytes` to the digest.
  func update(_ bytes: some Collection<UInt8>) {
    if bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) == nil {
      Array(bytes).withUnsafeBytes { update($0) }
    }
  }

  /// The SHA-256 of `bytes`, lowercase hex.
  package static func digest(of bytes: some Collection<UInt8>) -> String {
    let stream = SHA256Stream()
    stream.update(bytes)
    return stream.finalizeHex()
  }

  /// The SHA-256 of the file at `path`, read in 4 MiB pieces (lowercase hex).
  static func digest(ofFile path: String) throws -> String {
    let file = try FileSource(path: path)
    var buffer = [UInt8](repeating: 0, count: 1 << 22)
    while try buffer.withUnsafeMutableBytes({ try file.read(into: $0) }) > 0 {}
    return try file.finish().sha256
  }

  /// The digest as lowercase hex; the stream cannot be used after.
  func finalizeHex() -> String {
    var out = [UInt8](repeating: 0, count: 32)
    _ = out.withUnsafeMutableBufferPointer { COpenSSL_sha256_final(context, $0.baseAddress) }
    return _Hex.encode(out)
  }
}
