import CZstd

#if canImport(Glibc)
  import Glibc
#endif

/// The documents of an Arrow IPC file or stream: a Hugging Face `datasets` cache or
/// `save_to_disk` file (`data-00000-of-00001.arrow`, the stream form) or a file written with
/// `pyarrow.ipc.new_file` (which opens with `ARROW1`). One document per row whose text column
/// holds a value; its `line` is the row's number in the file, from 1.
///
/// The format (arrow.apache.org, "Columnar Format", IPC): messages, each a continuation marker
/// (`FF FF FF FF`; absent before format 0.15), the length of its metadata, the metadata (a
/// FlatBuffers `Message`: a schema, a dictionary batch or a record batch) and a body of buffers.
/// A record batch lists a node (length, null count) per field, depth first, and its buffers in
/// the same order: for a string column a validity bitmap, offsets (32-bit for `string`, 64-bit
/// for `large_string`) and the characters. Buffers may be compressed one by one (ZSTD read;
/// LZ4 refused by name). The text column is the first of the given field paths the schema has,
/// top level or inside structs (`meta.content`); the id column is read when asked for. Messages
/// are read one at a time, so memory stays at about one record batch.
enum _ArrowDocuments {
  typealias Figures = _ColumnarFile.Figures

  typealias Failure = _FlatBufferTable.Failure

  /// A field of the schema: its name, its type (the FlatBuffers `Type` union's number), whether
  /// it is dictionary-encoded, and its children.
  struct Field {
    var name: String
    var type: UInt8
    var dictionary: Bool
    var denseUnion: Bool
    /// An `int`'s width in bytes.
    var intBytes: Int
    var children: [Field]

    var isString: Bool { !dictionary && (type == _ArrowDocuments.utf8 || type == _ArrowDocuments.largeUtf8) }
    /// A list, large list, fixed-size list, map or list view: its one child is its element.
    var isList: Bool { [12, 16, 17, 21, 25, 26].contains(type) }
  }

  /// A column a field path names: the field, and for a path through a list (`messages[].content`)
  /// the list's own path (`messages`); `nested` when there is a list inside that list.
  struct Column {
    var field: Field
    var list: String? = nil
    var nested = false
    var repeated = false
  }

  /// Every field of the schema by the path `--text-field` names it with: `meta.content` inside a
  /// struct, `texts[]` for a list's values, `messages[].content` for a field of a list's structs.
  /// A path the schema has twice (two columns of one name) is marked `repeated`.
  static func columns(_ fields: [Field]) -> [String: Column] {
    var columns: [String: Column] = [:]
    func walk(_ field: Field, _ path: String, list: String?, nested: Bool) {
      if columns[path] == nil { columns[path] = Column(field: field, list: list, nested: nested) } else { columns[path]!.repeated = true }
      guard !field.dictionary else { return }
      if field.isList, let element = field.children.first {
        walk(element, path + "[]", list: list ?? path, nested: list != nil)
      } else {
        for child in field.children { walk(child, path + "." + child.name, list: list, nested: nested) }
      }
    }
    for field in fields { walk(field, field.name, list: nil, nested: false) }
    return columns
  }

  /// The `Type` numbers of the columns that hold text: `string` and `large_string`.
  static let utf8: UInt8 = 5
  static let largeUtf8: UInt8 = 20
  /// `int` (an id column of numbers).
  static let int: UInt8 = 2

