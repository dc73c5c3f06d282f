import Columnar

/// + - * / % over columns of one numeric type (the binder casts operands):
/// integers with overflow errors and truncating division, doubles as IEEE,
/// decimals exact (scales aligned by the binder for + and -; * adds scales;
/// / rounds half away from zero to the result scale).
enum Arithmetic {
    static func apply(_ op: ArithmeticOperator, _ a: Column, _ b: Column, resultType: DataType) throws(EngineError) -> Column {
        let x = a.materialized(), y = b.materialized()
        let n = x.count
        let validity = Column.andValidity(x.validity, y.validity)
        switch resultType {
        case .int16, .int32, .int64:
            let (u, v) = (integers(x), integers(y))
            var out = [Int64](repeating: 0, count: n)
            let bounds: ClosedRange<Int64> = switch resultType {
            case .int16: Int64(Int16.min)...Int64(Int16.max)
            case .int32: Int64(Int32.min)...Int64(Int32.max)
            default: Int64.min...Int64.max
            }
            for i in 0..<n {
                if let validity, !validity[i] { continue }
                let r: (partialValue: Int64, overflow: Bool)
                switch op {
                case .add: r = u[i].addingReportingOverflow(v[i])
                case .subtract: r = u[i].subtractingReportingOverflow(v[i])
                case .multiply: r = u[i].multipliedReportingOverflow(by: v[i])
                case .divide:
                    if v[i] == 0 { throw .divisionByZero() }
                    r = u[i].dividedReportingOverflow(by: v[i])
                case .modulo:
                    if v[i] == 0 { throw .divisionByZero() }
                    r = v[i] == -1 ? (0, false) : u[i].remainderReportingOverflow(dividingBy: v[i])
                }
                if r.overflow || !bounds.contains(r.partialValue) {
                    throw .numericOverflow("\(resultType == .int64 ? "bigint" : resultType == .int16 ? "smallint" : "integer") out of range")
                }
                out[i] = r.partialValue
            }
            return Casts.integerColumn(out, type: resultType, validity: validity)
        case .float32, .float64:
            let (u, v) = (doubles(x), doubles(y))
            var out = [Double](repeating: 0, count: n)
            switch op {
            case .add: for i in 0..<n { out[i] = u[i] + v[i] }
            case .subtract: for i in 0..<n { out[i] = u[i] - v[i] }
            case .multiply: for i in 0..<n { out[i] = u[i] * v[i] }
            case .divide:
                for i in 0..<n {
                    if v[i] == 0, validity?[i] ?? true { throw .divisionByZero() }
                    out[i] = u[i] / v[i]
                }
            case .modulo:
                for i in 0..<n {
                    if v[i] == 0, validity?[i] ?? true { throw .divisionByZero() }
                    out[i] = u[i].truncatingRemainder(dividingBy: v[i])
                }
            }
            if resultType == .float32 {
                return Column(type: .float32, count: n, validity: validity, storage: .float32(out.map { Float($0) }))
            }
            return Column(type: .float64, count: n, validity: validity, storage: .float64(out))
        case let .decimal(p, s):
            let sa = scale(x.type), sb = scale(y.type)
            // Fast path: both Int64 and a result that fits Int64, for + and -.
            if p <= 18, case let .int64(u) = x.storage, case let .int64(v) = y.storage, sa == s, sb == s,
               op == .add || op == .subtract {
                let (out, overflow) = Self.addOrSubtract(u, v, subtract: op == .subtract)
                // NULL slots hold unspecified values: only a real row's overflow is an error.
                if overflow, (0..<n).contains(where: { i in
                    (validity?[i] ?? true) && (op == .add ? u[i].addingReportingOverflow(v[i]) : u[i].subtractingReportingOverflow(v[i])).overflow
                }) {
                    throw .numericOverflow("numeric field overflow")
                }
                return Column(type: resultType, count: n, validity: validity, storage: .int64(out))
            }
            if op == .multiply, sa + sb == s, case let .int64(u) = x.storage, case let .int64(v) = y.storage {
                // 64 × 64 bits always fits 128: no overflow check and no widening copies.
                if p <= 18 {
                    var out = [Int64](repeating: 0, count: n)
                    for i in 0..<n {
                        let r = u[i].multipliedReportingOverflow(by: v[i])
                        if r.overflow, validity?[i] ?? true { throw .numericOverflow("numeric field overflow") }
                        out[i] = r.partialValue
                    }
                    return Column(type: resultType, count: n, validity: validity, storage: .int64(out))
                }
                let out = [Int128](unsafeUninitializedCapacity: n) { o, initialized in
                    u.withUnsafeBufferPointer { a in
                        v.withUnsafeBufferPointer { b in
                            for i in 0..<n { o[i] = Int128(a[i]) * Int128(b[i]) }
                        }
                    }
                    initialized = n
                }
                return Column(type: resultType, count: n, validity: validity, storage: .int128(out))
            }
            if op == .add || op == .subtract, sa == s, sb == s {
                // Both already at the result scale (the binder aligned them): one widening
                // add per row; the precision check below reports overflow.
                let (u, v) = (Decimal.wide(x), Decimal.wide(y))
                let (out, overflow) = Self.addOrSubtract(u, v, subtract: op == .subtract)
                if overflow, (0..<n).contains(where: { i in
                    (validity?[i] ?? true) && (op == .add ? u[i].addingReportingOverflow(v[i]) : u[i].subtractingReportingOverflow(v[i])).overflow
                }) {
                    throw .numericOverflow("numeric field overflow")
                }
                return try Decimal.column(out, precision: p, scale: s, validity: validity)
            }
            if op == .multiply, sa + sb == s, case let .int128(u) = x.storage, case let .int64(v) = y.storage,
               let narrow = Self.narrowed(u) {
                // Wide storage holding 64-bit values (Q1's price × (1 - discount) × (1 + tax)):
                // one 64 × 64 → 128-bit multiply per row, and |product| < 2^126 < 10^38.
                let out = [Int128](unsafeUninitializedCapacity: n) { o, initialized in
                    narrow.withUnsafeBufferPointer { a in
                        v.withUnsafeBufferPointer { b in
                            for i in 0..<n { o[i] = Int128(a[i]) * Int128(b[i]) }
                        }
                    }
                    initialized = n
                }
                if p >= 38 { return Column(type: resultType, count: n, validity: validity, storage: .int128(out)) }
                return try Decimal.column(out, precision: p, scale: s, validity: validity)
            }
            if op == .multiply, sa + sb == s, case let .int128(u) = x.storage, case let .int64(v) = y.storage {
                var out = [Int128](repeating: 0, count: n)
                var overflow = false
                out.withUnsafeMutableBufferPointer { o in
                    u.withUnsafeBufferPointer { a in
                        v.withUnsafeBufferPointer { b in
                            for i in 0..<n {
                                let r = a[i].multipliedReportingOverflow(by: Int128(b[i]))
                                o[i] = r.partialValue
                                overflow = overflow || r.overflow
                            }
                        }
                    }
                }
                // NULL slots hold unspecified values: only a real row's overflow is an error.
                if overflow, (0..<n).contains(where: { (validity?[$0] ?? true) && u[$0].multipliedReportingOverflow(by: Int128(v[$0])).overflow }) {
                    throw .numericOverflow("numeric field overflow")
                }
                return try Decimal.column(out, precision: p, scale: s, validity: validity)
            }
            let (u, v) = (Decimal.wide(x), Decimal.wide(y))
            var out = [Int128](repeating: 0, count: n)
            for i in 0..<n {
                if let validity, !validity[i] { continue }
                switch op {
                case .add, .subtract:
                    let a = Decimal.rescale(u[i], from: sa, to: s), b = Decimal.rescale(v[i], from: sb, to: s)
                    let r = op == .add ? a.addingReportingOverflow(b) : a.subtractingReportingOverflow(b)
                    if r.overflow { throw .numericOverflow("numeric field overflow") }
                    out[i] = r.partialValue
                case .multiply:
                    let r = u[i].multipliedReportingOverflow(by: v[i])
                    if r.overflow { throw .numericOverflow("numeric field overflow") }
                    out[i] = Decimal.rescale(r.partialValue, from: sa + sb, to: s)
                case .divide:
                    if v[i] == 0 { throw .divisionByZero() }
                    // a/10^sa ÷ b/10^sb at scale s: a·10^(s+sb-sa) ÷ b, rounded.
                    let shift = s + sb - sa
                    var num = u[i] / Decimal.power(max(0, -shift))
                    if shift >= 0 {
                        let scaled = u[i].multipliedReportingOverflow(by: Decimal.power(shift))
                        if scaled.overflow { throw .numericOverflow("numeric field overflow") }
                        num = scaled.partialValue
                    }
                    out[i] = Decimal.roundedDivide(num, v[i])
                case .modulo:
                    if v[i] == 0 { throw .divisionByZero() }
                    let common = max(sa, sb)
                    let r = Decimal.rescale(u[i], from: sa, to: common) % Decimal.rescale(v[i], from: sb, to: common)
                    out[i] = Decimal.rescale(r, from: common, to: s)
                }
            }
            return try Decimal.column(out, precision: p, scale: s, validity: validity)
        default:
            throw .featureNotSupported("arithmetic on \(SQLTypes.name(resultType))")
        }
    }

