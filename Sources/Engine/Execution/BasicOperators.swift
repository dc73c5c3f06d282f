import Columnar
import Dispatch

/// Literal rows.
final class ValuesOperator: PhysicalOperator {
    private var rows: [[Value]]?

    init(fields: [Field], rows: [[Value]]) {
        self.rows = rows
        super.init(fields: fields)
    }

    override func produce() throws(EngineError) -> RecordBatch? {
        guard let rows else { return nil }
        self.rows = nil
        var builders = fields.map { ColumnBuilder(type: $0.type, capacity: rows.count) }
        for row in rows { for (i, v) in row.enumerated() { builders[i].append(v) } }
        return RecordBatch(fields: fields, columns: builders.map { $0.finish() }, rowCount: rows.count)
    }
}

final class FilterOperator: PhysicalOperator {
    let input: PhysicalOperator
    let predicate: BoundExpression
    let context: ExecutionContext
    override var children: [PhysicalOperator] { [input] }
    override var label: String { "Filter" }

    init(input: PhysicalOperator, predicate: BoundExpression, context: ExecutionContext) {
        self.input = input
        self.predicate = predicate
        self.context = context
        super.init(fields: input.fields)
    }

    override func produce() throws(EngineError) -> RecordBatch? {
        while let batch = try input.next() {
            let mask = ExpressionEvaluator.truthMask(try context.evaluator.evaluate(predicate, batch))
            let kept = batch.filter(mask)
            if kept.rowCount > 0 { return kept }
        }
        return nil
    }
}

final class ProjectOperator: PhysicalOperator {
    let input: PhysicalOperator
    let expressions: [BoundExpression]
    let context: ExecutionContext
    override var children: [PhysicalOperator] { [input] }
    override var label: String { "Project" }

    init(input: PhysicalOperator, expressions: [BoundExpression], fields: [Field], context: ExecutionContext) {
        self.input = input
        self.expressions = expressions
        self.context = context
        super.init(fields: fields)
    }

    override func produce() throws(EngineError) -> RecordBatch? {
        guard let batch = try input.next() else { return nil }
        var columns: [Column] = []
        for e in expressions { columns.append(try context.evaluator.evaluate(e, batch)) }
        return RecordBatch(fields: fields, columns: columns, rowCount: batch.rowCount)
    }
}

/// LIMIT/OFFSET: stops pulling once it has enough rows.
final class LimitOperator: PhysicalOperator {
    let input: PhysicalOperator
    private var remaining: Int
    private var toSkip: Int
    override var children: [PhysicalOperator] { [input] }
    override var label: String { "Limit" }

    init(input: PhysicalOperator, limit: Int?, offset: Int) {
        self.input = input
        self.remaining = limit ?? Int.max
        self.toSkip = offset
        super.init(fields: input.fields)
    }

    override func produce() throws(EngineError) -> RecordBatch? {
        while remaining > 0, let batch = try input.next() {
            var start = 0
            if toSkip > 0 {
                start = min(toSkip, batch.rowCount)
                toSkip -= start
            }
            let count = min(batch.rowCount - start, remaining)
            if count <= 0 { continue }
            remaining -= count
            if start == 0 && count == batch.rowCount { return batch }
            return batch.take((start..<(start + count)).map { Int32($0) })
        }
        return nil
    }
}

/// Reads all of an input into one batch (sorts, hash builds).
func drain(_ op: PhysicalOperator, context: ExecutionContext) throws(EngineError) -> RecordBatch {
    var batches: [RecordBatch] = []
    var dictionaries = Set<ObjectIdentifier>()
    while let b = try op.next() {
        if b.rowCount > 0 {
            try context.reserve(b.byteSize(countingOnce: &dictionaries))
            batches.append(b)
        }
    }
    return concatenate(batches, fields: op.fields)
}

func concatenate(_ batches: [RecordBatch], fields: [Field]) -> RecordBatch {
    if batches.isEmpty { return RecordBatch.empty(fields) }
    if batches.count == 1 { return batches[0] }
    let rows = batches.reduce(0) { $0 + $1.rowCount }
    // A join's whole build side is copied here: large ones column by column on all cores.
    guard rows >= concatenateInParallelRows, fields.count > 1 else {
        let columns = fields.indices.map { i in Column.concatenate(batches.map { $0.columns[i] }) }
        return RecordBatch(fields: fields, columns: columns, rowCount: rows)
    }
    let columns = UnsafeResultBox<Column>(count: fields.count)
    DispatchQueue.concurrentPerform(iterations: fields.count) { i in
        columns.set(i, .success(Column.concatenate(batches.map { $0.columns[i] })))
    }
    return RecordBatch(fields: fields, columns: fields.indices.map { i in
        guard case let .success(c) = columns.get(i) else { preconditionFailure("column \(i) not concatenated") }
        return c
    }, rowCount: rows)
}

/// Batches of at least this many rows in all are concatenated on several threads.
let concatenateInParallelRows = 65_536

/// Emits one prepared batch in slices.
final class BatchSource: PhysicalOperator {
    private var batch: RecordBatch?
    private var offset = 0
    static let sliceRows = 65_536

    init(_ batch: RecordBatch) {
        self.batch = batch
        super.init(fields: batch.fields)
    }

    override func produce() throws(EngineError) -> RecordBatch? {
        guard let batch, offset < batch.rowCount else { return nil }
        if offset == 0 && batch.rowCount <= Self.sliceRows {
            offset = batch.rowCount
            return batch
        }
        let count = min(Self.sliceRows, batch.rowCount - offset)
        defer { offset += count }
        return batch.take((offset..<(offset + count)).map { Int32($0) })
    }
}
