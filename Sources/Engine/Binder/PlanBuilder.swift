import Columnar
import SQL

/// The plan of one SELECT while its WHERE is bound: subquery predicates in
/// WHERE become joins on it (EXISTS/IN → semi join, NOT EXISTS/NOT IN → anti
/// join, correlated scalar subqueries → a left join with the subquery grouped by
/// its correlation keys), so correlated subqueries run as set operations.
/// Invariant: `scope.entries` describes `plan.fields` one to one.
final class PlanBuilder {
    var plan: LogicalPlan
    var scope: Scope
    let binder: Binder

    init(plan: LogicalPlan, scope: Scope, binder: Binder) {
        self.plan = plan
        self.scope = scope
        self.binder = binder
    }

    private var expressionBinder: ExpressionBinder {
        var b = ExpressionBinder(binder: binder, scope: scope, planBuilder: self)
        b.clause = "WHERE"
        return b
    }

    /// Binds a WHERE clause into conjuncts; subquery predicates among them are joined into `plan`.
    func bindConjuncts(_ e: Expression) throws(EngineError) -> [BoundExpression] {
        var out: [BoundExpression] = []
        for term in Self.split(e) {
            if let joined = try joinSubqueryPredicate(term) {
                if !joined { continue }
            }
            let b = try expressionBinder.bindPredicate(term)
            out.append(contentsOf: b.conjuncts)
        }
        return out
    }

    static func split(_ e: Expression) -> [Expression] {
        if case let .binary(.and, a, b) = e { return split(a) + split(b) }
        return [e]
    }

    /// Turns EXISTS / NOT EXISTS / IN / NOT IN (subquery) into a join. Returns nil when `term`
    /// is not such a predicate, false when it was joined.
    private func joinSubqueryPredicate(_ term: Expression) throws(EngineError) -> Bool? {
        do {
            return try joinSubqueryPredicateOrThrow(term)
        } catch where error.sqlState == "0A000" {
            // Not decorrelatable into a join: the expression binder evaluates it per outer row.
            return nil
        }
    }

    private func joinSubqueryPredicateOrThrow(_ term: Expression) throws(EngineError) -> Bool? {
        switch term {
        case let .exists(query, negated):
            try joinExists(query, anti: negated)
            return false
        case let .unary(.not, .exists(query, negated)):
            try joinExists(query, anti: !negated)
            return false
        // An uncorrelated IN stays an expression (nil): a filter over the subquery's values,
        // computed once, that pushdown can move to the scan of x's table ahead of every join.
        case let .inQuery(x, query, negated):
            if try !isCorrelated(query) { return nil }
            try joinIn(x, query, anti: negated)
            return false
        case let .unary(.not, .inQuery(x, query, negated)):
            if try !isCorrelated(query) { return nil }
            try joinIn(x, query, anti: !negated)
            return false
        case let .quantified(x, .equal, .any, query):
            if try !isCorrelated(query) { return nil }
            try joinIn(x, query, anti: false)
            return false
        default:
            return nil
        }
    }

    /// A subquery bound against this plan's scope: its plan, its scope, and the correlation
    /// split into equi-keys (outer side over this plan, inner side over the subquery) and a residual.
    struct Decorrelated {
        var plan: LogicalPlan
        var scope: Scope
        var outerKeys: [BoundExpression] = []
        var innerKeys: [BoundExpression] = []
        /// Over (this plan's columns, then the subquery's).
        var residual: [BoundExpression] = []
    }

    private func decorrelate(_ select: Select) throws(EngineError) -> Decorrelated {
        let outer = OuterScope(scope)
        let (fromPlan, fromScope) = try binder.bindFrom(select.from, outer: outer)
        let inner = PlanBuilder(plan: fromPlan, scope: fromScope, binder: binder)
        let conjuncts = try select.whereClause.map { (w) throws(EngineError) in try inner.bindConjuncts(w) } ?? []
        var result = Decorrelated(plan: inner.plan, scope: inner.scope)
        let outerWidth = scope.entries.count
        var local: [BoundExpression] = []
        for c in conjuncts {
            guard c.containsOuterReference else { local.append(c); continue }
            if case let .compare(.equal, a, b) = c {
                if Self.onlyOuter(a), !b.containsOuterReference, !b.referencedColumns.isEmpty {
                    result.outerKeys.append(Self.outerToLocal(a))
                    result.innerKeys.append(b)
                    continue
                }
                if Self.onlyOuter(b), !a.containsOuterReference, !a.referencedColumns.isEmpty {
                    result.outerKeys.append(Self.outerToLocal(b))
                    result.innerKeys.append(a)
                    continue
                }
            }
            result.residual.append(Self.concatenated(c, outerWidth: outerWidth))
        }
        if let filter = BoundExpression.conjunction(local) { result.plan = .filter(result.plan, filter) }
        return result
    }

    private static func onlyOuter(_ e: BoundExpression) -> Bool {
        e.containsOuterReference && e.referencedColumns.isEmpty
    }

    private static func outerToLocal(_ e: BoundExpression) -> BoundExpression {
        (try? e.transformed { node in
            if case let .outerColumn(i, t) = node { return .column(i, t) }
            return nil
        }) ?? e
    }

    /// Inner columns shifted past the outer ones; outer references become plain columns.
    private static func concatenated(_ e: BoundExpression, outerWidth: Int) -> BoundExpression {
        (try? e.transformed { node in
            switch node {
            case let .outerColumn(i, t): return .column(i, t)
            case let .column(i, t): return .column(outerWidth + i, t)
            default: return nil
            }
        }) ?? e
    }

