/// gram.y's SelectStmt: `[WITH ...] body [ORDER BY ...] [LIMIT|OFFSET|FETCH ...]`, where
/// the body combines SELECT, VALUES, `TABLE name` and parenthesized queries with
/// UNION/EXCEPT (left-associative) and INTERSECT (binding tighter).
///
/// A parenthesized query that carries nothing of its own (no WITH, ORDER BY, LIMIT or
/// OFFSET) is flattened into its body: the tree's shape already records the grouping.
extension SQLParser {
    /// SELECT, VALUES, WITH or TABLE at the cursor.
    @inline(never)
    func startsQuery() -> Bool {
        isWord("select") || isWord("values") || isWord("with") || isWord("table")
    }

    /// What may follow a complete parenthesized query and continue it.
    @inline(never)
    func continuesQuery() -> Bool {
        isWord("union") || isWord("intersect") || isWord("except") || isWord("order") || isWord("limit")
            || isWord("offset") || isWord("fetch")
    }

    @inline(never)
    mutating func parseQuery() throws(SQLSyntaxError) -> Query {
        try enter()
        defer { leave() }
        let (with, recursive) = isWord("with") ? try parseWithClause() : ([], false)
        let body = try parseSetExpression(level: 1, first: nil)
        return try finishQuery(with: with, recursive: recursive, body: body)
    }

    /// A query inside parentheses (the `(` already taken), through its `)`; with `first`,
    /// the query continues one whose first operand was parsed in inner parentheses.
    /// Shared by FROM items and expressions, whose parenthesized forms are twins.
    mutating func queryThenClose(continuing first: Query? = nil) throws(SQLSyntaxError) -> Query {
        let query = if let first { try parseQuery(continuing: first) } else { try parseQuery() }
        try expectSymbol(")")
        return query
    }

    /// Continues a query whose first operand, `first`, was parsed in parentheses.
    @inline(never)
    mutating func parseQuery(continuing first: Query) throws(SQLSyntaxError) -> Query {
        try enter()
        defer { leave() }
        let body = try parseSetExpression(level: 1, first: SQLParser.operand(first))
        return try finishQuery(with: [], body: body)
    }

    /// `(query)` as an operand of a set operation.
    static func operand(_ query: Query) -> QueryBody {
        if query.with.isEmpty, query.orderBy.isEmpty, query.limit == nil, query.offset == nil { return query.body }
        return .nested(query)
    }

    @inline(never)
    private mutating func finishQuery(with: [CommonTableExpression], recursive: Bool = false,
                                      body: QueryBody) throws(SQLSyntaxError) -> Query {
        var query = Query(with: with, recursive: recursive, body: body)
        if isWord("order") { query.orderBy = try parseOrderBy() }
        try parseLimitAndOffset(into: &query)
        if query.with.isEmpty, query.orderBy.isEmpty, query.limit == nil, query.offset == nil, case .nested(let inner) = body {
            return inner
        }
        return query
    }

    /// Level 1: UNION and EXCEPT; level 2: INTERSECT; level 3: an operand.
    @inline(never)
    private mutating func parseSetExpression(level: Int, first: QueryBody?) throws(SQLSyntaxError) -> QueryBody {
        try enter()
        defer { leave() }
        let outerPeak = peak
        var left: QueryBody
        if let first {
            left = first
        } else {
            peak = depth
            left = try parseSetOperand()
        }
        var top = peak
        while let (op, operatorLevel) = setOperatorHere(), operatorLevel >= level {
            advance()
            let all = acceptWord("all")
            if !all { _ = acceptWord("distinct") }
            peak = depth
            let right = try parseSetExpression(level: operatorLevel + 1, first: nil)
            left = .setOperation(op, all: all, left, right)
            try raise(&top, over: peak)
        }
        peak = Swift.max(outerPeak, top)
        return left
    }

    private func setOperatorHere() -> (SetOperator, Int)? {
        if isWord("union") { return (.union, 1) }
        if isWord("except") { return (.except, 1) }
        if isWord("intersect") { return (.intersect, 2) }
        return nil
    }

