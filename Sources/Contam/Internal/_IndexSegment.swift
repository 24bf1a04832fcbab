import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// One segment file of a corpus index: which winnowed k-gram fingerprints occur in which
/// documents of a few shards. Written once, memory-mapped when read.
///
/// Layout (little-endian, every section starts on an 8-byte boundary):
///
/// | section | contents |
/// | --- | --- |
/// | header | 16 words: magic, version, k, window, fingerprint bits, bucket bits, document bits, shards, documents, entries, chunk words, tables checksum, entry words, file bytes, 0, header checksum |
/// | shard table | shards + 1 words: the first document number of each shard, then the total |
/// | document table | one `UInt32` per document: its 1-based line in its shard |
/// | bucket table | 2^b + 1 `UInt32`: the first entry of each bucket, then the entry count |
/// | entries | bit-packed `residual << documentBits | document`, sorted, one padding word |
/// | chunk checksums | XXH3-64 of each run of `chunk words` entry words |
///
/// A fingerprint is the top `fingerprintBits` bits of a k-gram key; its top `bucketBits` bits
/// pick the bucket, the rest (the residual) is stored. A lookup reads one bucket (a few dozen
/// bytes) and checks the checksum of the chunks it touches the first time it touches them, so
/// a damaged file is an error, never a wrong answer, and a query reads only the pages it needs.
final class _IndexSegment {
  static let magic: UInt64 = 0x5849_4D41_544E_4F43  // "CONTAMIX"
  static let version: UInt64 = 1
  static let headerWords = 16
  static let chunkWords = 4096

  let path: String
  let k: Int
  let window: Int
  let fingerprintBits: Int
  let bucketBits: Int
  let documentBits: Int
  let shardCount: Int
  let documentCount: Int
  let entryCount: Int
  /// The mapped file (read-only), `size` bytes.
  private let base: UnsafeRawPointer
  private let size: Int
  private let shardTable: Int  // byte offsets into data
  private let documentTable: Int
  private let bucketTable: Int
  private let entries: Int
  private let entryWords: Int
  private let checksums: Int
  /// One flag per entry chunk: checked already.
  private let verifiedChunks: UnsafeMutablePointer<Bool>

