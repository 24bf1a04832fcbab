@_spi(Testing) import Contam
import Foundation
import Testing
import _ContamTestSupport

/// `--text-field 'messages[]'` and `'messages[].content'`: the text of chat and instruction
/// records, kept in an array of turns, read as its strings joined by line breaks.
@Suite("Text fields that are arrays (chat records)")
struct ArrayTextFieldTests {
  func read(_ lines: [String], field: String) throws -> (texts: [String], problems: [ContamError]) {
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let path = try fixture.write("chat.jsonl", Data(lines.joined(separator: "\n").utf8))
    var parameters = ReaderParameters()
    parameters.format = .jsonl
    parameters.textField = field  // several, comma-separated, as --text-field takes them
    parameters.idField = "id"
    let result = try readAll(path, options: try parameters.options())
    return (result.documents.map(\.text), result.problems)
  }

  @Test func pathsThroughAnArrayParseAndPrintAsWritten() throws {
    for (written, keys, element) in [
      ("messages[]", ["messages"], [String]()), ("messages[].content", ["messages"], ["content"]),
      ("data.turns[].value.text", ["data", "turns"], ["value", "text"]),
    ] {
      let path = try FieldPath(written)
      #expect(path.keys == keys && path.element?.keys == element && path.description == written)
    }
    #expect(try FieldPath("meta.raw_content").element == nil)
    #expect(try FieldPath("messages[]") != FieldPath("messages"))
    for bad in ["[]", "messages[0]", "messages[].", "messages[]content", "a[].b[]", "a[]]", "a.[]"] {
      #expect(throws: ContamError.self, "\(bad)") { try FieldPath(bad) }
    }
  }

  @Test func theExtractorGivesTheArraysBytes() throws {
    let line = #"{"id": 1, "messages": [{"role": "user", "content": "a [b] c"}, [1, 2]], "text": "x"}"#
    var extractor = JSONFieldExtractor(path: try FieldPath("messages"))
    var copy = line
    let outcome = copy.withUTF8 { extractor.extract(UnsafeRawBufferPointer($0)) }
    guard case .found(.array(let start, let end)) = outcome else {
      Issue.record("\(outcome)")
      return
    }
    let bytes = Array(line.utf8)
    #expect(String(decoding: bytes[start..<end], as: UTF8.self) == #"[{"role": "user", "content": "a [b] c"}, [1, 2]]"#)
    var empty = #"{"messages": []}"#
    var again = JSONFieldExtractor(path: try FieldPath("messages"))
    #expect(empty.withUTF8 { again.extract(UnsafeRawBufferPointer($0)) } == .found(.array(start: 13, end: 15)))
  }

