import Columnar

/// Rewrites a bound plan: predicates pushed down through projections, joins
/// and aggregations into scans (where they prune partitions and row groups),
/// equality conditions turned into join keys, inner joins built on their
/// smaller side, and every node trimmed to the columns its parent needs.
enum Optimizer {
    static func optimize(_ plan: LogicalPlan) -> LogicalPlan {
        var p = pushDown(plan)
        p = JoinOrder.reorder(p)
        p = chooseBuildSides(p)
        p = computeAggregateInputs(p)
        let (pruned, _) = prune(p, required: Set(p.fields.indices))
        return pruned
    }

    // MARK: predicate pushdown

    static func pushDown(_ plan: LogicalPlan) -> LogicalPlan {
        switch plan {
        case let .filter(input, predicate):
            return push(predicate.conjuncts, into: pushDown(input))
        case .scan, .values, .workingTable:
            return plan
        case let .recursiveUnion(u):
            return u.with(anchor: pushDown(u.anchor), recursive: pushDown(u.recursive))
        case let .project(input, exprs, fields):
            return .project(pushDown(input), exprs, fields)
        case let .aggregate(input, keys, aggs, fields):
            return .aggregate(pushDown(input), groupBy: keys, aggregates: aggs, fields: fields)
        case let .join(l, r, type, pred):
            return pushJoinCondition(l, r, type, pred)
        case let .sort(input, keys):
            return .sort(pushDown(input), keys)
        case let .limit(input, limit, offset):
            return .limit(pushDown(input), limit: limit, offset: offset)
        case let .distinct(input):
            return .distinct(pushDown(input))
        case let .setOperation(kind, all, l, r, fields):
            return .setOperation(kind, all: all, pushDown(l), pushDown(r), fields: fields)
        case let .window(input, calls):
            return .window(pushDown(input), calls)
        }
    }

    /// Conditions of a join's ON clause that read only the side whose rows it may drop
    /// filter that side before the join: the right side of inner, left, semi and anti
    /// joins (a right row failing them can match nothing), the left side of inner and
    /// right joins. `customer LEFT JOIN orders ON ... AND o_comment NOT LIKE ...` filters
    /// the orders scan (TPC-H Q13). Not for NOT IN's null-aware anti join, whose NULL
    /// check must see the subquery's rows unfiltered.
    private static func pushJoinCondition(_ l: LogicalPlan, _ r: LogicalPlan, _ type: JoinType, _ pred: JoinPredicate) -> LogicalPlan {
        var pred = pred
        var leftTerms: [BoundExpression] = [], rightTerms: [BoundExpression] = [], kept: [BoundExpression] = []
        let width = l.fields.count
        for t in pred.residual?.conjuncts ?? [] {
            let refs = t.referencedColumns
            if refs.isEmpty || isVolatile(t) || pred.nullAware {
                kept.append(t)
            } else if refs.allSatisfy({ $0 >= width }) && [.inner, .left, .semi, .anti].contains(type) {
                rightTerms.append(t.remapped { $0 - width })
            } else if refs.allSatisfy({ $0 < width }) && [.inner, .right].contains(type) {
                leftTerms.append(t)
            } else {
                kept.append(t)
            }
        }
        pred.residual = BoundExpression.conjunction(kept)
        return .join(push(leftTerms, into: pushDown(l)), push(rightTerms, into: pushDown(r)), type, on: pred)
    }

    private static func filter(_ input: LogicalPlan, _ terms: [BoundExpression]) -> LogicalPlan {
        guard let p = BoundExpression.conjunction(terms) else { return input }
        return .filter(input, p)
    }

    private static func isVolatile(_ e: BoundExpression) -> Bool {
        if case .function(.randomValue, _, _) = e { return true }
        if case .scalarSubquery = e { return false }
        return e.children.contains(where: isVolatile)
    }

    /// `(a AND b) OR (a AND c)` → `a AND (b OR c)`: a condition every branch of an OR
    /// shares becomes a conjunct of its own, so it can be a join key or be pushed down
    /// (TPC-H Q19's join key sits inside each branch).
    static func factorOr(_ term: BoundExpression) -> [BoundExpression] {
        guard case .or = term else { return [term] }
        func disjuncts(_ e: BoundExpression) -> [BoundExpression] {
            if case let .or(items) = e { return items.flatMap(disjuncts) }
            return [e]
        }
        let branches = disjuncts(term)
        let sets = branches.map { $0.conjuncts }
        let common = sets[0].filter { c in sets.dropFirst().allSatisfy { $0.contains(c) } }
        guard !common.isEmpty else { return [term] + impliedFilters(sets) }
        let rest = sets.map { BoundExpression.conjunction($0.filter { !common.contains($0) }) }
        // A branch left empty is TRUE, which makes the whole OR true.
        if rest.contains(where: { $0 == nil }) { return common }
        return common + [.or(rest.map { $0! })] + impliedFilters(sets.map { $0.filter { !common.contains($0) } })
    }