  /// Maps and checks the file at `path`: header, sizes, tables (shard starts rising, bucket
  /// starts rising up to the entry count, lines ≥ 1). Entry chunks are checked when first read.
  /// - Throws: ``ContamError/Code/invalidIndex`` naming the file and what is wrong.
  init(path: String) throws(ContamError) {
    self.path = path
    func bad(_ what: String) -> ContamError { ContamError(.invalidIndex, path: path, "corpus index segment: \(what)") }
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      throw ContamError(.invalidIndex, path: path, "cannot open the corpus index segment: \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw bad("cannot stat: \(String(cString: strerror(errno)))") }
    let fileSize = Int(info.st_size)
    guard fileSize >= Self.headerWords * 8 else { throw bad("\(fileSize) bytes, shorter than its header (truncated?)") }
    guard let mapped = mmap(nil, fileSize, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
      throw bad("cannot map: \(String(cString: strerror(errno)))")
    }
    base = UnsafeRawPointer(mapped)
    size = fileSize
    let header: [UInt64] = (0..<Self.headerWords).map { mapped.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self).littleEndian }
    guard header[0] == Self.magic else { throw bad("not a corpus index segment (bad magic)") }
    guard header[1] == Self.version else { throw bad("format version \(header[1]); this tool reads \(Self.version)") }
    guard XXH3.hash64(base, count: 15 * 8) == header[15] else { throw bad("header checksum mismatch (the file is damaged)") }
    func small(_ value: UInt64, _ limit: UInt64, _ name: String) throws(ContamError) -> Int {
      guard value <= limit else { throw bad("\(name) \(value) out of range") }
      return Int(value)
    }
    k = try small(header[2], 64, "k")
    window = try small(header[3], 1 << 16, "window")
    fingerprintBits = try small(header[4], 64, "fingerprint bits")
    bucketBits = try small(header[5], 32, "bucket bits")
    documentBits = try small(header[6], 32, "document bits")
    shardCount = try small(header[7], 1 << 32, "shard count")
    documentCount = try small(header[8], 1 << 32, "document count")
    entryCount = try small(header[9], 1 << 32, "entry count")
    guard try small(header[10], 1 << 20, "chunk words") == Self.chunkWords else { throw bad("unexpected chunk size") }
    entryWords = try small(header[12], 1 << 40, "entry words")
    guard k >= 1, window >= 1, bucketBits <= fingerprintBits, fingerprintBits - bucketBits + documentBits <= 64,
      documentCount <= (1 << documentBits)  // documents 0..<documentCount: a count of 2^bits fits
    else { throw bad("inconsistent parameters") }
    let bits = fingerprintBits - bucketBits + documentBits
    guard entryWords == (entryCount * bits + 63) / 64 + 1 else { throw bad("entry words do not match the entry count") }
    func aligned(_ n: Int) -> Int { (n + 7) & ~7 }
    shardTable = Self.headerWords * 8
    documentTable = shardTable + (shardCount + 1) * 8
    bucketTable = documentTable + aligned(documentCount * 4)
    entries = bucketTable + aligned(((1 << bucketBits) + 1) * 4)
    checksums = entries + entryWords * 8
    let chunks = (entryWords + Self.chunkWords - 1) / Self.chunkWords
    let total = checksums + chunks * 8
    guard Int(header[13]) == total, fileSize == total else {
      throw bad("\(fileSize) bytes where the header says \(header[13]) and its tables need \(total) (truncated or damaged)")
    }
    verifiedChunks = .allocate(capacity: chunks)
    verifiedChunks.initialize(repeating: false, count: chunks)
    guard XXH3.hash64(base + shardTable, count: entries - shardTable) == header[11] else { throw bad("table checksum mismatch (the file is damaged)") }
    // The tables are whole; now their values must make sense.
    var previous = 0
    for s in 0...shardCount {
      let start = shardStart(s)
      guard start >= previous, start <= documentCount else { throw bad("shard table not rising") }
      previous = start
    }
    guard shardStart(shardCount) == documentCount, shardStart(0) == 0 else { throw bad("shard table does not cover the documents") }
    previous = 0
    for b in 0...(1 << bucketBits) {
      let start = bucketStart(b)
      guard start >= previous, start <= entryCount else { throw bad("bucket table not rising") }
      previous = start
    }
    guard bucketStart(1 << bucketBits) == entryCount else { throw bad("bucket table does not cover the entries") }
    for d in 0..<documentCount where line(ofDocument: d) < 1 { throw bad("document \(d) has line 0") }
  }

  deinit {
    munmap(UnsafeMutableRawPointer(mutating: base), size)
    verifiedChunks.deallocate()
  }

  /// Drops the mapped pages from this process's memory (they stay in the page cache), so a
  /// query's resident memory is bounded by one segment, whatever the index's size.
  func releasePages() {
    madvise(UnsafeMutableRawPointer(mutating: base), size, Int32(MADV_DONTNEED))
  }

  // Every offset below is inside the file: the sections' sizes were checked against its size.

  /// The first document number of shard `s` (the document count for `s == shardCount`).
  func shardStart(_ s: Int) -> Int {
    assert(s >= 0 && s <= shardCount)
    return Int(base.loadUnaligned(fromByteOffset: shardTable + s * 8, as: UInt64.self).littleEndian)
  }

  /// The 1-based line of document `d` in its shard.
  func line(ofDocument d: Int) -> Int {
    assert(d >= 0 && d < documentCount)
    return Int(base.loadUnaligned(fromByteOffset: documentTable + d * 4, as: UInt32.self).littleEndian)
  }

  /// The shard (position in the segment) of document `d`.
  func shard(ofDocument d: Int) -> Int {
    var low = 0
    var high = shardCount  // shardStart(low) <= d < shardStart(high)
    while high - low > 1 {
      let mid = (low + high) / 2
      if shardStart(mid) <= d { low = mid } else { high = mid }
    }
    return low
  }

  private func bucketStart(_ b: Int) -> Int {
    assert(b >= 0 && b <= 1 << bucketBits)
    return Int(base.loadUnaligned(fromByteOffset: bucketTable + b * 4, as: UInt32.self).littleEndian)
  }

  private func word(_ i: Int) -> UInt64 {
    assert(i >= 0 && i < entryWords)
    return base.loadUnaligned(fromByteOffset: entries + i * 8, as: UInt64.self).littleEndian
  }

