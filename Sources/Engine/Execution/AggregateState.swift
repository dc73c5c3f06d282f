import Columnar
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The running state of one aggregate over all groups, updated a batch at a
/// time from group ids; typed accumulators for the hot aggregates.
final class AggregateState {
    let call: AggregateCall
    private var count: [Int64] = []
    private var sumWide: [Int128] = []
    private var sumDouble: [Double] = []
    private var sumInterval: [Interval] = []
    private var present: [Bool] = []
    private var extreme: [Value] = []
    private var extremeWide: [Int128] = []
    private var extremeDouble: [Double] = []
    /// Text extremes as their UTF-8 bytes.
    private var extremeText: [[UInt8]] = []
    private var mean: [Double] = []
    private var m2: [Double] = []
    private let distinctEncoder = KeyEncoder()
    private let distinctPairs = GroupTable(width: 2)
    private var texts: [[String]] = []
    /// For ordered string_agg: each value's ORDER BY values, parallel to `texts`.
    private var textOrder: [[[Value]]] = []
    private var separators: [String] = []
    private var flags: [UInt8] = []
    private(set) var groups = 0
    private var currentOrder: [Column] = []

    init(_ call: AggregateCall) { self.call = call }

    private var argumentType: DataType { call.arguments.first?.type ?? .int64 }

    func grow(to n: Int) {
        guard n > groups else { return }
        let extra = n - groups
        groups = n
        count.append(contentsOf: repeatElement(0, count: extra))
        present.append(contentsOf: repeatElement(false, count: extra))
        switch call.function {
        case .sum, .avg:
            if argumentType == .interval { sumInterval.append(contentsOf: repeatElement(Interval(months: 0, days: 0, microseconds: 0), count: extra)) }
            if SQLTypes.isFloat(argumentType) { sumDouble.append(contentsOf: repeatElement(0, count: extra)) }
            else { sumWide.append(contentsOf: repeatElement(0, count: extra)) }
        case .min, .max, .anyValue:
            switch Self.extremeKind(argumentType) {
            case .wide: extremeWide.append(contentsOf: repeatElement(0, count: extra))
            case .double: extremeDouble.append(contentsOf: repeatElement(0, count: extra))
            case .text: extremeText.append(contentsOf: repeatElement([], count: extra))
            case .value: extreme.append(contentsOf: repeatElement(.null, count: extra))
            }
        case .stddevSample, .stddevPopulation, .varianceSample, .variancePopulation:
            mean.append(contentsOf: repeatElement(0, count: extra))
            m2.append(contentsOf: repeatElement(0, count: extra))
        case .boolAnd, .boolOr:
            flags.append(contentsOf: repeatElement(call.function == .boolAnd ? 1 : 0, count: extra))
        case .stringAgg:
            texts.append(contentsOf: repeatElement([], count: extra))
            textOrder.append(contentsOf: repeatElement([], count: extra))
            separators.append(contentsOf: repeatElement("", count: extra))
        case .count, .countStar, .approxCountDistinct: break
        }

    }

    enum ExtremeKind { case wide, double, text, value }

    static func extremeKind(_ t: DataType) -> ExtremeKind {
        switch t {
        case .int16, .int32, .int64, .decimal, .date32, .timestamp, .time, .boolean: .wide
        case .float32, .float64: .double
        case .string: .text
        default: .value
        }
    }

