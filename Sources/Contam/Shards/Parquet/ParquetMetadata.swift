#if canImport(Glibc)
  import Glibc
#endif

/// What Contam needs of a Parquet file's footer: its leaf columns (dotted path, physical type,
/// definition and repetition levels) and, per row group, the row count and each column
/// chunk's place in the file and codec.
struct ParquetMetadata {
  struct Column {
    /// `meta.content` for a `content` field inside a `meta` struct.
    var path: String
    /// Parquet's physical type (6 is BYTE_ARRAY, the one text is stored in).
    var physicalType: Int
    /// The definition level of a present value (optional and repeated ancestors, itself included).
    var maxDefinition: Int
    /// Repeated ancestors (lists): 0 for plain and struct columns.
    var maxRepetition: Int
    /// For a column inside a list (one level of repetition): the keys of the list's field
    /// (`choices` for `choices.list.element`), and the keys inside each element (`text` for
    /// `answers.list.element.text`, none for a list of values), without the list's wrapper
    /// levels. Nil for a column outside lists.
    var list: (field: [String], element: [String])? = nil
  }

  struct Chunk {
    var codec: Int
    /// File offset of the chunk's first page (the dictionary page when there is one).
    var start: Int
    var length: Int
    var values: Int
    /// Its pages' bytes decompressed (`total_uncompressed_size`), as the file says.
    var uncompressed: Int = 0
  }

  struct RowGroup {
    var rows: Int
    var chunks: [String: Chunk]
  }

  var rows: Int
  var columns: [String: Column]
  var rowGroups: [RowGroup]
  /// Paths the schema has twice (pyarrow writes two columns of one name): which one a field
  /// means is no guess.
  var repeatedPaths: Set<String> = []

  static let magic: [UInt8] = Array("PAR1".utf8)

