/// The PostgreSQL lexer (src/backend/parser/scan.l), over the statement's UTF-8 bytes.
///
/// - whitespace: space, tab, newline, carriage return, form feed, vertical tab;
///   comments: `-- ...` to the end of the line and `/* ... */`, which nest;
/// - identifiers: `[A-Za-z\x80-\xff_][A-Za-z\x80-\xff_0-9$]*`, ASCII letters folded to
///   lower case; `"quoted"` identifiers keep their case (`""` is a quote);
/// - constants: see Lexer+Numbers.swift and Lexer+Strings.swift; parameters `$n`;
/// - operators: runs of `+ - * / < > = ~ ! @ # % ^ & | \` ?` (Lexer+Operators.swift);
///   punctuation `( ) [ ] , ; . : ::`; any other character is a token of its own
///   that no grammar rule accepts.
///
/// Lexing never throws: the first lexical error becomes an `.error` token followed by
/// `.end`, so the parser reports it only when it reaches it, as PostgreSQL does (its
/// lexer runs on demand, so a grammar error earlier in the text wins).
struct Lexer {
    let bytes: [UInt8]
    var index = 0
    var tokens: [Token] = []

    /// A lexical error: the message and the source span PostgreSQL quotes after "at or near".
    struct Failure: Error {
        var message: String
        var start: Int
        var end: Int
    }

    static func tokenize(_ bytes: [UInt8]) -> [Token] {
        var lexer = Lexer(bytes: bytes)
        lexer.run()
        lexer.assignPositions()
        return lexer.tokens
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        tokens.reserveCapacity(bytes.count / 3 + 2)
    }

    private mutating func run() {
        do throws(Failure) {
            while true {
                try skipWhitespaceAndComments()
                if index >= bytes.count { break }
                try lexToken()
            }
        } catch {
            let near = String(decoding: bytes[error.start..<min(error.end, bytes.count)], as: UTF8.self)
            let message = error.start >= bytes.count ? "\(error.message) at end of input" : "\(error.message) at or near \"\(near)\""
            tokens.append(Token(.error, message, offset: error.start, length: max(0, error.end - error.start)))
        }
        tokens.append(Token(.end, "", offset: bytes.count, length: 0))
    }

    private mutating func lexToken() throws(Failure) {
        let start = index
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "'"):
            let value = try standardString(from: start)
            append(.string, value, from: start)
        case UInt8(ascii: "\""):
            let name = try quotedIdentifier(from: start)
            append(.quotedIdentifier, name, from: start)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            try number(from: start)
        case UInt8(ascii: "."):
            if index + 1 < bytes.count, isDigit(bytes[index + 1]) {
                try number(from: start)
            } else {
                index += 1
                append(.symbol, ".", from: start)
            }
        case UInt8(ascii: "$"):
            try dollar(from: start)
        case UInt8(ascii: ":"):
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
                index += 1
                append(.symbol, "::", from: start)
            } else if index < bytes.count, bytes[index] == UInt8(ascii: "=") {
                index += 1
                append(.symbol, ":=", from: start)
            } else {
                append(.symbol, ":", from: start)
            }
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"),
             UInt8(ascii: ","), UInt8(ascii: ";"):
            index += 1
            append(.symbol, String(UnicodeScalar(byte)), from: start)
        default:
            if isOperatorCharacter(byte) {
                operatorToken(from: start)
            } else if isIdentifierStart(byte) {
                try identifierOrPrefixedString(from: start)
            } else {
                // PostgreSQL's `other` rule: a token no rule of the grammar accepts.
                index += 1
                append(.symbol, String(UnicodeScalar(byte)), from: start)
            }
        }
    }

    private mutating func identifierOrPrefixedString(from start: Int) throws(Failure) {
        let byte = bytes[start]
        let next = start + 1 < bytes.count ? bytes[start + 1] : 0
        if (byte | 0x20) == UInt8(ascii: "e"), next == UInt8(ascii: "'") {
            index += 1
            let value = try escapeString(from: start)
            append(.string, value, from: start)
            return
        }
        if (byte | 0x20) == UInt8(ascii: "u"), next == UInt8(ascii: "&"), start + 2 < bytes.count,
           bytes[start + 2] == UInt8(ascii: "'") || bytes[start + 2] == UInt8(ascii: "\"") {
            index += 2
            let quoted = bytes[index] == UInt8(ascii: "\"")
            let value = try unicodeEscaped(from: start)
            append(quoted ? .quotedIdentifier : .string, value, from: start)
            return
        }
        while index < bytes.count, isIdentifierContinuation(bytes[index]) { index += 1 }
        var folded = Array(bytes[start..<index])
        for i in folded.indices where folded[i] >= UInt8(ascii: "A") && folded[i] <= UInt8(ascii: "Z") {
            folded[i] |= 0x20
        }
        let name = String(decoding: folded, as: UTF8.self)
        append(.identifier, name, from: start, keyword: Keyword.lookup(name))
    }

    // MARK: whitespace and comments

    mutating func skipWhitespaceAndComments() throws(Failure) {
        while index < bytes.count {
            let byte = bytes[index]
            if isWhitespace(byte) {
                index += 1
            } else if byte == UInt8(ascii: "-"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "-") {
                skipLineComment()
            } else if byte == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") {
                try skipBlockComment()
            } else {
                return
            }
        }
    }

    mutating func skipLineComment() {
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n"), bytes[index] != UInt8(ascii: "\r") { index += 1 }
    }

    /// `/* ... */`, nested as in PostgreSQL (and the SQL standard).
    private mutating func skipBlockComment() throws(Failure) {
        let start = index
        var depth = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") {
                depth += 1
                index += 2
            } else if bytes[index] == UInt8(ascii: "*"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") {
                depth -= 1
                index += 2
                if depth == 0 { return }
            } else {
                index += 1
            }
        }
        throw Failure(message: "unterminated /* comment", start: start, end: bytes.count)
    }

    // MARK: helpers

    mutating func append(_ kind: Token.Kind, _ text: String, from start: Int, keyword: Keyword? = nil) {
        tokens.append(Token(kind, text, offset: start, length: index - start, keyword: keyword))
    }

    /// Character positions for error messages: count UTF-8 lead bytes up to each token.
    private mutating func assignPositions() {
        var characters = 0
        var byte = 0
        for i in tokens.indices {
            let target = min(tokens[i].offset, bytes.count)
            while byte < target {
                if bytes[byte] & 0xC0 != 0x80 { characters += 1 }
                byte += 1
            }
            tokens[i].position = characters + 1
        }
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C || byte == 0x0B
    }
    func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || byte == UInt8(ascii: "_") || byte >= 0x80
    }
    func isIdentifierContinuation(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || isDigit(byte) || byte == UInt8(ascii: "$")
    }
}