    /// Folds in one batch: `ids[i]` is row i's group (unread when `singleGroup`: everything
    /// is group 0); `arguments` the evaluated arguments; `keep` the FILTER mask; `rows` the
    /// rows to fold (a slice, or a hash partition's rows of a shared batch).
    func update(ids: UnsafeBufferPointer<Int32>, singleGroup: Bool = false, arguments: [Column], keep: [UInt8]?,
                order: [Column] = [], rows given: BatchRows) throws(EngineError) {
        if !order.isEmpty || !currentOrder.isEmpty { currentOrder = order.map { $0.materialized() } }
        let arg = call.function == .countStar ? nil : arguments[0].materialized()
        // The rows that count: given, kept by FILTER and not NULL.
        var rows = given
        if keep != nil || arg?.validity != nil {
            let validity = arg?.validity
            var r: [Int32] = []
            r.reserveCapacity(given.count)
            given.forEach { i in
                if (keep.map { $0[i] != 0 } ?? true) && (validity.map { $0[i] } ?? true) { r.append(Int32(i)) }
            }
            rows = .list(r)
        }
        if call.function == .countStar || (call.function == .count && !call.distinct) {
            if singleGroup { count[0] += Int64(rows.count); return }
            count.withUnsafeMutableBufferPointer { c in rows.forEach { i in c[Int(ids[i])] += 1 } }
            return
        }
        guard let arg else { return }
        if call.function == .stringAgg, arguments.count > 1 {
            let sep = arguments[1].materialized()
            for i in rows.array where !sep.isNull(i) {
                if case let .string(s) = Value.from(sep, i) { separators[Int(ids[i])] = s }
            }
        }
        if call.distinct || call.function == .approxCountDistinct {
            // (group, value) pairs seen before are skipped: one hash table over both codes.
            let codes = distinctEncoder.encode(arg).codes
            let chosen = rows.array
            var pairs: [Int64] = []
            pairs.reserveCapacity(chosen.count * 2)
            for i in chosen {
                pairs.append(Int64(ids[i]))
                pairs.append(codes[i])
            }
            var added: [Int32] = []
            _ = distinctPairs.findOrInsert(GroupTable.Batch(codes: pairs, nulls: nil, count: chosen.count), added: &added)
            for k in added {
                let i = chosen[Int(k)]
                try addOne(Int(ids[i]), arg, i)
            }
            return
        }
        switch call.function {
        case .sum, .avg:
            switch arg.storage {
            case let .int64(v): addIntegers(v, ids, singleGroup, rows)
            case let .int32(v): addIntegers(v, ids, singleGroup, rows)
            case let .int16(v): addIntegers(v, ids, singleGroup, rows)
            case let .int128(v): try addWide(v, ids, singleGroup, rows)
            case let .float64(v): addDoubles(v, ids, singleGroup, rows)
            case let .float32(v): addDoubles(v.map(Double.init), ids, singleGroup, rows)
            default: for i in rows.array { try addOne(Int(ids[i]), arg, i) }
            }
        case .min, .max, .anyValue:
            switch (Self.extremeKind(argumentType), arg.storage) {
            case let (.wide, .int64(v)): foldExtremes(v, ids, singleGroup, rows, into: &extremeWide, { Int128($0) }, Self.integerOrder)
            case let (.wide, .int32(v)): foldExtremes(v, ids, singleGroup, rows, into: &extremeWide, { Int128($0) }, Self.integerOrder)
            case let (.wide, .int16(v)): foldExtremes(v, ids, singleGroup, rows, into: &extremeWide, { Int128($0) }, Self.integerOrder)
            case let (.wide, .int128(v)): foldExtremes(v, ids, singleGroup, rows, into: &extremeWide, { $0 }, Self.integerOrder)
            case let (.wide, .boolean(v)): foldExtremes(v, ids, singleGroup, rows, into: &extremeWide, { Int128($0) }, Self.integerOrder)
            case let (.double, .float64(v)): foldExtremes(v, ids, singleGroup, rows, into: &extremeDouble, { $0 }, Comparison.floatOrder)
            case let (.double, .float32(v)):
                foldExtremes(v, ids, singleGroup, rows, into: &extremeDouble, { Double($0) }, Comparison.floatOrder)
            case let (.text, .bytes(offsets, data)): foldTextExtremes(offsets, data, ids, singleGroup, rows)
            default: for i in rows.array { try addOne(Int(ids[i]), arg, i) }
            }
        default:
            for i in rows.array { try addOne(Int(ids[i]), arg, i) }
        }
    }