    @inline(never)
    private mutating func parseSetOperand() throws(SQLSyntaxError) -> QueryBody {
        if isWord("select") { return .select(try parseSelect()) }
        if isWord("values") { return .values(try parseValues()) }
        if isWord("table") {
            advance()
            let name = try parseTableName()
            return .select(Select(items: [.wildcard(qualifier: nil)], from: [.table(name, alias: nil)]))
        }
        if isSymbol("(") {
            advance()
            let query = try parseQuery()
            try expectSymbol(")")
            return SQLParser.operand(query)
        }
        throw syntaxError(expected: ["SELECT", "VALUES", "TABLE", "("])
    }

    /// `VALUES (a, b), (c, d)`.
    private mutating func parseValues() throws(SQLSyntaxError) -> [[Expression]] {
        advance()
        var rows: [[Expression]] = []
        repeat {
            try expectSymbol("(")
            rows.append(try parseExpressionList())
            try expectSymbol(")")
        } while acceptSymbol(",")
        return rows
    }

    /// `WITH [RECURSIVE] name [(columns)] AS [[NOT] MATERIALIZED] (query), ...`.
    private mutating func parseWithClause() throws(SQLSyntaxError) -> ([CommonTableExpression], recursive: Bool) {
        advance()
        // `WITH recursive AS (...)` names a query "recursive".
        let recursive = isWord("recursive") && !isWord("as", at: 1) && acceptWord("recursive")
        var ctes: [CommonTableExpression] = []
        repeat {
            let name = try parseColId(expected: "a query name")
            let columns = isSymbol("(") ? try parseParenthesizedNames() : []
            try expectWord("as")
            var materialized: Bool?
            if acceptWord("materialized") {
                materialized = true
            } else if isWord("not"), isWord("materialized", at: 1) {
                advance()
                advance()
                materialized = false
            }
            guard isSymbol("(") else { throw syntaxError(expected: ["("]) }
            advance()
            let query = try parseQuery()
            try expectSymbol(")")
            ctes.append(CommonTableExpression(name: name, columnNames: columns, query: query, materialized: materialized))
        } while acceptSymbol(",")
        return (ctes, recursive)
    }

    /// `ORDER BY expr [ASC|DESC] [NULLS FIRST|LAST], ...` (the cursor is at ORDER).
    mutating func parseOrderBy() throws(SQLSyntaxError) -> [OrderItem] {
        advance()
        try expectWord("by")
        var items: [OrderItem] = []
        repeat {
            var item = OrderItem(try parseExpression())
            if acceptWord("desc") {
                item.ascending = false
            } else if !acceptWord("asc"), isWord("using") {
                throw error("ORDER BY ... USING is not supported")
            }
            if acceptWord("nulls") {
                if acceptWord("first") {
                    item.nullsFirst = true
                } else if acceptWord("last") {
                    item.nullsFirst = false
                } else {
                    throw syntaxError(expected: ["FIRST", "LAST"])
                }
            }
            items.append(item)
        } while acceptSymbol(",")
        return items
    }

    /// LIMIT n | LIMIT ALL, OFFSET n [ROW|ROWS], FETCH {FIRST|NEXT} [n] {ROW|ROWS} ONLY,
    /// in either order, at most one limit and one offset.
    private mutating func parseLimitAndOffset(into query: inout Query) throws(SQLSyntaxError) {
        var sawLimit = false
        var sawOffset = false
        while true {
            if !sawLimit, acceptWord("limit") {
                sawLimit = true
                if !acceptWord("all") {
                    query.limit = try parseExpression()
                    if isSymbol(",") { throw error("LIMIT #,# syntax is not supported") }
                }
            } else if !sawOffset, acceptWord("offset") {
                sawOffset = true
                query.offset = try parseExpression()
                if !acceptWord("rows") { _ = acceptWord("row") }
            } else if !sawLimit, acceptWord("fetch") {
                sawLimit = true
                guard acceptWord("first") || acceptWord("next") else { throw syntaxError(expected: ["FIRST", "NEXT"]) }
                query.limit = isWord("row") || isWord("rows") ? .literal(.integer("1")) : try parsePrefix()
                guard acceptWord("rows") || acceptWord("row") else { throw syntaxError(expected: ["ROWS"]) }
                if isWord("with"), isWord("ties", at: 1) { throw error("FETCH ... WITH TIES is not supported") }
                try expectWord("only")
            } else {
                return
            }
        }
    }
}
