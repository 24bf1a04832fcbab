/// RFC 4180 CSV: comma-separated fields, double-quoted fields may hold commas, newlines and
/// doubled quotes. Returns rows of fields; a blank line gives no row.
@_spi(Testing) public enum CSVParser {
  public static func parse(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field: [UInt8] = []
    var inQuotes = false
    var fieldStarted = false
    let bytes = Array(text.utf8)
    var i = 0
    func endField() {
      row.append(String(decoding: field, as: UTF8.self))
      field.removeAll(keepingCapacity: true)
      fieldStarted = false
    }
    while i < bytes.count {
      let c = bytes[i]
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
      switch c {
      case UInt8(ascii: "\""):
        inQuotes = true
        fieldStarted = true
      case UInt8(ascii: ","):
        endField()
        fieldStarted = true
      case 0x0A, 0x0D:
        if fieldStarted || !field.isEmpty || !row.isEmpty {
          endField()
          rows.append(row)
          row = []
        }
        if c == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
      default:
        field.append(c)
        fieldStarted = true
      }
      i += 1
    }
    if fieldStarted || !field.isEmpty || !row.isEmpty {
      endField()
      rows.append(row)
    }
    return rows
  }
}
