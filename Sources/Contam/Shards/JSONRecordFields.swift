import Foundation

/// What a JSON record holds, for the message about a text field it lacks: its top-level
/// fields (`[]` after an array's name) and the path that reads the most text from it, so that
/// the first `missing_field` of a shard says which `--text-field` to give (`messages[].content`
/// for a chat record); and how much text each path holds, for the check that a shard's records
/// hold no more text elsewhere than in the field read (``ShardReader``'s `unread_field`). Parsed
/// with Foundation: it runs on a few records per shard, already known to be JSON.
enum JSONRecordFields {
  /// ` (the record has: id, messages[]; its text may be at --text-field 'messages[].content')`,
  /// or an empty string when the line is not an object.
  static func hint(_ line: UnsafeRawBufferPointer) -> String {
    guard let object = try? JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed]) as? [String: Any]
    else { return "" }
    let names = object.keys.sorted().prefix(12).map { object[$0] is [Any] ? $0 + "[]" : $0 }
    let best = textPaths(object).max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }
    var hint = " (the record has: \(names.joined(separator: ", "))\(object.count > 12 ? ", …" : "")"
    if let best, best.value > 0 { hint += "; its text may be at --text-field '\(best.key)'" }
    return hint + ")"
  }

  /// The characters of text at each path of the JSON record `line` that a `--text-field` can
  /// name: a top-level string field, one inside an object one level down (`meta.text`), an
  /// array's strings (`tags[]`) and, in an array of objects, each element field (`messages[].content`),
  /// summed over the elements. Empty when the line is not an object.
  static func textPaths(_ line: UnsafeRawBufferPointer) -> [String: Int] {
    guard let object = try? JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed]) as? [String: Any]
    else { return [:] }
    return textPaths(object)
  }

  private static func textPaths(_ object: [String: Any]) -> [String: Int] {
    var paths: [String: Int] = [:]
    func consider(_ path: String, _ length: Int) { paths[path, default: 0] += length }
    for (key, value) in object {
      switch value {
      case let text as String:
        consider(key, text.count)
      case let nested as [String: Any]:
        for (inner, value) in nested { if let text = value as? String { consider("\(key).\(inner)", text.count) } }
      case let array as [Any]:
        let strings = array.compactMap { $0 as? String }
        if !strings.isEmpty { consider("\(key)[]", strings.reduce(0) { $0 + $1.count }) }
        // An array of objects: each element field (`content`, `value`), over the elements.
        for case let element as [String: Any] in array {
          for (inner, value) in element { if let text = value as? String { consider("\(key)[].\(inner)", text.count) } }
        }
      default:
        break
      }
    }
    return paths
  }
}
