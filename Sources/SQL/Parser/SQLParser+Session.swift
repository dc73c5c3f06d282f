/// SET, RESET, SHOW and the transaction statements. SET values are kept as SQL text:
/// strings re-quoted (`'UTC'`), numbers with their sign, words in lower case, quoted
/// identifiers quoted; `DEFAULT` (and `TIME ZONE LOCAL`) as "default".
extension SQLParser {
    /// `SET [SESSION | LOCAL] name {TO | =} value, ...`, `SET TIME ZONE zone`, `SET NAMES 'enc'`,
    /// `SET SCHEMA 'name'`. LOCAL is accepted and not recorded.
    mutating func parseSet() throws(SQLSyntaxError) -> Statement {
        advance()
        if isWord("session"), isWord("authorization", at: 1) {
            throw error("SET SESSION AUTHORIZATION is not supported", at: token(at: 1))
        }
        if isWord("session"), isWord("characteristics", at: 1) {
            advance()
            advance()
            try expectWord("as")
            try expectWord("transaction")
            return try parseTransactionModesAsSetting(prefix: "default_")
        }
        if !acceptWord("session") { _ = acceptWord("local") }
        if acceptWord("transaction") { return try parseTransactionModesAsSetting(prefix: "") }
        if isWord("time"), isWord("zone", at: 1) {
            advance()
            advance()
            return .set(name: "timezone", values: [try parseZoneValue()])
        }
        if acceptWord("names") {
            return .set(name: "client_encoding", values: [try parseSetValue()])
        }
        if isWord("schema"), token(at: 1).kind == .string {
            advance()
            return .set(name: "search_path", values: [try parseSetValue()])
        }
        let name = try parseVariableName()
        guard acceptWord("to") || acceptSymbol("=") else { throw syntaxError(expected: ["TO", "="]) }
        if acceptWord("default") { return .set(name: name, values: ["default"]) }
        var values = [try parseSetValue()]
        while acceptSymbol(",") { values.append(try parseSetValue()) }
        return .set(name: name, values: values)
    }

    /// The modes of `SET TRANSACTION` / `SET SESSION CHARACTERISTICS AS TRANSACTION` (clients send
    /// them at connect; Basalt's reads need no transaction): the isolation level as
    /// `[default_]transaction_isolation`, else read-only-ness as `[default_]transaction_read_only`;
    /// further modes are accepted and not recorded.
    private mutating func parseTransactionModesAsSetting(prefix: String) throws(SQLSyntaxError) -> Statement {
        var isolation: String?
        var readOnly: String?
        repeat {
            if isWord("isolation"), isWord("level", at: 1) {
                advance()
                advance()
                var words: [String] = []
                while let word = ["serializable", "repeatable", "read", "committed", "uncommitted"].first(where: { isWord($0) }) {
                    words.append(word)
                    advance()
                }
                guard ["serializable", "repeatable read", "read committed", "read uncommitted"].contains(words.joined(separator: " ")) else {
                    throw syntaxError(expected: ["SERIALIZABLE", "REPEATABLE READ", "READ COMMITTED", "READ UNCOMMITTED"])
                }
                if isolation == nil { isolation = SQLText.quoteString(words.joined(separator: " ")) }
            } else if isWord("read"), isWord("only", at: 1) || isWord("write", at: 1) {
                advance()
                if readOnly == nil { readOnly = current.text == "only" ? "on" : "off" }
                advance()
            } else if acceptWord("deferrable") {
            } else if isWord("not"), isWord("deferrable", at: 1) {
                advance()
                advance()
            } else {
                throw syntaxError(expected: ["ISOLATION LEVEL", "READ", "DEFERRABLE"])
            }
        } while acceptSymbol(",") || isWord("isolation") || isWord("read") || isWord("deferrable") || isWord("not")
        if let isolation { return .set(name: prefix + "transaction_isolation", values: [isolation]) }
        return .set(name: prefix + "transaction_read_only", values: [readOnly ?? "off"])
    }

    /// `RESET name | ALL | TIME ZONE | TRANSACTION ISOLATION LEVEL | SESSION AUTHORIZATION`.
    mutating func parseReset() throws(SQLSyntaxError) -> Statement {
        advance()
        return .reset(name: try parseSettingName())
    }

    /// `SHOW name | ALL | TIME ZONE | TRANSACTION ISOLATION LEVEL | SESSION AUTHORIZATION`.
    mutating func parseShow() throws(SQLSyntaxError) -> Statement {
        advance()
        return .show(name: try parseSettingName())
    }

