/// Names, with PostgreSQL's rules for which keywords may stand in for them
/// (Keyword.swift): `ColId` for columns, tables, aliases and CTEs;
/// `type_function_name` for functions and types; `ColLabel` (anything) after AS and dots.
extension SQLParser {
    /// An identifier token, quoted or not, keyword or not.
    func isName(_ token: Token) -> Bool {
        token.kind == .identifier || token.kind == .quotedIdentifier
    }

    /// gram.y's ColId: identifiers, unreserved and column-name keywords.
    func canNameColumn(_ token: Token) -> Bool {
        switch token.kind {
        case .quotedIdentifier: return true
        case .identifier: return token.keyword?.isColumnName ?? true
        default: return false
        }
    }

    /// gram.y's type_function_name: identifiers, unreserved and type/function-name keywords.
    func canNameFunction(_ token: Token) -> Bool {
        switch token.kind {
        case .quotedIdentifier: return true
        case .identifier: return token.keyword?.isFunctionName ?? true
        default: return false
        }
    }

    /// gram.y's BareColLabel: a column alias without AS.
    func canBeBareLabel(_ token: Token) -> Bool {
        switch token.kind {
        case .quotedIdentifier: return true
        case .identifier: return token.keyword?.bareLabel ?? true
        default: return false
        }
    }

    mutating func parseColId(expected: String = "an identifier") throws(SQLSyntaxError) -> String {
        guard canNameColumn(current) else { throw syntaxError(expected: [expected]) }
        let name = current.text
        advance()
        return name
    }

    /// Any identifier or keyword (after AS, after a dot, option names).
    mutating func parseColLabel() throws(SQLSyntaxError) -> String {
        guard isName(current) else { throw syntaxError(expected: ["an identifier"]) }
        let name = current.text
        advance()
        return name
    }

    /// `name(.label)*`: the caller has checked the first token's category. Stops before `.*`.
    mutating func parseDottedName(maxParts: Int) throws(SQLSyntaxError) -> QualifiedName {
        let first = current
        var parts = [first.text]
        advance()
        while isSymbol("."), isName(token(at: 1)) {
            advance()
            parts.append(current.text)
            advance()
        }
        if parts.count > maxParts {
            throw error("improper qualified name (too many dotted names): " + parts.joined(separator: "."), at: first)
        }
        return QualifiedName(parts, position: first.offset)
    }

    /// A table, view or CTE name: `ColId(.label){0,2}`.
    mutating func parseTableName() throws(SQLSyntaxError) -> QualifiedName {
        guard canNameColumn(current) else { throw syntaxError(expected: ["a table name"]) }
        return try parseDottedName(maxParts: 3)
    }

    /// `( ColId [, ...] )`.
    mutating func parseParenthesizedNames() throws(SQLSyntaxError) -> [String] {
        try expectSymbol("(")
        var names = [try parseColId()]
        while acceptSymbol(",") { names.append(try parseColId()) }
        try expectSymbol(")")
        return names
    }
}
