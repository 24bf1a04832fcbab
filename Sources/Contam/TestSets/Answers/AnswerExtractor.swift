import Foundation

/// Finds the answer a document states after a match, and compares it with the item's.
///
/// The first of these after the match start (up to ``bytesAfterMatch`` past the match's end, at
/// most ``searchBytes`` in all) is the document's answer:
/// `\boxed{…}`, `#### value` (GSM8K style: the next word), `answer is value` / `Answer: value`. For
/// multiple-choice items an option letter (`Answer: B`, `answer is (B)`), or else the text after
/// "Answer:", which agrees when it begins with the correct option's text. Values
/// compare after ``normalize(_:)``, and numerically when both read as numbers.
public enum AnswerExtractor {
  /// How far past the match start the answer is looked for.
  public static let searchBytes = 16 * 1024
  /// How far past the match's end: a solution that follows a copied question, not the text of
  /// a page's next item or an unrelated "answer is" in the prose after it.
  public static let bytesAfterMatch = 4 * 1024

  /// Compares the item's answer with the first answer stated in `text` from byte `start` on
  /// (the match's start; `matchEnd` is its end, if known). The region is read ``plain(_:)``. A
  /// stated option letter is compared with the letter the copy gives the item's correct option
  /// (``copyLetter(of:in:)``): a copy may list the options in another order. The options are
  /// read from the start of the match's line, so a match that starts inside the first option
  /// still sees its label.
  public static func check(expected: ItemAnswer, in text: UnsafeRawBufferPointer, from start: Int, to matchEnd: Int? = nil) -> AnswerCheck {
    let end = min(text.count, start + searchBytes, (matchEnd ?? text.count) + bytesAfterMatch)
    let region = plain(UnsafeRawBufferPointer(rebasing: text[start..<end]))
    var lineStart = start
    while lineStart > max(0, start - 1024) && text[lineStart - 1] != 0x0A { lineStart -= 1 }
    let lead = plain(UnsafeRawBufferPointer(rebasing: text[lineStart..<start]))
    if let letter = expected.choice {
      if let (found, at) = statedChoiceWithPosition(in: region) {
        let before = lead + region[..<at]
        if let (stated, correct) = romanPlace(found, of: expected.value, in: before) {
          return AnswerCheck(agreement: stated == correct ? .same : .different, expected: letter, found: found.lowercased(), distinctive: true)
        }
        // Through the copy's options the letter names the option's text; a letter alone, one in four.
        let labelled = copyLetter(of: expected.value, in: before)
        return AnswerCheck(
          agreement: found == (labelled ?? letter) ? .same : .different, expected: letter, found: found, distinctive: labelled != nil)
      }
      // No letter: the option's text after "answer is" / "Answer:" counts too. It states another
      // answer when it names another of the copy's options, or is a short line (not the prose
      // that follows an unrelated "the answer is").
      guard let (stated, at) = statedLineWithPosition(in: region), !comparable(stated).isEmpty else {
        return AnswerCheck(agreement: .none, expected: letter, found: nil)
      }
      let before = lead + region[..<at]
      if names(stated, option: expected.value) {
        let listed = copyLetter(of: expected.value, in: before) ?? copyLetter(of: expected.value, in: before, numbered: true)
        return AnswerCheck(agreement: .same, expected: letter, found: stated, distinctive: listed != nil)
      }
      // A number for a copy that numbers its options (`1.` … `4.`, `(i)` … `(iv)`): the option in
      // that place of the copy.
      if let place = statedNumberLabel(stated), let correct = copyLetter(of: expected.value, in: before, numbered: true) {
        return AnswerCheck(agreement: placeLetter(place) == correct ? .same : .different, expected: letter, found: stated, distinctive: true)
      }
      // The copy's lettered options, else (no `A`: `(i)` reads as a letter) its numbered ones.
      let lettered = copyOptions(in: before)
      let options = lettered["A"] == nil ? copyOptions(in: before, numbered: true).values : lettered.values
      let other = options.isEmpty ? stated.split(separator: " ").count <= 8 : options.contains { names(stated, option: $0) }
      return AnswerCheck(agreement: other ? .different : .none, expected: letter, found: stated)
    }
    let want = normalize(expected.value)
    let value = statedValueWithPosition(in: region, number: want.contains(where: \.isNumber))
    // A text answer (SciQ's `forming of reproductive cells`) stated in full, however long the
    // line it starts (a value is read as at most three words of a short line).
    if !want.contains(where: \.isNumber), let line = statedLineWithPosition(in: region), value.map({ line.at <= $0.at }) ?? true {
      func words(_ text: String) -> [String] { text.split(whereSeparator: \.isWhitespace).map { comparable(String($0)) }.filter { !$0.isEmpty } }
      let answerWords = words(expected.value)
      if !answerWords.isEmpty, words(line.line).prefix(answerWords.count).elementsEqual(answerWords) {
        return AnswerCheck(agreement: .same, expected: want, found: answerWords.joined(), distinctive: distinctive(want))
      }
    }
    guard let (stated, at) = value else { return AnswerCheck(agreement: .none, expected: want, found: nil) }
    let found = normalize(stated)
    // The item's answer, or another its solution gives (``ItemAnswer/alternatives``).
    if expected.alternatives.contains(where: { equivalent(normalize($0), found) }) {
      return AnswerCheck(agreement: .same, expected: want, found: found, distinctive: distinctive(found))
    }
    if !equivalent(want, found), want.count > 1, let letter = optionLetter(found) {
      // A letter for an answer that is a text (SciQ's `correct_answer`): right when it labels
      // that text in the copy. A letter the copy labels no option with compares with nothing.
      let before = lead + region[..<at]
      if let (stated, correct) = romanPlace(letter, of: expected.value, in: before) {
        return AnswerCheck(agreement: stated == correct ? .same : .different, expected: want, found: found, distinctive: true)
      }
      guard let correct = copyLetter(of: expected.value, in: before) else {
        return AnswerCheck(agreement: .none, expected: want, found: found)
      }
      return AnswerCheck(agreement: letter == correct ? .same : .different, expected: want, found: found, distinctive: true)
    }
    // A number for a copy that numbers its options: the option in that place of the copy.
    if !equivalent(want, found), let place = statedNumberLabel(stated),
      let correct = copyLetter(of: expected.value, in: lead + region[..<at], numbered: true)
    {
      return AnswerCheck(agreement: placeLetter(place) == correct ? .same : .different, expected: want, found: found, distinctive: true)
    }
    return AnswerCheck(agreement: equivalent(want, found) ? .same : .different, expected: want, found: found, distinctive: distinctive(want))
  }

