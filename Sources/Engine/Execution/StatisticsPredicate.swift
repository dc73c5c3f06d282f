import Columnar
import Lake
import Parquet

/// A filter conjunct of the form `column op constant` (or IS NULL, IN list) that
/// statistics can disprove: a row group's (its column chunk statistics), a page's
/// (the page index), and for equality a row group's bloom filter or dictionary.
/// One comparison logic, `excludes(_:leaf:)`, serves row groups and pages.
struct StatisticsPredicate {
    /// The table column (below `fileColumnCount`).
    let column: Int
    let test: Test

    enum Test {
        case compare(ComparisonOperator, Value)
        case isNull
        case inList([Value])
    }

    init?(_ e: BoundExpression, scan: TableScan) {
        func col(_ x: BoundExpression) -> Int? {
            switch x {
            case let .column(i, _) where scan.columns[i] < scan.table.fileColumnCount: return scan.columns[i]
            // `smallint_column = 5` binds as a widening cast of the column: same values, same order.
            case let .cast(inner, to) where Self.isWidening(inner.type, to): return col(inner)
            default: return nil
            }
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

    /// Whether every value of `from` keeps its value (and so its order) as `to`.
    static func isWidening(_ from: DataType, _ to: DataType) -> Bool {
        func bits(_ t: DataType) -> (bits: Int, signed: Bool)? {
            switch t {
            case .int8: (8, true)
            case .int16: (16, true)
            case .int32: (32, true)
            case .int64: (64, true)
            case .uint8: (8, false)
            case .uint16: (16, false)
            case .uint32: (32, false)
            default: nil
            }
        }
        guard let f = bits(from), let t = bits(to), t.signed else { return false }
        return f.signed ? t.bits >= f.bits : t.bits > f.bits
    }

    /// The file's leaf holding the column, when it is a primitive top-level column.
    func leaf(in parquet: ParquetFile, file: DataFile) -> Int? {
        guard let top = file.columnIndices[column], top < parquet.schema.columns.count else { return nil }
        return parquet.schema.columns[top].leafIndex
    }

    /// Whether no row described by `stats` (a column chunk's or a page's) can satisfy the test.
    func excludes(_ stats: PruningStatistics, leaf: LeafColumn) -> Bool {
        // Only NULLs: no comparison is true (a flat leaf has one value per row).
        let allNull = leaf.maxRepetitionLevel == 0 && stats.rowCount > 0 && stats.nullCount == stats.rowCount
        switch test {
        case .isNull:
            return stats.nullCount == 0
        case let .compare(op, v):
            if allNull { return true }
            guard let lo = stats.min, let hi = stats.max, let c = Self.statisticsValue(v, leaf: leaf) else { return false }
            switch op {
            case .equal: return c < lo || hi < c
            case .less: return !(lo < c)
            case .lessOrEqual: return c < lo
            case .greater: return !(c < hi)
            case .greaterOrEqual: return hi < c
            case .notEqual: return lo == hi && lo == c && stats.nullCount == 0
            }
        case let .inList(values):
            if allNull { return true }
            guard let lo = stats.min, let hi = stats.max else { return false }
            for v in values {
                guard let c = Self.statisticsValue(v, leaf: leaf) else { return false }
                if !(c < lo || hi < c) { return false }
            }
            return true
        }
    }

    /// Row-group statistics: whether the whole row group is ruled out.
    func excludes(_ parquet: ParquetFile, rowGroup: Int, file: DataFile) -> Bool {
        guard let leaf = leaf(in: parquet, file: file), let stats = parquet.statistics(rowGroup: rowGroup, leaf: leaf) else { return false }
        return excludes(stats, leaf: parquet.schema.leaves[leaf])
    }

    /// Page index: the rows of the pages the test cannot rule out.
    func keptRows(_ pages: [PageStatistics], leaf: LeafColumn) -> RowRanges {
        RowRanges(pages.filter { !excludes($0.statistics, leaf: leaf) }.map(\.rows))
    }

    /// The constants of an equality test (`=` or IN), else nil.
    private var equalityValues: [Value]? {
        switch test {
        case let .compare(.equal, v): [v]
        case let .inList(vs): vs
        default: nil
        }
    }

    /// Equality tests: whether the row group's bloom filter (when it has one) rules out every value.
    func excludedByBloomFilter(_ parquet: ParquetFile, rowGroup: Int, file: DataFile) -> Bool {
        guard let values = equalityValues, let leaf = leaf(in: parquet, file: file),
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

    /// Equality tests on a chunk whose data pages are all dictionary-encoded: whether its
    /// dictionary page holds none of the values (reads that page only).
    func excludedByDictionary(_ parquet: ParquetFile, rowGroup: Int, file: DataFile) -> Bool {
        guard let values = equalityValues, let leaf = leaf(in: parquet, file: file) else { return false }
        let leafColumn = parquet.schema.leaves[leaf]
        var wanted: [StatisticsValue] = []
        for v in values {
            guard let c = Self.statisticsValue(v, leaf: leafColumn) else { return false }
            wanted.append(c)
        }
        // A dictionary that cannot be read proves nothing; the row group's read reports it.
        guard let found = try? parquet.dictionaryContainsAny(rowGroup: rowGroup, leaf: leaf, of: wanted) else { return false }
        return found == false
    }

    /// The constant in the column's statistics form; nil when the two cannot be compared
    /// exactly (then nothing is pruned).
    static func statisticsValue(_ v: Value, leaf: LeafColumn) -> StatisticsValue? {
        guard let kind = leaf.statisticsKind else { return nil }
        switch (v, kind) {
        case let (.int(x), .signed):
            switch leaf.dataType() {
            case .timestamp(let unit, _), .time(let unit):
                // The engine's values are microseconds; other units would need scaling.
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