    private mutating func parseSettingName() throws(SQLSyntaxError) -> String {
        if acceptWord("all") { return "all" }
        if isWord("time"), isWord("zone", at: 1) {
            advance()
            advance()
            return "timezone"
        }
        if isWord("transaction"), isWord("isolation", at: 1), isWord("level", at: 2) {
            for _ in 0..<3 { advance() }
            return "transaction_isolation"
        }
        if isWord("session"), isWord("authorization", at: 1) {
            advance()
            advance()
            return "session_authorization"
        }
        return try parseVariableName()
    }

    /// `ColId[.ColId...]`, joined with dots.
    private mutating func parseVariableName() throws(SQLSyntaxError) -> String {
        var name = try parseColId(expected: "a parameter name")
        while acceptSymbol(".") { name += "." + (try parseColId(expected: "a parameter name")) }
        return name
    }

    private mutating func parseSetValue() throws(SQLSyntaxError) -> String {
        let token = current
        switch token.kind {
        case .string:
            advance()
            return SQLText.quoteString(token.text)
        case .integer, .decimal:
            advance()
            return token.text
        case .symbol where (token.text == "-" || token.text == "+")
            && (self.token(at: 1).kind == .integer || self.token(at: 1).kind == .decimal):
            advance()
            let number = current.text
            advance()
            return token.text == "-" ? "-" + number : number
        case .quotedIdentifier:
            advance()
            return SQLText.quoteIdentifier(token.text)
        case .identifier where token.keyword?.category != .reserved || ["true", "false", "on", "default"].contains(token.text):
            advance()
            return token.text
        default:
            throw syntaxError(expected: ["a value"])
        }
    }

    /// `SET TIME ZONE` takes a string, a name, a number, DEFAULT or LOCAL.
    private mutating func parseZoneValue() throws(SQLSyntaxError) -> String {
        if acceptWord("default") || acceptWord("local") { return "default" }
        if isWord("interval") { throw error("SET TIME ZONE INTERVAL is not supported") }
        return try parseSetValue()
    }

    /// `BEGIN [WORK | TRANSACTION] [modes]` and `START TRANSACTION [modes]`; modes are accepted and ignored.
    mutating func parseBegin() throws(SQLSyntaxError) -> Statement {
        if acceptWord("start") {
            try expectWord("transaction")
        } else {
            advance()
            if !acceptWord("work") { _ = acceptWord("transaction") }
        }
        var first = true
        while true {
            if !first, acceptSymbol(",") {
                guard try parseTransactionMode() else { throw syntaxError(expected: ["ISOLATION LEVEL", "READ", "DEFERRABLE"]) }
            } else if try !parseTransactionMode() {
                break
            }
            first = false
        }
        return .transaction(.begin)
    }

    private mutating func parseTransactionMode() throws(SQLSyntaxError) -> Bool {
        if isWord("isolation"), isWord("level", at: 1) {
            advance()
            advance()
            if acceptWord("serializable") { return true }
            if acceptWord("repeatable") {
                try expectWord("read")
                return true
            }
            if acceptWord("read"), acceptWord("committed") || acceptWord("uncommitted") { return true }
            throw syntaxError(expected: ["SERIALIZABLE", "REPEATABLE READ", "READ COMMITTED", "READ UNCOMMITTED"])
        }
        if isWord("read"), isWord("only", at: 1) || isWord("write", at: 1) {
            advance()
            advance()
            return true
        }
        if acceptWord("deferrable") { return true }
        if isWord("not"), isWord("deferrable", at: 1) {
            advance()
            advance()
            return true
        }
        return false
    }

    /// COMMIT / END / ROLLBACK / ABORT `[WORK | TRANSACTION] [AND NO CHAIN]`.
    mutating func parseTransactionEnd(_ command: TransactionCommand) throws(SQLSyntaxError) -> Statement {
        advance()
        if !acceptWord("work") { _ = acceptWord("transaction") }
        if command == .rollback, acceptWord("to") {
            _ = acceptWord("savepoint")
            return .savepoint(.rollbackTo, name: try parseColId(expected: "a savepoint name"))
        }
        if acceptWord("and") {
            if acceptWord("no") {
                try expectWord("chain")
            } else if isWord("chain") {
                throw error("AND CHAIN is not supported")
            } else {
                throw syntaxError(expected: ["NO CHAIN"])
            }
        }
        return .transaction(command)
    }

    /// `SAVEPOINT name` and `RELEASE [SAVEPOINT] name` (ROLLBACK TO is in parseTransactionEnd).
    mutating func parseSavepoint() throws(SQLSyntaxError) -> Statement {
        let release = current.text == "release"
        advance()
        if release { _ = acceptWord("savepoint") }
        return .savepoint(release ? .release : .define, name: try parseColId(expected: "a savepoint name"))
    }
}
