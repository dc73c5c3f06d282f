import Columnar

/// WITH RECURSIVE, as PostgreSQL evaluates it: the anchor's rows are the first
/// round; each later round runs the recursive term over the rows the previous
/// round added (its working table) and ends the recursion when it adds none.
/// Rows stream out as they are found, so `LIMIT` over an endless recursion stops
/// it. The recursive term is planned again for every round: its operators hold
/// per-run state, and the working table changes. Rounds are bounded only by the
/// query's memory limit and its cancellation (statement_timeout), as in PostgreSQL.
final class RecursiveUnionOperator: PhysicalOperator {
    let anchor: PhysicalOperator
    let union: RecursiveUnion
    let planner: PhysicalPlanner
    let context: ExecutionContext
    /// The current round's operator tree (the anchor's in round 0).
    private var current: PhysicalOperator
    /// What this round added: the next round's working table.
    private var added: [RecordBatch] = []
    private var addedBytes = 0
    private var workingBytes = 0
    private var seenBytes = 0
    private(set) var rounds = 0
    /// UNION without ALL: every row seen, by its encoded key.
    private let encoder = KeyEncoder()
    private var seen = Set<KeyRow>()
    override var children: [PhysicalOperator] { [anchor] }
    override var label: String { "Recursive Union\(union.distinct ? "" : " All") \(union.name)" }
    override var details: [String] { ["rounds: \(rounds)"] }

    init(union: RecursiveUnion, anchor: PhysicalOperator, planner: PhysicalPlanner, context: ExecutionContext) {
        self.union = union
        self.anchor = anchor
        self.planner = planner
        self.context = context
        current = anchor
        super.init(fields: union.fields)
    }

    deinit {
        context.release(addedBytes + workingBytes + seenBytes)
    }

    override func produce() throws(EngineError) -> RecordBatch? {
        while true {
            if let batch = try current.next() {
                guard let kept = try keep(batch) else { continue }
                return kept
            }
            // The round is over: its rows become the working table of the next one.
            guard !added.isEmpty else { return nil }
            rounds += 1
            var next = planner
            next.workingTables[union.id] = added
            context.release(workingBytes)
            workingBytes = addedBytes
            added = []
            addedBytes = 0
            current = next.build(union.recursive)
        }
    }

    /// The batch's new rows (all of them under UNION ALL), remembered for the next round.
    private func keep(_ batch: RecordBatch) throws(EngineError) -> RecordBatch? {
        var out = RecordBatch(fields: fields, columns: batch.columns, rowCount: batch.rowCount)
        if union.distinct {
            let rows = encoder.encodeRows(batch.columns, rowCount: batch.rowCount)
            var keep: [Int32] = []
            for i in 0..<batch.rowCount where seen.insert(rows[i]).inserted { keep.append(Int32(i)) }
            if keep.isEmpty { return nil }
            if keep.count < batch.rowCount { out = out.take(keep) }
            // The seen set's slots, and the kept rows' size again for the text its encoder interns.
            let bytes = keep.count * MemoryLayout<KeyRow>.stride * 2 + out.byteSize
            try context.reserve(bytes)
            seenBytes += bytes
        }
        if out.rowCount == 0 { return nil }
        try context.reserve(out.byteSize)
        addedBytes += out.byteSize
        added.append(out)
        return out
    }
}
