import CSnappy
import CZlib
import CZstd

/// Decodes one column chunk into its values: every present value copied into one arena, and
/// per row the value's byte range there (nil for a null). A BYTE_ARRAY value is its bytes; with
/// ``rendersNumbers``, a BOOLEAN, INT32, INT64, FLOAT or DOUBLE value is written as its text
/// (`true`, `42`, `0.5`: an id column of numbers, a benchmark's answer index). A column inside
/// a list (one level of repetition: `messages.list.element.content`, read for `--text-field
/// 'messages[].content'`) gives per row its present values joined, each followed by a line
/// break (nil for a row with none), as ``JSONArrayText`` joins a JSON array's strings; or, not
/// ``joinsLists``, per value slot with its repetition level (``repetitions``). Pages v1 and v2,
/// dictionary pages; PLAIN, PLAIN_DICTIONARY / RLE_DICTIONARY, DELTA_LENGTH_BYTE_ARRAY,
/// DELTA_BYTE_ARRAY, DELTA_BINARY_PACKED, RLE booleans and BYTE_STREAM_SPLIT; codecs UNCOMPRESSED,
/// SNAPPY, GZIP and ZSTD. Everything read from the file is bounds-checked: a damaged page is a
/// failure with a message, never a crash.
struct _ParquetColumnDecoder {
  typealias Failure = _ThriftReader.Failure

  let column: ParquetMetadata.Column
  private(set) var codec: Int
  /// Present values, back to back.
  private(set) var arena: [UInt8] = []
  /// Per row: its value's range in `arena`, or nil.
  private(set) var values: [Range<Int>?] = []
  private var dictionary: [Range<Int>] = []
  private var dictionaryArena: [UInt8] = []
  /// Per value slot of a repeated column: its repetition level (0 starts a row).
  private(set) var repetitions: [Int] = []
  /// Whether numbers and booleans are read, as their text; else only BYTE_ARRAY is.
  let rendersNumbers: Bool
  /// Whether a repeated column's slots are joined into rows (else ``values`` holds slots).
  let joinsLists: Bool

  init(column: ParquetMetadata.Column, codec: Int, rendersNumbers: Bool = false, joinsLists: Bool = true) {
    self.column = column
    self.codec = codec
    self.rendersNumbers = rendersNumbers
    self.joinsLists = joinsLists
  }

  /// The bytes a value of a fixed-width physical type takes (BOOLEAN: one, once unpacked); nil
  /// for BYTE_ARRAY and the types not read (INT96, FIXED_LEN_BYTE_ARRAY).
  static func width(_ physicalType: Int) -> Int? {
    switch physicalType {
    case 0: return 1
    case 1, 4: return 4
    case 2, 5: return 8
    default: return nil
    }
  }

  /// Forgets the values for the next row group's chunk, keeping the memory (one decoder per
  /// column serves every row group, so large buffers are not allocated and faulted in again).
  mutating func reset(codec: Int) {
    self.codec = codec
    arena.removeAll(keepingCapacity: true)
    values.removeAll(keepingCapacity: true)
    dictionary.removeAll(keepingCapacity: true)
    dictionaryArena.removeAll(keepingCapacity: true)
    repetitions.removeAll(keepingCapacity: true)
  }

  static func codecName(_ codec: Int) -> String {
    ["UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"].indices.contains(codec)
      ? ["UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"][codec] : "codec \(codec)"
  }

