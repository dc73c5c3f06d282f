import Columnar
import Dispatch
import Lake
import Parquet

/// Reads a table: prunes files by their partition values and row groups by
/// their statistics, bloom filters and dictionaries against the pushed-down
/// filters, then decodes the remaining row groups (morsels) on worker threads ahead
/// of its consumer (`ReadAhead`),
/// each only in the pages its page index cannot rule out, converts them to the
/// engine's canonical types, adds partition columns, and applies the filters.
final class ScanOperator: PhysicalOperator, @unchecked Sendable {
    let scan: TableScan
    let lake: Lake
    let context: ExecutionContext
    /// Filters and projections fused into the scan, so they run on the worker threads with the decoding.
    private(set) var stages: [PipelineStage] = []
    private var morsels: [(file: Int, rowGroup: Int)]?
    private var nextMorsel = 0
    private var readAhead: ReadAhead?
    private var failure: EngineError?
    /// How this scan shares decoded chunks with the query's other scans of its table.
    private var chunkUse: ChunkCache.Use?
    private var endedChunkUse = false

    /// The filters statistics can test (planning and page pruning share them).
    private var statisticsFilters: [StatisticsPredicate] = []
    /// EXPLAIN ANALYZE's counters.
    let counters = ScanCounters()
    /// The order the scan evaluates its filters in: an access policy's row filters come
    /// first, except that the user's leakproof predicates (which cannot fail or leak) may
    /// run before them, so a selective user predicate spares the policy's work.
    let filterOrder: [BoundExpression]
    /// The output positions the filters read, and the filters over just those columns
    /// (in that order): late materialization decodes these first.
    let filterColumns: [Int]
    let earlyFilters: [BoundExpression]
    /// For each filter, the columns the filters after it read.
    private let columnsReadLater: [Set<Int>]

    override var label: String {
        "Scan \(scan.table.qualifiedName)" + (scan.alias != scan.table.name ? " AS \(scan.alias)" : "")
            + stages.map(\.label).joined()
    }

    /// Runs `stage` on each morsel in the workers; the scan's output becomes the stage's.
    func fuse(_ stage: PipelineStage) {
        stages.append(stage)
        if case let .project(_, fields) = stage { self.fields = fields }
    }
    override var details: [String] { counters.lines }

    /// The table columns the scan itself produces (before fused projections).
    let scanFields: [Field]

    init(scan: TableScan, lake: Lake, fields: [Field], context: ExecutionContext) {
        self.scan = scan
        self.lake = lake
        self.context = context
        self.scanFields = fields
        let policy = Array(scan.filters.prefix(scan.policyFilters))
        let user = Array(scan.filters.dropFirst(scan.policyFilters))
        let order = policy.isEmpty ? scan.filters : user.filter(\.isLeakproof) + policy + user.filter { !$0.isLeakproof }
        self.filterOrder = order
        let referenced = order.reduce(into: Set<Int>()) { $0.formUnion($1.referencedColumns) }.sorted()
        filterColumns = referenced
        earlyFilters = order.map { f in f.remapped { referenced.firstIndex(of: $0) ?? 0 } }
        columnsReadLater = order.indices.map { k in order.dropFirst(k + 1).reduce(into: Set<Int>()) { $0.formUnion($1.referencedColumns) } }
        super.init(fields: fields)
    }

    override func produce() throws(EngineError) -> RecordBatch? {
        if morsels == nil {
            morsels = try plan()
            if morsels?.isEmpty == false { try runSubqueries() }
            // After the subqueries, whose scans of this table (Q18's lineitem) read first.
            chunkUse = context.sharedResults?.chunks.begin(scan.table)
        }
        guard let morsels else { return nil }
        if readAhead == nil {
            readAhead = ReadAhead(count: morsels.count, threads: context.threads) { [weak self] (k: Int) throws(EngineError) -> RecordBatch in
                guard let self else { return RecordBatch(fields: [], columns: [], rowCount: 0) }
                return try self.readMorsel(morsels[k])
            }
        }
        if let failure { throw failure }
        while nextMorsel < morsels.count {
            do throws(EngineError) {
                try context.cancellation?.check()
                let batch = try readAhead!.take(nextMorsel)
                nextMorsel += 1
                if batch.rowCount > 0 { return batch }
            } catch {
                // Reported again if the scan is pulled again: its morsel is gone.
                failure = error
                readAhead?.stop()
                endChunkUse()
                throw error
            }
        }
        endChunkUse()
        return nil
    }

    deinit {
        readAhead?.stop()
        endChunkUse()
    }

    /// Tells the query's chunk cache this scan is done (once), so it can let chunks go.
    private func endChunkUse() {
        guard chunkUse != nil, !endedChunkUse else { return }
        endedChunkUse = true
        context.sharedResults?.chunks.end(scan.table)
    }

