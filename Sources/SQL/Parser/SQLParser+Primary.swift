/// gram.y's c_expr: constants, column references, function calls, parenthesized
/// expressions and subqueries, and the keyword-led forms (CASE, CAST, EXISTS, ...).
extension SQLParser {
    @inline(never)
    mutating func parsePrimary() throws(SQLSyntaxError) -> Expression {
        let token = current
        switch token.kind {
        case .integer:
            advance()
            return .literal(.integer(token.text))
        case .decimal:
            advance()
            return .literal(.decimal(token.text))
        case .string:
            advance()
            return .literal(.string(token.text))
        case .parameter:
            advance()
            return .parameter(Int(token.text) ?? 0)
        case .symbol where token.text == "(":
            let expression: Expression
            switch try parseParenContents() {
            case .query(let query): expression = .subquery(query)
            case .expressions(let list): expression = list.count == 1 ? list[0] : .row(list)
            }
            return try parseFieldSelections(expression)
        case .identifier:
            if token.keyword != nil, let expression = try parseKeywordPrimary() { return expression }
            return try parseNamePrimary()
        case .quotedIdentifier:
            return try parseNamePrimary()
        default:
            throw syntaxError(expected: ["an expression"])
        }
    }

    /// Keyword-led forms; nil when the keyword is just a name here (`SELECT interval FROM t`).
    @inline(never)
    private mutating func parseKeywordPrimary() throws(SQLSyntaxError) -> Expression? {
        let token = current
        let callFollows = isSymbol("(", at: 1)
        switch token.text {
        case "null":
            advance()
            return .literal(.null)
        case "true", "false":
            advance()
            return .literal(.boolean(token.text == "true"))
        case "case":
            return try parseCase()
        case "cast":
            return try parseCast()
        case "exists" where callFollows:
            advance()
            return .exists(try parseSubqueryInParentheses(required: "EXISTS takes a subquery"), negated: false)
        case "row" where callFollows:
            advance()
            try expectSymbol("(")
            let list = isSymbol(")") ? [] : try parseExpressionList()
            try expectSymbol(")")
            return .row(list)
        case "interval":
            return try parseIntervalLiteral()
        case "array" where isSymbol("[", at: 1):
            advance()
            advance()
            if acceptSymbol("]") { return .array([]) }
            let items = try parseExpressionList()
            try expectSymbol("]")
            return .array(items)
        case "array" where callFollows:
            advance()
            return .arraySubquery(try parseSubqueryInParentheses(required: "ARRAY takes a subquery"))
        case "extract", "substring", "position", "trim", "overlay", "coalesce", "nullif", "greatest", "least", "grouping":
            return callFollows ? try parseSpecialFunction() : nil
        case "current_date", "current_time", "current_timestamp", "localtime", "localtimestamp", "current_user",
             "session_user", "user", "current_role", "current_catalog", "system_user":
            return try parseValueFunction()
        case "current_schema" where !callFollows:
            advance()
            return .function(.call("current_schema", [], position: token.offset))
        default:
            return SQLParser.constantTypeWords.contains(token.text) ? try parseConstantTypedLiteral() : nil
        }
    }

    /// A name: column reference, function call, or generic typed literal (`date '...'`).
    @inline(never)
    private mutating func parseNamePrimary() throws(SQLSyntaxError) -> Expression {
        let first = current
        guard isName(first), first.keyword?.category != .reserved else { throw syntaxError(expected: ["an expression"]) }
        let name = try parseDottedName(maxParts: 4)
        let qualified = name.parts.count > 1
        if isSymbol("(") {
            guard qualified ? canNameColumn(first) : canNameFunction(first), name.parts.count <= 3 else {
                throw syntaxError(expected: [])
            }
            return try parseFunctionCall(name)
        }
        if current.kind == .string, name.parts.count <= 3, qualified ? canNameColumn(first) : canNameFunction(first) {
            let text = current.text
            advance()
            return .literal(.typed(TypeName(TypeName.normalizedName(name.parts)), text))
        }
        // A type/function-name keyword (LEFT, LIKE, ...) is not a column: PostgreSQL
        // reports the token after it, where it wanted a parenthesis.
        guard canNameColumn(first) else { throw syntaxError(expected: ["("]) }
        return .column(name)
    }

    /// `( ... )` in expression position. See ParenContents.
    @inline(never)
    mutating func parseParenContents() throws(SQLSyntaxError) -> ParenContents {
        try enter()
        defer { leave() }
        try expectSymbol("(")
        if startsQuery() { return .query(try queryThenClose()) }
        let first: Expression
        if isSymbol("(") {
            switch try parseParenContents() {
            case .query(let inner):
                if continuesQuery() { return .query(try queryThenClose(continuing: inner)) }
                if acceptSymbol(")") { return .query(inner) }
                first = try parseExpression(.or, startingWith: .subquery(inner))
            case .expressions(let list):
                first = try parseExpression(.or, startingWith: try parseFieldSelections(list.count == 1 ? list[0] : .row(list)))
            }
        } else {
            if isSymbol(")") { throw syntaxError(expected: ["an expression"]) }
            first = try parseExpression()
        }
        var list = [first]
        while acceptSymbol(",") { list.append(try parseExpression()) }
        try expectSymbol(")")
        return .expressions(list)
    }

    /// `(x).name.name`: field selections after a parenthesized expression.
    mutating func parseFieldSelections(_ parenthesized: Expression) throws(SQLSyntaxError) -> Expression {
        var expression = parenthesized
        while isSymbol("."), isName(token(at: 1)) {
            advance()
            expression = .field(expression, try parseColLabel())
        }
        return expression
    }

    /// `( query )` where only a query will do (EXISTS, ANY/ALL, LATERAL, CTE bodies).
    mutating func parseSubqueryInParentheses(required message: String) throws(SQLSyntaxError) -> Query {
        guard isSymbol("(") else { throw syntaxError(expected: ["("]) }
        let open = current
        switch try parseParenContents() {
        case .query(let query): return query
        case .expressions: throw error(message, at: open)
        }
    }

    mutating func parseExpressionList() throws(SQLSyntaxError) -> [Expression] {
        var list = [try parseExpression()]
        while acceptSymbol(",") { list.append(try parseExpression()) }
        return list
    }

    /// `CASE [operand] WHEN ... THEN ... [ELSE ...] END`.
    @inline(never)
    private mutating func parseCase() throws(SQLSyntaxError) -> Expression {
        advance()
        let operand = isWord("when") ? nil : try parseExpression()
        var branches: [WhenClause] = []
        while acceptWord("when") {
            let condition = try parseExpression()
            try expectWord("then")
            branches.append(WhenClause(condition, try parseExpression()))
        }
        if branches.isEmpty { throw syntaxError(expected: ["WHEN"]) }
        let otherwise = acceptWord("else") ? try parseExpression() : nil
        try expectWord("end")
        return .caseWhen(operand: operand, branches: branches, otherwise: otherwise)
    }

    /// `CAST(x AS type)`.
    @inline(never)
    private mutating func parseCast() throws(SQLSyntaxError) -> Expression {
        advance()
        try expectSymbol("(")
        let value = try parseExpression()
        try expectWord("as")
        let type = try parseTypeName()
        try expectSymbol(")")
        return .cast(value, type)
    }
}
