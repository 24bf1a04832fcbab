import Dispatch
import Foundation
import Synchronization

/// Runs work over shards on a pool of threads, one shard at a time per worker, and returns
/// the results in shard order, so the outcome never depends on the number of threads.
package enum ShardPool {
  /// The most threads a pool starts, whatever `jobs` asks: each reads its own shard, so a few
  /// per core keep cores busy while others wait on storage; past that they only cost a thread
  /// and a worker's buffers each. Results are the same for any number.
  package static let maximumThreads = max(64, 8 * ProcessInfo.processInfo.activeProcessorCount)

  /// Calls `work(worker, index)` for every index in `0..<count` on `jobs` threads.
  /// - Parameters:
  ///   - count: the number of shards.
  ///   - jobs: threads (at most `count` and ``maximumThreads`` are started).
  ///   - makeWorker: builds one worker's private state (readers, tokenizers, buffers).
  ///   - work: processes one shard with that state.
  /// - Returns: one result per index, in index order.
  package static func run<Worker, Output: Sendable>(
    count: Int, jobs: Int, makeWorker: @Sendable () -> Worker,
    work: @Sendable (inout Worker, Int) throws -> Output
  ) -> [Result<Output, any Error>] {
    run(count: count, jobs: jobs, lendsIdleWorkers: false, makeWorker: makeWorker) { worker, index, _ in try work(&worker, index) }
  }

  /// ``run(count:jobs:makeWorker:work:)`` whose `work` may read a shard through a pipeline
  /// that takes the pool's idle threads (``_IdleWorkers``): with `lendsIdleWorkers`, a thread
  /// with no shard left lends its worker to those pipelines until every shard is done.
  package static func run<Worker, Output: Sendable>(
    count: Int, jobs: Int, lendsIdleWorkers: Bool, makeWorker: @Sendable () -> Worker,
    work: @Sendable (inout Worker, Int, _IdleWorkers<Worker>) throws -> Output
  ) -> [Result<Output, any Error>] {
    let slots = _Slots<Result<Output, any Error>>(count: count)
    let next = Atomic<Int>(0)
    let threads = max(1, min(jobs, count, maximumThreads))
    let idle = _IdleWorkers<Worker>()
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
      if lendsIdleWorkers { idle.begin() }
      var worker = makeWorker()
      while true {
        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
        if index >= count { break }
        slots.set(index, Result { try work(&worker, index, idle) })
      }
      if lendsIdleWorkers { idle.help(with: &worker) }
    }
    return slots.values()
  }
}

/// Result slots written by distinct threads at distinct indices.
final class _Slots<Value>: @unchecked Sendable {
  private var storage: [Value?]
  private let lock = Mutex(())
  init(count: Int) { storage = Array(repeating: nil, count: count) }
  func set(_ index: Int, _ value: Value) { lock.withLock { _ in storage[index] = value } }
  func values() -> [Value] { lock.withLock { _ in storage.map { $0! } } }
  /// The values, nil where none was set.
  func values(allowingMissing: Bool) -> [Value?] { lock.withLock { _ in storage } }
  /// The value at `index`, which the slot no longer holds (the caller's is the last reference).
  func take(_ index: Int) -> Value? {
    lock.withLock { _ in
      defer { storage[index] = nil }
      return storage[index]
    }
  }
}
