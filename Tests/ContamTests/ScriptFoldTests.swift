import Contam
import Foundation
import Testing
import _ContamTestSupport

/// contam-text/3 (ScriptFold, Normalizer rules 11-13): copies that changed their script still
/// match, and real Russian, Greek, Japanese and Korean text keeps its words.
@Suite("Script folds: look-alike letters, Traditional Chinese, letters drawn as symbols (contam-text/3)")
struct ScriptFoldTests {
  let v2 = Tokenizer(normalizer: .of(.v2))
  let v3 = Tokenizer(normalizer: .of(.v3))

  func hashes(_ text: String, _ tokenizer: Tokenizer) -> [UInt64] { tokenizer.tokens(of: text).map(\.hash) }

  /// The disguises an adversary can apply with one `tr`-like pass.
  enum Disguise: String, CaseIterable {
    case cyrillic, greek, mathBold, circled, negativeSquared, fullWidth, mixed

    static let cyrillicLetters: [Character: Character] = [
      "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і", "j": "ј", "s": "ѕ", "h": "һ",
      "d": "ԁ", "q": "ԛ", "w": "ԝ", "A": "А", "B": "В", "E": "Е", "K": "К", "M": "М", "H": "Н", "O": "О", "P": "Р",
      "C": "С", "T": "Т", "X": "Х",
    ]
    static let greekLetters: [Character: Character] = [
      "o": "ο", "a": "α", "v": "ν", "i": "ι", "p": "ρ", "u": "υ", "y": "γ", "A": "Α", "B": "Β", "E": "Ε", "Z": "Ζ",
      "H": "Η", "I": "Ι", "K": "Κ", "M": "Μ", "N": "Ν", "O": "Ο", "P": "Ρ", "T": "Τ", "Y": "Υ", "X": "Χ",
    ]

    /// Latin letter `c` offset into a run of 26 (or 10 digits) starting at `base`.
    static func shifted(_ c: Character, upper: UInt32?, lower: UInt32?, digit: UInt32?) -> Character {
      guard let v = c.unicodeScalars.first?.value, c.unicodeScalars.count == 1 else { return c }
      let target: UInt32? =
        switch v {
        case 0x41...0x5A: upper.map { $0 + v - 0x41 }
        case 0x61...0x7A: lower.map { $0 + v - 0x61 }
        case 0x30...0x39: digit.map { $0 + v - 0x30 }
        default: nil
        }
      return target.flatMap(Unicode.Scalar.init).map(Character.init) ?? c
    }

    func apply(_ text: String, _ rng: inout _SplitMix64) -> String {
      String(
        text.map { c -> Character in
          switch self {
          case .cyrillic: return Self.cyrillicLetters[c].flatMap { Double.random(in: 0..<1, using: &rng) < 0.7 ? $0 : nil } ?? c
          case .greek: return Self.greekLetters[c].flatMap { Double.random(in: 0..<1, using: &rng) < 0.7 ? $0 : nil } ?? c
          case .mathBold: return Self.shifted(c, upper: 0x1D400, lower: 0x1D41A, digit: 0x1D7CE)
          case .circled: return Self.shifted(c, upper: 0x24B6, lower: 0x24D0, digit: nil)
          case .negativeSquared: return Self.shifted(c, upper: 0x1F170, lower: 0x1F170, digit: nil)
          case .fullWidth:
            guard let v = c.unicodeScalars.first?.value, c.unicodeScalars.count == 1, (0x21...0x7E).contains(v) else { return c }
            return Character(Unicode.Scalar(v + 0xFEE0)!)
          case .mixed:
            let pick = [Disguise.cyrillic, .greek, .mathBold, .circled, .fullWidth].randomElement(using: &rng)!
            return pick.apply(String(c), &rng).first!
          }
        })
    }
  }

