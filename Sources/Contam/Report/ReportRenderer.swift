import Foundation

/// Renders a certificate for people: Markdown or a self-contained HTML page (inline CSS and
/// SVG, no external assets).
///
/// Contents: the inputs and parameters, per-benchmark rates by verdict, a histogram of item
/// coverage, and every contaminated, partial or near-duplicate item with its best evidence.
/// Words of the snippet that also occur in the item are highlighted when the items are given.
public enum ReportRenderer {
  public enum Format: String, Sendable, CaseIterable {
    case markdown, html
  }

  /// Items with a finding, in certificate order.
  static func flagged(_ certificate: Certificate) -> [ItemResult] {
    certificate.items.filter { $0.verdict < .clean || $0.nearDuplicate != nil }
  }

  /// Counts of items by coverage bucket: [0, 0.1), [0.1, 0.2), … [0.9, 1.0].
  public static func histogram(_ certificate: Certificate) -> [Int] {
    var buckets = [Int](repeating: 0, count: 10)
    for item in certificate.items where item.verdict != .tooShort {
      buckets[min(9, Int(item.coverage * 10))] += 1
    }
    return buckets
  }

  static func percent(_ part: Int, _ whole: Int) -> String {
    whole == 0 ? "0%" : String(format: "%.1f%%", 100 * Double(part) / Double(whole))
  }

  /// Splits `snippet` into runs, marking the words whose normalized token is one of `itemTokens`.
  static func highlighted(_ snippet: String, itemTokens: Set<UInt64>?, tokenizer: Tokenizer) -> [(text: String, matched: Bool)] {
    guard let itemTokens else { return [(snippet, true)] }
    let bytes = Array(snippet.utf8)
    var runs: [(String, Bool)] = []
    var at = 0
    for token in tokenizer.tokens(of: snippet) {
      if token.start > at { runs.append((String(decoding: bytes[at..<token.start], as: UTF8.self), false)) }
      runs.append((String(decoding: bytes[token.start..<token.end], as: UTF8.self), itemTokens.contains(token.hash)))
      at = token.end
    }
    if at < bytes.count { runs.append((String(decoding: bytes[at...], as: UTF8.self), false)) }
    return runs
  }

  /// The report as text.
  /// - Parameters:
  ///   - certificate: the certificate to render.
  ///   - format: Markdown or HTML.
  ///   - items: the benchmark items (to highlight matched words); nil highlights the whole snippet.
  ///   - impact: a `contam impact` report of this certificate, for a "Score by verdict" section.
  public static func render(_ certificate: Certificate, format: Format, items: [BenchmarkItem]? = nil, impact: ImpactReport? = nil) -> String {
    var tokensByID: [String: Set<UInt64>] = [:]
    if let items {
      let tokenizer = Tokenizer(normalizer: .of(certificate.parameters.textVersion ?? .current))
      for item in items { tokensByID["\(item.benchmark)/\(item.id)"] = Set(tokenizer.tokens(of: ItemIndex.text(of: item)).map(\.hash)) }
    }
    switch format {
    case .markdown: return markdown(certificate, tokensByID: items == nil ? nil : tokensByID, impact: impact)
    case .html: return html(certificate, tokensByID: items == nil ? nil : tokensByID, impact: impact)
    }
  }

