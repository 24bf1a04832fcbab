import Dispatch
import Foundation
import Synchronization
import Testing

import Contam

/// The shard pool lends the threads that run out of shards, with their workers, to the last
/// shards' pipelines (`_IdleWorkers`), instead of those pipelines starting threads and workers.
@Suite("ShardPool: idle threads help the last shards")
struct ShardPoolTests {
  /// A worker that says which pool thread's it is.
  struct Worker { let number: Int }

  /// `--jobs 100000` starts no more threads than can do work: at most ``ShardPool/maximumThreads``
  /// pool threads, each with one worker, and at most ``ShardPipeline/maximumConsumers`` per shard
  /// (100,000 threads made a 1 MB scan take 4.7 s); every shard is still done once.
  @Test func aHugeJobCountStartsOnlyUsefulThreads() throws {
    let made = Atomic<Int>(0)
    let count = 500
    let results = ShardPool.run(count: count, jobs: 100_000, makeWorker: { made.add(1, ordering: .relaxed) }) { _, i in i }
    #expect(try results.map { try $0.get() } == Array(0..<count))
    #expect(made.load(ordering: .relaxed) <= ShardPool.maximumThreads)
    #expect(ShardPool.maximumThreads < count)
    for (i, shards) in [(0, 1), (0, 3), (2, 3), (999, 1_000)] {
      let threads = ShardPipeline.threads(forShardAt: i, of: shards, jobs: 100_000)
      #expect(threads >= 2 && threads <= ShardPipeline.maximumConsumers, "shard \(i) of \(shards): \(threads)")
    }
    // Below the caps, the shares are as before.
    #expect(ShardPipeline.threads(forShardAt: 0, of: 1, jobs: 4) == min(4, ShardPipeline.maximumConsumers))
    #expect(ShardPipeline.threads(forShardAt: 0, of: 8, jobs: 4) == 1)
  }

  @Test func anIdleThreadJoinsTheLastShardWithItsOwnWorker() throws {
    let made = Atomic<Int>(0)
    let batches = Atomic<Int>(0)
    let consumers = Mutex<Set<Int>>([])
    let joined = DispatchSemaphore(value: 0)
    let count = 3
    let results = ShardPool.run(count: count, jobs: 2, lendsIdleWorkers: true, makeWorker: { Worker(number: made.add(1, ordering: .relaxed).newValue) }) {
      worker, i, idle in
      guard i == count - 1 else { return false }
      // The last shard: 100 "batches", matched by this thread and the one that joins.
      let group = DispatchGroup()
      let offer = idle.offer(places: 1, joined: group) { helper in
        consumers.withLock { _ = $0.insert(helper.number) }
        joined.signal()
        while batches.add(1, ordering: .relaxed).newValue <= 100 { usleep(100) }
      }
      // The other pool thread has no shard left: it joins (a pool that did not lend it would
      // time out here; 30 s allows for cores busy with other tests).
      let arrived = joined.wait(timeout: .now() + 30) == .success
      consumers.withLock { _ = $0.insert(worker.number) }
      while batches.add(1, ordering: .relaxed).newValue <= 100 { usleep(100) }
      idle.withdraw(offer)
      group.wait()
      return arrived
    }
    #expect(made.load(ordering: .relaxed) == 2, "one worker per pool thread, none for the pipeline")
    #expect(try results[count - 1].get(), "the place was taken by the idle thread")
    #expect(consumers.withLock { $0.count } == 2, "the helper brought its own worker")
    #expect(batches.load(ordering: .relaxed) > 100)
  }

  @Test func aPoolWithNothingToHelpEnds() {
    // No shard offers places: the threads that run out wait for the owners, then end.
    let results = ShardPool.run(count: 5, jobs: 3, lendsIdleWorkers: true, makeWorker: { () }) { _, i, _ in
      usleep(UInt32(1000 * (5 - i)))
      return i
    }
    #expect(results.map { try? $0.get() } == [0, 1, 2, 3, 4])
  }
}
