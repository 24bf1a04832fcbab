// SwiftPM links an executable's entry point as `FuzzIndex_main`; with -parse-as-library there is
// none, so this one hands control to libFuzzer's driver with the target's test function.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("FuzzIndex_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  // The intact index is built before fuzzing starts (a lazy global made inside a run reads as a leak).
  _ = Pristine.answer
  var count = argc
  var vector = argv
  return LLVMFuzzerRunDriver(&count, &vector) { data, size in
    fuzzIndex(data, size)
  }
}
