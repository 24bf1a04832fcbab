import Foundation

/// Turns the corpus arguments of the command line (files, directories, glob patterns) into
/// the sorted list of shard paths to read.
///
/// A mistake in an argument is an error, never an empty or shorter list: a path that does not
/// exist, a pattern that matches nothing, a directory with no files, a file name that is not
/// UTF-8 (it could not be recorded exactly). A scan over a list that silently lost its
/// arguments would read nothing and call everything clean.
public enum ShardList {
  /// The shard list and what was left out of it on purpose.
  public struct Resolution: Sendable, Hashable {
    /// Shard paths, sorted, each file once (by real path: `./x`, `x` and a link to `x` are one).
    public var paths: [String]
    /// Hidden files and directories (names starting with `.`) found inside the given
    /// directories and not read; a hidden file named explicitly is read.
    public var hidden: [String]
    /// Arguments dropped because they name a file already in the list.
    public var duplicates: [String]
    /// Files inside the given directories passed over as media (an image, a PDF, a font, model
    /// weights: ``isPassedOver(_:)``), not read; a file named explicitly is always read.
    public var media: [String] = []

  }

  /// Names of files that hold no text Contam reads: images, audio, video, fonts, PDF and office
  /// documents, compiled code, model weights.
  static let mediaExtensions: Set<String> = [
    "png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp", "ico", "icns", "heic", "avif", "psd",
    "mp3", "wav", "flac", "ogg", "m4a", "aac", "opus", "mp4", "m4v", "mkv", "avi", "mov", "webm", "wmv",
    "ttf", "otf", "woff", "woff2", "eot", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods",
    "odp", "epub", "exe", "dll", "so", "dylib", "o", "a", "class", "jar", "pyc", "whl", "db", "sqlite",
    "sqlite3", "npy", "npz", "pt", "pth", "ckpt", "safetensors", "onnx", "h5", "hdf5", "pkl", "pickle",
  ]

  /// Whether a file met in a directory walk is passed over: its name says media (an image, a
  /// PDF, model weights: ``mediaExtensions``) and its first bytes agree (they are not text, and
  /// not gzip, zstd, Parquet or an archive Contam names). Every other file is read: a corpus
  /// kept as `.md`, `.html`, `.csv` or `.py` files, or compressed as `.xz` (refused by name
  /// then, and counted), was once passed over by name while the run read clean; a text file
  /// named `.png` is read too.
  public static func isPassedOver(_ path: String) -> Bool {
    let name = (path as NSString).lastPathComponent.lowercased()
    guard let dot = name.lastIndex(of: "."), mediaExtensions.contains(String(name[name.index(after: dot)...])) else {
      return false
    }
    // An unreadable file is read, so that the reader reports it.
    guard let file = FileHandle(forReadingAtPath: path), let head = try? file.read(upToCount: 4096), !head.isEmpty else {
      return false
    }
    try? file.close()
    return _TextProbe.isMedia(Array(head), complete: head.count < 4096)
  }