    private func simpleSelect(_ query: Query) -> Select? {
        guard query.with.isEmpty, query.orderBy.isEmpty, query.limit == nil, query.offset == nil,
              case let .select(select) = query.body, select.groupBy.isEmpty, select.having == nil else { return nil }
        return select
    }

    private func isCorrelated(_ query: Query) throws(EngineError) -> Bool {
        let outer = OuterScope(scope)
        _ = try binder.bindQuery(query, outer: outer)
        return !outer.references.isEmpty
    }

    private func joinExists(_ query: Query, anti: Bool) throws(EngineError) {
        if try !isCorrelated(query) {
            // Uncorrelated: a semi join without keys keeps every row when the subquery has a row.
            let bound = try binder.bindQuery(query)
            plan = .join(plan, .limit(bound.plan, limit: 1, offset: 0), anti ? .anti : .semi, on: JoinPredicate())
            return
        }
        guard let select = simpleSelect(query) else {
            throw .featureNotSupported("correlated EXISTS subqueries with GROUP BY, LIMIT or set operations")
        }
        let d = try decorrelate(select)
        plan = .join(plan, d.plan, anti ? .anti : .semi,
                     on: JoinPredicate(leftKeys: d.outerKeys, rightKeys: d.innerKeys, residual: BoundExpression.conjunction(d.residual)))
    }

    private func joinIn(_ x: Expression, _ query: Query, anti: Bool) throws(EngineError) {
        let value = try expressionBinder.bind(x)
        guard let select = simpleSelect(query), select.items.count == 1, case let .expression(item, _) = select.items[0] else {
            throw .featureNotSupported("correlated IN subqueries must be a simple SELECT of one column")
        }
        var d = try decorrelate(select)
        let innerValue = try ExpressionBinder(binder: binder, scope: d.scope).bind(item)
        // The value would be a join key on the subquery's side, where the outer row is unknown;
        // the caller then runs the subquery per outer row instead.
        guard !innerValue.containsOuterReference else {
            throw .featureNotSupported("IN subqueries whose selected value refers to the outer query")
        }
        let (l, r) = try ExpressionBinder.unify(value, innerValue, "=")
        d.outerKeys.append(l)
        d.innerKeys.append(r)
        plan = .join(plan, d.plan, anti ? .anti : .semi,
                     on: JoinPredicate(leftKeys: d.outerKeys, rightKeys: d.innerKeys, residual: BoundExpression.conjunction(d.residual),
                                       nullAware: anti))
    }

    /// A correlated scalar subquery: grouped by its correlation keys and left-joined; the
    /// result is a reference to the joined value column.
    func correlatedScalar(_ query: Query, binder expressionBinder: ExpressionBinder) throws(EngineError) -> BoundExpression {
        guard query.with.isEmpty, query.orderBy.isEmpty, query.limit == nil, case let .select(select) = query.body,
              select.groupBy.isEmpty, select.having == nil, select.items.count == 1, case let .expression(item, _) = select.items[0] else {
            throw .featureNotSupported("correlated scalar subqueries must be a simple SELECT of one expression")
        }
        let d = try decorrelate(select)
        guard d.residual.isEmpty, !d.outerKeys.isEmpty else {
            throw .featureNotSupported("correlated scalar subqueries must correlate by equality only")
        }
        let collector = AggregateCollector()
        let bound = try ExpressionBinder(binder: binder, scope: d.scope, aggregates: collector).bind(item)
        let keyCount = d.innerKeys.count
        var valuePlan: LogicalPlan
        var value: BoundExpression
        if collector.calls.isEmpty {
            valuePlan = d.plan
            value = bound
            valuePlan = .project(valuePlan, d.innerKeys + [value],
                                 d.innerKeys.enumerated().map { Field("key\($0.offset)", $0.element.type) } + [Field("value", value.type)])
        } else {
            let aggFields = d.innerKeys.enumerated().map { Field("key\($0.offset)", $0.element.type) }
                + collector.calls.enumerated().map { Field("agg\($0.offset)", $0.element.resultType) }
            let aggregated = LogicalPlan.aggregate(d.plan, groupBy: d.innerKeys, aggregates: collector.calls, fields: aggFields)
            value = try SelectBinder.postAggregate(bound, keys: d.innerKeys, scope: d.scope)
            let keyColumns = (0..<keyCount).map { BoundExpression.column($0, d.innerKeys[$0].type) }
            valuePlan = .project(aggregated, keyColumns + [value],
                                 (0..<keyCount).map { aggFields[$0] } + [Field("value", value.type)])
        }
        let width = scope.entries.count
        let rightKeys = (0..<keyCount).map { BoundExpression.column($0, d.innerKeys[$0].type) }
        var leftKeys: [BoundExpression] = []
        var castRight: [BoundExpression] = []
        for (l, r) in zip(d.outerKeys, rightKeys) {
            let (a, b) = try ExpressionBinder.unify(l, r, "=")
            leftKeys.append(a)
            castRight.append(b)
        }
        plan = .join(plan, valuePlan, .left, on: JoinPredicate(leftKeys: leftKeys, rightKeys: castRight))
        for i in 0..<keyCount { scope.entries.append(Scope.Entry(table: nil, name: "?key\(i)?", type: d.innerKeys[i].type, hidden: true)) }
        scope.entries.append(Scope.Entry(table: nil, name: "?column?", type: value.type, hidden: true))
        _ = expressionBinder
        // No matching row: the subquery aggregates nothing, so count() is 0, not NULL.
        if case let .function(call) = item, call.name.name == "count", call.over == nil {
            return .coalesce([.column(width + keyCount, value.type), .constant(.int(0), .int64)], .int64)
        }
        return .column(width + keyCount, value.type)
    }
}
