/// COPY ... TO STDOUT, DECLARE, FETCH/MOVE and CLOSE (gram.y's CopyStmt, DeclareCursorStmt,
/// FetchStmt, ClosePortalStmt), as far as clients use them for reading.
extension SQLParser {
    mutating func parseCopy() throws(SQLSyntaxError) -> Statement {
        advance()
        let source: CopyTo.Source
        if acceptSymbol("(") {
            let query = try parseQuery()
            try expectSymbol(")")
            source = .query(query)
        } else {
            let name = try parseTableName()
            source = .table(name, columns: isSymbol("(") ? try parseParenthesizedNames() : [])
        }
        if isWord("from") { throw error("COPY FROM is not supported: Basalt's tables are loaded with `basalt ingest`", at: current) }
        try expectWord("to")
        guard acceptWord("stdout") else {
            throw error("COPY TO a server file is not supported: use COPY ... TO STDOUT (psql's \\copy)", at: current)
        }
        var copy = CopyTo(source: source)
        if acceptWord("with") && !isSymbol("(") {
            try parseLegacyCopyOptions(&copy)
        } else if acceptSymbol("(") {
            repeat {
                let option = current
                let name = try parseColLabel()
                switch name {
                case "format":
                    // A word or a string: asyncpg's copy_from_query sends FORMAT 'csv'.
                    let f = current.kind == .string ? try parseCopyString().lowercased() : try parseColLabel()
                    guard let format = CopyTo.Format(rawValue: f) else { throw error("COPY format \"\(f)\" not recognized", at: option) }
                    copy.format = format
                case "header": copy.header = try parseCopyBoolean()
                case "delimiter": copy.delimiter = try parseCopyString()
                case "null": copy.null = try parseCopyString()
                case "quote": copy.quote = try parseCopyString()
                case "escape": copy.escape = try parseCopyString()
                case "encoding":
                    let e = try parseCopyString()
                    guard ["utf8", "utf-8", "unicode"].contains(e.lowercased()) else { throw error("COPY encoding must be UTF8", at: option) }
                default: throw error("option \"\(name)\" not recognized", at: option)
                }
            } while acceptSymbol(",")
            try expectSymbol(")")
        } else {
            try parseLegacyCopyOptions(&copy)
        }
        return .copyTo(copy)
    }

    /// The pre-9.0 option list psql's \copy still sends: `[BINARY] [DELIMITER [AS] 'c'] [NULL [AS] 's'] [CSV [HEADER] [QUOTE [AS] 'q'] [ESCAPE [AS] 'e']]`.
    private mutating func parseLegacyCopyOptions(_ copy: inout CopyTo) throws(SQLSyntaxError) {
        while !atEnd && !isSymbol(";") {
            if acceptWord("binary") { copy.format = .binary; continue }
            if acceptWord("csv") { copy.format = .csv; continue }
            if acceptWord("header") { copy.header = true; continue }
            if acceptWord("delimiter") { _ = acceptWord("as"); copy.delimiter = try parseCopyString(); continue }
            if acceptWord("null") { _ = acceptWord("as"); copy.null = try parseCopyString(); continue }
            if acceptWord("quote") { _ = acceptWord("as"); copy.quote = try parseCopyString(); continue }
            if acceptWord("escape") { _ = acceptWord("as"); copy.escape = try parseCopyString(); continue }
            throw syntaxError(expected: ["a COPY option"])
        }
    }

    private mutating func parseCopyString() throws(SQLSyntaxError) -> String {
        guard current.kind == .string else { throw syntaxError(expected: ["a string"]) }
        defer { advance() }
        return current.text
    }

    private mutating func parseCopyBoolean() throws(SQLSyntaxError) -> Bool {
        if isSymbol(",") || isSymbol(")") { return true }
        let text = current.text.lowercased()
        advance()
        switch text {
        case "true", "on", "1": return true
        case "false", "off", "0": return false
        default: throw syntaxError(expected: ["a Boolean value"])
        }
    }

    mutating func parseDeclare() throws(SQLSyntaxError) -> Statement {
        advance()
        let name = try parseColId(expected: "a cursor name")
        var binary = false, hold = false
        while !isWord("cursor") {
            if acceptWord("binary") { binary = true; continue }
            if acceptWord("insensitive") || acceptWord("asensitive") || acceptWord("scroll") { continue }
            if acceptWord("no") { try expectWord("scroll"); continue }
            throw syntaxError(expected: ["CURSOR"])
        }
        advance()
        if acceptWord("with") { try expectWord("hold"); hold = true } else if acceptWord("without") { try expectWord("hold") }
        try expectWord("for")
        return .declareCursor(DeclareCursor(name: name, binary: binary, hold: hold, query: try parseQuery()))
    }

    mutating func parseFetch() throws(SQLSyntaxError) -> Statement {
        let move = current.text == "move"
        advance()
        var count: Int? = 1
        if acceptWord("forward") || acceptWord("next") {
            if acceptWord("all") { count = nil } else if current.kind == .integer { count = Int(current.text); advance() }
        } else if acceptWord("all") {
            count = nil
        } else if current.kind == .integer {
            count = Int(current.text)
            advance()
        } else if isWord("backward") || isWord("prior") || isWord("first") || isWord("last") || isWord("absolute") || isWord("relative") {
            throw error("cursor can only scan forward", at: current)
        }
        _ = acceptWord("from") || acceptWord("in")
        return .fetchCursor(FetchCursor(name: try parseColId(expected: "a cursor name"), count: count, move: move))
    }

    mutating func parseClose() throws(SQLSyntaxError) -> Statement {
        advance()
        if acceptWord("all") { return .closeCursor(nil) }
        return .closeCursor(try parseColId(expected: "a cursor name"))
    }
}