    // MARK: typed loops (sums and extremes over unsafe buffers: no copy-on-write checks per row)

    private func addIntegers<T: FixedWidthInteger & SignedInteger>(_ v: [T], _ ids: UnsafeBufferPointer<Int32>,
                                                                   _ single: Bool, _ rows: BatchRows) {
        v.withUnsafeBufferPointer { x in
            if single {
                // 2^64 rows of 64-bit values cannot overflow 128 bits.
                var total: Int128 = 0
                rows.forEach { i in total &+= Int128(x[i]) }
                sumWide[0] &+= total
                count[0] += Int64(rows.count)
                return
            }
            sumWide.withUnsafeMutableBufferPointer { s in
                count.withUnsafeMutableBufferPointer { c in
                    rows.forEach { i in
                        let k = Int(ids[i])
                        s[k] &+= Int128(x[i])
                        c[k] &+= 1
                    }
                }
            }
        }
    }

    private func addWide(_ v: [Int128], _ ids: UnsafeBufferPointer<Int32>, _ single: Bool, _ rows: BatchRows) throws(EngineError) {
        var overflow = false
        v.withUnsafeBufferPointer { x in
            sumWide.withUnsafeMutableBufferPointer { s in
                count.withUnsafeMutableBufferPointer { c in
                    rows.forEach { i in
                        let k = single ? 0 : Int(ids[i])
                        let r = s[k].addingReportingOverflow(x[i])
                        s[k] = r.partialValue
                        overflow = overflow || r.overflow
                        c[k] &+= 1
                    }
                }
            }
        }
        if overflow { throw .numericOverflow("numeric field overflow in sum") }
    }

    private func addDoubles(_ v: [Double], _ ids: UnsafeBufferPointer<Int32>, _ single: Bool, _ rows: BatchRows) {
        v.withUnsafeBufferPointer { x in
            sumDouble.withUnsafeMutableBufferPointer { s in
                count.withUnsafeMutableBufferPointer { c in
                    rows.forEach { i in
                        let k = single ? 0 : Int(ids[i])
                        s[k] += x[i]
                        c[k] &+= 1
                    }
                }
            }
        }
    }

    /// min/max/any_value over one typed column into `extremes` (widened to its element type,
    /// ordered by `order`: negative, zero or positive).
    private func foldExtremes<T, S>(_ v: [T], _ ids: UnsafeBufferPointer<Int32>, _ single: Bool, _ rows: BatchRows,
                                    into extremes: inout [S], _ widen: (T) -> S, _ order: (S, S) -> Int) {
        let isMin = call.function == .min, isAny = call.function == .anyValue
        v.withUnsafeBufferPointer { x in
            extremes.withUnsafeMutableBufferPointer { e in
                present.withUnsafeMutableBufferPointer { p in
                    rows.forEach { i in
                        let k = single ? 0 : Int(ids[i])
                        let value = widen(x[i])
                        if !p[k] {
                            p[k] = true
                            e[k] = value
                        } else if !isAny {
                            let c = order(value, e[k])
                            if isMin ? c < 0 : c > 0 { e[k] = value }
                        }
                    }
                }
            }
        }
    }

    private static func integerOrder(_ a: Int128, _ b: Int128) -> Int { a < b ? -1 : (a > b ? 1 : 0) }

    /// Text extremes compared as bytes (C collation, as `ValueOrder`), copied only when they win.
    private func foldTextExtremes(_ offsets: [Int], _ data: [UInt8], _ ids: UnsafeBufferPointer<Int32>, _ single: Bool,
                                  _ rows: BatchRows) {
        let isMin = call.function == .min, isAny = call.function == .anyValue
        offsets.withUnsafeBufferPointer { o in
            data.withUnsafeBufferPointer { d in
                rows.forEach { i in
                    let k = single ? 0 : Int(ids[i])
                    let value = UnsafeBufferPointer(rebasing: d[o[i]..<o[i + 1]])
                    if !present[k] {
                        present[k] = true
                        extremeText[k] = Array(value)
                    } else if !isAny {
                        let c = extremeText[k].withUnsafeBufferPointer { Self.compareBytes(value, $0) }
                        if isMin ? c < 0 : c > 0 { extremeText[k] = Array(value) }
                    }
                }
            }
        }
    }

