import Foundation

/// What a JSON record holds, for the message about a text field it lacks: its top-level
/// fields (`[]` after an array's name) and the path that reads the most text from it, so that
/// the first `missing_field` of a shard says which `--text-field` to give (`messages[].content`
/// for a chat record). Parsed with Foundation: it runs once per shard, on a record already
/// known to be JSON.
enum JSONRecordFields {
  /// ` (the record has: id, messages[]; its text may be at --text-field 'messages[].content')`,
  /// or an empty string when the line is not an object.
  static func hint(_ line: UnsafeRawBufferPointer) -> String {
    guard let object = try? JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed]) as? [String: Any]
    else { return "" }
    let names = object.keys.sorted().prefix(12).map { object[$0] is [Any] ? $0 + "[]" : $0 }
    var best: (path: String, length: Int)? = nil
    func consider(_ path: String, _ length: Int) {
      if length > (best?.length ?? 0) { best = (path, length) }
    }
    for (key, value) in object {
      switch value {
      case let text as String:
        consider(key, text.count)
      case let nested as [String: Any]:
        for (inner, value) in nested { if let text = value as? String { consider("\(key).\(inner)", text.count) } }
      case let array as [Any]:
        let strings = array.compactMap { $0 as? String }
        if !strings.isEmpty { consider("\(key)[]", strings.reduce(0) { $0 + $1.count }) }
        // An array of objects: the element field with the most text (`content`, `value`).
        var byField: [String: Int] = [:]
        for case let element as [String: Any] in array {
          for (inner, value) in element { if let text = value as? String { byField[inner, default: 0] += text.count } }
        }
        if let (inner, length) = byField.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }) {
          consider("\(key)[].\(inner)", length)
        }
      default:
        break
      }
    }
    var hint = " (the record has: \(names.joined(separator: ", "))\(object.count > 12 ? ", …" : "")"
    if let best, best.length > 0 { hint += "; its text may be at --text-field '\(best.path)'" }
    return hint + ")"
  }
}
