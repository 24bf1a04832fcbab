#if canImport(Glibc)
  import Glibc
#endif

/// The documents of a Parquet shard: one per row whose text column holds a value. The text
/// column is the first of the given field paths (dotted for nested structs: `meta.content`;
/// through a list for chat records: `messages[].content`, each row's values joined) that the
/// file has; the id column is read when asked for and present. Row groups are read
/// one at a time, only the text and id column chunks of each, so memory stays at about one
/// row group's text. A document's `line` is its 1-based row number in the file.
enum _ParquetDocuments {
  typealias Figures = _ColumnarFile.Figures

  static func read(
    path: String, textFields: [FieldPath], idField: FieldPath?,
    report: (ContamError) throws -> Void, onDocument: (Document) throws -> Void
  ) throws -> Figures {
    var counts = Figures()
    guard let (fd, size) = try _ColumnarFile.open(path, format: "Parquet", why: "Parquet needs a file (its footer is at the end)", report: report) else {
      return counts
    }
    defer { close(fd) }
    let metadata: ParquetMetadata
    do {
      metadata = try ParquetMetadata.read(fd: fd, size: size)
    } catch {
      try report(ContamError(.corruptData, path: path, "Parquet footer: \(error.message)"))
      return counts
    }
    let names = textFields.map(\.description)
    guard let textColumn = textFields.lazy.compactMap({ metadata.column(for: $0) }).first else {
      let known = metadata.columns.keys.sorted().prefix(12).joined(separator: ", ")
      var rows = 0
      for group in metadata.rowGroups { rows += group.rows }
      counts.lines = rows
      // A text column inside a list (a chat record's turns) is named through `[]`.
      let listed = metadata.columns.values.filter { $0.maxRepetition == 1 && $0.physicalType == 6 }.map(\.path).sorted()
        .lazy.compactMap { path -> String? in
          guard let wrapper = path.range(of: ".list.element") ?? path.range(of: ".bag.array_element") else { return nil }
          return path[..<wrapper.lowerBound] + "[]" + path[wrapper.upperBound...]
        }.first { $0.hasSuffix(".content") || $0.hasSuffix(".value") || $0.hasSuffix(".text") || $0.hasSuffix("[]") }
      let through = listed.map { "; a column inside a list is read through '[]': --text-field '\($0)'" } ?? ""
      if rows > 0 {
        try report(
          ContamError(
            .missingField, path: path,
            "no column \(names.map { "'\($0)'" }.joined(separator: " or ")) (the file has: \(known)\(through)); its \(rows) rows are skipped"))
        counts.uncountedProblems[.missingField, default: 0] += rows - 1
      }
      return counts
    }
    if metadata.repeatedPaths.contains(textColumn.path) {
      // Reading one, a copy in the other would read clean.
      let rows = metadata.rowGroups.reduce(0) { $0 + $1.rows }
      counts.lines = rows
      if rows > 0 {
        try report(
          ContamError(
            .unsupported, path: path,
            "the schema has two columns '\(textColumn.path)': rename one (or write the file again) so that the text is one column; its \(rows) rows are skipped"))
        counts.uncountedProblems[.unsupported, default: 0] += rows - 1
      }
      return counts
    }
    if let larger = metadata.largerTextColumn(than: textColumn) {
      try report(
        ContamError(
          .unreadField, path: path,
          "column '\(larger.path)' holds more text than '\(textColumn.path)', the column read (\(larger.bytes) bytes against \(larger.textBytes)): a copy there is not seen; to read it: --text-field '\(larger.path)'"
        ))
    }
    let idColumn = idField.flatMap { metadata.columns[$0.description] }
    var row = 0
    // One decoder per column and one chunk buffer, reused by every row group.
    var textDecoder = _ParquetColumnDecoder(column: textColumn, codec: 0)
    var idDecoder = idColumn.map { _ParquetColumnDecoder(column: $0, codec: 0, rendersNumbers: true) }
    var chunkBytes: [UInt8] = []
    for (g, group) in metadata.rowGroups.enumerated() {
      defer { row += group.rows }
      counts.lines += group.rows
      func decode(_ decoder: inout _ParquetColumnDecoder) throws(_ThriftReader.Failure) {
        let column = decoder.column
        guard let chunk = group.chunks[column.path] else { throw .init(message: "row group without column '\(column.path)'") }
        decoder.reset(codec: chunk.codec)
        try ParquetMetadata.pread(fd: fd, offset: chunk.start, count: chunk.length, into: &chunkBytes)
        try decoder.decode(chunk: chunkBytes, rows: group.rows, slots: chunk.values)
      }
      do {
        try decode(&textDecoder)
        // Safe: checked non-nil on the same line.
        if idDecoder != nil { try decode(&idDecoder!) }
      } catch {
        try report(
          ContamError(
            .corruptData, path: path, line: row + 1,
            "row group \(g + 1) (rows \(row + 1)–\(row + group.rows)): \(error.message); its \(group.rows) rows are skipped"))
        // Each row of the group is lost: counted as such, so a damaged group of many rows weighs
        // in the skipped-records gate as what it is, not as one record.
        counts.uncountedProblems[.corruptData, default: 0] += group.rows - 1
        continue
      }
      let text = textDecoder
      let ids = idDecoder
      counts.decompressedBytes += text.arena.count
      try text.arena.withUnsafeBytes { textBytes in
        try (ids?.arena ?? []).withUnsafeBytes { idBytes in
          for r in 0..<group.rows {
            guard let range = text.values[r] else {
              try report(ContamError(.missingField, path: path, line: row + r + 1, "column '\(textColumn.path)' is null"))
              continue
            }
            guard !range.isEmpty else {
              let what = textColumn.maxRepetition > 0 ? "holds no text (a list without a value that is not empty)" : "is an empty string"
              try report(ContamError(.emptyText, path: path, line: row + r + 1, "column '\(textColumn.path)' \(what)"))
              continue
            }
            counts.documents += 1
            if textFields.count > 1 { counts.textFields[textColumn.path, default: 0] += 1 }
            let id = ids?.values[r].map { UnsafeRawBufferPointer(rebasing: idBytes[$0]) }
            try onDocument(
              Document(
                shardPath: path, line: row + r + 1, lineOffset: 0, idBytes: id, text: UnsafeRawBufferPointer(rebasing: textBytes[range])))
          }
        }
      }
    }
    return counts
  }
}
