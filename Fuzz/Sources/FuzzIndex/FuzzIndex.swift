import Contam
import Foundation

/// Damaged corpus index segments: a real index of real-looking text is built once; every input
/// is a list of edits to its segment file (5 bytes each: a 4-byte offset and a byte to XOR
/// there; an XOR byte of 0 truncates the file at the offset). Opening and querying the damaged
/// index must either fail with a ContamError or answer exactly what the intact index answers:
/// never crash, never a different answer.
enum Pristine {
  static let directory: String = {
    let dir = NSTemporaryDirectory() + "contam-fuzz-index-\(getpid())"
    try? FileManager.default.removeItem(atPath: dir)
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    var lines = ""
    var seed: UInt64 = 42
    let words = ["the", "cat", "sat", "on", "a", "mat", "while", "seven", "apples", "fell", "from", "tall", "trees", "near",
      "river", "banks", "and", "children", "counted", "them", "twice", "before", "dinner", "was", "served"]
    for _ in 0..<300 {
      var text: [String] = []
      for _ in 0..<60 {
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        text.append(words[Int(seed >> 33) % words.count])
      }
      lines += "{\"text\": \"\(text.joined(separator: " "))\"}\n"
    }
    try! lines.write(toFile: dir + "/shard.jsonl", atomically: true, encoding: .utf8)
    _ = try! CorpusIndexBuilder().build(paths: [dir + "/shard.jsonl"], into: dir + "/index")
    return dir
  }()
  static let manifest = try! CorpusIndexManifest.read(directory: directory + "/index").manifest
  static let segmentPath = directory + "/index/" + manifest.segments[0].file
  static let segment = try! Data(contentsOf: URL(fileURLWithPath: segmentPath))
  static let keys: [UInt64] = {
    let text = try! String(contentsOfFile: directory + "/shard.jsonl", encoding: .utf8)
    let hashes = Tokenizer().tokens(of: text).map(\.hash)
    return CorpusIndex.queryKeys([Array(hashes.prefix(3000))], k: manifest.winnowing.k)
  }()
  static let answer = try! CorpusIndex(directory: directory + "/index").candidates(forKeys: keys)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIndex(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  var file = Pristine.segment
  var i = 0
  while i + 5 <= size {
    let offset = Int(data[i]) | Int(data[i + 1]) << 8 | Int(data[i + 2]) << 16 | Int(data[i + 3]) << 24
    let value = data[i + 4]
    if value == 0 {
      file = file.prefix(offset % (file.count + 1))
    } else if !file.isEmpty {
      file[offset % file.count] ^= value
    }
    i += 5
  }
  try! file.write(to: URL(fileURLWithPath: Pristine.segmentPath))
  defer { try! Pristine.segment.write(to: URL(fileURLWithPath: Pristine.segmentPath)) }
  do {
    let index = try CorpusIndex(directory: Pristine.directory + "/index")
    let answer = try index.candidates(forKeys: Pristine.keys)
    precondition(answer == Pristine.answer || file == Pristine.segment, "a damaged index answered differently")
  } catch is ContamError {
  } catch {
    preconditionFailure("not a ContamError: \(error)")
  }
  return 0
}
