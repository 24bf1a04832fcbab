/// The verdict on one item: one word from all the evidence (see docs/VERDICTS.md and
/// ``ScanConfiguration/verdict(tokens:coverage:near:)``).
public enum Verdict: String, Sendable, Codable, CaseIterable, Comparable {
  /// The item is in the corpus: most of its text verbatim, or a near copy that states the
  /// same answer (or of an item that has none).
  case contaminated
  /// A near copy of the item whose answer differs: a perturbed version (numbers changed, as
  /// MATH-Perturb does), not a leaked solution.
  case perturbed
  /// Part of the item is in the corpus (a question without its answer, a long passage), or a
  /// near copy below the contaminated containment.
  case partial
  case clean
  /// Fewer tokens than the minimum: no judgement is possible.
  case tooShort = "too_short"

  public static func < (a: Verdict, b: Verdict) -> Bool {
    a.rank < b.rank
  }

  /// Worst first: contaminated, perturbed, partial, clean, too short.
  private var rank: Int {
    switch self {
    case .contaminated: return 0
    case .perturbed: return 1
    case .partial: return 2
    case .clean: return 3
    case .tooShort: return 4
    }
  }
}