    /// memcmp order of two byte strings: negative, zero or positive.
    static func compareBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let n = min(a.count, b.count)
        if n > 0 {
            let c = memcmp(a.baseAddress!, b.baseAddress!, n)
            if c != 0 { return Int(c) }
        }
        return a.count < b.count ? -1 : (a.count == b.count ? 0 : 1)
    }

    /// One value into group g (the general path).
    private func addOne(_ g: Int, _ arg: Column, _ i: Int) throws(EngineError) {
        switch call.function {
        case .count, .approxCountDistinct, .countStar:
            count[g] += 1
        case .sum, .avg:
            count[g] += 1
            if argumentType == .interval {
                sumInterval[g] = sumInterval[g] + Value.from(arg, i).intervalValue
            } else if SQLTypes.isFloat(argumentType) {
                sumDouble[g] += Value.from(arg, i).doubleValue
            } else {
                let v: Int128 = switch Value.from(arg, i) {
                case let .decimal(d): d
                case let .int(x): Int128(x)
                default: 0
                }
                let r = sumWide[g].addingReportingOverflow(v)
                if r.overflow { throw .numericOverflow("numeric field overflow in sum") }
                sumWide[g] = r.partialValue
            }
        case .min, .max, .anyValue:
            let isMin = call.function == .min
            let better: (Int) -> Bool = { c in self.call.function == .anyValue ? false : (isMin ? c < 0 : c > 0) }
            switch Self.extremeKind(argumentType) {
            case .wide:
                let v: Int128 = switch Value.from(arg, i) {
                case let .decimal(d): d
                case let .int(x): Int128(x)
                case let .boolean(b): b ? 1 : 0
                default: 0
                }
                if !present[g] || better(v < extremeWide[g] ? -1 : (v > extremeWide[g] ? 1 : 0)) { extremeWide[g] = v }
            case .double:
                let v = Value.from(arg, i).doubleValue
                if !present[g] || better(Comparison.floatOrder(v, extremeDouble[g])) { extremeDouble[g] = v }
            case .text:
                guard case let .string(text) = Value.from(arg, i) else { break }
                let v = Array(text.utf8)
                let c = v.withUnsafeBufferPointer { a in extremeText[g].withUnsafeBufferPointer { Self.compareBytes(a, $0) } }
                if !present[g] || better(c) { extremeText[g] = v }
            case .value:
                let v = Value.from(arg, i)
                if !present[g] || better(ValueOrder.compare(v, extreme[g])) { extreme[g] = v }
            }
            present[g] = true
        case .boolAnd, .boolOr:
            let b: UInt8 = Value.from(arg, i).boolValue ? 1 : 0
            flags[g] = call.function == .boolAnd ? (flags[g] & b) : (flags[g] | b)
            present[g] = true
        case .stddevSample, .stddevPopulation, .varianceSample, .variancePopulation:
            let x = Value.from(arg, i).doubleValue
            count[g] += 1
            let delta = x - mean[g]
            mean[g] += delta / Double(count[g])
            m2[g] += delta * (x - mean[g])
        case .stringAgg:
            if case let .string(s) = Value.from(arg, i) {
                texts[g].append(s)
                if !currentOrder.isEmpty { textOrder[g].append(currentOrder.map { Value.from($0, i) }) }
            }
            present[g] = true
        }
    }

    /// Whether partial states of this aggregate, each over some of the rows, can be
    /// combined by `merge` (DISTINCT and string_agg keep values, not a summary).
    static func isMergeable(_ call: AggregateCall) -> Bool {
        !call.distinct && call.function != .approxCountDistinct && call.function != .stringAgg
    }

    /// Folds `other`'s groups into this state's: other's group g is this state's `map[g]`.
    func merge(_ other: AggregateState, map: [Int32]) throws(EngineError) {
        let function = call.function, argumentType = argumentType
        let isFloat = SQLTypes.isFloat(argumentType), extremeKind = Self.extremeKind(argumentType)
        for g in 0..<other.groups {
            let t = Int(map[g])
            switch function {
            case .count, .countStar, .approxCountDistinct:
                count[t] += other.count[g]
            case .sum, .avg:
                count[t] += other.count[g]
                if argumentType == .interval {
                    sumInterval[t] = sumInterval[t] + other.sumInterval[g]
                } else if isFloat {
                    sumDouble[t] += other.sumDouble[g]
                } else {
                    let r = sumWide[t].addingReportingOverflow(other.sumWide[g])
                    if r.overflow { throw .numericOverflow("numeric field overflow in sum") }
                    sumWide[t] = r.partialValue
                }
            case .min, .max, .anyValue:
                guard other.present[g] else { continue }
                let replace: Bool
                if !present[t] {
                    replace = true
                } else if function == .anyValue {
                    replace = false
                } else {
                    let c = switch extremeKind {
                    case .wide: other.extremeWide[g] < extremeWide[t] ? -1 : (other.extremeWide[g] > extremeWide[t] ? 1 : 0)
                    case .double: Comparison.floatOrder(other.extremeDouble[g], extremeDouble[t])
                    case .text: other.extremeText[g].withUnsafeBufferPointer { a in
                        extremeText[t].withUnsafeBufferPointer { Self.compareBytes(a, $0) }
                    }
                    case .value: ValueOrder.compare(other.extreme[g], extreme[t])
                    }
                    replace = function == .min ? c < 0 : c > 0
                }
                if replace {
                    switch extremeKind {
                    case .wide: extremeWide[t] = other.extremeWide[g]
                    case .double: extremeDouble[t] = other.extremeDouble[g]
                    case .text: extremeText[t] = other.extremeText[g]
                    case .value: extreme[t] = other.extreme[g]
                    }
                }
                present[t] = true
            case .boolAnd, .boolOr:
                guard other.present[g] else { continue }
                flags[t] = function == .boolAnd ? (flags[t] & other.flags[g]) : (flags[t] | other.flags[g])
                present[t] = true
            case .stddevSample, .stddevPopulation, .varianceSample, .variancePopulation:
                // Chan et al.'s pairwise update of count, mean and sum of squared deviations.
                let na = Double(count[t]), nb = Double(other.count[g])
                guard nb > 0 else { continue }
                let n = na + nb
                let delta = other.mean[g] - mean[t]
                mean[t] += delta * nb / n
                m2[t] += other.m2[g] + delta * delta * na * nb / n
                count[t] += other.count[g]
            case .stringAgg:
                preconditionFailure("string_agg is not mergeable")
            }
        }
    }

    func finish() throws(EngineError) -> Column {
        let n = groups
        // Hoisted: the call's properties cost a retain each, and there may be millions of groups.
        let function = call.function, argumentType = argumentType, resultType = call.resultType
        let fromScale = Arithmetic.scale(argumentType), toScale = Arithmetic.scale(resultType)
        let isFloat = SQLTypes.isFloat(argumentType), extremeKind = Self.extremeKind(argumentType)
        // Counts and integer or decimal sums straight from their arrays (millions of groups, as
        // TPC-H Q18's orders, would otherwise go through a Value each).
        switch function {
        case .count, .countStar, .approxCountDistinct:
            return Column(type: .int64, count: n, validity: nil, storage: .int64(Array(count[0..<n])))
        case .sum where !isFloat && argumentType != .interval:
            let validity: Bitmap? = count[0..<n].contains(0) ? Bitmap(count[0..<n].map { $0 > 0 }) : nil
            if resultType == .int64 {
                var out = [Int64](repeating: 0, count: n)
                for g in 0..<n where count[g] > 0 {
                    guard let v = Int64(exactly: sumWide[g]) else { throw .numericOverflow("bigint out of range") }
                    out[g] = v
                }
                return Column(type: .int64, count: n, validity: validity, storage: .int64(out))
            }
            if case let .decimal(precision, _) = resultType, precision > 18 {
                return Column(type: resultType, count: n, validity: validity, storage: .int128(Array(sumWide[0..<n])))
            }
        default:
            break
        }
        var b = ColumnBuilder(type: resultType, capacity: n)
        for g in 0..<n {
            switch function {
            case .count, .countStar, .approxCountDistinct:
                b.append(.int(count[g]))
            case .sum:
                // count holds the non-NULL inputs: none means SUM is NULL.
                guard count[g] > 0 else { b.append(.null); continue }
                if argumentType == .interval { b.append(.interval(sumInterval[g])); continue }
                if isFloat { b.append(.double(sumDouble[g])); continue }
                switch resultType {
                case .int64:
                    guard let v = Int64(exactly: sumWide[g]) else { throw .numericOverflow("bigint out of range") }
                    b.append(.int(v))
                default: b.append(.decimal(sumWide[g]))
                }
            case .avg:
                guard count[g] > 0 else { b.append(.null); continue }
                if argumentType == .interval {
                    b.append(sumInterval[g].scaled(by: 1 / Double(count[g])).map(Value.interval) ?? .null)
                    continue
                }
                if isFloat { b.append(.double(sumDouble[g] / Double(count[g]))); continue }
                let scaled = Decimal.rescale(sumWide[g], from: fromScale, to: toScale)
                b.append(.decimal(Decimal.roundedDivide(scaled, Int128(count[g]))))
            case .min, .max, .anyValue:
                guard present[g] else { b.append(.null); continue }
                switch extremeKind {
                case .wide:
                    if case .decimal = argumentType { b.append(.decimal(extremeWide[g])) }
                    else if argumentType == .boolean { b.append(.boolean(extremeWide[g] != 0)) }
                    else { b.append(.int(Int64(truncatingIfNeeded: extremeWide[g]))) }
                case .double: b.append(.double(extremeDouble[g]))
                case .text: b.append(.string(String(decoding: extremeText[g], as: UTF8.self)))
                case .value: b.append(extreme[g])
                }
            case .boolAnd, .boolOr:
                b.append(present[g] ? .boolean(flags[g] != 0) : .null)
            case .stddevSample, .varianceSample:
                guard count[g] > 1 else { b.append(.null); continue }
                let v = m2[g] / Double(count[g] - 1)
                b.append(.double(function == .stddevSample ? v.squareRoot() : v))
            case .stddevPopulation, .variancePopulation:
                guard count[g] > 0 else { b.append(.null); continue }
                let v = m2[g] / Double(count[g])
                b.append(.double(function == .stddevPopulation ? v.squareRoot() : v))
            case .stringAgg:
                guard present[g], !texts[g].isEmpty else { b.append(.null); continue }
                var items = texts[g]
                if !call.orderBy.isEmpty, textOrder[g].count == items.count {
                    let keys = textOrder[g]
                    let order = stableSort((0..<items.count).map { Int32($0) }) { a, b in
                        for (k, spec) in call.orderBy.enumerated() {
                            let x = keys[Int(a)][k], y = keys[Int(b)][k]
                            if x.isNull || y.isNull {
                                if x.isNull == y.isNull { continue }
                                return x.isNull == spec.nullsFirst
                            }
                            let c = ValueOrder.compare(x, y)
                            if c != 0 { return spec.ascending ? c < 0 : c > 0 }
                        }
                        return false
                    }
                    items = order.map { items[Int($0)] }
                }
                b.append(.string(items.joined(separator: separators[g])))
            }
        }
        return b.finish()
    }
}