  static func read(
    path: String, textFields: [FieldPath], idField: FieldPath?,
    report: (ContamError) throws -> Void, onDocument: (Document) throws -> Void
  ) throws -> Figures {
    var counts = Figures()
    guard let (fd, size) = try _ColumnarFile.open(path, format: "Arrow", why: "give the .arrow file's path", report: report) else {
      return counts
    }
    defer { close(fd) }
    var offset = 0
    // The file form: `ARROW1`, two bytes of padding, then the stream's messages.
    if let head = try? ParquetMetadata.pread(fd: fd, offset: 0, count: min(size, 8)), head.starts(with: Array("ARROW1".utf8)) { offset = 8 }

    var fields: [Field]?
    var columns: [String: Column] = [:]
    var version: Int16 = 4
    var text: (path: String, column: Column)?
    // Whether the first record batch was asked for a column with more text than the one read.
    var comparedColumns = false
    var id: Field?
    var idPath = ""
    // Rows of batches whose text column could not be read, for one problem said once.
    var unreadable: (code: ContamError.Code, message: String, rows: Int)?
    do {
      while offset < size {
        var length = Int(try load(Int32.self, fd: fd, at: offset, size: size))
        offset += 4
        if length == -1 {
          length = Int(try load(Int32.self, fd: fd, at: offset, size: size))
          offset += 4
        }
        if length == 0 { break }  // the end-of-stream marker (the file form's footer follows it)
        guard length > 0, length <= size - offset else { throw Failure(message: "a message of \(length) bytes where \(size - offset) are left") }
        let message = try _FlatBufferTable(root: try bytes(fd: fd, at: offset, count: length))
        offset += length
        version = try message.scalar(0, default: Int16(4))
        let kind: UInt8 = try message.scalar(1, default: 0)
        let bodyLength = Int(try message.scalar(3, default: Int64(0)))
        guard bodyLength >= 0, bodyLength <= size - offset else {
          throw Failure(message: "a message body of \(bodyLength) bytes where \(size - offset) are left")
        }
        defer { offset += bodyLength }
        guard let header = try message.table(2) else { throw Failure(message: "a message without its header") }
        switch kind {
        case 1:  // Schema
          guard fields == nil else { continue }
          if try header.scalar(0, default: Int16(0)) != 0 {
            try report(ContamError(.unsupported, path: path, "a big-endian Arrow file: write it again on this machine (or as Parquet)"))
            return counts
          }
          fields = try header.tables(1).map { try field($0, depth: 0) }
          columns = Self.columns(fields!)
          text = textFields.lazy.compactMap { path in columns[path.description].map { (path.description, $0) } }.first
          if let idField, let found = columns[idField.description], found.list == nil {
            id = found.field
            idPath = idField.description
          }
          if let (name, column) = text, column.repeated {
            // Which of two columns of one name the records mean is not for a guess: reading the
            // first, a copy in the second would read clean.
            unreadable = (.unsupported, "the schema has two columns '\(name)': rename one (or write the file again) so that the text is one column", 0)
          } else if let (name, column) = text, column.field.dictionary || !column.field.isString || column.nested {
            let what =
              column.field.dictionary
              ? "dictionary-encoded" : column.nested ? "inside a list inside a list" : "not a string column (Arrow type \(column.field.type))"
            unreadable = (.unsupported, "column '\(name)' is \(what): write it as Parquet (or cast it to string) first", 0)
          } else if text == nil {
            let names = fields!.map(\.name).prefix(12).joined(separator: ", ")
            let listed = columns.keys.sorted().first { $0.contains("[]") && columns[$0]!.field.isString && !columns[$0]!.nested }
            let through = listed.map { "; a column inside a list is read through '[]': --text-field '\($0)'" } ?? ""
            unreadable = (.missingField, "no column \(textFields.map { "'\($0.description)'" }.joined(separator: " or ")) (the file has: \(names)\(through))", 0)
          }
          if let field = id, field.dictionary || ![utf8, largeUtf8, int].contains(field.type) || (field.type == int && field.intBytes == 0) { id = nil }
        case 3:  // RecordBatch
          guard let fields else { throw Failure(message: "a record batch before the schema") }
          let rows = Int(try header.scalar(0, default: Int64(0)))
          guard rows >= 0, rows <= max(1 << 20, bodyLength << 3) else { throw Failure(message: "a record batch of \(rows) rows in \(bodyLength) bytes") }
          let first = counts.lines
          counts.lines += rows
          // LZ4 (the `BodyCompression` codec's default, 0) is not read: said once, rows counted.
          if unreadable == nil, let compression = try header.table(3), try compression.scalar(0, default: Int8(0)) == 0 {
            unreadable = (.unsupported, "its buffers are LZ4-compressed, which Contam does not read: write it with compression='zstd' or none, or as Parquet", 0)
          }
          if unreadable != nil {
            unreadable!.rows += rows
            continue
          }
          let batch = try Batch(header, body: try bytes(fd: fd, at: offset, count: bodyLength), fields: fields, version: version)
          let textColumn = try batch.strings(text!.path, rows: rows, column: text!.column)
          let ids = try id.map { field throws(Failure) in try batch.strings(idPath, rows: rows, column: Column(field: field)) }
          if !comparedColumns {
            comparedColumns = true
            if let (other, bytes) = try batch.largerTextColumn(than: text!.path, textBytes: textColumn.data.count, rows: rows, columns: columns) {
              try report(
                ContamError(
                  .unreadField, path: path,
                  "column '\(other)' holds more text than '\(text!.path)', the column read (\(bytes) bytes against \(textColumn.data.count) in the first record batch): a copy there is not seen; to read it: --text-field '\(other)'"
                ))
            }
          }
          counts.decompressedBytes += textColumn.data.count
          try textColumn.data.withUnsafeBytes { textBytes in
            try (ids?.data ?? []).withUnsafeBytes { idBytes in
              for r in 0..<rows {
                guard let range = textColumn.values[r] else {
                  try report(ContamError(.missingField, path: path, line: first + r + 1, "column '\(text!.path)' is null"))
                  continue
                }
                guard !range.isEmpty else {
                  let what = text!.column.list != nil ? "holds no text (a list without a value that is not empty)" : "is an empty string"
                  try report(ContamError(.emptyText, path: path, line: first + r + 1, "column '\(text!.path)' \(what)"))
                  continue
                }
                counts.documents += 1
                if textFields.count > 1 { counts.textFields[text!.path, default: 0] += 1 }
                let id = ids?.values[r].map { UnsafeRawBufferPointer(rebasing: idBytes[$0]) }
                try onDocument(
                  Document(
                    shardPath: path, line: first + r + 1, lineOffset: 0, idBytes: id, text: UnsafeRawBufferPointer(rebasing: textBytes[range])))
              }
            }
          }
        default:
          continue  // a dictionary batch (of a column not read), a tensor
        }
      }
      if fields == nil { throw Failure(message: "no schema message") }
    } catch let failure as Failure {
      try report(ContamError(.corruptData, path: path, line: counts.lines + 1, "Arrow IPC: \(failure.message); the rest of the file is not read"))
      counts.cutShort = true
    }
    if let unreadable, unreadable.rows > 0 {
      try report(ContamError(unreadable.code, path: path, "\(unreadable.message); its \(unreadable.rows) rows are skipped"))
      counts.uncountedProblems[unreadable.code, default: 0] += unreadable.rows - 1
    }
    return counts
  }