    /// From `(a = 1 AND b = 2) OR (a = 3 AND b = 4)`, the filters each column set must pass
    /// in every branch: `a = 1 OR a = 3` and `b = 2 OR b = 4`. They are implied (the OR stays),
    /// and each one can be pushed to the scan of its table (TPC-H Q7's two nations).
    static func impliedFilters(_ branches: [[BoundExpression]]) -> [BoundExpression] {
        guard branches.count > 1, let first = branches.first else { return [] }
        var out: [BoundExpression] = []
        var seen = Set<Set<Int>>()
        for c in first {
            let columns = c.referencedColumns
            guard !columns.isEmpty, seen.insert(columns).inserted else { continue }
            var parts: [BoundExpression] = []
            for branch in branches {
                let local = branch.filter { !$0.referencedColumns.isEmpty && $0.referencedColumns.isSubset(of: columns) }
                guard let p = BoundExpression.conjunction(local) else { parts = []; break }
                parts.append(p)
            }
            if parts.count == branches.count { out.append(.or(parts)) }
        }
        return out
    }

    /// Places conjuncts as deep as they can go below `plan`.
    static func push(_ terms0: [BoundExpression], into plan: LogicalPlan) -> LogicalPlan {
        // Factoring ORs may derive a filter again on every level it passes: keep one of each.
        var terms: [BoundExpression] = []
        for t in terms0.flatMap(factorOr) where !terms.contains(t) { terms.append(t) }
        if terms.isEmpty { return plan }
        switch plan {
        case var .scan(scan):
            scan.filters.append(contentsOf: terms)
            return .scan(scan)
        case let .filter(input, p):
            return push(terms + p.conjuncts, into: input)
        case let .project(input, exprs, fields):
            var below: [BoundExpression] = [], above: [BoundExpression] = []
            for t in terms {
                if isVolatile(t) { above.append(t); continue }
                // Substitute the projection's expressions for the column references.
                let substituted = try? t.transformed { node in
                    if case let .column(i, _) = node { return exprs[i] }
                    return nil
                }
                if let s = substituted, !exprs.contains(where: isVolatile) { below.append(s) } else { above.append(t) }
            }
            return filter(.project(push(below, into: input), exprs, fields), above)
        case let .join(l, r, type, pred):
            let width = l.fields.count
            var leftTerms: [BoundExpression] = [], rightTerms: [BoundExpression] = [], joinTerms: [BoundExpression] = []
            var above: [BoundExpression] = []
            for t in terms {
                let refs = t.referencedColumns
                if type == .semi || type == .anti {
                    leftTerms.append(t)
                } else if refs.allSatisfy({ $0 < width }) && (type == .inner || type == .cross || type == .left || type == .semi) {
                    leftTerms.append(t)
                } else if refs.allSatisfy({ $0 >= width }) && (type == .inner || type == .cross || type == .right) {
                    rightTerms.append(t.remapped { $0 - width })
                } else if type == .inner || type == .cross {
                    joinTerms.append(t)
                } else {
                    above.append(t)
                }
            }
            var newPred = pred
            var newType = type
            if !joinTerms.isEmpty {
                let extra = JoinPredicate.split(.and(joinTerms), leftWidth: width)
                newPred.leftKeys += extra.leftKeys
                newPred.rightKeys += extra.rightKeys
                newPred.residual = BoundExpression.conjunction((newPred.residual.map { $0.conjuncts } ?? []) + (extra.residual?.conjuncts ?? []))
                if type == .cross { newType = .inner }
            }
            return filter(.join(push(leftTerms, into: l), push(rightTerms, into: r), newType, on: newPred), above)
        case let .aggregate(input, keys, aggs, fields):
            var below: [BoundExpression] = [], above: [BoundExpression] = []
            for t in terms {
                if !t.referencedColumns.isEmpty, t.referencedColumns.allSatisfy({ $0 < keys.count }), !isVolatile(t),
                   let s = try? t.transformed({ node in
                       if case let .column(i, _) = node { return keys[i] }
                       return nil
                   }) {
                    below.append(s)
                } else {
                    above.append(t)
                }
            }
            return filter(.aggregate(push(below, into: input), groupBy: keys, aggregates: aggs, fields: fields), above)
        case let .sort(input, keys):
            return .sort(push(terms, into: input), keys)
        case let .distinct(input):
            return .distinct(push(terms, into: input))
        default:
            return filter(plan, terms)
        }
    }

