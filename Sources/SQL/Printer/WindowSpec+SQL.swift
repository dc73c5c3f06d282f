/// Window references, specifications and frames, and ORDER BY items, back to SQL.
enum WindowPrinter {
    /// After OVER: a bare name, or a parenthesized specification.
    static func reference(_ spec: WindowSpec) -> String {
        if let base = spec.baseName, spec.partitionBy.isEmpty, spec.orderBy.isEmpty, spec.frame == nil {
            return SQLText.quoteIdentifier(base)
        }
        return specification(spec)
    }

    static func specification(_ spec: WindowSpec) -> String {
        var parts: [String] = []
        if let base = spec.baseName { parts.append(SQLText.quoteIdentifier(base)) }
        if !spec.partitionBy.isEmpty { parts.append("PARTITION BY " + ExpressionPrinter.list(spec.partitionBy)) }
        if !spec.orderBy.isEmpty { parts.append("ORDER BY " + OrderPrinter.list(spec.orderBy)) }
        if let frame = spec.frame { parts.append(sql(frame)) }
        return "(" + parts.joined(separator: " ") + ")"
    }

    static func sql(_ frame: WindowFrame) -> String {
        var text = frame.mode.rawValue.uppercased()
        if let end = frame.end {
            text += " BETWEEN " + sql(frame.start) + " AND " + sql(end)
        } else {
            text += " " + sql(frame.start)
        }
        switch frame.exclusion {
        case .noOthers: break
        case .currentRow: text += " EXCLUDE CURRENT ROW"
        case .group: text += " EXCLUDE GROUP"
        case .ties: text += " EXCLUDE TIES"
        }
        return text
    }

    static func sql(_ bound: WindowFrame.Bound) -> String {
        switch bound {
        case .unboundedPreceding: return "UNBOUNDED PRECEDING"
        case .preceding(let offset): return ExpressionPrinter.sql(offset) + " PRECEDING"
        case .currentRow: return "CURRENT ROW"
        case .following(let offset): return ExpressionPrinter.sql(offset) + " FOLLOWING"
        case .unboundedFollowing: return "UNBOUNDED FOLLOWING"
        }
    }
}

enum OrderPrinter {
    static func list(_ items: [OrderItem]) -> String {
        items.map(sql).joined(separator: ", ")
    }

    static func sql(_ item: OrderItem) -> String {
        var text = ExpressionPrinter.sql(item.expression)
        if !item.ascending { text += " DESC" }
        if let nullsFirst = item.nullsFirst { text += nullsFirst ? " NULLS FIRST" : " NULLS LAST" }
        return text
    }
}
