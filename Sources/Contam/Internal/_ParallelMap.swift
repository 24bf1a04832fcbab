import Dispatch

/// `body(i)` for every `i` in `0..<count`, on up to `jobs` threads in contiguous chunks of at
/// least `minimumChunk`, the results in index order: the same array for any number of threads.
func _parallelMap<T>(_ count: Int, jobs: Int, minimumChunk: Int = 256, _ body: (Int) -> T) -> [T] {
  let chunks = max(1, min(jobs, count / max(1, minimumChunk)))
  if chunks == 1 { return (0..<count).map(body) }
  let slots = _Slots<[T]>(count: chunks)
  withoutActuallyEscaping(body) { body in
    let box = _UncheckedBox(body)
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
      slots.set(c, (count * c / chunks..<count * (c + 1) / chunks).map(box.value))
    }
  }
  return slots.values().flatMap { $0 }
}

/// Lets a closure that only reads shared, immutable state cross into the threads of
/// ``_parallelMap(_:jobs:minimumChunk:_:)``.
private struct _UncheckedBox<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}
