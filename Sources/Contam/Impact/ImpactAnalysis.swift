/// Clean-subset evaluation: does contamination move the score?
///
/// Maps each model result to a certificate item, then, per model and benchmark, compares the
/// mean score on each verdict's items with the mean on clean items (GPT-3's and Llama 2's
/// clean-subset comparison), with a bootstrap 95% interval of the difference and a two-sided
/// permutation-test p-value. Both are seeded, so a report is reproducible.
///
/// How results find their items:
/// - a result with an id (JSONL, CSV) names the benchmark and the item's id as the certificate
///   records them;
/// - an lm-eval result has a task and a `doc_id`, the 0-based position in the task's test
///   split. The task is a benchmark of the certificate (`gsm8k`), or a benchmark and a file of
///   it (`mmlu_sociology` → benchmark `mmlu`, the items of `sociology_test.csv`, whose ids
///   start `sociology_test/`), or a benchmark whose whole test split it is (`arc_challenge` →
///   `arc`); `taskMap` overrides (`arc_easy=arc-e`, `mmlu_law=mmlu/professional_law_test`).
///   Position k is the k-th of those items in file order, which is lm-eval's order when the
///   benchmark file is the split lm-eval loads. When the benchmark files are at hand, every
///   such result is checked against its item's text (lm-eval's `doc`); a result whose text is
///   not the item's is left out and counted, and a task where most are is an error.
public enum ImpactAnalysis {
  /// Below this many items a subset's figures say little; they are flagged, not hidden.
  public static let minimumItems = 10

  public struct Options: Sendable {
    public var seed: UInt64 = 1
    public var resamples = 2_000
    /// lm-eval task → `benchmark` or `benchmark/file-stem`.
    public var taskMap: [String: String] = [:]
    /// MATH-Perturb-style pairs: the perturbed benchmark, the original benchmark, and
    /// perturbed id → original id.
    public var pairs: [(perturbed: String, original: String, originals: [String: String])] = []
    public init() {}
  }

  /// The verdict subsets compared with the clean one, in report order.
  static let compared = ["flagged", "contaminated", "perturbed", "partial", "too_short"]