  @Test func lookAlikeLettersFoldToTheLatinLetters() {
    let latin = "The experimental method is said to involve a hypothesis, a test and a conclusion."
    let cyrillic = "Тһе ехреrіmеntаl mеtһоԁ іѕ ѕаіԁ tо іnvоlvе а һyроtһеѕіѕ, а tеѕt аnԁ а соnсluѕіоn."
    let greek = "Τhe εxperimental methοd is said tο invοlve a hyροthesis, α test and α cοnclusiοn."
    #expect(hashes(cyrillic, v3) == hashes(latin, v3))
    #expect(hashes(greek, v3) == hashes(latin, v3))
    #expect(hashes(cyrillic, v2) != hashes(latin, v2), "contam-text/2 does not fold")
    // The pair of cases decides together: Н and н fold alike, so Russian stays case-insensitive.
    #expect(hashes("НЕТ Нет нет", v3).count == 3 && Set(hashes("НЕТ Нет нет", v3)).count == 1)
    // Letters that look like digits are not folded (б is not 6, з is not 3).
    #expect(hashes("б з", v3) != hashes("6 3", v3))
    // ASCII is untouched: 0 is not O, 1 is not l.
    #expect(hashes("b0ld 1ine", v3) == hashes("b0ld 1ine", v2))
  }

  @Test func lettersDrawnAsSymbolsReadAsTheLetters() {
    let plain = hashes("hello world 2024", v3)
    #expect(hashes("𝐡𝐞𝐥𝐥𝐨 𝐰𝐨𝐫𝐥𝐝 𝟐𝟎𝟐𝟒", v3) == plain)
    #expect(hashes("ⓗⓔⓛⓛⓞ ⓦⓞⓡⓛⓓ ②⓪②④", v3) == plain)
    #expect(hashes("🅷🅴🅻🅻🅾 🆆🅾🆁🅻🅳 2024", v3) == plain)
    #expect(hashes("🄷🄴🄻🄻🄾 🅆🄾🅁🄻🄳 2024", v3) == plain)
    #expect(hashes("🇭🇪🇱🇱🇴 🇼🇴🇷🇱🇩 2024", v3) == plain)
    #expect(hashes("ⓗⓔⓛⓛⓞ", v2).isEmpty, "contam-text/2 reads circled letters as symbols")
    // A symbol that spells a word does not join the word before it.
    #expect(hashes("Windows™ ㎏", v3) == hashes("Windows", v3))
  }

  @Test func traditionalChineseFoldsToSimplifiedCharacterByCharacter() {
    let traditional = "學習資料時間後來"
    let simplified = "学习资料时间后来"
    #expect(hashes(traditional, v3) == hashes(simplified, v3))
    #expect(hashes(traditional, v2) != hashes(simplified, v2))
    // Every token keeps its own character's bytes.
    let tokens = v3.tokens(of: traditional)
    #expect(tokens.count == 8 && tokens.map(\.start) == Array(stride(from: 0, to: 24, by: 3)))
  }

  /// Lines of a committed real-text fixture (GLib's translations, Tests/Fixtures/SOURCES.md).
  func lines(_ language: String) throws -> [String] {
    try String(contentsOfFile: TestData.path("text/scripts/\(language).txt"), encoding: .utf8)
      .split(separator: "\n").map(String.init)
  }

