import Foundation

/// One index build's progress, which another build running beside it waits on before its own
/// most memory-hungry phase, so that the two phases' temporaries are not resident at once
/// (``Scanner``: the near index prepares its targets once the exact index is built).
///
/// A build that has not started is not waited for: the two may run one after the other on one
/// thread (`concurrentPerform` runs its iterations in turn when the cores are busy), and a
/// waiter would then hold the thread the other build needs.
package final class _BuildGate: @unchecked Sendable {
  private let condition = NSCondition()
  // Guarded by `condition`.
  private var started = false
  private var finished = false

  package init() {}

  /// The build starts.
  package func start() {
    condition.lock()
    started = true
    condition.unlock()
  }

  /// The build is done (and has handed back what it freed).
  package func finish() {
    condition.lock()
    finished = true
    condition.broadcast()
    condition.unlock()
  }

  /// Waits while the build runs; returns at once when it has not started or is done.
  package func waitIfRunning() {
    condition.lock()
    while started && !finished { condition.wait() }
    condition.unlock()
  }
}
