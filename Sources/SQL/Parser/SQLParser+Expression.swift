/// `a_expr` by precedence climbing over PostgreSQL's operator table (Precedence.swift).
/// Prefix NOT and unary minus recurse; infix and postfix operators loop, building
/// left-deep trees whose height the loop adds to the nesting count.
extension SQLParser {
    mutating func parseExpression(_ minimum: Precedence = .or) throws(SQLSyntaxError) -> Expression {
        try parseExpression(minimum, startingWith: nil)
    }

    /// `first`: an operand the caller already parsed (a parenthesized one; see ParenContents).
    @inline(never)
    mutating func parseExpression(_ minimum: Precedence, startingWith first: Expression?) throws(SQLSyntaxError) -> Expression {
        try enter()
        defer { leave() }
        let outerPeak = peak
        var left: Expression
        if let first {
            left = first
        } else {
            peak = depth
            left = try parsePrefix()
        }
        var top = peak
        var nonAssociative: Precedence?
        while let op = infixOperator(), op.precedence >= minimum {
            // PostgreSQL's %nonassoc: `a < b < c`, `a LIKE b LIKE c` are errors.
            if op.precedence == nonAssociative { throw syntaxError(expected: []) }
            peak = depth
            let (node, endsInOperand) = try parseInfix(op, left: left)
            left = node
            try raise(&top, over: peak)
            nonAssociative = op.isNonAssociative && endsInOperand ? op.precedence : nil
        }
        peak = Swift.max(outerPeak, top)
        return left
    }

    /// Prefix operators, then a primary.
    mutating func parsePrefix() throws(SQLSyntaxError) -> Expression {
        if isWord("not") {
            advance()
            let startsWithExists = isWord("exists") && isSymbol("(", at: 1)
            let operand = try parseExpression(.not)
            if startsWithExists, case .exists(let query, negated: false) = operand { return .exists(query, negated: true) }
            return .unary(.not, operand)
        }
        if isSymbol("-") || isSymbol("+") {
            let op: UnaryOperator = isSymbol("-") ? .minus : .plus
            advance()
            return .unary(op, try parseExpression(.unary))
        }
        return try parseSubscripts(try parsePrimary())
    }

    /// `x[i][j]`: element subscripts after a primary (slices `x[a:b]` are not supported).
    mutating func parseSubscripts(_ primary: Expression) throws(SQLSyntaxError) -> Expression {
        var expression = primary
        while isSymbol("[") {
            advance()
            let index = try parseExpression()
            if isSymbol(":") { throw error("array slices are not supported") }
            try expectSymbol("]")
            expression = .element(expression, index)
        }
        return expression
    }

    /// The operator at the cursor, if the cursor is at one this grammar knows.
    func infixOperator() -> InfixOperator? {
        let token = current
        switch token.kind {
        case .symbol:
            if token.text == "::" { return InfixOperator(kind: .typecast, precedence: .typecast, length: 1) }
            return Self.symbolOperator(token.text)
        case .identifier:
            switch token.text {
            case "operator" where isSymbol("(", at: 1): return qualifiedOperator()
            case "collate": return InfixOperator(kind: .collate, precedence: .collate, length: 1)
            case "or": return InfixOperator(kind: .binary(.or), precedence: .or, length: 1)
            case "and": return InfixOperator(kind: .binary(.and), precedence: .and, length: 1)
            case "is": return InfixOperator(kind: .is, precedence: .is, length: 1)
            case "isnull": return InfixOperator(kind: .isNull(negated: false), precedence: .is, length: 1)
            case "notnull": return InfixOperator(kind: .isNull(negated: true), precedence: .is, length: 1)
            case "like": return InfixOperator(kind: .like(caseInsensitive: false, negated: false), precedence: .like, length: 1)
            case "ilike": return InfixOperator(kind: .like(caseInsensitive: true, negated: false), precedence: .like, length: 1)
            case "similar" where isWord("to", at: 1):
                return InfixOperator(kind: .similar(negated: false), precedence: .like, length: 2)
            case "between": return InfixOperator(kind: .between(negated: false), precedence: .like, length: 1)
            case "in": return InfixOperator(kind: .in(negated: false), precedence: .like, length: 1)
            case "not":
                // PostgreSQL's NOT_LA: NOT directly before LIKE, ILIKE, SIMILAR, BETWEEN or IN.
                if isWord("like", at: 1) { return InfixOperator(kind: .like(caseInsensitive: false, negated: true), precedence: .like, length: 2) }
                if isWord("ilike", at: 1) { return InfixOperator(kind: .like(caseInsensitive: true, negated: true), precedence: .like, length: 2) }
                if isWord("similar", at: 1), isWord("to", at: 2) { return InfixOperator(kind: .similar(negated: true), precedence: .like, length: 3) }
                if isWord("between", at: 1) { return InfixOperator(kind: .between(negated: true), precedence: .like, length: 2) }
                if isWord("in", at: 1) { return InfixOperator(kind: .in(negated: true), precedence: .like, length: 2) }
                return nil
            case "at":
                if isWord("time", at: 1), isWord("zone", at: 2) { return InfixOperator(kind: .atTimeZone, precedence: .at, length: 3) }
                if isWord("local", at: 1) { return InfixOperator(kind: .atTimeZone, precedence: .at, length: 2) }
                return nil
            default:
                return nil
            }
        default:
            return nil
        }
    }

