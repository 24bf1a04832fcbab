/// WARC files: Common Crawl's WET files (`conversion` records, the text extracted from a page)
/// and WARC archives as crawlers write them (`response` records, the HTTP response as received;
/// `resource` records, a fetched file). Each record is a header block (`WARC/1.x`, `Name: value`
/// lines, a blank line) and `Content-Length` bytes of content. A `conversion` record is one
/// document as it is; a `response` record the body of its HTTP message, its transfer and content
/// codings undone (`_HTTPPayload`); a `resource` record its content. Its `WARC-Target-URI` is the
/// document id, its `line` the record's 1-based ordinal in the file. A payload that is binary (an
/// image, a font: NUL bytes) is passed over, as are `warcinfo`, `request`, `metadata` and
/// `revisit` records; a body in a coding Contam does not decode is a problem. A file of records
/// none of which is text (a WAT file of metadata, a request log) is ``ContamError/Code/unsupported``
/// naming the record types it has, so it is counted as skipped and never reads clean. Content
/// longer than the line limit is skipped without being held; a header that is not WARC ends the
/// shard with a problem naming the record.
enum _WARCRecords {
  struct Figures {
    var records = 0
    var documents = 0
    /// Records that are not documents, by WARC-Type (binary payloads as `binary <type>`).
    var passedOver: [String: Int] = [:]
    var decompressedBytes = 0
    /// The stream ended in a fault: the records after it were not read.
    var cutShort = false
  }

  /// The record types read as documents.
  static let textTypes: Set<String> = ["conversion", "response", "resource"]

  static func read(
    path: String, source: ByteSource, maxBytes: Int, report: (ContamError) throws -> Void,
    onDocument: (Document) throws -> Void
  ) throws -> Figures {
    let figures = try readRecords(path: path, source: source, maxBytes: maxBytes, report: report, onDocument: onDocument)
    if figures.documents == 0 && figures.records > 0 && !figures.passedOver.isEmpty {
      let types = figures.passedOver.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
      try report(
        ContamError(
          .unsupported, path: path,
          "a WARC file with no text record (it has \(types)): Contam reads conversion (WET), response and resource records with text; not read"))
    }
    return figures
  }

  private static func readRecords(
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
        figures.cutShort = error.code != .trailingGarbage
        try report(error)
        return false
      }
    }

    /// The index just past the next `\r\n\r\n` (or `\n\n`) at or after `from`, reading as needed.
    func headerEnd() throws -> (end: Int, next: Int)? {
      // Bytes after `start` already searched: relative, because `more()` may move the buffer.
      var searched = 0
      while true {
        if let found = _HTTPPayload.headerEnd(buffer, in: start + searched..<buffer.count) { return found }
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
      let type = fields["warc-type"] ?? "(none)"
      guard textTypes.contains(type) else {
        figures.passedOver[type, default: 0] += 1
        continue
      }
      let content = contentStart..<contentStart + length
      var decoded: [UInt8]? = nil  // the body when it is not the content's own bytes
      var text = content
      if type == "response" {
        switch _HTTPPayload.body(of: buffer, in: content, maxBytes: maxBytes) {
        case .slice(let body): text = body
        case .decoded(let body): decoded = body
        case .unsupported(let why):
          try report(ContamError(.unsupported, path: path, line: figures.records, offset: recordOffset, "\(why); record skipped"))
          continue
        case .corrupt(let why):
          try report(ContamError(.corruptData, path: path, line: figures.records, offset: recordOffset, "\(why); record skipped"))
          continue
        case .tooLong:
          try report(
            ContamError(.lineTooLong, path: path, line: figures.records, offset: recordOffset, "an HTTP body over the limit once decoded; skipped"))
          continue
        }
      }
      let uri = Array((fields["warc-target-uri"] ?? "").utf8)
      let id: [UInt8]? = uri.isEmpty ? nil : uri
      let kind = try buffer.withUnsafeBytes { bytes in
        try (decoded ?? []).withUnsafeBytes { decodedBytes in
          let body = decoded == nil ? UnsafeRawBufferPointer(rebasing: bytes[text]) : decodedBytes
          // A binary payload (an image, a font) is not a page of text; text in a legacy
          // encoding (no NULs) is read as it is.
          let kind = type == "conversion" ? .text : _TextProbe.payloadKind(body)
          guard kind == .text else { return kind }
          try (id ?? []).withUnsafeBytes { idBytes in
            try onDocument(
              Document(shardPath: path, line: figures.records, lineOffset: recordOffset, idBytes: id == nil ? nil : idBytes, text: body))
          }
          return kind
        }
      }
      switch kind {
      case .text: figures.documents += 1
      case .binary: figures.passedOver["binary \(type)", default: 0] += 1
      case .utf16:
        try report(
          ContamError(
            .unsupported, path: path, line: figures.records, offset: recordOffset, "a page in UTF-16, which Contam does not read; record skipped"))
      }
    }
  }
}
