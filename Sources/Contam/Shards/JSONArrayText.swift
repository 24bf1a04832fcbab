/// The text of a JSON array field, as `--text-field 'messages[]'` or `'messages[].content'`
/// asks for it (and of a whole record for `--text-field '*'`: its string values, keys left out): chat and instruction records keep their text in an array of turns
/// (`"messages": [{"role": "user", "content": "…"}, …]`, ShareGPT's `conversations[].value`),
/// or of paragraphs (`"text": ["…", "…"]`).
///
/// The strings are taken in order, unescaped, each followed by a line break (an empty string
/// adds nothing): with an empty
/// element path every string value in the array at any depth (keys are not text: a `role`'s
/// value `user` is, the key `role` is not), else each element's value at the element path (an
/// element without it, or not an object, adds nothing; a value that is itself an array adds
/// every string in it, as OpenAI's content parts `[{"type": "text", "text": "…"}]` hold them).
enum JSONArrayText {
  /// Appends the text of `array` (its bytes from `[` to `]`, well-formed JSON as
  /// ``JSONFieldExtractor`` checked it) to `out`.
  /// - Returns: the number of strings appended.
  static func append(_ array: UnsafeRawBufferPointer, element: FieldPath, into out: inout [UInt8]) -> Int {
    guard element.keys.isEmpty else { return appendElements(array, element: element, into: &out) }
    let n = array.count
    var strings = 0
    var i = 0
    while i < n {
      guard array[i] == UInt8(ascii: "\"") else {
        i += 1
        continue
      }
      let (start, end) = stringBody(array, quoteAt: i)
      i = end + 1
      var k = i
      while k < n, array[k] == 0x20 || array[k] == 0x09 || array[k] == 0x0A || array[k] == 0x0D { k += 1 }
      if k < n && array[k] == UInt8(ascii: ":") || start == end { continue }  // a key, or no text
      _ = JSONString.unescape(UnsafeRawBufferPointer(rebasing: array[start..<end]), into: &out)
      out.append(0x0A)
      strings += 1
    }
    return strings
  }

  /// Each element's value at `element`, for the elements that are objects.
  private static func appendElements(_ array: UnsafeRawBufferPointer, element: FieldPath, into out: inout [UInt8]) -> Int {
    var extractor = JSONFieldExtractor(path: element)
    let n = array.count
    var strings = 0
    var depth = 0
    var objectStart = -1
    var i = 0
    while i < n {
      let c = array[i]
      if c == UInt8(ascii: "\"") {
        i = stringBody(array, quoteAt: i).end + 1
        continue
      }
      if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
        if depth == 1 && c == UInt8(ascii: "{") { objectStart = i }
        depth += 1
      } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
        depth -= 1
        if depth == 1 && objectStart >= 0 {
          let object = UnsafeRawBufferPointer(rebasing: array[objectStart...i])
          objectStart = -1
          switch extractor.extract(object) {
          case .found(.string(let s, let e, _)) where s < e:
            _ = JSONString.unescape(UnsafeRawBufferPointer(rebasing: object[s..<e]), into: &out)
            out.append(0x0A)
            strings += 1
          case .found(.array(let s, let e)):
            strings += append(UnsafeRawBufferPointer(rebasing: object[s..<e]), element: FieldPath.everyString, into: &out)
          default:
            break
          }
        }
      }
      i += 1
    }
    return strings
  }

  /// The body of the string whose opening quote is at `quote`: from after it to its closing
  /// quote (``JSONString/closingQuote(_:count:bodyStart:)``), or to the end.
  private static func stringBody(_ bytes: UnsafeRawBufferPointer, quoteAt quote: Int) -> (start: Int, end: Int) {
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return (quote + 1, quote + 1) }
    return (quote + 1, JSONString.closingQuote(base, count: bytes.count, bodyStart: quote + 1) ?? bytes.count)
  }
}
