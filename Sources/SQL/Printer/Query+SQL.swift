/// Queries back to SQL. Set-operation operands that are themselves set operations or
/// carry their own ORDER BY/LIMIT are parenthesized, so grouping survives the trip.
extension Query {
    /// SQL that parses back to this query.
    public var sql: String {
        var text = ""
        if !with.isEmpty { text = (recursive ? "WITH RECURSIVE " : "WITH ") + with.map(QueryPrinter.sql).joined(separator: ", ") + " " }
        text += QueryPrinter.sql(body)
        if !orderBy.isEmpty { text += " ORDER BY " + OrderPrinter.list(orderBy) }
        if let limit { text += " LIMIT " + ExpressionPrinter.sql(limit) }
        if let offset { text += " OFFSET " + ExpressionPrinter.sql(offset) }
        return text
    }
}

enum QueryPrinter {
    static func sql(_ cte: CommonTableExpression) -> String {
        var text = SQLText.quoteIdentifier(cte.name)
        if !cte.columnNames.isEmpty { text += "(" + cte.columnNames.map(SQLText.quoteIdentifier).joined(separator: ", ") + ")" }
        text += " AS "
        if let materialized = cte.materialized { text += materialized ? "MATERIALIZED " : "NOT MATERIALIZED " }
        return text + "(" + cte.query.sql + ")"
    }

    static func sql(_ body: QueryBody) -> String {
        switch body {
        case .select(let select):
            return sql(select)
        case .values(let rows):
            return "VALUES " + rows.map { "(" + ExpressionPrinter.list($0) + ")" }.joined(separator: ", ")
        case .setOperation(let op, let all, let left, let right):
            // Left-associative, INTERSECT above UNION and EXCEPT: a left operand needs
            // parentheses only when it binds looser, a right one also when equally.
            let level = precedence(of: op)
            let leftText = (operatorLevel(of: left) ?? Int.max) < level ? "(" + sql(left) + ")" : sql(left)
            let rightText = (operatorLevel(of: right) ?? Int.max) <= level ? "(" + sql(right) + ")" : sql(right)
            return leftText + " " + op.rawValue.uppercased() + (all ? " ALL " : " ") + rightText
        case .nested(let query):
            return "(" + query.sql + ")"
        }
    }

    private static func precedence(of op: SetOperator) -> Int { op == .intersect ? 2 : 1 }

    private static func operatorLevel(of body: QueryBody) -> Int? {
        if case .setOperation(let op, _, _, _) = body { return precedence(of: op) }
        return nil
    }

    static func sql(_ select: Select) -> String {
        var text = "SELECT "
        switch select.distinct {
        case .all: break
        case .distinct: text += "DISTINCT "
        case .on(let list): text += "DISTINCT ON (" + ExpressionPrinter.list(list) + ") "
        }
        text += select.items.map(sql).joined(separator: ", ")
        if !select.from.isEmpty { text += " FROM " + select.from.map(TablePrinter.sql).joined(separator: ", ") }
        if let condition = select.whereClause { text += " WHERE " + ExpressionPrinter.sql(condition) }
        if !select.groupBy.isEmpty { text += " GROUP BY " + select.groupBy.map(sql).joined(separator: ", ") }
        if let having = select.having { text += " HAVING " + ExpressionPrinter.sql(having) }
        if !select.windows.isEmpty {
            text += " WINDOW " + select.windows.map {
                SQLText.quoteIdentifier($0.name) + " AS " + WindowPrinter.specification($0.spec)
            }.joined(separator: ", ")
        }
        return text
    }

    private static func sql(_ item: SelectItem) -> String {
        switch item {
        case .wildcard(let qualifier):
            return qualifier.map { SQLText.quoteName($0.parts) + ".*" } ?? "*"
        case .expression(let expression, let alias):
            let text = ExpressionPrinter.sql(expression)
            return alias.map { text + " AS " + SQLText.quoteLabel($0) } ?? text
        }
    }

    private static func sql(_ element: GroupingElement) -> String {
        switch element {
        case .expression(let expression): return ExpressionPrinter.sql(expression)
        case .rollup(let list): return "ROLLUP (" + ExpressionPrinter.list(list) + ")"
        case .cube(let list): return "CUBE (" + ExpressionPrinter.list(list) + ")"
        case .groupingSets(let sets):
            return "GROUPING SETS (" + sets.map { "(" + ExpressionPrinter.list($0) + ")" }.joined(separator: ", ") + ")"
        case .empty: return "()"
        }
    }
}
