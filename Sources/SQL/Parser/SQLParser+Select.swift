/// gram.y's simple_select: `SELECT [ALL | DISTINCT [ON (...)]] items [FROM ...]
/// [WHERE ...] [GROUP BY ...] [HAVING ...] [WINDOW ...]`.
extension SQLParser {
    @inline(never)
    mutating func parseSelect() throws(SQLSyntaxError) -> Select {
        advance()
        var select = Select(items: [])
        if acceptWord("distinct") {
            if acceptWord("on") {
                try expectSymbol("(")
                select.distinct = .on(try parseExpressionList())
                try expectSymbol(")")
            } else {
                select.distinct = .distinct
            }
        } else {
            _ = acceptWord("all")
        }
        repeat {
            select.items.append(try parseSelectItem())
        } while acceptSymbol(",")
        if isWord("into") { throw error("SELECT ... INTO is not supported") }
        if acceptWord("from") {
            repeat {
                select.from.append(try parseTableReference())
            } while acceptSymbol(",")
        }
        if acceptWord("where") { select.whereClause = try parseExpression() }
        if isWord("group") {
            advance()
            try expectWord("by")
            select.groupBy = try parseGroupBy()
        }
        if acceptWord("having") { select.having = try parseExpression() }
        if acceptWord("window") {
            repeat {
                let name = try parseColId(expected: "a window name")
                try expectWord("as")
                select.windows.append((name: name, spec: try parseWindowSpecification()))
            } while acceptSymbol(",")
        }
        return select
    }

    /// `*`, `t.*`, or `expr [[AS] label]`.
    private mutating func parseSelectItem() throws(SQLSyntaxError) -> SelectItem {
        if acceptSymbol("*") { return .wildcard(qualifier: nil) }
        if let qualifier = try parseQualifiedWildcard() { return .wildcard(qualifier: qualifier) }
        let expression = try parseExpression()
        if acceptWord("as") { return .expression(expression, alias: try parseColLabel()) }
        if canBeBareLabel(current) {
            let alias = current.text
            advance()
            return .expression(expression, alias: alias)
        }
        return .expression(expression, alias: nil)
    }

    /// `name[.name...].*`, recognized by looking ahead.
    private mutating func parseQualifiedWildcard() throws(SQLSyntaxError) -> QualifiedName? {
        guard canNameColumn(current) else { return nil }
        var offset = 0
        while isSymbol(".", at: offset + 1) {
            if isSymbol("*", at: offset + 2) {
                let first = current
                var parts: [String] = []
                for _ in 0...offset / 2 {
                    parts.append(current.text)
                    advance()
                    advance()
                }
                advance()
                if parts.count > 3 {
                    throw error("improper qualified name (too many dotted names): " + parts.joined(separator: "."), at: first)
                }
                return QualifiedName(parts, position: first.offset)
            }
            guard isName(token(at: offset + 2)) else { return nil }
            offset += 2
        }
        return nil
    }

    /// `[ALL] element, ...` where an element is an expression, `()`, ROLLUP (...),
    /// CUBE (...) or GROUPING SETS (...).
    private mutating func parseGroupBy() throws(SQLSyntaxError) -> [GroupingElement] {
        if isWord("distinct") { throw error("GROUP BY DISTINCT is not supported") }
        _ = acceptWord("all")
        var elements: [GroupingElement] = []
        repeat {
            if isSymbol("("), isSymbol(")", at: 1) {
                advance()
                advance()
                elements.append(.empty)
            } else if isWord("rollup") || isWord("cube"), isSymbol("(", at: 1) {
                let rollup = isWord("rollup")
                advance()
                advance()
                let list = try parseExpressionList()
                try expectSymbol(")")
                elements.append(rollup ? .rollup(list) : .cube(list))
            } else if isWord("grouping"), isWord("sets", at: 1) {
                advance()
                advance()
                try expectSymbol("(")
                var sets: [[Expression]] = []
                repeat {
                    sets.append(try parseGroupingSet())
                } while acceptSymbol(",")
                try expectSymbol(")")
                elements.append(.groupingSets(sets))
            } else {
                elements.append(.expression(try parseExpression()))
            }
        } while acceptSymbol(",")
        return elements
    }

    /// One set inside GROUPING SETS: `()`, `(a, b)` or `a`.
    private mutating func parseGroupingSet() throws(SQLSyntaxError) -> [Expression] {
        if isSymbol("("), isSymbol(")", at: 1) {
            advance()
            advance()
            return []
        }
        if (isWord("rollup") || isWord("cube")) && isSymbol("(", at: 1) || isWord("grouping") && isWord("sets", at: 1) {
            throw error("nested ROLLUP, CUBE and GROUPING SETS are not supported")
        }
        let expression = try parseExpression()
        if case .row(let list) = expression { return list }
        return [expression]
    }
}