  /// Runs the analysis.
  /// - Parameters:
  ///   - certificate: the scan's certificate (its digest checked by the caller).
  ///   - certificatePath: where it was read, for the report.
  ///   - files: the results files.
  ///   - items: the benchmark items (from the files the certificate names), to check lm-eval
  ///     positions against their text; nil skips the check (the report says so).
  /// - Throws: ``ContamError/Code/invalidArgument`` when the results do not fit the
  ///   certificate (most results unmapped, or a task's positions not its items).
  public static func run(
    certificate: Certificate, certificatePath: String, certificateSHA256: String, files: [ResultsFile],
    items: [BenchmarkItem]? = nil, options: Options = Options()
  ) throws(ContamError) -> ImpactReport {
    let certItems = certificate.items
    var byBenchmark: [String: [Int]] = [:]
    var byID: [String: [String: Int]] = [:]
    for (k, item) in certItems.enumerated() {
      byBenchmark[item.benchmark, default: []].append(k)
      byID[item.benchmark, default: [:]][item.id] = k
    }
    let tokenizer = Tokenizer(normalizer: .of(certificate.parameters.textVersion ?? .current))
    let itemTokens: [Set<UInt64>]? = items.flatMap { items in
      items.count == certItems.count ? items.map { Set(tokenizer.tokens(of: $0.parts.first?.text ?? "").map(\.hash)) } : nil
    }

    func target(ofTask task: String) -> [Int]? {
      func subset(_ benchmark: String, _ stem: String?) -> [Int]? {
        guard let all = byBenchmark[benchmark] else { return nil }
        guard let stem else { return all }
        let within = all.filter {
          let first = certItems[$0].id.split(separator: "/").first.map(String.init) ?? ""
          return first == stem || first.hasPrefix(stem + "_")
        }
        return within.isEmpty ? nil : within
      }
      if let mapped = options.taskMap[task] {
        let parts = mapped.split(separator: "/", maxSplits: 1).map(String.init)
        return subset(parts[0], parts.count > 1 ? parts[1] : nil)
      }
      if let all = byBenchmark[task] { return all }
      // The longest benchmark name the task starts with, then the rest as its file.
      let cuts = task.indices.filter { task[$0] == "_" }.reversed()
      for cut in cuts {
        let benchmark = String(task[..<cut])
        let rest = String(task[task.index(after: cut)...])
        guard byBenchmark[benchmark] != nil else { continue }
        return subset(benchmark, rest) ?? byBenchmark[benchmark]
      }
      return nil
    }

    var inputs: [ImpactReport.ResultsInput] = []
    var problems: [ImpactReport.Problem] = []
    // model -> item -> score
    var scores: [String: [Int: Double]] = [:]
    var models: [String] = []
    func note(_ result: ModelResult, _ message: String) {
      if problems.count < 50 { problems.append(.init(file: result.file, line: result.line, message: message)) }
    }
    for file in files {
      var input = ImpactReport.ResultsInput(
        path: file.path, sha256: file.sha256, format: file.format, metric: file.metric, filter: file.filter,
        results: file.results.count, mapped: 0, unmapped: 0, duplicates: 0, mismatched: 0, checked: 0, setAside: file.setAside)
      var taskTargets: [String: [Int]?] = [:]
      var mismatchedByTask: [String: (count: Int, total: Int, first: ModelResult)] = [:]
      for result in file.results {
        var item: Int?
        switch result.key {
        case .id(let id):
          let benchmark = options.taskMap[result.task] ?? result.task
          item = byID[benchmark]?[id]
          if item == nil { note(result, byID[benchmark] == nil ? "no benchmark '\(benchmark)' in the certificate" : "no item '\(id)' in benchmark '\(benchmark)'") }
        case .position(let k):
          if taskTargets[result.task] == nil { taskTargets[result.task] = .some(target(ofTask: result.task)) }
          guard let list = taskTargets[result.task]!, k < list.count else {
            note(result, taskTargets[result.task]! == nil ? "task '\(result.task)' names no benchmark of the certificate (give --map TASK=BENCHMARK)" : "doc_id \(k) is past the \(taskTargets[result.task]!!.count) items of task '\(result.task)'")
            break
          }
          item = list[k]
          if let itemTokens, let text = result.documentText {
            let own = itemTokens[list[k]]
            let doc = Set(tokenizer.tokens(of: text).map(\.hash))
            var entry = mismatchedByTask[result.task] ?? (0, 0, result)
            entry.total += 1
            input.checked += 1
            if !own.isEmpty && Double(own.intersection(doc).count) < 0.6 * Double(own.count) {
              entry.count += 1
              if entry.count == 1 { entry.first = result }
              mismatchedByTask[result.task] = entry
              input.mismatched += 1
              note(result, "doc_id \(k)'s text is not item \(certItems[list[k]].benchmark)/\(certItems[list[k]].id); left out")
              continue
            }
            mismatchedByTask[result.task] = entry
          }
        }
        guard let item else {
          input.unmapped += 1
          continue
        }
        if scores[result.model] == nil {
          scores[result.model] = [:]
          models.append(result.model)
        }
        if scores[result.model]![item] != nil {
          input.duplicates += 1
          note(result, "a second result for \(certItems[item].benchmark)/\(certItems[item].id) (model \(result.model)); the first is kept")
          continue
        }
        scores[result.model]![item] = result.score
        input.mapped += 1
      }
      for (task, entry) in mismatchedByTask where entry.count * 2 > entry.total {
        throw ContamError(
          .invalidArgument, path: file.path, line: entry.first.line,
          "\(entry.count) of \(entry.total) results of task '\(task)' are not the text of the item at their doc_id: the task is not this benchmark file (give --map \(task)=BENCHMARK[/FILE-STEM])")
      }
      if input.results > 0 && input.mapped * 2 < input.results {
        throw ContamError(
          .invalidArgument, path: file.path,
          "only \(input.mapped) of \(input.results) results name an item of this certificate: results for a different certificate? (first: \(problems.first { $0.file == file.path }?.message ?? "-"))")
      }
      inputs.append(input)
    }

    var benchmarks: [ImpactReport.BenchmarkImpact] = []
    for model in models {
      let modelScores = scores[model]!
      for benchmark in byBenchmark.keys.sorted() {
        let scored = byBenchmark[benchmark]!.filter { modelScores[$0] != nil }
        guard !scored.isEmpty else { continue }
        var groups: [String: [Double]] = ["all": []]
        for k in scored {
          let value = modelScores[k]!
          let verdict = certItems[k].verdict.rawValue
          groups["all"]!.append(value)
          groups[verdict, default: []].append(value)
          if [Verdict.contaminated, .partial, .perturbed].contains(certItems[k].verdict) { groups["flagged", default: []].append(value) }
        }
        let names = ["all", "clean"] + compared
        let subsets = names.map { ImpactReport.Subset(name: $0, items: groups[$0]?.count ?? 0, score: mean(groups[$0] ?? [])) }
        var comparisons: [ImpactReport.Comparison] = []
        var warnings: [String] = []
        let clean = groups["clean"] ?? []
        if clean.count < minimumItems { warnings.append("only \(clean.count) clean items scored: the clean score says little") }
        if byBenchmark[benchmark]!.count > scored.count {
          warnings.append("\(byBenchmark[benchmark]!.count - scored.count) of \(byBenchmark[benchmark]!.count) items have no result")
        }
        for name in compared {
          guard let other = groups[name], !other.isEmpty, !clean.isEmpty else { continue }
          var rng = _SplitMix64(seed: XXH3.hash64("\(model)\u{0}\(benchmark)\u{0}\(name)", seed: options.seed))
          let (low, high) = bootstrapInterval(other, clean, resamples: options.resamples, using: &rng)
          let p = permutationPValue(other, clean, resamples: options.resamples, using: &rng)
          let small = other.count < minimumItems || clean.count < minimumItems
          comparisons.append(
            .init(subset: name, difference: mean(other)! - mean(clean)!, low: low, high: high, pValue: p, tooSmall: small))
          if small && name != "too_short" { warnings.append("\(name): \(other.count) items against \(clean.count) clean: too few to say anything") }
        }
        let inflation = clean.isEmpty ? nil : mean(groups["all"]!)! - mean(clean)!
        benchmarks.append(
          .init(model: model, benchmark: benchmark, subsets: subsets, comparisons: comparisons, inflation: inflation, warnings: warnings))
      }
    }

    var pairs: [ImpactReport.PairImpact] = []
    for pairing in options.pairs {
      guard let perturbedIDs = byID[pairing.perturbed], let originalIDs = byID[pairing.original] else {
        throw ContamError(.invalidArgument, "--pairs: no benchmark '\(byID[pairing.perturbed] == nil ? pairing.perturbed : pairing.original)' in the certificate")
      }
      for model in models {
        let modelScores = scores[model]!
        var found: [(Double, Double)] = []
        var clean: [(Double, Double)] = []
        for (perturbedID, originalID) in pairing.originals {
          guard let p = perturbedIDs[perturbedID], let o = originalIDs[originalID], let ps = modelScores[p], let os = modelScores[o] else { continue }
          let verdict = certItems[o].verdict
          if verdict == .clean || verdict == .tooShort { clean.append((os, ps)) } else { found.append((os, ps)) }
        }
        for (name, list) in [("found", found), ("clean", clean)] where !(found.isEmpty && clean.isEmpty) {
          pairs.append(
            .init(
              model: model, original: pairing.original, perturbed: pairing.perturbed, originalFound: name, pairs: list.count,
              originalScore: mean(list.map(\.0)), perturbedScore: mean(list.map(\.1))))
        }
      }
    }

    return ImpactReport(
      certificate: .init(path: certificatePath, sha256: certificateSHA256), certificateDigest: certificate.digest ?? "",
      results: inputs, seed: options.seed, resamples: options.resamples, benchmarks: benchmarks, pairs: pairs,
      problems: problems)
  }