  /// Decodes the pages in `chunk` until `rows` rows are read (`slots` value slots, the chunk's
  /// count of levels, for a column inside a list).
  mutating func decode(chunk: [UInt8], rows: Int, slots: Int) throws(Failure) {
    guard column.maxRepetition <= 1 else {
      throw .init(message: "column '\(column.path)' is inside a list of lists: not supported as text")
    }
    let repeated = column.maxRepetition > 0
    let rows = repeated ? slots : rows
    guard column.physicalType == 6 || rendersNumbers && Self.width(column.physicalType) != nil else {
      throw .init(message: "column '\(column.path)' is \(ParquetMetadata.typeName(column.physicalType)), not text (BYTE_ARRAY)")
    }
    values.reserveCapacity(rows)
    var position = 0
    while values.count < rows {
      guard position < chunk.count else { throw .init(message: "column '\(column.path)' ends after \(values.count) of \(rows) rows") }
      var reader = _ThriftReader(chunk, at: position)
      let header = try reader.structure()
      position = reader.position
      let type = header[1]?.int ?? -1
      let uncompressed = Int(header[2]?.int ?? -1)
      let compressed = Int(header[3]?.int ?? -1)
      guard compressed >= 0, uncompressed >= 0, compressed <= chunk.count - position, uncompressed <= 1 << 30 else {
        throw .init(message: "a page of column '\(column.path)' does not fit its chunk")
      }
      let page = chunk[position..<position + compressed]
      position += compressed
      switch type {
      case 2:  // dictionary page
        let count = Int(header[7]?[1]?.int ?? -1)
        let bytes = try decompress(page, to: uncompressed)
        dictionaryArena = bytes
        dictionary = try plainRanges(bytes[...], count: count)
      case 0:  // data page v1: levels and values compressed together
        guard let data = header[5] else { throw .init(message: "a data page without its header") }
        let count = Int(data[1]?.int ?? -1)
        let encoding = Int(data[2]?.int ?? -1)
        guard count >= 0, count <= rows - values.count else { throw .init(message: "a page holds more values than its row group has rows") }
        let bytes = try decompress(page, to: uncompressed)
        var start = 0
        var definitions: [Int]? = nil
        // Repetition levels, then definition levels, each behind its 4-byte length.
        func levels(maximum: Int, name: String) throws(Failure) -> [Int] {
          guard bytes.count - start >= 4 else { throw .init(message: "a data page too short for its levels") }
          let length = Int(UInt32(bytes[start]) | UInt32(bytes[start + 1]) << 8 | UInt32(bytes[start + 2]) << 16 | UInt32(bytes[start + 3]) << 24)
          guard length <= bytes.count - start - 4 else { throw .init(message: "\(name) levels longer than their page") }
          let decoded = try Self.hybrid(bytes[(start + 4)..<(start + 4 + length)], width: Self.bitWidth(maximum), count: count)
          start += 4 + length
          return decoded
        }
        if repeated { repetitions += try levels(maximum: column.maxRepetition, name: "repetition") }
        if column.maxDefinition > 0 { definitions = try levels(maximum: column.maxDefinition, name: "definition") }
        try add(values: bytes[start...], encoding: encoding, count: count, definitions: definitions, rows: rows)
      case 3:  // data page v2: levels uncompressed in front
        guard let data = header[8] else { throw .init(message: "a data page v2 without its header") }
        let count = Int(data[1]?.int ?? -1)
        let encoding = Int(data[4]?.int ?? -1)
        let definitionBytes = Int(data[5]?.int ?? -1)
        let repetitionBytes = Int(data[6]?.int ?? -1)
        let isCompressed = (data[7]?.int ?? 1) != 0
        guard count >= 0, count <= rows - values.count else { throw .init(message: "a page holds more values than its row group has rows") }
        guard definitionBytes >= 0, repetitionBytes >= 0, definitionBytes + repetitionBytes <= page.count,
          definitionBytes + repetitionBytes <= uncompressed
        else { throw .init(message: "levels longer than their page") }
        let levelsStart = page.startIndex + repetitionBytes
        if repeated {
          repetitions += try Self.hybrid(page[page.startIndex..<levelsStart], width: Self.bitWidth(column.maxRepetition), count: count)
        }
        var definitions: [Int]? = nil
        if column.maxDefinition > 0 {
          definitions = try Self.hybrid(
            page[levelsStart..<levelsStart + definitionBytes], width: Self.bitWidth(column.maxDefinition), count: count)
        }
        let body = page[(levelsStart + definitionBytes)...]
        let bytes =
          isCompressed ? try decompress(body, to: uncompressed - definitionBytes - repetitionBytes) : Array(body)
        try add(values: bytes[...], encoding: encoding, count: count, definitions: definitions, rows: rows)
      default:
        continue  // index pages and anything newer: not needed for the values
      }
    }
    if repeated && joinsLists { try joinRows() }
  }

