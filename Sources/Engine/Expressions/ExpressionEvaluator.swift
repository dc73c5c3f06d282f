import Columnar

/// Evaluates bound expressions over a batch, one vector operation per node.
struct ExpressionEvaluator {
    /// Runs uncorrelated subqueries (the executor provides it).
    var subqueryRunner: (@Sendable (LogicalPlan) throws(EngineError) -> [Value])?

    func evaluate(_ expression: BoundExpression, _ batch: RecordBatch) throws(EngineError) -> Column {
        let n = batch.rowCount
        switch expression {
        case let .column(i, _):
            return batch.columns[i]
        case let .constant(v, t):
            return ColumnBuilder.constant(v, type: t, count: n)
        case let .cast(e, t):
            return try Casts.cast(try evaluate(e, batch), to: t)
        case let .arithmetic(op, a, b, t):
            return try Arithmetic.apply(op, try evaluate(a, batch), try evaluate(b, batch), resultType: t)
        case let .negate(e):
            return try Arithmetic.negate(try evaluate(e, batch))
        case let .compare(op, a, b):
            if case let .constant(v, _) = b {
                return Comparison.compare(op, try evaluate(a, batch), scalar: v)
            }
            if case let .constant(v, _) = a {
                return Comparison.compare(op.flipped, try evaluate(b, batch), scalar: v)
            }
            return Comparison.compare(op, try evaluate(a, batch), try evaluate(b, batch))
        case let .and(terms):
            var result = try evaluate(terms[0], batch)
            for t in terms.dropFirst() {
                // Short-circuit: nothing left that could be true.
                result = Logic.and(result, try evaluate(t, batch))
            }
            return result
        case let .or(terms):
            var result = try evaluate(terms[0], batch)
            for t in terms.dropFirst() { result = Logic.or(result, try evaluate(t, batch)) }
            return result
        case let .not(e):
            return Logic.not(try evaluate(e, batch))
        case let .isNull(e, negated):
            let c = try evaluate(e, batch)
            var mask = [UInt8](repeating: negated ? 1 : 0, count: n)
            if let validity = c.validity {
                for i in 0..<n where !validity[i] { mask[i] = negated ? 0 : 1 }
            }
            return Column(type: .boolean, count: n, validity: nil, storage: .boolean(mask))
        case let .isDistinct(a, b, negated):
            let x = try evaluate(a, batch), y = try evaluate(b, batch)
            let eq = Comparison.compare(.equal, x, y)
            guard case let .boolean(m) = eq.storage else { return eq }
            var out = [UInt8](repeating: 0, count: n)
            for i in 0..<n {
                let xn = x.isNull(i), yn = y.isNull(i)
                let same = (xn && yn) || (!xn && !yn && m[i] != 0)
                out[i] = (same == negated) ? 1 : 0
            }
            return Column(type: .boolean, count: n, validity: nil, storage: .boolean(out))
        case let .inList(e, values, negated):
            return Comparison.inList(try evaluate(e, batch), values.filter { !$0.isNull }, hasNull: values.contains(where: \.isNull),
                                     negated: negated)
        case let .like(e, pattern, negated):
            return StringFunctions.like(try evaluate(e, batch), pattern, negated: negated)
        case let .caseWhen(branches, otherwise, t):
            return try evaluateCase(branches, otherwise, t, batch)
        case let .coalesce(args, t):
            var result = try evaluate(args[0], batch)
            for a in args.dropFirst() {
                guard result.validity != nil, result.nullCount > 0 else { break }
                let next = try evaluate(a, batch)
                result = Self.choose(result.validity.map { v in (0..<n).map { v[$0] ? 1 : 0 } } ?? [], result, next, type: t)
            }
            return result
        case let .function(f, args, t):
            var columns: [Column] = []
            for a in args { columns.append(try evaluate(a, batch)) }
            // A function of a dictionary column and constants: compute it once per dictionary entry.
            if f.isRowWise, let first = columns.first, case let .dictionary(indices, dictionary) = first.storage,
               args.dropFirst().allSatisfy(\.isConstant), dictionary.value.count < n {
                let d = dictionary.value
                var entryArgs = [d]
                for a in args.dropFirst() { entryArgs.append(try evaluate(a, RecordBatch(fields: [], columns: [], rowCount: d.count))) }
                let perEntry = try f.evaluate(entryArgs, rowCount: d.count, resultType: t)
                return Column(type: t, count: n, validity: first.validity, storage: .dictionary(indices: indices, dictionary: Box(perEntry)))
            }
            return try f.evaluate(columns, rowCount: n, resultType: t)
        case .outerColumn:
            throw .internalError("a correlated reference survived decorrelation")
        case let .inSubquery(e, box, negated):
            guard let subqueryRunner else { throw .internalError("subquery without a runner") }
            let values = try box.values(subqueryRunner)
            let c = try evaluate(e, batch)
            if values.isEmpty { return ColumnBuilder.constant(.boolean(negated), type: .boolean, count: n) }
            if values.count <= 16 {
                return Comparison.inList(c, values.filter { !$0.isNull }, hasNull: values.contains(where: \.isNull), negated: negated)
            }
            return Comparison.inSet(c, box.valueSet(values), integers: box.integerSet(values), hasNull: values.contains(where: \.isNull),
                                    negated: negated)
        case let .correlated(subquery, args, type):
            guard let subqueryRunner else { throw .internalError("subquery without a runner") }
            var columns: [Column] = []
            for a in args { columns.append(try evaluate(a, batch)) }
            var b = ColumnBuilder(type: type, capacity: n)
            let outerCount: Int
            switch subquery.kind {
            case .membership, .quantified: outerCount = args.count - 1
            default: outerCount = args.count
            }
            for i in 0..<n {
                let outer = (0..<outerCount).map { Value.from(columns[$0], i) }
                let values = try subquery.values(for: outer, subqueryRunner)
                switch subquery.kind {
                case .scalar:
                    guard values.count <= 1 else {
                        throw EngineError("21000", "more than one row returned by a subquery used as an expression")
                    }
                    b.append(values.first ?? .null)
                case let .exists(negated):
                    b.append(.boolean(values.isEmpty == negated))
                case let .membership(negated):
                    let x = Value.from(columns[outerCount], i)
                    if values.isEmpty { b.append(.boolean(negated)); continue }
                    if x.isNull { b.append(.null); continue }
                    if values.contains(where: { !$0.isNull && ValueOrder.compare($0, x) == 0 }) { b.append(.boolean(!negated)); continue }
                    b.append(values.contains(where: \.isNull) ? .null : .boolean(negated))
                case let .quantified(op, all):
                    let x = Value.from(columns[outerCount], i)
                    // ANY: true if one comparison holds; ALL: false if one fails; unknown otherwise.
                    var sawUnknown = false
                    var decided: Bool?
                    for v in values {
                        if x.isNull || v.isNull { sawUnknown = true; continue }
                        let holds = op.holds(ValueOrder.compare(x, v))
                        if all && !holds { decided = false; break }
                        if !all && holds { decided = true; break }
                    }
                    if let decided { b.append(.boolean(decided)) } else if sawUnknown { b.append(.null) } else { b.append(.boolean(all)) }
                }
            }
            return b.finish()
        case let .exists(box, negated):
            guard let subqueryRunner else { throw .internalError("subquery without a runner") }
            let any = !(try box.values(subqueryRunner)).isEmpty
            return ColumnBuilder.constant(.boolean(any != negated), type: .boolean, count: n)
        case let .scalarSubquery(box, t):
            guard let subqueryRunner else { throw .internalError("subquery without a runner") }
            let v = try box.value(subqueryRunner)
            return ColumnBuilder.constant(v, type: t, count: n)
        }
    }