    // MARK: aggregate inputs

    /// Aggregations whose keys or arguments are expressions get a projection below
    /// computing them, so the expressions run where projections run: fused into the
    /// scan's parallel workers.
    static func computeAggregateInputs(_ plan: LogicalPlan) -> LogicalPlan {
        switch plan {
        case let .aggregate(input0, keys, aggs, fields):
            let input = computeAggregateInputs(input0)
            var exprs: [BoundExpression] = []
            func slot(_ e: BoundExpression) -> BoundExpression {
                if let k = exprs.firstIndex(of: e) { return .column(k, e.type) }
                exprs.append(e)
                return .column(exprs.count - 1, e.type)
            }
            let all = keys + aggs.flatMap { $0.arguments + ($0.filter.map { [$0] } ?? []) + $0.orderBy.map(\.expression) }
            guard all.contains(where: { if case .column = $0 { return false }; return !$0.isConstant }),
                  !all.contains(where: isVolatile) else {
                return .aggregate(input, groupBy: keys, aggregates: aggs, fields: fields)
            }
            let newKeys = keys.map(slot)
            let newAggs = aggs.map { a -> AggregateCall in
                var c = a
                c.arguments = a.arguments.map { $0.isConstant ? $0 : slot($0) }
                c.filter = a.filter.map(slot)
                c.orderBy = a.orderBy.map { SortKey(expression: slot($0.expression), ascending: $0.ascending, nullsFirst: $0.nullsFirst) }
                return c
            }
            let projectFields = exprs.enumerated().map { Field("arg\($0.offset)", $0.element.type) }
            return .aggregate(.project(input, exprs, projectFields), groupBy: newKeys, aggregates: newAggs, fields: fields)
        case .scan, .values, .workingTable: return plan
        case let .recursiveUnion(u):
            return u.with(anchor: computeAggregateInputs(u.anchor), recursive: computeAggregateInputs(u.recursive))
        case let .filter(input, p): return .filter(computeAggregateInputs(input), p)
        case let .project(input, e, f): return .project(computeAggregateInputs(input), e, f)
        case let .join(l, r, t, p): return .join(computeAggregateInputs(l), computeAggregateInputs(r), t, on: p)
        case let .sort(input, k): return .sort(computeAggregateInputs(input), k)
        case let .limit(input, l, o): return .limit(computeAggregateInputs(input), limit: l, offset: o)
        case let .distinct(input): return .distinct(computeAggregateInputs(input))
        case let .setOperation(k, a, l, r, f): return .setOperation(k, all: a, computeAggregateInputs(l), computeAggregateInputs(r), fields: f)
        case let .window(input, calls): return .window(computeAggregateInputs(input), calls)
        }
    }

    // MARK: join sides

    /// Rows of the tables under a plan before any filter (the largest input of a join tree).
    static func unfilteredRows(_ plan: LogicalPlan) -> Double {
        switch plan {
        case let .scan(s): return Double(max(1, s.table.rowCount))
        case let .filter(input, _), let .project(input, _, _), let .sort(input, _), let .distinct(input), let .window(input, _),
             let .limit(input, _, _):
            return unfilteredRows(input)
        case let .aggregate(input, keys, _, _): return keys.isEmpty ? 1 : unfilteredRows(input) * 0.1
        case let .join(l, r, _, _): return max(unfilteredRows(l), unfilteredRows(r))
        default: return estimate(plan)
        }
    }

    /// A guess at the fraction of rows a filter keeps.
    static func selectivity(_ filters: [BoundExpression]) -> Double {
        var result = 1.0
        var rangeColumns = Set<Int>()
        for f in filters {
            switch f {
            case .compare(.equal, _, _): result *= 0.1
            case let .compare(_, a, b):
                // Both ends of a range on one column count once.
                let cols = a.referencedColumns.union(b.referencedColumns)
                if cols.count == 1, let c = cols.first, !rangeColumns.insert(c).inserted { result *= 0.5 } else { result *= 0.4 }
            case let .inList(_, values, false): result *= min(1, 0.1 * Double(values.count))
            case .like: result *= 0.2
            case .isNull(_, false): result *= 0.1
            default: result *= 0.5
            }
        }
        return max(result, 0.0001)
    }

