/// The verdict on one item.
public enum Verdict: String, Sendable, Codable, CaseIterable, Comparable {
  case contaminated, partial, clean
  /// Fewer tokens than the minimum: no judgement is possible.
  case tooShort = "too_short"

  public static func < (a: Verdict, b: Verdict) -> Bool {
    let order: [Verdict] = [.contaminated, .partial, .clean, .tooShort]
    return order.firstIndex(of: a)! < order.firstIndex(of: b)!
  }
}
