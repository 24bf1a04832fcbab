import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("MinHash on real MATH-Perturb pairs")
struct MinHasherTests {
  /// (original, perturbed) MATH problems, linked by ../shared/data/benchmarks/math_perturb/pairs_with_math_originals.jsonl.
  static func pairs(_ count: Int, hard: Bool = false) throws -> [(String, String)] {
    let text = try String(contentsOfFile: TestData.path("benchmarks/math_perturb/pairs_with_math_originals.jsonl"), encoding: .utf8)
    var out: [(String, String)] = []
    for line in text.split(separator: "\n") {
      let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      guard record["matched"] as? Bool == true, let original = record["original_problem"] as? String,
        let changed = record[hard ? "hard_problem" : "simple_problem"] as? String
      else { continue }
      out.append((original, changed))
      if out.count == count { break }
    }
    return out
  }

  /// Mean absolute error of the estimate against exact Jaccard, over real pairs and over
  /// unrelated pairs (each original against the next pair's perturbed problem).
  func meanError(_ hasher: MinHasher, k: Int) throws -> Double {
    let pairs = try Self.pairs(120, hard: true)
    var total = 0.0
    var count = 0
    for (i, (a, b)) in pairs.enumerated() {
      for other in [b, pairs[(i + 1) % pairs.count].1] {
        let sa = MinHasher.shingles(of: a, k: k)
        let sb = MinHasher.shingles(of: other, k: k)
        let estimate = MinHasher.similarity(try #require(hasher.signature(of: sa)), try #require(hasher.signature(of: sb)))
        total += abs(estimate - MinHasher.jaccard(sa, sb))
        count += 1
      }
    }
    return total / Double(count)
  }

  @Test(arguments: MinHasher.Scheme.allCases)
  func estimatesTrackExactJaccard(scheme: MinHasher.Scheme) throws {
    // Standard error of a 96-value MinHash is at most 0.5/sqrt(96) ≈ 0.05; the mean absolute error is below it.
    let error = try meanError(MinHasher(m: 96, scheme: scheme), k: 3)
    print("MinHash \(scheme.rawValue), m = 96, k = 3: mean absolute error \(error) on 240 real pairs")
    #expect(error < 0.05, "mean |estimate - exact| = \(error)")
  }

  @Test func identicalSetsAgreeAndDisjointSetsDiffer() throws {
    let hasher = MinHasher(m: 64)
    let (a, _) = try #require(try Self.pairs(1).first)
    let sa = MinHasher.shingles(of: a, k: 3)
    #expect(hasher.signature(of: sa) == hasher.signature(of: sa.reversed() + sa), "order and duplicates do not matter")
    let other = MinHasher.shingles(of: try TestData.gutenberg(bytes: 2_000), k: 3)
    let estimate = MinHasher.similarity(hasher.signature(of: sa)!, hasher.signature(of: other)!)
    #expect(estimate < 0.1)
    #expect(hasher.signature(of: []) == nil)
  }

  @Test func smallSetsAreDensifiedWithoutEmptyBuckets() throws {
    // 5 shingles into 64 buckets: most buckets are empty before densification.
    let keys = MinHasher.shingles(of: "one two three four five six seven", k: 3)
    #expect(keys.count == 5)
    let signature = try #require(MinHasher(m: 64).signature(of: keys))
    #expect(!signature.contains(MinHasher.empty))
    // The same small set always densifies the same way, and a different one differently.
    #expect(MinHasher(m: 64).signature(of: keys) == signature)
    let other = MinHasher.shingles(of: "one two three four five six eight", k: 3)
    #expect(MinHasher(m: 64).signature(of: other) != signature)
  }
}