  private func verify(words range: Range<Int>) throws(ContamError) {
    let first = range.lowerBound / Self.chunkWords
    let last = (range.upperBound - 1) / Self.chunkWords
    for chunk in first...last where !verifiedChunks[chunk] {
      let start = chunk * Self.chunkWords
      let count = min(Self.chunkWords, entryWords - start)
      let sum = XXH3.hash64(base + entries + start * 8, count: count * 8)
      guard sum == base.loadUnaligned(fromByteOffset: checksums + chunk * 8, as: UInt64.self).littleEndian else {
        throw ContamError(.invalidIndex, path: path, "corpus index segment: checksum mismatch in entry chunk \(chunk) (the file is damaged)")
      }
      verifiedChunks[chunk] = true
    }
  }

  /// Calls `body(document)` for every document holding `fingerprint` (the top
  /// ``fingerprintBits`` bits of a key, right-aligned).
  /// - Throws: ``ContamError/Code/invalidIndex`` when the bucket's bytes fail their checksum or
  ///   name a document that does not exist.
  func documents(with fingerprint: UInt64, _ body: (Int) -> Void) throws(ContamError) {
    let residualBits = fingerprintBits - bucketBits
    let bucket = Int(fingerprint >> UInt64(residualBits))
    guard bucket < 1 << bucketBits else { return }
    let residual = residualBits == 0 ? 0 : fingerprint & ((1 << UInt64(residualBits)) - 1)
    let start = bucketStart(bucket)
    let end = bucketStart(bucket + 1)
    guard end > start else { return }
    let bits = residualBits + documentBits
    try verify(words: (start * bits) / 64..<((end * bits + 63) / 64 + 1))
    let mask: UInt64 = bits == 64 ? ~0 : (1 << UInt64(bits)) - 1
    let documentMask: UInt64 = documentBits == 0 ? 0 : (1 << UInt64(documentBits)) - 1
    for e in start..<end {
      let position = e * bits
      let w = position >> 6
      let shift = position & 63
      var value = word(w) >> UInt64(shift)
      if shift + bits > 64 { value |= word(w + 1) << UInt64(64 - shift) }
      value &= mask
      let entryResidual = documentBits == 64 ? 0 : value >> UInt64(documentBits)
      if entryResidual < residual { continue }
      if entryResidual > residual { break }
      let document = Int(value & documentMask)
      guard document < documentCount else {
        throw ContamError(.invalidIndex, path: path, "corpus index segment: entry \(e) names document \(document) of \(documentCount)")
      }
      body(document)
    }
  }

  // MARK: Writing

