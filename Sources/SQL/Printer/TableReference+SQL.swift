/// FROM items back to SQL; a join on the right of another join is parenthesized.
enum TablePrinter {
    static func sql(_ table: TableReference) -> String {
        switch table {
        case .table(let name, let alias):
            return SQLText.quoteName(name.parts) + sql(alias)
        case .subquery(let query, let alias, let lateral):
            return (lateral ? "LATERAL (" : "(") + query.sql + ")" + sql(alias)
        case .function(let call, let alias):
            return FunctionPrinter.generic(call) + sql(alias)
        case .join(let join):
            // Joins are left-associative: only a join on the right needs parentheses.
            var text = sql(join.left) + " "
            if case .natural = join.condition { text += "NATURAL " }
            switch join.kind {
            case .inner: text += "JOIN "
            case .left: text += "LEFT JOIN "
            case .right: text += "RIGHT JOIN "
            case .full: text += "FULL JOIN "
            case .cross: text += "CROSS JOIN "
            }
            text += operand(join.right)
            switch join.condition {
            case .on(let condition): text += " ON " + ExpressionPrinter.sql(condition)
            case .using(let columns): text += " USING (" + columns.map(SQLText.quoteIdentifier).joined(separator: ", ") + ")"
            case .natural, .none: break
            }
            return text
        }
    }

    private static func operand(_ table: TableReference) -> String {
        if case .join = table { return "(" + sql(table) + ")" }
        return sql(table)
    }

    private static func sql(_ alias: TableAlias?) -> String {
        guard let alias else { return "" }
        var text = " AS " + SQLText.quoteIdentifier(alias.name)
        if !alias.columns.isEmpty { text += "(" + alias.columns.map(SQLText.quoteIdentifier).joined(separator: ", ") + ")" }
        return text
    }
}
