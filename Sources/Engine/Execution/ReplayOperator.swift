import Columnar

/// Batches already read, served again, then (optionally) the rest of the operator
/// they were read from: a recursive term's working table, or the rows an adaptive
/// join read ahead before choosing its strategy.
final class ReplayOperator: PhysicalOperator {
    private var batches: ArraySlice<RecordBatch>
    private let rest: PhysicalOperator?
    /// Where the batches came from (EXPLAIN ANALYZE shows its tree and counts).
    private let origin: PhysicalOperator?
    private let name: String
    override var label: String { name }
    override var children: [PhysicalOperator] { origin.map { [$0] } ?? [] }

    init(fields: [Field], batches: [RecordBatch], then rest: PhysicalOperator? = nil, from origin: PhysicalOperator? = nil, label: String) {
        self.batches = batches[...]
        self.rest = rest
        self.origin = origin ?? rest
        name = label
        super.init(fields: fields)
    }

    override func produce() throws(EngineError) -> RecordBatch? {
        if let b = batches.popFirst() { return RecordBatch(fields: fields, columns: b.columns, rowCount: b.rowCount) }
        return try rest?.next()
    }
}
