import Columnar
import Dispatch

/// EXISTS / IN (semi) and NOT EXISTS / NOT IN (anti) joins whose right input is
/// the larger: the left rows are hashed and the right input streams past them,
/// marking the left rows it matches (after the residual condition). Output: the
/// left rows that matched (semi) or did not (anti), in left order.
///
/// A right row whose key no left row has matches nothing, so once the left side is
/// hashed its keys go into the scan the right keys come from (`rightSideFilter`,
/// set by the planner): TPC-H Q22's NOT EXISTS reads the orders of 19,000
/// customers, not all 1.5M. The right batches are probed in slices on all threads.
final class SemiJoinOperator: PhysicalOperator {
    let left: PhysicalOperator
    let right: PhysicalOperator
    let anti: Bool
    let predicate: JoinPredicate
    let context: ExecutionContext
    private var done = false
    /// Filled with the left keys once hashed: the right side's scan drops rows no left row matches.
    var rightSideFilter: RuntimeKeyFilter?
    override var children: [PhysicalOperator] { [left, right] }
    override var label: String {
        "HashJoin (\(anti ? "anti" : "semi"), left side hashed)" + (rightSideFilter == nil ? "" : " → key filter into right side")
    }
    override var details: [String] { [rightSideFilter?.summary].compactMap { $0 } }
    /// Right batches below this many rows are probed on the calling thread.
    static let parallelSliceRows = 16_384

    init(left: PhysicalOperator, right: PhysicalOperator, anti: Bool, predicate: JoinPredicate, context: ExecutionContext) {
        self.left = left
        self.right = right
        self.anti = anti
        self.predicate = predicate
        self.context = context
        super.init(fields: left.fields)
    }

    override func produce() throws(EngineError) -> RecordBatch? {
        guard !done else { return nil }
        done = true
        let build = try drain(left, context: context)
        let n = build.rowCount
        let encoder = KeyEncoder()
        var keyColumns: [Column] = []
        for k in predicate.leftKeys { keyColumns.append(try context.evaluator.evaluate(k, build)) }
        let keys = GroupTable.batch(keyColumns, encoder: encoder)
        let table = GroupTable(width: keyColumns.count, capacity: n)
        var added: [Int32] = []
        let ids = table.findOrInsert(keys, added: &added)
        var heads = [Int32](repeating: -1, count: table.count)
        var chain = [Int32](repeating: -1, count: n)
        var leftNullKey = [Bool](repeating: false, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            if table.hasNull(keys, i) { leftNullKey[i] = true; continue }
            chain[i] = heads[Int(ids[i])]
            heads[Int(ids[i])] = Int32(i)
        }
        rightSideFilter?.fill(keyColumns, table: table)
        var matched = [Bool](repeating: false, count: n)
        var rightRows = 0
        var rightHasNullKey = false
        while let probe = try right.next() {
            rightRows += probe.rowCount
            var probeColumns: [Column] = []
            for k in predicate.rightKeys { probeColumns.append(try context.evaluator.evaluate(k, probe)) }
            let probeKeys = GroupTable.batch(probeColumns, encoder: encoder)
            let found = find(probeKeys, in: table)
            var leftRows: [Int32] = [], pairRows: [Int32] = []
            for j in 0..<probe.rowCount {
                if table.hasNull(probeKeys, j) { rightHasNullKey = true; continue }
                guard found[j] >= 0 else { continue }
                var i = heads[Int(found[j])]
                while i >= 0 {
                    if predicate.residual == nil {
                        matched[Int(i)] = true
                    } else if !matched[Int(i)] {
                        leftRows.append(i)
                        pairRows.append(Int32(j))
                    }
                    i = chain[Int(i)]
                }
            }
            if let residual = predicate.residual, !leftRows.isEmpty {
                let pairs = RecordBatch(fields: left.fields + right.fields,
                                        columns: build.take(leftRows).columns + probe.take(pairRows).columns, rowCount: leftRows.count)
                let mask = ExpressionEvaluator.truthMask(try context.evaluator.evaluate(residual, pairs))
                for k in 0..<mask.count where mask[k] != 0 { matched[Int(leftRows[k])] = true }
            }
        }
        // NOT IN against a subquery holding a NULL: nothing qualifies (unless the subquery is empty).
        if anti && predicate.nullAware && rightHasNullKey && rightRows > 0 { return RecordBatch.empty(fields) }
        var keep: [Int32] = []
        for i in 0..<n {
            if anti {
                if matched[i] { continue }
                if predicate.nullAware && leftNullKey[i] && rightRows > 0 { continue }
                keep.append(Int32(i))
            } else if matched[i] {
                keep.append(Int32(i))
            }
        }
        return build.take(keep)
    }

    /// Each row's id in `table` (-1: absent), slices of a large batch looked up concurrently.
    private func find(_ keys: GroupTable.Batch, in table: GroupTable) -> [Int32] {
        let ranges = Parallel.ranges(keys.count, parts: context.threads, minimum: Self.parallelSliceRows)
        guard ranges.count > 1 else { return table.find(keys) }
        return [Int32](unsafeUninitializedCapacity: keys.count) { out, initialized in
            let shared = UncheckedSendable((keys, table, out.baseAddress!))
            DispatchQueue.concurrentPerform(iterations: ranges.count) { j in
                let (keys, table, out) = shared.value
                table.find(keys, rows: ranges[j], into: out + ranges[j].lowerBound)
            }
            initialized = keys.count
        }
    }
}
