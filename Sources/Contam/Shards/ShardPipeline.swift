import Dispatch
import Foundation
import Synchronization

/// One shard on several cores: a reader thread decompresses, cuts lines and decodes records,
/// copying documents into batches of a few MB at most (``batchBytes(fileBytes:consumers:)``); `consumers` threads (the calling
/// one among them) match the batches as they come. A gzip stream or a zstd frame can only be
/// decompressed in order, but decompressing costs a fraction of matching, so this is how one
/// big shard uses every core whatever its codec.
///
/// A document over ``inlineBytes`` is not copied: the reader's thread matches it in place
/// with a worker of its own while the consumers go on, so memory stays about one such
/// document, as on one thread.
///
/// The outputs come back in batch order, so a caller that merges them in that order sees what
/// one thread reading the shard would have seen.
package enum ShardPipeline {
  /// Text bytes per batch for a shard file of `fileBytes` read for `consumers` threads: about
  /// a sixteenth of the file per consumer, so a small shard still spreads over every thread,
  /// but at least 16 KiB (a hand-over costs microseconds, matching 16 KiB about a hundred) and
  /// at most 1 MiB (matched in milliseconds), so the few batches in flight stay a few MB.
  static func batchBytes(fileBytes: Int, consumers: Int) -> Int {
    min(1 << 20, max(16 << 10, fileBytes / (16 * max(1, consumers))))
  }

  /// The threads for the shard taken `i`-th of `count` by a pool of `jobs` threads: 1 while
  /// at least `jobs` shards are left, so each thread reads and matches its own shard; then a
  /// share of the threads through the pipeline (all of them with fewer shards than threads from
  /// the start, at least 2 for the last shards), so neither one big shard nor the end of a run
  /// leaves cores idle.
  /// Capped at ``maximumConsumers``.
  package static func threads(forShardAt i: Int, of count: Int, jobs: Int) -> Int {
    min(maximumConsumers, count - i >= jobs ? 1 : count < jobs ? max(1, jobs / count) : max(2, jobs / (count - i)))
  }

  /// The most threads that match one shard's batches. They only compute (the shard is read on
  /// a thread of its own), so more than a couple per core gain nothing, and each costs a
  /// thread and a worker's buffers: `--jobs 100000` started 100,000 threads for a 1 MB corpus
  /// (4.7 s). Results are the same for any number.
  package static let maximumConsumers = max(8, 2 * ProcessInfo.processInfo.activeProcessorCount)

  /// Documents longer than this are matched on the reader's thread, in place, not copied.
  static let inlineBytes = 1 << 20

  /// Reads the shard at `path` with `reader` on a thread of its own and calls
  /// `process(worker, batch)` for every batch on one of `consumers` threads, each with its own
  /// worker from `makeWorker` (the calling thread uses `first`).
  /// - Returns: the reader's counts and one output per batch, in the shard's order.
  /// - Throws: what the reader throws (the first problem that loses input, under
  ///   ``ErrorPolicy/stop``) or, failing that, the first error `process` throws; reading stops
  ///   at the first error.
  ///   - carrier: follows the carry along the shard, when the scan reads documents together
  ///     (``_DocumentCarry``): each batch is handed over with the carry in front of it.
  ///   - idle: the pool's threads that will have no shard left: the consumers past the first
  ///     are those of them that join (with their own workers), not threads started here.
  static func run<Worker, Output: Sendable>(
    path: String, reader: ShardReader, consumers: Int, first: inout Worker, carrier: _CarryTracker? = nil,
    idle: _IdleWorkers<Worker>? = nil, makeWorker: @escaping @Sendable () -> Worker,
    process: @escaping @Sendable (inout Worker, _DocumentBatch) throws -> Output,
    onProblem: @escaping @Sendable (ContamError) -> Void
  ) throws -> (counts: ShardReadCounts, outputs: [Output]) {
    let consumers = max(1, consumers)
    // One batch waiting per consumer, and two more; with idle workers to come, the queue starts
    // at the one consumer there is, and each helper widens it by one as it joins.
    let queue = _BatchQueue(capacity: (idle == nil ? consumers : 1) + 2)
    let outputs = _Outputs<Output>()
    let box = _ReaderBox(reader)
    let finished = DispatchGroup()
    let batchBytes = batchBytes(fileBytes: FileSource.stamp(path)?.size ?? Int.max, consumers: consumers)

    finished.enter()
    let producer = Thread {
      defer { finished.leave() }
      var batch = _DocumentBatch(reservingBytes: batchBytes)
      func hand(_ batch: _DocumentBatch) {
        carrier?.pass(batch)
        queue.push(batch)
      }
      do {
        var own: Worker?
        let counts = try box.reader.read(path: path) { document in
          if queue.cancelled { throw _Cancelled() }
          if document.text.count > inlineBytes {
            // A long document is matched here, where its bytes are, rather than copied (a
            // 60 MB line would otherwise be held twice); the consumers go on meanwhile.
            if batch.count > 0 {
              hand(batch)
              batch = queue.reuse() ?? _DocumentBatch(reservingBytes: batchBytes)
            }
            let number = queue.number()
            if own == nil { own = makeWorker() }
            do {
              let long = _DocumentBatch(borrowing: document)
              carrier?.pass(long)
              outputs.set(number, try process(&own!, long))
            } catch {
              queue.fail(error)
              throw _Cancelled()
            }
            return
          }
          if batch.count > 0 && !batch.fits(document) {
            // Handed over before its memory would have to grow.
            hand(batch)
            batch = queue.reuse() ?? _DocumentBatch(reservingBytes: batchBytes)
          }
          batch.append(document)
          if batch.byteCount >= batchBytes {
            hand(batch)
            batch = queue.reuse() ?? _DocumentBatch(reservingBytes: batchBytes)
          }
        } onProblem: { onProblem($0) }
        if batch.count > 0 { hand(batch) }
        queue.finish(counts: counts, error: nil)
      } catch is _Cancelled {
        queue.finish(counts: nil, error: nil)
      } catch {
        queue.finish(counts: nil, error: error)
      }
    }
    producer.stackSize = 8 << 20
    producer.start()

    @Sendable func consume(_ worker: inout Worker) {
      while let (number, batch) = queue.pop() {
        if queue.cancelled { continue }  // keep draining so the reader never waits forever
        do {
          outputs.set(number, try process(&worker, batch))
        } catch {
          queue.fail(error)
        }
        queue.recycle(batch)
      }
    }
    if let idle, consumers > 1 {
      let offer = idle.offer(places: consumers - 1, joined: finished) { worker in
        queue.widen()
        consume(&worker)
      }
      consume(&first)
      idle.withdraw(offer)
      finished.wait()
      return try Self.ended(queue, outputs: outputs, path: path)
    }
    for _ in 1..<consumers {
      finished.enter()
      let thread = Thread {
        defer { finished.leave() }
        var worker = makeWorker()
        consume(&worker)
      }
      thread.stackSize = 8 << 20
      thread.start()
    }
    consume(&first)
    finished.wait()
    return try Self.ended(queue, outputs: outputs, path: path)
  }

  /// The counts and outputs once every thread is done, or the first error.
  private static func ended<Output>(_ queue: _BatchQueue, outputs: _Outputs<Output>, path: String) throws -> (
    counts: ShardReadCounts, outputs: [Output]
  ) {
    let end = queue.end()
    if let error = end.error { throw error }
    guard let counts = end.counts else { throw ContamError(.invalidArgument, path: path, "the shard's reading was cancelled") }
    return (counts, outputs.values(count: end.batches))
  }
}

