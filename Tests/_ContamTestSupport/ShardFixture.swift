import Contam
import Foundation

/// Builds shards from real text in a temporary directory, compressed by the real tools.
public struct ShardFixture {
  public let directory: URL

  public init() throws { directory = try TestData.temporaryDirectory() }

  public func cleanup() { try? FileManager.default.removeItem(at: directory) }

  public func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

  @discardableResult
  public func write(_ name: String, _ data: Data) throws -> String {
    try data.write(to: url(name))
    return url(name).path
  }

  /// `tool args < input > name`.
  @discardableResult
  public func compress(_ name: String, _ input: Data, tool: String, _ args: [String]) throws -> String {
    try write(name, try Tool.run(tool, args, input: input))
  }

  /// A tar header block for one file, as `tar` writes it: the `ustar` magic and the octal
  /// checksum of the block (its own 8 bytes counted as spaces).
  public static func tarHeader(_ name: String) -> Data {
    var block = [UInt8](repeating: 0, count: 512)
    func put(_ text: String, at offset: Int) { for (i, byte) in text.utf8.enumerated() { block[offset + i] = byte } }
    put(name, at: 0)
    put("0000644", at: 100)
    put("00000001000", at: 124)
    put("0", at: 156)
    put("ustar\u{0}00", at: 257)
    put("        ", at: 148)
    put(String(format: "%06o", block.reduce(0) { $0 + Int($1) }) + "\u{0} ", at: 148)
    return Data(block)
  }

  /// JSONL of real paragraphs from a Gutenberg novel: `{"id": n, "text": paragraph}` per line.
  public static func paragraphsJSONL(count: Int, novel: String = "1342-0.txt.gz") throws -> (jsonl: Data, texts: [String]) {
    let text = try TestData.gutenberg(novel, bytes: 400_000)
    let paragraphs = text.components(separatedBy: "\r\n\r\n").map {
      $0.trimmingCharacters(in: .whitespacesAndNewlines)
    }.filter { $0.count > 40 }
    let chosen = Array(paragraphs.prefix(count))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var out = Data()
    for (i, p) in chosen.enumerated() {
      struct Record: Encodable { var id: Int; var text: String }
      out += try encoder.encode(Record(id: i + 1, text: p))
      out += Data("\n".utf8)
    }
    return (out, chosen)
  }
}

/// Everything one read of a shard produced.
public struct ReadResult {
  public var documents: [(line: Int, id: String?, text: String)] = []
  public var problems: [ContamError] = []
  public var counts = ShardReadCounts()
}

public func readAll(_ path: String, options: ShardReaderOptions = ShardReaderOptions()) throws -> ReadResult {
  var result = ReadResult()
  result.counts = try ShardReader(options: options).read(path: path) { doc in
    result.documents.append((doc.line, doc.id, doc.textString))
  } onProblem: { result.problems.append($0) }
  return result
}

extension ShardFixture {
  /// Each MATH-Perturb original (problem and solution, from the fixtures' pairs file) on a page
  /// of a novel, one JSONL document per pair (`page-K` for pair K), and the pairs as read.
  public static func mathOriginalsJSONL() throws -> (jsonl: Data, pairs: [[String: Any]]) {
    let pairs = try String(contentsOfFile: TestData.path("benchmarks/math_perturb/pairs_with_math_originals.jsonl"), encoding: .utf8)
      .split(separator: "\n").map { line -> [String: Any] in
        guard let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { throw CocoaError(.fileReadCorruptFile) }
        return record
      }
    let novel = try TestData.gutenberg("1342-0.txt.gz", bytes: 600_000)
    let chunk = novel.count / pairs.count
    var lines: [String] = []
    for (k, pair) in pairs.enumerated() {
      let page = String(novel.dropFirst(k * chunk).prefix(chunk))
      let copy = "\(pair["original_problem"] ?? "")\n\n\(pair["original_solution"] ?? "")"
      let text = String(page.prefix(chunk / 2)) + "\n\n" + copy + "\n\n" + String(page.dropFirst(chunk / 2))
      lines.append(String(decoding: try JSONSerialization.data(withJSONObject: ["id": "page-\(k)", "text": text], options: [.sortedKeys]), as: UTF8.self))
    }
    return (Data((lines.joined(separator: "\n") + "\n").utf8), pairs)
  }
}
