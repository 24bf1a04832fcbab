/// One test item of a benchmark: its id and its text parts (question, choices, answer, code…).
public struct BenchmarkItem: Sendable, Hashable, Codable {
  /// A named piece of the item's text.
  public struct Part: Sendable, Hashable, Codable {
    /// `question`, `choices`, `answer`, … as the field mapping names it.
    public var name: String
    public var text: String
    public init(name: String, text: String) {
      self.name = name
      self.text = text
    }
  }

  /// Names of parts that are context given with an item, not the item itself (SciQ's
  /// supporting passage): an item is also judged without them.
  public static let contextPartNames: Set<String> = ["support", "context", "passage"]
  /// The item's own parts, when it has context parts too and at least two of its own, side by
  /// side, with context only before or after them (SciQ: question and choices, then the
  /// supporting passage; a reading test mapped as passage, question, options): the item as it
  /// is tested, which a copy usually holds without the passage. Nil otherwise.
  public var ownParts: Range<Int>? {
    let own = parts.indices.filter { !Self.contextPartNames.contains(parts[$0].name) }
    guard let first = own.first, let last = own.last, own.count >= 2, own.count < parts.count, last - first + 1 == own.count else {
      return nil
    }
    return first..<last + 1
  }
  /// The name of the part whose lines are the options of a multiple-choice item: a copy may
  /// give them in another order.
  public static let choicesPartName = "choices"

  /// The benchmark's name as given on the command line (`gsm8k`, `mmlu`, …).
  public var benchmark: String
  /// The record's id field, or `<file stem>/<record number>` (MMLU: `<subject>/<row>`).
  public var id: String
  /// The parts in the order they are matched (an item's token sequence is their concatenation).
  public var parts: [Part]
  /// The final answer, where the format has one (checked against matched documents).
  public var answer: ItemAnswer?

  public init(benchmark: String, id: String, parts: [Part], answer: ItemAnswer? = nil) {
    self.benchmark = benchmark
    self.id = id
    self.parts = parts
    self.answer = answer
  }
}
