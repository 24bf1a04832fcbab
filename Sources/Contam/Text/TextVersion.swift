/// A version of the text pipeline: the rules that turn text into tokens (``Normalizer``).
///
/// Every scan records the version it used (`parameters.normalization` in a certificate), and
/// `verify` re-derives tokens with the version a certificate names, so a certificate written by
/// an older version stays checkable. Any change to the rules that can change a token is a new
/// version; the older ones stay selectable (`contam scan --text-version 2`).
///
/// | version | rules | adds |
/// | --- | --- | --- |
/// | `contam-text/1` | 1–7 | UTF-8, entities, NFKD, marks, case, CJK one token per character |
/// | `contam-text/2` | 1–10 | option labels, HTML layout tags and `\n` escapes are not tokens |
/// | `contam-text/3` | 1–13 | look-alike letters, Traditional Chinese and letters drawn as symbols fold; a number label needs white space after it |
/// | `contam-text/4` | 1–16 | LaTeX presentation commands (`\text`, `\mathrm`, `\left`, `\frac`) and markdown link targets are not tokens; JSON `\uXXXX` escapes are decoded |
/// | `contam-text/5` | 1–19 | a capital look-alike folds to the capital it copies (Greek `Ν` → `n`); math symbols and a lone Greek letter read as the TeX command that writes them (`≤` = `\le`, `π` = `\pi`); a word hyphenated at a line break is one word; an HTML tag escaped into the text (`&lt;br&gt;`) is layout |
/// | `contam-text/6` | 1–24 | an HTML reference escaped twice (`&amp;nbsp;`) reads as the reference; an inline tag inside a word (`Na<b>ta</b>lia`) does not split it; small capitals (`ᴀ`) are letters and superscript letters run as one word; URL-encoded characters (`%20`, `%C3%A9`) read as what they encode; Hangul fillers are ignored |
/// | `contam-text/7` | 1–26 | text whose UTF-8 was read as Windows-1252 once (`â€™`, `Ã©`) reads as the characters it stands for; a line's number before its text (a listing's `  12  def f():`) is layout |
/// | `contam-text/8` | 1–27 | a subtitle cue's timing line (`00:03:41,200 --> 00:03:44,900`) and the cue number before it are layout |
/// | `contam-text/9` | 1–30 | a citation mark after the text it marks (`Paris.[1]`, `capital[12],`) is layout; quoted-printable soft line breaks (`exam=⏎ple`) and characters (`=E2=80=99`, `=3D`) read as the text; a chat log's line-leading time stamp and `<speaker>` are layout |
/// | `contam-text/10` | 1–31 | a word begun in superscript letters goes on through a letter that has none (`ˢqᵘᵃʳᵉ`, as fancy-text generators leave `q`) |
/// | `contam-text/11` | 1–32 | letter-spaced text (`W h e r e   d o`, lone letters one space apart) spells its words |
public enum TextVersion: Int, Sendable, CaseIterable, Comparable {
  case v1 = 1
  case v2 = 2
  case v3 = 3
  case v4 = 4
  case v5 = 5
  case v6 = 6
  case v7 = 7
  case v8 = 8
  case v9 = 9
  case v10 = 10
  case v11 = 11

  /// The version a scan uses unless told otherwise.
  public static let current = TextVersion.v11

  /// The name written into results: `contam-text/N`.
  public var name: String { "contam-text/\(rawValue)" }

  /// The version a name (`contam-text/2`) or a bare number (`2`) gives, or nil.
  public init?(name: String) {
    let number = name.hasPrefix("contam-text/") ? String(name.dropFirst("contam-text/".count)) : name
    guard let value = Int(number), let version = TextVersion(rawValue: value) else { return nil }
    self = version
  }

  /// Whether option labels, HTML layout tags and escapes are skipped (rules 8–10).
  public var skipsLayoutMarkup: Bool { self >= .v2 }

  /// Whether look-alike letters, Traditional Chinese characters and letters drawn as symbols
  /// fold (rules 11–13).
  public var foldsScripts: Bool { self >= .v3 }

  /// Whether a LaTeX presentation command's name and a markdown link target are not tokens
  /// (rules 14 and 15).
  public var skipsLatexCommands: Bool { self >= .v4 }