  @Test(arguments: ["ru", "el", "ko", "ja"])
  func realTextKeepsItsWords(_ language: String) throws {
    let text = try lines(language).joined(separator: "\n")
    let bytes = Array(text.utf8)
    let tokens2 = v2.tokens(of: text)
    let tokens3 = v3.tokens(of: text)
    // Same words at the same bytes; only what they fold to may change, and a one-letter word
    // that folds to a Latin letter (Russian в, с, о; Greek ο) is an option label like `a`.
    let byRange = Dictionary(tokens3.map { ("\($0.start):\($0.end)", $0.hash) }, uniquingKeysWith: { a, _ in a })
    #expect(byRange.count == tokens3.count)
    var merged: [UInt64: Set<UInt64>] = [:]
    var changed = 0
    var dropped = 0
    for a in tokens2 {
      let word = String(decoding: bytes[a.start..<a.end], as: UTF8.self)
      // Its letters as the folds see them: compatibility-decomposed, marks dropped.
      let letters = word.decomposedStringWithCompatibilityMapping.unicodeScalars.filter {
        $0.properties.generalCategory != .nonspacingMark
      }
      guard let b = byRange["\(a.start):\(a.end)"] else {
        dropped += 1
        #expect(letters.count <= 4 && letters.allSatisfy { ScriptFold.latin($0) != nil }, "\(language): '\(word)' lost")
        continue
      }
      if a.hash != b {
        changed += 1
        // A token changes only where a documented fold applies: a look-alike letter or a
        // Traditional character.
        let folds = letters.contains { ScriptFold.latin($0) != nil || ScriptFold.simplified($0) != $0 }
        #expect(folds, "\(language): '\(word)' changed with no fold that applies")
      }
      // Words of the script alone (Japanese kanji that are Traditional forms fold by design).
      if !word.unicodeScalars.contains(where: { $0.isASCII || ScriptFold.simplified($0) != $0 }) {
        merged[b, default: []].insert(a.hash)
      }
    }
    #expect(tokens2.count - dropped == tokens3.count)
    // Two distinct words of the script never become one token.
    let merges = merged.values.filter { $0.count > 1 }
    #expect(merges.isEmpty, "\(language): \(merges.count) distinct words merged")
    // Case still does not matter: a word and its upper case fold alike whenever they did before.
    for token in tokens2.prefix(3_000) {
      let word = String(decoding: bytes[token.start..<token.end], as: UTF8.self)
      if hashes(word.uppercased(), v2) == hashes(word, v2) {
        #expect(hashes(word.uppercased(), v3) == hashes(word, v3), "\(language): '\(word)' is no longer case-insensitive")
      }
    }
    switch language {
    case "ko": #expect(changed * 1_000 <= tokens2.count && dropped == 0, "Korean: \(changed) of \(tokens2.count) tokens changed")
    case "ja": #expect(changed * 20 <= tokens2.count && dropped == 0, "Japanese: \(changed) of \(tokens2.count) tokens changed")
    default: #expect(changed > 0, "\(language): the look-alike letters of the script fold")
    }
  }

