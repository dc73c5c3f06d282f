import Columnar
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Comparisons producing boolean columns (0/1 bytes; NULL where an operand is NULL).
/// Operands have one canonical type (the binder casts); strings compare bytewise
/// (the "C" collation); floats order NaN above everything and equal to itself, as PostgreSQL does.
enum Comparison {
    static func compare(_ op: ComparisonOperator, _ a: Column, scalar: Value) -> Column {
        let n = a.count
        if scalar.isNull { return ColumnBuilder.constant(.null, type: .boolean, count: n) }
        var mask = [UInt8](repeating: 0, count: n)
        switch a.storage {
        case .dictionary where a.storageDictionaryCount > n:
            return compare(op, a.materialized(), scalar: scalar)
        case let .dictionary(indices, dictionary):
            // Decide once per dictionary entry, then map through the indices.
            let perEntry = compare(op, dictionary.value, scalar: scalar)
            let entryMask = ExpressionEvaluator.truthMask(perEntry)
            indices.withUnsafeBufferPointer { idx in
                for i in 0..<n { mask[i] = entryMask[Int(idx[i])] }
            }
        case let .boolean(v): let s: UInt8 = scalar.boolValue ? 1 : 0; fill(&mask, v, s, op)
        case let .int16(v): fill(&mask, v, Int16(truncatingIfNeeded: scalar.intValue), op)
        case let .int32(v): fill(&mask, v, Int32(truncatingIfNeeded: scalar.intValue), op)
        case let .int64(v):
            if case let .decimal(d) = scalar { fill(&mask, v, Int64(truncatingIfNeeded: d), op) } else { fill(&mask, v, scalar.intValue, op) }
        case let .int128(v):
            let s: Int128 = if case let .decimal(d) = scalar { d } else { Int128(scalar.intValue) }
            fill(&mask, v, s, op)
        case let .float32(v): fillFloat(&mask, v, Float(scalar.doubleValue), op)
        case let .float64(v): fillFloat(&mask, v, scalar.doubleValue, op)
        case let .bytes(offsets, data):
            let s: [UInt8] = switch scalar {
            case let .string(t): Array(t.utf8)
            case let .bytes(b): b
            default: []
            }
            data.withUnsafeBufferPointer { d in
                s.withUnsafeBufferPointer { sp in
                    offsets.withUnsafeBufferPointer { o in
                        mask.withUnsafeMutableBufferPointer { m in
                            if op == .equal || op == .notEqual {
                                // Lengths first: most rows differ there, and equal ones need one memcmp.
                                let hit: UInt8 = op == .equal ? 1 : 0, len = sp.count
                                for i in 0..<n {
                                    let start = o[i]
                                    let same = o[i + 1] - start == len && (len == 0 || memcmp(d.baseAddress! + start, sp.baseAddress!, len) == 0)
                                    m[i] = same ? hit : 1 - hit
                                }
                            } else {
                                for i in 0..<n { m[i] = op.holds(compareBytes(d, o[i], o[i + 1], sp)) ? 1 : 0 }
                            }
                        }
                    }
                }
            }
        default:
            for i in 0..<n { mask[i] = op.holds(ValueOrder.compare(Value.from(a, i), scalar)) ? 1 : 0 }
        }
        return Column(type: .boolean, count: n, validity: a.validity, storage: .boolean(mask))
    }

    static func compare(_ op: ComparisonOperator, _ a: Column, _ b: Column) -> Column {
        let n = a.count
        let x = a.materialized(), y = b.materialized()
        var mask = [UInt8](repeating: 0, count: n)
        switch (x.storage, y.storage) {
        case let (.boolean(u), .boolean(v)): fill2(&mask, u, v, op)
        case let (.int16(u), .int16(v)): fill2(&mask, u, v, op)
        case let (.int32(u), .int32(v)): fill2(&mask, u, v, op)
        case let (.int64(u), .int64(v)): fill2(&mask, u, v, op)
        case let (.int128(u), .int128(v)): fill2(&mask, u, v, op)
        case let (.float32(u), .float32(v)): for i in 0..<n { mask[i] = op.holds(floatOrder(u[i], v[i])) ? 1 : 0 }
        case let (.float64(u), .float64(v)): for i in 0..<n { mask[i] = op.holds(floatOrder(u[i], v[i])) ? 1 : 0 }
        case let (.bytes(o1, d1), .bytes(o2, d2)):
            d1.withUnsafeBufferPointer { p1 in
                d2.withUnsafeBufferPointer { p2 in
                    for i in 0..<n {
                        let s2 = UnsafeBufferPointer(rebasing: p2[o2[i]..<o2[i + 1]])
                        mask[i] = op.holds(compareBytes(p1, o1[i], o1[i + 1], s2)) ? 1 : 0
                    }
                }
            }
        default:
            for i in 0..<n { mask[i] = op.holds(ValueOrder.compare(Value.from(x, i), Value.from(y, i))) ? 1 : 0 }
        }
        return Column(type: .boolean, count: n, validity: Column.andValidity(x.validity, y.validity), storage: .boolean(mask))
    }