/// What a worker finds in some documents of one shard, built up document by document and
/// joined part after part: a scan's findings, a corpus index build's fingerprints.
protocol _ShardFindings: Sendable {
  associatedtype Worker
  /// What the whole shard's findings become, with the reader's counts.
  associatedtype Shard
  /// Nothing found yet in the shard at `path`, by `worker`'s rules.
  init(path: String, rulesOf worker: Worker)
  /// Adds one document, matched by `worker`.
  mutating func add(_ document: Document, through worker: inout Worker) throws
  /// Adds what was found in the documents that follow these.
  mutating func append(_ later: Self)
  /// Readies `worker` for a batch that starts with `carry` in front (``_DocumentCarry``).
  static func begin(_ worker: inout Worker, carry: _DocumentCarry?)
  /// The shard's result, with its figures from the reader's `counts`, timed from `t0`.
  func shard(counts: ShardReadCounts, since t0: UInt64) -> Shard
}

extension ShardPipeline {
  /// One shard read on a thread of its own while `consumers` threads (the calling one with
  /// `first`) add its documents to findings of type `F` batch by batch, the batches' findings
  /// then joined in order: what adding every document on one thread gives.
  /// - Returns: the shard's result, timed from the call.
  static func findings<F: _ShardFindings>(
    _: F.Type, path: String, reader: ShardReader, consumers: Int, first: inout F.Worker, carrier: _CarryTracker? = nil,
    idle: _IdleWorkers<F.Worker>? = nil, makeWorker: @escaping @Sendable () -> F.Worker, onProblem: @escaping @Sendable (ContamError) -> Void
  ) throws -> F.Shard {
    let t0 = DispatchTime.now().uptimeNanoseconds
    var joined = F(path: path, rulesOf: first)
    let (counts, parts) = try run(
      path: path, reader: reader, consumers: consumers, first: &first, carrier: carrier, idle: idle, makeWorker: makeWorker,
      process: { worker, batch in
        F.begin(&worker, carry: batch.carry)
        var found = F(path: path, rulesOf: worker)
        try batch.forEach(shardPath: path) { try found.add($0, through: &worker) }
        return found
      }, onProblem: onProblem)
    for part in parts { joined.append(part) }
    return joined.shard(counts: counts, since: t0)
  }
}