  /// A little-endian integer of the file at `offset`.
  static func load<T: FixedWidthInteger>(_ type: T.Type, fd: Int32, at offset: Int, size: Int) throws(Failure) -> T {
    let count = MemoryLayout<T>.size
    guard offset + count <= size else { throw Failure(message: "the file ends inside a message's header") }
    return try _FlatBufferTable.load(T.self, try bytes(fd: fd, at: offset, count: count), at: 0)
  }

  /// `count` bytes of the file at `offset`.
  static func bytes(fd: Int32, at offset: Int, count: Int) throws(Failure) -> [UInt8] {
    do {
      return try ParquetMetadata.pread(fd: fd, offset: offset, count: count)
    } catch {
      throw Failure(message: error.message)
    }
  }

  /// A schema `Field` table: name (slot 0), type (1: the union's type, 2: its table), dictionary
  /// (4), children (5). Nesting is bounded: a hostile schema must not exhaust the stack.
  static func field(_ table: _FlatBufferTable, depth: Int) throws(Failure) -> Field {
    guard depth < 64 else { throw Failure(message: "fields nested more than 64 deep") }
    let type: UInt8 = try table.scalar(2, default: 0)
    // A union's mode (slot 0 of its `Union` table): 1 is dense.
    let dense = type == 14 ? try table.table(3)?.scalar(0, default: Int16(0)) == 1 : false
    // An int's `bitWidth` (slot 0 of its `Int` table).
    let bits = type == int ? Int(try table.table(3)?.scalar(0, default: Int32(0)) ?? 0) : 0
    var children: [Field] = []
    for child in try table.tables(5) { children.append(try field(child, depth: depth + 1)) }
    return Field(
      name: try table.string(0) ?? "", type: type, dictionary: try table.table(4) != nil, denseUnion: dense,
      intBytes: [8, 16, 32, 64].contains(bits) ? bits / 8 : 0, children: children)
  }

