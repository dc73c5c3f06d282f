import Columnar

/// EXPLAIN's text: one line per node, indented by depth.
enum PlanPrinter {
    static func lines(_ plan: LogicalPlan, depth: Int = 0) -> [String] {
        let pad = String(repeating: "  ", count: depth) + (depth > 0 ? "-> " : "")
        let fields = plan.fields
        func names(_ exprs: [BoundExpression], over input: LogicalPlan) -> String {
            exprs.map { describe($0, input.fields) }.joined(separator: ", ")
        }
        switch plan {
        case let .scan(s):
            var line = pad + "Scan \(s.table.qualifiedName)" + (s.alias != s.table.name ? " AS \(s.alias)" : "")
            let shown = s.columns.map { s.table.fields[$0].name }.filter { s.visibleColumns?.contains($0) ?? true }
            line += " columns=[\(shown.joined(separator: ", "))]"
            line += " files=\(s.table.files.count)"
            // The access policy's filters by name: the user sees which policy applies, not its text.
            if s.policyFilters > 0 { line += " policy: " + s.policyNames.joined(separator: ", ") }
            let own = s.filters.dropFirst(s.policyFilters)
            if !own.isEmpty { line += " filter: " + own.map { describe($0, fields) }.joined(separator: " AND ") }
            return [line]
        case let .values(_, rows):
            return [pad + "Values rows=\(rows.count)"]
        case let .filter(input, p):
            return [pad + "Filter: " + describe(p, input.fields)] + lines(input, depth: depth + 1)
        case let .project(input, exprs, _):
            return [pad + "Project: " + names(exprs, over: input)] + lines(input, depth: depth + 1)
        case let .aggregate(input, keys, aggs, _):
            let a = aggs.map { "\($0.function.rawValue)(\($0.distinct ? "DISTINCT " : "")\(names($0.arguments, over: input)))" }
            return [pad + "HashAggregate keys=[\(names(keys, over: input))] aggregates=[\(a.joined(separator: ", "))]"]
                + lines(input, depth: depth + 1)
        case let .join(l, r, type, pred):
            var line = pad + "HashJoin \(type.rawValue)"
            if !pred.leftKeys.isEmpty {
                line += " on " + zip(pred.leftKeys, pred.rightKeys).map { describe($0, l.fields) + " = " + describe($1, r.fields) }
                    .joined(separator: " AND ")
            }
            if let res = pred.residual { line += " filter: " + describe(res, l.fields + r.fields) }
            return [line] + lines(l, depth: depth + 1) + lines(r, depth: depth + 1)
        case let .sort(input, keys):
            let k = keys.map { describe($0.expression, input.fields) + ($0.ascending ? "" : " DESC") }
            return [pad + "Sort: " + k.joined(separator: ", ")] + lines(input, depth: depth + 1)
        case let .limit(input, limit, offset):
            return [pad + "Limit \(limit.map(String.init) ?? "ALL")" + (offset > 0 ? " OFFSET \(offset)" : "")] + lines(input, depth: depth + 1)
        case let .distinct(input):
            return [pad + "Distinct"] + lines(input, depth: depth + 1)
        case let .setOperation(kind, all, l, r, _):
            return [pad + kind.rawValue.capitalized + (all ? " All" : "")] + lines(l, depth: depth + 1) + lines(r, depth: depth + 1)
        case let .window(input, calls):
            let c = calls.map { "\($0.function)(\(names($0.arguments, over: input)))" }
            return [pad + "Window [\(c.joined(separator: ", "))]"] + lines(input, depth: depth + 1)
        case let .recursiveUnion(u):
            return [pad + "Recursive Union\(u.distinct ? "" : " All") \(u.name)"] + lines(u.anchor, depth: depth + 1)
                + lines(u.recursive, depth: depth + 1)
        case let .workingTable(w):
            return [pad + "WorkTable Scan on \(w.name)"]
        }
    }

    static func describe(_ e: BoundExpression, _ fields: [Field]) -> String {
        func d(_ x: BoundExpression) -> String { describe(x, fields) }
        switch e {
        case let .column(i, _): return i < fields.count ? fields[i].name : "#\(i)"
        case let .outerColumn(i, _): return "outer#\(i)"
        case let .constant(v, t):
            if v.isNull { return "NULL" }
            var b = ColumnBuilder(type: t)
            b.append(v)
            let text = ValueText.format(b.finish(), 0) ?? "NULL"
            return t == .string ? "'\(text)'" : text
        case let .cast(x, t): return "\(d(x))::\(SQLTypes.name(t))"
        case let .arithmetic(op, a, b, _): return "(\(d(a)) \(op.rawValue) \(d(b)))"
        case let .negate(x): return "-\(d(x))"
        case let .compare(op, a, b): return "\(d(a)) \(op.rawValue) \(d(b))"
        case let .and(es): return "(" + es.map(d).joined(separator: " AND ") + ")"
        case let .or(es): return "(" + es.map(d).joined(separator: " OR ") + ")"
        case let .not(x): return "NOT \(d(x))"
        case let .isNull(x, n): return "\(d(x)) IS \(n ? "NOT " : "")NULL"
        case let .isDistinct(a, b, n): return "\(d(a)) IS \(n ? "NOT " : "")DISTINCT FROM \(d(b))"
        case let .inList(x, vs, n): return "\(d(x)) \(n ? "NOT " : "")IN (\(vs.count) values)"
        case let .like(x, p, n): return "\(d(x)) \(n ? "NOT " : "")\(p.caseInsensitive ? "ILIKE" : "LIKE") '\(p.text)'"
        case .caseWhen: return "CASE ... END"
        case let .coalesce(es, _): return "coalesce(" + es.map(d).joined(separator: ", ") + ")"
        case let .function(f, es, _): return "\(f.name)(" + es.map(d).joined(separator: ", ") + ")"
        case .scalarSubquery: return "(subquery)"
        case let .inSubquery(x, _, n): return "\(d(x)) \(n ? "NOT " : "")IN (subquery)"
        case let .exists(_, n): return "\(n ? "NOT " : "")EXISTS (subquery)"
        case .correlated: return "(correlated subquery)"
        }
    }

    /// EXPLAIN ANALYZE: the operator tree with rows, time and scan counters.
    static func analyzed(_ op: PhysicalOperator, depth: Int = 0) -> [String] {
        let pad = String(repeating: "  ", count: depth) + (depth > 0 ? "-> " : "")
        let ms = Double(op.nanoseconds) / 1e6
        var out = [pad + op.label + " (rows=\(op.rowsProduced) time=\(String(format3(ms))) ms)"]
        for d in op.details { out.append(String(repeating: "  ", count: depth + 2) + d) }
        for c in op.children { out += analyzed(c, depth: depth + 1) }
        return out
    }

    static func format3(_ x: Double) -> String {
        let r = (x * 1000).rounded() / 1000
        return String(r)
    }
}