  /// Documents of real prose with one planted copy each (plain JSONL).
  func shard(in directory: URL, plants: [String]) throws -> String {
    let (_, paragraphs) = try ShardFixture.paragraphsJSONL(count: plants.count + 20, novel: "1342-0.txt.gz")
    var out = ""
    for (i, paragraph) in paragraphs.enumerated() {
      let text = i < plants.count ? String(paragraph.prefix(200)) + "\n\n" + plants[i] + "\n\n" + String(paragraph.dropFirst(200)) : paragraph
      let data = try JSONSerialization.data(withJSONObject: ["id": "doc-\(i)", "text": text], options: [.sortedKeys])
      out += String(decoding: data, as: UTF8.self) + "\n"
    }
    let path = directory.appendingPathComponent("planted.jsonl").path
    try out.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  func scan(_ items: [BenchmarkItem], plants: [String], version: TextVersion = .current) throws -> [ItemResult] {
    let directory = try TestData.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = try shard(in: directory, plants: plants)
    var configuration = ScanConfiguration()
    configuration.normalization = version.name
    let options = ShardReaderOptions(format: .jsonl(textField: try FieldPath("text"), idField: try FieldPath("id")))
    return try Scanner(items: items, configuration: configuration, readerOptions: options).scan(paths: [path], jobs: 2).items
  }

  @Test(arguments: Disguise.allCases)
  func disguisedCopiesOfRealItemsAreContaminated(_ disguise: Disguise) throws {
    // 300 real GSM8K questions with their solutions, each planted once in its disguise.
    let all = try BenchmarkLoader.load(name: "gsm8k", path: TestData.path("benchmarks/gsm8k/test.jsonl"), format: BenchmarkFormat.presets["gsm8k"]!)
    var rng = _SplitMix64(seed: UInt64(disguise.rawValue.utf8.count) &* 7_919)
    let items = Array(all.shuffled(using: &rng).prefix(300))
    let plants = items.map { disguise.apply(ItemIndex.text(of: $0), &rng) }
    let results = try scan(items, plants: plants)
    let found = results.filter { $0.verdict == .contaminated }.count
    let misses = results.filter { $0.verdict != .contaminated }.prefix(3).map { "\($0.id) \($0.verdict) \($0.coverage)" }
    #expect(found * 100 >= 99 * items.count, "\(disguise): \(found) of \(items.count) contaminated; misses \(misses)")
    if disguise == .cyrillic {
      // The same corpus under contam-text/2 finds (nearly) none of them: the fold is what finds them.
      let before = try scan(items, plants: plants, version: .v2).filter { $0.verdict == .contaminated }.count
      #expect(before * 4 < items.count, "contam-text/2 found \(before)")
    }
  }

  @Test func traditionalItemsAreFoundInTheirSimplifiedConversion() throws {
    // Real Traditional Chinese messages as items; the corpus holds OpenCC's own conversion
    // (phrases, then characters), not the character table contam folds with.
    let traditional = try lines("zh_TW")
    let simplified = try lines("zh_TW.t2s")
    #expect(traditional.count == simplified.count)
    let picked = traditional.indices.filter { i in
      traditional[i] != simplified[i] && v3.tokens(of: traditional[i]).count >= 10
    }.prefix(300)
    #expect(picked.count >= 200, "\(picked.count) long messages that differ between the scripts")
    let items = picked.map { BenchmarkItem(benchmark: "zh", id: "m\($0)", parts: [.init(name: "text", text: traditional[$0])]) }
    let results = try scan(items, plants: picked.map { simplified[$0] })
    let found = results.filter { $0.verdict == .contaminated }.count
    let misses = results.indices.filter { results[$0].verdict != .contaminated }.prefix(3).map { "\(traditional[picked[picked.startIndex + $0]]) \(results[$0].coverage)" }
    #expect(found * 100 >= 99 * items.count, "\(found) of \(items.count) contaminated; misses \(misses)")
    let before = try scan(items, plants: picked.map { simplified[$0] }, version: .v2).filter { $0.verdict == .contaminated }.count
    #expect(before < found, "contam-text/2 found \(before)")
  }
}

extension ScriptFoldTests {
  @Test func aDecimalChoiceKeepsItsIntegerPart() {
    // A choice that is a decimal number starts its line in the item's choices part; in a
    // labelled copy it follows `B. `. Under contam-text/3 both read `42 58 mhz`.
    let item = "23.56 GHz\n42.58 MHz"
    let copy = "A. 23.56 GHz\nB. 42.58 MHz"
    #expect(hashes(item, v3) == hashes(copy, v3))
    #expect(hashes(item, v3) == hashes("23 56 GHz 42 58 MHz", v3))
    #expect(hashes(item, v2) != hashes(copy, v2), "contam-text/2 read the line-leading 23. as a label")
    // Real labels still go: `1. x`, `(2) y`, `3)` at the end of the text.
    #expect(hashes("1. red\n(2) blue\n3)", v3) == hashes("red blue", v3))
  }
}

extension ScriptFoldTests {
  @Test func latexCommandsAreNotEscapes() {
    // contam-text/2 read `\neq` as the escape `\n` and `eq`; contam-text/3 reads the command,
    // so a copy whose letters were disguised (`\ⓝⓔⓠ`, `\𝐫𝐢𝐠𝐡𝐭`) still matches.
    #expect(hashes("x \\neq y, \\left( a \\times b \\right)", v3) == hashes("x neq y left a times b right", v3))
    #expect(hashes("x \\neq y", v3) == hashes("x \\ⓝⓔⓠ y", v3))
    #expect(hashes("x \\neq y", v2) == hashes("x eq y", v2))
    // A JSON-escaped transcript still loses its escapes, also before a word.
    #expect(hashes("Question?\\nThe answer\\tis\\r\\nnear", v3) == hashes("Question The answer is near", v3))
  }
}
