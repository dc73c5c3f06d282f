import Columnar

/// CAST between canonical types, with PostgreSQL's rules: integer ranges
/// checked, float → integer rounds half to even... (PostgreSQL rounds to nearest),
/// numeric rounds half away from zero, text parses strictly.
enum Casts {
    static func cast(_ column: Column, to target: DataType) throws(EngineError) -> Column {
        let c = column.materialized()
        let source = c.type
        if source == target { return column }
        let n = c.count
        switch target {
        case .string:
            var b = ColumnBuilder(type: .string, capacity: n)
            for i in 0..<n {
                if c.isNull(i) { b.append(.null); continue }
                // Casting a boolean to text spells it out (its output form is t/f).
                if case let .boolean(v) = c.storage { b.append(.string(v[i] != 0 ? "true" : "false")); continue }
                b.append(.string(text(c, i)))
            }
            return b.finish()
        case .int16, .int32, .int64:
            var out = [Int64](repeating: 0, count: n)
            switch c.storage {
            case .int16, .int32, .int64, .int8: out = Arithmetic.integers(c)
            case let .boolean(v): out = v.map { Int64($0) }
            case .float32, .float64:
                let d = Arithmetic.doubles(c)
                for i in 0..<n where !c.isNull(i) {
                    let r = d[i].rounded(.toNearestOrEven)
                    guard r.isFinite, r >= -9.223372036854775808e18, r < 9.223372036854775808e18 else { throw outOfRange(target) }
                    out[i] = Int64(r)
                }
            case .int128:
                let w = Decimal.wide(c)
                let s = Arithmetic.scale(source)
                for i in 0..<n where !c.isNull(i) {
                    let r = Decimal.rescale(w[i], from: s, to: 0)
                    guard r >= Int128(Int64.min), r <= Int128(Int64.max) else { throw outOfRange(target) }
                    out[i] = Int64(r)
                }
            case .bytes:
                for i in 0..<n where !c.isNull(i) {
                    let t = text(c, i).trimmingSpaces
                    guard let v = Int64(t) else {
                        if !t.isEmpty, t.drop(while: { $0 == "-" || $0 == "+" }).allSatisfy(\.isNumber) {
                            throw .numericOverflow("value \"\(text(c, i))\" is out of range for type \(SQLTypes.name(target))")
                        }
                        throw .invalidText("invalid input syntax for type \(SQLTypes.name(target)): \"\(text(c, i))\"")
                    }
                    let range: ClosedRange<Int64> = target == .int16 ? Int64(Int16.min)...Int64(Int16.max)
                        : target == .int32 ? Int64(Int32.min)...Int64(Int32.max) : Int64.min...Int64.max
                    guard range.contains(v) else {
                        throw .numericOverflow("value \"\(text(c, i))\" is out of range for type \(SQLTypes.name(target))")
                    }
                    out[i] = v
                }
            default: throw unsupported(source, target)
            }
            if case .decimal(_, let s) = source, case .int64 = c.storage {
                // Decimal stored in Int64: round the scale away.
                let w = Decimal.wide(c)
                for i in 0..<n { out[i] = Int64(truncatingIfNeeded: Decimal.rescale(w[i], from: s, to: 0)) }
            }
            let bounds: ClosedRange<Int64> = target == .int16 ? Int64(Int16.min)...Int64(Int16.max)
                : target == .int32 ? Int64(Int32.min)...Int64(Int32.max) : Int64.min...Int64.max
            for i in 0..<n where !c.isNull(i) && !bounds.contains(out[i]) { throw outOfRange(target) }
            return integerColumn(out, type: target, validity: c.validity)
        case .float32, .float64:
            var d: [Double]
            switch c.storage {
            case .bytes:
                d = [Double](repeating: 0, count: n)
                for i in 0..<n where !c.isNull(i) {
                    guard let v = parseDouble(text(c, i)) else {
                        throw .invalidText("invalid input syntax for type \(SQLTypes.name(target)): \"\(text(c, i))\"")
                    }
                    d[i] = v
                }
            case .boolean: throw unsupported(source, target)
            default: d = Arithmetic.doubles(c)
            }
            if target == .float32 { return Column(type: target, count: n, validity: c.validity, storage: .float32(d.map { Float($0) })) }
            return Column(type: target, count: n, validity: c.validity, storage: .float64(d))
        case let .decimal(p, s):
            var out = [Int128](repeating: 0, count: n)
            switch c.storage {
            case .int16, .int32, .int64, .int128, .int8:
                let w = Decimal.wide(c)
                let from = Arithmetic.scale(source)
                for i in 0..<n { out[i] = Decimal.rescale(w[i], from: from, to: s) }
            case .float32, .float64:
                let d = Arithmetic.doubles(c)
                for i in 0..<n where !c.isNull(i) {
                    guard d[i].isFinite else { throw .invalidText("cannot convert \(d[i]) to numeric") }
                    guard let v = parseDecimal(String(d[i]), scale: s) else { throw outOfRange(target) }
                    out[i] = v
                }
            case .bytes:
                for i in 0..<n where !c.isNull(i) {
                    guard let v = parseDecimal(text(c, i).trimmingSpaces, scale: s) else {
                        throw .invalidText("invalid input syntax for type numeric: \"\(text(c, i))\"")
                    }
                    out[i] = v
                }
            default: throw unsupported(source, target)
            }
            return try Decimal.column(out, precision: p, scale: s, validity: c.validity)
        case .boolean:
            var out = [UInt8](repeating: 0, count: n)
            switch c.storage {
            case .int16, .int32, .int64: out = Arithmetic.integers(c).map { $0 != 0 ? 1 : 0 }
            case .bytes:
                for i in 0..<n where !c.isNull(i) {
                    switch text(c, i).trimmingSpaces.lowercased() {
                    case "t", "true", "y", "yes", "on", "1": out[i] = 1
                    case "f", "false", "n", "no", "off", "0": out[i] = 0
                    default: throw .invalidText("invalid input syntax for type boolean: \"\(text(c, i))\"")
                    }
                }
            default: throw unsupported(source, target)
            }
            return Column(type: .boolean, count: n, validity: c.validity, storage: .boolean(out))
        case .date32:
            var out = [Int32](repeating: 0, count: n)
            switch (c.storage, source) {
            case let (.int64(v), .timestamp):
                for i in 0..<n { out[i] = Int32(truncatingIfNeeded: floorDiv(v[i], 86_400_000_000)) }
            case (.bytes, _):
                for i in 0..<n where !c.isNull(i) {
                    guard let d = DateTime.parseDate(text(c, i).trimmingSpaces) else {
                        throw DateTime.dateError(text(c, i), type: "date")
                    }
                    out[i] = d
                }
            default: throw unsupported(source, target)
            }
            return Column(type: .date32, count: n, validity: c.validity, storage: .int32(out))
        case .timestamp:
            var out = [Int64](repeating: 0, count: n)
            switch (c.storage, source) {
            case let (.int32(v), .date32): for i in 0..<n { out[i] = Int64(v[i]) &* 86_400_000_000 }
            case let (.int64(v), .timestamp): out = v
            case (.bytes, _):
                for i in 0..<n where !c.isNull(i) {
                    guard let t = DateTime.parseTimestamp(text(c, i).trimmingSpaces) else {
                        throw DateTime.dateError(text(c, i), type: SQLTypes.name(target))
                    }
                    out[i] = t
                }
            default: throw unsupported(source, target)
            }
            return Column(type: target, count: n, validity: c.validity, storage: .int64(out))
        case .binary:
            if case .bytes = c.storage { var r = c; r.type = .binary; return r }
            throw unsupported(source, target)
        case .interval:
            guard case .bytes = c.storage else { throw unsupported(source, target) }
            var b = ColumnBuilder(type: .interval, capacity: n)
            for i in 0..<n {
                if c.isNull(i) { b.append(.null); continue }
                guard let iv = DateTime.parseInterval(text(c, i), qualifier: nil) else {
                    throw .invalidText("invalid input syntax for type interval: \"\(text(c, i))\"")
                }
                b.append(.interval(iv))
            }
            return b.finish()
        default:
            break
        }
        throw unsupported(source, target)
    }