  /// Writes a segment: `lines[d]` is document d's line, `shardStarts` the first document of each
  /// shard plus the total, `entries[s]` shard s's (unsorted, possibly repeated) fingerprints with
  /// their shard-local documents; each shard's lists are emptied as soon as they are sorted in.
  /// - Returns: the file's size and entry count (after removing repeats).
  static func write(
    to path: String, k: Int, window: Int, fingerprintBits: Int, shardStarts: [Int], lines: [UInt32],
    entries shardEntries: inout [(fingerprints: [UInt64], documents: [UInt32])]
  ) throws(ContamError) -> (bytes: Int, entries: Int, sha256: String) {
    let documentOffsets = Array(shardStarts.dropLast())
    let documentCount = lines.count
    precondition(shardStarts.last == documentCount)
    let documentBits = documentCount <= 1 ? 1 : 64 - (documentCount - 1).leadingZeroBitCount
    guard documentBits <= 32 else {
      throw ContamError(.invalidArgument, path: path, "a corpus index segment holds at most 2^32 documents")
    }
    let rawCount = shardEntries.reduce(0) { $0 + $1.fingerprints.count }
    var bucketBits = 4
    while bucketBits < 30 && (rawCount >> bucketBits) > 16 { bucketBits += 1 }
    bucketBits = max(bucketBits, fingerprintBits + documentBits - 64)
    let residualBits = fingerprintBits - bucketBits
    let bucketCount = 1 << bucketBits
    // Counting sort by bucket, then each bucket sorted and repeats removed.
    var starts = [Int](repeating: 0, count: bucketCount + 1)
    for list in shardEntries { for f in list.fingerprints { starts[Int(f >> UInt64(residualBits)) + 1] += 1 } }
    for b in 0..<bucketCount { starts[b + 1] += starts[b] }
    var values = [UInt64](unsafeUninitializedCapacity: rawCount) { _, count in count = rawCount }
    var fill = starts
    let residualMask: UInt64 = residualBits == 0 ? 0 : (1 << UInt64(residualBits)) - 1
    for s in shardEntries.indices {
      let base = UInt64(documentOffsets[s])
      let list = shardEntries[s].fingerprints
      let docs = shardEntries[s].documents
      shardEntries[s] = ([], [])
      for (i, f) in list.enumerated() {
        let b = Int(f >> UInt64(residualBits))
        values[fill[b]] = (f & residualMask) << UInt64(documentBits) | (base + UInt64(docs[i]))
        fill[b] += 1
      }
    }
    var bucketTable = [UInt32](repeating: 0, count: bucketCount + 1)
    var kept = 0
    values.withUnsafeMutableBufferPointer { v in
      for b in 0..<bucketCount {
        bucketTable[b] = UInt32(truncatingIfNeeded: kept)
        let lower = starts[b]
        let upper = starts[b + 1]
        if upper - lower > 64 {
          v[lower..<upper].sort()
        } else {
          // Insertion sort: buckets hold about 16 entries.
          var i = lower + 1
          while i < upper {
            let x = v[i]
            var j = i
            while j > lower && v[j - 1] > x {
              v[j] = v[j - 1]
              j -= 1
            }
            v[j] = x
            i += 1
          }
        }
        var i = lower
        while i < upper {
          if i == lower || v[i] != v[i - 1] {
            v[kept] = v[i]
            kept += 1
          }
          i += 1
        }
      }
    }
    bucketTable[bucketCount] = UInt32(truncatingIfNeeded: kept)
    guard kept < (1 << 32) else { throw ContamError(.invalidArgument, path: path, "a corpus index segment holds at most 2^32 entries") }
    let bits = residualBits + documentBits
    let entryWords = (kept * bits + 63) / 64 + 1
    func aligned(_ n: Int) -> Int { (n + 7) & ~7 }
    let shardTable = headerWords * 8
    let documentTable = shardTable + shardStarts.count * 8
    let bucketOffset = documentTable + aligned(documentCount * 4)
    let entriesOffset = bucketOffset + aligned((bucketCount + 1) * 4)
    let checksumOffset = entriesOffset + entryWords * 8
    let chunks = (entryWords + chunkWords - 1) / chunkWords
    let total = checksumOffset + chunks * 8
    var file = Data(count: total)
    file.withUnsafeMutableBytes { raw in
      func put64(_ value: UInt64, at offset: Int) { raw.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt64.self) }
      func put32(_ value: UInt32, at offset: Int) { raw.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self) }
      for (s, start) in shardStarts.enumerated() { put64(UInt64(start), at: shardTable + s * 8) }
      for (d, line) in lines.enumerated() { put32(line, at: documentTable + d * 4) }
      for (b, start) in bucketTable.enumerated() { put32(start, at: bucketOffset + b * 4) }
      var word: UInt64 = 0
      var used = 0
      var w = 0
      for i in 0..<kept {
        let value = values[i]
        word |= value << UInt64(used)
        if used + bits >= 64 {
          put64(word, at: entriesOffset + w * 8)
          w += 1
          let spill = used + bits - 64
          word = spill == 0 ? 0 : value >> UInt64(bits - spill)
          used = spill
        } else {
          used += bits
        }
      }
      if used > 0 { put64(word, at: entriesOffset + w * 8) }
      for chunk in 0..<chunks {
        let start = chunk * chunkWords
        let count = min(chunkWords, entryWords - start)
        put64(XXH3.hash64(raw.baseAddress! + entriesOffset + start * 8, count: count * 8), at: checksumOffset + chunk * 8)
      }
      let header: [UInt64] = [
        magic, version, UInt64(k), UInt64(window), UInt64(fingerprintBits), UInt64(bucketBits), UInt64(documentBits),
        UInt64(shardStarts.count - 1), UInt64(documentCount), UInt64(kept), UInt64(chunkWords),
        XXH3.hash64(raw.baseAddress! + shardTable, count: entriesOffset - shardTable), UInt64(entryWords), UInt64(total), 0,
      ]
      for (i, value) in header.enumerated() { put64(value, at: i * 8) }
      put64(XXH3.hash64(raw.baseAddress!, count: 15 * 8), at: 15 * 8)
    }
    try AtomicFile.write(file, to: path)
    return (total, kept, SHA256Stream.digest(of: file))
  }
}
