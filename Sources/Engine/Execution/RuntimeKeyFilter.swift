import Columnar

/// Sideways information passing: one side of a join's keys restrict what the
/// other side reads, before the join.
///
/// Into a probe-side scan: once the build side is hashed, the probe scan's workers
/// drop rows whose key the build side lacks, so the join probes and copies only
/// rows that can match (TPC-H Q9 keeps 319,404 of lineitem's 6M rows for the parts
/// named like '%green%'). One integer key over a modest range is tested against a
/// bitmap; where the filter keeps most rows it turns itself off after a sample.
///
/// Into an aggregation on one side of a join:
/// A decorrelated subquery becomes `outer ⟕ (SELECT key, agg(...) GROUP BY key)`:
/// the aggregation reads the whole table although the outer side needs few keys
/// (TPC-H Q17 keeps 204 parts of 200,000, Q20 about 8,000 part/supplier pairs).
/// The join puts the other side's keys in this filter before the aggregation runs
/// (the build side's keys once built; the probe side's by reading it ahead), and
/// the aggregation's input keeps only rows whose group key is among them. Whole
/// groups are kept or dropped, so the aggregates do not change, and the planner
/// only filters a side whose unmatched rows the join drops.
final class RuntimeKeyFilter: @unchecked Sendable {
    /// The group keys, over the aggregation's input.
    let expressions: [BoundExpression]
    /// The other side's keys; nil while unfilled or when that side was too large to
    /// read ahead (then every row passes). Several keys are looked up here exactly.
    private var table: GroupTable?
    /// Per key column whose values span a modest range, a bitmap of the other side's
    /// values: one key's test is exact; with several, a row must pass every bitmap before
    /// the table is probed (TPC-H Q9: 95% of partsupp fails ps_partkey's bitmap alone).
    private var bitmaps: [KeyBitmap] = []
    private(set) var keyCount = 0
    private var filled = false

    /// Bit (key - minimum) set for each key value the other side has.
    struct KeyBitmap {
        var position: Int
        var words: [UInt64]
        var minimum: Int64
    }
    /// Set when a sample showed the filter keeps nearly every row: then it costs more than it saves.
    private var disabled = false
    /// Only a probe-side filter of a join gives up; an aggregation's filter stays.
    let adaptive: Bool
    /// Rows tested and kept (EXPLAIN ANALYZE); the scan's workers add concurrently.
    private let lock = Lock()
    private var tested = 0
    private var kept = 0

    /// Only types whose key code is the value itself (no interning, so threads can
    /// encode concurrently and both sides agree without sharing an encoder).
    static func supports(_ type: DataType) -> Bool {
        switch type {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .date32: true
        default: false
        }
    }

    init(expressions: [BoundExpression], adaptive: Bool = false) {
        self.expressions = expressions
        self.adaptive = adaptive
    }

    /// Bits at most this many per key, and at most this many in all (8 MB); any key set
    /// within a span of `smallBitmapBits` (1 MB, about a core's L2) gets a bitmap.
    static let bitsPerKey: Int64 = 64
    static let maximumBits: Int64 = 1 << 26
    static let smallBitmapBits: Int64 = 1 << 23
    /// Rows tested before an adaptive filter may give up, and the share it must drop to stay.
    static let sampleRows = 200_000

    /// Called once, before the filtered side is read. `table`: the join's own hash table of
    /// these keys, probed instead of a copy where no bitmap fits.
    func fill(_ keyColumns: [Column], table joinTable: GroupTable? = nil) {
        // Built aside and published under the lock: a probe side's scan may already be
        // reading ahead (a join that read it ahead to filter its build side).
        let bitmaps = keyColumns.indices.compactMap { k in Self.bitmap(keyColumns[k].materialized(), position: k) }
        var table: GroupTable?
        var keyCount = 0
        if keyColumns.count == 1, let only = bitmaps.first {
            keyCount = only.words.reduce(0) { $0 + $1.nonzeroBitCount }
        } else if let joinTable {
            table = joinTable
            keyCount = joinTable.count
        } else {
            let keys = GroupTable.batch(keyColumns, encoder: KeyEncoder())
            let own = GroupTable(width: keyColumns.count, capacity: max(16, keys.count))
            var added: [Int32] = []
            _ = own.findOrInsert(keys, added: &added)
            table = own
            keyCount = own.count
        }
        lock.withLock {
            self.filled = true
            self.bitmaps = bitmaps
            self.table = table
            self.keyCount = keyCount
        }
    }

