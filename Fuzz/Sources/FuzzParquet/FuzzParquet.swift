import Contam
import Foundation

nonisolated(unsafe) let path = FileManager.default.temporaryDirectory.appendingPathComponent("contam-fuzz-parquet-\(getpid()).parquet").path
nonisolated(unsafe) let reader: ShardReader = {
  var options = ShardReaderOptions(format: .auto(textField: .text, idField: try! FieldPath("id")), maxLineBytes: 1 << 20)
  // A column inside a list too (chat records), so repetition levels are decoded.
  options.fallbackTextFields = [try! FieldPath("messages[].content")]
  return ShardReader(options: options)
}()

/// A benchmark mapping that reads fields of every kind: strings, numbers, a list, a struct.
nonisolated(unsafe) let benchmark = BenchmarkFormat(
  layout: .jsonl, parts: [("question", ["question", "q", "text"]), ("choices", ["choices", "choices.text", "counts", "meta.level"]), ("answer", ["answer", "i64", "flag"])],
  answer: .indexedChoice(key: "answer", choices: ["choices"]))

/// The Parquet footer, page and value decoders on arbitrary files that start with `PAR1`
/// (seeded with small pyarrow files): no crash; rows come in order; no more documents than rows.
/// Then the same file as a benchmark (every column decoded into records): no crash, and no more
/// items than the footer has rows.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParquet(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  var bytes = Array(UnsafeBufferPointer(start: data, count: size))
  if !bytes.starts(with: Array("PAR1".utf8)) { bytes = Array("PAR1".utf8) + bytes }
  FileManager.default.createFile(atPath: path, contents: Data(bytes))
  var lastLine = 0
  let counts = try? reader.read(path: path) { document in
    precondition(document.line > lastLine, "row numbers must increase")
    lastLine = document.line
  } onProblem: { _ in }
  if let counts { precondition(counts.documents <= counts.lines) }
  if let items = try? BenchmarkLoader.load(name: "fuzz", path: path, format: benchmark), let counts {
    precondition(items.count <= counts.lines, "no more items than rows")
  }
  return 0
}
