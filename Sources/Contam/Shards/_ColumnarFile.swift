#if canImport(Glibc)
  import Glibc
#endif

/// What the columnar readers (`Parquet/_ParquetDocuments`, `Arrow/_ArrowDocuments`) share: the
/// file opened by descriptor (they read it at offsets, not as a stream) and the figures they
/// hand back to ``ShardReader``.
enum _ColumnarFile {
  /// What reading a columnar file (Parquet, Arrow) found besides the documents and reported problems.
  struct Figures {
    var lines = 0
    var documents = 0
    var decompressedBytes = 0
    var textFields: [String: Int] = [:]
    /// Problems counted in bulk (rows of a file without the text column), beyond the one reported.
    var uncountedProblems: [ContamError.Code: Int] = [:]
    /// The file broke off (an Arrow stream cut short or damaged): what came after was not read.
    var cutShort = false
  }

  /// Whether another column of `bytes` of text, against the `textBytes` of the column read, is
  /// likely where the records' text is (`text` a title, `content` the page): half as much again
  /// (a copy of the same text in a second column is not more) and 50 bytes a row.
  static func holdsTheText(_ bytes: Int, not textBytes: Int, rows: Int) -> Bool {
    2 * bytes > 3 * textBytes && bytes >= 50 * rows
  }

  /// The file at `path` opened for reading by column, with its size; nil (reported) for
  /// standard input, which `format` ("Parquet") cannot be read from, or a file that cannot be opened.
  static func open(_ path: String, format: String, why: String, report: (ContamError) throws -> Void) throws -> (fd: Int32, size: Int)? {
    guard path != FileSource.standardInput else {
      try report(ContamError(.unsupported, path: path, "a \(format) stream on standard input: \(why)"))
      return nil
    }
    let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      try report(ContamError(.unreadableFile, path: path, String(cString: strerror(errno))))
      return nil
    }
    var status = stat()
    fstat(fd, &status)
    return (fd, Int(status.st_size))
  }
}
