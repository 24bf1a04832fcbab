/// The text the first records (of at most 1 MiB) of a JSONL shard hold at the field read and at
/// every other path a `--text-field` can name. A corpus whose records keep their text in another field than the
/// one read (`{"text": title, "content": page}`, `meta.body`) is read as the short field alone
/// and reads clean; so when another path holds more text than the field read, the shard says so.
struct _FieldSample {
  /// Records sampled per shard.
  static let size = 64
  /// Longer records are not sampled: parsed with Foundation, a record costs about three times
  /// its size in memory (a 45 MB line took a scan from 150 to 263 MB).
  static let maximumLineBytes = 1 << 20
  var records = 0
  /// The path read (the last record's) and its characters in all.
  var read = ""
  var readChars = 0
  var other: [String: Int] = [:]

  mutating func add(_ paths: [String: Int], read field: String) {
    guard !paths.isEmpty else { return }
    records += 1
    read = field
    for (path, chars) in paths {
      if path == field {
        readChars += chars
      } else if other[path] != nil || other.count < 256 {
        // Records of thousands of keys (a map in a field) keep the sample small.
        other[path, default: 0] += chars
      }
    }
  }

  /// The path with the most text, when it holds half as much again as the field read (the same
  /// text kept twice is not more) and 50 characters a record on average (an id, a URL or a
  /// title beside the text is not it).
  func unread() -> (path: String, chars: Int, read: String, readChars: Int)? {
    guard let best = other.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }),
      2 * best.value > 3 * readChars, best.value >= 50 * records
    else { return nil }
    return (best.key, best.value, read, readChars)
  }
}
