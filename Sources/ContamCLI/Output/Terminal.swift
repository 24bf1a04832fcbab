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
      writeAll(2, out)
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
      writeAll(2, "\r\u{1B}[K" + text)
      s.progressShown = true
    }
  }

  func endProgress() {
    state.withLock { s in
      if s.progressShown {
        writeAll(2, "\r\u{1B}[K")
        s.progressShown = false
      }
    }
  }
}

/// Writes text to stdout.
func printOut(_ text: String) {
  writeAll(1, text + "\n")
}

/// Writes `text` to file descriptor `fd`, all of it, or as much as the reader takes: a reader
/// that went away (`contam scan … 2>&1 | head`: EPIPE, SIGPIPE being ignored) or any other
/// write error drops the rest. The table and the progress are for a person; the run goes on, and
/// its result (the certificate, the exit status) does not depend on them.
func writeAll(_ fd: Int32, _ text: String) {
  var text = text
  text.withUTF8 { bytes in
    var done = 0
    while done < bytes.count {
      let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
      if n > 0 {
        done += n
      } else if n < 0 && errno == EINTR {
        continue
      } else {
        return
      }
    }
  }
}