  /// A repeated column's slots made rows: a row starts at repetition level 0, and its present
  /// values that are not empty are joined, each followed by a line break (a row with none has
  /// an empty range: no text, as an empty list or a list of empty strings has none).
  private mutating func joinRows() throws(Failure) {
    guard repetitions.count == values.count, repetitions.first ?? 0 == 0 else {
      throw .init(message: "column '\(column.path)': repetition levels do not match its values")
    }
    var joined: [UInt8] = []
    joined.reserveCapacity(arena.count + values.count)
    var rows: [Range<Int>?] = []
    var rowStart = 0
    for (slot, level) in repetitions.enumerated() {
      if level == 0 && slot > 0 {
        rows.append(rowStart..<joined.count)
        rowStart = joined.count
      }
      guard let range = values[slot], !range.isEmpty else { continue }
      joined.append(contentsOf: arena[range])
      joined.append(0x0A)
    }
    if !repetitions.isEmpty { rows.append(rowStart..<joined.count) }
    arena = joined
    values = rows
  }

  /// Adds one data page's slots: `count` levels, a value for each present one.
  private mutating func add(values bytes: ArraySlice<UInt8>, encoding: Int, count: Int, definitions: [Int]?, rows: Int)
    throws(Failure)
  {
    guard count >= 0, count <= rows - values.count else { throw .init(message: "a page holds more values than its row group has rows") }
    let present = definitions.map { $0.filter { $0 == column.maxDefinition }.count } ?? count
    if let width = Self.width(column.physicalType), column.physicalType == 0 || encoding == 5 || encoding == 9 {
      // Values that are not stored at their width: unpacked to it first.
      let unpacked = try fixedWidthValues(bytes, encoding: encoding, count: present, width: width)
      let ranges = (0..<present).map { $0 * width..<($0 + 1) * width }
      try append(ranges: ranges, from: unpacked[...], definitions: definitions, count: count)
      return
    }
    switch encoding {
    case 0:
      let ranges = try plainRanges(bytes, count: present)
      try append(ranges: ranges, from: bytes, definitions: definitions, count: count)
    case 2, 8:
      guard let width = bytes.first.map(Int.init), width <= 32 else { throw .init(message: "dictionary indices without a bit width") }
      let indices = try Self.hybrid(bytes.dropFirst(), width: width, count: present)
      var ranges: [Range<Int>] = []
      ranges.reserveCapacity(present)
      for i in indices {
        guard i < dictionary.count else { throw .init(message: "dictionary index \(i) beyond the dictionary (\(dictionary.count))") }
        ranges.append(dictionary[i])
      }
      let dictionaryBytes = dictionaryArena
      try append(ranges: ranges, from: dictionaryBytes[...], definitions: definitions, count: count)
    case 6 where column.physicalType == 6:
      let (lengths, end) = try Self.deltaBinaryPacked(bytes, count: present)
      var ranges: [Range<Int>] = []
      var at = end
      for length in lengths {
        guard length >= 0, length <= bytes.endIndex - at else { throw .init(message: "a value longer than its page") }
        ranges.append(at..<at + length)
        at += length
      }
      try append(ranges: ranges, from: bytes, definitions: definitions, count: count)
    case 7 where column.physicalType == 6:
      let (prefixes, prefixEnd) = try Self.deltaBinaryPacked(bytes, count: present)
      let (lengths, end) = try Self.deltaBinaryPacked(bytes[prefixEnd...], count: present)
      var built: [UInt8] = []
      var ranges: [Range<Int>] = []
      var previous = 0..<0
      var at = end
      for (prefix, length) in zip(prefixes, lengths) {
        guard prefix >= 0, prefix <= previous.count, length >= 0, length <= bytes.endIndex - at else {
          throw .init(message: "a DELTA_BYTE_ARRAY value out of range")
        }
        let start = built.count
        built.append(contentsOf: built[previous.lowerBound..<previous.lowerBound + prefix])
        built.append(contentsOf: bytes[at..<at + length])
        at += length
        previous = start..<built.count
        ranges.append(previous)
      }
      try append(ranges: ranges, from: built[...], definitions: definitions, count: count)
    default:
      throw .init(message: "column '\(column.path)': encoding \(encoding) is not supported")
    }
  }