    /// An operator symbol other than `::`, at its own precedence.
    static func symbolOperator(_ text: String) -> InfixOperator? {
        switch text {
        case "+": return InfixOperator(kind: .binary(.add), precedence: .additive, length: 1)
        case "-": return InfixOperator(kind: .binary(.subtract), precedence: .additive, length: 1)
        case "*": return InfixOperator(kind: .binary(.multiply), precedence: .multiplicative, length: 1)
        case "/": return InfixOperator(kind: .binary(.divide), precedence: .multiplicative, length: 1)
        case "%": return InfixOperator(kind: .binary(.modulo), precedence: .multiplicative, length: 1)
        case "^": return InfixOperator(kind: .binary(.power), precedence: .exponent, length: 1)
        case "<": return InfixOperator(kind: .binary(.less), precedence: .comparison, length: 1)
        case ">": return InfixOperator(kind: .binary(.greater), precedence: .comparison, length: 1)
        case "=": return InfixOperator(kind: .binary(.equal), precedence: .comparison, length: 1)
        case "<=": return InfixOperator(kind: .binary(.lessOrEqual), precedence: .comparison, length: 1)
        case ">=": return InfixOperator(kind: .binary(.greaterOrEqual), precedence: .comparison, length: 1)
        case "<>": return InfixOperator(kind: .binary(.notEqual), precedence: .comparison, length: 1)
        case "||": return InfixOperator(kind: .binary(.concat), precedence: .other, length: 1)
        case "~": return InfixOperator(kind: .binary(.regexMatch), precedence: .other, length: 1)
        case "&": return InfixOperator(kind: .binary(.bitAnd), precedence: .other, length: 1)
        case "|": return InfixOperator(kind: .binary(.bitOr), precedence: .other, length: 1)
        case "#": return InfixOperator(kind: .binary(.bitXor), precedence: .other, length: 1)
        case "<<": return InfixOperator(kind: .binary(.shiftLeft), precedence: .other, length: 1)
        case ">>": return InfixOperator(kind: .binary(.shiftRight), precedence: .other, length: 1)
        case "~*": return InfixOperator(kind: .binary(.regexMatchInsensitive), precedence: .other, length: 1)
        case "!~": return InfixOperator(kind: .binary(.regexNotMatch), precedence: .other, length: 1)
        case "!~*": return InfixOperator(kind: .binary(.regexNotMatchInsensitive), precedence: .other, length: 1)
        case "~~": return InfixOperator(kind: .likeSymbol(caseInsensitive: false, negated: false), precedence: .other, length: 1)
        case "~~*": return InfixOperator(kind: .likeSymbol(caseInsensitive: true, negated: false), precedence: .other, length: 1)
        case "!~~": return InfixOperator(kind: .likeSymbol(caseInsensitive: false, negated: true), precedence: .other, length: 1)
        case "!~~*": return InfixOperator(kind: .likeSymbol(caseInsensitive: true, negated: true), precedence: .other, length: 1)
        default: return nil
        }
    }

    /// `OPERATOR([schema.]op)` (psql writes `OPERATOR(pg_catalog.~)`): the operator it names,
    /// at the precedence gram.y gives every `qual_Op` (that of `Op`, "other").
    private func qualifiedOperator() -> InfixOperator? {
        var k = 2
        while isName(token(at: k)), isSymbol(".", at: k + 1) { k += 2 }
        let symbol = token(at: k)
        guard symbol.kind == .symbol, symbol.text != "::", isSymbol(")", at: k + 1),
              let named = Self.symbolOperator(symbol.text) else { return nil }
        return InfixOperator(kind: named.kind, precedence: .other, length: k + 2)
    }