  /// The byte-array column (a string column) whose pages hold the most bytes, when it is not
  /// `textColumn` and holds half as much again as it (a copy of the same text in a second
  /// column is not more), and 50 bytes a row: the records' text is likely there
  /// (`text` a title, `content` the page). By the sizes the footer records, without reading a
  /// page; nil when the footer gives no sizes.
  func largerTextColumn(than textColumn: Column) -> (path: String, bytes: Int, textBytes: Int)? {
    var sizes: [String: Int] = [:]
    for group in rowGroups {
      for (path, chunk) in group.chunks where columns[path]?.physicalType == 6 { sizes[path, default: 0] += max(0, chunk.uncompressed) }
    }
    let textBytes = sizes[textColumn.path] ?? 0
    guard let best = sizes.filter({ $0.key != textColumn.path }).max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }),
      _ColumnarFile.holdsTheText(best.value, not: textBytes, rows: rowGroups.reduce(0, { $0 + $1.rows }))
    else { return nil }
    return (best.key, best.value, textBytes)
  }

  /// The column a text field names: its dotted path (`meta.content`), or for a path through a
  /// list (`messages[].content`) the one column inside that list: the keys, the list's wrapper
  /// levels (one or two: `list.element` as Arrow writes it, `bag.array_element`, `array`), then
  /// the element path (none for `texts[]`, a list of strings). Nil when no column, or more than
  /// one, fits.
  func column(for field: FieldPath) -> Column? {
    guard let element = field.element else { return columns[field.description] }
    guard !field.isEveryString else { return nil }
    let head = field.keys
    let tail = element.keys
    let fitting = columns.values.filter { column in
      let parts = column.path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
      guard column.maxRepetition == 1, parts.count > head.count + tail.count, Array(parts.prefix(head.count)) == head,
        Array(parts.suffix(tail.count)) == tail
      else { return false }
      return (1...2).contains(parts.count - head.count - tail.count)
    }
    return fitting.count == 1 ? fitting[0] : nil
  }

  /// Physical type names for messages.
  static func typeName(_ type: Int) -> String {
    ["BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"].indices.contains(type)
      ? ["BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"][type] : "type \(type)"
  }

  /// Reads the footer of the Parquet file open at `fd` (`size` bytes).
  /// - Throws: a message naming what is wrong (bad magic, a length out of range, bad Thrift).
  static func read(fd: Int32, size: Int) throws(_ThriftReader.Failure) -> ParquetMetadata {
    guard size >= 12 else { throw .init(message: "too short for a Parquet file (\(size) bytes)") }
    let tail = try pread(fd: fd, offset: size - 8, count: 8)
    guard Array(tail[4..<8]) == magic else { throw .init(message: "no PAR1 magic at the end: truncated or not Parquet") }
    let length = Int(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
    guard length > 0, length <= size - 12 else { throw .init(message: "footer length \(length) does not fit the file") }
    var reader = _ThriftReader(try pread(fd: fd, offset: size - 8 - length, count: length))
    let footer = try reader.structure()

    // Schema: a depth-first list; the root's children, each with its own children.
    let elements = footer[2]?.list ?? []
    guard !elements.isEmpty else { throw .init(message: "the footer has no schema") }
    var columns: [String: Column] = [:]
    var repeatedPaths: Set<String> = []
    var index = 1
    // `list`: for the nodes below a repeated node, the list's field keys and how many wrapper
    // keys follow them (the repeated node, and its one child in the three-level layout).
    func walk(prefix: [String], definition: Int, repetition: Int, depth: Int, list: (field: [String], wrappers: Int)?) throws(_ThriftReader.Failure) {
      guard index < elements.count, depth < 64 else { throw .init(message: "the schema is malformed") }
      let element = elements[index]
      index += 1
      guard let name = element[4]?.string else { throw .init(message: "a schema element without a name") }
      let kind = element[3]?.int ?? 0  // 0 required, 1 optional, 2 repeated
      let definition = definition + (kind == 0 ? 0 : 1)
      let repetition = repetition + (kind == 2 ? 1 : 0)
      let children = Int(element[5]?.int ?? 0)
      guard children >= 0, children < elements.count else { throw .init(message: "a schema element with \(children) children") }
      var list = list
      if kind == 2 && list == nil {
        // A repeated node inside a field (`choices.list`) or a field itself (a bare repeated one);
        // a group with one child wraps the element in it (`list.element`, `bag.array_element`).
        list = prefix.isEmpty ? ([name], 0) : (prefix, children == 1 ? 2 : 1)
      }
      if children > 0 {
        for _ in 0..<children {
          try walk(prefix: prefix + [name], definition: definition, repetition: repetition, depth: depth + 1, list: list)
        }
      } else {
        let keys = prefix + [name]
        let path = keys.joined(separator: ".")
        var column = Column(path: path, physicalType: Int(element[1]?.int ?? -1), maxDefinition: definition, maxRepetition: repetition)
        if let list { column.list = (list.field, Array(keys.dropFirst(min(keys.count, list.field.count + list.wrappers)))) }
        if columns[path] != nil { repeatedPaths.insert(path) }
        columns[path] = column
      }
    }
    let rootChildren = Int(elements[0][5]?.int ?? 0)
    guard rootChildren >= 0, rootChildren < elements.count else { throw .init(message: "the schema root has \(rootChildren) children") }
    for _ in 0..<rootChildren { try walk(prefix: [], definition: 0, repetition: 0, depth: 0, list: nil) }

    var rowGroups: [RowGroup] = []
    for group in footer[4]?.list ?? [] {
      var chunks: [String: Chunk] = [:]
      for chunk in group[1]?.list ?? [] {
        guard let meta = chunk[3] else { throw .init(message: "a column chunk without metadata (external files are not read)") }
        let path = meta[3]?.list.compactMap(\.string).joined(separator: ".") ?? ""
        let dataOffset = Int(meta[9]?.int ?? -1)
        let dictionaryOffset = meta[11]?.int.map(Int.init)
        let start = dictionaryOffset.map { $0 > 0 ? min($0, dataOffset) : dataOffset } ?? dataOffset
        let length = Int(meta[7]?.int ?? -1)
        guard start >= 4, length >= 0, start <= size - 8, length <= size - 8 - start else {
          throw .init(message: "column chunk '\(path)' lies outside the file")
        }
        // Value slots, as rows below: bounded by what a file of this size can hold.
        let valueCount = Int(meta[5]?.int ?? 0)
        guard (0...max(1 << 20, size << 8)).contains(valueCount) else {
          throw .init(message: "column chunk '\(path)' claims \(valueCount) values in a file of \(size) bytes")
        }
        chunks[path] = Chunk(
          codec: Int(meta[4]?.int ?? 0), start: start, length: length, values: valueCount, uncompressed: Int(meta[6]?.int ?? 0))
      }
      let rows = Int(group[3]?.int ?? -1)
      guard rows >= 0 else { throw .init(message: "a row group with a negative row count") }
      // Per row a decoder keeps a value slot: a count no file of this size can hold (a damaged
      // footer) would be memory allocated for nothing. 256 rows a byte is beyond what run-length
      // coding of real columns reaches.
      guard rows <= max(1 << 20, size << 8) else { throw .init(message: "a row group of \(rows) rows in a file of \(size) bytes") }
      rowGroups.append(RowGroup(rows: rows, chunks: chunks))
    }
    return ParquetMetadata(rows: Int(footer[3]?.int ?? 0), columns: columns, rowGroups: rowGroups, repeatedPaths: repeatedPaths)
  }

  /// `count` bytes at `offset` of `fd`.
  static func pread(fd: Int32, offset: Int, count: Int) throws(_ThriftReader.Failure) -> [UInt8] {
    var bytes: [UInt8] = []
    try pread(fd: fd, offset: offset, count: count, into: &bytes)
    return bytes
  }

  /// `count` bytes at `offset` of `fd` into `bytes`, reusing its memory.
  static func pread(fd: Int32, offset: Int, count: Int, into bytes: inout [UInt8]) throws(_ThriftReader.Failure) {
    if bytes.count != count {
      bytes.removeAll(keepingCapacity: true)
      bytes.append(contentsOf: repeatElement(0, count: count))
    }
    var done = 0
    while done < count {
      let n = bytes.withUnsafeMutableBytes { Glibc.pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done)) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { throw .init(message: n == 0 ? "the file ends early" : "read failed: \(String(cString: strerror(errno)))") }
      done += n
    }
  }
}