    /// `u[i] ± v[i]` for every row, wrapping, and whether any row overflowed (callers decide
    /// whether that row is NULL, whose slot holds an unspecified value).
    static func addOrSubtract<T: FixedWidthInteger>(_ u: [T], _ v: [T], subtract: Bool) -> (values: [T], overflow: Bool) {
        let n = min(u.count, v.count)
        var overflow = false
        let out = [T](unsafeUninitializedCapacity: n) { o, initialized in
            u.withUnsafeBufferPointer { a in
                v.withUnsafeBufferPointer { b in
                    if subtract {
                        for i in 0..<n { let r = a[i].subtractingReportingOverflow(b[i]); o[i] = r.partialValue; overflow = overflow || r.overflow }
                    } else {
                        for i in 0..<n { let r = a[i].addingReportingOverflow(b[i]); o[i] = r.partialValue; overflow = overflow || r.overflow }
                    }
                }
            }
            initialized = n
        }
        return (out, overflow)
    }

    /// The values as 64-bit integers, when every one fits (nil otherwise).
    static func narrowed(_ v: [Int128]) -> [Int64]? {
        var fits = true
        let out = [Int64](unsafeUninitializedCapacity: v.count) { o, initialized in
            v.withUnsafeBufferPointer { v in
                for i in 0..<v.count {
                    let x = Int64(truncatingIfNeeded: v[i])
                    fits = fits && Int128(x) == v[i]
                    o[i] = x
                }
            }
            initialized = v.count
        }
        return fits ? out : nil
    }

