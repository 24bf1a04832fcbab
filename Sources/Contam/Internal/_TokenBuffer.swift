/// A document's tokens in raw buffers that grow and are reused from document to document:
/// hashes, source ranges, and room for the n-gram keys. It is the tokenizer's sink, and the
/// only owner of that memory: `~Copyable`, so no copy can outlive a `grow()` that frees it.
/// Readers take a ``_TokenView``, valid until the next append.
struct _TokenBuffer: ~Copyable, TokenSink {
  private(set) var hashes: UnsafeMutablePointer<UInt64>
  private(set) var starts: UnsafeMutablePointer<Int32>
  private(set) var ends: UnsafeMutablePointer<Int32>
  private(set) var keys: UnsafeMutablePointer<UInt64>
  private(set) var count = 0
  private(set) var capacity: Int

  init(capacity: Int) {
    precondition(capacity > 0)
    self.capacity = capacity
    hashes = .allocate(capacity: capacity)
    starts = .allocate(capacity: capacity)
    ends = .allocate(capacity: capacity)
    keys = .allocate(capacity: capacity)
  }

  deinit {
    hashes.deallocate()
    starts.deallocate()
    ends.deallocate()
    keys.deallocate()
  }

  /// Forgets the tokens, keeping the memory.
  mutating func removeAll() { count = 0 }

  @inline(__always)
  mutating func consume(hash: UInt64, start: Int, end: Int) {
    if count == capacity { grow() }
    // Safe: count < capacity after grow(); offsets fit Int32 because documents are capped
    // far below 2 GiB (ShardReaderOptions.maxLineBytes).
    assert(count < capacity && start >= 0 && end >= start && end <= Int(Int32.max))
    hashes[count] = hash
    starts[count] = Int32(truncatingIfNeeded: start)
    ends[count] = Int32(truncatingIfNeeded: end)
    count &+= 1
  }

  /// Appends tokens `range` of `tokens` (another buffer's), copied in bulk.
  mutating func append(_ tokens: _TokenView, _ range: Range<Int>) {
    precondition(range.lowerBound >= 0 && range.upperBound <= tokens.count)
    while count + range.count > capacity { grow() }
    (hashes + count).update(from: tokens.hashes + range.lowerBound, count: range.count)
    (starts + count).update(from: tokens.starts + range.lowerBound, count: range.count)
    (ends + count).update(from: tokens.ends + range.lowerBound, count: range.count)
    count &+= range.count
  }

  private mutating func grow() {
    let bigger = capacity * 2
    func moved<T>(_ old: UnsafeMutablePointer<T>, keep: Int) -> UnsafeMutablePointer<T> {
      let new = UnsafeMutablePointer<T>.allocate(capacity: bigger)
      new.update(from: old, count: keep)
      old.deallocate()
      return new
    }
    hashes = moved(hashes, keep: count)
    starts = moved(starts, keep: count)
    ends = moved(ends, keep: count)
    keys = moved(keys, keep: 0)
    capacity = bigger
  }

  /// The tokens as they are now; the view is valid until the next ``consume(hash:start:end:)``.
  var view: _TokenView { _TokenView(hashes: hashes, starts: starts, ends: ends, keys: keys, count: count) }
}

/// A read view of a ``_TokenBuffer`` (it owns nothing): token `t < count` has hash
/// `hashes[t]`, source bytes `starts[t]..<ends[t]`; `keys` has room for `count` n-gram keys.
struct _TokenView {
  let hashes: UnsafeMutablePointer<UInt64>
  let starts: UnsafeMutablePointer<Int32>
  let ends: UnsafeMutablePointer<Int32>
  let keys: UnsafeMutablePointer<UInt64>
  let count: Int

  /// The hashes as a buffer.
  var hashBuffer: UnsafeBufferPointer<UInt64> { UnsafeBufferPointer(start: hashes, count: count) }

  /// The view without its first `k` tokens.
  func dropFirst(_ k: Int) -> _TokenView {
    precondition(k >= 0 && k <= count)
    return _TokenView(hashes: hashes + k, starts: starts + k, ends: ends + k, keys: keys + k, count: count - k)
  }

  /// The first token of `range` (all by default) starting at or after source byte `offset`
  /// (`range.upperBound` when none does).
  func firstIndex(startingAtOrAfter offset: Int, in range: Range<Int>? = nil) -> Int {
    var low = range?.lowerBound ?? 0
    var high = range?.upperBound ?? count
    while low < high {
      let mid = (low + high) >> 1
      if Int(starts[mid]) < offset { low = mid + 1 } else { high = mid }
    }
    return low
  }

  /// Source byte range of tokens `first..<first + length`.
  @inline(__always)
  func byteRange(first: Int, length: Int) -> Range<Int> {
    assert(first >= 0 && length > 0 && first + length <= count)
    return Int(starts[first])..<Int(ends[first + length - 1])
  }
}

/// Owns a worker's ``_TokenBuffer``.
final class _TokenStorage {
  var buffer = _TokenBuffer(capacity: 1 << 16)
  /// The math stream of the text in ``buffer`` (``MathTokens``), when it has one.
  var mathBuffer = _TokenBuffer(capacity: 1 << 10)
  /// The tokens around a word cut between two documents, read as one word (``_DocumentCarry/cutWord``).
  var joinBuffer = _TokenBuffer(capacity: 1 << 8)
  /// The extra tokens of the text in ``buffer`` (hash, start, end), kept for their capacity.
  var mathExtras: [MathTokens.Extra] = []

  /// Empties ``joinBuffer`` and has `fill` append to it, in one access to the property (a
  /// class's stored property is checked for exclusive access at run time on each access: once
  /// per token when appended one by one).
  func refillJoinBuffer(_ fill: (inout _TokenBuffer) -> Void) {
    joinBuffer.removeAll()
    fill(&joinBuffer)
  }
}