  /// Whether a value is one chance rarely states: at least three letters or digits once
  /// written as math renders it (`455`, `mitosis`, `(1/2,√7/2)`; not `28`, `1/4` or `x`).
  static func distinctive(_ value: String) -> Bool { comparable(mathCanonical(normalize(value))).count >= 3 }

  /// The first value stated in `text`: boxed, after `####`, or after "answer is" / "answer:".
  public static func statedValue(in text: String) -> String? { statedValueWithPosition(in: text)?.value }

  /// ``statedValue(in:)`` and where its statement starts. With `number` (the item's answer has
  /// a digit), "answer is" followed by words without one is prose ("Answer: If Lee runs…", a
  /// solution written after `Answer:`), not the value.
  static func statedValueWithPosition(in text: String, number: Bool = false) -> (value: String, at: String.Index)? {
    var candidates: [(offset: Int, value: String)] = []
    let bytes = Array(text.utf8)
    if let i = firstIndex(of: "\\boxed{", in: bytes) ?? firstIndex(of: "\\fbox{", in: bytes), let content = boxed(bytes, at: i) {
      candidates.append((i, String(decoding: content.bytes, as: UTF8.self)))
    }
    if let range = text.range(of: "####") {
      // GSM8K style: the value is the next word (the text may go on on the same line).
      let rest = linkTargetsDropped(text[range.upperBound...].prefix(512)).drop { $0 == " " || $0 == "\t" }.prefix { !$0.isWhitespace }
      let value = gluedWordDropped(closersTrimmed(String(rest)))
      if !value.isEmpty { candidates.append((text.utf8.distance(from: text.startIndex, to: range.lowerBound), value)) }
    }
    // An answer tag, as chat and instruction data write it (`<answer>18</answer>`).
    if let range = text.range(of: "\(answerTag.open)[^<\n]{1,120}?\(answerTag.close)", options: .regularExpression) {
      let inner = text[range].dropFirst("<answer>".count).dropLast("</answer>".count).trimmingCharacters(in: .whitespaces)
      let value = closersTrimmed(inner.trimmingCharacters(in: CharacterSet(charactersIn: " .")))
      if !value.isEmpty { candidates.append((text.utf8.distance(from: text.startIndex, to: range.lowerBound), value)) }
    }
    // The first "answer is" / "answer:" that states a value: `Final Answer: The final answer is
    // $18$. I hope it is correct.` (as Minerva and models trained on it write it) states it at
    // the second.
    var searchFrom = text.startIndex
    for _ in 0..<3 {
      guard let range = text.range(of: answerIsOrAssigned, options: .regularExpression, range: searchFrom..<text.endIndex) else { break }
      searchFrom = range.upperBound
      let found = candidates.count
      let rest = linkTargetsDropped(text[range.upperBound...].prefix { $0 != "\n" })
      let offset = text.utf8.distance(from: text.startIndex, to: range.lowerBound)
      if text[range].contains("=") {
        // An assignment: a number alone (`answer = 18`, `answer = 1_800.0;`), else no value.
        let literal = rest.trimmingCharacters(in: CharacterSet(charactersIn: " \t;"))
        if literal.wholeMatch(of: /[-+]?\d[\d_,]*(\.\d+)?/) != nil {
          candidates.append((offset, literal.replacingOccurrences(of: "_", with: "")))
          break
        }
        continue
      }
      // The statement's paragraph (a copy with its lines rewrapped may break it anywhere).
      let paragraph = Array(text[range.upperBound...].prefix(240).utf8)
      let paragraphEnd = firstIndex(of: "\n\n", in: paragraph) ?? paragraph.count
      if let i = firstIndex(of: "\\boxed{", in: Array(paragraph[..<paragraphEnd])), let content = boxed(paragraph, at: i) {
        // "the answer is $3 - 6 = \boxed{-3}$": the boxed value.
        candidates.append((offset, String(decoding: content.bytes, as: UTF8.self)))
      } else if let math = leadingMath(rest) {
        // "the answer is $2 \sqrt{5}$.": the math, whole (not its first word).
        candidates.append((offset, math))
      } else {
        // A value, not a solution written after "Answer:" ("Answer: She bought 5 x 2 = 10
        // pounds…", "Answer: -48 + 21 = -27"): no calculation on the line, and a short
        // statement, a first word that ends the sentence, or a number that starts no
        // calculation ("the answer is 18 since…").
        let words = rest.split(separator: " ")
        let first = words.first.map { closersTrimmed(String($0)) } ?? ""
        let operators: Set<Substring> = ["x", "*", "+", "-", "/", "=", "×", "÷", "\\times", "\\cdot"]
        // A number followed by an operator starts a calculation ("$0 + 0 + 1 - …"), however
        // short the line.
        let calculation = rest.contains("=") || rest.contains("<<")
          || (first.contains(where: \.isNumber) && operators.contains(words.dropFirst().first ?? ""))
        let short =
          !calculation
          && (words.count <= 8 || first.hasSuffix(".") || first.hasSuffix(",") || first.hasSuffix(";")
            || (first.contains(where: \.isNumber) && !operators.contains(words.dropFirst().first ?? "")))
        // A number is one word ("18 since…"); a text answer may be a few ("light energy").
        var value = !short ? "" : first.contains(where: \.isNumber) ? gluedWordDropped(first) : words.prefix(3).joined(separator: " ")
        // A number with a rendered root or constant after it is one value (`2 √5`, `3 π`), and
        // so is a number whose thousands are set apart by spaces (`1 800`).
        if short && first.contains(where: \.isNumber) {
          let grouped = first.wholeMatch(of: /[-+$]?\d{1,3}/) != nil
          for word in words.dropFirst() {
            guard let c = word.first, "√π∞".contains(c) || (grouped && word.wholeMatch(of: /\d{3}[.,;:]?/) != nil) else { break }
            value += word
          }
        }
        let trimmed = closersTrimmed(Self.clauseCut(value).trimmingCharacters(in: CharacterSet(charactersIn: " .:*_")))
        // With `number`, a value without a digit is prose, unless it is an option's letter.
        if !trimmed.isEmpty && !(number && !trimmed.contains(where: \.isNumber) && optionLetter(trimmed) == nil) {
          candidates.append((offset, trimmed))
        }
      }
      if candidates.count > found { break }
    }
    return candidates.min { $0.offset < $1.offset }.map { ($0.value, text.utf8.index(text.startIndex, offsetBy: $0.offset)) }
  }