    /// Parses the operator at the cursor and its right-hand side. `endsInOperand` is
    /// false for postfix forms (`IS NULL`, `IN (...)`), after which a non-associative
    /// operator of the same level is allowed again.
    @inline(never)
    mutating func parseInfix(_ op: InfixOperator, left: Expression) throws(SQLSyntaxError) -> (Expression, endsInOperand: Bool) {
        let operatorToken = current
        for _ in 0..<op.length { advance() }
        switch op.kind {
        case .binary(let binary):
            if operatorToken.kind == .symbol || operatorToken.text == "operator", let quantifier = quantifierHere() {
                advance()
                let open = current
                switch try parseParenContents() {
                case .query(let query): return (.quantified(left, binary, quantifier, query), false)
                case .expressions(let list):
                    guard list.count == 1 else { throw error("ANY, SOME and ALL take a subquery or an array", at: open) }
                    return (.quantifiedArray(left, binary, quantifier, list[0]), false)
                }
            }
            return (.binary(binary, left, try parseExpression(op.precedence.next)), true)
        case .likeSymbol(let caseInsensitive, let negated):
            let pattern = try parseExpression(op.precedence.next)
            return (.like(left, pattern: pattern, escape: nil, caseInsensitive: caseInsensitive, negated: negated), true)
        case .is:
            return try parseIs(left: left)
        case .isNull(let negated):
            return (.isNull(left, negated: negated), false)
        case .like(let caseInsensitive, let negated):
            let pattern = try parseExpression(.like.next)
            let escape = acceptWord("escape") ? try parseExpression(.like.next) : nil
            return (.like(left, pattern: pattern, escape: escape, caseInsensitive: caseInsensitive, negated: negated), true)
        case .similar(let negated):
            let pattern = try parseExpression(.like.next)
            var arguments = [left, pattern]
            if acceptWord("escape") { arguments.append(try parseExpression(.like.next)) }
            let similarToken = negated ? tokens[index - op.length + 1] : operatorToken
            let call = Expression.function(.call("similar_to", arguments, position: similarToken.offset))
            return (negated ? .unary(.not, call) : call, true)
        case .between(let negated):
            let symmetric = acceptWord("symmetric")
            if !symmetric { _ = acceptWord("asymmetric") }
            // The lower bound is gram.y's b_expr: it stops at AND.
            let low = try parseExpression(.is)
            try expectWord("and")
            let high = try parseExpression(.like.next)
            return (.between(left, low: low, high: high, negated: negated, symmetric: symmetric), true)
        case .in(let negated):
            guard isSymbol("(") else { throw syntaxError(expected: ["("]) }
            switch try parseParenContents() {
            case .query(let query): return (.inQuery(left, query, negated: negated), false)
            case .expressions(let list): return (.inList(left, list, negated: negated), false)
            }
        case .atTimeZone:
            if op.length == 2 { return (.function(.call("timezone", [left], position: operatorToken.offset)), false) }
            let zone = try parseExpression(op.precedence.next)
            return (.function(.call("timezone", [zone, left], position: operatorToken.offset)), true)
        case .typecast:
            return (.cast(left, try parseTypeName()), false)
        case .collate:
            guard canNameColumn(current) else { throw syntaxError(expected: ["a collation name"]) }
            return (.collate(left, try parseDottedName(maxParts: 3)), false)
        }
    }

    /// After IS: [NOT] NULL | TRUE | FALSE | UNKNOWN | DISTINCT FROM b.
    @inline(never)
    private mutating func parseIs(left: Expression) throws(SQLSyntaxError) -> (Expression, endsInOperand: Bool) {
        let negated = acceptWord("not")
        if acceptWord("null") { return (.isNull(left, negated: negated), false) }
        if acceptWord("true") { return (.isBoolean(left, value: true, negated: negated), false) }
        if acceptWord("false") { return (.isBoolean(left, value: false, negated: negated), false) }
        if acceptWord("unknown") { return (.isBoolean(left, value: nil, negated: negated), false) }
        if isWord("distinct"), isWord("from", at: 1) {
            advance()
            advance()
            let right = try parseExpression(Precedence.is.next)
            return (.isDistinctFrom(left, right, negated: negated), true)
        }
        throw syntaxError(expected: ["NULL", "TRUE", "FALSE", "UNKNOWN", "DISTINCT FROM"])
    }

    /// ANY, SOME or ALL followed by a parenthesis.
    private func quantifierHere() -> Quantifier? {
        guard isSymbol("(", at: 1) else { return nil }
        if isWord("any") || isWord("some") { return .any }
        if isWord("all") { return .all }
        return nil
    }
}
