/// Follows the carry (``_DocumentCarry``) along a shard as a pipeline's reader cuts it into
/// batches, so each batch starts with the carry one thread reading the whole shard would have
/// there. Only the last documents of a batch are tokenized, from the last back until they hold
/// the carry's `limit` tokens or are `limit` documents, its reach.
final class _CarryTracker: @unchecked Sendable {
  private let tokenizer: Tokenizer
  /// Documents over this are read by the workers in segments (``_DocumentCarry/tail(of:tokenizer:segmentBytes:)``).
  private let segmentBytes: Int
  /// The carry in front of the next batch.
  private(set) var carry: _DocumentCarry

  init(limit: Int, normalizer: Normalizer, segmentBytes: Int) {
    tokenizer = Tokenizer(normalizer: normalizer)
    self.segmentBytes = segmentBytes
    carry = _DocumentCarry(limit: limit)
  }

  /// Gives `batch` the carry in front of it, then moves past its documents.
  func pass(_ batch: _DocumentBatch) {
    batch.carry = carry
    var tails: [[UInt64]] = []
    var tokens = 0
    var fromStart = false
    var lastWord: [UInt8]?
    batch.forEach(shardPath: "", reversed: true) { document in
      guard !fromStart else { return }
      if tails.isEmpty, let word = _DocumentCarry.cutWordRange(in: document.text) {
        // The word the batch's last document ends inside of, as a worker notes it.
        lastWord = Array(document.text[word])
      }
      let tail = carry.tail(of: document.text, tokenizer: tokenizer, segmentBytes: segmentBytes)
      tails.append(tail)
      tokens += tail.count
      // What lies before cannot reach the carry after the batch.
      if tokens >= carry.limit || tails.count >= carry.limit { fromStart = true }
    }
    if fromStart { carry.reset() }
    for tail in tails.reversed() { tail.withUnsafeBufferPointer { carry.advance(past: $0) } }
    if let lastWord { carry.noteCutWord(lastWord) }
  }
}
