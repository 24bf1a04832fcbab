import Contam
import Foundation

/// Certificate reading, `verify` (without files to find), `report` and `merge` on arbitrary
/// bytes: no crash; what reads strictly encodes and reads back to itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCertificate(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Data(bytes: data, count: size)
  guard let certificate = try? Certificate(decoding: bytes) else { return 0 }
  let again = try? Certificate(decoding: certificate.encoded())
  precondition(again == certificate, "a certificate that reads strictly reads back from its own encoding")
  _ = try? Verifier.verify(certificate, corpusRoots: ["/nonexistent-fuzz-root"])
  _ = ReportRenderer.render(certificate, format: .markdown)
  _ = ReportRenderer.render(certificate, format: .html)
  _ = try? Certificate.merge([certificate, certificate])
  return 0
}