    /// Estimated output rows, for choosing build sides.
    static func estimate(_ plan: LogicalPlan) -> Double {
        switch plan {
        case let .scan(s):
            let base = Double(max(1, s.table.rowCount))
            return base * selectivity(s.filters)
        case let .values(_, rows): return Double(rows.count)
        case let .filter(input, p): return estimate(input) * selectivity(p.conjuncts)
        case let .project(input, _, _), let .sort(input, _), let .distinct(input): return estimate(input)
        case let .aggregate(input, keys, _, _): return keys.isEmpty ? 1 : max(1, estimate(input) * 0.1)
        case let .join(l, r, type, pred):
            switch type {
            case .semi, .anti: return estimate(l) * 0.5
            case .cross: return estimate(l) * estimate(r)
            default: return pred.leftKeys.isEmpty ? estimate(l) * estimate(r) : max(estimate(l), estimate(r))
            }
        case let .limit(input, limit, _): return min(estimate(input), Double(limit ?? Int.max))
        case let .setOperation(_, _, l, r, _): return estimate(l) + estimate(r)
        case let .window(input, _): return estimate(input)
        // A guess: recursions mostly walk a short chain or a small tree.
        case let .recursiveUnion(u): return estimate(u.anchor) * 10
        case .workingTable: return 10
        }
    }

    /// Inner joins hash their right input: put the smaller estimate there.
    static func chooseBuildSides(_ plan: LogicalPlan) -> LogicalPlan {
        switch plan {
        case let .join(l0, r0, type, pred):
            let l = chooseBuildSides(l0), r = chooseBuildSides(r0)
            // The right input is hashed: swap so the smaller side is built. An outer join keeps
            // its meaning with the sides swapped as the mirror join (LEFT ↔ RIGHT).
            let mirror: JoinType? = switch type {
            case .inner: .inner
            case .left: .right
            case .right: .left
            default: nil
            }
            if let mirror, !pred.leftKeys.isEmpty, estimate(l) < estimate(r) {
                let lw = l.fields.count, rw = r.fields.count
                let swappedResidual = pred.residual?.remapped { $0 < lw ? $0 + rw : $0 - lw }
                let swapped = LogicalPlan.join(r, l, mirror, on: JoinPredicate(leftKeys: pred.rightKeys, rightKeys: pred.leftKeys,
                                                                               residual: swappedResidual))
                let fields = plan.fields
                let reorder = (0..<(lw + rw)).map { i in
                    BoundExpression.column(i < lw ? rw + i : i - lw, fields[i].type)
                }
                return .project(swapped, reorder, fields)
            }
            return .join(l, r, type, on: pred)
        case .scan, .values, .workingTable: return plan
        case let .recursiveUnion(u): return u.with(anchor: chooseBuildSides(u.anchor), recursive: chooseBuildSides(u.recursive))
        case let .filter(input, p): return .filter(chooseBuildSides(input), p)
        case let .project(input, e, f): return .project(chooseBuildSides(input), e, f)
        case let .aggregate(input, k, a, f): return .aggregate(chooseBuildSides(input), groupBy: k, aggregates: a, fields: f)
        case let .sort(input, k): return .sort(chooseBuildSides(input), k)
        case let .limit(input, l, o): return .limit(chooseBuildSides(input), limit: l, offset: o)
        case let .distinct(input): return .distinct(chooseBuildSides(input))
        case let .setOperation(k, a, l, r, f): return .setOperation(k, all: a, chooseBuildSides(l), chooseBuildSides(r), fields: f)
        case let .window(input, calls): return .window(chooseBuildSides(input), calls)
        }
    }

    // MARK: column pruning

