import Foundation

/// Finished shards' results in a work directory, so that a killed run redoes only the rest.
///
/// One JSON file per shard, named by the SHA-256 of the run's fingerprint and the shard path,
/// written atomically (``AtomicFile``): a file is either whole or absent. It records the
/// shard's size and modification time; a shard that changed since is scanned again.
struct _ResumeStore: Sendable {
  let directory: String
  let fingerprint: String

  struct Record: Codable {
    var fingerprint: String
    var shard: String
    var size: Int
    var modified: Double
    var partial: _ShardPartial
  }

  init(directory: String, fingerprint: String) throws {
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw ContamError(.outputFailed, path: directory, "cannot create the work directory: \(error.localizedDescription)")
    }
    self.directory = directory
    self.fingerprint = fingerprint
  }

  func file(for shard: String) -> String {
    let name = SHA256Stream.digest(of: (fingerprint + "\n" + shard).utf8)
    return directory + "/shard-" + name + ".json"
  }

  /// The shard's size and modification time (symbolic links followed: a link whose target
  /// changed is a changed shard).
  static func stamp(_ path: String) -> (size: Int, modified: Double)? {
    FileSource.stamp(path).map { ($0.size, Double($0.modified) / 1e9) }
  }

  /// The stored result of `shard`, if present, from this run's fingerprint, and the shard unchanged.
  func load(shard: String) -> _ShardPartial? {
    guard let data = FileManager.default.contents(atPath: file(for: shard)),
      let record = try? JSONDecoder().decode(Record.self, from: data),
      record.fingerprint == fingerprint, record.shard == shard,
      let now = Self.stamp(shard), now.size == record.size, now.modified == record.modified
    else { return nil }
    return record.partial
  }

  func save(_ partial: _ShardPartial, shard: String) throws {
    let now = Self.stamp(shard) ?? (-1, 0)
    let record = Record(fingerprint: fingerprint, shard: shard, size: now.size, modified: now.modified, partial: partial)
    try AtomicFile.write(try JSONEncoder().encode(record), to: file(for: shard))
  }
}
