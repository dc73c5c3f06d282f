/// Statement dispatch (gram.y's stmt) and the statement list: statements separated by
/// semicolons, empty ones skipped.
extension SQLParser {
    mutating func parseStatements() throws(SQLSyntaxError) -> [Statement] {
        var statements: [Statement] = []
        while true {
            while acceptSymbol(";") {}
            if atEnd { return statements }
            statements.append(try parseStatement())
            if atEnd { return statements }
            guard isSymbol(";") else { throw syntaxError(expected: [";", "end of input"]) }
        }
    }

    mutating func parseStatement() throws(SQLSyntaxError) -> Statement {
        if startsQuery() || isSymbol("(") { return .query(try parseQuery()) }
        guard current.kind == .identifier else { throw syntaxError(expected: ["a statement"]) }
        if startsAccessStatement() { return .access(try parseAccessStatement()) }
        switch current.text {
        case "explain": return try parseExplain()
        case "create": return try parseCreate()
        case "drop": return try parseDropTable()
        case "set": return try parseSet()
        case "reset": return try parseReset()
        case "show": return try parseShow()
        case "begin", "start": return try parseBegin()
        case "commit", "end": return try parseTransactionEnd(.commit)
        case "rollback", "abort": return try parseTransactionEnd(.rollback)
        case "savepoint", "release": return try parseSavepoint()
        case "copy": return try parseCopy()
        case "declare": return try parseDeclare()
        case "fetch", "move": return try parseFetch()
        case "close": return try parseClose()
        default: throw syntaxError(expected: ["a statement"])
        }
    }

    /// `EXPLAIN [ANALYZE] [VERBOSE] statement` or `EXPLAIN (option [value], ...) statement`,
    /// where the statement is a query or CREATE TABLE ... AS.
    private mutating func parseExplain() throws(SQLSyntaxError) -> Statement {
        advance()
        var analyze = false
        var verbose = false
        if isSymbol("("), isName(token(at: 1)), !isWord("select", at: 1), !isWord("values", at: 1),
           !isWord("with", at: 1), !isWord("table", at: 1) {
            advance()
            repeat {
                let option = current
                let name = try parseColLabel()
                switch name {
                case "analyze", "analyse": analyze = try parseExplainBoolean(option: name)
                case "verbose": verbose = try parseExplainBoolean(option: name)
                default: throw error("unrecognized EXPLAIN option \"\(name)\"", at: option)
                }
            } while acceptSymbol(",")
            try expectSymbol(")")
        } else {
            analyze = acceptWord("analyze") || acceptWord("analyse")
            verbose = acceptWord("verbose")
        }
        if startsQuery() || isSymbol("(") {
            return .explain(.query(try parseQuery()), analyze: analyze, verbose: verbose)
        }
        if isWord("create") {
            let create = current
            let statement = try parseCreate()
            guard case .createTable(let table) = statement, table.query != nil else {
                throw error("EXPLAIN supports queries and CREATE TABLE ... AS only", at: create)
            }
            return .explain(statement, analyze: analyze, verbose: verbose)
        }
        throw syntaxError(expected: ["SELECT", "VALUES", "WITH", "CREATE"])
    }

    /// An EXPLAIN option's optional Boolean value (PostgreSQL's defGetBoolean spellings).
    private mutating func parseExplainBoolean(option: String) throws(SQLSyntaxError) -> Bool {
        if isSymbol(",") || isSymbol(")") { return true }
        let token = current
        let text: String
        switch token.kind {
        case .identifier, .string, .integer: text = token.text.lowercased()
        default: throw syntaxError(expected: [",", ")"])
        }
        advance()
        switch text {
        case "true", "on", "1": return true
        case "false", "off", "0": return false
        default: throw error("\(option) requires a Boolean value", at: token)
        }
    }
}