    static func negate(_ a: Column) throws(EngineError) -> Column {
        let x = a.materialized()
        var c = x
        switch x.storage {
        case let .int16(v):
            if v.indices.contains(where: { v[$0] == .min && !x.isNull($0) }) { throw .numericOverflow("smallint out of range") }
            c.storage = .int16(v.map { 0 &- $0 })
        case let .int32(v):
            if v.indices.contains(where: { v[$0] == .min && !x.isNull($0) }) { throw .numericOverflow("integer out of range") }
            c.storage = .int32(v.map { 0 &- $0 })
        case let .int64(v):
            if v.indices.contains(where: { v[$0] == .min && !x.isNull($0) }) {
                throw .numericOverflow(x.type == .int64 ? "bigint out of range" : "numeric field overflow")
            }
            c.storage = .int64(v.map { 0 &- $0 })
        case let .int128(v): c.storage = .int128(v.map { 0 &- $0 })
        case let .float32(v): c.storage = .float32(v.map { -$0 })
        case let .float64(v): c.storage = .float64(v.map { -$0 })
        default: throw .undefinedFunction("operator does not exist: - \(SQLTypes.name(x.type))")
        }
        return c
    }

    static func scale(_ t: DataType) -> Int {
        if case let .decimal(_, s) = t { return s }
        return 0
    }