extension _ShardFindings {
  static func begin(_ worker: inout Worker, carry: _DocumentCarry?) {}
}

/// Thrown inside the reader's callback to stop reading once a consumer failed.
private struct _Cancelled: Error {}

/// Hands the reader to the reader thread; only that thread uses it until it is joined.
private final class _ReaderBox: @unchecked Sendable {
  let reader: ShardReader
  init(_ reader: ShardReader) { self.reader = reader }
}

/// Batches in flight, numbered in the order read; at most `capacity` wait at a time.
private final class _BatchQueue: Sendable {
  private struct State {
    var waiting: [(Int, _DocumentBatch)] = []
    /// Matched batches, emptied, for the reader to fill again (their pages stay mapped).
    var spare: [_DocumentBatch] = []
    var pushed = 0
    var done = false
    var counts: ShardReadCounts?
    var error: (any Error)?
  }
  private let state = Mutex(State())
  private let free: DispatchSemaphore
  private let ready = DispatchSemaphore(value: 0)
  private let stopped = Atomic<Bool>(false)

  init(capacity: Int) { free = DispatchSemaphore(value: capacity) }

  var cancelled: Bool { stopped.load(ordering: .relaxed) }

  /// Adds a batch, waiting while `capacity` are already waiting.
  func push(_ batch: _DocumentBatch) {
    free.wait()
    state.withLock { s in
      s.waiting.append((s.pushed, batch))
      s.pushed += 1
    }
    ready.signal()
  }

  /// The next batch and its number; nil once the reader is done and every batch was taken.
  func pop() -> (Int, _DocumentBatch)? {
    ready.wait()
    let taken: (Int, _DocumentBatch)? = state.withLock { s in s.waiting.isEmpty ? nil : s.waiting.removeFirst() }
    guard let taken else {
      ready.signal()  // the end: let the next consumer see it too
      return nil
    }
    free.signal()
    return taken
  }

  /// One more batch may wait (a consumer joined).
  func widen() { free.signal() }

  /// The next batch number, for a batch the reader matches itself.
  func number() -> Int {
    state.withLock { s in
      defer { s.pushed += 1 }
      return s.pushed
    }
  }

  /// Hands a matched batch back for reuse.
  func recycle(_ batch: _DocumentBatch) {
    batch.removeAll()
    state.withLock { s in s.spare.append(batch) }
  }

  /// An emptied batch to fill, if one was handed back.
  func reuse() -> _DocumentBatch? {
    state.withLock { s in s.spare.popLast() }
  }

  /// The reader is done: with its counts, or with the error that stopped it.
  func finish(counts: ShardReadCounts?, error: (any Error)?) {
    state.withLock { s in
      s.done = true
      s.counts = counts
      if let error, s.error == nil { s.error = error }
    }
    if error != nil { stopped.store(true, ordering: .relaxed) }
    ready.signal()
  }

  /// A consumer failed: keep the first error and stop the reader.
  func fail(_ error: any Error) {
    state.withLock { s in if s.error == nil { s.error = error } }
    stopped.store(true, ordering: .relaxed)
  }

  /// After every thread is joined: how many batches, the counts, the first error.
  func end() -> (batches: Int, counts: ShardReadCounts?, error: (any Error)?) {
    state.withLock { s in (s.pushed, s.counts, s.error) }
  }
}

/// Outputs set by consumer threads under their batch numbers.
private final class _Outputs<Output>: @unchecked Sendable {
  private var storage: [Int: Output] = [:]
  private let lock = Mutex(())
  func set(_ number: Int, _ output: Output) { lock.withLock { _ in storage[number] = output } }
  func values(count: Int) -> [Output] { lock.withLock { _ in (0..<count).map { storage[$0]! } } }
}
