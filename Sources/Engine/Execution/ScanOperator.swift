import Columnar
import Dispatch
import Lake
import Parquet

/// Reads a table: prunes files by their partition values and row groups by
/// their statistics against the pushed-down filters, then decodes the
/// remaining row groups (morsels) in parallel waves, converts them to the
/// engine's canonical types, adds partition columns, and applies the filters.
final class ScanOperator: PhysicalOperator, @unchecked Sendable {
    let scan: TableScan
    let lake: Lake
    let context: ExecutionContext
    /// Filters and projections fused into the scan, so they run on the worker threads with the decoding.
    private(set) var stages: [PipelineStage] = []
    private var morsels: [(file: Int, rowGroup: Int)]?
    private var nextMorsel = 0
    private var ready: [RecordBatch] = []

    // EXPLAIN ANALYZE counters.
    private(set) var filesTotal = 0
    private(set) var filesPruned = 0
    private(set) var rowGroupsTotal = 0
    private(set) var rowGroupsPruned = 0
    private(set) var rowGroupsPrunedByBloom = 0

    override var label: String {
        "Scan \(scan.table.qualifiedName)" + (scan.alias != scan.table.name ? " AS \(scan.alias)" : "")
            + stages.map { if case .filter = $0 { " → Filter" } else { " → Project" } }.joined()
    }

    /// Runs `stage` on each morsel in the workers; the scan's output becomes the stage's.
    func fuse(_ stage: PipelineStage) {
        stages.append(stage)
        if case let .project(_, fields) = stage { self.fields = fields }
    }
    override var details: [String] {
        ["files: \(filesTotal - filesPruned) read, \(filesPruned) skipped by partition",
         "row groups: \(rowGroupsTotal - rowGroupsPruned - rowGroupsPrunedByBloom) read, \(rowGroupsPruned) skipped by statistics, "
            + "\(rowGroupsPrunedByBloom) by bloom filters"]
    }

    /// The table columns the scan itself produces (before fused projections).
    let scanFields: [Field]

    init(scan: TableScan, lake: Lake, fields: [Field], context: ExecutionContext) {
        self.scan = scan
        self.lake = lake
        self.context = context
        self.scanFields = fields
        super.init(fields: fields)
    }

    override func produce() throws(EngineError) -> RecordBatch? {
        if morsels == nil { morsels = try plan() }
        while ready.isEmpty {
            guard let morsels, nextMorsel < morsels.count else { return nil }
            let wave = Array(morsels[nextMorsel..<min(morsels.count, nextMorsel + context.threads)])
            nextMorsel += wave.count
            ready = try readWave(wave).reversed()
        }
        return ready.popLast()
    }

    private func readWave(_ wave: [(file: Int, rowGroup: Int)]) throws(EngineError) -> [RecordBatch] {
        let results = UnsafeResultBox<RecordBatch>(count: wave.count)
        DispatchQueue.concurrentPerform(iterations: wave.count) { i in
            do throws(EngineError) {
                var batch = try read(wave[i].file, wave[i].rowGroup)
                for stage in stages where batch.rowCount > 0 { batch = try stage.apply(batch, context.evaluator) }
                results.set(i, .success(batch))
            } catch {
                results.set(i, .failure(error))
            }
        }
        var out: [RecordBatch] = []
        for i in 0..<wave.count {
            switch results.get(i) {
            case let .success(b): if b.rowCount > 0 { out.append(b) }
            case let .failure(e): throw e
            case nil: break
            }
        }
        return out
    }

    // MARK: pruning

    private var fileColumnCount: Int { scan.table.fileColumnCount }

