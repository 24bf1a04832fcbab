/// A file read as input, identified by its size and SHA-256 (lowercase hex) so that a reader
/// of a certificate can tell whether they hold the same file.
public struct InputFile: Sendable, Codable, Hashable {
  public var path: String
  public var bytes: Int
  public var sha256: String

  public init(path: String, bytes: Int, sha256: String) {
    self.path = path
    self.bytes = bytes
    self.sha256 = sha256
  }

  /// The file at `path` as it is now: its bytes read once, counted and hashed.
  /// - Throws: a ``ContamError`` when it cannot be read.
  init(hashing path: String) throws {
    let source = try FileSource(path: path)
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while try buffer.withUnsafeMutableBytes({ try source.read(into: $0) }) > 0 {}
    let (sha256, bytes) = try source.finish()
    self.init(path: path, bytes: bytes, sha256: sha256)
  }
}
