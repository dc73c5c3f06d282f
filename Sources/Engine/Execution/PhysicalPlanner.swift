import Columnar
import Lake

/// Logical plan → operator tree.
struct PhysicalPlanner {
    let lake: Lake
    let context: ExecutionContext
    /// Inside a recursive term: the previous round's rows of each recursive union, by id.
    var workingTables: [Int: [RecordBatch]] = [:]

    func build(_ plan: LogicalPlan) -> PhysicalOperator {
        let op = make(plan)
        op.cancellation = context.cancellation
        return op
    }

    private func make(_ plan: LogicalPlan) -> PhysicalOperator {
        switch plan {
        case let .scan(scan):
            return ScanOperator(scan: scan, lake: lake, fields: plan.fields, context: context)
        case let .values(fields, rows):
            return ValuesOperator(fields: fields, rows: rows)
        case let .filter(input, predicate):
            let child = build(input)
            // Over a scan, the filter runs in the scan's workers.
            if let scan = child as? ScanOperator {
                scan.fuse(.filter(predicate))
                return scan
            }
            return FilterOperator(input: child, predicate: predicate, context: context)
        case let .project(input, exprs, fields):
            let child = build(input)
            if let scan = child as? ScanOperator {
                scan.fuse(.project(exprs, fields))
                return scan
            }
            return ProjectOperator(input: child, expressions: exprs, fields: fields, context: context)
        case let .aggregate(input, keys, aggs, fields):
            let aggregate = HashAggregateOperator(input: build(input), keys: keys, aggregates: aggs, fields: fields, context: context)
            aggregate.shareKey = context.sharedResults?.shareKey(plan)
            return aggregate
        case let .join(l, r, type, pred):
            // A semi or anti join against a larger input hashes its own (left) rows instead.
            if type == .semi || type == .anti, !pred.leftKeys.isEmpty, Optimizer.estimate(r) > Optimizer.estimate(l) * 2 {
                return SemiJoinOperator(left: build(l), right: build(r), anti: type == .anti, predicate: pred, context: context)
            }
            let left = build(l), right = build(r)
            let join = HashJoinOperator(left: left, right: right, type: type, predicate: pred, fields: plan.fields, context: context)
            // A side whose unmatched rows the join drops, when it aggregates by the join keys,
            // aggregates only the other side's keys: the build side's keys are known before
            // probing; the probe side's keys need the probe side read ahead.
            if [.inner, .right, .semi].contains(type), !pred.nullAware {
                join.probeSideFilter = keyFilter(below: left, keys: pred.leftKeys, otherKeys: pred.rightKeys)
            }
            if join.probeSideFilter == nil, [.inner, .left, .semi].contains(type), !pred.nullAware {
                join.buildSideFilter = keyFilter(below: right, keys: pred.rightKeys, otherKeys: pred.leftKeys)
            }
            // A probe-side scan drops rows the build side has no key for, in its workers.
            if join.probeSideFilter == nil, join.buildSideFilter == nil, [.inner, .right, .semi].contains(type), !pred.nullAware,
               let scan = left as? ScanOperator, !pred.leftKeys.isEmpty,
               (pred.leftKeys + pred.rightKeys).allSatisfy({ RuntimeKeyFilter.supports($0.type) }) {
                let filter = RuntimeKeyFilter(expressions: pred.leftKeys, adaptive: true)
                scan.fuse(.keyFilter(filter))
                join.probeSideFilter = filter
            }
            return join
        case let .sort(input, keys):
            return SortOperator(input: build(input), keys: keys, context: context)
        case let .limit(input, limit, offset):
            return LimitOperator(input: build(input), limit: limit, offset: offset)
        case let .distinct(input):
            return DistinctOperator(input: build(input))
        case let .window(input, calls):
            return WindowOperator(input: build(input), calls: calls, fields: plan.fields, context: context)
        case let .setOperation(kind, all, l, r, fields):
            return SetOperationOperator(kind: kind, all: all, left: build(l), right: build(r), fields: fields, context: context)
        case let .recursiveUnion(u):
            return RecursiveUnionOperator(union: u, anchor: build(u.anchor), planner: self, context: context)
        case let .workingTable(w):
            return WorkingTableOperator(fields: w.fields, batches: workingTables[w.id] ?? [])
        }
    }

    /// When `op` (one side of a join) is an aggregation (under projections and filters)
    /// grouped by that side's join `keys` and reading a scan, a key filter fused into that
    /// scan, to be filled with the other side's keys; see `RuntimeKeyFilter`. Only for
    /// integer and date keys, whose codes need no shared encoder.
    private func keyFilter(below op: PhysicalOperator, keys: [BoundExpression], otherKeys: [BoundExpression]) -> RuntimeKeyFilter? {
        guard !keys.isEmpty, otherKeys.allSatisfy({ RuntimeKeyFilter.supports($0.type) }) else { return nil }
        var columns: [Int] = []
        for k in keys {
            guard case let .column(i, _) = k else { return nil }
            columns.append(i)
        }
        var node = op
        while true {
            if let project = node as? ProjectOperator {
                var mapped: [Int] = []
                for c in columns {
                    guard case let .column(i, _) = project.expressions[c] else { return nil }
                    mapped.append(i)
                }
                columns = mapped
                node = project.input
            } else if let filter = node as? FilterOperator {
                node = filter.input
            } else {
                break
            }
        }
        // An aggregation whose result is shared must stay whole.
        guard let aggregate = node as? HashAggregateOperator, aggregate.shareKey == nil, let scan = aggregate.input as? ScanOperator,
              columns.allSatisfy({ $0 < aggregate.keys.count }) else { return nil }
        let expressions = columns.map { aggregate.keys[$0] }
        guard expressions.allSatisfy({ RuntimeKeyFilter.supports($0.type) }) else { return nil }
        let filter = RuntimeKeyFilter(expressions: expressions)
        scan.fuse(.keyFilter(filter))
        return filter
    }
}
