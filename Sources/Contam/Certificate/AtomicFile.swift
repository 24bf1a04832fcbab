import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes files so that a reader, or a crash, never sees half of one: the bytes go to a
/// temporary file beside the target, are flushed to disk, and the file is renamed into place.
public enum AtomicFile {
  /// Writes `data` to `path` atomically.
  /// - Parameters:
  ///   - data: the file's bytes.
  ///   - path: where the file goes.
  ///   - permissions: the file's mode, set from its creation on (0600 for a private key, so it
  ///     is never readable by others, not even for a moment).
  /// - Throws: ``ContamError/Code/outputFailed`` naming the path and the OS reason (disk full,
  ///   no permission, missing directory); the temporary file is removed and `path` is untouched.
  public static func write<Bytes: ContiguousBytes>(_ data: Bytes, to path: String, permissions: mode_t = 0o644) throws(ContamError) {
    do {
      try write(to: path, permissions: permissions) { append in try append(data) }
    } catch let error as ContamError {
      throw error
    } catch {
      throw ContamError(.outputFailed, path: path, "cannot write: \(error)")
    }
  }

  /// Writes the bytes `body` hands to `append`, a piece at a time (a file too large to hold
  /// twice, such as a certificate of every shared benchmark), to `path` atomically.
  /// - Throws: ``ContamError/Code/outputFailed`` as ``write(_:to:permissions:)`` does, or what
  ///   `body` throws; either way the temporary file is removed and `path` is untouched.
  public static func write(
    to path: String, permissions: mode_t = 0o644, _ body: (_ append: (any ContiguousBytes) throws -> Void) throws -> Void
  ) throws {
    let directory = (path as NSString).deletingLastPathComponent
    let temporary = (directory.isEmpty ? "." : directory) + "/.\((path as NSString).lastPathComponent).tmp-\(getpid())"
    unlink(temporary)
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
    guard fd >= 0 else { throw failure(path, errno) }
    var closed = false
    func abandon() {
      if !closed { close(fd) }
      closed = true
      unlink(temporary)
    }
    guard fchmod(fd, permissions) == 0 else {
      let code = errno
      abandon()
      throw failure(path, code)
    }
    func append(_ data: any ContiguousBytes) throws {
      let status: Int32 = data.withUnsafeBytes { bytes in
        var written = 0
        while written < bytes.count {
          let n = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
          if n < 0 {
            if errno == EINTR { continue }
            return errno
          }
          written += n
        }
        return 0
      }
      guard status == 0 else { throw failure(path, status) }
    }
    do {
      try body(append)
    } catch {
      abandon()
      throw error
    }
    let status = fsync(fd) == 0 ? 0 : errno
    closed = true
    if close(fd) != 0 && status == 0 {
      let code = errno
      unlink(temporary)
      throw failure(path, code)
    }
    guard status == 0 else {
      unlink(temporary)
      throw failure(path, status)
    }
    guard rename(temporary, path) == 0 else {
      let code = errno
      unlink(temporary)
      throw failure(path, code)
    }
  }

  static func failure(_ path: String, _ code: Int32) -> ContamError {
    ContamError(.outputFailed, path: path, "cannot write: \(String(cString: strerror(code)))")
  }
}
