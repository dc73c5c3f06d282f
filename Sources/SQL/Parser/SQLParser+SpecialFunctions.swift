/// gram.y's func_expr_common_subexpr: calls with SQL-standard syntax, parsed into
/// plain calls as Expression.swift's table documents.
extension SQLParser {
    /// EXTRACT, SUBSTRING, POSITION, TRIM, OVERLAY, COALESCE, NULLIF, GREATEST, LEAST, GROUPING.
    @inline(never)
    mutating func parseSpecialFunction() throws(SQLSyntaxError) -> Expression {
        let keyword = current
        advance()
        try expectSymbol("(")
        let arguments: [Expression]
        var name = keyword.text
        switch keyword.text {
        case "extract":
            arguments = try parseExtractArguments()
        case "substring":
            arguments = try parseSubstringArguments()
        case "position":
            // Both operands are gram.y's b_expr: IN ends the first.
            let needle = try parseExpression(.other)
            try expectWord("in")
            arguments = [needle, try parseExpression(.other)]
        case "trim":
            (name, arguments) = try parseTrimArguments()
        case "overlay":
            arguments = try parseOverlayArguments()
        case "nullif":
            let first = try parseExpression()
            try expectSymbol(",")
            arguments = [first, try parseExpression()]
        default:
            arguments = try parseExpressionList()
        }
        try expectSymbol(")")
        return .function(.call(name, arguments, position: keyword.offset))
    }

    /// `field FROM source`; the field is a word or a string, passed as a string literal.
    private mutating func parseExtractArguments() throws(SQLSyntaxError) -> [Expression] {
        guard isName(current) || current.kind == .string else { throw syntaxError(expected: ["a field name"]) }
        let field = current.text
        advance()
        try expectWord("from")
        return [.literal(.string(field)), try parseExpression()]
    }

    /// `s FROM a [FOR n]`, `s FOR n [FROM a]`, `s SIMILAR p ESCAPE e`, or plain arguments.
    private mutating func parseSubstringArguments() throws(SQLSyntaxError) -> [Expression] {
        if isSymbol(")") { return [] }
        let string = try parseExpression()
        if acceptWord("from") {
            let start = try parseExpression()
            return acceptWord("for") ? [string, start, try parseExpression()] : [string, start]
        }
        if acceptWord("for") {
            let count = try parseExpression()
            let start = acceptWord("from") ? try parseExpression() : .literal(.integer("1"))
            return [string, start, count]
        }
        if acceptWord("similar") {
            let pattern = try parseExpression()
            try expectWord("escape")
            return [string, pattern, try parseExpression()]
        }
        var arguments = [string]
        while acceptSymbol(",") { arguments.append(try parseExpression()) }
        return arguments
    }

    /// `[LEADING|TRAILING|BOTH] [chars] FROM s` or `[...] s[, chars]` → ltrim/rtrim/btrim(s[, chars]).
    private mutating func parseTrimArguments() throws(SQLSyntaxError) -> (String, [Expression]) {
        var name = "btrim"
        if acceptWord("leading") {
            name = "ltrim"
        } else if acceptWord("trailing") {
            name = "rtrim"
        } else {
            _ = acceptWord("both")
        }
        if acceptWord("from") { return (name, try parseExpressionList()) }
        let first = try parseExpression()
        if acceptWord("from") { return (name, try parseExpressionList() + [first]) }
        var arguments = [first]
        while acceptSymbol(",") { arguments.append(try parseExpression()) }
        return (name, arguments)
    }

    /// `s PLACING r FROM a [FOR n]` or plain arguments.
    private mutating func parseOverlayArguments() throws(SQLSyntaxError) -> [Expression] {
        if isSymbol(")") { return [] }
        let string = try parseExpression()
        if acceptWord("placing") {
            let replacement = try parseExpression()
            try expectWord("from")
            let start = try parseExpression()
            return acceptWord("for") ? [string, replacement, start, try parseExpression()] : [string, replacement, start]
        }
        var arguments = [string]
        while acceptSymbol(",") { arguments.append(try parseExpression()) }
        return arguments
    }

    /// CURRENT_DATE, CURRENT_TIMESTAMP[(p)], USER, ...: zero-argument calls (the
    /// precision, where PostgreSQL allows one, as an integer argument).
    mutating func parseValueFunction() throws(SQLSyntaxError) -> Expression {
        let keyword = current
        advance()
        var arguments: [Expression] = []
        if ["current_time", "current_timestamp", "localtime", "localtimestamp"].contains(keyword.text), acceptSymbol("(") {
            guard current.kind == .integer else { throw syntaxError(expected: ["an integer"]) }
            arguments.append(.literal(.integer(current.text)))
            advance()
            try expectSymbol(")")
        }
        return .function(.call(keyword.text, arguments, position: keyword.offset))
    }
}
