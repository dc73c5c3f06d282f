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
                let join = SemiJoinOperator(left: build(l), right: build(r), anti: type == .anti, predicate: pred, context: context)
                join.rightSideFilter = scanFilter(pred.rightKeys, otherKeys: pred.leftKeys, nullAware: pred.nullAware, below: join.right)
                return join
            }
            let left = build(l), right = build(r)
            // Sides within a factor of 8 of each other by the estimates: decided at run time.
            if type == .semi || type == .anti, !pred.leftKeys.isEmpty, Optimizer.estimate(r) * 8 > Optimizer.estimate(l) {
                let filter = type == .semi ? probeScanFilter(pred, below: left) : nil
                // Filled only if the left side turns out the one hashed (unfilled, it keeps every row).
                let rightFilter = scanFilter(pred.rightKeys, otherKeys: pred.leftKeys, nullAware: pred.nullAware, below: right)
                return AdaptiveSemiJoinOperator(left: left, right: right, anti: type == .anti, predicate: pred, probeSideFilter: filter,
                                                rightSideFilter: rightFilter, context: context)
            }
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
            // A probe side whose scan lower joins filter may end up far smaller than its
            // estimate (TPC-H Q9: lineitem's rows for 10,664 of 200,000 parts): it is read
            // ahead, and when it ends within the limit its keys filter the build side's scan
            // (partsupp, orders). Otherwise the build keys filter the probe scan as below.
            let reduceBuild = join.probeSideFilter == nil && join.buildSideFilter == nil && [.inner, .left, .semi].contains(type)
                && context.buildSideReduction && Optimizer.estimate(r) >= Self.reducedBuildRows && Self.probeScanIsKeyFiltered(left)
            if reduceBuild {
                join.buildSideFilter = scanFilter(pred.rightKeys, otherKeys: pred.leftKeys, nullAware: pred.nullAware, below: right)
            }
            // The scan the probe keys come from drops rows the build side has no key for, in
            // its workers, once the build side is hashed.
            if join.probeSideFilter == nil, join.buildSideFilter == nil || reduceBuild, [.inner, .right, .semi].contains(type) {
                join.probeSideFilter = probeScanFilter(pred, below: left)
            }
            return join
        case let .sort(input, keys):
            let child = build(input)
            Self.ignoreOrder(of: child)
            return SortOperator(input: child, keys: keys, context: context)
        case let .limit(input, limit, offset):
            let child = build(input)
            if let sort = child as? SortOperator, let limit {
                let (rows, overflow) = limit.addingReportingOverflow(offset)
                if !overflow { sort.topRows = rows }
            }
            return LimitOperator(input: child, limit: limit, offset: offset)
        case let .distinct(input):
            return DistinctOperator(input: build(input))
        case let .window(input, calls):
            return WindowOperator(input: build(input), calls: calls, fields: plan.fields, context: context)
        case let .setOperation(kind, all, l, r, fields):
            return SetOperationOperator(kind: kind, all: all, left: build(l), right: build(r), fields: fields, context: context)
        case let .recursiveUnion(u):
            return RecursiveUnionOperator(union: u, anchor: build(u.anchor), planner: self, context: context)
        case let .workingTable(w):
            return ReplayOperator(fields: w.fields, batches: workingTables[w.id] ?? [], label: "WorkTable Scan")
        }
    }

    /// Tells an aggregation that produces `op`'s rows (through projections and filters, which
    /// keep their input's order) that its consumer does not depend on the order of its groups.
    static func ignoreOrder(of op: PhysicalOperator) {
        var node = op
        while true {
            if let project = node as? ProjectOperator {
                node = project.input
            } else if let filter = node as? FilterOperator {
                node = filter.input
            } else {
                (node as? HashAggregateOperator)?.keepsOrder = false
                return
            }
        }
    }

    /// A key filter fused into the scan under a join's probe side `left` that its keys come
    /// from, to be filled with the build side's keys; nil where none applies.
    private func probeScanFilter(_ pred: JoinPredicate, below left: PhysicalOperator) -> RuntimeKeyFilter? {
        scanFilter(pred.leftKeys, otherKeys: pred.rightKeys, nullAware: pred.nullAware, below: left)
    }

    /// A key filter fused into the scan under `op` that `keys` come from, to be filled with
    /// `otherKeys` (the other side's, once hashed); nil where none applies. Not for NOT IN,
    /// whose answer depends on the other side's NULL keys and row count.
    private func scanFilter(_ keys: [BoundExpression], otherKeys: [BoundExpression], nullAware: Bool,
                            below op: PhysicalOperator) -> RuntimeKeyFilter? {
        guard !nullAware, !keys.isEmpty, (keys + otherKeys).allSatisfy({ RuntimeKeyFilter.supports($0.type) }),
              let (scan, keys) = scanProducing(keys, below: op) else { return nil }
        let filter = RuntimeKeyFilter(expressions: keys, adaptive: true)
        scan.fuse(.keyFilter(filter))
        return filter
    }

    /// The scan under `op` that `keys` (over `op`'s output) can be computed on, and the keys
    /// over that scan's output; nil when the path to the scan could keep a row the filter
    /// would drop, or when a key below `op` itself is computed rather than a column. The
    /// path may cross projections, filters and inner joins (a row an inner join drops
    /// because its key has no match is dropped above as well), on either side: a scan on a
    /// lower join's build side is read only after the join owning the filter has built its
    /// table, as every operator below its probe side is.
    private func scanProducing(_ keys: [BoundExpression], below op: PhysicalOperator) -> (ScanOperator, [BoundExpression])? {
        if let scan = op as? ScanOperator { return (scan, keys) }
        guard var (node, columns) = Self.plainColumns(keys).map({ (op, $0) }) else { return nil }
        while true {
            guard let (next, mapped) = Self.throughProjections(columns, below: node) else { return nil }
            (node, columns) = (next, mapped)
            if let scan = node as? ScanOperator { return (scan, zip(columns, keys).map { .column($0, $1.type) }) }
            guard let join = node as? HashJoinOperator, join.type == .inner || join.type == .cross else { return nil }
            let width = join.left.fields.count
            if columns.allSatisfy({ $0 < width }) {
                node = join.left
            } else if columns.allSatisfy({ $0 >= width }) {
                columns = columns.map { $0 - width }
                node = join.right
            } else {
                return nil
            }
        }
    }

    /// Build sides estimated at fewer rows are hashed whole: reading the probe side ahead
    /// builds the joins below it first, and a small dimension's own key filter (TPC-H Q11's
    /// one nation) then comes too late for the scans under them.
    static let reducedBuildRows = 250_000.0

    /// Whether the scan at the bottom of a join's probe chain (through projections, filters
    /// and inner joins' probe sides) has a key filter from a lower join.
    private static func probeScanIsKeyFiltered(_ op: PhysicalOperator) -> Bool {
        var node = op
        while true {
            if let scan = node as? ScanOperator {
                return scan.stages.contains { if case .keyFilter = $0 { true } else { false } }
            } else if let project = node as? ProjectOperator {
                node = project.input
            } else if let filter = node as? FilterOperator {
                node = filter.input
            } else if let join = node as? HashJoinOperator, join.type == .inner {
                node = join.left
            } else {
                return false
            }
        }
    }

    /// The column positions of `keys` when each is a plain column.
    private static func plainColumns(_ keys: [BoundExpression]) -> [Int]? {
        var columns: [Int] = []
        for k in keys {
            guard case let .column(i, _) = k else { return nil }
            columns.append(i)
        }
        return columns
    }

    /// Follows output `columns` of `op` down through projections (of plain columns) and
    /// filters: the first other operator and the columns' positions in its output.
    private static func throughProjections(_ columns: [Int], below op: PhysicalOperator) -> (PhysicalOperator, [Int])? {
        var node = op, columns = columns
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
                return (node, columns)
            }
        }
    }

    /// When `op` (one side of a join) is an aggregation (under projections and filters)
    /// grouped by that side's join `keys` over a scan (or inner joins of scans), a key
    /// filter fused into that scan, to be filled with the other side's keys; see
    /// `RuntimeKeyFilter`. Only for integer and date keys, whose codes need no shared encoder.
    private func keyFilter(below op: PhysicalOperator, keys: [BoundExpression], otherKeys: [BoundExpression]) -> RuntimeKeyFilter? {
        guard !keys.isEmpty, otherKeys.allSatisfy({ RuntimeKeyFilter.supports($0.type) }),
              let plain = Self.plainColumns(keys), let (node, columns) = Self.throughProjections(plain, below: op) else { return nil }
        // An aggregation whose result is shared must stay whole.
        guard let aggregate = node as? HashAggregateOperator, aggregate.shareKey == nil,
              columns.allSatisfy({ $0 < aggregate.keys.count }) else { return nil }
        let expressions = columns.map { aggregate.keys[$0] }
        // The aggregation may read a scan or joins of scans (TPC-H Q2's minimum cost per part
        // joins partsupp with supplier, nation and region): the filter goes to the key's scan.
        guard expressions.allSatisfy({ RuntimeKeyFilter.supports($0.type) }),
              let (scan, keys) = scanProducing(expressions, below: aggregate.input) else { return nil }
        let filter = RuntimeKeyFilter(expressions: keys)
        scan.fuse(.keyFilter(filter))
        return filter
    }
}
