import Contam
import Foundation
import Testing
import _ContamTestSupport

@Suite("Shard readers on files written by gzip, pigz and zstd")
struct ShardReaderTests {
  static let idOptions = ShardReaderOptions(format: .jsonl(textField: try! FieldPath("text"), idField: try! FieldPath("id")))

  @Test(arguments: [
    ("plain", "cat", [String]()), ("gzip", "gzip", ["-c"]), ("gzip -9", "gzip", ["-9", "-c"]),
    ("pigz", "pigz", ["-c", "-b", "128"]), ("zstd", "zstd", ["-c", "-q"]), ("zstd -19", "zstd", ["-19", "-c", "-q"]),
  ])
  func everyCodecGivesTheSameDocuments(label: String, tool: String, args: [String]) throws {
    try #require(Tool.exists(tool), "install \(tool)")
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (jsonl, texts) = try ShardFixture.paragraphsJSONL(count: 300)
    let path = try fixture.compress("shard.bin", jsonl, tool: tool, args)
    let result = try readAll(path, options: Self.idOptions)
    #expect(result.problems.isEmpty, "\(result.problems)")
    #expect(result.documents.map(\.text) == texts)
    #expect(result.documents.map(\.line) == Array(1...texts.count))
    #expect(result.documents.map(\.id) == (1...texts.count).map { String($0) })
    #expect(result.counts.decompressedBytes == jsonl.count)
    #expect(result.counts.compressedBytes == (try Data(contentsOf: URL(fileURLWithPath: path))).count)
    #expect(result.counts.codec == (tool == "cat" ? .none : tool == "zstd" ? .zstd : .gzip))
  }