    /// Casts one value (constant folding).
    static func cast(_ value: Value, from: DataType, to: DataType) throws(EngineError) -> Value {
        if value.isNull { return .null }
        var b = ColumnBuilder(type: from)
        b.append(value)
        return Value.from(try cast(b.finish(), to: to), 0)
    }

    static func integerColumn(_ v: [Int64], type: DataType, validity: Bitmap?) -> Column {
        switch type {
        case .int16: Column(type: type, count: v.count, validity: validity, storage: .int16(v.map { Int16(truncatingIfNeeded: $0) }))
        case .int32: Column(type: type, count: v.count, validity: validity, storage: .int32(v.map { Int32(truncatingIfNeeded: $0) }))
        default: Column(type: type, count: v.count, validity: validity, storage: .int64(v))
        }
    }

    /// PostgreSQL's text form of value `i` (floats in shortest round-trip form).
    static func text(_ c: Column, _ i: Int) -> String {
        ValueText.format(c, i) ?? ""
    }

    static func parseDouble(_ text: String) -> Double? {
        switch text.trimmingSpaces.lowercased() {
        case "nan": return .nan
        case "infinity", "inf", "+infinity": return .infinity
        case "-infinity", "-inf": return -.infinity
        default: return Double(text.trimmingSpaces)
        }
    }

    /// `[-+]digits[.digits][e[-+]digits]` at `scale`, rounded half away from zero.
    static func parseDecimal(_ text: String, scale: Int) -> Int128? {
        var s = Substring(text)
        var negative = false
        if s.first == "-" || s.first == "+" { negative = s.first == "-"; s = s.dropFirst() }
        var exponent = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            // Exponents beyond any representable numeric are refused (they would also loop for long).
            guard let x = Int(s[s.index(after: e)...]), (-1000...1000).contains(x) else { return nil }
            exponent = x
            s = s[..<e]
        }
        var digits: [UInt8] = []
        var fraction = 0
        var seenPoint = false
        for ch in s.utf8 {
            if ch == UInt8(ascii: ".") { if seenPoint { return nil }; seenPoint = true; continue }
            guard ch >= 48, ch <= 57 else { return nil }
            digits.append(ch - 48)
            if seenPoint { fraction += 1 }
        }
        guard !digits.isEmpty, digits.count < 80 else { return nil }
        var value: Int128 = 0
        var currentScale = fraction - exponent
        for d in digits {
            let r = value.multipliedReportingOverflow(by: 10)
            if r.overflow { return nil }
            value = r.partialValue + Int128(d)
        }
        while currentScale < scale {
            let r = value.multipliedReportingOverflow(by: 10)
            if r.overflow { return nil }
            value = r.partialValue
            currentScale += 1
        }
        if currentScale > scale { value = Decimal.roundedDivide(value, Decimal.power(currentScale - scale)) }
        return negative ? -value : value
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func outOfRange(_ t: DataType) -> EngineError {
        .numericOverflow("\(SQLTypes.name(t)) out of range")
    }

    static func unsupported(_ from: DataType, _ to: DataType) -> EngineError {
        EngineError("42846", "cannot cast type \(SQLTypes.name(from)) to \(SQLTypes.name(to))")
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
