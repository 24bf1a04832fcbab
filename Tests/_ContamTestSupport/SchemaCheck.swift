import Foundation

/// A small JSON Schema checker for the keywords the repo's schemas use: `type`, `required`,
/// `properties`, `additionalProperties` (false or a schema), `items`, `enum`, `minimum`,
/// `maximum` and local `$ref`s (`#/$defs/name`). Returns every violation with its JSON path.
public enum SchemaCheck {
  public static func violations(of value: Any, against schema: [String: Any]) -> [String] {
    var found: [String] = []
    check(value, schema, root: schema, path: "$", into: &found)
    return found
  }

  static func check(_ value: Any, _ schema: [String: Any], root: [String: Any], path: String, into found: inout [String]) {
    if let ref = schema["$ref"] as? String {
      let name = ref.replacingOccurrences(of: "#/$defs/", with: "")
      guard let target = (root["$defs"] as? [String: Any])?[name] as? [String: Any] else {
        found.append("\(path): unresolved \(ref)")
        return
      }
      check(value, target, root: root, path: path, into: &found)
      return
    }
    if let type = schema["type"] as? String, !matches(value, type) {
      found.append("\(path): expected \(type), got \(Swift.type(of: value))")
      return
    }
    if let options = schema["enum"] as? [Any], !options.contains(where: { "\($0)" == "\(value)" }) {
      found.append("\(path): \(value) is not one of \(options)")
    }
    if let number = value as? NSNumber {
      if let minimum = schema["minimum"] as? NSNumber, number.doubleValue < minimum.doubleValue {
        found.append("\(path): \(number) < minimum \(minimum)")
      }
      if let maximum = schema["maximum"] as? NSNumber, number.doubleValue > maximum.doubleValue {
        found.append("\(path): \(number) > maximum \(maximum)")
      }
    }
    if let object = value as? [String: Any] {
      for key in schema["required"] as? [String] ?? [] where object[key] == nil {
        found.append("\(path): missing required '\(key)'")
      }
      let properties = schema["properties"] as? [String: Any] ?? [:]
      for (key, child) in object {
        if let sub = properties[key] as? [String: Any] {
          check(child, sub, root: root, path: "\(path).\(key)", into: &found)
        } else if let extra = schema["additionalProperties"] as? [String: Any] {
          check(child, extra, root: root, path: "\(path).\(key)", into: &found)
        } else if (schema["additionalProperties"] as? Bool) == false {
          found.append("\(path): unexpected key '\(key)'")
        }
      }
    }
    if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
      for (i, element) in array.enumerated() { check(element, items, root: root, path: "\(path)[\(i)]", into: &found) }
    }
  }

  static func matches(_ value: Any, _ type: String) -> Bool {
    switch type {
    case "object": return value is [String: Any]
    case "array": return value is [Any]
    case "string": return value is String
    case "boolean": return value is Bool
    case "integer":
      // (On Linux an NSNumber 0 or 1 also casts to Bool, so Bool is not excluded here.)
      guard let n = value as? NSNumber else { return false }
      return n.doubleValue == n.doubleValue.rounded()
    case "number": return value is NSNumber
    case "null": return value is NSNull
    default: return false
    }
  }
}