  static func mean(_ values: [Double]) -> Double? {
    values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
  }

  /// The 2.5th and 97.5th percentiles of mean(a*) − mean(b*) over `resamples` bootstrap
  /// resamples of each group.
  static func bootstrapInterval(_ a: [Double], _ b: [Double], resamples: Int, using rng: inout _SplitMix64) -> (Double, Double) {
    var differences: [Double] = []
    differences.reserveCapacity(resamples)
    for _ in 0..<resamples {
      var sa = 0.0
      for _ in 0..<a.count { sa += a[rng.below(a.count)] }
      var sb = 0.0
      for _ in 0..<b.count { sb += b[rng.below(b.count)] }
      differences.append(sa / Double(a.count) - sb / Double(b.count))
    }
    differences.sort()
    let last = Double(differences.count - 1)
    return (differences[Int((0.025 * last).rounded(.down))], differences[Int((0.975 * last).rounded(.up))])
  }

  /// Two-sided permutation test: the share of label shuffles whose |difference of means| is at
  /// least the observed one, counting the observed labelling ((k + 1) / (resamples + 1)).
  static func permutationPValue(_ a: [Double], _ b: [Double], resamples: Int, using rng: inout _SplitMix64) -> Double {
    var pooled = a + b
    let total = pooled.reduce(0, +)
    let observed = abs(a.reduce(0, +) / Double(a.count) - b.reduce(0, +) / Double(b.count))
    var extreme = 0
    for _ in 0..<resamples {
      // A random subset of a.count values goes to the first group (partial Fisher-Yates).
      var sa = 0.0
      for i in 0..<a.count {
        let j = i + rng.below(pooled.count - i)
        pooled.swapAt(i, j)
        sa += pooled[i]
      }
      let d = abs(sa / Double(a.count) - (total - sa) / Double(b.count))
      if d >= observed - 1e-12 { extreme += 1 }
    }
    return Double(extreme + 1) / Double(resamples + 1)
  }
}
