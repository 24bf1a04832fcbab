import Contam
import Foundation
import Synchronization

/// Writes diagnostics and progress to stderr (Swift 6 rejects the C global `stderr` in
/// concurrent code, so everything goes through here).
final class Terminal: Sendable {
  static let shared = Terminal()

  let isInteractive: Bool = isatty(2) != 0
  private let state = Mutex(State())

  private struct State {
    var progressShown = false
    var printed: [String: Int] = [:]
    var suppressed = 0
  }

  /// Writes one line to stderr, clearing a progress line first.
  func line(_ text: String) {
    state.withLock { s in
      var out = ""
      if s.progressShown {
        out += "\r\u{1B}[K"
        s.progressShown = false
      }
      out += text + "\n"
      FileHandle.standardError.write(Data(out.utf8))
    }
  }

  /// Reports a problem, at most `limit` per shard and kind; the rest are only counted.
  func problem(_ error: ContamError, limit: Int) {
    let key = "\(error.path ?? "")\u{0}\(error.code.rawValue)"
    let show = state.withLock { s -> Bool in
      s.printed[key, default: 0] += 1
      if s.printed[key]! > limit {
        s.suppressed += 1
        return false
      }
      return true
    }
    if show { line("contam: \(error)") }
  }

  /// Messages not printed because of the limit.
  var suppressed: Int { state.withLock { $0.suppressed } }

  /// Replaces the progress line (only when stderr is a terminal).
  func progress(_ text: String) {
    guard isInteractive else { return }
    state.withLock { s in
      FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
      s.progressShown = true
    }
  }

  func endProgress() {
    state.withLock { s in
      if s.progressShown {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        s.progressShown = false
      }
    }
  }
}

/// Writes text to stdout.
func printOut(_ text: String) {
  FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
