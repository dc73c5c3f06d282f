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
