/// What a scan was asked to do: every parameter that can change a result.
public struct ScanConfiguration: Sendable, Codable, Hashable {
  /// Tokens per n-gram.
  public var n = 13
  /// Items with fewer informative tokens are `too_short`; items with at least this many but
  /// fewer than `n` tokens are matched on their whole token sequence.
  public var minimumTokens = 8
  /// N-grams in more items than this are dropped as boilerplate.
  public var maximumItemsPerNGram = 10
  /// Coverage at or above which an item is `contaminated` (Llama 2's "dirty" bucket starts at 0.8).
  public var contaminatedThreshold = 0.8
  /// Coverage at or above which an item is `partial` (Llama 2's "not clean" starts at 0.2).
  public var partialThreshold = 0.2
  /// Evidence documents kept per item.
  public var evidencePerItem = 3
  /// The text pipeline's version (``TextVersion/name``): ``TextVersion/current`` unless asked otherwise.
  public var normalization = TextVersion.current.name
  /// Whether the exact n-gram probe runs.
  public var exact = true
  /// Whether items of `n` to `2n - 1` tokens of their own are also found by a run of at least
  /// `minimumTokens` tokens from their start (``ItemIndex``). Nil in certificates made before
  /// this rule: off, so they verify as they were made.
  public var headRuns: Bool? = true
  /// How many tokens a head run must reach past the longest opening its item shares with
  /// another item of its benchmark (``ItemIndex/Parameters/headRunPastOpening``). Nil in
  /// certificates made before this rule: `minimumTokens` alone.
  public var headRunPastOpening: Int? = 3
  /// Whether an item of short parts is also found with up to 4 layout tokens between its parts
  /// (``ItemIndex``). Nil in certificates made before this rule: off.
  public var partsApart: Bool? = true
  /// Whether, with ``partsApart``, the lines of a `choices` part are found in any order (the
  /// options of a copy shuffled), and items whose question has under `n` tokens and whose
  /// own parts have under `4n` are found so too (``ItemIndex``). Nil in certificates made
  /// before this rule: off.
  public var choicesInAnyOrder: Bool? = true
  /// Whether, with ``partsApart``, a multiple-choice item's question (under `n` tokens) and its
  /// correct option are found as an item of two parts apart, without the other options: a copy
  /// in the `Question: … Answer: <the option's text>` layout (``ItemIndex``). Nil in
  /// certificates made before this rule: off.
  public var questionWithAnswer: Bool? = true
  /// Whether, with ``partsApart``, an item whose question has a blank (`_`, `____`: Winogrande's
  /// sentences, fill-in-the-blank questions) is also found with the blank filled by one of its
  /// options (or anything up to 4 tokens, for an item without options): the sentence with an
  /// option in it, as lm-eval-harness gives Winogrande and as such sentences are quoted, keeps no
  /// n-gram across the blank (``ItemIndex``); the correct option there is matched as its answer,
  /// and the parts of any match of parts apart count whatever they share with other items. Nil
  /// in certificates made before this rule: off.
  public var blanksFilled: Bool? = true
  /// Whether, with ``blanksFilled``, a question whose blank is in its first 3 tokens (`The ____
  /// is …`, `____ is …`: a quarter of MMLU's blanks) is found the same way, keyed by its opening
  /// with each option (or nothing) in the blank. Nil in certificates made before this rule: off
  /// (their evidence reads as it was recorded).
  public var blanksNearStart: Bool? = true
  /// Whether, with ``questionWithAnswer``, a copy that holds a multiple-choice item's question and
  /// its correct option and none of its other options states the item's answer, whatever marks
  /// it (`Q: … A: <the option>`, a chat's reply), and a correct option too short for any other
  /// match is matched where it stands within 4 tokens after a match of the item
  /// (``ItemIndex/givesCorrectOptionAlone(item:marks:)``). Nil in certificates made before this
  /// rule: off (their evidence reads as it was recorded).
  public var correctOptionAlone: Bool? = true
  /// Whether text with its words run together (`Wheredoplantstakeinair?`, as a PDF's or an
  /// OCR's text keeps it without spaces) is read for copies too: around each token of 16 bytes
  /// or more, and around two tokens close together that are each two of an item's words
  /// written together, the ASCII letters and digits alone are compared with the items' (``RunTogetherIndex``),
  /// and a run they share covers the item's tokens it spans. Such a copy is a few long tokens
  /// and has no n-gram of the item. Nil in certificates made before this rule: off.
  public var runTogether: Bool? = true
  /// Whether, with ``runTogether``, a run stopped by the edge of the text read around the tokens
  /// that opened it (64 bytes on either side) while the item goes on is read further: the text
  /// is read again, wider by what the item has left. A copy that lost only some of its spaces
  /// opens a window where two of its words run together, and its other parts (words apart with
  /// n-grams broken every few words, three words joined) were left to the exact pass, which
  /// found them only in part. Nil in certificates made before this rule: fixed windows.
  public var runTogetherWidens: Bool? = true
  /// Whether a word cut in two inside a document by a line break (text wrapped at a fixed
  /// width with no regard for words: `fold -w`, a terminal's capture, OCR lines), where one half
  /// is no item's token and the two together are, is read as the one word too
  /// (`_ScanWorker.collectCutWordHits`). Each line of such a copy holds fewer tokens than an
  /// n-gram whole. Nil in certificates made before this rule: off.
  public var cutWords: Bool? = true
  /// Whether a word cut in two by a single space (`experi mental`, as OCR and PDF text split
  /// words; a capital set apart from its word at a sentence's start, `T he`), where one half is
  /// no item's token or a lone letter and the two together are an item's token, is read as the
  /// one word too, as ``cutWords`` reads a word cut by a line break, where a pass found some of
  /// an item in the document already (asking about every space of every document cost the
  /// scan 10%). Only matches through a joined word are kept. Nil in certificates made before
  /// this rule: off.
  public var spacedWords: Bool? = true
  /// Whether a word written twice in a row (`the the`: speech transcripts and OCR double words,
  /// and so does text made to dodge a check) is also read once, where a pass found some of an
  /// item in the document already: a doubled word every few words leaves no n-gram of a copy
  /// whole. Only matches through a pair read once are kept. Nil in certificates made before
  /// this rule: off.
  public var repeatedWords: Bool? = true
  /// Whether an item whose exact coverage reaches ``partialThreshold`` is `perturbed` when its
  /// best exact evidence states a different answer (and no near copy states the same): the
  /// item's text is there in part and another answer follows it, as where MATH-Perturb's
  /// original holds some 13-grams of the perturbed problem, then its own solution, though no near
  /// copy reaches the containment threshold. Such an item is flagged `partial` either way; this
  /// names what it is. Nil in certificates made before this rule: off.
  public var perturbedByExactAnswer: Bool? = true
  /// Whether an item is `contaminated` when its question (its first own part, where it has
  /// another) is covered whole and its best exact evidence states the item's answer: the
  /// question and its answer, what a model is tested on, as the near rule judges a near copy
  /// of the question that states the answer. A multiple-choice item copied as `Question: …
  /// Answer: <the option's text>` (lm-eval-harness's layout for ARC, SciQ and PIQA) has no
  /// other option, so its coverage alone stays under ``contaminatedThreshold``; a question with
  /// a number changed is not covered whole. Nil in certificates made before this rule: off.
  public var contaminatedByExactAnswer: Bool? = true
  /// Whether an item with context parts (``BenchmarkItem/contextPartNames``: a reading test's
  /// passage, SciQ's support) is judged `contaminated` or `perturbed` on its own parts only (the
  /// question, its options, its answer): a copy of the passage alone (a Wikipedia paragraph,
  /// in any web corpus without the test) is `partial`, as is a near copy of the passage part
  /// alone. Without it the whole item's coverage, which the passage dominates, made every
  /// such item `contaminated`. Nil in certificates made before this rule: off.
  public var contextAloneIsPartial: Bool? = true
  /// Whether an item whose question (its first own part, where it has another) is found nowhere
  /// is at most `partial`, never `perturbed`: its evidence is of its other parts alone (a
  /// solution shared with a twin problem, stating the twin's answer), exact coverage of the
  /// question 0 and its best near copy of another part alone. A perturbed copy (MATH-Perturb's)
  /// holds the question with its numbers changed, which the near copy of the whole item or of
  /// its question finds. Nil in certificates made before this rule: off.
  public var solutionAloneIsPartial: Bool? = true
  /// Whether the exact pass reads the last `n - 1` tokens of the documents before a document
  /// in its shard in front of it (``_DocumentCarry``), as a model trained on documents packed
  /// one after another reads them: an item split over records is found as one copy. The near
  /// search then reads ``NearDuplicateConfiguration/carriedTokens`` of them. Nil in
  /// certificates made before this rule: off, so they verify as they were made.
  public var acrossDocuments: Bool? = true
  /// Near-duplicate search, or nil when off.
  public var near: NearDuplicateConfiguration? = NearDuplicateConfiguration()
  /// How the shards were read.
  public var reader = ReaderParameters()
  public init() {}