    /// `x IN (values)`: true if equal to one, NULL if not and the list holds a NULL (or x is NULL), else false.
    static func inList(_ a: Column, _ values: [Value], hasNull: Bool, negated: Bool) -> Column {
        let n = a.count
        if case let .dictionary(indices, dictionary) = a.storage, dictionary.value.count < n {
            // Decided once per dictionary entry (l_shipmode IN ('AIR', 'AIR REG')), then mapped.
            let perEntry = inList(dictionary.value, values, hasNull: hasNull, negated: negated)
            guard case let .boolean(entryMask) = perEntry.storage else { return perEntry }
            var mask = [UInt8](repeating: 0, count: n)
            var known = [Bool](repeating: true, count: n)
            for i in 0..<n {
                let e = Int(indices[i])
                mask[i] = entryMask[e]
                // NULL where the row is, or where its entry's answer is unknown (a NULL in the list).
                known[i] = !a.isNull(i) && !perEntry.isNull(e)
            }
            let validity = a.validity == nil && perEntry.validity == nil ? nil : Bitmap(known)
            return Column(type: .boolean, count: n, validity: validity, storage: .boolean(mask))
        }
        var mask = [UInt8](repeating: 0, count: n)
        let integers = values.compactMap { if case let .int(x) = $0 { x } else { nil } }
        if integers.count == values.count, !a.type.isDecimal, Self.orEqual(&mask, a.storage, integers) {
            // An integer column against integer literals (p_size IN (49, 14, ...)): one tight loop per literal.
        } else {
            for v in values {
                let eq = compare(.equal, a, scalar: v)
                guard case let .boolean(m) = eq.storage else { continue }
                m.withUnsafeBufferPointer { m in mask.withUnsafeMutableBufferPointer { out in for i in 0..<n { out[i] |= m[i] } } }
            }
        }
        var validity = a.validity
        if hasNull {
            // Not found and a NULL in the list: unknown.
            var bits = (0..<n).map { !a.isNull($0) && mask[$0] != 0 }
            if validity == nil { bits = (0..<n).map { mask[$0] != 0 } }
            validity = Bitmap(bits)
        }
        if negated { for i in 0..<n { mask[i] ^= 1 } }
        return Column(type: .boolean, count: n, validity: validity, storage: .boolean(mask))
    }

    /// Sets `mask[i]` where an integer column's row equals one of `values`; false (mask
    /// untouched) for other storage. Values outside the column type's range match nothing.
    private static func orEqual(_ mask: inout [UInt8], _ storage: Column.Storage, _ values: [Int64]) -> Bool {
        func each<T: FixedWidthInteger>(_ v: [T]) {
            v.withUnsafeBufferPointer { x in
                mask.withUnsafeMutableBufferPointer { out in
                    for value in values {
                        guard let t = T(exactly: value) else { continue }
                        for i in 0..<x.count { out[i] |= x[i] == t ? 1 : 0 }
                    }
                }
            }
        }
        switch storage {
        case let .int16(v): each(v)
        case let .int32(v): each(v)
        case let .int64(v): each(v)
        default: return false
        }
        return true
    }

    /// `x IN (set)` for many values: one hash lookup per row.
    /// `integers`: the set's integer members (for integer columns), built once per subquery.
    static func inSet(_ a: Column, _ set: @autoclosure () -> Set<Value>, integers: @autoclosure () -> IntegerSet, hasNull: Bool,
                      negated: Bool) -> Column {
        let n = a.count
        var mask = [UInt8](repeating: 0, count: n)
        let c = a.materialized()
        switch c.storage {
        case let .int64(v) where !c.type.isDecimal:
            let ints = integers()
            v.withUnsafeBufferPointer { v in for i in 0..<n where ints.contains(v[i]) { mask[i] = 1 } }
        case let .int32(v):
            let ints = integers()
            v.withUnsafeBufferPointer { v in for i in 0..<n where ints.contains(Int64(v[i])) { mask[i] = 1 } }
        default:
            let set = set()
            for i in 0..<n where !c.isNull(i) && set.contains(Value.from(c, i)) { mask[i] = 1 }
        }
        var validity = c.validity
        if hasNull {
            validity = Bitmap((0..<n).map { !c.isNull($0) && mask[$0] != 0 })
        }
        if negated { for i in 0..<n { mask[i] ^= 1 } }
        return Column(type: .boolean, count: n, validity: validity, storage: .boolean(mask))
    }