  /// One record batch's nodes and buffers, placed by the schema.
  struct Batch {
    let body: [UInt8]
    /// Per field path (as ``_ArrowDocuments/columns(_:)`` names it): its node's position and its
    /// first buffer's, and its type.
    var placed: [String: (node: Int, buffer: Int)] = [:]
    var placedType: [String: UInt8] = [:]
    let nodes: (start: Int, count: Int)
    let buffers: (start: Int, count: Int)
    let metadata: [UInt8]
    /// The body compression's codec (0: LZ4, 1: ZSTD), or nil.
    let codec: Int8?

    init(_ header: _FlatBufferTable, body: [UInt8], fields: [Field], version: Int16) throws(Failure) {
      self.body = body
      metadata = header.bytes
      nodes = try header.vector(1, elementSize: 16) ?? (0, 0)
      buffers = try header.vector(2, elementSize: 16) ?? (0, 0)
      codec = try header.table(3).map { table throws(Failure) in try table.scalar(0, default: Int8(0)) }
      let variadic = try header.vector(4, elementSize: 8)
      var variadicCounts: [Int] = []
      if let variadic {
        for k in 0..<variadic.count { variadicCounts.append(Int(try _FlatBufferTable.load(Int64.self, metadata, at: variadic.start + 8 * k))) }
      }
      var node = 0
      var buffer = 0
      var view = 0
      // Paths as ``_ArrowDocuments/columns(_:)`` names them.
      func place(_ field: Field, _ path: String) throws(Failure) {
        if placed[path] == nil {
          placed[path] = (node, buffer)
          placedType[path] = field.type
        }
        node += 1
        if field.dictionary {
          buffer += 2
          return
        }
        switch field.type {
        case 1, 22: break  // Null, run-end encoded: no buffers of their own
        case 4, 5, 19, 20, 25, 26: buffer += 3
        case 23, 24:
          guard view < variadicCounts.count, variadicCounts[view] >= 0 else { throw Failure(message: "a view column without its buffer count") }
          buffer += 2 + variadicCounts[view]
          view += 1
        case 13, 16: buffer += 1
        case 14: buffer += (field.denseUnion ? 2 : 1) + (version < 4 ? 1 : 0)
        default: buffer += 2
        }
        if field.isList, let element = field.children.first {
          try place(element, path + "[]")
        } else {
          for child in field.children { try place(child, path + "." + child.name) }
        }
      }
      for field in fields { try place(field, field.name) }
    }

    /// The bytes of buffer `k`, decompressed when the body is.
    func buffer(_ k: Int) throws(Failure) -> ArraySlice<UInt8> {
      guard k < buffers.count else { throw Failure(message: "a record batch with \(buffers.count) buffers where the schema needs more") }
      let offset = Int(try _FlatBufferTable.load(Int64.self, metadata, at: buffers.start + 16 * k))
      let length = Int(try _FlatBufferTable.load(Int64.self, metadata, at: buffers.start + 16 * k + 8))
      guard offset >= 0, length >= 0, offset <= body.count, length <= body.count - offset else {
        throw Failure(message: "buffer \(k) (\(length) bytes at \(offset)) outside the body of \(body.count) bytes")
      }
      let raw = body[offset..<(offset + length)]
      guard let codec, !raw.isEmpty else { return raw }
      // Each compressed buffer: its length uncompressed (-1: stored as it is), then the data.
      guard raw.count >= 8 else { throw Failure(message: "compressed buffer \(k) of \(raw.count) bytes") }
      let plain = Int(try _FlatBufferTable.load(Int64.self, Array(raw.prefix(8)), at: 0))
      if plain == -1 { return raw.dropFirst(8) }
      guard codec == 1 else { throw Failure(message: "buffers compressed with codec \(codec)") }
      guard plain >= 0, plain <= max(1 << 24, raw.count << 10) else { throw Failure(message: "compressed buffer \(k) claims \(plain) bytes") }
      var out = [UInt8](repeating: 0, count: plain)
      let input = Array(raw.dropFirst(8))
      let written = out.withUnsafeMutableBytes { output in
        input.withUnsafeBytes { ZSTD_decompress(output.baseAddress, output.count, $0.baseAddress, $0.count) }
      }
      guard ZSTD_isError(written) == 0, written == plain else { throw Failure(message: "ZSTD buffer \(k) is corrupt") }
      return out[...]
    }

