/// Common Crawl WET files: WARC records, each a header block (`WARC/1.0`, `Name: value`
/// lines, a blank line) and `Content-Length` bytes of content. Every `conversion` record is one
/// document, its `WARC-Target-URI` the document id, its `line` the record's 1-based ordinal
/// in the file; `warcinfo` and other records are passed over. Content longer than the line
/// limit is skipped without being held; a header that is not WARC ends the shard with a
/// problem naming the record.
enum _WETRecords {
  struct Figures {
    var records = 0
    var documents = 0
    var decompressedBytes = 0
  }

  static func read(
    path: String, source: ByteSource, maxBytes: Int, report: (ContamError) throws -> Void,
    onDocument: (Document) throws -> Void
  ) throws -> Figures {
    var figures = Figures()
    var buffer: [UInt8] = []
    var start = 0  // first unread byte in buffer
    var streamOffset = 0  // stream offset of buffer[0]
    var ended = false
    let chunk = 1 << 20
    var scratch = [UInt8](repeating: 0, count: chunk)

    /// Reads more bytes; false at the end of the stream (or a stream fault, reported).
    func more() throws -> Bool {
      if ended { return false }
      if start > 0 && start >= buffer.count / 2 {
        buffer.removeFirst(start)
        streamOffset += start
        start = 0
      }
      do {
        let got = try scratch.withUnsafeMutableBytes { try source.read(into: $0) }
        if got == 0 {
          ended = true
          return false
        }
        figures.decompressedBytes += got
        buffer.append(contentsOf: scratch[0..<got])
        return true
      } catch let error as ContamError {
        ended = true
        try report(error)
        return false
      }
    }

    /// The index just past the next `\r\n\r\n` (or `\n\n`) at or after `from`, reading as needed.
    func headerEnd() throws -> (end: Int, next: Int)? {
      // Bytes after `start` already searched: relative, because `more()` may move the buffer.
      var searched = 0
      while true {
        var i = start + searched
        while i + 1 < buffer.count {
          if buffer[i] == 0x0A {
            if buffer[i + 1] == 0x0A { return (i, i + 2) }
            if buffer[i + 1] == 0x0D, i + 2 < buffer.count, buffer[i + 2] == 0x0A { return (i, i + 3) }
          }
          i += 1
        }
        searched = max(0, buffer.count - 3 - start)
        guard buffer.count - start <= 1 << 20 else { return nil }  // a header over 1 MiB is not WARC
        guard try more() else { return nil }
      }
    }

    while true {
      // Skip blank lines between records.
      while true {
        while start < buffer.count && (buffer[start] == 0x0D || buffer[start] == 0x0A) { start += 1 }
        if start < buffer.count { break }
        guard try more() else { return figures }
      }
      let recordOffset = streamOffset + start
      guard let (end, next) = try headerEnd() else {
        if buffer.count > start {
          try report(
            ContamError(.corruptData, path: path, line: figures.records + 1, offset: recordOffset, "a WARC record header that never ends"))
        }
        return figures
      }
      figures.records += 1
      let header = String(decoding: buffer[start..<end], as: UTF8.self)
      var fields: [String: String] = [:]
      let lines = header.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
      guard let first = lines.first, first.hasPrefix("WARC/") else {
        try report(ContamError(.corruptData, path: path, line: figures.records, offset: recordOffset, "not a WARC record (no WARC/ version line)"))
        return figures
      }
      for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      }
      guard let lengthText = fields["content-length"], let length = Int(lengthText), length >= 0 else {
        try report(ContamError(.corruptData, path: path, line: figures.records, offset: recordOffset, "a WARC record without a valid Content-Length"))
        return figures
      }
      start = next
      if length > maxBytes {
        try report(
          ContamError(.lineTooLong, path: path, line: figures.records, offset: recordOffset, "a record of \(length) bytes, over the limit; skipped"))
        var left = length
        while left > 0 {
          let take = min(left, buffer.count - start)
          start += take
          left -= take
          if left > 0 { guard try more() else { break } }
        }
        continue
      }
      while buffer.count - start < length {
        guard try more() else {
          try report(
            ContamError(.incompleteLine, path: path, line: figures.records, offset: recordOffset, "the last WARC record is cut short; dropped"))
          return figures
        }
      }
      let contentStart = start
      start += length
      guard fields["warc-type"] == "conversion" else { continue }
      figures.documents += 1
      let uri = Array((fields["warc-target-uri"] ?? "").utf8)
      try buffer.withUnsafeBytes { bytes in
        try uri.withUnsafeBytes { id in
          try onDocument(
            Document(
              shardPath: path, line: figures.records, lineOffset: recordOffset, idBytes: uri.isEmpty ? nil : id,
              text: UnsafeRawBufferPointer(rebasing: bytes[contentStart..<contentStart + length])))
        }
      }
    }
  }
}
