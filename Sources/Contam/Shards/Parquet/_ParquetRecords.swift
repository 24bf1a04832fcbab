import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The rows of a Parquet file as the records a JSON object per row would give
/// (`JSONSerialization`'s values): a string is a `String`, a number or boolean an `NSNumber`, a
/// null `NSNull`, a struct's fields a nested object (`choices.text`), a list an array (of
/// objects for a list of structs). What a benchmark file in Hugging Face's layout holds, read
/// as its JSONL export would be. Columns that are lists of lists, INT96 or fixed-length byte
/// arrays are left out: no benchmark keeps its text there.
enum _ParquetRecords {
  /// Whether the file at `path` is a regular file that starts with Parquet's magic (false when
  /// it cannot be read: the text reader then says why). A pipe is not opened here: it can be
  /// read once, by the text reader.
  static func isParquet(_ path: String) -> Bool {
    var status = stat()
    guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return false }
    guard let file = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? file.close() }
    return (try? file.read(upToCount: 4)).map { Array($0) == ParquetMetadata.magic } ?? false
  }

  /// The rows of the Parquet file at `path`, in order.
  /// - Throws: a message naming what is wrong (an unreadable file, a damaged footer or page).
  static func read(path: String) throws(_ThriftReader.Failure) -> [[String: Any]] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .init(message: String(cString: strerror(errno))) }
    defer { close(fd) }
    var status = stat()
    fstat(fd, &status)
    let metadata = try ParquetMetadata.read(fd: fd, size: Int(status.st_size))
    let columns = metadata.columns.values
      .filter { $0.maxRepetition <= 1 && ($0.physicalType == 6 || _ParquetColumnDecoder.width($0.physicalType) != nil) }
      .sorted { $0.path < $1.path }
    var records: [[String: Any]] = []
    var chunkBytes: [UInt8] = []
    for group in metadata.rowGroups {
      let first = records.count
      records += repeatElement([:], count: group.rows)
      for column in columns {
        guard let chunk = group.chunks[column.path] else { throw .init(message: "a row group without column '\(column.path)'") }
        var decoder = _ParquetColumnDecoder(column: column, codec: chunk.codec, rendersNumbers: true, joinsLists: false)
        try ParquetMetadata.pread(fd: fd, offset: chunk.start, count: chunk.length, into: &chunkBytes)
        try decoder.decode(chunk: chunkBytes, rows: group.rows, slots: chunk.values)
        let value = { (slot: Int) -> Any in
          guard let range = decoder.values[slot] else { return NSNull() }
          return Self.value(decoder.arena[range], physicalType: column.physicalType)
        }
        guard let list = column.list else {
          guard decoder.values.count == group.rows else { throw .init(message: "column '\(column.path)' has not one value a row") }
          let keys = column.path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
          for r in 0..<group.rows { Self.set(value(r), at: keys[...], in: &records[first + r]) }
          continue
        }
        // A list's slots: a row starts at repetition level 0; a row with one slot and no value
        // holds an empty (or null) list.
        guard decoder.repetitions.count == decoder.values.count, decoder.repetitions.first ?? 0 == 0 else {
          throw .init(message: "column '\(column.path)': repetition levels do not match its values")
        }
        var row = -1
        var slots: [Int] = []
        func flush() {
          guard row >= 0, row < group.rows else { return }
          let elements = slots.count == 1 && decoder.values[slots[0]] == nil ? [] : slots.map(value)
          Self.setList(elements, field: list.field[...], element: list.element, in: &records[first + row])
        }
        for (slot, level) in decoder.repetitions.enumerated() {
          if level == 0 {
            flush()
            row += 1
            slots.removeAll(keepingCapacity: true)
          }
          slots.append(slot)
        }
        flush()
        guard row + 1 == group.rows else { throw .init(message: "column '\(column.path)' has \(row + 1) rows of \(group.rows)") }
      }
    }
    return records
  }

  /// A value as `JSONSerialization` would give it: a string, or a number or boolean from the
  /// decoder's text of it.
  static func value(_ bytes: ArraySlice<UInt8>, physicalType: Int) -> Any {
    let text = String(decoding: bytes, as: UTF8.self)
    switch physicalType {
    case 0: return NSNumber(value: text == "true")
    case 1, 2: return Int64(text).map { NSNumber(value: $0) } ?? NSNull()
    case 4: return Float(text).map { NSNumber(value: $0) } ?? NSNull()
    case 5: return Double(text).map { NSNumber(value: $0) } ?? NSNull()
    default: return text
    }
  }

  /// Sets `value` at the dotted `keys` in `record`, making the objects on the way.
  static func set(_ value: Any, at keys: ArraySlice<String>, in record: inout [String: Any]) {
    guard let key = keys.first else { return }
    if keys.count == 1 {
      record[key] = value
      return
    }
    var inner = record[key] as? [String: Any] ?? [:]
    set(value, at: keys.dropFirst(), in: &inner)
    record[key] = inner
  }

  /// Sets a row's list: the values themselves (`element` empty), or each value at `element`
  /// in the list's i-th object (a list of structs, whose fields are columns of their own).
  static func setList(_ values: [Any], field: ArraySlice<String>, element: [String], in record: inout [String: Any]) {
    guard let key = field.first else { return }
    if field.count > 1 {
      var inner = record[key] as? [String: Any] ?? [:]
      setList(values, field: field.dropFirst(), element: element, in: &inner)
      record[key] = inner
      return
    }
    guard !element.isEmpty else {
      record[key] = values
      return
    }
    var objects = record[key] as? [[String: Any]] ?? []
    if objects.count < values.count { objects += repeatElement([:], count: values.count - objects.count) }
    for (i, value) in values.enumerated() { set(value, at: element[...], in: &objects[i]) }
    record[key] = objects
  }
}
