/// RFC 4180 CSV: comma-separated fields, double-quoted fields may hold commas, newlines and
/// doubled quotes. Returns rows of fields; a blank line gives no row. TSV is the same with tabs
/// between fields (as Python's `excel-tab` dialect writes it: quoted where a field holds a tab,
/// a quote or a line break).
@_spi(Testing) public enum CSVParser {
  /// - Throws: ``ContamError/Code/invalidBenchmark`` when a quoted field is never closed
  ///   (it would swallow every row after it), naming the line it opens on.
  public static func parse(_ text: String, separator: UInt8 = UInt8(ascii: ",")) throws(ContamError) -> [[String]] {
    try parseWithLines(text, separator: separator).map(\.fields)
  }

  /// As ``parse(_:)``, with the 1-based line each row starts on (blank lines and quoted line
  /// breaks counted), so a bad row can be named by its line.
  public static func parseWithLines(_ text: String, separator: UInt8 = UInt8(ascii: ",")) throws(ContamError) -> [(line: Int, fields: [String])] {
    var rows: [(line: Int, fields: [String])] = []
    var rowLine = 1
    var row: [String] = []
    var field: [UInt8] = []
    var inQuotes = false
    var fieldStarted = false
    var line = 1
    var quoteLine = 0
    let bytes = Array(text.utf8)
    var i = 0
    func endField() {
      row.append(String(decoding: field, as: UTF8.self))
      field.removeAll(keepingCapacity: true)
      fieldStarted = false
    }
    while i < bytes.count {
      let c = bytes[i]
      if row.isEmpty && !fieldStarted && field.isEmpty && !inQuotes { rowLine = line }
      if c == 0x0A { line += 1 }
      if inQuotes {
        if c == UInt8(ascii: "\"") {
          if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
            field.append(c)
            i += 2
            continue
          }
          inQuotes = false
        } else {
          field.append(c)
        }
        i += 1
        continue
      }
      if c == separator {
        endField()
        fieldStarted = true
        i += 1
        continue
      }
      switch c {
      case UInt8(ascii: "\""):
        inQuotes = true
        quoteLine = line
        fieldStarted = true
      case 0x0A, 0x0D:
        if fieldStarted || !field.isEmpty || !row.isEmpty {
          endField()
          rows.append((rowLine, row))
          row = []
        }
        if c == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
      default:
        field.append(c)
        fieldStarted = true
      }
      i += 1
    }
    if inQuotes {
      throw ContamError(
        .invalidBenchmark, line: quoteLine, "a quoted \(separator == 0x09 ? "TSV" : "CSV") field opened on line \(quoteLine) is never closed")
    }
    if fieldStarted || !field.isEmpty || !row.isEmpty {
      endField()
      rows.append((rowLine, row))
    }
    return rows
  }
}