  @Test func concatenatedGzipMembersAreAllRead() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (jsonl, texts) = try ShardFixture.paragraphsJSONL(count: 200)
    let half = jsonl.firstRange(of: Data("\n".utf8), in: jsonl.count / 2..<jsonl.count)!.upperBound
    // `cat a.gz b.gz c.gz`, one member written by pigz.
    let a = try Tool.run("gzip", ["-c"], input: jsonl.prefix(half))
    let b = try Tool.run("pigz", ["-c"], input: jsonl.suffix(from: half))
    let empty = try Tool.run("gzip", ["-c"], input: Data())
    let path = try fixture.write("multi.jsonl.gz", a + empty + b)
    let result = try readAll(path)
    #expect(result.problems.isEmpty)
    #expect(result.documents.map(\.text) == texts)
  }

  @Test func concatenatedZstdFramesAreAllRead() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (jsonl, texts) = try ShardFixture.paragraphsJSONL(count: 200)
    let half = jsonl.firstRange(of: Data("\n".utf8), in: jsonl.count / 3..<jsonl.count)!.upperBound
    let a = try Tool.run("zstd", ["-c", "-q"], input: jsonl.prefix(half))
    let b = try Tool.run("zstd", ["-c", "-q", "--no-check"], input: jsonl.suffix(from: half))
    let path = try fixture.write("multi.jsonl.zst", a + b)
    let result = try readAll(path)
    #expect(result.problems.isEmpty)
    #expect(result.documents.map(\.text) == texts)
  }

  /// pzstd (in Debian's zstd package) starts its files, and each of its frames, with a skippable
  /// frame holding the next frame's size: such a file is zstd (it was refused as binary data).
  @Test(.enabled(if: Tool.exists("pzstd"), "needs pzstd (Debian's zstd package)"))
  func zstdFilesThatStartWithASkippableFrameAreRead() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (jsonl, texts) = try ShardFixture.paragraphsJSONL(count: 200)
    let compressed = try Tool.run("pzstd", ["-c", "-q", "-p", "2"], input: jsonl)
    #expect(compressed.prefix(4) == Data([0x50, 0x2A, 0x4D, 0x18]), "pzstd's skippable frame first")
    let path = try fixture.write("pzstd.jsonl.zst", compressed)
    let result = try readAll(path)
    #expect(result.problems.isEmpty, "\(result.problems)")
    #expect(result.documents.map(\.text) == texts)
  }

  @Test(arguments: ["gzip", "zstd"], [0.1, 0.5, 0.9, 0.999])
  func truncatedStreamsAreReportedAndKeepWhatCameBefore(tool: String, fraction: Double) throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (jsonl, texts) = try ShardFixture.paragraphsJSONL(count: 400)
    let whole = try Tool.run(tool, ["-c", "-q"], input: jsonl)
    let path = try fixture.write("cut", whole.prefix(Int(Double(whole.count) * fraction)))
    let result = try readAll(path)
    let fault = try #require(result.problems.first { $0.code == .truncatedData })
    #expect(fault.path == path)
    #expect(result.counts.problems[.truncatedData] == 1)
    // Every document read is a true prefix of the real ones, never a cut-off one.
    #expect(result.documents.count < texts.count)
    #expect(result.documents.map(\.text) == Array(texts.prefix(result.documents.count)))
  }

  @Test(arguments: ["gzip", "zstd"])
  func aFlippedByteIsCorruptData(tool: String) throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (jsonl, texts) = try ShardFixture.paragraphsJSONL(count: 400)
    var bytes = try Tool.run(tool, ["-c", "-q"], input: jsonl)
    bytes[bytes.count / 2] ^= 0x55
    let path = try fixture.write("flipped", bytes)
    let result = try readAll(path)
    #expect(result.counts.problems[.corruptData] == 1, "\(result.problems)")
    #expect(result.problems.first?.description.contains(path) == true)
    #expect(result.documents.count < texts.count)
  }

  @Test func trailingGarbageAfterGzipIsReportedButDataIsKept() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (jsonl, texts) = try ShardFixture.paragraphsJSONL(count: 50)
    let path = try fixture.write("garbage.gz", try Tool.run("gzip", ["-c"], input: jsonl) + Data("GARBAGE!\n".utf8))
    let result = try readAll(path)
    #expect(result.problems.map(\.code) == [.trailingGarbage])
    #expect(result.documents.map(\.text) == texts)
  }

  @Test func overlongLinesAreSkippedAndLineNumbersStayRight() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let long = "{\"text\": \"" + String(repeating: "word ", count: 50_000) + "\"}\n"
    let input = "{\"text\": \"first\"}\n" + long + "{\"text\": \"third\"}\n" + long
    let path = try fixture.compress("long.gz", Data(input.utf8), tool: "gzip", ["-c"])
    let result = try readAll(path, options: ShardReaderOptions(maxLineBytes: 64 * 1024))
    #expect(result.documents.map(\.line) == [1, 3])
    #expect(result.documents.map(\.text) == ["first", "third"], "the long lines must not be read")
    #expect(result.problems.map(\.code) == [.lineTooLong, .lineTooLong])
    #expect(result.problems.map(\.line) == [2, 4])
  }

  @Test func jsonEscapesAreDecoded() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let line = #"{"text": "a\nb\tc \"q\" back\\slash \/ \u00e9\u4e2d \ud83d\ude00 \b\f\r end"}"#
    let path = try fixture.write("esc.jsonl", Data((line + "\n").utf8))
    let result = try readAll(path)
    #expect(result.documents.map(\.text) == ["a\nb\tc \"q\" back\\slash / é中 😀 \u{8}\u{C}\r end"])
  }

  /// Escaped text is decoded where it lies in the line buffer, so the id (read from the same
  /// line) must be read first: records with the id before and after the text, escapes of every
  /// kind in both, checked against Foundation's JSON decoder.
  @Test func textDecodedInPlaceKeepsTheIdThatFollowsIt() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let pieces = [
      #"plain "#, #"\n"#, #"\t"#, #"\"quoted\""#, #"back\\slash"#, #"\/"#, #"\u00e9"#, #"\u4e2d"#, #"\ud83d\ude00"#, #"\b\f\r"#,
      #"\u0022"#, #"\u005c"#, "é中", #"{\"id\": \"fake\"}"#, #", \"id\": 9"#,
    ]
    var lines: [String] = []
    for k in 0..<400 {
      let text = (0..<(1 + k % 40)).map { j in pieces[(k * 7 + j * 13 + j * j) % pieces.count] }.joined()
      let id = k % 3 == 0 ? #"\"id-\#(k)\" \u00e9"# : "id-\(k)"
      lines.append(k % 2 == 0 ? #"{"text": "\#(text)", "id": "\#(id)"}"# : #"{"id": "\#(id)", "text": "\#(text)", "after": "\u00e9\""}"#)
    }
    let path = try fixture.write("escapes.jsonl", Data((lines.joined(separator: "\n") + "\n").utf8))
    let result = try readAll(path, options: Self.idOptions)
    #expect(result.problems.isEmpty, "\(result.problems)")
    let expected = try lines.map { line -> (text: String, id: String) in
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      return (try #require(object["text"] as? String), try #require(object["id"] as? String))
    }
    #expect(result.documents.map(\.text) == expected.map(\.text))
    #expect(result.documents.map(\.id) == expected.map(\.id))
  }

  /// The line buffer grows for a long line and goes back to its size after it: lines of several
  /// MiB among short ones (and a long one that ends the file without a newline) are all read
  /// whole, with their numbers, ids and offsets.
  @Test func longLinesAmongShortOnesAreReadWhole() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    var records: [String] = []
    var texts: [String] = []
    for k in 0..<60 {
      let words = [0, 17, 41].contains(k) ? 900_000 + 50_000 * k : k == 59 ? 700_000 : 3 + k % 7
      let separator = k % 2 == 0 ? " " : #"\n"#
      let text = (0..<words).map { "w\($0 % 997)" }.joined(separator: separator)
      records.append(#"{"text": "\#(text)", "id": "\#(k)"}"#)
      texts.append(k % 2 == 0 ? text : text.replacingOccurrences(of: #"\n"#, with: "\n"))
    }
    let input = records.joined(separator: "\n")  // the last line has no newline
    let path = try fixture.compress("long.zst", Data(input.utf8), tool: "zstd", ["-c", "-q"])
    var read: [(line: Int, offset: Int, id: String?, text: String)] = []
    var problems: [ContamError] = []
    _ = try ShardReader(options: Self.idOptions).read(path: path) { document in
      read.append((document.line, document.lineOffset, document.id, document.textString))
    } onProblem: { problems.append($0) }
    #expect(problems.isEmpty, "\(problems)")
    #expect(read.map(\.line) == Array(1...60))
    #expect(read.map(\.id) == (0..<60).map { String($0) })
    // Compared one by one, so a failure names the record instead of printing MiB of text.
    let wrong = read.indices.filter { $0 >= texts.count || read[$0].text != texts[$0] }
    #expect(read.count == texts.count && wrong.isEmpty, "records read wrong: \(wrong.prefix(5))")
    let offsets = records.reduce(into: [0]) { $0.append($0.last! + $1.utf8.count + 1) }.dropLast()
    #expect(read.map(\.offset) == Array(offsets))
  }

  @Test func badRecordsAreCountedByReasonWithTheirLines() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let lines = [
      #"{"text": "ok one"}"#, "not json at all", "", #"{"text": 42}"#, #"{"text": null}"#, #"{"text": ["a"]}"#,
      #"{"other": "x"}"#, #"{"text": "unterminated}"#, #"{"text": "ok two"} trailing"#, #"["text"]"#,
      #"{"text": "first of two", "text": "last of two"}"#, #"{"text": "a copy before an empty one", "text": ""}"#,
    ]
    let path = try fixture.write("bad.jsonl", Data(lines.joined(separator: "\n").utf8))
    let result = try readAll(path)
    // A field given twice: both read (readers disagree on which one the record means), counted.
    #expect(result.documents.map(\.text) == ["ok one", "first of two\nlast of two", "a copy before an empty one\n"])
    #expect(result.documents.map(\.line) == [1, 11, 12])
    #expect(result.counts.problems == [.notJSON: 4, .emptyLine: 1, .fieldNotString: 3, .missingField: 1, .repeatedField: 2])
    #expect(result.problems.map(\.line) == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    #expect(result.problems.allSatisfy { $0.path == path })
    #expect(result.counts.lines == 12)
    // Read through a fallback field (`--text-field text,content`), the same: both strings.
    var fallback = ShardReaderOptions()
    fallback.fallbackTextFields = [try FieldPath("content")]
    let twice = try fixture.write("fallback.jsonl", Data((#"{"content": "a copy first", "content": "prose last"}"# + "\n").utf8))
    let read = try readAll(twice, options: fallback)
    #expect(read.documents.map(\.text) == ["a copy first\nprose last"] && read.counts.problems == [.repeatedField: 1])
  }

  /// An id field no document of a shard has (`--id-field uid` for records keyed `id`) is a
  /// misnamed field: named once for the shard (`missing_id`, counted, nothing lost), where it
  /// used to leave every document without its id and say nothing. Some records without one
  /// (an optional field) are fine; a number reads as the id too.
  @Test func anIdFieldNoDocumentHasIsNamedOnce() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let records = (1...5).map { #"{"id": "doc-\#($0)", "text": "a short record \#($0)"}"# }.joined(separator: "\n")
    let path = try fixture.write("ids.jsonl", Data(records.utf8))
    func options(_ field: String) throws -> ShardReaderOptions {
      ShardReaderOptions(format: .jsonl(textField: try FieldPath("text"), idField: try FieldPath(field)))
    }
    let misnamed = try readAll(path, options: try options("uid"))
    #expect(misnamed.documents.count == 5 && misnamed.documents.allSatisfy { $0.id == nil })
    #expect(misnamed.counts.problems == [.missingID: 1], "\(misnamed.counts.problems)")
    #expect(misnamed.problems.first?.path == path && misnamed.problems.first?.message.contains("'uid'") == true)
    let named = try readAll(path, options: try options("id"))
    #expect(named.documents.map(\.id) == (1...5).map { "doc-\($0)" } && named.counts.problems.isEmpty)
    let some = try fixture.write("some.jsonl", Data((#"{"text": "no id here"}"# + "\n" + #"{"id": 7, "text": "a number id"}"#).utf8))
    let partly = try readAll(some, options: try options("id"))
    #expect(partly.documents.map(\.id) == [nil, "7"] && partly.counts.problems.isEmpty, "\(partly.counts.problems)")
  }

  /// Text in a legacy encoding (Latin-1 `é` is one byte that is not UTF-8) and a stray NUL are
  /// still text: read, the bad bytes counted, not refused as binary (`BadInputMatrixTests` has
  /// the binary, UTF-16 and unsupported-compression cases).
  @Test func latin1TextAndAStrayNULAreReadNotRefused() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (jsonl, texts) = try ShardFixture.paragraphsJSONL(count: 40)
    // Latin-1: one byte per character (`é` is 0xE9); characters it lacks (curly quotes) as `?`.
    let latin1 = String(decoding: jsonl, as: UTF8.self).replacingOccurrences(of: "the", with: "thé").unicodeScalars
      .map { $0.value < 256 ? UInt8($0.value) : UInt8(ascii: "?") }
    var bytes = Data(latin1)
    let firstSpace = bytes.firstIndex(of: 0x20)! + 30
    bytes[firstSpace] = 0
    let path = try fixture.write("latin1.jsonl", bytes)
    let result = try readAll(path)
    #expect(result.documents.count == texts.count && result.problems.isEmpty, "\(result.problems)")
  }

  /// UTF-16 without a byte order mark is refused, and the message names its byte order, so the
  /// `iconv` command it gives converts the file (big-endian read as little-endian is garbage).
  @Test func utf16WithoutAByteOrderMarkIsNamedWithItsByteOrder() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let text = String(decoding: try ShardFixture.paragraphsJSONL(count: 20).jsonl, as: UTF8.self)
    for (encoding, name) in [
      (String.Encoding.utf16LittleEndian, "UTF-16LE"), (.utf16BigEndian, "UTF-16BE"), (.utf32LittleEndian, "UTF-32LE"), (.utf32BigEndian, "UTF-32BE"),
    ] {
      let path = try fixture.write("\(name).jsonl", text.data(using: encoding)!)
      let result = try readAll(path)
      #expect(result.documents.isEmpty)
      #expect(result.problems.count == 1 && result.problems[0].code == .unsupported)
      #expect(result.problems.first?.message.contains("iconv -f \(name) -t UTF-8") == true, "\(result.problems)")
    }
  }

  /// A tar archive is known by its header's checksum, not by `ustar` alone: prose that holds
  /// `ustar` at byte 257 (`mustard`) is read; a real header, plain or inside gzip, is refused
  /// and named; and a file of zeros is binary, not UTF-32.
  @Test func tarIsKnownByItsHeaderAndTextThatSaysUstarIsRead() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let prose = try TestData.gutenberg("1342-0.txt.gz", bytes: 20_000)
    var text = Array(prose.utf8.prefix(255)).map { $0 == 0x0A ? 0x20 : $0 }
    text += Array(" mustard and more of the novel after it: ".utf8) + Array(prose.utf8.dropFirst(255))
    #expect(Array(text[257..<262]) == Array("ustar".utf8))
    let path = try fixture.write("mustard.txt", Data(text))
    let read = try readAll(path, options: ShardReaderOptions(format: .lines))
    #expect(read.problems.isEmpty && !read.documents.isEmpty, "\(read.problems)")

    let tar = ShardFixture.tarHeader("novel.txt") + Data(prose.utf8)
    for (name, bytes, says) in [
      ("novel.tar", tar, "tar data: "), ("novel.tar.gz", try Tool.run("gzip", ["-c"], input: tar), "tar data inside the gzip stream"),
      ("zeros.txt", Data(count: 70_000), "binary data"),
    ] {
      let result = try readAll(try fixture.write(name, bytes), options: ShardReaderOptions(format: .lines))
      #expect(result.documents.isEmpty && result.problems.map(\.code) == [.unsupported], "\(name): \(result.problems)")
      #expect(result.problems.first?.message.contains(says) == true, "\(name): \(result.problems)")
    }
  }

  /// A record whose text is base64 of text (plain, wrapped as MIME wraps it, URL-safe; a text
  /// file of MIME parts one after another) is `encoded_text`, named by line, counted as not read
  /// and not handed on: read as it is, it would match nothing and read clean. What only looks
  /// a little like base64 is read as before: a hex digest, one long word, base64 of bytes that
  /// are not text, a data URI inside prose, a base64 body after a header line, short base64.
  @Test func base64OfTextIsNamedAndNotReadAndLookAlikesAreRead() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let texts = try ShardFixture.paragraphsJSONL(count: 30).texts.filter { $0.utf8.count >= 60 }.prefix(6).map { $0 }
    func record(_ text: String) throws -> String { String(decoding: try JSONSerialization.data(withJSONObject: ["text": text]), as: UTF8.self) }
    let plain = texts.map { Data($0.utf8).base64EncodedString() }
    let mime = texts.map { Data($0.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed]) }
    let urlSafe = plain.map { $0.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_") }
    let encoded = try fixture.write("encoded.jsonl", Data(try (plain + mime + urlSafe).map(record).joined(separator: "\n").utf8))
    let read = try readAll(encoded)
    #expect(read.documents.isEmpty && read.counts.documents == 0, "\(read.documents.map(\.2))")
    #expect(read.counts.problems[.encodedText] == 18 && read.problems.map(\.line) == Array(1...18).map { Optional($0) })
    #expect(read.problems.first?.description.contains("encoded.jsonl:1: encoded_text: the text is base64") == true)
    let parts = try fixture.write("parts.txt", Data(mime.joined(separator: "\n\n").utf8))
    let partsRead = try readAll(parts, options: ShardReaderOptions(format: .text))
    #expect(partsRead.documents.isEmpty && partsRead.counts.problems[.encodedText, default: 0] >= 1, "\(partsRead.problems)")

    var seed: UInt64 = 7
    let noise = Data((0..<300).map { _ in
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: seed >> 33)
    })
    let lookAlikes = [
      String(repeating: "3f9a0c7be41d", count: 6),
      "Supercalifragilistic" + String(repeating: "expialidocious", count: 6),
      noise.base64EncodedString(),
      texts[0] + " data:text/plain;base64," + plain[1] + " " + texts[2],
      "Content-Transfer-Encoding: base64\n\n" + mime[3],
      Data("a short line".utf8).base64EncodedString(),
      texts[4],
    ]
    let mixed = try fixture.write("lookalikes.jsonl", Data(try lookAlikes.map(record).joined(separator: "\n").utf8))
    let kept = try readAll(mixed)
    #expect(kept.problems.isEmpty, "\(kept.problems)")
    #expect(kept.documents.map(\.2) == lookAlikes)
  }

  /// Records that keep their text at another path than the field read (`{"text": title,
  /// "content": page}`, `meta.body`) are read as the field asked for, and the shard says once
  /// where more text is (`unread_field`, not input lost); records whose other fields are ids,
  /// URLs or short tags, or the same text again, chat turns read through `messages[].content`,
  /// and `*` say nothing.
  @Test func moreTextAtAnotherPathThanTheFieldReadIsSaidOnce() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let texts = Array(try ShardFixture.paragraphsJSONL(count: 200).texts.filter { $0.utf8.count >= 200 }.prefix(40))
    #expect(texts.count == 40)
    func shard(_ name: String, _ record: (Int, String) -> [String: Any]) throws -> String {
      let lines = try texts.enumerated().map { i, text in
        String(decoding: try JSONSerialization.data(withJSONObject: record(i, text), options: [.sortedKeys]), as: UTF8.self)
      }
      return try fixture.write(name, Data(lines.joined(separator: "\n").utf8))
    }
    let titled = try shard("titled.jsonl") { i, text in ["id": i, "text": "Chapter \(i) of the novel", "content": text] }
    let read = try readAll(titled)
    #expect(read.documents.count == 40 && read.documents.allSatisfy { $0.text.hasPrefix("Chapter") })
    #expect(read.counts.problems[.unreadField] == 1 && read.problems.count == 1, "\(read.problems)")
    #expect(read.problems.first?.message.contains("more text at 'content' than at 'text'") == true, "\(read.problems)")
    #expect(read.problems.first?.message.contains("--text-field 'content'") == true)
    let nested = try shard("nested.jsonl") { i, text in ["text": "page \(i)", "meta": ["body": text, "lang": "en"]] }
    #expect(try readAll(nested).problems.map(\.message).first?.contains("at 'meta.body'") == true)

    let plain = try shard("plain.jsonl") { i, text in ["id": "doc-\(i)", "url": "https://example.org/books/\(i)", "tags": ["novel", "fiction"], "text": text] }
    let twice = try shard("twice.jsonl") { _, text in ["text": text, "raw": text + " "] }
    let chat = try shard("chat.jsonl") { i, text in ["messages": [["role": "user", "content": "Tell me part \(i)."], ["role": "assistant", "content": text]]] }
    for (path, options) in [
      (plain, ShardReaderOptions()),
      (twice, ShardReaderOptions()),
      (chat, ShardReaderOptions(format: .jsonl(textField: try FieldPath("messages[].content"), idField: nil))),
      (titled, ShardReaderOptions(format: .jsonl(textField: try FieldPath("*"), idField: nil))),
    ] {
      let result = try readAll(path, options: options)
      #expect(result.problems.isEmpty && result.documents.count == 40, "\(path): \(result.problems)")
    }
  }

  /// Binary data inside a plain text stream (a gzip member compressed twice, after members of
  /// text): its lines with NUL bytes that are mostly not UTF-8 are `unsupported`, named by line,
  /// not read as text that matches nothing; the text around them, Latin-1 and a stray NUL
  /// included, is read as before.
  @Test func binaryLinesInsideTextAreNamedNotRead() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    // The text before the binary part is more than the 64 KiB the stream's first look reads.
    let novel = try TestData.gutenberg("1342-0.txt.gz", bytes: 160_000)
    let lines = novel.split(whereSeparator: \.isNewline).map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
      .filter { !$0.isEmpty }
    let first = Data((lines[0..<1400].joined(separator: "\n") + "\n").utf8)
    var strayNUL = Data("A line of prose with a stray".utf8)
    strayNUL.append(0)
    strayNUL += Data(" byte in it, and the r\u{E9}st of it in Latin-1 caf\u{E9}.\n".utf8.map { $0 })
    let twice = try Tool.run("gzip", ["-c"], input: try Tool.run("gzip", ["-c"], input: Data(lines[1400...].joined(separator: "\n").utf8)))
    let file = try Tool.run("gzip", ["-c"], input: first) + (try Tool.run("gzip", ["-c"], input: strayNUL)) + twice
    let path = try fixture.write("mixed.txt.gz", file)
    let result = try readAll(path, options: ShardReaderOptions(format: .lines))
    try #require(result.documents.count > 1400, "\(result.problems)")
    #expect(result.documents.prefix(1400).map(\.text) == Array(lines[0..<1400]))
    #expect(result.documents[1400].line == 1401 && result.documents[1400].text.hasPrefix("A line of prose with a stray"))
    #expect(!result.problems.isEmpty && result.problems.allSatisfy { $0.code == .unsupported && ($0.line ?? 0) > 1401 }, "\(result.problems)")
    #expect(result.problems.first?.message.contains("binary data") == true)
  }

  @Test func crlfLineEndsAndAByteOrderMarkAreHandled() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let input = "\u{FEFF}{\"text\": \"first\"}\r\n{\"text\": \"second\"}\r\n"
    let path = try fixture.write("crlf.jsonl", Data(input.utf8))
    let result = try readAll(path)
    #expect(result.problems.isEmpty)
    #expect(result.documents.map(\.text) == ["first", "second"])
  }

  @Test func nestedTextFieldAndNumericIds() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let input = """
      {"id": 7, "meta": {"lang": "en", "raw_content": "nested text"}, "text": "top"}
      {"meta": {"raw_content": {"deeper": 1}}, "id": "x"}
      {"meta": [{"raw_content": "in an array: not the path"}]}
      """
    let path = try fixture.write("nested.jsonl", Data(input.utf8))
    let options = ShardReaderOptions(format: .jsonl(textField: try FieldPath("meta.raw_content"), idField: try FieldPath("id")))
    let result = try readAll(path, options: options)
    #expect(result.documents.map(\.text) == ["nested text"])
    #expect(result.documents.map(\.id) == ["7"])
    #expect(result.counts.problems == [.fieldNotString: 1, .missingField: 1])
  }

  @Test func unreadableInputsAreNamed() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let empty = try fixture.write("empty.jsonl.gz", Data())
    let dangling = fixture.url("dangling").path
    try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: fixture.url("nowhere").path)
    let newlines = try fixture.write("newlines.jsonl", Data(String(repeating: "\n", count: 5).utf8))
    #expect(try readAll(empty).problems.map(\.code) == [.emptyFile])
    #expect(try readAll(fixture.directory.path).problems.map(\.code) == [.unreadableFile])
    #expect(try readAll(dangling).problems.map(\.code) == [.unreadableFile])
    #expect(try readAll(fixture.url("missing").path).problems.first?.message.contains("No such file") == true)
    let blank = try readAll(newlines)
    #expect(blank.counts.problems == [.emptyLine: 5])
    #expect(blank.documents.isEmpty)
  }

  @Test func plainTextLinesAndWholeFiles() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let novel = try TestData.gutenberg(bytes: 50_000)
    let path = try fixture.compress("novel.txt.gz", Data(novel.utf8), tool: "gzip", ["-c"])
    let whole = try readAll(path, options: ShardReaderOptions(format: .wholeFile))
    #expect(whole.documents.count == 1)
    #expect(whole.documents.first?.text == novel)
    let lines = try readAll(path, options: ShardReaderOptions(format: .lines))
    // Split on the byte 0x0A (a Swift Character would keep "\r\n" together).
    let expected = Array(novel.utf8).split(separator: 0x0A, omittingEmptySubsequences: false).enumerated().filter {
      !String(decoding: $0.element, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
    #expect(lines.documents.map(\.line) == expected.map { $0.offset + 1 })
    #expect(lines.documents.first.map { $0.text + "\r" } == expected.first.map { String(decoding: $0.element, as: UTF8.self) })
    #expect(lines.problems.isEmpty)
  }

  @Test func theStopPolicyThrowsTheFirstProblem() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try fixture.write("bad.jsonl", Data("{\"text\": \"a\"}\nbroken\n{\"text\": \"b\"}\n".utf8))
    #expect(throws: ContamError.self) {
      try readAll(path, options: ShardReaderOptions(policy: .stop))
    }
  }

  @Test func isalAndZlibAgreeOnGoodAndFaultyGzip() throws {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let (jsonl, _) = try ShardFixture.paragraphsJSONL(count: 300)
    let whole = try Tool.run("gzip", ["-c"], input: jsonl)
    var flipped = whole
    flipped[flipped.count / 2] ^= 0x20
    var badCRC = whole
    badCRC[badCRC.count - 6] ^= 0x01  // inside the CRC-32 of the trailer
    let inputs: [(String, Data)] = [
      ("members", try Tool.run("pigz", ["-c"], input: jsonl) + whole),
      ("cut-10", whole.prefix(whole.count / 10)), ("cut-60", whole.prefix(whole.count * 6 / 10)),
      ("cut-trailer", whole.prefix(whole.count - 3)), ("flipped", flipped), ("bad-crc", badCRC),
      ("garbage", whole + Data("trailing".utf8)), ("zero-padding", whole + Data(count: 512)),
    ]
    for (name, bytes) in inputs {
      let path = try fixture.write(name + ".gz", bytes)
      let isal = try readAll(path, options: ShardReaderOptions(inflater: .isal))
      let zlib = try readAll(path, options: ShardReaderOptions(inflater: .zlib))
      #expect(isal.documents.map(\.text) == zlib.documents.map(\.text), "\(name)")
      #expect(isal.problems.map(\.code) == zlib.problems.map(\.code), "\(name): \(isal.problems) vs \(zlib.problems)")
      // Where the stream is intact, every byte agrees; on a cut or damaged one the decoders may
      // flush a different part of the last incomplete block (the incomplete line is dropped).
      if isal.problems.allSatisfy({ !$0.code.losesInput }) {
        #expect(isal.counts.decompressedBytes == zlib.counts.decompressedBytes, "\(name)")
      }
    }
  }
}