  /// The item index's parameters (n, minimum tokens, boilerplate limit): the scanner builds
  /// its index from these, so the certificate always states the index it used.
  public var indexParameters: ItemIndex.Parameters {
    ItemIndex.Parameters(
      n: n, minimumTokens: minimumTokens, maximumItemsPerNGram: maximumItemsPerNGram,
      textVersion: textVersion ?? .current, headRuns: headRuns ?? false, headRunPastOpening: headRunPastOpening ?? 0,
      partsApart: partsApart ?? false, choicesInAnyOrder: choicesInAnyOrder ?? false, questionWithAnswer: questionWithAnswer ?? false,
      blanksFilled: blanksFilled ?? false, blanksNearStart: blanksNearStart ?? false)
  }

  /// The version ``normalization`` names, or nil when this tool does not know it.
  public var textVersion: TextVersion? { TextVersion(name: normalization) }

  /// The one verdict for an item, from all its evidence (docs/VERDICTS.md):
  /// 1. `contaminated` when exact coverage reaches ``contaminatedThreshold``, or the best near
  ///    copy reaches ``NearDuplicateConfiguration/contaminatedContainment`` (in containment, or
  ///    in alignment: ``NearDuplicateConfiguration/alignedContaminated``) and states the item's
  ///    answer (or the item has none to state): a verbatim copy in another layout;
  /// 2. `perturbed` when the best near copy states a different answer (before rule 1's coverage
  ///    when the copy's text differs from the item's too, by a shingle or, where every shingle
  ///    is there, by a sign or a lone letter (``NearDuplicateEvidence/verbatim``):
  ///    ``NearDuplicateConfiguration/perturbedOverCoverage``; also a copy too small to count
  ///    by itself when exact coverage reaches ``partialThreshold``:
  ///    ``NearDuplicateConfiguration/perturbedWithPartialCoverage``; or no near copy stating
  ///    the item's answer, exact coverage reaching ``partialThreshold`` and the best exact
  ///    evidence stating another: ``perturbedByExactAnswer``);
  /// 2b. `contaminated` when the item's question is covered whole and the best exact evidence
  ///    states its answer (``contaminatedByExactAnswer``), checked after
  ///    the near copy's `perturbed`;
  /// 3. `partial` when exact coverage reaches ``partialThreshold`` or there is a near copy;
  /// 4. `too_short` when the item has fewer informative tokens than ``minimumTokens`` (and no
  ///    near copy), else `clean`.
  /// A near copy counts only when it shares at least
  /// ``NearDuplicateConfiguration/minimumMatchedShingles`` shingles with the item, so a short
  /// item is not judged on a handful of common shingles; or, for an item with fewer shingles,
  /// at least ``NearDuplicateConfiguration/minimumShingles`` and 60% of all the item's shingles
  /// (not of one part): a short item copied with a typo or a word dropped; or, for an item of
  /// ``NearDuplicateConfiguration/alignedTokens`` tokens, at least
  /// ``NearDuplicateConfiguration/alignment`` of its tokens in order (a few words changed); or
  /// at least ``NearDuplicateConfiguration/answeredShingles`` when it states the item's answer
  /// in a way chance rarely gives (``AnswerCheck/distinctive``).
  /// - Parameters:
  ///   - tokens: the item's informative tokens.
  ///   - coverage: exact coverage of those tokens.
  ///   - near: the near-duplicate finding, if any.
  ///   - exactAnswer: whether the best exact evidence states the item's answer, if it was read.
  ///   - questionCoverage: exact coverage of the item's question (its first own part).
  public func verdict(
    tokens: Int, coverage: Double, near nearFinding: NearDuplicateResult? = nil, exactAnswer: AnswerCheck.Agreement? = nil,
    questionCoverage: Double = 0
  ) -> Verdict {
    let best = nearFinding?.evidence.first
    let nearCounts = best.map { near?.counts($0, itemShingles: nearFinding?.shingles ?? Int.max) ?? false } ?? false
    let answer = best?.answer?.agreement
    if tokens < minimumTokens && !nearCounts { return .tooShort }
    if coverage >= contaminatedThreshold {
      // The item with its text and answer changed, unless every token of it is there.
      if near?.perturbedOverCoverage == true, nearCounts, answer == .different, coverage < 1, let best, best.containment < 1 || best.verbatim == false {
        return .perturbed
      }
      return .contaminated
    }
    // With an answer to compare, a near copy is the item only when it states that answer: the
    // question alone (answer `none`) leaked partly, and may have its numbers changed.
    if nearCounts, let best, best.answer == nil || answer == .same,
      max(best.containment, near?.alignedContaminated == true ? best.alignment ?? 0 : 0) >= (near?.contaminatedContainment ?? 2)
    {
      return .contaminated
    }
    if nearCounts && answer == .different { return .perturbed }
    if contaminatedByExactAnswer == true, exactAnswer == .same, questionCoverage >= 1 { return .contaminated }
    if near?.perturbedWithPartialCoverage == true, best != nil, answer == .different, coverage >= partialThreshold { return .perturbed }
    if perturbedByExactAnswer == true, exactAnswer == .different, answer != .same, coverage >= partialThreshold { return .perturbed }
    if coverage >= partialThreshold || nearCounts { return .partial }
    return .clean
  }

