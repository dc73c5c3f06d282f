import Columnar

/// GROUP BY with a hash table from key codes to group ids; without GROUP BY,
/// one group (which exists even for no input rows).
final class HashAggregateOperator: PhysicalOperator {
    let input: PhysicalOperator
    let keys: [BoundExpression]
    let aggregates: [AggregateCall]
    let context: ExecutionContext
    private var done = false
    override var children: [PhysicalOperator] { [input] }
    override var label: String { "HashAggregate" }

    init(input: PhysicalOperator, keys: [BoundExpression], aggregates: [AggregateCall], fields: [Field], context: ExecutionContext) {
        self.input = input
        self.keys = keys
        self.aggregates = aggregates
        self.context = context
        super.init(fields: fields)
    }

    override func produce() throws(EngineError) -> RecordBatch? {
        guard !done else { return nil }
        done = true
        let encoder = KeyEncoder()
        let table = GroupTable(width: keys.count)
        var keyBuilders = keys.map { ColumnBuilder(type: $0.type) }
        let states = aggregates.map { AggregateState($0) }
        if keys.isEmpty { states.forEach { $0.grow(to: 1) } }
        var groupCount = keys.isEmpty ? 1 : 0
        while let batch = try input.next() {
            let n = batch.rowCount
            if n == 0 { continue }
            var ids = [Int32](repeating: 0, count: n)
            if !keys.isEmpty {
                var keyColumns: [Column] = []
                for k in keys { keyColumns.append(try context.evaluator.evaluate(k, batch)) }
                let before = groupCount
                var added: [Int32] = []
                ids = table.findOrInsert(GroupTable.batch(keyColumns, encoder: encoder), added: &added)
                groupCount = table.count
                for i in added {
                    for (k, c) in keyColumns.enumerated() { keyBuilders[k].append(Value.from(c, Int(i))) }
                }
                if groupCount > before {
                    try context.reserve((groupCount - before) * (64 + 32 * aggregates.count))
                    states.forEach { $0.grow(to: groupCount) }
                }
            }
            for state in states {
                var args: [Column] = []
                for a in state.call.arguments { args.append(try context.evaluator.evaluate(a, batch)) }
                let keep = try state.call.filter.map { (f) throws(EngineError) in
                    ExpressionEvaluator.truthMask(try context.evaluator.evaluate(f, batch))
                }
                var orderColumns: [Column] = []
                for k in state.call.orderBy { orderColumns.append(try context.evaluator.evaluate(k.expression, batch)) }
                try state.update(ids: ids, arguments: args, keep: keep, order: orderColumns)
            }
        }
        var columns = keyBuilders.map { $0.finish() }
        for s in states { columns.append(try s.finish()) }
        return RecordBatch(fields: fields, columns: columns, rowCount: groupCount)
    }
}
