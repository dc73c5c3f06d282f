/// gram.y's from_clause: comma-separated table references, each a primary followed by
/// joins. CROSS and NATURAL joins are left-associative; a qualified join whose right
/// side is followed by another join before its ON/USING takes that join as its right
/// side (`a JOIN b JOIN c ON x ON y` is `a JOIN (b JOIN c ON x) ON y`), as in PostgreSQL.
extension SQLParser {
    @inline(never)
    mutating func parseTableReference() throws(SQLSyntaxError) -> TableReference {
        try enter()
        defer { leave() }
        let outerPeak = peak
        peak = depth
        let primary = try parseTablePrimary()
        let joined = try parseJoins(startingWith: primary)
        peak = Swift.max(outerPeak, peak)
        return joined
    }

    @inline(never)
    private mutating func parseJoins(startingWith first: TableReference) throws(SQLSyntaxError) -> TableReference {
        var left = first
        var top = peak
        while let (kind, natural, length) = joinHere() {
            for _ in 0..<length { advance() }
            peak = depth
            let right: TableReference
            let condition: JoinCondition
            if kind == .cross {
                right = try parseTablePrimary()
                condition = .none
            } else if natural {
                right = try parseTablePrimary()
                condition = .natural
            } else {
                right = try parseTableReference()
                if acceptWord("on") {
                    condition = .on(try parseExpression())
                } else if isWord("using") {
                    advance()
                    condition = .using(try parseParenthesizedNames())
                } else {
                    throw syntaxError(expected: ["ON", "USING"])
                }
            }
            left = .join(Join(kind, left, right, condition))
            try raise(&top, over: peak)
        }
        peak = top
        return left
    }

    /// The join keywords at the cursor: kind, NATURAL, and how many tokens they take.
    private func joinHere() -> (JoinKind, natural: Bool, length: Int)? {
        if isWord("cross") { return isWord("join", at: 1) ? (.cross, false, 2) : nil }
        if isWord("join") { return (.inner, false, 1) }
        let natural = isWord("natural")
        var offset = natural ? 1 : 0
        let kind: JoinKind
        switch token(at: offset).kind == .identifier ? token(at: offset).text : "" {
        case "join": return natural ? (.inner, true, 2) : nil
        case "inner": kind = .inner
        case "left": kind = .left
        case "right": kind = .right
        case "full": kind = .full
        default: return nil
        }
        offset += 1
        if kind != .inner, isWord("outer", at: offset) { offset += 1 }
        guard isWord("join", at: offset) else { return nil }
        return (kind, natural, offset + 1)
    }

    /// A table, `[LATERAL] (query) [alias]`, `[LATERAL] function(...) [alias]` or `( join )`.
    @inline(never)
    private mutating func parseTablePrimary() throws(SQLSyntaxError) -> TableReference {
        try enter()
        defer { leave() }
        if acceptWord("lateral") {
            if isSymbol("(") {
                let query = try parseSubqueryInParentheses(required: "LATERAL takes a subquery or a function call")
                return .subquery(query, alias: try parseAlias(), lateral: true)
            }
            // LATERAL is implied for functions in FROM; the tree does not record it.
            guard canNameFunction(current) else { throw syntaxError(expected: ["(", "a function name"]) }
            let name = try parseDottedName(maxParts: 3)
            return .function(try parseTableFunction(name), alias: try parseAlias())
        }
        if isSymbol("(") {
            let open = current
            switch try parseParenthesizedFromItem() {
            case .query(let query):
                return .subquery(query, alias: try parseAlias(), lateral: false)
            case .table(let table):
                if isWord("as") || canNameColumn(current) {
                    throw error("aliases on parenthesized joins are not supported", at: open)
                }
                return table
            }
        }
        let first = current
        guard isName(first), first.keyword?.category != .reserved else { throw syntaxError(expected: ["a table reference"]) }
        let name = try parseDottedName(maxParts: 3)
        if isSymbol("(") {
            guard name.parts.count > 1 ? canNameColumn(first) : canNameFunction(first) else { throw syntaxError(expected: []) }
            return .function(try parseTableFunction(name), alias: try parseAlias())
        }
        guard canNameColumn(first) else { throw syntaxError(expected: ["a table reference"], at: first) }
        return .table(name, alias: try parseAlias())
    }

    private mutating func parseTableFunction(_ name: QualifiedName) throws(SQLSyntaxError) -> FunctionCall {
        let call = try parseFunctionArguments(name)
        if isWord("with"), isWord("ordinality", at: 1) { throw error("WITH ORDINALITY is not supported") }
        return call
    }

    private enum ParenthesizedFromItem {
        case query(Query)
        case table(TableReference)
    }

    /// `(` in FROM: a subquery, possibly a set operation of parenthesized queries, or a
    /// parenthesized join (see ParenContents for the expression-side twin).
    @inline(never)
    private mutating func parseParenthesizedFromItem() throws(SQLSyntaxError) -> ParenthesizedFromItem {
        try enter()
        defer { leave() }
        try expectSymbol("(")
        if startsQuery() { return .query(try queryThenClose()) }
        var table: TableReference
        if isSymbol("(") {
            switch try parseParenthesizedFromItem() {
            case .query(let inner):
                if continuesQuery() { return .query(try queryThenClose(continuing: inner)) }
                if acceptSymbol(")") { return .query(inner) }
                table = .subquery(inner, alias: try parseAlias(), lateral: false)
            case .table(let inner):
                table = inner
            }
            table = try parseJoins(startingWith: table)
        } else {
            table = try parseTableReference()
        }
        try expectSymbol(")")
        return .table(table)
    }

    /// `[AS] name [(columns)]`; without AS the name must be a ColId (so `t LEFT JOIN` is not an alias).
    private mutating func parseAlias() throws(SQLSyntaxError) -> TableAlias? {
        let name: String
        if acceptWord("as") {
            name = try parseColId(expected: "an alias")
        } else if canNameColumn(current) {
            name = current.text
            advance()
        } else {
            return nil
        }
        return TableAlias(name, columns: isSymbol("(") ? try parseParenthesizedNames() : [])
    }
}