    static func integers(_ c: Column) -> [Int64] {
        switch c.storage {
        case let .int16(v): v.map { Int64($0) }
        case let .int32(v): v.map { Int64($0) }
        case let .int64(v): v
        case let .int8(v): v.map { Int64($0) }
        default: [Int64](repeating: 0, count: c.count)
        }
    }

    static func doubles(_ c: Column) -> [Double] {
        switch c.storage {
        case let .float64(v): return v
        case let .float32(v): return v.map { Double($0) }
        case let .int16(v): return v.map { Double($0) }
        case let .int32(v): return v.map { Double($0) }
        case let .int64(v):
            if case let .decimal(_, s) = c.type { let d = pow10(s); return v.map { Double($0) / d } }
            return v.map { Double($0) }
        case let .int128(v):
            let d = pow10(scale(c.type))
            return v.map { Double($0) / d }
        default: return [Double](repeating: 0, count: c.count)
        }
    }

    static func pow10(_ k: Int) -> Double {
        var r = 1.0
        for _ in 0..<k { r *= 10 }
        return r
    }
}

/// Exact decimal helpers over unscaled Int128 values.
enum Decimal {
    static func power(_ k: Int) -> Int128 {
        var r: Int128 = 1
        for _ in 0..<max(0, min(k, 38)) { r *= 10 }
        return r
    }

    static func rescale(_ v: Int128, from: Int, to: Int) -> Int128 {
        if from == to { return v }
        // Wrapping: callers check the result against the type's precision, which an overflow fails.
        if to > from { return v &* power(to - from) }
        return roundedDivide(v, power(from - to))
    }

    /// a ÷ b rounded half away from zero (PostgreSQL's numeric rounding).
    static func roundedDivide(_ a: Int128, _ b: Int128) -> Int128 {
        let q = a / b, r = a % b
        if r == 0 { return q }
        let twice = (r < 0 ? -r : r) * 2
        let absB = b < 0 ? -b : b
        if twice >= absB { return (a < 0) != (b < 0) ? q - 1 : q + 1 }
        return q
    }

    static func wide(_ c: Column) -> [Int128] {
        switch c.storage {
        case let .int64(v): v.map { Int128($0) }
        case let .int128(v): v
        case let .int32(v): v.map { Int128($0) }
        case let .int16(v): v.map { Int128($0) }
        default: [Int128](repeating: 0, count: c.count)
        }
    }

    /// A decimal column in the storage its precision calls for, checking that values fit.
    static func column(_ values: [Int128], precision: Int, scale: Int, validity: Bitmap?) throws(EngineError) -> Column {
        let limit = power(precision)
        let outside = values.withUnsafeBufferPointer { v in
            var any = false
            for x in v { any = any || x >= limit || x <= -limit }
            return any
        }
        if outside {
            for (i, v) in values.enumerated() where v >= limit || v <= -limit {
                if validity?[i] ?? true {
                    throw .numericOverflow("numeric field overflow: a value does not fit numeric(\(precision),\(scale))")
                }
            }
        }
        let type = DataType.decimal(precision: precision, scale: scale)
        if precision <= 18 {
            return Column(type: type, count: values.count, validity: validity, storage: .int64(values.map { Int64(truncatingIfNeeded: $0) }))
        }
        return Column(type: type, count: values.count, validity: validity, storage: .int128(values))
    }
}
