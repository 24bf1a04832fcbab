import Foundation

/// Turns the corpus arguments of the command line (files, directories, glob patterns) into
/// the sorted list of shard paths to read.
public enum ShardList {
  /// Expands `arguments`: a directory gives every regular file below it (hidden ones
  /// excluded), a pattern with `*`, `?` or `[` gives its matches, anything else is kept as
  /// given (a missing file is then reported by the reader, not dropped here). The result is
  /// sorted and free of duplicates, so the shard order never depends on the file system.
  public static func expand(_ arguments: [String]) -> [String] {
    var out: [String] = []
    let fm = FileManager.default
    for argument in arguments {
      var isDirectory: ObjCBool = false
      if fm.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue {
        out += filesBelow(argument)
      } else if argument.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
        let matches = glob(argument)
        out += matches.isEmpty ? [argument] : matches
      } else {
        out.append(argument)
      }
    }
    var seen = Set<String>()
    return out.sorted().filter { seen.insert($0).inserted }
  }

  static func filesBelow(_ directory: String) -> [String] {
    let base = URL(fileURLWithPath: directory)
    guard
      let walker = FileManager.default.enumerator(
        at: base, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey],
        options: [.skipsHiddenFiles])
    else { return [] }
    var files: [String] = []
    for case let url as URL in walker {
      let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
      // Dangling links and unreadable entries are kept so that the reader reports them.
      if values?.isRegularFile == true || values?.isSymbolicLink == true {
        let relative = String(url.path.dropFirst(base.path.count)).drop(while: { $0 == "/" })
        files.append(directory.hasSuffix("/") ? directory + relative : directory + "/" + relative)
      }
    }
    return files
  }

  static func glob(_ pattern: String) -> [String] {
    var result = glob_t()
    defer { globfree(&result) }
    guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
    var paths: [String] = []
    for i in 0..<Int(result.gl_pathc) {
      if let p = result.gl_pathv[i] { paths.append(String(cString: p)) }
    }
    return paths
  }
}