  /// Whether a capital look-alike folds to the letter its own shape copies (rule 17), and math
  /// written as symbols reads as the TeX that writes it (rule 18).
  public var readsRenderedMath: Bool { self >= .v5 }

  /// Whether a word hyphenated across a line break (`exam-` `ple`) is one word (rule 19).
  public var joinsLineBreakHyphens: Bool { self >= .v5 }

  /// Whether an HTML tag escaped into the text (`&lt;br /&gt;`) is layout like the tag (rule 9).
  public var skipsEscapedTags: Bool { self >= .v5 }

  /// Whether text written for the web and escaped or encoded once more reads as the text: an HTML
  /// reference escaped twice (`&amp;nbsp;`), an inline tag inside a word (`Na<b>ta</b>lia`), a
  /// URL-encoded character (`%20`); and small capitals and runs of superscript letters read as
  /// letters, and Hangul fillers are ignored (rules 20–24).
  public var readsEncodedText: Bool { self >= .v6 }

  /// Whether text whose UTF-8 bytes were read as Windows-1252 once (`â€™` for `’`, `Ã©` for
  /// `é`) reads as the characters it stands for (rule 25, ``Mojibake``).
  public var readsMisdecodedText: Bool { self >= .v7 }

  /// Whether a listing's line number before its text is layout, not a token (rule 26,
  /// ``LayoutMarkup/isLineNumber(_:count:start:end:)``).
  public var dropsLineNumbers: Bool { self >= .v7 }

  /// Whether a subtitle cue's timing line and the cue number before it are layout, not tokens
  /// (rule 27, ``LayoutMarkup/isSubtitleCue(_:count:start:end:)``).
  public var dropsSubtitleCues: Bool { self >= .v8 }

  /// Whether a citation mark's number right after the text it marks (`Paris.[1]`) is layout,
  /// not a token (rule 28, ``LayoutMarkup/isCitationMark(_:count:start:end:)``).
  public var dropsCitationMarks: Bool { self >= .v9 }

  /// Whether quoted-printable text reads as the text it encodes: a soft line break inside a word
  /// and a character written as `=XX` bytes (rule 29,
  /// ``LayoutMarkup/quotedPrintableEscape(_:available:)``).
  public var readsQuotedPrintable: Bool { self >= .v9 }

  /// Whether a chat log's line-leading time stamp and `<speaker>` are layout, not tokens (rule
  /// 30, ``LayoutMarkup/isLogStamp(_:count:start:end:)``).
  public var dropsLogStamps: Bool { self >= .v9 }

  /// Whether a superscript or subscript letter goes on a word begun with one, or a lone `q`, the
  /// one letter with no such form (`ˢqᵘᵃʳᵉ`, `qᵘᵃʳᵗᵉʳ`: fancy-text generators leave `q` as it
  /// is), where a superscript after other text starts a word (rule 31).
  public var joinsScriptWords: Bool { self >= .v10 }

  /// Whether letter-spaced text (`W h e r e   d o`: lone ASCII letters and digits one space
  /// apart, words two or more) spells its words (rule 32, ``LayoutMarkup/startsLetterRun(_:count:at:)``).
  public var joinsSpacedLetters: Bool { self >= .v11 }

