/// Results of aggregations that one query computes more than once, kept for the
/// query's duration: a WITH query referenced twice (TPC-H Q15's `revenue`, once
/// joined and once under `max()`) is planned at each reference, and the second
/// identical aggregation takes the first one's rows instead of reading the table
/// again (PostgreSQL materializes a CTE referenced twice for the same reason).
/// Keyed by the optimized plan's text; shared by the query's subqueries. Only
/// aggregations that occur at least twice are kept (and those get no runtime key
/// filter, which would make their result one join's subset).
final class SharedResults: @unchecked Sendable {
    private let lock = Lock()
    private var results: [String: RecordBatch] = [:]
    /// The keys of aggregations the query (with its uncorrelated subqueries) has more than once.
    private(set) var repeated: Set<String> = []

    /// Column chunks of tables the query scans more than once (see `ChunkCache`).
    let chunks = ChunkCache()
    /// The subqueries' executed operator trees, kept for EXPLAIN ANALYZE only.
    let subqueryRuns = SubqueryRuns()

    /// Finds the repeated aggregations of `plan` (optimized) and of its subqueries, and the
    /// tables they scan more than once.
    func prepare(_ plan: LogicalPlan) {
        // The aggregations of the plan and its subqueries; a key (the plan's text, long for
        // tables of many files) is only worth making when there are two or more.
        var aggregates: [LogicalPlan] = []
        var plans: [LogicalPlan] = []
        var seen = Set<ObjectIdentifier>()
        func visit(_ plan: LogicalPlan) {
            plans.append(plan)
            plan.forEachNode { node in
                if case .aggregate = node { aggregates.append(node) }
            }
            for box in plan.subqueryBoxes where seen.insert(ObjectIdentifier(box)).inserted {
                visit(Optimizer.optimize(box.plan))
            }
        }
        visit(plan)
        defer { chunks.prepare(plans, shared: repeated) }
        guard aggregates.count > 1 else { return }
        var counts: [String: Int] = [:]
        for node in aggregates { if let key = Self.key(node) { counts[key, default: 0] += 1 } }
        repeated = Set(counts.filter { $0.value > 1 }.keys)
    }
    /// Larger results are not kept.
    static let maximumRows = 1 << 20

    /// The key under which `plan`'s result is shared, nil when it occurs once.
    func shareKey(_ plan: LogicalPlan) -> String? {
        guard !repeated.isEmpty, let key = Self.key(plan), repeated.contains(key) else { return nil }
        return key
    }

    /// The key for `plan`, or nil when its text does not identify its result: subqueries
    /// print as their box, not their plan, random() differs per evaluation, and so does a
    /// working table.
    static func key(_ plan: LogicalPlan) -> String? {
        // A table is its name, columns and version (a hash of its files' paths, sizes and
        // times): printing every file would make the key as long as the listing.
        let light = plan.mapScans { scan in
            var s = scan
            let t = scan.table
            s.table = TableDescriptor(schema: t.schema, name: t.name, location: t.location, origin: t.origin, fields: t.fields,
                                      partitionKeys: t.partitionKeys, files: [], version: t.version)
            return s
        }
        let text = "\(light)"
        for marker in ["SubqueryBox", "CorrelatedSubquery", "randomValue", "workingTable"] where text.contains(marker) { return nil }
        return text
    }

    func result(_ key: String) -> RecordBatch? { lock.withLock { results[key] } }

    func store(_ key: String, _ batch: RecordBatch) {
        guard batch.rowCount <= Self.maximumRows else { return }
        lock.withLock { results[key] = batch }
    }
}

import Columnar
import Lake

/// EXPLAIN ANALYZE's lines for a query's subquery runs, printed after the query's own tree
/// (they run inside an operator's expression, so the tree has no place for them). Taken
/// from each run's finished tree while `recording`; the trees themselves are not kept.
final class SubqueryRuns: @unchecked Sendable {
    private let lock = Lock()
    var recording = false
    private var runs: [[String]] = []
    private(set) var count = 0
    /// Runs shown at most (a correlated subquery runs once per outer row).
    static let maximum = 8

    func note(_ op: PhysicalOperator) {
        guard recording else { return }
        lock.withLock {
            count += 1
            if runs.count < Self.maximum { runs.append(PlanPrinter.analyzed(op)) }
        }
    }

    /// EXPLAIN ANALYZE's lines for the runs, after the query's own.
    var lines: [String] {
        lock.withLock {
            var out: [String] = []
            for (k, run) in runs.enumerated() {
                out.append("Subquery run \(k + 1):")
                out += run.map { "  " + $0 }
            }
            if count > runs.count { out.append("Subquery runs: \(count), the first \(runs.count) shown") }
            return out
        }
    }
}