  @Test func chatLayoutsReadAsTheirTurns() throws {
    let records = [
      // OpenAI messages, one with content parts.
      #"{"id": "a", "messages": [{"role": "user", "content": "Natalia sold clips.\nHow many?"}, {"role": "assistant", "content": "She sold \"72\"."}]}"#,
      #"{"id": "b", "messages": [{"role": "user", "content": [{"type": "text", "text": "What is 2+2?"}]}, {"role": "assistant", "content": "4"}]}"#,
      // An element without the field, one that is no object, numbers: nothing from them.
      #"{"id": "c", "messages": [{"role": "system"}, "loose", 7, {"role": "user", "content": "only this"}]}"#,
    ]
    let contents = try read(records, field: "messages[].content")
    #expect(contents.problems.isEmpty, "\(contents.problems)")
    #expect(contents.texts == ["Natalia sold clips.\nHow many?\nShe sold \"72\".\n", "text\nWhat is 2+2?\n4\n", "only this\n"])
    // Every string: roles and content, not the keys.
    let every = try read(records, field: "messages[]")
    #expect(every.texts[0] == "user\nNatalia sold clips.\nHow many?\nassistant\nShe sold \"72\".\n")
    #expect(every.texts[2] == "system\nloose\nuser\nonly this\n")
    // ShareGPT turns and a list of paragraphs; a record whose field is a plain string is read as it is.
    let sharegpt = try read(
      [#"{"id": 1, "conversations": [{"from": "human", "value": "Hi \u00e9"}, {"from": "gpt", "value": "Hello"}]}"#, #"{"id": 2, "conversations": "plain"}"#],
      field: "conversations[].value")
    #expect(sharegpt.texts == ["Hi é\nHello\n", "plain"])
    #expect(try read([#"{"id": 1, "text": ["one", "two"]}"#], field: "text[]").texts == ["one\ntwo\n"])
  }

  @Test func anArrayWithoutTextAndAnArrayForAStringFieldAreNamed() throws {
    let (texts, problems) = try read(
      [#"{"id": 1, "messages": []}"#, #"{"id": 2, "messages": [{"role": "user"}]}"#, #"{"id": 3, "messages": {"content": "an object"}}"#],
      field: "messages[].content")
    #expect(texts.isEmpty)
    #expect(problems.map(\.code) == [.emptyText, .emptyText, .fieldNotString])
    // Without `[]` an array is not read, and the message says how to read it.
    let plain = try read([#"{"id": 1, "messages": [{"content": "x"}]}"#], field: "messages")
    #expect(plain.texts.isEmpty && plain.problems.map(\.code) == [.fieldNotString])
    #expect(plain.problems[0].description.contains("--text-field 'messages[]'"))
  }

  /// A shard whose records lack the text field: its first `missing_field` names the record's
  /// fields and the path with the most text, so the fix is in the message.
  @Test func theFirstMissingFieldSaysWhereTheTextMayBe() throws {
    let chat = try read(
      [#"{"id": 1, "messages": [{"role": "user", "content": "a question of some length"}, {"role": "assistant", "content": "and its answer"}]}"#,
       #"{"id": 2, "messages": []}"#],
      field: "text")
    #expect(chat.problems.map(\.code) == [.missingField, .missingField])
    #expect(chat.problems[0].description.contains("(the record has: id, messages[]; its text may be at --text-field 'messages[].content')"), "\(chat.problems[0])")
    #expect(!chat.problems[1].description.contains("the record has"))
    let nested = try read([#"{"id": 1, "meta": {"url": "https://x.org", "raw_content": "the words of a long page, longer than its url"}}"#], field: "text")
    #expect(nested.problems[0].description.contains("its text may be at --text-field 'meta.raw_content'"), "\(nested.problems[0])")
    let parquet = try ParquetReaderTests().documents(ParquetReaderTests.directory + "/chat-snappy-dictionary-v1.parquet")
    #expect(parquet.docs.isEmpty && parquet.counts.problems[.missingField] == 60)
    let reader = ShardReader(options: ShardReaderOptions(format: .auto(textField: .text, idField: nil)))
    var problems: [ContamError] = []
    _ = try reader.read(path: ParquetReaderTests.directory + "/chat-snappy-dictionary-v1.parquet") { _ in } onProblem: { problems.append($0) }
    #expect(problems.first?.description.contains("--text-field 'messages[].content'") == true, "\(problems)")
  }

  /// `--text-field '*'`: every string value of the record, in its order, keys and numbers left
  /// out (instruction records keep a question and its answer in separate fields); `text,*`
  /// reads `text` where a record has it.
  @Test func everyStringOfARecord() throws {
    let alpaca = [
      #"{"instruction": "Solve the problem.", "input": "Natalia sold clips.", "output": "She sold 72.", "id": 7, "meta": {"source": "gsm"}}"#,
      #"not json"#, #"{"n": 1}"#,
    ]
    let every = try read(alpaca, field: "*")
    #expect(every.texts == ["Solve the problem.\nNatalia sold clips.\nShe sold 72.\ngsm\n"])
    #expect(every.problems.map(\.code) == [.notJSON, .emptyText])
    #expect(try FieldPath("*").description == "*" && FieldPath("*").isEveryString && !FieldPath("text").isEveryString)
    let fallback = try read([#"{"text": "plain words", "extra": "x"}"#, #"{"prompt": "a prompt", "completion": "its completion"}"#], field: "text,*")
    // (Read with `--id-field id`, which neither record has: named once for the shard.)
    #expect(fallback.texts == ["plain words", "a prompt\nits completion\n"] && fallback.problems.map(\.code) == [.missingID])
  }

  /// A file that is one JSON array of records (Alpaca, ShareGPT), pretty-printed or on one
  /// line, is read as JSON Lines: record k is line k, and its bytes are the file's own. An array
  /// of something else is not, and its message says how to convert it; a text file that opens
  /// with `[` is read as it is.
  @Test func aJSONArrayOfRecordsIsReadRecordByRecord() throws {
    let records = [
      ["id": "a", "instruction": "Solve the problem.", "input": "Natalia sold clips, \"48\" in April; [then] half, {so} 24.", "output": "72"],
      ["id": "b", "instruction": "Add, then halve.", "input": "", "output": "3"],
    ]
    let pretty = String(decoding: try JSONSerialization.data(withJSONObject: records, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
    let compact = String(decoding: try JSONSerialization.data(withJSONObject: records, options: [.sortedKeys]), as: UTF8.self)
    for layout in [pretty, compact, "\u{FEFF}  \n" + compact + "\n"] {
      let read = try read([layout], field: "*")
      #expect(read.problems.isEmpty, "\(read.problems)")
      // Keys sorted: id, input, instruction, output.
      #expect(read.texts == ["a\nNatalia sold clips, \"48\" in April; [then] half, {so} 24.\nSolve the problem.\n72\n", "b\nAdd, then halve.\n3\n"])
    }
    let field = try read([pretty], field: "input")
    #expect(field.texts == [#"Natalia sold clips, "48" in April; [then] half, {so} 24."#] && field.problems.map(\.code) == [.emptyText])
    let strings = try read([#"["one", "two"]"#], field: "text")
    #expect(strings.problems.map(\.code) == [.notJSON] && strings.problems[0].description.contains("jq -c '.[]'"))
    let fixture = try ShardFixture()
    defer { fixture.cleanup() }
    let text = "[1] Introduction\n[2] Methods, {as} before\n"
    let path = try fixture.write("refs.txt", Data(text.utf8))
    let lines = try readAll(path, options: ShardReaderOptions(format: .auto(textField: .text, idField: nil)))
    // Plain text, read in pieces: its two lines, as the file holds them.
    #expect(lines.documents.map(\.text) == ["[1] Introduction\n[2] Methods, {as} before"] && lines.problems.isEmpty)
  }
}
