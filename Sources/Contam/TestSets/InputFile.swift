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
}