  /// Resolves `arguments`: a directory gives every regular file below it (recursively; hidden
  /// entries are listed in ``Resolution/hidden``), a pattern with `*`, `?` or `[` gives its
  /// matches, a file is kept as given.
  /// - Parameters:
  ///   - arguments: files, directories and glob patterns.
  ///   - passOverMedia: in directories, pass over media files (``isPassedOver(_:)``); false
  ///     reads every file (a benchmark directory).
  /// - Throws: ``ContamError/Code/invalidArgument`` naming the first argument that gives no
  ///   file, or a file name that is not UTF-8.
  public static func resolve(_ arguments: [String], passOverMedia: Bool = true) throws(ContamError) -> Resolution {
    guard !arguments.isEmpty else { throw ContamError(.invalidArgument, "no shards given") }
    var out: [String] = []
    var hidden: [String] = []
    var media: [String] = []
    let fm = FileManager.default
    for argument in arguments {
      var isDirectory: ObjCBool = false
      if argument == FileSource.standardInput {
        // Standard input, read once as one shard (codec by its magic bytes).
        guard !out.contains(argument) else { throw ContamError(.invalidArgument, path: argument, "standard input given twice") }
        out.append(argument)
      } else if fm.fileExists(atPath: argument, isDirectory: &isDirectory) {
        if isDirectory.boolValue {
          let before = out.count
          var visited = Set<String>()
          try walk(argument, into: &out, hidden: &hidden, media: &media, visited: &visited)
          if out.count == before && (passOverMedia || media.isEmpty) {
            throw ContamError(
              .invalidArgument, path: argument,
              "the directory holds no shard files\(media.isEmpty ? "" : " (only media files, such as \((media.last! as NSString).lastPathComponent))")")
          }
        } else {
          out.append(argument)
        }
      } else if isSymbolicLink(argument) {
        // A dangling link named explicitly is kept: the reader reports it as unreadable.
        out.append(argument)
      } else if argument.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
        let matches = glob(argument)
        guard !matches.isEmpty else { throw ContamError(.invalidArgument, path: argument, "the pattern matches no file") }
        for match in matches {
          if fm.fileExists(atPath: match, isDirectory: &isDirectory), isDirectory.boolValue {
            var visited = Set<String>()
            try walk(match, into: &out, hidden: &hidden, media: &media, visited: &visited)
          } else {
            out.append(match)
          }
        }
      } else {
        throw ContamError(.invalidArgument, path: argument, "no such file or directory")
      }
    }
    if !passOverMedia {
      out += media
      media = []
    }
    var seen = Set<String>()
    var paths: [String] = []
    var duplicates: [String] = []
    for path in out.sorted() {
      if seen.insert(path == FileSource.standardInput ? path : realPath(path) ?? path).inserted { paths.append(path) } else { duplicates.append(path) }
    }
    return Resolution(paths: paths, hidden: hidden.sorted(), duplicates: duplicates, media: media.sorted())
  }

  static func isSymbolicLink(_ path: String) -> Bool {
    var status = stat()
    return lstat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFLNK
  }

  /// The canonical absolute path, or nil (a dangling link: kept as given, the reader reports it).
  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// Every non-directory entry below `directory`, by raw `readdir` names so that a name that
  /// is not UTF-8 is seen (and refused) instead of skipped.
  static func walk(
    _ directory: String, into files: inout [String], hidden: inout [String], media: inout [String], visited: inout Set<String>
  )
    throws(ContamError)
  {
    // A directory reached again through a link (a loop, or two links to one place) is walked once.
    guard visited.insert(realPath(directory) ?? directory).inserted else { return }
    guard let handle = opendir(directory) else {
      throw ContamError(.unreadableFile, path: directory, "cannot list the directory: \(String(cString: strerror(errno)))")
    }
    defer { closedir(handle) }
    var entries: [(name: String, isDirectory: Bool)] = []
    while let entry = readdir(handle) {
      let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix(while: { $0 != 0 })) }
      if bytes == [0x2E] || bytes == [0x2E, 0x2E] { continue }
      guard let name = String(validating: bytes, as: UTF8.self) else {
        let escaped = bytes.map { $0 < 0x80 && $0 >= 0x20 ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }.joined()
        throw ContamError(
          .invalidArgument, path: directory, "a file name that is not UTF-8 ('\(escaped)') cannot be recorded exactly; rename it")
      }
      let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
      var isDirectory: ObjCBool = false
      let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
      entries.append((name, exists && isDirectory.boolValue))
    }
    for entry in entries.sorted(by: { $0.name < $1.name }) {
      let path = directory.hasSuffix("/") ? directory + entry.name : directory + "/" + entry.name
      if entry.name.hasPrefix(".") {
        hidden.append(path)
      } else if entry.isDirectory {
        try walk(path, into: &files, hidden: &hidden, media: &media, visited: &visited)
      } else if isPassedOver(path) {
        media.append(path)
      } else if let kind = specialKind(path) {
        // Opening a named pipe waits for a writer: the scan would hang on a file of no text.
        throw ContamError(
          .invalidArgument, path: path,
          "\(kind) inside the directory, not a file: remove it, or give the shard files themselves (a pipe named on the command line is read)")
      } else {
        // Dangling links and unreadable entries are kept so that the reader reports them.
        files.append(path)
      }
    }
  }

  /// What a directory entry is when it is no file, directory or link (a link is followed): "a
  /// named pipe", "a socket", "a device"; nil otherwise.
  static func specialKind(_ path: String) -> String? {
    var status = stat()
    guard stat(path, &status) == 0 else { return nil }
    switch status.st_mode & S_IFMT {
    case S_IFIFO: return "a named pipe"
    case S_IFSOCK: return "a socket"
    case S_IFCHR, S_IFBLK: return "a device"
    default: return nil
    }
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