    /// The column at `path` for each of the batch's `rows`: its characters, and per row the range
    /// of its value there (nil: null). Through a list (`messages[].content`), a row's values
    /// that are not null or empty are joined by line breaks, as Parquet's and JSONL's are; a
    /// null list is null.
    func strings(_ path: String, rows: Int, column: Column) throws(Failure) -> (data: ArraySlice<UInt8>, values: [Range<Int>?]) {
      guard let list = column.list else { return try strings(path, rows: rows, field: column.field) }
      guard let (listNode, listBuffer) = placed[list] else { throw Failure(message: "column '\(list)' not placed") }
      let listValidity = try validity(buffer: listBuffer, nulls: try nodeNulls(listNode, path: list, rows: rows), rows: rows, path: list)
      let offsets = try buffer(listBuffer + 1)
      guard let listType = placedType[list] else { throw Failure(message: "column '\(list)' not placed") }
      let width = listType == 21 ? 8 : 4
      guard listType == 12 || listType == 21 else { throw Failure(message: "column '\(list)' is a list of a kind not read (Arrow type \(listType)); write it as Parquet first") }
      guard offsets.count >= (rows + 1) * width else { throw Failure(message: "the offsets of '\(list)' are too short") }
      let elements = try nodeLength(placed[path]?.node ?? -1, path: path)
      let inner = try strings(path, rows: elements, field: column.field)
      // The list's element, when it is a struct holding the column: a null struct holds no value.
      var structValidity: ArraySlice<UInt8> = []
      if list + "[]" != path, let (elementNode, elementBuffer) = placed[list + "[]"] {
        let nulls = try nodeNulls(elementNode, path: list + "[]", rows: elements)
        structValidity = try validity(buffer: elementBuffer, nulls: nulls, rows: elements, path: list + "[]")
      }
      func offset(_ r: Int) -> Int { Self.integer(offsets, at: r * width, width: width) }
      var data: [UInt8] = []
      var values: [Range<Int>?] = []
      values.reserveCapacity(rows)
      for r in 0..<rows {
        if Self.isNull(listValidity, r) {
          values.append(nil)
          continue
        }
        let start = offset(r)
        let end = offset(r + 1)
        guard start >= 0, start <= end, end <= elements else { throw Failure(message: "row \(r + 1) of '\(list)' points outside its values") }
        let from = data.count
        for e in start..<end where !Self.isNull(structValidity, e) {
          guard let range = inner.values[e], !range.isEmpty else { continue }
          if data.count > from { data.append(0x0A) }
          let base = inner.data.startIndex
          data += inner.data[(base + range.lowerBound)..<(base + range.upperBound)]
        }
        values.append(from..<data.count)
      }
      return (data[...], values)
    }

    /// The length and null count of node `node`, the first checked to be `rows`.
    func nodeNulls(_ node: Int, path: String, rows: Int) throws(Failure) -> Int {
      let length = try nodeLength(node, path: path)
      guard length == rows else { throw Failure(message: "column '\(path)' has \(length) values where \(rows) are expected") }
      return Int(try _FlatBufferTable.load(Int64.self, metadata, at: nodes.start + 16 * node + 8))
    }

    func nodeLength(_ node: Int, path: String) throws(Failure) -> Int {
      guard node >= 0, node < nodes.count else { throw Failure(message: "a record batch with \(nodes.count) field nodes where the schema needs more") }
      let length = Int(try _FlatBufferTable.load(Int64.self, metadata, at: nodes.start + 16 * node))
      guard length >= 0, length <= max(1 << 20, body.count << 3) else { throw Failure(message: "column '\(path)' claims \(length) values") }
      return length
    }

