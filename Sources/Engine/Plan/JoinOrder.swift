import Columnar

/// Join ordering: a tree of inner and cross joins (what `FROM a, b, c WHERE ...`
/// binds to) is flattened into its inputs and its conditions, then rebuilt
/// greedily: the largest input is the probe side, and each step joins the
/// smallest remaining input that a condition connects to what is joined so far,
/// so no cross product is built while a join key exists.
enum JoinOrder {
    static func reorder(_ plan: LogicalPlan) -> LogicalPlan {
        switch plan {
        case let .join(_, _, type, _) where type == .inner || type == .cross:
            var leaves: [LogicalPlan] = []
            var conditions: [BoundExpression] = []
            flatten(plan, offset: 0, &leaves, &conditions)
            return rebuild(leaves, conditions, fields: plan.fields)
        case .scan, .values, .workingTable: return plan
        case let .recursiveUnion(u): return u.with(anchor: reorder(u.anchor), recursive: reorder(u.recursive))
        case let .filter(input, p): return .filter(reorder(input), p)
        case let .project(input, e, f): return .project(reorder(input), e, f)
        case let .aggregate(input, k, a, f): return .aggregate(reorder(input), groupBy: k, aggregates: a, fields: f)
        case let .join(l, r, type, pred): return .join(reorder(l), reorder(r), type, on: pred)
        case let .sort(input, k): return .sort(reorder(input), k)
        case let .limit(input, l, o): return .limit(reorder(input), limit: l, offset: o)
        case let .distinct(input): return .distinct(reorder(input))
        case let .setOperation(k, a, l, r, f): return .setOperation(k, all: a, reorder(l), reorder(r), fields: f)
        case let .window(input, calls): return .window(reorder(input), calls)
        }
    }

    /// Inputs in column order, and every condition over the concatenation of their columns.
    private static func flatten(_ plan: LogicalPlan, offset: Int, _ leaves: inout [LogicalPlan], _ conditions: inout [BoundExpression]) {
        guard case let .join(l, r, type, pred) = plan, type == .inner || type == .cross else {
            leaves.append(reorder(plan))
            return
        }
        flatten(l, offset: offset, &leaves, &conditions)
        let lw = l.fields.count
        flatten(r, offset: offset + lw, &leaves, &conditions)
        for (a, b) in zip(pred.leftKeys, pred.rightKeys) {
            conditions.append(.compare(.equal, a.remapped { $0 + offset }, b.remapped { $0 + offset + lw }))
        }
        if let residual = pred.residual {
            conditions.append(contentsOf: residual.remapped { $0 + offset }.conjuncts)
        }
    }

    private static func rebuild(_ leaves: [LogicalPlan], _ conditions: [BoundExpression], fields: [Field]) -> LogicalPlan {
        var starts: [Int] = []
        var total = 0
        for leaf in leaves {
            starts.append(total)
            total += leaf.fields.count
        }
        func leafOf(_ column: Int) -> Int { starts.lastIndex { $0 <= column } ?? 0 }
        let estimates = leaves.map(Optimizer.estimate)
        let conditionLeaves = conditions.map { Set($0.referencedColumns.map(leafOf)) }
        // Equalities whose sides come from different inputs: the conditions a hash join can use.
        let keyLeaves: [(Set<Int>, Set<Int>)?] = conditions.map { c in
            guard case let .compare(.equal, a, b) = c else { return nil }
            let la = Set(a.referencedColumns.map(leafOf)), lb = Set(b.referencedColumns.map(leafOf))
            guard !la.isEmpty, !lb.isEmpty, la.isDisjoint(with: lb) else { return nil }
            return (la, lb)
        }

        var position = [Int](repeating: -1, count: total)  // global column → column of `current`
        func add(_ leaf: Int, at base: Int) {
            for c in 0..<leaves[leaf].fields.count { position[starts[leaf] + c] = base + c }
        }
        // The probe side: the input with the most rows before filtering (the fact table).
        let sizes = leaves.map(Optimizer.unfilteredRows)
        let first = sizes.indices.max { (sizes[$0], estimates[$0]) < (sizes[$1], estimates[$1]) } ?? 0
        var current = leaves[first]
        var currentRows = estimates[first]
        var joined: Set<Int> = [first]
        add(first, at: 0)
        var used = [Bool](repeating: false, count: conditions.count)
        // Conditions over the first input alone (rare: pushdown puts them in its scan).
        var pending: [BoundExpression] = []
        while joined.count < leaves.count {
            let remaining = leaves.indices.filter { !joined.contains($0) }
            // Rows after joining j: |current| × |j| / distinct keys, with the distinct keys guessed as the
            // smaller table's row count (a key is usually the smaller side's primary key). Nil: no key.
            func joinedRows(_ j: Int) -> Double? {
                var distinct: Double?
                for k in conditions.indices where !used[k] {
                    guard let (a, b) = keyLeaves[k] else { continue }
                    let other: Set<Int>
                    if a == [j] && b.isSubset(of: joined) { other = b } else if b == [j] && a.isSubset(of: joined) { other = a } else { continue }
                    let otherRows = other.map { sizes[$0] }.max() ?? 1
                    distinct = max(distinct ?? 1, min(otherRows, sizes[j]))
                }
                return distinct.map { currentRows * estimates[j] / max($0, 1) }
            }
            let connected = remaining.compactMap { j in joinedRows(j).map { (j, $0) } }
            let next = connected.isEmpty
                ? remaining.min { estimates[$0] < estimates[$1] }!
                : connected.min { ($0.1, estimates[$0.0]) < ($1.1, estimates[$1.0]) }!.0
            currentRows = joinedRows(next) ?? currentRows * estimates[next]
            let width = current.fields.count
            add(next, at: width)
            joined.insert(next)
            var terms: [BoundExpression] = []
            for k in conditions.indices where !used[k] && conditionLeaves[k].isSubset(of: joined) {
                used[k] = true
                terms.append(conditions[k].remapped { position[$0] })
            }
            if let condition = BoundExpression.conjunction(terms) {
                let pred = JoinPredicate.split(condition, leftWidth: width)
                current = .join(current, leaves[next], pred.leftKeys.isEmpty && pred.residual == nil ? .cross : .inner, on: pred)
            } else {
                current = .join(current, leaves[next], .cross, on: JoinPredicate())
            }
        }
        for k in conditions.indices where !used[k] { pending.append(conditions[k].remapped { position[$0] }) }
        if let p = BoundExpression.conjunction(pending) { current = .filter(current, p) }
        // Back to the original column order.
        let order = (0..<total).map { BoundExpression.column(position[$0], fields[$0].type) }
        if (0..<total).allSatisfy({ position[$0] == $0 }) { return current }
        return .project(current, order, fields)
    }
}