  private mutating func append(ranges: [Range<Int>], from source: ArraySlice<UInt8>, definitions: [Int]?, count: Int)
    throws(Failure)
  {
    var next = 0
    for slot in 0..<count {
      if let definitions, definitions[slot] != column.maxDefinition {
        values.append(nil)
        continue
      }
      guard next < ranges.count else { throw .init(message: "fewer values than present levels") }
      let range = ranges[next]
      next += 1
      let start = arena.count
      if column.physicalType == 6 {
        arena.append(contentsOf: source[range])
      } else {
        arena.append(contentsOf: Self.text(of: source[range], physicalType: column.physicalType).utf8)
      }
      values.append(start..<arena.count)
    }
  }

  /// The text of a fixed-width value (its little-endian bytes): `true` / `false`, a decimal
  /// integer, or the shortest decimal that reads back as the float.
  static func text(of bytes: ArraySlice<UInt8>, physicalType: Int) -> String {
    var raw: UInt64 = 0
    for (k, byte) in bytes.enumerated() { raw |= UInt64(byte) << (8 * UInt64(k)) }
    switch physicalType {
    case 0: return raw != 0 ? "true" : "false"
    case 1: return String(Int32(truncatingIfNeeded: raw))
    case 2: return String(Int64(bitPattern: raw))
    case 4: return Float(bitPattern: UInt32(truncatingIfNeeded: raw)).description
    default: return Double(bitPattern: raw).description
    }
  }

  /// The ranges of `count` PLAIN values in `bytes`: length-prefixed byte arrays, or values of
  /// the column's fixed width back to back.
  private func plainRanges(_ bytes: ArraySlice<UInt8>, count: Int) throws(Failure) -> [Range<Int>] {
    if column.physicalType == 6 { return try Self.plain(bytes, count: count, path: column.path) }
    guard let width = Self.width(column.physicalType), column.physicalType != 0 else {
      throw .init(message: "column '\(column.path)': PLAIN values of \(ParquetMetadata.typeName(column.physicalType)) in a dictionary")
    }
    guard count >= 0, count <= bytes.count / width else { throw .init(message: "column '\(column.path)': \(count) values cannot fit their page") }
    return (0..<count).map { bytes.startIndex + $0 * width..<bytes.startIndex + ($0 + 1) * width }
  }

