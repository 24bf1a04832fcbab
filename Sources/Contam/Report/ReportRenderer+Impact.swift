import Foundation

/// The report's "Score by verdict" section, from a `contam impact` report of the same
/// certificate: per model and benchmark, the score of each subset and its difference to the
/// clean items with the 95% interval; in HTML, a chart of those differences.
extension ReportRenderer {
  static func signed(_ x: Double) -> String { String(format: "%+.3f", x) }

  static func impactMarkdown(_ impact: ImpactReport) -> String {
    var out = "\n## Score by verdict\n\nModel results (`contam impact`, seed \(impact.seed), \(impact.resamples) resamples): "
    out += "the score on each verdict's items minus the score on clean items, with a bootstrap 95% interval and a permutation-test p-value.\n"
    for b in impact.benchmarks {
      out += "\n### \(text(b.model)) on \(text(b.benchmark))\n\n| subset | items | score | minus clean | 95% interval | p |\n| --- | ---: | ---: | ---: | ---: | ---: |\n"
      for s in b.subsets where s.items > 0 {
        let c = b.comparisons.first { $0.subset == s.name }
        out += "| \(text(s.name)) | \(s.items) | \(s.score.map { String(format: "%.3f", $0) } ?? "-") | "
        out += c.map { signed($0.difference) + ($0.tooSmall ? " (few items)" : "") } ?? ""
        out += " | " + (c.map { "[\(signed($0.low)), \(signed($0.high))]" } ?? "") + " | " + (c.map { String(format: "%.4f", $0.pValue) } ?? "") + " |\n"
      }
      for w in b.warnings { out += "\n- \(text(w))" }
      if !b.warnings.isEmpty { out += "\n" }
    }
    return out
  }

  static func impactHTML(_ impact: ImpactReport) -> String {
    var out = "<h2>Score by verdict</h2><p>Model results (<code>contam impact</code>, seed \(impact.seed), \(impact.resamples) resamples): the score on each verdict's items minus the score on clean items; the bars are bootstrap 95% intervals.</p>"
    for b in impact.benchmarks {
      out += "<h3>\(escape(b.model)) on \(escape(b.benchmark))</h3>" + differenceChart(b)
      out += "<table><tr><th>subset</th><th>items</th><th>score</th><th>minus clean</th><th>95% interval</th><th>p</th></tr>"
      for s in b.subsets where s.items > 0 {
        let c = b.comparisons.first { $0.subset == s.name }
        out += "<tr><td>\(escape(s.name))</td><td>\(s.items)</td><td>\(s.score.map { String(format: "%.3f", $0) } ?? "-")</td>"
        out += "<td>\(c.map { signed($0.difference) + ($0.tooSmall ? " (few items)" : "") } ?? "")</td>"
        out += "<td>\(c.map { "[\(signed($0.low)), \(signed($0.high))]" } ?? "")</td><td>\(c.map { String(format: "%.4f", $0.pValue) } ?? "")</td></tr>"
      }
      out += "</table>" + b.warnings.map { "<p>Note: \(escape($0))</p>" }.joined()
    }
    return out
  }

  /// Each compared subset's difference to clean as a point with its interval, on a −1…+1 axis.
  static func differenceChart(_ b: ImpactReport.BenchmarkImpact) -> String {
    let rows = b.comparisons
    guard !rows.isEmpty else { return "" }
    let width = 520.0
    let left = 110.0
    let plot = width - left - 20
    let height = Double(rows.count) * 28 + 40
    func x(_ v: Double) -> Double { left + (max(-1, min(1, v)) + 1) / 2 * plot }
    var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"score minus clean score by verdict\">"
    svg += "<line x1=\"\(x(0))\" y1=\"10\" x2=\"\(x(0))\" y2=\"\(height - 25)\" stroke=\"#888\" stroke-dasharray=\"3 3\"/>"
    for (k, c) in rows.enumerated() {
      let y = 25 + Double(k) * 28
      let color = c.tooSmall ? "#aaa" : (c.low > 0 || c.high < 0) ? "#c0392b" : "#2c3e50"
      svg += "<text x=\"\(left - 8)\" y=\"\(y + 4)\" font-size=\"12\" text-anchor=\"end\">\(escape(c.subset))</text>"
      svg += "<line x1=\"\(x(c.low))\" y1=\"\(y)\" x2=\"\(x(c.high))\" y2=\"\(y)\" stroke=\"\(color)\" stroke-width=\"2\"/>"
      svg += "<circle cx=\"\(x(c.difference))\" cy=\"\(y)\" r=\"4\" fill=\"\(color)\"><title>\(signed(c.difference)) [\(signed(c.low)), \(signed(c.high))], p = \(String(format: "%.4f", c.pValue))</title></circle>"
    }
    for tick in [-1.0, -0.5, 0, 0.5, 1] {
      svg += "<text x=\"\(x(tick))\" y=\"\(height - 8)\" font-size=\"10\" text-anchor=\"middle\">\(signed(tick))</text>"
    }
    return svg + "</svg>"
  }
}
