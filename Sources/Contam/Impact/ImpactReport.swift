/// What `contam impact` found: per model and benchmark, the score on all items, on clean items
/// and on each verdict's items, with the differences to the clean subset, their bootstrap 95%
/// intervals and permutation p-values. It records the certificate's digest and every results
/// file's SHA-256, so it can be checked like the certificate (re-run it, compare).
public struct ImpactReport: Sendable, Codable, Hashable {
  public static let currentFormat = "contam-impact-1"

  public struct Source: Sendable, Codable, Hashable {
    public var path: String
    public var sha256: String
  }

  public struct ResultsInput: Sendable, Codable, Hashable {
    public var path: String
    public var sha256: String
    public var format: ResultsFile.Format
    public var metric: String
    public var filter: String?
    /// Lines read as results.
    public var results: Int
    /// Results mapped to a certificate item.
    public var mapped: Int
    /// Results naming no item of the certificate (unknown benchmark, id or position).
    public var unmapped: Int
    /// Results for an item already given a score by an earlier line (the first is kept).
    public var duplicates: Int
    /// lm-eval results whose `doc` text is not the mapped item's: left out.
    public var mismatched: Int
    /// lm-eval results whose position was checked against the item's text (0 when the
    /// benchmark files were not at hand: the positions are then unchecked).
    public var checked: Int
    /// lm-eval lines of another filter, not read.
    public var setAside: Int
  }

  /// A problem with one result line, for the user to see (the first few of each kind).
  public struct Problem: Sendable, Codable, Hashable {
    public var file: String
    public var line: Int
    public var message: String
  }

  /// The items of one subset and their mean score.
  public struct Subset: Sendable, Codable, Hashable {
    /// `all`, `clean`, `flagged` (contaminated, partial or perturbed), or a verdict.
    public var name: String
    public var items: Int
    /// Mean score; nil for an empty subset.
    public var score: Double?
  }

  /// A subset's score minus the clean subset's.
  public struct Comparison: Sendable, Codable, Hashable {
    public var subset: String
    public var difference: Double
    /// Bootstrap 95% percentile interval of the difference.
    public var low: Double
    public var high: Double
    /// Two-sided permutation-test p-value of "no difference".
    public var pValue: Double
    /// Whether either side has fewer than ``ImpactAnalysis/minimumItems`` items: the figures
    /// say little.
    public var tooSmall: Bool
  }

  public struct BenchmarkImpact: Sendable, Codable, Hashable {
    public var model: String
    public var benchmark: String
    public var subsets: [Subset]
    public var comparisons: [Comparison]
    /// Score on all items minus score on clean items: how much the reported figure owes to
    /// items found in the corpus (and to too-short ones).
    public var inflation: Double?
    public var warnings: [String]
  }

  /// Original vs perturbed problems (MATH-Perturb), split by whether the original was found.
  public struct PairImpact: Sendable, Codable, Hashable {
    public var model: String
    public var original: String
    public var perturbed: String
    /// `found` (the original is contaminated, partial or perturbed) or `clean`.
    public var originalFound: String
    public var pairs: Int
    public var originalScore: Double?
    public var perturbedScore: Double?
  }

  public var format = ImpactReport.currentFormat
  public var certificate: Source
  /// The certificate's digest (its `digest` field, verified when read).
  public var certificateDigest: String
  public var results: [ResultsInput]
  public var seed: UInt64
  public var resamples: Int
  public var benchmarks: [BenchmarkImpact]
  public var pairs: [PairImpact]
  public var problems: [Problem]
}
