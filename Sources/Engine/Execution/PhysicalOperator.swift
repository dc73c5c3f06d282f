import Columnar

/// A pull-based vectorized operator: each `next()` returns a batch of rows or
/// nil at the end.
class PhysicalOperator {
    var fields: [Field]
    /// Rows produced and time spent (EXPLAIN ANALYZE).
    var rowsProduced = 0
    var nanoseconds: UInt64 = 0
    var children: [PhysicalOperator] { [] }
    /// Checked before every batch, so a cancel or timeout stops any operator tree.
    var cancellation: CancellationFlag?

    init(fields: [Field]) { self.fields = fields }

    /// Timing and counting around `produce()`.
    final func next() throws(EngineError) -> RecordBatch? {
        if let cancellation { try cancellation.check() }
        let start = Clock.now
        let batch = try produce()
        nanoseconds &+= Clock.now &- start
        if let batch { rowsProduced += batch.rowCount }
        return batch
    }

    func produce() throws(EngineError) -> RecordBatch? { nil }

    /// One line for EXPLAIN ANALYZE.
    var label: String { "\(type(of: self))" }
    /// Extra EXPLAIN ANALYZE details (scans: files and row groups read and skipped).
    var details: [String] { [] }
}

/// Monotonic nanoseconds.
enum Clock {
    static var now: UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}

/// What every operator of one query shares.
final class ExecutionContext: @unchecked Sendable {
    let threads: Int
    let memoryLimit: Int
    var evaluator = ExpressionEvaluator()
    /// Set by a client's cancel request or a statement timeout; scans check it between waves.
    var cancellation: CancellationFlag?
    /// Scans read only the pages their page index cannot rule out (`SET basalt.page_pruning`).
    var pagePruning = true
    /// Scans decode their filters' columns first (`SET basalt.late_materialization`).
    var lateMaterialization = true
    /// Joins over a key-filtered probe side read it ahead to filter their build side
    /// (`SET basalt.build_side_reduction`).
    var buildSideReduction = true
    /// Aggregations the query computes more than once (nil: nothing shared).
    var sharedResults: SharedResults?
    private let lock = Lock()
    private var reserved = 0

    init(threads: Int, memoryLimit: Int) {
        self.threads = max(1, threads)
        self.memoryLimit = memoryLimit
    }

    /// Accounts `bytes` of buffered data (hash tables, sorts); throws past the limit.
    func reserve(_ bytes: Int) throws(EngineError) {
        lock.lock()
        reserved += bytes
        let total = reserved
        lock.unlock()
        if total > memoryLimit {
            throw .outOfMemory("query exceeded its memory limit of \(memoryLimit / (1 << 20)) MB (basalt.memory_limit)")
        }
    }

    func release(_ bytes: Int) {
        lock.withLock { reserved -= bytes }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
