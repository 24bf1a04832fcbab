import Contam
import Foundation

nonisolated(unsafe) let path = FileManager.default.temporaryDirectory.appendingPathComponent("contam-fuzz-\(getpid()).bin").path
nonisolated(unsafe) let reader = ShardReader(
  options: ShardReaderOptions(format: .auto(textField: try! FieldPath("text"), idField: try! FieldPath("id")), maxLineBytes: 4096))
/// The same through a list of structs (chat records: Parquet and Arrow read it by column).
nonisolated(unsafe) let chatReader = ShardReader(
  options: ShardReaderOptions(format: .auto(textField: try! FieldPath("messages[].content"), idField: try! FieldPath("id")), maxLineBytes: 4096))

/// The shard readers (codec by magic bytes: gzip, zstd, plain; JSONL or lines) on arbitrary
/// files. The first byte picks a prefix so that the fuzzer reaches the decompressors quickly:
/// 0 gzip magic, 1 zstd magic, else the bytes as they are; with its high bit set, the text is
/// read through `messages[].content`. No crash; every document lies in
/// the decompressed stream; line numbers increase.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReaders(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  var bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
  switch data[0] % 3 {
  case 0: bytes = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03] + bytes
  case 1: bytes = [0x28, 0xB5, 0x2F, 0xFD] + bytes
  default: break
  }
  FileManager.default.createFile(atPath: path, contents: Data(bytes))
  var lastLine = 0
  let counts = try? (data[0] & 0x80 != 0 ? chatReader : reader).read(path: path) { document in
    precondition(document.line > lastLine, "line numbers must increase")
    lastLine = document.line
    // A line is at most the limit; a piece of plain text is cut after the line that takes it past
    // the limit (so at most twice it, with the line break between). Columnar files (Parquet,
    // Arrow) are read by record batch, not by line.
    precondition(
      document.text.count <= 2 * 4096 + 1 || bytes.starts(with: Array("ARROW1".utf8)) || bytes.first == 0xFF || bytes.starts(with: Array("PAR1".utf8)),
      "a document longer than twice the line limit")
  } onProblem: { _ in }
  if let counts { precondition(counts.documents <= counts.lines + 1) }
  return 0
}