  /// `count` values of `width` bytes each, little-endian, from an encoding that does not store
  /// them so: PLAIN and RLE booleans (bits), DELTA_BINARY_PACKED integers, BYTE_STREAM_SPLIT.
  private func fixedWidthValues(_ bytes: ArraySlice<UInt8>, encoding: Int, count: Int, width: Int) throws(Failure) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(count * width)
    switch (column.physicalType, encoding) {
    case (0, 0):
      guard count >= 0, (count + 7) / 8 <= bytes.count else { throw .init(message: "column '\(column.path)': booleans run past their page") }
      for k in 0..<count { out.append(bytes[bytes.startIndex + k / 8] >> UInt8(k % 8) & 1) }
    case (0, 3):
      guard bytes.count >= 4 else { throw .init(message: "column '\(column.path)': RLE booleans without their length") }
      let s = bytes.startIndex
      let length = Int(UInt32(bytes[s]) | UInt32(bytes[s + 1]) << 8 | UInt32(bytes[s + 2]) << 16 | UInt32(bytes[s + 3]) << 24)
      guard length <= bytes.count - 4 else { throw .init(message: "column '\(column.path)': RLE booleans longer than their page") }
      for value in try Self.hybrid(bytes[(s + 4)..<(s + 4 + length)], width: 1, count: count) { out.append(UInt8(value & 1)) }
    case (1, 5), (2, 5):
      for value in try Self.deltaBinaryPacked(bytes, count: count).0 {
        withUnsafeBytes(of: Int64(value).littleEndian) { out.append(contentsOf: $0.prefix(width)) }
      }
    case (_, 9) where column.physicalType != 0:
      // Byte k of value i is at k * count + i.
      guard count >= 0, count <= bytes.count / width else { throw .init(message: "column '\(column.path)': \(count) values cannot fit their page") }
      for i in 0..<count {
        for k in 0..<width { out.append(bytes[bytes.startIndex + k * count + i]) }
      }
    default:
      throw .init(message: "column '\(column.path)': encoding \(encoding) is not supported for \(ParquetMetadata.typeName(column.physicalType))")
    }
    return out
  }

  /// PLAIN byte arrays: a 4-byte little-endian length, then the bytes; `count` of them.
  static func plain(_ bytes: ArraySlice<UInt8>, count: Int, path: String) throws(Failure) -> [Range<Int>] {
    guard count >= 0, count <= bytes.count / 4 + 1 else { throw .init(message: "column '\(path)': \(count) values cannot fit their page") }
    var ranges: [Range<Int>] = []
    ranges.reserveCapacity(count)
    var at = bytes.startIndex
    for _ in 0..<count {
      guard bytes.endIndex - at >= 4 else { throw .init(message: "column '\(path)': a value's length runs past its page") }
      let length = Int(UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24)
      at += 4
      guard length <= bytes.endIndex - at else { throw .init(message: "column '\(path)': a value runs past its page") }
      ranges.append(at..<at + length)
      at += length
    }
    return ranges
  }

  static func bitWidth(_ maximum: Int) -> Int { maximum == 0 ? 0 : Int.bitWidth - maximum.leadingZeroBitCount }

  /// The RLE / bit-packed hybrid: `count` values of `width` bits.
  static func hybrid(_ bytes: ArraySlice<UInt8>, width: Int, count: Int) throws(Failure) -> [Int] {
    guard count >= 0, width >= 0, width <= 32 else { throw .init(message: "levels or indices out of range") }
    var out: [Int] = []
    out.reserveCapacity(count)
    var at = bytes.startIndex
    func varint() throws(Failure) -> Int { Int(clamping: try Self.varint(bytes, at: &at)) }
    let byteWidth = (width + 7) / 8
    while out.count < count {
      let header = try varint()
      if header & 1 == 0 {
        let run = header >> 1
        guard byteWidth <= bytes.endIndex - at else { throw .init(message: "a run value runs past its data") }
        var value = 0
        for k in 0..<byteWidth { value |= Int(bytes[at + k]) << (8 * k) }
        at += byteWidth
        guard run > 0 else { throw .init(message: "an empty run") }
        out.append(contentsOf: repeatElement(value, count: min(run, count - out.count)))
      } else {
        let groups = header >> 1
        guard groups > 0, groups <= (bytes.endIndex - at) / max(1, width) + 1 else { throw .init(message: "bit-packed groups run past their data") }
        let total = groups * 8 * width
        guard (total + 7) / 8 <= bytes.endIndex - at else { throw .init(message: "bit-packed values run past their data") }
        let mask = width == 0 ? 0 : (1 << width) - 1
        for k in 0..<(groups * 8) where out.count < count {
          let bit = k * width
          out.append(Int(Self.unpack(bytes, at: at, bit: bit, width: width)) & mask)
        }
        at += (total + 7) / 8
      }
    }
    return out
  }

  /// An unsigned LEB128 varint at `at`, which moves past it.
  static func varint(_ bytes: ArraySlice<UInt8>, at: inout Int) throws(Failure) -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      guard at < bytes.endIndex, shift < 64 else { throw .init(message: "a varint runs past its data") }
      let b = bytes[at]
      at += 1
      result |= UInt64(b & 0x7F) << shift
      if b & 0x80 == 0 { return result }
      shift += 7
    }
  }

  /// The `width`-bit little-endian value starting `bit` bits after `bytes[at]` (the caller has
  /// checked that those bytes exist).
  static func unpack(_ bytes: ArraySlice<UInt8>, at: Int, bit: Int, width: Int) -> UInt64 {
    var value: UInt64 = 0
    var got = 0
    while got < width {
      let byte = UInt64(bytes[at + (bit + got) / 8])
      let offset = (bit + got) % 8
      let take = min(8 - offset, width - got)
      value |= ((byte >> UInt64(offset)) & ((1 << UInt64(take)) - 1)) << UInt64(got)
      got += take
    }
    return value
  }

  /// DELTA_BINARY_PACKED: `count` values and the index just past them.
  static func deltaBinaryPacked(_ bytes: ArraySlice<UInt8>, count: Int) throws(Failure) -> ([Int], Int) {
    var at = bytes.startIndex
    func varint() throws(Failure) -> UInt64 { try Self.varint(bytes, at: &at) }
    func signed() throws(Failure) -> Int {
      let raw = try varint()
      return Int(truncatingIfNeeded: Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1))
    }
    let blockSize = Int(clamping: try varint())
    let miniblocks = Int(clamping: try varint())
    let total = Int(clamping: try varint())
    var last = try signed()
    guard blockSize > 0, blockSize % 128 == 0, miniblocks > 0, blockSize % miniblocks == 0, (blockSize / miniblocks) % 32 == 0,
      total >= 0, total <= bytes.count * 8 + 1
    else { throw .init(message: "a DELTA_BINARY_PACKED header out of range") }
    let perMiniblock = blockSize / miniblocks
    var out: [Int] = []
    out.reserveCapacity(total)
    if total > 0 { out.append(last) }
    while out.count < total {
      let minimum = try signed()
      guard miniblocks <= bytes.endIndex - at else { throw .init(message: "miniblock widths run past their data") }
      let widths = Array(bytes[at..<at + miniblocks])
      at += miniblocks
      for width in widths {
        if out.count >= total { break }
        let w = Int(width)
        guard w <= 64 else { throw .init(message: "a miniblock width over 64") }
        let size = perMiniblock * w / 8
        guard size <= bytes.endIndex - at else { throw .init(message: "a miniblock runs past its data") }
        for k in 0..<perMiniblock where out.count < total {
          let delta = Self.unpack(bytes, at: at, bit: k * w, width: w)
          last = last &+ minimum &+ Int(truncatingIfNeeded: delta)
          out.append(last)
        }
        at += size
      }
    }
    guard out.count >= count else { throw .init(message: "fewer delta-coded values than present levels") }
    return (Array(out.prefix(count)), at)
  }

  /// The page's bytes after its codec.
  private func decompress(_ page: ArraySlice<UInt8>, to size: Int) throws(Failure) -> [UInt8] {
    guard size >= 0 else { throw .init(message: "a negative page size") }
    switch codec {
    case 0:
      return Array(page)
    case 1:
      // Safe: every byte is written by the decoder or the page is refused (length checked).
      var out = [UInt8](unsafeUninitializedCapacity: size) { _, count in count = size }
      var length = size
      let status = page.withUnsafeBytes { input in
        out.withUnsafeMutableBytes { output in
          snappy_uncompress(
            input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count,
            output.baseAddress?.assumingMemoryBound(to: CChar.self), &length)
        }
      }
      guard status == SNAPPY_OK, length == size else { throw .init(message: "a SNAPPY page of column '\(column.path)' is corrupt") }
      return out
    case 2:
      var out = [UInt8](repeating: 0, count: size)
      var stream = z_stream()
      guard CZlib_inflateInit2(&stream, 15 + 32) == Z_OK else { throw .init(message: "zlib cannot start") }
      defer { inflateEnd(&stream) }
      let status: Int32 = page.withUnsafeBytes { input in
        out.withUnsafeMutableBytes { output in
          stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
          stream.avail_in = uInt(input.count)
          stream.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
          stream.avail_out = uInt(output.count)
          return inflate(&stream, Z_FINISH)
        }
      }
      guard status == Z_STREAM_END, Int(stream.total_out) == size else {
        throw .init(message: "a GZIP page of column '\(column.path)' is corrupt")
      }
      return out
    case 6:
      var out = [UInt8](unsafeUninitializedCapacity: size) { _, count in count = size }
      let written = page.withUnsafeBytes { input in
        out.withUnsafeMutableBytes { output in ZSTD_decompress(output.baseAddress, output.count, input.baseAddress, input.count) }
      }
      guard ZSTD_isError(written) == 0, written == size else { throw .init(message: "a ZSTD page of column '\(column.path)' is corrupt") }
      return out
    default:
      throw .init(message: "column '\(column.path)': codec \(Self.codecName(codec)) is not supported (UNCOMPRESSED, SNAPPY, GZIP, ZSTD are)")
    }
  }
}
