/// The verdict on one item.
public enum Verdict: String, Sendable, Codable, CaseIterable, Comparable {
  case contaminated, partial, clean
  /// Fewer tokens than the minimum: no judgement is possible.
  case tooShort = "too_short"

  public static func < (a: Verdict, b: Verdict) -> Bool {
    a.rank < b.rank
  }

  /// Worst first: contaminated, partial, clean, too short.
  private var rank: Int {
    switch self {
    case .contaminated: return 0
    case .partial: return 1
    case .clean: return 2
    case .tooShort: return 3
    }
  }
}
