/// One lexical token. Tokens keep where they came from (byte offset and length in
/// the UTF-8 text, 1-based character position for error messages) so the parser can
/// quote the source text in errors and fill `QualifiedName.position`.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        /// Unquoted name, folded to lower case; `keyword` says whether PostgreSQL reserves it.
        case identifier
        /// `"Name"`: case kept, never a keyword.
        case quotedIdentifier
        /// Decimal digits only (underscores dropped, `0x`/`0o`/`0b` converted).
        case integer
        /// Digits with a point and/or an exponent, as written.
        case decimal
        /// A string constant after unescaping (`'...'`, `E'...'`, `U&'...'`, `$$...$$`).
        case string
        /// `$n`; `text` holds the digits.
        case parameter
        /// Operators and punctuation; `text` is the canonical spelling (`!=` becomes `<>`).
        case symbol
        /// A lexical error; `text` is the complete message. Always followed by `end`.
        case error
        case end
    }

    var kind: Kind
    var text: String
    var keyword: Keyword?
    /// Byte offset in the statement's UTF-8 text.
    var offset: Int
    /// Length in bytes of the source text this token covers.
    var length: Int
    /// 1-based character position (filled once all tokens are known).
    var position: Int = 0

    init(_ kind: Kind, _ text: String, offset: Int, length: Int, keyword: Keyword? = nil) {
        self.kind = kind
        self.text = text
        self.offset = offset
        self.length = length
        self.keyword = keyword
    }
}
