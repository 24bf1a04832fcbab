/// Receives the tokens of a text, in order, from ``Tokenizer``.
///
/// Conformers are specialized into the tokenizer loop, so a sink that only counts costs
/// nothing beyond the count.
public protocol TokenSink: ~Copyable {
  /// One token.
  /// - Parameters:
  ///   - hash: XXH3-64 of the token's normalized bytes (see ``Normalizer``).
  ///   - start: byte offset of the token's first source byte in the tokenized text.
  ///   - end: byte offset just past its last source byte. Tokens come in source order; two
  ///     tokens share bytes only where one character folds to several words (`o½x` gives
  ///     `o1` and `2x`, both covering the bytes of `½`).
  mutating func consume(hash: UInt64, start: Int, end: Int)
}

/// A token with its hash and its byte range in the source text.
///
/// Sixteen bytes: the offsets are stored in 32 bits (benchmark items are tokenized into
/// tokens like these and kept for the whole scan). Texts tokenized into `Token`s are items,
/// snippets and windows far below 4 GiB; an offset beyond reads as `UInt32.max`.
public struct Token: Hashable, Sendable, BitwiseCopyable {
  /// XXH3-64 of the normalized bytes.
  public var hash: UInt64
  @usableFromInline var startOffset: UInt32
  @usableFromInline var endOffset: UInt32
  /// Byte offset of the first source byte.
  @inlinable public var start: Int {
    get { Int(startOffset) }
    set { startOffset = UInt32(clamping: newValue) }
  }
  /// Byte offset just past the last source byte.
  @inlinable public var end: Int {
    get { Int(endOffset) }
    set { endOffset = UInt32(clamping: newValue) }
  }

  @inlinable
  public init(hash: UInt64, start: Int, end: Int) {
    self.hash = hash
    self.startOffset = UInt32(clamping: start)
    self.endOffset = UInt32(clamping: end)
  }
}

/// A sink that keeps every token (for items, tests and small texts).
public struct TokenCollector: TokenSink {
  public var tokens: [Token] = []
  public init() {}
  public mutating func consume(hash: UInt64, start: Int, end: Int) {
    tokens.append(Token(hash: hash, start: start, end: end))
  }
}

/// A sink that only counts.
public struct TokenCounter: TokenSink {
  public var count = 0
  public init() {}
  @inlinable @inline(__always)
  public mutating func consume(hash: UInt64, start: Int, end: Int) { count &+= 1 }
}

/// What one call to ``Tokenizer/tokenize(_:into:)`` saw besides its tokens.
public struct TokenizeCounts: Hashable, Sendable {
  /// Tokens produced.
  public var tokens = 0
  /// Bytes that were not part of valid UTF-8 (each acted as a separator).
  public var invalidBytes = 0
  /// Option labels dropped (``LayoutMarkup``, Normalizer rule 8).
  public var labels = 0
  public init() {}
}
