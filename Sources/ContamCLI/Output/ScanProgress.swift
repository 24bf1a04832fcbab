import Foundation
import Synchronization

/// The scan's progress line: shards done, input read (file bytes, so compressed shards count
/// as stored), rate and time left, at most a few times a second.
final class ScanProgress: Sendable {
  private struct State {
    var shardsDone = 0
    var bytes = 0
    var shown = 0.0
  }
  private let shards: Int
  private let totalBytes: Int
  private let started = Date()
  private let state = Mutex(State())

  /// The size of the file at `path` (symbolic links followed), 0 when it cannot be read.
  static func fileSize(_ path: String) -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_size) : 0
  }

  init(shards: Int, totalBytes: Int) {
    self.shards = shards
    self.totalBytes = max(1, totalBytes)
  }

  func shardDone(_ done: Int) {
    let line = state.withLock { s -> String in
      s.shardsDone = max(s.shardsDone, done)
      return render(s)
    }
    Terminal.shared.progress(line)
  }

  func read(_ bytes: Int) {
    guard Terminal.shared.isInteractive else { return }
    let line = state.withLock { s -> String? in
      s.bytes += bytes
      let now = Date().timeIntervalSince(started)
      guard now - s.shown >= 0.2 else { return nil }
      s.shown = now
      return render(s)
    }
    if let line { Terminal.shared.progress(line) }
  }

  private func render(_ s: State) -> String {
    let seconds = max(0.001, Date().timeIntervalSince(started))
    let rate = Double(s.bytes) / seconds
    let share = min(1, Double(s.bytes) / Double(totalBytes))
    var line = "scan: \(s.shardsDone)/\(shards) shards, \(Format.megabytes(s.bytes)) of \(Format.megabytes(totalBytes)) MB read (\(Int(share * 100))%)"
    if s.bytes > 0 {
      line += ", \(Format.fixed(rate / 1e6, 1)) MB/s"
      if seconds >= 1 && share < 1 { line += ", about \(Format.fixed(Double(totalBytes - s.bytes) / rate, 0)) s left" }
    }
    return line
  }
}
