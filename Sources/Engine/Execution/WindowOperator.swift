import Columnar

/// Window functions: buffers the input, sorts row indices by partition and
/// order keys, and computes each call per partition over its frame. Output rows
/// keep the input order, with one column added per call.
final class WindowOperator: PhysicalOperator {
    let input: PhysicalOperator
    let calls: [WindowCall]
    let context: ExecutionContext
    private var output: BatchSource?
    override var children: [PhysicalOperator] { [input] }
    override var label: String { "Window" }

    init(input: PhysicalOperator, calls: [WindowCall], fields: [Field], context: ExecutionContext) {
        self.input = input
        self.calls = calls
        self.context = context
        super.init(fields: fields)
    }

    override func produce() throws(EngineError) -> RecordBatch? {
        if output == nil {
            let all = try drain(input, context: context)
            var columns = all.columns
            for call in calls { columns.append(try compute(call, all)) }
            output = BatchSource(RecordBatch(fields: fields, columns: columns, rowCount: all.rowCount))
        }
        return try output!.next()
    }

    private func compute(_ call: WindowCall, _ batch: RecordBatch) throws(EngineError) -> Column {
        let n = batch.rowCount
        var partitionColumns: [Column] = []
        for p in call.partitionBy { partitionColumns.append(try context.evaluator.evaluate(p, batch)) }
        var orderColumns: [Column] = []
        for k in call.orderBy { orderColumns.append(try context.evaluator.evaluate(k.expression, batch).materialized()) }
        var args: [Column] = []
        for a in call.arguments { args.append(try context.evaluator.evaluate(a, batch).materialized()) }

        // Partition ids, then one sort by (partition, order keys).
        var partitionOf = [Int32](repeating: 0, count: n)
        if !partitionColumns.isEmpty {
            let rows = KeyEncoder().encodeRows(partitionColumns, rowCount: n)
            var ids: [KeyRow: Int32] = [:]
            for i in 0..<n {
                if let id = ids[rows[i]] { partitionOf[i] = id } else {
                    let id = Int32(ids.count)
                    ids[rows[i]] = id
                    partitionOf[i] = id
                }
            }
        }
        let orderComparators = zip(orderColumns, call.orderBy).map {
            SortOperator.comparator($0, ascending: $1.ascending, nullsFirst: $1.nullsFirst)
        }
        func peers(_ a: Int, _ b: Int) -> Bool { orderComparators.allSatisfy { $0(a, b) == 0 } }
        let sorted = stableSort((0..<n).map { Int32($0) }) { a, b in
            if partitionOf[Int(a)] != partitionOf[Int(b)] { return partitionOf[Int(a)] < partitionOf[Int(b)] }
            for c in orderComparators {
                let r = c(Int(a), Int(b))
                if r != 0 { return r < 0 }
            }
            return false
        }
        var results = [Value](repeating: .null, count: n)
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && partitionOf[Int(sorted[end])] == partitionOf[Int(sorted[start])] { end += 1 }
            let rows = sorted[start..<end].map { Int($0) }
            try computePartition(call, rows, args, peers, &results)
            start = end
        }
        var b = ColumnBuilder(type: call.resultType, capacity: n)
        for v in results { b.append(v) }
        return b.finish()
    }

    private func computePartition(_ call: WindowCall, _ rows: [Int], _ args: [Column], _ peers: (Int, Int) -> Bool,
                                  _ results: inout [Value]) throws(EngineError) {
        let m = rows.count
        // Peer groups: group[i] and the [start, end) of each group.
        var group = [Int](repeating: 0, count: m)
        var groupStart: [Int] = [0]
        for i in 1..<max(m, 1) where i < m {
            if peers(rows[i - 1], rows[i]) { group[i] = group[i - 1] } else { group[i] = group[i - 1] + 1; groupStart.append(i) }
        }
        let groupEnd = Array(groupStart.dropFirst()) + [m]
        func value(_ k: Int, _ position: Int) -> Value { Value.from(args[k], rows[position]) }

        func frame(_ i: Int) -> Range<Int> {
            let f = call.frame
            var lo: Int, hi: Int  // inclusive bounds
            switch f.mode {
            case .rows:
                lo = f.start.map { i &- $0 } ?? 0
                hi = f.end.map { $0 > m ? m - 1 : i &+ $0 } ?? m - 1
            case .range:
                lo = f.start == nil ? 0 : groupStart[group[i]]
                hi = f.end == nil ? m - 1 : groupEnd[group[i]] - 1
            case .groups:
                let g = group[i]
                lo = f.start.map { max(0, min(groupStart.count - 1, g - $0)) }.map { groupStart[$0] } ?? 0
                if let s = f.start, g - s >= groupStart.count { lo = m }
                hi = f.end.map { g + $0 }.map { $0 < 0 ? -1 : groupEnd[min($0, groupEnd.count - 1)] - 1 } ?? m - 1
            }
            lo = max(lo, 0)
            hi = min(hi, m - 1)
            return lo <= hi ? lo..<(hi + 1) : i..<i
        }

        switch call.function {
        case .rowNumber:
            for i in 0..<m { results[rows[i]] = .int(Int64(i + 1)) }
        case .rank:
            for i in 0..<m { results[rows[i]] = .int(Int64(groupStart[group[i]] + 1)) }
        case .denseRank:
            for i in 0..<m { results[rows[i]] = .int(Int64(group[i] + 1)) }
        case .percentRank:
            for i in 0..<m { results[rows[i]] = .double(m > 1 ? Double(groupStart[group[i]]) / Double(m - 1) : 0) }
        case .cumeDist:
            for i in 0..<m { results[rows[i]] = .double(Double(groupEnd[group[i]]) / Double(m)) }
        case .ntile:
            for i in 0..<m {
                let buckets = Int(value(0, i).intValue)
                guard buckets > 0 else { throw EngineError("22014", "argument of ntile must be greater than zero") }
                let size = m / buckets, extra = m % buckets
                // The first `extra` buckets hold one row more.
                let bigRows = extra * (size + 1)
                let bucket = i < bigRows ? i / (size + 1) : extra + (size > 0 ? (i - bigRows) / size : 0)
                results[rows[i]] = .int(Int64(bucket + 1))
            }
        case .lag, .lead:
            for i in 0..<m {
                let offset = args.count > 1 ? Int(value(1, i).intValue) : 1
                let j = call.function == .lag ? i &- offset : i &+ offset
                if j >= 0 && j < m { results[rows[i]] = value(0, j) } else { results[rows[i]] = args.count > 2 ? value(2, i) : .null }
            }
        case .firstValue, .lastValue, .nthValue:
            for i in 0..<m {
                let f = frame(i)
                if f.isEmpty { continue }
                switch call.function {
                case .firstValue: results[rows[i]] = value(0, f.lowerBound)
                case .lastValue: results[rows[i]] = value(0, f.upperBound - 1)
                default:
                    let k = Int(value(1, i).intValue)
                    guard k > 0 else { throw EngineError("22016", "argument of nth_value must be greater than zero") }
                    results[rows[i]] = k <= f.count ? value(0, f.lowerBound + k - 1) : .null
                }
            }
        case let .aggregate(function, distinct):
            let argType = args.first?.type ?? .int64
            // Frames that start at the partition's start grow monotonically: accumulate.
            var running = FrameAccumulator(function, distinct: distinct, argumentType: argType, resultType: call.resultType)
            var added = 0
            for i in 0..<m {
                let f = frame(i)
                if f.lowerBound == 0 && f.upperBound >= added {
                    while added < f.upperBound {
                        running.add(args.isEmpty ? .int(1) : value(0, added), separator: args.count > 1 ? value(1, added) : nil)
                        added += 1
                    }
                    results[rows[i]] = try running.result()
                } else {
                    var acc = FrameAccumulator(function, distinct: distinct, argumentType: argType, resultType: call.resultType)
                    for j in f { acc.add(args.isEmpty ? .int(1) : value(0, j), separator: args.count > 1 ? value(1, j) : nil) }
                    results[rows[i]] = try acc.result()
                }
            }
        }
    }
}

