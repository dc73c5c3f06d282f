import Columnar
import Lake

/// Logical plan → operator tree.
struct PhysicalPlanner {
    let lake: Lake
    let context: ExecutionContext

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
            return HashAggregateOperator(input: build(input), keys: keys, aggregates: aggs, fields: fields, context: context)
        case let .join(l, r, type, pred):
            // A semi or anti join against a larger input hashes its own (left) rows instead.
            if type == .semi || type == .anti, !pred.leftKeys.isEmpty, Optimizer.estimate(r) > Optimizer.estimate(l) * 2 {
                return SemiJoinOperator(left: build(l), right: build(r), anti: type == .anti, predicate: pred, context: context)
            }
            return HashJoinOperator(left: build(l), right: build(r), type: type, predicate: pred, fields: plan.fields, context: context)
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
        }
    }
}