    /// A boolean column as a byte mask where NULL counts as false (WHERE, HAVING, CASE conditions).
    static func truthMask(_ c: Column) -> [UInt8] {
        let m = c.materialized()
        guard case var .boolean(mask) = m.storage else { return [UInt8](repeating: 0, count: c.count) }
        if let validity = m.validity {
            for i in 0..<mask.count where !validity[i] { mask[i] = 0 }
        }
        return mask
    }

    private func evaluateCase(_ branches: [CaseBranch], _ otherwise: BoundExpression?, _ type: DataType,
                              _ batch: RecordBatch) throws(EngineError) -> Column {
        let n = batch.rowCount
        // Rows still undecided; each branch is evaluated only on them (so errors such as division by zero in
        // branches that are not taken do not fire, as in PostgreSQL).
        var result = ColumnBuilder.constant(.null, type: type, count: n)
        var decided = [UInt8](repeating: 0, count: n)
        var undecidedCount = n
        for branch in branches where undecidedCount > 0 {
            let rows = (0..<n).filter { decided[$0] == 0 }.map { Int32($0) }
            let sub = batch.take(rows)
            let cond = Self.truthMask(try evaluate(branch.condition, sub))
            let chosenLocal = Column.selection(cond)
            if chosenLocal.isEmpty { continue }
            let value = try evaluate(branch.result, sub.take(chosenLocal))
            var targetRows = [Int32]()
            for l in chosenLocal { targetRows.append(rows[Int(l)]) }
            result = Self.scatter(value, into: result, rows: targetRows)
            for r in targetRows { decided[Int(r)] = 1 }
            undecidedCount -= targetRows.count
        }
        if let otherwise, undecidedCount > 0 {
            let rows = (0..<n).filter { decided[$0] == 0 }.map { Int32($0) }
            let value = try evaluate(otherwise, batch.take(rows))
            result = Self.scatter(value, into: result, rows: rows)
        }
        return result
    }

    /// `base` with rows `rows` replaced by the values of `values` (same type, values.count == rows.count).
    static func scatter(_ values: Column, into base: Column, rows: [Int32]) -> Column {
        var b = ColumnBuilder(type: base.type, capacity: base.count)
        var source = [Int](repeating: -1, count: base.count)
        for (i, r) in rows.enumerated() { source[Int(r)] = i }
        for i in 0..<base.count {
            b.append(source[i] >= 0 ? Value.from(values, source[i]) : Value.from(base, i))
        }
        return b.finish()
    }

    /// Row i from `a` where keep[i] != 0, else from `b`.
    static func choose(_ keep: [UInt8], _ a: Column, _ b: Column, type: DataType) -> Column {
        var builder = ColumnBuilder(type: type, capacity: a.count)
        for i in 0..<a.count {
            builder.append(keep[i] != 0 ? Value.from(a, i) : Value.from(b, i))
        }
        return builder.finish()
    }
}
