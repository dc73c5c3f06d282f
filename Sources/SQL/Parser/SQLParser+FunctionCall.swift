/// gram.y's func_application and func_expr: `name([DISTINCT] args [ORDER BY ...])`,
/// `name(*)`, then `FILTER (WHERE ...)` and `OVER ...`.
extension SQLParser {
    @inline(never)
    mutating func parseFunctionCall(_ name: QualifiedName) throws(SQLSyntaxError) -> Expression {
        var call = try parseFunctionArguments(name)
        if isWord("within"), isWord("group", at: 1) {
            throw error("WITHIN GROUP is not supported")
        }
        if isWord("filter"), isSymbol("(", at: 1) {
            advance()
            advance()
            try expectWord("where")
            call.filter = try parseExpression()
            try expectSymbol(")")
        }
        if acceptWord("over") {
            call.over = try parseOver()
        }
        // gram.y's `func_name '(' func_arg_list ')' Sconst`: a type with modifiers, `bpchar(3) 'x'`.
        if current.kind == .string, call.over == nil, call.filter == nil, !call.star, !call.distinct, call.orderBy.isEmpty,
           !call.arguments.isEmpty, call.name.parts.count <= 3 {
            var modifiers: [Int] = []
            for argument in call.arguments {
                guard case .literal(.integer(let digits)) = argument, let value = Int(digits) else {
                    throw syntaxError(expected: [])
                }
                modifiers.append(value)
            }
            let text = current.text
            advance()
            return .literal(.typed(TypeName(TypeName.normalizedName(call.name.parts), modifiers: modifiers), text))
        }
        return .function(call)
    }

    /// `( [* | [ALL|DISTINCT] args [ORDER BY ...]] )`.
    mutating func parseFunctionArguments(_ name: QualifiedName) throws(SQLSyntaxError) -> FunctionCall {
        try expectSymbol("(")
        var call = FunctionCall(name: name)
        if acceptSymbol("*") {
            call.star = true
            try expectSymbol(")")
            return call
        }
        if acceptSymbol(")") { return call }
        if acceptWord("distinct") {
            call.distinct = true
        } else {
            _ = acceptWord("all")
        }
        call.arguments = try parseExpressionList()
        if isWord("order") {
            call.orderBy = try parseOrderBy()
        }
        try expectSymbol(")")
        return call
    }
}