    /// The morsels that survive partition and statistics pruning.
    private func plan() throws(EngineError) -> [(file: Int, rowGroup: Int)] {
        let table = scan.table
        filesTotal = table.files.count
        var out: [(file: Int, rowGroup: Int)] = []
        // Filters over partition columns only, evaluated per file on its partition values.
        let partitionFilters = scan.filters.filter { f in
            !f.referencedColumns.isEmpty && f.referencedColumns.allSatisfy { scan.columns[$0] >= fileColumnCount }
        }
        let statisticsFilters = scan.filters.compactMap { StatisticsPredicate($0, scan: scan) }
        for (fi, file) in table.files.enumerated() {
            if !partitionFilters.isEmpty {
                let constants = partitionBatch(file, rows: 1)
                var keep = true
                for f in partitionFilters {
                    let mask = ExpressionEvaluator.truthMask(try context.evaluator.evaluate(f, constants))
                    if mask.first != 1 { keep = false; break }
                }
                if !keep { filesPruned += 1; continue }
            }
            let parquet: ParquetFile
            do { parquet = try lake.open(file) } catch { throw .io("\(error)") }
            for g in 0..<parquet.rowGroupCount {
                rowGroupsTotal += 1
                if statisticsFilters.contains(where: { $0.excludes(parquet, rowGroup: g, file: file) }) {
                    rowGroupsPruned += 1
                    continue
                }
                if statisticsFilters.contains(where: { $0.excludedByBloomFilter(parquet, rowGroup: g, file: file) }) {
                    rowGroupsPrunedByBloom += 1
                    continue
                }
                out.append((fi, g))
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
        do {
            if !wanted.isEmpty { decoded = try parquet.readRowGroup(rowGroup, columns: wanted) }
        } catch {
            throw .io("reading \(file.location), row group \(rowGroup): \(error)")
        }
        let rows = parquet.metadata.rowGroups[rowGroup].numRows
        let n = wanted.isEmpty ? Int(rows) : decoded.rowCount
        var columns: [Column] = []
        for (i, c) in scan.columns.enumerated() {
            let type = scanFields[i].type
            if c >= fileColumnCount {
                columns.append(ColumnBuilder.constant(Self.value(file.partitionValues[c - fileColumnCount]), type: type, count: n))
            } else if let k = file.columnIndices[c], let position = wanted.firstIndex(of: k) {
                columns.append(Canonical.convert(decoded.columns[position], to: type))
            } else {
                columns.append(ColumnBuilder.constant(.null, type: type, count: n))
            }
        }
        var batch = RecordBatch(fields: scanFields, columns: columns, rowCount: n)
        for f in scan.filters {
            let mask = ExpressionEvaluator.truthMask(try context.evaluator.evaluate(f, batch))
            batch = batch.filter(mask)
            if batch.rowCount == 0 { break }
        }
        return batch
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

/// A filter conjunct of the form `column op constant` (or IS NULL, IN list) that
/// row-group statistics can disprove.
struct StatisticsPredicate {
    let column: Int
    let test: Test

    enum Test {
        case compare(ComparisonOperator, Value)
        case isNull
        case inList([Value])
    }

    init?(_ e: BoundExpression, scan: TableScan) {
        func col(_ x: BoundExpression) -> Int? {
            if case let .column(i, _) = x, scan.columns[i] < scan.table.fileColumnCount { return scan.columns[i] }
            return nil
        }
        switch e {
        case let .compare(op, a, .constant(v, _)) where !v.isNull:
            guard let c = col(a) else { return nil }
            column = c
            test = .compare(op, v)
        case let .compare(op, .constant(v, _), b) where !v.isNull:
            guard let c = col(b) else { return nil }
            column = c
            test = .compare(op.flipped, v)
        case let .isNull(a, false):
            guard let c = col(a) else { return nil }
            column = c
            test = .isNull
        case let .inList(a, values, false):
            guard let c = col(a) else { return nil }
            column = c
            test = .inList(values)
        default:
            return nil
        }
    }

    func excludes(_ parquet: ParquetFile, rowGroup: Int, file: DataFile) -> Bool {
        guard let top = file.columnIndices[column], top < parquet.schema.columns.count,
              let leaf = parquet.schema.columns[top].leafIndex,
              let stats = parquet.statistics(rowGroup: rowGroup, leaf: leaf) else { return false }
        let leafColumn = parquet.schema.leaves[leaf]
        switch test {
        case .isNull:
            return stats.nullCount == 0
        case let .compare(op, v):
            guard let lo = stats.min, let hi = stats.max, let c = Self.statisticsValue(v, leaf: leafColumn, like: lo) else { return false }
            switch op {
            case .equal: return c < lo || hi < c
            case .less: return !(lo < c)
            case .lessOrEqual: return c < lo
            case .greater: return !(c < hi)
            case .greaterOrEqual: return hi < c
            case .notEqual: return lo == hi && lo == c && stats.nullCount == 0
            }
        case let .inList(values):
            guard let lo = stats.min, let hi = stats.max else { return false }
            for v in values {
                guard let c = Self.statisticsValue(v, leaf: leafColumn, like: lo) else { return false }
                if !(c < lo || hi < c) { return false }
            }
            return true
        }
    }

    /// Equality tests: whether the row group's bloom filter (when it has one) rules out every value.
    func excludedByBloomFilter(_ parquet: ParquetFile, rowGroup: Int, file: DataFile) -> Bool {
        let values: [Value]
        switch test {
        case let .compare(.equal, v): values = [v]
        case let .inList(vs): values = vs
        default: return false
        }
        guard let top = file.columnIndices[column], top < parquet.schema.columns.count,
              let leaf = parquet.schema.columns[top].leafIndex,
              let filter = try? parquet.bloomFilter(rowGroup: rowGroup, leaf: leaf) else { return false }
        let leafColumn = parquet.schema.leaves[leaf]
        for v in values {
            // Hash the value as the writer did: its PLAIN encoding for the physical type.
            switch (leafColumn.physicalType, v) {
            case let (.int32, .int(x)): if filter.mightContain(Int32(truncatingIfNeeded: x)) { return false }
            case let (.int32, .decimal(x)): if filter.mightContain(Int32(truncatingIfNeeded: x)) { return false }
            case let (.int64, .int(x)):
                if case .timestamp(let unit, _) = leafColumn.dataType(), unit != .microsecond { return false }
                if filter.mightContain(x) { return false }
            case let (.int64, .decimal(x)): if filter.mightContain(Int64(truncatingIfNeeded: x)) { return false }
            case let (.byteArray, .string(s)): if filter.mightContain(Array(s.utf8)) { return false }
            case let (.byteArray, .bytes(b)): if filter.mightContain(b) { return false }
            default: return false
            }
        }
        return true
    }

    /// The constant in the statistics' representation; nil when the two cannot be compared
    /// exactly (then nothing is pruned).
    static func statisticsValue(_ v: Value, leaf: LeafColumn, like sample: StatisticsValue) -> StatisticsValue? {
        let type = leaf.dataType()
        switch (v, sample) {
        case let (.int(x), .signed):
            switch type {
            case .timestamp(let unit, _), .time(let unit):
                guard unit == .microsecond else { return nil }
                return .signed(x)
            default: return .signed(x)
            }
        case let (.int(x), .unsigned): return x >= 0 ? .unsigned(UInt64(x)) : nil
        case let (.decimal(x), .decimal): return .decimal(x)
        case let (.int(x), .decimal): return .decimal(Int128(x))
        case let (.decimal(x), .unsigned): return x >= 0 && x <= Int128(UInt64.max) ? .unsigned(UInt64(x)) : nil
        case let (.string(s), .bytes): return .bytes(Array(s.utf8))
        case let (.bytes(b), .bytes): return .bytes(b)
        case let (.boolean(b), .boolean): return .boolean(b)
        default: return nil
        }
    }
}

/// A streaming step fused into a scan's workers.
enum PipelineStage {
    case filter(BoundExpression)
    case project([BoundExpression], [Field])

    func apply(_ batch: RecordBatch, _ evaluator: ExpressionEvaluator) throws(EngineError) -> RecordBatch {
        switch self {
        case let .filter(predicate):
            return batch.filter(ExpressionEvaluator.truthMask(try evaluator.evaluate(predicate, batch)))
        case let .project(expressions, fields):
            var columns: [Column] = []
            for e in expressions { columns.append(try evaluator.evaluate(e, batch)) }
            return RecordBatch(fields: fields, columns: columns, rowCount: batch.rowCount)
        }
    }
}
