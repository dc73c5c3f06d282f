import Columnar

/// SELECT DISTINCT: keeps the first row of each distinct row value.
final class DistinctOperator: PhysicalOperator {
    let input: PhysicalOperator
    private let encoder = KeyEncoder()
    private var seen = Set<KeyRow>()
    override var children: [PhysicalOperator] { [input] }
    override var label: String { "Distinct" }

    init(input: PhysicalOperator) {
        self.input = input
        super.init(fields: input.fields)
    }

    override func produce() throws(EngineError) -> RecordBatch? {
        while let batch = try input.next() {
            let rows = encoder.encodeRows(batch.columns, rowCount: batch.rowCount)
            var keep: [Int32] = []
            for i in 0..<batch.rowCount where seen.insert(rows[i]).inserted { keep.append(Int32(i)) }
            if !keep.isEmpty { return batch.take(keep) }
        }
        return nil
    }
}

/// UNION [ALL], INTERSECT [ALL], EXCEPT [ALL] (inputs already cast to common types).
final class SetOperationOperator: PhysicalOperator {
    let left: PhysicalOperator
    let right: PhysicalOperator
    let kind: SetOperationKind
    let all: Bool
    let context: ExecutionContext
    private var stage = 0
    private let encoder = KeyEncoder()
    private var seen = Set<KeyRow>()
    private var rightCounts: [KeyRow: Int] = [:]
    override var children: [PhysicalOperator] { [left, right] }
    override var label: String { "\(kind.rawValue.capitalized)\(all ? " All" : "")" }

    init(kind: SetOperationKind, all: Bool, left: PhysicalOperator, right: PhysicalOperator, fields: [Field], context: ExecutionContext) {
        self.kind = kind
        self.all = all
        self.left = left
        self.right = right
        self.context = context
        super.init(fields: fields)
    }

    private func relabel(_ b: RecordBatch) -> RecordBatch {
        RecordBatch(fields: fields, columns: b.columns, rowCount: b.rowCount)
    }

    override func produce() throws(EngineError) -> RecordBatch? {
        switch kind {
        case .union:
            while stage < 2 {
                guard let batch = try (stage == 0 ? left : right).next() else { stage += 1; continue }
                if all { return relabel(batch) }
                let rows = encoder.encodeRows(batch.columns, rowCount: batch.rowCount)
                var keep: [Int32] = []
                for i in 0..<batch.rowCount where seen.insert(rows[i]).inserted { keep.append(Int32(i)) }
                if !keep.isEmpty { return relabel(batch.take(keep)) }
            }
            return nil
        case .intersect, .except:
            if stage == 0 {
                while let batch = try right.next() {
                    for r in encoder.encodeRows(batch.columns, rowCount: batch.rowCount) { rightCounts[r, default: 0] += 1 }
                }
                stage = 1
            }
            while let batch = try left.next() {
                let rows = encoder.encodeRows(batch.columns, rowCount: batch.rowCount)
                var keep: [Int32] = []
                for i in 0..<batch.rowCount {
                    let r = rows[i]
                    let available = rightCounts[r] ?? 0
                    if kind == .intersect {
                        if all {
                            if available > 0 { rightCounts[r] = available - 1; keep.append(Int32(i)) }
                        } else if available > 0, seen.insert(r).inserted {
                            keep.append(Int32(i))
                        }
                    } else {
                        if all {
                            if available > 0 { rightCounts[r] = available - 1 } else { keep.append(Int32(i)) }
                        } else if available == 0, seen.insert(r).inserted {
                            keep.append(Int32(i))
                        }
                    }
                }
                if !keep.isEmpty { return relabel(batch.take(keep)) }
            }
            return nil
        }
    }
}
