@_spi(Testing) import Contam

/// The JSON field extractor and string decoder on arbitrary bytes: no crash, and a found
/// string's range lies inside the line and decodes to no more bytes than it has.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let line = UnsafeRawBufferPointer(start: data, count: size)
  for path in ["text", "meta.raw_content", "a.b.c"] {
    var extractor = JSONFieldExtractor(path: try! FieldPath(path))
    if case .found(.string(let start, let end, _)) = extractor.extract(line) {
      precondition(0 <= start && start <= end && end <= size, "string range out of the line")
      var decoded: [UInt8] = []
      JSONString.unescape(UnsafeRawBufferPointer(rebasing: line[start..<end]), into: &decoded)
      precondition(decoded.count <= end - start, "decoded longer than escaped")
    }
  }
  return 0
}