  static func markdown(_ c: Certificate, tokensByID: [String: Set<UInt64>]?, impact: ImpactReport? = nil) -> String {
    let tokenizer = Tokenizer(normalizer: .of(c.parameters.textVersion ?? .current))
    var out = "# Contam overlap report\n\n"
    out += "Certificate `\(c.digest ?? "unsealed")`, \(c.tool), \(c.format)"
    if let s = c.signature { out += ", signed by `\(s.publicKey)`" }
    out += ".\n\nCorpus: \(c.shards.count) shards, \(c.corpus.documents) documents, \(c.corpus.tokens) tokens"
    if !c.corpus.problems.isEmpty {
      out += "; skipped: " + c.corpus.problems.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
    out += ". Parameters: \(c.parameters.n)-grams, contaminated ≥ \(c.parameters.contaminatedThreshold), partial ≥ \(c.parameters.partialThreshold)"
    if let near = c.parameters.near { out += ", near duplicates at containment ≥ \(near.containmentThreshold)" }
    out += ", normalization \(c.parameters.normalization)."
    let weaker = c.parameters.weakenings()
    if !weaker.isEmpty {
      out += "\n\n**Weaker than the defaults**, so its clean verdicts say less than a default scan's: "
      out += weaker.map(text).joined(separator: "; ") + "."
    }
    if let use = c.corpusIndex {
      out += "\n\nRead through the corpus index \(text(use.digest)): \(use.candidateDocuments) candidate documents in \(use.candidateShards) shards; \(text(use.scope))."
    }
    out += "\n\n## Benchmarks\n\n"
    out += "| benchmark | items | contaminated | perturbed | partial | clean | too short | near duplicates |\n"
    out += "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    for s in c.summary {
      out += "| \(text(s.benchmark)) | \(s.items) | \(s.contaminated) (\(percent(s.contaminated, s.items))) | \(s.perturbed) | \(s.partial) (\(percent(s.partial, s.items))) | \(s.clean) | \(s.tooShort) | \(s.nearDuplicates) |\n"
    }
    if let impact { out += impactMarkdown(impact) }
    out += "\n## Coverage of items\n\n| coverage | items |\n| --- | ---: |\n"
    for (k, n) in histogram(c).enumerated() { out += "| \(Double(k) / 10)–\(Double(k + 1) / 10) | \(n) |\n" }
    let flagged = flagged(c)
    out += "\n## Findings (\(flagged.count))\n"
    for item in flagged {
      out += "\n### \(text(item.benchmark))/\(text(item.id)): \(item.verdict.rawValue), coverage \(String(format: "%.2f", item.coverage))\n\n"
      if let e = item.evidence.first {
        out += "Exact: \(text(e.shard)) line \(e.line)\(e.documentID.map { " (id \(text($0)))" } ?? ""), bytes \(e.byteStart)–\(e.byteEnd), longest run \(e.longestRun) tokens"
        if let a = e.answer { out += ", answer \(a.agreement.rawValue)" }
        out += "\n\n> " + highlighted(e.snippet, itemTokens: tokensByID?["\(item.benchmark)/\(item.id)"], tokenizer: tokenizer).map {
          $0.matched ? "**\(text($0.text))**" : text($0.text)
        }.joined().replacingOccurrences(of: "\n", with: " ") + "\n"
      }
      if let near = item.nearDuplicate, let e = near.evidence.first {
        out += "\nNear duplicate: containment \(String(format: "%.2f", e.containment))\(e.part.map { " of the \(text($0))" } ?? ""), \(text(e.shard)) line \(e.line)"
        if let a = e.answer { out += ", answer \(a.agreement.rawValue) (item: \(text(a.expected)), document: \(text(a.found ?? "none")))" }
        out += Self.verbatimNote(e)
        out += "\n\n> " + text(e.snippet).replacingOccurrences(of: "\n", with: " ") + "\n"
      }
    }
    return out
  }