    /// One morsel read and put through the fused stages (on a worker thread).
    private func readMorsel(_ morsel: (file: Int, rowGroup: Int)) throws(EngineError) -> RecordBatch {
        var batch = try read(morsel.file, morsel.rowGroup)
        for stage in stages where batch.rowCount > 0 { batch = try stage.apply(batch, context.evaluator) }
        return batch
    }

    /// Runs the uncorrelated subqueries of the scan's filters and projections here, before
    /// the workers start: the first worker to need one would otherwise run the whole
    /// subquery (its own scans and joins) while the other workers wait for it, on one core.
    private func runSubqueries() throws(EngineError) {
        guard let runner = context.evaluator.subqueryRunner else { return }
        var expressions = filterOrder
        for stage in stages {
            switch stage {
            case let .filter(e): expressions.append(e)
            case let .project(es, _): expressions.append(contentsOf: es)
            case .keyFilter: break
            }
        }
        var boxes: [SubqueryBox] = []
        func collect(_ e: BoundExpression) {
            switch e {
            case let .scalarSubquery(box, _), let .inSubquery(_, box, _), let .exists(box, _): boxes.append(box)
            // What CASE and COALESCE may never reach stays lazy, as in PostgreSQL.
            case .caseWhen, .coalesce: return
            default: break
            }
            e.children.forEach(collect)
        }
        expressions.forEach(collect)
        for box in boxes { _ = try box.values(runner) }
    }

    // MARK: pruning

    var fileColumnCount: Int { scan.table.fileColumnCount }

    /// The morsels that survive partition, statistics, bloom filter and dictionary pruning.
    private func plan() throws(EngineError) -> [(file: Int, rowGroup: Int)] {
        let table = scan.table
        var out: [(file: Int, rowGroup: Int)] = []
        // Filters over partition columns only, evaluated per file on its partition values.
        let partitionFilters = scan.filters.filter { f in
            !f.referencedColumns.isEmpty && f.referencedColumns.allSatisfy { scan.columns[$0] >= fileColumnCount }
        }
        statisticsFilters = scan.filters.compactMap { StatisticsPredicate($0, scan: scan) }
        for (fi, file) in table.files.enumerated() {
            if !partitionFilters.isEmpty {
                let constants = partitionBatch(file, rows: 1)
                var keep = true
                for f in partitionFilters {
                    let mask = ExpressionEvaluator.truthMask(try context.evaluator.evaluate(f, constants))
                    if mask.first != 1 { keep = false; break }
                }
                if !keep { counters.file(pruned: true); continue }
            }
            counters.file(pruned: false)
            let parquet: ParquetFile
            do { parquet = try lake.open(file) } catch { throw .io("\(error)") }
            for g in 0..<parquet.rowGroupCount {
                // Cheapest first: footer statistics, then a bloom filter, then a dictionary page.
                if statisticsFilters.contains(where: { $0.excludes(parquet, rowGroup: g, file: file) }) {
                    counters.rowGroup(skipped: .statistics)
                } else if statisticsFilters.contains(where: { $0.excludedByBloomFilter(parquet, rowGroup: g, file: file) }) {
                    counters.rowGroup(skipped: .bloomFilter)
                } else if statisticsFilters.contains(where: { $0.excludedByDictionary(parquet, rowGroup: g, file: file) }) {
                    counters.rowGroup(skipped: .dictionary)
                } else {
                    counters.rowGroup(skipped: nil)
                    out.append((fi, g))
                }
            }
        }
        return out
    }

    /// A batch of `rows` rows holding each output partition column's value for `file`
    /// (other columns NULL), for evaluating partition filters.
    private func partitionBatch(_ file: DataFile, rows: Int) -> RecordBatch {
        let columns = scan.columns.enumerated().map { (i, c) -> Column in
            let type = scanFields[i].type
            if c >= fileColumnCount {
                return ColumnBuilder.constant(Self.value(file.partitionValues[c - fileColumnCount]), type: type, count: rows)
            }
            return ColumnBuilder.constant(.null, type: type, count: rows)
        }
        return RecordBatch(fields: scanFields, columns: columns, rowCount: rows)
    }

    static func value(_ p: PartitionValue) -> Value {
        switch p {
        case .null: .null
        case let .int(v): .int(v)
        case let .date(d): .int(Int64(d))
        case let .string(s): .string(s)
        }
    }

    // MARK: reading