  /// `value` up to its first `;`, or its first `,` that does not set apart a number's thousands
  /// (`$1,800.00` is one value; `18, since` ends at the comma).
  static func clauseCut(_ value: String) -> String {
    let c = Array(value)
    func digit(_ i: Int) -> Bool { i >= 0 && i < c.count && c[i].isASCII && c[i].isNumber }
    for (k, ch) in c.enumerated() where ch == ";" || ch == "," {
      let thousands = ch == "," && digit(k - 1) && digit(k + 1) && digit(k + 2) && digit(k + 3) && !digit(k + 4)
      if !thousands { return String(c[..<k]) }
    }
    return value
  }

  /// The math that opens `rest` (after white space), delimiters included: `$…$`, `$$…$$`,
  /// `\(…\)` or `\[…\]`, closed on the same line, holding no English word (two letters or
  /// more outside a command: so `$18 and $20 more` is money, not math) and no `=` (a
  /// calculation, `$9! = 362,880$`, is read as before: prose). Else nil.
  static func leadingMath(_ rest: Substring) -> String? {
    let text = rest.drop { $0 == " " || $0 == "\t" }
    for (open, close) in [("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]")] where text.hasPrefix(open) {
      let body = text.dropFirst(open.count)
      guard let end = body.range(of: close) else { return nil }
      let content = body[..<end.lowerBound]
      let words = content.split(whereSeparator: \.isWhitespace)
      guard !content.trimmingCharacters(in: .whitespaces).isEmpty, !content.contains("="),
        !words.contains(where: { $0.count >= 2 && $0.allSatisfy { $0.isASCII && $0.isLetter } })
      else { return nil }
      return open + content + close
    }
    return nil
  }