  /// A one-line statement of what this version adds to the one before, for `--help`.
  public var summary: String {
    switch self {
    case .v1:
      return "UTF-8; HTML entities decoded; NFKD, combining marks dropped, lower-cased (ß→ss); letters and digits form words; punctuation, symbols and whitespace separate; format characters ignored; CJK ideographs, kana and Hangul syllables one token each (NFKC); token hash XXH3-64 seed 0 of the normalized bytes"
    case .v2:
      return "as 1, and option labels (one letter, ii-viii, a line-leading 1. or (2)), HTML layout tags and \\n \\r \\t escapes are not tokens"
    case .v3:
      return "as 2, and look-alike letters of other scripts fold to the Latin letter or digit they copy (Unicode TR39: Cyrillic а→a, Greek ο→o), Traditional Chinese characters to Simplified (OpenCC), and letters drawn as symbols (Ⓐ ⒜ 🄰 🅐 🅰 🇦) to the letter; a number label (1.) must be followed by white space, so a line-leading 23.56 keeps its 23; LaTeX commands such as \\neq, \\right, \\times are not escapes"
    case .v4:
      return "as 3, and the name of a LaTeX presentation command (\\text, \\mathrm, \\left, \\big, \\frac, \\dfrac, \\quad) is not a token, so math written in TeX and the same math rendered (2/3, 5 cm, (x)) give the same tokens; commands with a meaning (\\sin, \\le, \\sqrt, \\cdot) stay words; \\n \\r \\t before a word stay escapes; a markdown link's target, ](…), is not text; a JSON \\uXXXX escape is the character it stands for"
    case .v5:
      return "as 4, and a capital look-alike folds to the capital it copies (Greek Ν→n, Υ→y, where 4 read their small forms ν→v, υ→u); a math symbol reads as the name of the TeX command that writes it (≤ as \\le, × as \\times, √ as \\sqrt, ° as \\circ), a word of one Greek letter as its command (π as \\pi), a superscript starts a word (x² as x^2), \\leq as \\le, and \\dots, \\cdots, \\ldots are not tokens, so TeX and the same math rendered on a page give the same tokens; a word hyphenated at a line break (exam-⏎ple, as PDF text keeps it) is one word; an HTML tag escaped into the text (&lt;br /&gt;) is layout like the tag"
    case .v6:
      return "as 5, and an HTML reference escaped twice (&amp;nbsp; &amp;#39; &amp;quot;) reads as the reference, as do tags escaped twice (&amp;lt;br&amp;gt;); an inline tag inside a word (Na<b>ta</b>lia, wo<wbr>rd, <span>) does not split it; Latin small capitals (ᴀ ʙ ᴄ) read as their letters, and a run of superscript or subscript letters (ᴺᵃᵗᵃˡⁱᵃ) is one word; a URL-encoded character (%20 %2C %C3%A9, upper-case hex) reads as the character it encodes; the Hangul fillers (U+3164), letters that show nothing, are ignored like format characters"
    case .v8:
      return "as 7, and a subtitle cue's timing line (00:03:41,200 --> 00:03:44,900, as SRT and WebVTT files write it, settings after it included) and the cue's number alone on the line before it are layout, not tokens, so a text read out as subtitles reads as the text"
    case .v9:
      return "as 8, and a citation mark's number, one to three digits in square brackets right after the text it marks and before white space, punctuation or another mark (Paris.[1] The, capital[12], as encyclopedia pages keep them), is layout, not a token; a reference list's [1] at a line's start stays a token; quoted-printable text, as mail archives keep it, reads as the text it encodes: a soft line break (= at a line's end) inside a word does not split it, and a character written as its UTF-8 bytes (=E2=80=99) or =3D reads as the character, while =20 and other single bytes stay text (x=20); a chat or meeting log's time stamp at a line's start ([12:03:41], 12:03, (09:15)) and the <speaker> after it are layout where the line before or after starts with a time stamp too"
    case .v11:
      return "as 10, and letter-spaced text, lone ASCII letters and digits one space apart with words two or more apart (W h e r e   d o, as a PDF keeps a heading set with wide tracking or a generator spaces every character out), spells its words; a run needs three lone letters one space apart at its start or within 64 bytes, so Plan B a and 4 x 2 = 8 stay apart"
    case .v10:
      return "as 9, and a word begun in superscript letters goes on through a letter that has no superscript form (ˢqᵘᵃʳᵉ reads square: fancy-text generators leave q as it is), where 9 split it (sq uare)"
    case .v7:
      return "as 6, and text whose UTF-8 bytes were once read as Windows-1252 or Latin-1 (mojibake, as crawled pages have it: â€™ for ’, Ã© for é, Â before a no-break space) reads as the characters it stands for, and â€ whose third byte was lost as ”; a line's number before its text (a listing copied with its line numbers: '  12  def f():', '3<tab>for', '14 | return', an editor's '  9 return x') is layout like an option label, not a token"
    }
  }

  public static func < (a: TextVersion, b: TextVersion) -> Bool { a.rawValue < b.rawValue }
}
