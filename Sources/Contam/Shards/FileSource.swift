#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The raw bytes of a file, read with `read(2)`. Owns its descriptor. Every byte read from the
/// file goes through SHA-256 once, so a shard's digest costs no second read.
final class FileSource: ByteSource {
  let path: String
  private let fd: Int32
  private(set) var compressedBytesRead = 0
  private let digest = SHA256Stream()
  /// Size, modification time (ns) and inode when opened.
  private let opened: (size: Int, modified: Int, inode: UInt)
  /// Bytes already taken from the file before it was handed on (codec sniffing).
  private var pending: [UInt8] = []

  /// Whether this is standard input (path `-`): a stream, read once, never re-opened.
  let isStream: Bool

  /// The path that names standard input.
  static let standardInput = "-"

  /// Opens `path` for reading (`-`: standard input).
  /// - Throws: ``ContamError/Code/unreadableFile`` naming the OS reason.
  init(path: String) throws(ContamError) {
    self.path = path
    isStream = path == Self.standardInput
    if isStream {
      let fd = dup(STDIN_FILENO)
      if fd < 0 { throw ContamError(.unreadableFile, path: path, "standard input: \(String(cString: strerror(errno)))") }
      self.fd = fd
      opened = (0, 0, 0)
      return
    }
    var info = stat()
    if stat(path, &info) != 0 {
      throw ContamError(.unreadableFile, path: path, String(cString: strerror(errno)))
    }
    if (info.st_mode & S_IFMT) == S_IFDIR {
      throw ContamError(.unreadableFile, path: path, "is a directory")
    }
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { throw ContamError(.unreadableFile, path: path, String(cString: strerror(errno))) }
    self.fd = fd
    var status = stat()
    fstat(fd, &status)
    opened = Self.identity(status)
  }

  deinit { close(fd) }

  /// Size and modification time (nanoseconds since 1970) of the file at `path`, symbolic links
  /// followed, or nil when it cannot be read: what says a shard changed since it was last seen.
  package static func stamp(_ path: String) -> (size: Int, modified: Int)? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    let id = identity(info)
    return (id.size, id.modified)
  }

  static func identity(_ s: stat) -> (size: Int, modified: Int, inode: UInt) {
    (Int(s.st_size), Int(s.st_mtim.tv_sec) * 1_000_000_000 + Int(s.st_mtim.tv_nsec), UInt(s.st_ino))
  }

  /// Whether the file at `path` is no longer the one opened, or was modified since: compares
  /// size and modification time of the open file, and the inode now at the path.
  func changedSinceOpened() -> String? {
    // A stream is read once; there is no file to compare with.
    if isStream { return nil }
    var now = stat()
    fstat(fd, &now)
    let current = Self.identity(now)
    if current.size != opened.size { return "size \(opened.size) → \(current.size) bytes" }
    if current.modified != opened.modified { return "modified while being read" }
    var atPath = stat()
    if stat(path, &atPath) == 0, UInt(atPath.st_ino) != opened.inode { return "replaced while being read" }
    return nil
  }

  /// Reads up to `count` bytes from the start of the file and keeps them to be read again.
  func peek(_ count: Int) throws(ContamError) -> [UInt8] {
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 8)
    defer { scratch.deallocate() }
    let got = try readFully(scratch)
    pending = Array(scratch[0..<got])
    return pending
  }

  private func readFully(_ buffer: UnsafeMutableRawBufferPointer) throws(ContamError) -> Int {
    var total = 0
    while total < buffer.count {
      let n = Glibc.read(fd, buffer.baseAddress! + total, buffer.count - total)
      if n < 0 {
        if errno == EINTR { continue }
        throw ContamError(.unreadableFile, path: path, offset: compressedBytesRead, String(cString: strerror(errno)))
      }
      if n == 0 { break }
      digest.update(UnsafeRawBufferPointer(start: buffer.baseAddress! + total, count: n))
      total += n
      compressedBytesRead += n
    }
    return total
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(ContamError) -> Int {
    guard buffer.count > 0 else { return 0 }
    if !pending.isEmpty {
      let n = min(pending.count, buffer.count)
      pending.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
      pending.removeFirst(n)
      return n
    }
    while true {
      let n = Glibc.read(fd, buffer.baseAddress!, buffer.count)
      if n < 0 {
        if errno == EINTR { continue }
        throw ContamError(.unreadableFile, path: path, offset: compressedBytesRead, String(cString: strerror(errno)))
      }
      digest.update(UnsafeRawBufferPointer(start: buffer.baseAddress!, count: n))
      compressedBytesRead += n
      return n
    }
  }

  /// Reads whatever the decoder left unread (after a fault, or bytes past the end of the last
  /// frame) and returns the SHA-256 of the whole file as lowercase hex, with its size.
  func finish() throws(ContamError) -> (sha256: String, bytes: Int) {
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 8)
    defer { scratch.deallocate() }
    while try readFully(scratch) > 0 {}
    return (digest.finalizeHex(), compressedBytesRead)
  }
}