  /// A number with the next sentence's first word glued to it (`15The`, `#### 72Natalia`: text
  /// whose line or paragraph breaks were lost, as when a page's block tags are stripped) is the
  /// number; anything else is as it is (`15x`, `3km`, `2Pi` are not a number and a sentence).
  static func gluedWordDropped(_ value: String) -> String {
    guard let range = value.range(of: #"^[-+−]?[0-9][0-9.,/]*(?=\p{Lu}\p{Ll}{2,}[\p{Ll}\p{P}]*$)"#, options: .regularExpression) else { return value }
    return String(value[range])
  }

  /// `text` with markdown links read as their text, as tokens read them: `[22](https://…)` is
  /// `22`, and a link target left after the marker (`[####](https://…) 22`) is dropped.
  static func linkTargetsDropped(_ text: Substring) -> Substring {
    guard text.contains("](") else { return text }
    var out = text.replacingOccurrences(of: #"\[([^\]\n]*)\]\([^)\s]*\)"#, with: "$1", options: .regularExpression)
    out = out.replacingOccurrences(of: #"^\]\([^)\s]*\)"#, with: "", options: .regularExpression)
    return Substring(out)
  }

  /// `value` without closing quotes and brackets it does not open (`16"}]}` of a JSON chat
  /// record, `18)`), and without the syntax of a record it is written in: from an escaped quote
  /// on (`18\"}]}"` of a chat record kept as a string inside another JSON record, `3\\\"}` a
  /// level deeper: the backslashes before the quote too), or from a quote it does not open
  /// (`70000",1,2` of a CSV row). An escaped backslash alone is the value's (`\\(18\\)`).
  static func closersTrimmed(_ value: String) -> String {
    var s = Substring(value)
    var quotes = 0
    var backslashes: Substring.Index? = nil  // where the run of backslashes before `c` starts
    for (k, c) in zip(s.indices, s) {
      if c == "\"" {
        if let escape = backslashes {
          s = s[..<escape]
          break
        }
        if k != s.startIndex && quotes % 2 == 0 {
          s = s[..<k]
          break
        }
        quotes += 1
      }
      backslashes = c == "\\" ? backslashes ?? k : nil
    }
    // A value in quotes (`Answer: "18"`) is what they hold.
    if quotes == 2, s.count > 2, s.first == "\"", s.last == "\"" { s = s.dropFirst().dropLast() }
    // Markup written right after the value: a closing tag or a model's special token
    // (`18</answer>`, `18<|im_end|>`, `18<br>`), a TeX line break (`18\\`), emphasis or code
    // marks (`18**`, ``18` ``) and the same before it (`**18`).
    let chars = Array(s)
    if let lt = chars.indices.first(where: { k in
      chars[k] == "<" && k > 0 && k + 1 < chars.count && (chars[k + 1] == "/" || chars[k + 1] == "|" || (chars[k + 1].isASCII && chars[k + 1].isLetter && chars[(k + 1)...].contains(">")))
    }) {
      s = s.prefix(lt)
    }
    while s.hasSuffix("\\\\") { s = s.dropLast(2) }
    let marks: Set<Character> = ["*", "_", "`", "~"]
    while let last = s.last, marks.contains(last), s.count > 1 { s.removeLast() }
    while let first = s.first, marks.contains(first), s.count > 1 { s.removeFirst() }
    let pairs: [Character: Character] = ["}": "{", "]": "[", ")": "(", "\"": "\"", "'": "'"]
    while let last = s.last, let open = pairs[last] {
      let opened = s.filter { $0 == open }.count
      let closed = s.filter { $0 == last }.count
      guard open == last ? closed % 2 == 1 : closed > opened else { break }
      s.removeLast()
    }
    return String(s)
  }

  /// The option letter a stated value is (white space already removed): the letter alone,
  /// with the marks a page puts around it (`D`, `(D)`, `[D]`, `D.`, `**D**`, `D✓`), after
  /// `Option` or `Choice`, or as the label before the option's text (`D.its text`, `D)its
  /// text`); a lower-case letter (`d`, `(d)`, letters written in a form without case, `ᵈ`,
  /// read lower case) only alone with its marks. Else nil.
  static func optionLetter(_ value: String) -> String? {
    func isMark(_ c: Character) -> Bool { !(c.isLetter || c.isNumber) }
    var s = Substring(value)
    for word in ["option", "choice"] where s.lowercased().hasPrefix(word) && s.count > word.count { s = s.dropFirst(word.count) }
    s = s.drop(while: isMark)
    guard let first = s.first, first.isASCII, let letter = first.uppercased().first, ("A"..."J").contains(letter) else { return nil }
    let rest = s.dropFirst()
    if rest.allSatisfy(isMark) { return String(letter) }
    guard first.isUppercase, let mark = rest.first, mark == "." || mark == ")" || mark == "]" || mark == ":" else { return nil }
    return String(letter)
  }

  /// An answer tag's ends, as chat and instruction data write it (`<answer>18</answer>`), white
  /// space inside allowed: the value's and the option letter's readers share them.
  static let answerTag = (open: #"(?i:<answer>)[ \t]*"#, close: #"[ \t]*(?i:</answer>)"#)

  /// "answer is" / "answer:", markdown emphasis around it allowed (`**Answer:** 18`).
  static let answerIs = #"(?i)\banswer[*_]*\s*(is|:)[*_]*\s*"#
  /// ``answerIs``, or `answer = ` as a solution written as a program ends (`answer = 18`,
  /// `print(answer)`; not `answer == 18`): there only a number alone on the line is the value.
  static let answerIsOrAssigned = #"(?i)\banswer[*_]*\s*(is|:|=(?!=))[*_]*\s*"#

  /// The first option letter stated as the answer: `Answer: B`, `answer is (C)`, `Correct
  /// answer: D`, `**Answer:** (b)`, `Answer: [C]`, `Answer: Option B`. A lower-case letter
  /// counts in parentheses, or alone on the line after `Answer:` (`Answer: b`, and `ᵃⁿˢʷᵉʳ: ᵇ`,
  /// letters without a capital form), so
  /// "the answer is a prime" states no option; a capital followed by a word neither ("in answer
  /// I said", "the answer is I think").
  public static func statedChoice(in text: String) -> String? { statedChoiceWithPosition(in: text)?.letter }

  static func statedChoiceWithPosition(in text: String) -> (letter: String, at: String.Index)? {
    let statements = [
      text.range(
        of: #"(?:\b(?i:answer|correct option|correct choice)|答案)[*_`]*\s*(?i:is|:|：|-|–)[*_`]*\s*:?[*_`\s]*(?:(?i:option|choice)[ \t]+)?(\(([A-Ja-j])\)|\[([A-Ja-j])\]|([A-J])\b(?![ \t]+[a-z]))"#,
        options: .regularExpression),
      text.range(of: #"\b(?i:answer)[*_]*\s*:[*_]*[ \t]*[a-j]\.?[ \t]*(?=\n|$)"#, options: .regularExpression),
      // An answer tag, as chat and instruction data write it: `<answer>D</answer>`.
      text.range(of: "\(answerTag.open)[(\\[]?[A-Ja-j](?=[)\\]]?\(answerTag.close))", options: .regularExpression),
    ]
    // The first statement; its letter is the last letter it matched (`(b)`, `B`, `b.`).
    guard let range = statements.compactMap({ $0 }).min(by: { $0.lowerBound < $1.lowerBound }),
      let letter = text[range].last(where: \.isLetter)
    else { return nil }
    return (String(letter).uppercased(), range.lowerBound)
  }

  /// A stated letter `I`, `V` or `X` (`(i)`) where the copy numbers its options in Roman
  /// numerals rather than lettering them (it has no option `A`): the letter of the numeral's
  /// place (`E` for `v`), and the letter of the place the copy gives `expected`; else nil.
  static func romanPlace(_ letter: String, of expected: String, in copy: String) -> (stated: String, correct: String)? {
    guard let place = ["I": 1, "V": 5, "X": 10][letter], copyOptions(in: copy)["A"] == nil,
      let correct = copyLetter(of: expected, in: copy, numbered: true)
    else { return nil }
    return (placeLetter(place), correct)
  }

  /// The place a stated answer line gives as an option's number: `3`, `(3)`, `3.`, `3)`, `(iii)`,
  /// `iii.`, `Option 3`, or the label before the option's text (`3. its text`); else nil. A
  /// number with more after it than a label (`3.5`, `3 apples`) is no label.
  static func statedNumberLabel(_ line: String) -> Int? {
    // A bare digit is all of the line (after `Option`); with a label's mark, text may follow.
    let label = /^(?i:option|choice)?[ \t]*(?:\(([1-9]|[ivx]{1,4})\)|([1-9])[.)]|([ivx]{1,4})[.)]|([1-9])[ \t]*$)(?:$|[ \t])/
    guard let match = line.firstMatch(of: label), let text = match.1 ?? match.2 ?? match.3 ?? match.4 else { return nil }
    return place(ofNumberLabel: String(text))
  }

  /// How alike two option texts are: the Dice coefficient of the letter-and-digit bigrams of
  /// their ``comparable(_:)`` forms (1 when those are equal), so a typo in a copied option still
  /// names it and another option does not.
  static func similarity(_ a: String, _ b: String) -> Double {
    let x = Array(comparable(a).unicodeScalars)
    let y = Array(comparable(b).unicodeScalars)
    if x == y { return x.isEmpty ? 0 : 1 }
    guard x.count >= 2, y.count >= 2 else { return 0 }
    var pairs: [UInt64: Int] = [:]
    for k in 0..<x.count - 1 { pairs[UInt64(x[k].value) << 32 | UInt64(x[k + 1].value), default: 0] += 1 }
    var shared = 0
    for k in 0..<y.count - 1 {
      let key = UInt64(y[k].value) << 32 | UInt64(y[k + 1].value)
      if let count = pairs[key], count > 0 {
        pairs[key] = count - 1
        shared += 1
      }
    }
    return 2 * Double(shared) / Double(x.count + y.count - 2)
  }

  /// The rest of the line after the first "answer is" / "answer:".
  static func statedLine(in text: String) -> String? { statedLineWithPosition(in: text)?.line }

  static func statedLineWithPosition(in text: String) -> (line: String, at: String.Index)? {
    guard let range = text.range(of: answerIs, options: .regularExpression) else { return nil }
    let rest = text[range.upperBound...].prefix { $0 != "\n" }.trimmingCharacters(in: CharacterSet(charactersIn: " \t*_"))
    return rest.isEmpty ? nil : (rest, range.lowerBound)
  }

  /// Lower-cased letters and digits only, for comparing option texts.
  static func comparable(_ text: String) -> String {
    String(text.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) })
  }

  /// The comparable form of an answer: no spaces, dollars or `\(…\)` / `\[…\]` delimiters,
  /// `\left`/`\right`, `\!`, `\,`, `\text{…}` wrappers, degree and percent signs, trailing
  /// period; `\dfrac`/`\tfrac` → `\frac`; thousands separators dropped from numbers.
  public static func normalize(_ answer: String) -> String {
    // A LaTeX command written with a doubled backslash (`\\text`) in JSON-escaped text.
    var s = answer.replacingOccurrences(of: #"\\\\([A-Za-z()\[\]])"#, with: "\\\\$1", options: .regularExpression)
    for (from, to) in [
      ("\\left", ""), ("\\right", ""), ("\\(", ""), ("\\)", ""), ("\\[", ""), ("\\]", ""), ("\\!", ""), ("\\,", ""), ("\\;", ""),
      ("\\dfrac", "\\frac"), ("\\tfrac", "\\frac"),
      ("^\\circ", ""), ("^{\\circ}", ""), ("°", ""), ("\\%", ""), ("%", ""), ("$", ""), ("\\$", ""),
    ] {
      s = s.replacingOccurrences(of: from, with: to)
    }
    if s.hasPrefix("\\boxed{") || s.hasPrefix("$\\boxed{"), let content = lastBoxed(in: s) { s = content }
    s = s.replacingOccurrences(of: #"\\text\{([^}]*)\}"#, with: "$1", options: .regularExpression)
    s = s.replacingOccurrences(of: #"\\mbox\{([^}]*)\}"#, with: "$1", options: .regularExpression)
    s = s.filter { !$0.isWhitespace }
    while s.hasSuffix(".") { s.removeLast() }
    if s.range(of: #"^-?\d{1,3}(,\d{3})+(\.\d+)?$"#, options: .regularExpression) != nil {
      s = s.replacingOccurrences(of: ",", with: "")
    }
    return s
  }

  /// Equal after normalization, or equal as numbers; a number may be written in English words
  /// (`eighteen`, `twenty-one`, `one hundred five`: a copy that spells out its numbers states the
  /// item's answer, it is not a perturbed problem).
  /// Math written in TeX and the same math rendered (`\frac{1}{4}` and `1/4`, `432\sqrt{2}` and
  /// `432√2`, `45^\circ` and `45°`) are equal too (``mathCanonical(_:)``), and so are a fraction
  /// and the decimal it is exactly (`1/4`, `0.25`), and a number and the same with its thousands
  /// set apart by dots (`1.800` for 1800).
  public static func equivalent(_ a: String, _ b: String) -> Bool {
    if a == b { return true }
    // Thousands set apart by dots (`1.800`, as much of Europe writes 1800).
    for (x, y) in [(a, b), (b, a)] where x.wholeMatch(of: /-?\d{1,3}(\.\d{3})+/) != nil {
      if let u = Double(x.replacingOccurrences(of: ".", with: "")), let v = Double(y), u == v { return true }
    }
    if let x = Double(a) ?? numberInWords(a), let y = Double(b) ?? numberInWords(b) { return abs(x - y) <= 1e-9 * max(1, abs(x)) }
    let (p, q) = (mathCanonical(a), mathCanonical(b))
    if p == q { return true }
    if let x = fractionValue(p), let y = fractionValue(q) { return abs(x - y) <= 1e-9 * max(1, abs(x)) }
    return false
  }

  /// The value of a whole number written in English words (white space already removed, as
  /// ``normalize(_:)`` leaves it: `onehundredfive`), or nil.
  static func numberInWords(_ text: String) -> Double? {
    var rest = Substring(text.lowercased().replacingOccurrences(of: "-", with: ""))
    guard !rest.isEmpty, rest.allSatisfy({ $0 >= "a" && $0 <= "z" }) else { return nil }
    var total = 0.0
    var current = 0.0
    var words = 0
    while !rest.isEmpty {
      if rest.hasPrefix("and") && words > 0 {
        rest = rest.dropFirst(3)
        continue
      }
      // The longest word that opens the rest (`seventeen` before `seven`).
      guard let (word, value) = numberWords.filter({ rest.hasPrefix($0.key) }).max(by: { $0.key.count < $1.key.count }) else { return nil }
      rest = rest.dropFirst(word.count)
      words += 1
      switch value {
      case 100: current = max(current, 1) * 100
      case 1000, 1_000_000, 1_000_000_000:
        total += max(current, 1) * value
        current = 0
      default: current += value
      }
    }
    return words > 0 ? total + current : nil
  }

  /// English number words and their values.
  static let numberWords: [String: Double] = {
    var table: [String: Double] = ["hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000]
    let small = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
    for (k, word) in small.split(separator: " ").enumerated() { table[String(word)] = Double(k) }
    for (k, word) in "twenty thirty forty fifty sixty seventy eighty ninety".split(separator: " ").enumerated() {
      table[String(word)] = Double(20 + 10 * k)
    }
    return table
  }()

  static func firstIndex(of needle: String, in bytes: [UInt8]) -> Int? {
    let n = Array(needle.utf8)
    guard bytes.count >= n.count else { return nil }
    for i in 0...(bytes.count - n.count) where bytes[i] == n[0] && bytes[i..<i + n.count].elementsEqual(n) { return i }
    return nil
  }
}