    /// The bitmap of one integer key column's values, when they span a modest range.
    private static func bitmap(_ column: Column, position: Int) -> KeyBitmap? {
        var low = Int64.max, high = Int64.min, count = 0
        func scan<T: BinaryInteger>(_ values: [T]) {
            for i in values.indices where !column.isNull(i) {
                let v = Int64(values[i])
                low = min(low, v)
                high = max(high, v)
                count += 1
            }
        }
        switch column.storage {
        case let .int32(v): scan(v)
        case let .int64(v): scan(v)
        default: return nil
        }
        if count == 0 { return KeyBitmap(position: position, words: [], minimum: 0) }
        let (span, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow, span < maximumBits, span < max(smallBitmapBits, Int64(count) * bitsPerKey) else { return nil }
        var words = [UInt64](repeating: 0, count: Int(span >> 6) + 1)
        func set<T: BinaryInteger>(_ values: [T]) {
            for i in values.indices where !column.isNull(i) {
                let bit = Int(Int64(values[i]) &- low)
                words[bit >> 6] |= 1 << UInt64(bit & 63)
            }
        }
        switch column.storage {
        case let .int32(v): set(v)
        case let .int64(v): set(v)
        default: return nil
        }
        return KeyBitmap(position: position, words: words, minimum: low)
    }

    /// Keeps the rows whose key the probe side has (a NULL key never matches).
    func apply(_ batch: RecordBatch, _ evaluator: ExpressionEvaluator) throws(EngineError) -> RecordBatch {
        let (table, bitmaps, off) = lock.withLock { (self.table, self.bitmaps, self.disabled) }
        guard table != nil || !bitmaps.isEmpty, batch.rowCount > 0 else { return batch }
        if adaptive, off { return batch }
        var columns: [Column] = []
        for e in expressions { columns.append(try evaluator.evaluate(e, batch)) }
        var kept = batch
        if !bitmaps.isEmpty {
            var mask = [UInt8](repeating: 1, count: batch.rowCount)
            for b in bitmaps {
                let column = columns[b.position].materialized()
                switch column.storage {
                case let .int32(v): Self.probe(b.words, minimum: b.minimum, v, column.validity, into: &mask)
                case let .int64(v): Self.probe(b.words, minimum: b.minimum, v, column.validity, into: &mask)
                default: return batch
                }
            }
            kept = batch.filter(mask)
            if table != nil, kept.rowCount > 0 {
                let keys = RecordBatch(fields: columns.map { Field("", $0.type) }, columns: columns, rowCount: batch.rowCount)
                columns = keys.filter(mask).columns
            }
        }
        if let table, kept.rowCount > 0 {
            let keys = GroupTable.batch(columns, encoder: KeyEncoder())
            let ids = table.find(keys)
            var mask = [UInt8](repeating: 0, count: kept.rowCount)
            for i in 0..<kept.rowCount where ids[i] >= 0 && !table.hasNull(keys, i) { mask[i] = 1 }
            kept = kept.filter(mask)
        }
        lock.withLock {
            tested += batch.rowCount
            self.kept += kept.rowCount
            if adaptive, tested >= Self.sampleRows, self.kept * 10 > tested * 8 { disabled = true }
        }
        return kept
    }

    /// Clears mask[i] where values[i] is NULL or its bit is not set.
    @inline(__always)
    private static func probe<T: BinaryInteger>(_ bitmap: [UInt64], minimum: Int64, _ values: [T], _ validity: Bitmap?,
                                                into mask: inout [UInt8]) {
        let bits = UInt64(bitmap.count) << 6
        bitmap.withUnsafeBufferPointer { words in
            values.withUnsafeBufferPointer { v in
                mask.withUnsafeMutableBufferPointer { m in
                    for i in 0..<v.count {
                        let offset = UInt64(bitPattern: Int64(v[i]) &- minimum)
                        // An offset below the minimum wraps to a huge unsigned value: out of range too.
                        guard offset < bits else { m[i] = 0; continue }
                        m[i] &= UInt8(truncatingIfNeeded: (words[Int(offset >> 6)] >> (offset & 63)) & 1)
                    }
                }
            }
        }
        if let validity {
            for i in 0..<values.count where !validity[i] { mask[i] = 0 }
        }
    }

    var summary: String {
        let (tested, kept, disabled) = lock.withLock { (self.tested, self.kept, self.disabled) }
        if !filled { return "key filter: not used (the other side was too large to read ahead, or was read whole first)" }
        let how = table == nil ? " (bitmap)" : bitmaps.isEmpty ? "" : " (\(bitmaps.count) key bitmap\(bitmaps.count == 1 ? "" : "s") first)"
        return "key filter: \(keyCount) keys\(how), \(kept) of \(tested) rows kept"
            + (disabled ? " (then off: it kept nearly every row)" : "")
    }
}