    /// The validity bitmap in buffer `buffer` for `rows` values, empty when none is null; one too
    /// short for them is a failure, never a read past it.
    func validity(buffer index: Int, nulls: Int, rows: Int, path: String) throws(Failure) -> ArraySlice<UInt8> {
      guard nulls > 0 else { return [] }
      let bits = try buffer(index)
      guard bits.count * 8 >= rows else { throw Failure(message: "the validity bitmap of '\(path)' is too short") }
      return bits
    }

    static func isNull(_ validity: ArraySlice<UInt8>, _ r: Int) -> Bool {
      !validity.isEmpty && validity[validity.startIndex + r >> 3] & (1 << UInt8(r & 7)) == 0
    }

    /// A little-endian integer of `width` bytes at `at` from the slice's start, sign-extended.
    static func integer(_ bytes: ArraySlice<UInt8>, at: Int, width: Int) -> Int {
      var value: Int64 = 0
      for k in 0..<width { value |= Int64(bytes[bytes.startIndex + at + k]) << (8 * k) }
      return width < 8 ? Int((value << (64 - 8 * width)) >> (64 - 8 * width)) : Int(value)
    }

    /// The string column (of those the schema has, flat or through a list) with the most
    /// characters in this batch, when it is not the text column and holds half as much again
    /// as it and 50 bytes a row (Parquet's rule: `text` a title, `content` the page).
    func largerTextColumn(than text: String, textBytes: Int, rows: Int, columns: [String: Column]) throws(Failure) -> (String, Int)? {
      var best: (String, Int)?
      for (path, column) in columns.sorted(by: { $0.key < $1.key }) where path != text && column.field.isString && !column.nested {
        guard let (_, first) = placed[path] else { continue }
        let bytes = try buffer(first + 2).count
        if bytes > (best?.1 ?? 0) { best = (path, bytes) }
      }
      guard let best, _ColumnarFile.holdsTheText(best.1, not: textBytes, rows: rows) else { return nil }
      return best
    }

    /// The string column at `path`: its characters, and per row the range of its value there
    /// (from the characters' start; nil: null). A column of integers is rendered as decimal text.
    func strings(_ path: String, rows: Int, field: Field) throws(Failure) -> (data: ArraySlice<UInt8>, values: [Range<Int>?]) {
      guard let (node, first) = placed[path] else { throw Failure(message: "column '\(path)' not placed") }
      let validity = try self.validity(buffer: first, nulls: try nodeNulls(node, path: path, rows: rows), rows: rows, path: path)
      var values: [Range<Int>?] = []
      values.reserveCapacity(rows)
      if field.type == _ArrowDocuments.int {
        let data = try buffer(first + 1)
        let width = field.intBytes
        guard data.count >= rows * width else { throw Failure(message: "column '\(path)' is too short") }
        var text: [UInt8] = []
        for r in 0..<rows {
          if Self.isNull(validity, r) {
            values.append(nil)
            continue
          }
          let start = text.count
          text += Array(String(Self.integer(data, at: r * width, width: width)).utf8)
          values.append(start..<text.count)
        }
        return (text[...], values)
      }
      let offsets = try buffer(first + 1)
      // The characters as they lie in the body: no copy.
      let data = try buffer(first + 2)
      let width = field.type == _ArrowDocuments.largeUtf8 ? 8 : 4
      guard rows == 0 || offsets.count >= (rows + 1) * width else { throw Failure(message: "the offsets of '\(path)' are too short") }
      for r in 0..<rows {
        if Self.isNull(validity, r) {
          values.append(nil)
          continue
        }
        let start = Self.integer(offsets, at: r * width, width: width)
        let end = Self.integer(offsets, at: (r + 1) * width, width: width)
        guard start >= 0, start <= end, end <= data.count else { throw Failure(message: "row \(r + 1) of '\(path)' points outside its characters") }
        values.append(start..<end)
      }
      return (data, values)
    }
  }
}
