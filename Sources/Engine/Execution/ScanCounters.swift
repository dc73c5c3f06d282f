/// What a scan read and what pruning let it skip, for EXPLAIN ANALYZE. Planning
/// counts files and row groups on one thread; the workers add pages (and row
/// groups whose pages were all ruled out) concurrently, hence the lock.
final class ScanCounters: @unchecked Sendable {
    private let lock = Lock()
    private(set) var filesTotal = 0
    private(set) var filesPruned = 0
    private(set) var rowGroupsTotal = 0
    private(set) var rowGroupsPrunedByStatistics = 0
    private(set) var rowGroupsPrunedByBloom = 0
    private(set) var rowGroupsPrunedByDictionary = 0
    private(set) var rowGroupsPrunedByPageIndex = 0
    private(set) var pagesRead = 0
    private(set) var pagesSkipped = 0
    /// Row groups decoded late-materialized: the filters' columns first, the others after.
    private(set) var lateRowGroups = 0
    private(set) var lateRowGroupsWithoutSurvivors = 0

    enum RowGroupOutcome { case statistics, bloomFilter, dictionary }

    func file(pruned: Bool) {
        lock.withLock {
            filesTotal += 1
            if pruned { filesPruned += 1 }
        }
    }

    /// A row group seen by planning: kept (nil) or skipped for `outcome`.
    func rowGroup(skipped outcome: RowGroupOutcome?) {
        lock.withLock {
            rowGroupsTotal += 1
            switch outcome {
            case .statistics?: rowGroupsPrunedByStatistics += 1
            case .bloomFilter?: rowGroupsPrunedByBloom += 1
            case .dictionary?: rowGroupsPrunedByDictionary += 1
            case nil: break
            }
        }
    }

    /// A kept row group that its page index then ruled out entirely.
    func rowGroupEmptiedByPageIndex() {
        lock.withLock { rowGroupsPrunedByPageIndex += 1 }
    }

    /// Row groups where reading in two steps saved decoding (no passing row, or few runs of them).
    private var lateRowGroupsSaved = 0

    /// A row group read in two steps; `empty`: no row passed, so the other columns were
    /// not read; `saved`: the second step decoded less than all rows.
    func lateRowGroup(empty: Bool, saved: Bool) {
        lock.withLock {
            lateRowGroups += 1
            if empty { lateRowGroupsWithoutSurvivors += 1 }
            if saved { lateRowGroupsSaved += 1 }
        }
    }

    /// Whether two-step reading still pays: after a sample of row groups, only while it
    /// saved decoding in at least a quarter of them (passing rows spread over every page
    /// make the second step decode everything: then one step is cheaper).
    var lateMaterializationPays: Bool {
        lock.withLock { lateRowGroups < 4 || lateRowGroupsSaved * 4 >= lateRowGroups }
    }

    /// Column chunks taken decoded from an earlier scan of the same query (`ChunkCache`).
    private(set) var chunksReused = 0

    func chunksReused(_ count: Int) {
        lock.withLock { chunksReused += count }
    }

    func pages(read: Int, skipped: Int) {
        lock.withLock {
            pagesRead += read
            pagesSkipped += skipped
        }
    }

    /// EXPLAIN ANALYZE's lines.
    var lines: [String] {
        lock.withLock {
            let pruned = rowGroupsPrunedByStatistics + rowGroupsPrunedByBloom + rowGroupsPrunedByDictionary + rowGroupsPrunedByPageIndex
            return [
                "files: \(filesTotal - filesPruned) read, \(filesPruned) skipped by partition",
                "row groups: \(rowGroupsTotal - pruned) read, \(rowGroupsPrunedByStatistics) skipped by statistics, "
                    + "\(rowGroupsPrunedByBloom) by bloom filters, \(rowGroupsPrunedByDictionary) by dictionary, "
                    + "\(rowGroupsPrunedByPageIndex) by page index",
                "pages: \(pagesRead) read, \(pagesSkipped) skipped by page index",
            ] + (chunksReused == 0 ? [] : [
                "column chunks: \(chunksReused) taken decoded from an earlier scan of this query",
            ]) + (lateRowGroups == 0 ? [] : [
                "late materialization: \(lateRowGroups) row groups filtered first, \(lateRowGroupsWithoutSurvivors) of them "
                    + "without a passing row (their other columns not read)",
            ])
        }
    }
}

/// What every scan of one statement read and skipped, summed: for the server's
/// query log and metrics.
public struct ScanTotals: Sendable, Equatable {
    public var filesRead = 0
    public var filesSkipped = 0
    public var rowGroupsRead = 0
    public var rowGroupsSkipped = 0
    public var pagesRead = 0
    public var pagesSkipped = 0

    public init() {}

    /// Sums the counters of every scan under `op`.
    static func of(_ op: PhysicalOperator) -> ScanTotals {
        var totals = ScanTotals()
        var stack = [op]
        while let next = stack.popLast() {
            if let scan = next as? ScanOperator { totals.add(scan.counters) }
            stack.append(contentsOf: next.children)
        }
        return totals
    }

    private mutating func add(_ c: ScanCounters) {
        let skipped = c.rowGroupsPrunedByStatistics + c.rowGroupsPrunedByBloom + c.rowGroupsPrunedByDictionary + c.rowGroupsPrunedByPageIndex
        filesRead += c.filesTotal - c.filesPruned
        filesSkipped += c.filesPruned
        rowGroupsRead += c.rowGroupsTotal - skipped
        rowGroupsSkipped += skipped
        pagesRead += c.pagesRead
        pagesSkipped += c.pagesSkipped
    }
}
