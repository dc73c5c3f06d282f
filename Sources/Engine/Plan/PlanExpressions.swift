/// Rewriting every expression of a plan (used to bind a correlated subquery's
/// outer references to one outer row's values before running it).
extension LogicalPlan {
    func mapExpressions(_ f: (BoundExpression) -> BoundExpression) -> LogicalPlan {
        func keys(_ ks: [SortKey]) -> [SortKey] {
            ks.map { SortKey(expression: f($0.expression), ascending: $0.ascending, nullsFirst: $0.nullsFirst) }
        }
        switch self {
        case var .scan(s):
            s.filters = s.filters.map(f)
            return .scan(s)
        case .values:
            return self
        case let .filter(input, p):
            return .filter(input.mapExpressions(f), f(p))
        case let .project(input, exprs, fields):
            return .project(input.mapExpressions(f), exprs.map(f), fields)
        case let .aggregate(input, groupKeys, aggs, fields):
            let mapped = aggs.map { a -> AggregateCall in
                var c = a
                c.arguments = a.arguments.map(f)
                c.filter = a.filter.map(f)
                c.orderBy = keys(a.orderBy)
                return c
            }
            return .aggregate(input.mapExpressions(f), groupBy: groupKeys.map(f), aggregates: mapped, fields: fields)
        case let .join(l, r, type, pred):
            var p = pred
            p.leftKeys = pred.leftKeys.map(f)
            p.rightKeys = pred.rightKeys.map(f)
            p.residual = pred.residual.map(f)
            return .join(l.mapExpressions(f), r.mapExpressions(f), type, on: p)
        case let .sort(input, ks):
            return .sort(input.mapExpressions(f), keys(ks))
        case let .limit(input, limit, offset):
            return .limit(input.mapExpressions(f), limit: limit, offset: offset)
        case let .distinct(input):
            return .distinct(input.mapExpressions(f))
        case let .setOperation(kind, all, l, r, fields):
            return .setOperation(kind, all: all, l.mapExpressions(f), r.mapExpressions(f), fields: fields)
        case let .window(input, calls):
            let mapped = calls.map { c -> WindowCall in
                var w = c
                w.arguments = c.arguments.map(f)
                w.partitionBy = c.partitionBy.map(f)
                w.orderBy = keys(c.orderBy)
                return w
            }
            return .window(input.mapExpressions(f), mapped)
        case let .recursiveUnion(r):
            return r.with(anchor: r.anchor.mapExpressions(f), recursive: r.recursive.mapExpressions(f))
        case .workingTable:
            return self
        }
    }

    /// The plan with `.outerColumn(k)` replaced by the constants `values[k]`.
    func binding(_ values: [Value]) -> LogicalPlan {
        mapExpressions { e in
            (try? e.transformed { node in
                if case let .outerColumn(k, t) = node { return .constant(values[k], t) }
                return nil
            }) ?? e
        }
    }
}

extension LogicalPlan {
    /// Every node of the plan, parents before children.
    func forEachNode(_ body: (LogicalPlan) -> Void) {
        body(self)
        switch self {
        case .scan, .values, .workingTable: break
        case let .filter(i, _), let .project(i, _, _), let .aggregate(i, _, _, _), let .sort(i, _), let .limit(i, _, _), let .distinct(i),
             let .window(i, _):
            i.forEachNode(body)
        case let .join(l, r, _, _), let .setOperation(_, _, l, r, _):
            l.forEachNode(body)
            r.forEachNode(body)
        case let .recursiveUnion(u):
            u.anchor.forEachNode(body)
            u.recursive.forEachNode(body)
        }
    }

    /// The uncorrelated subqueries its expressions run (not those inside them).
    var subqueryBoxes: [SubqueryBox] {
        var boxes: [SubqueryBox] = []
        func collect(_ e: BoundExpression) {
            switch e {
            case let .scalarSubquery(box, _), let .inSubquery(_, box, _), let .exists(box, _): boxes.append(box)
            default: break
            }
            e.children.forEach(collect)
        }
        _ = mapExpressions { e in
            collect(e)
            return e
        }
        return boxes
    }
}

extension LogicalPlan {
    /// The plan with every scan rewritten by `f`.
    func mapScans(_ f: (TableScan) -> TableScan) -> LogicalPlan {
        switch self {
        case let .scan(s): .scan(f(s))
        case .values, .workingTable: self
        case let .filter(i, p): .filter(i.mapScans(f), p)
        case let .project(i, e, fields): .project(i.mapScans(f), e, fields)
        case let .aggregate(i, k, a, fields): .aggregate(i.mapScans(f), groupBy: k, aggregates: a, fields: fields)
        case let .join(l, r, t, p): .join(l.mapScans(f), r.mapScans(f), t, on: p)
        case let .sort(i, k): .sort(i.mapScans(f), k)
        case let .limit(i, l, o): .limit(i.mapScans(f), limit: l, offset: o)
        case let .distinct(i): .distinct(i.mapScans(f))
        case let .setOperation(k, all, l, r, fields): .setOperation(k, all: all, l.mapScans(f), r.mapScans(f), fields: fields)
        case let .window(i, c): .window(i.mapScans(f), c)
        case let .recursiveUnion(u): u.with(anchor: u.anchor.mapScans(f), recursive: u.recursive.mapScans(f))
        }
    }
}