  /// What makes this configuration find less than `standard` (by default this tool's defaults):
  /// one sentence per setting, empty when none does. A certificate made with any of these can
  /// read `clean` where the standard check would not, so ``Verifier`` fails it unless the
  /// reader accepts them.
  /// - Parameter standard: the configuration to compare with.
  public func weakenings(against standard: ScanConfiguration = ScanConfiguration()) -> [String] {
    var weaker: [String] = []
    func note(_ isWeaker: Bool, _ what: String) { if isWeaker { weaker.append(what) } }
    note(!exact && standard.exact, "the exact n-gram probe was off")
    note(n > standard.n, "n = \(n): longer n-grams than \(standard.n) find fewer copies")
    note(minimumTokens > standard.minimumTokens, "minimumTokens = \(minimumTokens): more items are too_short than with \(standard.minimumTokens)")
    note(
      maximumItemsPerNGram < standard.maximumItemsPerNGram,
      "maximumItemsPerNGram = \(maximumItemsPerNGram): more n-grams are dropped as boilerplate than with \(standard.maximumItemsPerNGram)")
    note(
      contaminatedThreshold > standard.contaminatedThreshold,
      "contaminatedThreshold = \(contaminatedThreshold) is above \(standard.contaminatedThreshold)")
    note(partialThreshold > standard.partialThreshold, "partialThreshold = \(partialThreshold) is above \(standard.partialThreshold)")
    if let version = textVersion, let standardVersion = standard.textVersion, version < standardVersion {
      weaker.append("normalization = \(normalization): an older text pipeline folds fewer variants than \(standard.normalization)")
    }
    note(headRuns != true && standard.headRuns == true, "head runs were off: halves of items of \(n) to \(2 * n - 1) tokens are not found")
    note(
      (headRunPastOpening ?? 0) > (standard.headRunPastOpening ?? 0),
      "headRunPastOpening = \(headRunPastOpening ?? 0): head runs need more than \(standard.headRunPastOpening ?? 0) tokens past a shared opening")
    note(
      partsApart != true && standard.partsApart == true, "parts apart was off: items of short parts with layout between them are not found")
    note(
      choicesInAnyOrder != true && standard.choicesInAnyOrder == true,
      "choices in any order was off: short multiple-choice items with their options shuffled are not found")
    note(
      questionWithAnswer != true && standard.questionWithAnswer == true,
      "question with answer was off: a short question copied with its correct option but not the others is not found")
    note(
      blanksFilled != true && standard.blanksFilled == true,
      "blanks filled was off: an item whose question has a blank, copied with the blank filled (Winogrande as lm-eval-harness gives it), is found only in part")
    note(
      blanksNearStart != true && standard.blanksNearStart == true,
      "blanks near the start was off: a question whose blank is in its first 3 tokens, copied with the blank filled, is found only in part")
    note(
      correctOptionAlone != true && standard.correctOptionAlone == true,
      "correct option alone was off: a question copied with its correct option after `A:` or as a chat's reply does not state its answer")
    note(
      runTogether != true && standard.runTogether == true,
      "run-together text was not read: a copy with its words run together (no spaces, as PDF text keeps it) is not found")
    note(
      runTogether == true && runTogetherWidens != true && standard.runTogetherWidens == true,
      "run-together windows were fixed: a copy that lost some of its spaces is found only near where two of its words run together")
    note(
      repeatedWords != true && standard.repeatedWords == true,
      "repeated words were not read once: a copy with words doubled every few words (the the) is found only in part")
    note(
      spacedWords != true && standard.spacedWords == true,
      "words cut by a space were not joined: a copy with spaces inside its words (experi mental, T he) is found only in part")
    note(
      cutWords != true && standard.cutWords == true,
      "cut words were not joined: a copy wrapped at a fixed width with its words cut at line ends (experi|mental) is found only in part")
    note(
      contaminatedByExactAnswer != true && standard.contaminatedByExactAnswer == true,
      "contaminated by exact answer was off: a question copied with its answer but without its other options or solution reads partial")
    note(
      acrossDocuments != true && standard.acrossDocuments == true,
      "documents were read apart: an item split over adjacent records (a sentence a record) is not found as one copy")
    if reader.readsPlainTextByLine && !standard.reader.readsPlainTextByLine {
      weaker.append(
        "plain text was read a line a document (\(reader.format == .lines ? "--format lines" : "as before session 17")): a copy wrapped over lines, or with a blank line inside, is not found whole")
    }
    if reader.maxLineBytes < standard.reader.maxLineBytes {
      weaker.append("maxLineBytes = \(reader.maxLineBytes): longer lines were skipped (default \(standard.reader.maxLineBytes))")
    }
    switch (near, standard.near) {
    case (nil, .some): weaker.append("near-duplicate search was off: reworded and perturbed copies are not found")
    case (let near?, let standardNear?): weaker += near.weakenings(against: standardNear).map { "near." + $0 }
    default: break
    }
    return weaker
  }