/// An aggregate over a window frame, one value at a time.
struct FrameAccumulator {
    let function: AggregateFunction
    let distinct: Bool
    let argumentType: DataType
    let resultType: DataType
    var count: Int64 = 0
    var sumWide: Int128 = 0
    var sumDouble = 0.0
    var extreme: Value = .null
    var flag: Bool?
    var mean = 0.0, m2 = 0.0
    var texts: [String] = []
    var separator = ""
    var seen = Set<Value>()

    init(_ function: AggregateFunction, distinct: Bool, argumentType: DataType, resultType: DataType) {
        self.function = function
        self.distinct = distinct
        self.argumentType = argumentType
        self.resultType = resultType
    }

    mutating func add(_ v: Value, separator sep: Value?) {
        if function == .countStar { count += 1; return }
        if v.isNull { return }
        if distinct && !seen.insert(v).inserted { return }
        count += 1
        switch function {
        case .sum, .avg:
            switch v {
            case let .int(x): sumWide += Int128(x)
            case let .decimal(x): sumWide += x
            case let .double(x): sumDouble += x
            default: break
            }
        case .min, .max, .anyValue:
            if extreme.isNull { extreme = v } else {
                let c = ValueOrder.compare(v, extreme)
                if (function == .min && c < 0) || (function == .max && c > 0) { extreme = v }
            }
        case .boolAnd: flag = (flag ?? true) && v.boolValue
        case .boolOr: flag = (flag ?? false) || v.boolValue
        case .stddevSample, .stddevPopulation, .varianceSample, .variancePopulation:
            let x = v.doubleValue
            let delta = x - mean
            mean += delta / Double(count)
            m2 += delta * (x - mean)
        case .stringAgg:
            if case let .string(s) = v { texts.append(s) }
            if case let .string(s)? = sep { separator = s }
        default: break
        }
    }

    func result() throws(EngineError) -> Value {
        switch function {
        case .count, .countStar, .approxCountDistinct: return .int(count)
        case .sum:
            if count == 0 { return .null }
            if SQLTypes.isFloat(argumentType) { return .double(sumDouble) }
            if resultType == .int64 {
                guard let v = Int64(exactly: sumWide) else { throw .numericOverflow("bigint out of range") }
                return .int(v)
            }
            return .decimal(sumWide)
        case .avg:
            if count == 0 { return .null }
            if SQLTypes.isFloat(argumentType) { return .double(sumDouble / Double(count)) }
            let scaled = Decimal.rescale(sumWide, from: Arithmetic.scale(argumentType), to: Arithmetic.scale(resultType))
            return .decimal(Decimal.roundedDivide(scaled, Int128(count)))
        case .min, .max, .anyValue: return extreme
        case .boolAnd, .boolOr: return flag.map(Value.boolean) ?? .null
        case .stddevSample, .varianceSample:
            guard count > 1 else { return .null }
            let v = m2 / Double(count - 1)
            return .double(function == .stddevSample ? v.squareRoot() : v)
        case .stddevPopulation, .variancePopulation:
            guard count > 0 else { return .null }
            let v = m2 / Double(count)
            return .double(function == .stddevPopulation ? v.squareRoot() : v)
        case .stringAgg: return texts.isEmpty ? .null : .string(texts.joined(separator: separator))
        }
    }
}
