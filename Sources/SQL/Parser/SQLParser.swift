/// The recursive-descent parser's state: the token array, a cursor, and the nesting
/// guard. The grammar lives in the `SQLParser+*.swift` extensions, one concern each,
/// following PostgreSQL's gram.y (names such as `ColId` and `a_expr` are gram.y's).
struct SQLParser {
    let source: [UInt8]
    let tokens: [Token]
    var index = 0
    /// Current recursion depth (see `enter()`).
    var depth = 0
    /// Deepest depth plus tree height reached by the expression or table being parsed;
    /// loops that build left-deep trees (a + b + c, joins, UNION chains) raise it.
    var peak = 0
    var stack = StackGuard()

    init(_ sql: String) {
        source = Array(sql.utf8)
        tokens = Lexer.tokenize(source)
    }

    // MARK: looking at tokens

    var current: Token { tokens[index] }

    func token(at offset: Int) -> Token { tokens[Swift.min(index + offset, tokens.count - 1)] }

    var atEnd: Bool { tokens[index].kind == .end }

    /// Never moves past `.end` or a lexical error, so errors are reported where they are.
    mutating func advance() {
        let kind = tokens[index].kind
        if kind != .end && kind != .error { index += 1 }
    }

    // The checks below are called from every rule; kept out of line and reading the
    // token in place, they do not add a Token-sized slot to each caller's stack frame.

    /// An unquoted word (keyword or not) at `offset`.
    @inline(never)
    func isWord(_ word: String, at offset: Int = 0) -> Bool {
        let i = Swift.min(index + offset, tokens.count - 1)
        return tokens[i].kind == .identifier && tokens[i].text == word
    }

    @inline(never)
    func isSymbol(_ symbol: String, at offset: Int = 0) -> Bool {
        let i = Swift.min(index + offset, tokens.count - 1)
        return tokens[i].kind == .symbol && tokens[i].text == symbol
    }

    @inline(never)
    mutating func acceptWord(_ word: String) -> Bool {
        guard isWord(word) else { return false }
        advance()
        return true
    }

    @inline(never)
    mutating func acceptSymbol(_ symbol: String) -> Bool {
        guard isSymbol(symbol) else { return false }
        advance()
        return true
    }

    mutating func expectWord(_ word: String) throws(SQLSyntaxError) {
        guard acceptWord(word) else { throw missing(word.uppercased()) }
    }

    mutating func expectSymbol(_ symbol: String) throws(SQLSyntaxError) {
        guard acceptSymbol(symbol) else { throw missing(symbol) }
    }

    @inline(never)
    private func missing(_ expected: String) -> SQLSyntaxError {
        syntaxError(expected: [expected])
    }

    /// The token's text as written, for "at or near".
    @inline(never)
    func sourceText(of token: Token) -> String {
        let end = Swift.min(token.offset + token.length, source.count)
        return String(decoding: source[token.offset..<end], as: UTF8.self)
    }

    // MARK: errors
    // Never inlined: building messages takes many temporaries, which would otherwise
    // swell the stack frame of every recursive rule that can fail.

    /// PostgreSQL's syntax error at `token` (the current one by default). A lexical
    /// error token reports its own message instead.
    @inline(never)
    func syntaxError(expected: [String], at token: Token? = nil) -> SQLSyntaxError {
        let token = token ?? current
        switch token.kind {
        case .error:
            return SQLSyntaxError(message: token.text, position: token.position)
        case .end:
            return SQLSyntaxError(message: "syntax error at end of input", position: token.position, expected: expected)
        default:
            return SQLSyntaxError(message: "syntax error at or near \"\(sourceText(of: token))\"", position: token.position,
                                  expected: expected)
        }
    }

    @inline(never)
    func error(_ message: String, at token: Token? = nil) -> SQLSyntaxError {
        let token = token ?? current
        if token.kind == .error { return SQLSyntaxError(message: token.text, position: token.position) }
        return SQLSyntaxError(message: message, position: token.position)
    }

    // MARK: nesting

    /// Called on entry to every recursive rule: bounds both the parser's own stack use
    /// and the height of the trees it builds (which later passes walk recursively).
    mutating func enter() throws(SQLSyntaxError) {
        depth += 1
        if depth > NestingLimit.maximumDepth || !stack.hasRoom() { throw tooDeep() }
        if depth > peak { peak = depth }
    }

    mutating func leave() { depth -= 1 }

    /// After a loop added one level on top of a subtree whose top was `top`.
    mutating func raise(_ top: inout Int, over operandTop: Int) throws(SQLSyntaxError) {
        top = Swift.max(top, operandTop) + 1
        if top > NestingLimit.maximumDepth { throw tooDeep() }
    }

    @inline(never)
    func tooDeep() -> SQLSyntaxError {
        error("statement is too deeply nested")
    }
}