  /// Checks that every parameter is in its range, so a configuration read from a file or a
  /// command line can never make the index or the scoring misbehave.
  /// - Throws: ``ContamError/Code/invalidArgument`` naming the first parameter out of range.
  public func validate() throws(ContamError) {
    func check(_ ok: Bool, _ what: String) throws(ContamError) {
      if !ok { throw ContamError(.invalidArgument, "parameter \(what)") }
    }
    try check(
      textVersion != nil,
      "normalization = '\(normalization)' is not a known text-pipeline version (\(TextVersion.allCases.map(\.name).joined(separator: ", ")))")
    try check((1...64).contains(n), "n = \(n) is not in 1...64")
    try check(minimumTokens >= 1, "minimumTokens = \(minimumTokens) is below 1")
    try check(maximumItemsPerNGram >= 1, "maximumItemsPerNGram = \(maximumItemsPerNGram) is below 1")
    try check((0...1).contains(contaminatedThreshold), "contaminatedThreshold = \(contaminatedThreshold) is not in 0...1")
    try check((0...1).contains(partialThreshold), "partialThreshold = \(partialThreshold) is not in 0...1")
    try check(partialThreshold <= contaminatedThreshold, "partialThreshold exceeds contaminatedThreshold")
    try check((1...1000).contains(evidencePerItem), "evidencePerItem = \(evidencePerItem) is not in 1...1000")
    if let headRunPastOpening { try check((0...64).contains(headRunPastOpening), "headRunPastOpening = \(headRunPastOpening) is not in 0...64") }
    try check(exact || near != nil, "exact and near are both off: nothing would be checked")
    if let near { try near.validate() }
  }
}