    @inline(__always)
    static func fill<T: Comparable>(_ mask: inout [UInt8], _ v: [T], _ s: T, _ op: ComparisonOperator) {
        let n = mask.count
        mask.withUnsafeMutableBufferPointer { m in
            v.withUnsafeBufferPointer { p in
                // One loop per operator so each vectorizes.
                switch op {
                case .equal: for i in 0..<n { m[i] = p[i] == s ? 1 : 0 }
                case .notEqual: for i in 0..<n { m[i] = p[i] != s ? 1 : 0 }
                case .less: for i in 0..<n { m[i] = p[i] < s ? 1 : 0 }
                case .lessOrEqual: for i in 0..<n { m[i] = p[i] <= s ? 1 : 0 }
                case .greater: for i in 0..<n { m[i] = p[i] > s ? 1 : 0 }
                case .greaterOrEqual: for i in 0..<n { m[i] = p[i] >= s ? 1 : 0 }
                }
            }
        }
    }

    static func fill2<T: Comparable>(_ mask: inout [UInt8], _ u: [T], _ v: [T], _ op: ComparisonOperator) {
        let n = mask.count
        mask.withUnsafeMutableBufferPointer { m in
            u.withUnsafeBufferPointer { a in
                v.withUnsafeBufferPointer { b in
                    switch op {
                    case .equal: for i in 0..<n { m[i] = a[i] == b[i] ? 1 : 0 }
                    case .notEqual: for i in 0..<n { m[i] = a[i] != b[i] ? 1 : 0 }
                    case .less: for i in 0..<n { m[i] = a[i] < b[i] ? 1 : 0 }
                    case .lessOrEqual: for i in 0..<n { m[i] = a[i] <= b[i] ? 1 : 0 }
                    case .greater: for i in 0..<n { m[i] = a[i] > b[i] ? 1 : 0 }
                    case .greaterOrEqual: for i in 0..<n { m[i] = a[i] >= b[i] ? 1 : 0 }
                    }
                }
            }
        }
    }

    static func fillFloat<T: BinaryFloatingPoint>(_ mask: inout [UInt8], _ v: [T], _ s: T, _ op: ComparisonOperator) {
        if s.isNaN || v.contains(where: \.isNaN) {
            for i in 0..<mask.count { mask[i] = op.holds(floatOrder(v[i], s)) ? 1 : 0 }
        } else {
            fill(&mask, v, s, op)
        }
    }

    /// PostgreSQL float order: NaN equals NaN and sorts above every number.
    @inline(__always) static func floatOrder<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> Int {
        if a.isNaN { return b.isNaN ? 0 : 1 }
        if b.isNaN { return -1 }
        return a < b ? -1 : (a > b ? 1 : 0)
    }

    @inline(__always)
    static func compareBytes(_ d: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ s: UnsafeBufferPointer<UInt8>) -> Int {
        let len = end - start
        let common = min(len, s.count)
        if common > 0 {
            let r = memcmpBytes(d.baseAddress! + start, s.baseAddress!, common)
            if r != 0 { return r }
        }
        return len < s.count ? -1 : (len > s.count ? 1 : 0)
    }

    @inline(__always)
    static func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Int {
        Int(memcmp(a, b, n))
    }
}

extension DataType {
    var isDecimal: Bool {
        if case .decimal = self { return true }
        return false
    }
}

/// Total order of values of one type (sorting, MIN/MAX over rows, row paths).
enum ValueOrder {
    static func compare(_ a: Value, _ b: Value) -> Int {
        switch (a, b) {
        case (.null, .null): return 0
        case (.null, _): return 1
        case (_, .null): return -1
        case let (.boolean(x), .boolean(y)): return x == y ? 0 : (!x ? -1 : 1)
        case let (.int(x), .int(y)): return x < y ? -1 : (x > y ? 1 : 0)
        case let (.double(x), .double(y)): return Comparison.floatOrder(x, y)
        case let (.decimal(x), .decimal(y)): return x < y ? -1 : (x > y ? 1 : 0)
        case let (.int(x), .decimal(y)): return Int128(x) < y ? -1 : (Int128(x) > y ? 1 : 0)
        case let (.decimal(x), .int(y)): return x < Int128(y) ? -1 : (x > Int128(y) ? 1 : 0)
        case let (.string(x), .string(y)):
            return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8)) ? -1 : (x == y ? 0 : 1)
        case let (.bytes(x), .bytes(y)): return x.lexicographicallyPrecedes(y) ? -1 : (x == y ? 0 : 1)
        case let (.interval(x), .interval(y)): return x.span < y.span ? -1 : (x.span > y.span ? 1 : 0)
        default: return 0
        }
    }
}