    private func read(_ fileIndex: Int, _ rowGroup: Int) throws(EngineError) -> RecordBatch {
        let file = scan.table.files[fileIndex]
        let parquet: ParquetFile
        do { parquet = try lake.open(file) } catch { throw .io("\(error)") }
        // The file's top-level columns to decode, in scan order.
        var wanted: [Int] = []
        for c in scan.columns where c < fileColumnCount {
            if let k = file.columnIndices[c], !wanted.contains(k) { wanted.append(k) }
        }
        var decoded = RecordBatch(fields: [], columns: [], rowCount: 0)
        // A page index that cannot be read only costs the pruning, not the query.
        let pruned = context.pagePruning ? (try? pageSelection(parquet, file: file, rowGroup: rowGroup, wanted: wanted)) ?? nil : nil
        let selection = pruned?.rows
        if let selection, selection.isEmpty {
            // Every page of some filter column was ruled out: nothing to decode.
            counters.rowGroupEmptiedByPageIndex()
            counters.pages(read: 0, skipped: pruned?.pageCount ?? 0)
            return RecordBatch.empty(scanFields)
        }
        if let late = try readLate(parquet, file: file, rowGroup: rowGroup, wanted: wanted, selection: selection, pageIndex: pruned?.index) {
            return late
        }
        if !wanted.isEmpty {
            decoded = try readColumns(parquet, file: file, rowGroup: rowGroup, columns: wanted, rows: selection, pageIndex: pruned?.index)
        }
        let rows = parquet.metadata.rowGroups[rowGroup].numRows
        let n = wanted.isEmpty ? (selection?.rowCount ?? Int(rows)) : decoded.rowCount
        var columns: [Column] = []
        for i in scan.columns.indices {
            columns.append(outputColumn(i, file: file, decoded: decoded, wanted: wanted, count: n))
        }
        return try filtered(RecordBatch(fields: scanFields, columns: columns, rowCount: n))
    }

    /// The file's `columns` of a row group (at `rows`, all when nil), in that order. Whole
    /// chunks of a table the query scans again are taken from and kept in its `ChunkCache`.
    func readColumns(_ parquet: ParquetFile, file: DataFile, rowGroup: Int, columns: [Int], rows: RowRanges?,
                     pageIndex: RowGroupPageIndex?) throws(EngineError) -> RecordBatch {
        let cached = rows == nil && chunkUse != nil ? context.sharedResults?.chunks : nil
        let keeps = chunkUse == .takeAndKeep
        let table = scan.table
        func key(_ k: Int) -> ChunkCache.Key { ChunkCache.Key(file: file.location, version: file.modified, rowGroup: rowGroup, column: k) }
        var found: [Int: (field: Field, column: Column)] = [:]
        if let cached {
            for k in columns { if let hit = cached.chunk(table, key(k)) { found[k] = hit } }
            if !found.isEmpty { counters.chunksReused(found.count) }
        }
        let missing = columns.filter { found[$0] == nil }
        var read: RecordBatch?
        if !missing.isEmpty {
            do {
                let r = try parquet.readRowGroup(rowGroup, columns: missing, rows: rows, pageIndex: pageIndex)
                counters.pages(read: r.pagesRead, skipped: r.pagesSkipped)
                read = r.batch
            } catch {
                throw .io("reading \(file.location), row group \(rowGroup): \(error)")
            }
        }
        if found.isEmpty, let read {
            if let cached, keeps { for (i, k) in missing.enumerated() { cached.keep(table, key(k), field: read.fields[i], column: read.columns[i]) } }
            return read
        }
        var fields: [Field] = [], out: [Column] = []
        for k in columns {
            if let hit = found[k] {
                fields.append(hit.field)
                out.append(hit.column)
            } else if let read, let i = missing.firstIndex(of: k) {
                fields.append(read.fields[i])
                out.append(read.columns[i])
                if keeps { cached?.keep(table, key(k), field: read.fields[i], column: read.columns[i]) }
            }
        }
        return RecordBatch(fields: fields, columns: out, rowCount: out.first?.count ?? 0)
    }

    /// The rows of a decoded row group that pass every filter, in order. A filter sees the
    /// columns it reads gathered at the rows still passing (the others stay as decoded: it
    /// does not read them), and the rest are gathered once at the end, so Q6's four
    /// filters do not each copy every column of the rows before them.
    private func filtered(_ batch: RecordBatch) throws(EngineError) -> RecordBatch {
        var passing: [Int32]?  // nil: every row so far
        var view = batch
        for (k, f) in filterOrder.enumerated() {
            let keep = Column.selection(ExpressionEvaluator.truthMask(try context.evaluator.evaluate(f, view)))
            if keep.count == view.rowCount { continue }
            if keep.isEmpty { return RecordBatch.empty(scanFields) }
            let rows = passing.map { p in keep.map { p[Int($0)] } } ?? keep
            passing = rows
            let later = columnsReadLater[k]
            view = RecordBatch(fields: batch.fields, columns: batch.columns.indices.map { i in later.contains(i) ? batch.columns[i].take(rows) : batch.columns[i] },
                               rowCount: rows.count)
        }
        guard let passing else { return batch }
        return batch.take(passing)
    }