    /// The plan producing at least the `required` output columns, and where each old
    /// output column went (-1 for dropped).
    static func prune(_ plan: LogicalPlan, required: Set<Int>) -> (LogicalPlan, [Int]) {
        let width = plan.fields.count
        func identity() -> [Int] { Array(0..<width) }
        switch plan {
        case var .scan(scan):
            var keep = required
            for f in scan.filters { keep.formUnion(f.referencedColumns) }
            let kept = keep.sorted()
            var map = [Int](repeating: -1, count: width)
            for (n, o) in kept.enumerated() { map[o] = n }
            scan.filters = scan.filters.map { $0.remapped { map[$0] } }
            scan.columns = kept.map { scan.columns[$0] }
            return (.scan(scan), map)
        case .values, .workingTable:
            return (plan, identity())
        case let .recursiveUnion(u):
            // Every round reads every column of the previous one.
            let all = Set(0..<width)
            return (u.with(anchor: prune(u.anchor, required: all).0, recursive: prune(u.recursive, required: all).0), identity())
        case let .filter(input, p):
            let (child, map) = prune(input, required: required.union(p.referencedColumns))
            return (.filter(child, p.remapped { map[$0] }), map)
        case let .project(input, exprs, fields):
            let kept = required.sorted()
            var childReq = Set<Int>()
            for k in kept { childReq.formUnion(exprs[k].referencedColumns) }
            let (child, childMap) = prune(input, required: childReq)
            var map = [Int](repeating: -1, count: width)
            for (n, o) in kept.enumerated() { map[o] = n }
            return (.project(child, kept.map { exprs[$0].remapped { childMap[$0] } }, kept.map { fields[$0] }), map)
        case let .aggregate(input, keys, aggs, fields):
            let keptAggs = (0..<aggs.count).filter { required.contains(keys.count + $0) }
            var childReq = Set<Int>()
            for k in keys { childReq.formUnion(k.referencedColumns) }
            for a in keptAggs {
                for e in aggs[a].arguments + aggs[a].orderBy.map(\.expression) { childReq.formUnion(e.referencedColumns) }
                if let f = aggs[a].filter { childReq.formUnion(f.referencedColumns) }
            }
            let (child, cm) = prune(input, required: childReq)
            func r(_ e: BoundExpression) -> BoundExpression { e.remapped { cm[$0] } }
            let newAggs = keptAggs.map { i -> AggregateCall in
                var a = aggs[i]
                a.arguments = a.arguments.map(r)
                a.filter = a.filter.map(r)
                a.orderBy = a.orderBy.map { SortKey(expression: r($0.expression), ascending: $0.ascending, nullsFirst: $0.nullsFirst) }
                return a
            }
            var map = [Int](repeating: -1, count: width)
            for k in 0..<keys.count { map[k] = k }
            for (n, a) in keptAggs.enumerated() { map[keys.count + a] = keys.count + n }
            let newFields = Array(fields[0..<keys.count]) + keptAggs.map { fields[keys.count + $0] }
            return (.aggregate(child, groupBy: keys.map(r), aggregates: newAggs, fields: newFields), map)
        case let .join(l, r, type, pred):
            let lw = l.fields.count
            var leftReq = Set(required.filter { $0 < lw })
            var rightReq = Set(required.filter { $0 >= lw }.map { $0 - lw })
            for k in pred.leftKeys { leftReq.formUnion(k.referencedColumns) }
            for k in pred.rightKeys { rightReq.formUnion(k.referencedColumns) }
            if let res = pred.residual {
                for c in res.referencedColumns { if c < lw { leftReq.insert(c) } else { rightReq.insert(c - lw) } }
            }
            let (nl, lm) = prune(l, required: leftReq)
            let (nr, rm) = prune(r, required: rightReq)
            let nlw = nl.fields.count
            var newPred = pred
            newPred.leftKeys = pred.leftKeys.map { $0.remapped { lm[$0] } }
            newPred.rightKeys = pred.rightKeys.map { $0.remapped { rm[$0] } }
            newPred.residual = pred.residual?.remapped { $0 < lw ? lm[$0] : nlw + rm[$0 - lw] }
            var map = lm
            if type != .semi && type != .anti {
                map += rm.map { $0 < 0 ? -1 : nlw + $0 }
            }
            return (.join(nl, nr, type, on: newPred), map)
        case let .sort(input, keys):
            var req = required
            for k in keys { req.formUnion(k.expression.referencedColumns) }
            let (child, map) = prune(input, required: req)
            return (.sort(child, keys.map { SortKey(expression: $0.expression.remapped { map[$0] }, ascending: $0.ascending,
                                                    nullsFirst: $0.nullsFirst) }), map)
        case let .limit(input, limit, offset):
            let (child, map) = prune(input, required: required)
            return (.limit(child, limit: limit, offset: offset), map)
        case let .distinct(input):
            let (child, _) = prune(input, required: Set(0..<width))
            return (.distinct(child), identity())
        case let .setOperation(kind, all, l, r, fields):
            let (nl, _) = prune(l, required: Set(0..<width))
            let (nr, _) = prune(r, required: Set(0..<width))
            return (.setOperation(kind, all: all, nl, nr, fields: fields), identity())
        case let .window(input, calls):
            let inputWidth = input.fields.count
            var req = Set(required.filter { $0 < inputWidth })
            for c in calls { req.formUnion(c.referencedColumns) }
            let (child, cm) = prune(input, required: req)
            let newWidth = child.fields.count
            var map = cm
            map += calls.indices.map { newWidth + $0 }
            return (.window(child, calls.map { $0.remapped { cm[$0] } }), map)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