  /// Text from a certificate (snippets, ids, paths: whatever the corpus or a file said) made
  /// inert in Markdown: HTML is escaped (a `<script>` in a document stays text) and Markdown's
  /// punctuation is backslash-escaped, so no snippet can add links, emphasis or table cells.
  static func text(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for character in s {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\\", "`", "*", "_", "[", "]", "|", "#", "!", "~", "{", "}", "(", ")": out += "\\" + String(character)
      case "\r": out += " "
      default: out.append(character)
      }
    }
    return out
  }

  static func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  /// An SVG bar chart of the coverage histogram.
  static func chart(_ buckets: [Int]) -> String {
    let width = 600
    let height = 220
    let top = max(1, buckets.max() ?? 1)
    let barWidth = (width - 60) / buckets.count
    var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"items by coverage\">"
    svg += "<line x1=\"40\" y1=\"180\" x2=\"\(width - 10)\" y2=\"180\" stroke=\"#444\"/>"
    for (k, n) in buckets.enumerated() {
      // Log scale: most items are clean, findings would vanish on a linear one.
      let h = n == 0 ? 0 : max(2, Int(160 * log(Double(n) + 1) / log(Double(top) + 1)))
      let x = 40 + k * barWidth
      let color = k >= 8 ? "#c0392b" : k >= 2 ? "#e67e22" : "#7f8c8d"
      svg += "<rect x=\"\(x + 4)\" y=\"\(180 - h)\" width=\"\(barWidth - 8)\" height=\"\(h)\" fill=\"\(color)\"><title>\(n) items</title></rect>"
      svg += "<text x=\"\(x + barWidth / 2)\" y=\"\(175 - h)\" font-size=\"11\" text-anchor=\"middle\">\(n)</text>"
      svg += "<text x=\"\(x + barWidth / 2)\" y=\"196\" font-size=\"10\" text-anchor=\"middle\">\(Double(k) / 10)</text>"
    }
    svg += "<text x=\"\(width / 2)\" y=\"214\" font-size=\"11\" text-anchor=\"middle\">coverage of item tokens by corpus n-grams (log scale)</text></svg>"
    return svg
  }

  static func html(_ c: Certificate, tokensByID: [String: Set<UInt64>]?, impact: ImpactReport? = nil) -> String {
    let tokenizer = Tokenizer(normalizer: .of(c.parameters.textVersion ?? .current))
    var out = """
      <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Contam overlap report</title><style>
      body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222}
      table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}
      td:first-child,th:first-child{text-align:left}.snippet{background:#f6f6f6;padding:.6em;border-left:3px solid #999;white-space:pre-wrap}
      mark{background:#ffd54f}.contaminated{color:#c0392b}.partial{color:#e67e22}code{font-size:.9em}
      </style></head><body><h1>Contam overlap report</h1>
      """
    out += "<p>Certificate <code>\(escape(c.digest ?? "unsealed"))</code>, \(escape(c.tool)), \(escape(c.format))"
    if let s = c.signature { out += ", signed by <code>\(escape(s.publicKey))</code>" }
    out += ". Corpus: \(c.shards.count) shards, \(c.corpus.documents) documents, \(c.corpus.tokens) tokens.</p>"
    let weaker = c.parameters.weakenings()
    if !weaker.isEmpty {
      out += "<p><strong>Weaker than the defaults</strong>, so its clean verdicts say less than a default scan's: "
      out += weaker.map(escape).joined(separator: "; ") + ".</p>"
    }
    if let use = c.corpusIndex {
      out += "<p>Read through the corpus index <code>\(escape(use.digest))</code>: \(use.candidateDocuments) candidate documents in \(use.candidateShards) shards; \(escape(use.scope)).</p>"
    }
    out += "<h2>Benchmarks</h2><table><tr><th>benchmark</th><th>items</th><th>contaminated</th><th>perturbed</th><th>partial</th><th>clean</th><th>too short</th><th>near duplicates</th></tr>"
    for s in c.summary {
      out += "<tr><td>\(escape(s.benchmark))</td><td>\(s.items)</td><td>\(s.contaminated) (\(percent(s.contaminated, s.items)))</td><td>\(s.perturbed)</td><td>\(s.partial) (\(percent(s.partial, s.items)))</td><td>\(s.clean)</td><td>\(s.tooShort)</td><td>\(s.nearDuplicates)</td></tr>"
    }
    out += "</table>" + (impact.map(impactHTML) ?? "") + "<h2>Coverage of items</h2>" + chart(histogram(c))
    let flagged = flagged(c)
    out += "<h2>Findings (\(flagged.count))</h2>"
    for item in flagged {
      out += "<h3>\(escape(item.benchmark))/\(escape(item.id)): <span class=\"\(item.verdict.rawValue)\">\(item.verdict.rawValue)</span>, coverage \(String(format: "%.2f", item.coverage))</h3>"
      if let e = item.evidence.first {
        out += "<p>Exact: <code>\(escape(e.shard))</code> line \(e.line)\(e.documentID.map { " (id \(escape($0)))" } ?? ""), bytes \(e.byteStart)–\(e.byteEnd), longest run \(e.longestRun) tokens"
        if let a = e.answer { out += ", answer \(a.agreement.rawValue)" }
        out += "</p><div class=\"snippet\">" + highlighted(e.snippet, itemTokens: tokensByID?["\(item.benchmark)/\(item.id)"], tokenizer: tokenizer).map {
          $0.matched ? "<mark>\(escape($0.text))</mark>" : escape($0.text)
        }.joined() + "</div>"
      }
      if let near = item.nearDuplicate, let e = near.evidence.first {
        out += "<p>Near duplicate: containment \(String(format: "%.2f", e.containment))\(e.part.map { " of the \(escape($0))" } ?? ""), <code>\(escape(e.shard))</code> line \(e.line)"
        if let a = e.answer { out += ", answer \(a.agreement.rawValue) (item: \(escape(a.expected)), document: \(escape(a.found ?? "none")))" }
        out += Self.verbatimNote(e)
        out += "</p><div class=\"snippet\">\(escape(e.snippet))</div>"
      }
    }
    return out + "</body></html>\n"
  }

  /// Where measured (``NearDuplicateEvidence/verbatim``), whether the copy is the item word for
  /// word or differs where tokens do not look: what tells `contaminated` from `perturbed` there.
  static func verbatimNote(_ evidence: NearDuplicateEvidence) -> String {
    switch evidence.verbatim {
    case true?: ", word for word"
    case false?: ", not word for word (a sign, an operator or a lone letter differs)"
    case nil: ""
    }
  }
}
