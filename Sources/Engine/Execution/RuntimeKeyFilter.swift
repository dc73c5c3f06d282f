import Columnar

/// Sideways information passing into an aggregation on one side of a join.
///
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
    /// read ahead (then every row passes).
    private var table: GroupTable?
    private(set) var keyCount = 0
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

    init(expressions: [BoundExpression]) {
        self.expressions = expressions
    }

    /// Called once, before the filtered side is read.
    func fill(_ keyColumns: [Column]) {
        let keys = GroupTable.batch(keyColumns, encoder: KeyEncoder())
        let table = GroupTable(width: keyColumns.count, capacity: max(16, keys.count))
        var added: [Int32] = []
        _ = table.findOrInsert(keys, added: &added)
        self.table = table
        keyCount = table.count
    }

    /// Keeps the rows whose key the probe side has (a NULL key never matches).
    func apply(_ batch: RecordBatch, _ evaluator: ExpressionEvaluator) throws(EngineError) -> RecordBatch {
        guard let table, batch.rowCount > 0 else { return batch }
        var columns: [Column] = []
        for e in expressions { columns.append(try evaluator.evaluate(e, batch)) }
        let keys = GroupTable.batch(columns, encoder: KeyEncoder())
        let ids = table.find(keys)
        var mask = [UInt8](repeating: 0, count: batch.rowCount)
        for i in 0..<batch.rowCount where ids[i] >= 0 && !table.hasNull(keys, i) { mask[i] = 1 }
        let kept = batch.filter(mask)
        lock.withLock {
            tested += batch.rowCount
            self.kept += kept.rowCount
        }
        return kept
    }

    var summary: String {
        let (tested, kept) = lock.withLock { (self.tested, self.kept) }
        return table == nil ? "key filter: not used (the other side was too large to read ahead)"
            : "key filter: \(keyCount) keys, \(kept) of \(tested) rows kept"
    }
}
