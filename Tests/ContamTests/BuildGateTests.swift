import Dispatch
import Foundation
import Synchronization
import Testing

import Contam

/// The near build waits for the exact build only while that one runs (`_BuildGate`): a build
/// that has not started is not waited for, or two builds run in turn on one thread would hold
/// each other forever.
@Suite("Build gate: wait for a running build only")
struct BuildGateTests {
  @Test func aBuildThatHasNotStartedOrIsDoneIsNotWaitedFor() {
    let fresh = _BuildGate()
    fresh.waitIfRunning()  // returns: nothing started (a deadlock here would hang the test)
    let done = _BuildGate()
    done.start()
    done.finish()
    done.waitIfRunning()
  }

  @Test func aRunningBuildIsWaitedForUntilItFinishes() {
    let gate = _BuildGate()
    gate.start()
    let finished = Atomic<Bool>(false)
    let waited = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      gate.waitIfRunning()
      // The waiter is let through only after finish().
      let after = finished.load(ordering: .sequentiallyConsistent)
      #expect(after)
      waited.signal()
    }
    // The waiter is still held 100 ms later.
    #expect(waited.wait(timeout: .now() + .milliseconds(100)) == .timedOut)
    finished.store(true, ordering: .sequentiallyConsistent)
    gate.finish()
    #expect(waited.wait(timeout: .now() + .seconds(30)) == .success)
  }
}