    /// Output column `i` of the scan for `count` rows: a partition value, a decoded file
    /// column (`decoded` holds the file columns `wanted`), or NULL for a column the file lacks.
    func outputColumn(_ i: Int, file: DataFile, decoded: RecordBatch, wanted: [Int], count: Int) -> Column {
        let c = scan.columns[i], type = scanFields[i].type
        if c >= fileColumnCount {
            return ColumnBuilder.constant(Self.value(file.partitionValues[c - fileColumnCount]), type: type, count: count)
        }
        if let k = file.columnIndices[c], let position = wanted.firstIndex(of: k) {
            return Canonical.convert(decoded.columns[position], to: type)
        }
        return ColumnBuilder.constant(.null, type: type, count: count)
    }

    // MARK: page pruning

    /// The rows of a row group its page index cannot rule out, intersected over the
    /// filters on flat columns, and the page index loaded for them (column indexes of
    /// the filter columns, offset indexes of those and of the columns read). Nil when
    /// no filter column has a usable page index or every row may match. `pageCount`:
    /// the data pages of the read columns, all skipped when no row remains.
    private func pageSelection(_ parquet: ParquetFile, file: DataFile, rowGroup: Int,
                               wanted: [Int]) throws(ParquetError) -> (rows: RowRanges, index: RowGroupPageIndex, pageCount: Int)? {
        let chunks = parquet.metadata.rowGroups[rowGroup].columns
        var filters: [(predicate: StatisticsPredicate, leaf: Int)] = []
        for p in statisticsFilters {
            guard let leaf = p.leaf(in: parquet, file: file), parquet.schema.leaves[leaf].maxRepetitionLevel == 0,
                  chunks[leaf].columnIndexOffset != nil, chunks[leaf].offsetIndexOffset != nil else { continue }
            filters.append((p, leaf))
        }
        guard !filters.isEmpty else { return nil }
        let filterLeaves = Set(filters.map(\.leaf))
        var readLeaves = filterLeaves
        for c in wanted { if let leaf = parquet.schema.columns[c].leafIndex { readLeaves.insert(leaf) } }
        let index = try parquet.pageIndex(rowGroup: rowGroup, columnIndexLeaves: filterLeaves, offsetIndexLeaves: readLeaves)
        var rows: RowRanges?
        for (predicate, leaf) in filters {
            guard let pages = parquet.pageStatistics(index, leaf: leaf) else { continue }
            let kept = predicate.keptRows(pages, leaf: parquet.schema.leaves[leaf])
            rows = rows.map { $0.intersection(kept) } ?? kept
        }
        let groupRows = Int(parquet.metadata.rowGroups[rowGroup].numRows)
        guard let rows, !rows.covers(groupRows) else { return nil }
        var pageCount = 0
        for c in wanted {
            if let leaf = parquet.schema.columns[c].leafIndex { pageCount += index.offsetIndexes[leaf]?.pageLocations.count ?? 0 }
        }
        return (rows, index, pageCount)
    }
}

/// Results written by concurrent workers, one slot each.
final class UnsafeResultBox<T>: @unchecked Sendable {
    private var slots: [Result<T, EngineError>?]
    private let lock = Lock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ r: Result<T, EngineError>) { lock.withLock { slots[i] = r } }
    func get(_ i: Int) -> Result<T, EngineError>? { lock.withLock { slots[i] } }
}

/// A streaming step fused into a scan's workers.
enum PipelineStage {
    case filter(BoundExpression)
    case project([BoundExpression], [Field])
    /// Keeps the rows whose keys a join's probe side has (see `RuntimeKeyFilter`).
    case keyFilter(RuntimeKeyFilter)

    var label: String {
        switch self {
        case .filter: " → Filter"
        case .project: " → Project"
        case .keyFilter: " → Key filter"
        }
    }

    func apply(_ batch: RecordBatch, _ evaluator: ExpressionEvaluator) throws(EngineError) -> RecordBatch {
        switch self {
        case let .filter(predicate):
            return batch.filter(ExpressionEvaluator.truthMask(try evaluator.evaluate(predicate, batch)))
        case let .project(expressions, fields):
            var columns: [Column] = []
            for e in expressions { columns.append(try evaluator.evaluate(e, batch)) }
            return RecordBatch(fields: fields, columns: columns, rowCount: batch.rowCount)
        case let .keyFilter(filter):
            return try filter.apply(batch, evaluator)
        }
    }
}
