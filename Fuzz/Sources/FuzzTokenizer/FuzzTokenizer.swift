@_spi(Testing) import Contam

/// One tokenizer per text-pipeline version: every version stays selectable, so every one is fuzzed.
nonisolated(unsafe) let tokenizers = TextVersion.allCases.map { Tokenizer(normalizer: .of($0)) }
/// The same, taking ASCII words one byte at a time: the reference for the fast paths.
nonisolated(unsafe) let byteWise = TextVersion.allCases.map { Tokenizer(normalizer: .of($0), wide: false) }

/// The tokenizer on arbitrary bytes: no crash; token ranges are inside the text, non-empty and
/// in order, the same as the byte-wise reference's, counts and all (starts and ends never go back; tokens overlap only where one source character
/// folds to several words, as `¾` → `3 4`, at most one character's bytes); the same bytes always give the same tokens.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = UnsafeRawBufferPointer(start: data, count: size)
  for (tokenizer, reference) in zip(tokenizers, byteWise) {
    check(tokenizer, text, size)
    var wide = TokenCollector()
    var narrow = TokenCollector()
    let wideCounts = tokenizer.tokenize(text, into: &wide)
    let narrowCounts = reference.tokenize(text, into: &narrow)
    precondition(wide.tokens == narrow.tokens, "the fast paths differ from the byte-wise one")
    precondition(wideCounts == narrowCounts, "the fast paths count labels or invalid bytes unlike the byte-wise one")
  }
  return 0
}

func check(_ tokenizer: Tokenizer, _ text: UnsafeRawBufferPointer, _ size: Int) {
  var first = TokenCollector()
  let counts = tokenizer.tokenize(text, into: &first)
  precondition(counts.tokens == first.tokens.count)
  var previous = (start: 0, end: 0)
  for token in first.tokens {
    precondition(token.start < token.end && token.end <= size, "bad token range")
    precondition(token.start >= previous.start && token.end >= previous.end, "tokens out of order")
    if token.start < previous.end {
      // Overlap only inside one source character that folded to several words: at most one
      // UTF-8 scalar (4 bytes) or one HTML reference, escaped up to three times (20 bytes).
      precondition(previous.end - token.start <= HTMLEntity.maximumEscapedLength, "tokens overlap by more than one character")
    }
    previous = (token.start, token.end)
  }
  var second = TokenCollector()
  _ = tokenizer.tokenize(text, into: &second)
  precondition(first.tokens == second.tokens, "not deterministic")
}
