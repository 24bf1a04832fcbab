import Dispatch
import Foundation

/// A shard pool's threads that have no shard left, lent with the workers they already have to
/// the pipelines of the run's last shards (``ShardPipeline``), which take more consumers than
/// the one thread that reads each. A pipeline offers places; an idle pool thread takes one and
/// matches that shard's batches until they run out, then looks for another.
///
/// Without it the last shard's pipeline started a thread and a worker of its own while the
/// other pool threads were still matching their own shards: one thread more than the cores at
/// the end of every run, and a second worker's buffers and batches at the run's peak memory.
package final class _IdleWorkers<Worker>: @unchecked Sendable {
  private struct Offer {
    let id: Int
    var places: Int
    /// Consumes the pipeline's batches with the helper's worker.
    let consume: @Sendable (inout Worker) -> Void
    /// Entered by each helper before it consumes: the pipeline waits for it.
    let joined: DispatchGroup
  }

  private let condition = NSCondition()
  // Guarded by `condition`.
  private var offers: [Offer] = []
  private var nextID = 0
  /// Pool threads that have started and still work on shards of their own (the only ones that
  /// may offer places). Counted as they start, not as planned: a pool's threads need not all
  /// run at once (`concurrentPerform` may run them one after another when the cores are busy),
  /// and one that waited for a thread yet to start would hold the thread it needs.
  private var owners = 0

  package init() {}

  /// A pool thread starts taking shards.
  package func begin() {
    condition.lock()
    owners += 1
    condition.unlock()
  }

  /// Offers `places` helpers the pipeline whose batches `consume` matches; each helper enters
  /// `joined` before it starts. - Returns: the offer's number, for ``withdraw(_:)``.
  package func offer(places: Int, joined: DispatchGroup, consume: @escaping @Sendable (inout Worker) -> Void) -> Int {
    condition.lock()
    defer { condition.unlock() }
    nextID += 1
    offers.append(Offer(id: nextID, places: places, consume: consume, joined: joined))
    condition.broadcast()
    return nextID
  }

  /// Takes an offer back (its shard's batches have all been taken): no helper joins it after
  /// this returns, and those that did have entered its group.
  package func withdraw(_ id: Int) {
    condition.lock()
    offers.removeAll { $0.id == id }
    condition.unlock()
  }

  /// Called by a pool thread that has no shard left (after ``begin()``): lends `worker` to each
  /// pipeline with a place, one at a time, until no started thread is left that could offer one.
  package func help(with worker: inout Worker) {
    condition.lock()
    owners -= 1
    condition.broadcast()
    while true {
      if let i = offers.firstIndex(where: { $0.places > 0 }) {
        offers[i].places -= 1
        let offer = offers[i]
        offer.joined.enter()
        condition.unlock()
        offer.consume(&worker)
        offer.joined.leave()
        condition.lock()
      } else if owners == 0 {
        condition.unlock()
        return
      } else {
        condition.wait()
      }
    }
  }
}
