import Crypto
import Columnar

/// Built-in scalar functions after overload resolution: the binder picks the
/// case and casts the arguments, so evaluation never guesses types.
enum ScalarFunction: Sendable, Hashable {
    case lower, upper, length, octetLength
    /// substring(s, start[, count]) in characters, 1-based.
    case substring
    /// concat(a, b, ...): NULL arguments are skipped.
    case concat
    /// a || b: NULL when either side is NULL, as PostgreSQL's text concatenation.
    case textConcat
    case trim(leading: Bool, trailing: Bool)
    case replace
    case position
    case left, right
    case startsWith
    case repeatText
    case reverse
    case abs
    case round, trunc
    case floor, ceil
    case sqrt, power, exp, ln, log10
    case sign
    /// extract(field FROM date/timestamp) → numeric.
    case extract(String)
    case dateTrunc(String)
    /// date/timestamp ± constant interval (negated already for minus).
    case addInterval(Interval)
    /// date - date → integer days.
    case dateDifference
    /// date ± integer days.
    case addDays(negate: Bool)
    case greatest, least
    case nullIf
    case toChar
    case md5
    case randomValue
    /// GROUPING(keys): bits of the grouping-set id for those key positions.
    case grouping([Int])
    case makeDate, makeTimestamp
    /// A double → double function of the C library (sin, cos, cbrt, degrees, ...).
    case math(String)
    case atan2
    case integerDivide, gcd, lcm
    case concatWithSeparator
    case pad(left: Bool)
    case splitPart
    case initcap
    case truncateText(Int)
    case ascii, chr, translate, toHex
    /// timestamp ± an interval column (constant intervals use `addInterval`).
    case addIntervalColumn(negate: Bool)
    case timestampDifference
    case intervalAdd(negate: Bool)
    case intervalScale(divide: Bool)
    case intervalNegate
    case extractInterval(String)
    /// LIKE with a pattern that is not a constant: compiled per row.
    case likeMatch(caseInsensitive: Bool, negated: Bool)
    /// Catalog, regular-expression and array functions (SystemFunction.swift).
    case system(SystemFunction)
    /// ROW(a, b, ...): a record (struct) of its arguments.
    case makeRecord
    /// `(record).field`: the field at this position (NULL where the record is).
    case recordField(Int)
    /// `& | # << >>` on integers.
    case bitwise(BitwiseOperator)

    var name: String { "\(self)" }

    /// A pure function of one row's arguments (so it may be computed per dictionary entry).
    var isRowWise: Bool {
        switch self {
        case .randomValue, .grouping, .concat, .concatWithSeparator, .nullIf, .greatest, .least, .makeRecord, .recordField: false
        default: true
        }
    }

    func evaluate(_ args: [Column], rowCount n: Int, resultType: DataType) throws(EngineError) -> Column {
        let cols = args.map { $0.materialized() }
        switch self {
        case let .system(f):
            return try f.evaluate(cols, rowCount: n, resultType: resultType)
        case .makeRecord:
            return Column(type: resultType, count: n, validity: nil, storage: .structure(cols))
        case let .bitwise(op):
            let a = Arithmetic.integers(cols[0]), b = Arithmetic.integers(cols[1])
            // PostgreSQL shifts an int2 as an int4 and an int4 or int8 within its width (the
            // count taken modulo it, as x86 does), keeping the sign; the result is truncated to the type.
            let bits = Int64(resultType == .int64 ? 64 : 32)
            var out = [Int64](repeating: 0, count: n)
            for i in 0..<n {
                switch op {
                case .and: out[i] = a[i] & b[i]
                case .or: out[i] = a[i] | b[i]
                case .xor: out[i] = a[i] ^ b[i]
                case .shiftLeft: out[i] = a[i] << ((b[i] % bits + bits) % bits)  // truncated to the type below
                case .shiftRight: out[i] = a[i] >> ((b[i] % bits + bits) % bits)
                }
            }
            return Cast.integerColumn(out, type: resultType, validity: Column.andValidity(cols[0].validity, cols[1].validity))
        case let .recordField(k):
            guard case let .structure(children) = cols[0].storage, k < children.count else { break }
            var field = children[k].materialized()
            field.validity = Column.andValidity(field.validity, cols[0].validity)
            return field
        case let .extract(field):
            let src = cols[0]
            guard let part = DateTime.DatePart(rawValue: field) else {
                // A strict function: over NULLs only (or no rows) the unit is never looked at.
                if src.nullCount == n {
                    return try Decimal.column(Array(repeating: 0, count: n), precision: resultType.decimalPrecision,
                                              scale: Arithmetic.scale(resultType), validity: Bitmap(repeating: false, count: n))
                }
                throw EngineError("22023", "unit \"\(field)\" not recognized for type \(SQLTypes.name(src.type))")
            }
            var out = [Int128](repeating: 0, count: n)
            let scale = Arithmetic.scale(resultType)
            let factor = Double(Decimal.power(scale))
            // Dates hold days, timestamps microseconds: one loop each, the part decided once.
            switch src.storage {
            case let .int32(days):
                for i in 0..<n where !src.isNull(i) {
                    out[i] = Int128((DateTime.extract(part, micros: Int64(days[i]) &* DateTime.microsPerDay) * factor).rounded())
                }
            case let .int64(micros):
                for i in 0..<n where !src.isNull(i) {
                    out[i] = Int128((DateTime.extract(part, micros: micros[i]) * factor).rounded())
                }
            default:
                break
            }
            return try Decimal.column(out, precision: resultType.decimalPrecision, scale: scale, validity: src.validity)
        case let .dateTrunc(field):
            let src = cols[0]
            var out = [Int64](repeating: 0, count: n)
            for i in 0..<n where !src.isNull(i) {
                guard let t = DateTime.truncate(field, micros: Self.micros(src, i)) else {
                    throw EngineError("22023", "unit \"\(field)\" not recognized for type \(SQLTypes.name(src.type))")
                }
                out[i] = t
            }
            return Column(type: resultType, count: n, validity: src.validity, storage: .int64(out))
        case let .addInterval(interval):
            let src = cols[0]
            var out = [Int64](repeating: 0, count: n)
            for i in 0..<n where !src.isNull(i) { out[i] = DateTime.add(interval, toMicros: Self.micros(src, i)) }
            if resultType == .date32 {
                return Column(type: .date32, count: n, validity: src.validity,
                              storage: .int32(out.map { Int32(truncatingIfNeeded: Cast.floorDiv($0, DateTime.microsPerDay)) }))
            }
            return Column(type: resultType, count: n, validity: src.validity, storage: .int64(out))
        case .dateDifference:
            guard case let .int32(a) = cols[0].storage, case let .int32(b) = cols[1].storage else { break }
            return Column(type: .int32, count: n, validity: Column.andValidity(cols[0].validity, cols[1].validity),
                          storage: .int32(zip(a, b).map { $0 &- $1 }))
        case .substring where cols[0].type == .string:
            guard case let .bytes(offsets, data) = cols[0].storage else { break }
            let starts = Arithmetic.integers(cols[1])
            let counts: [Int64]? = cols.count > 2 ? Arithmetic.integers(cols[2]) : nil
            var outOffsets = [Int](repeating: 0, count: n + 1)
            var outData = [UInt8]()
            outData.reserveCapacity(data.count)
            var validity = cols[0].validity
            for c in cols.dropFirst() { validity = Column.andValidity(validity, c.validity) }
            try data.withUnsafeBufferPointer { d throws(EngineError) in
                for i in 0..<n {
                    defer { outOffsets[i + 1] = outData.count }
                    if let validity, !validity[i] { continue }
                    let start = starts[i]
                    var end = Int64.max
                    if let counts {
                        guard counts[i] >= 0 else { throw EngineError("22011", "negative substring length not allowed") }
                        end = start &+ counts[i]
                    }
                    // Walk characters (UTF-8 lead bytes) to the bytes of positions start..<end (1-based).
                    var position: Int64 = 1
                    var b = offsets[i]
                    let stop = offsets[i + 1]
                    var first = -1
                    while b < stop && position < end {
                        if position == max(start, 1) { first = b }
                        b += LikePattern.characterLength(d[b])
                        position += 1
                    }
                    if first >= 0 { outData.append(contentsOf: UnsafeBufferPointer(rebasing: d[first..<min(b, stop)])) }
                }
            }
            return Column(type: .string, count: n, validity: validity, storage: .bytes(offsets: outOffsets, data: outData))
        case .length where cols[0].type == .string, .octetLength where cols[0].type == .string:
            guard case let .bytes(offsets, data) = cols[0].storage else { break }
            var out = [Int32](repeating: 0, count: n)
            let characters = self == .length
            offsets.withUnsafeBufferPointer { o in
                data.withUnsafeBufferPointer { d in
                    out.withUnsafeMutableBufferPointer { out in
                        for i in 0..<n {
                            let bytes = UnsafeBufferPointer(rebasing: d[o[i]..<o[i + 1]])
                            var count = bytes.count
                            // Characters: ASCII counts its bytes; other text its decoded scalars, as
                            // the row path does (invalid UTF-8 becomes U+FFFD there too).
                            if characters, !bytes.allSatisfy({ $0 < 0x80 }) {
                                count = String(decoding: bytes, as: UTF8.self).unicodeScalars.count
                            }
                            out[i] = Int32(truncatingIfNeeded: count)
                        }
                    }
                }
            }
            return Column(type: .int32, count: n, validity: cols[0].validity, storage: .int32(out))
        case let .addDays(negate):
            guard case let .int32(a) = cols[0].storage else { break }
            let d = Arithmetic.integers(cols[1])
            return Column(type: .date32, count: n, validity: Column.andValidity(cols[0].validity, cols[1].validity),
                          storage: .int32((0..<n).map { a[$0] &+ Int32(truncatingIfNeeded: negate ? -d[$0] : d[$0]) }))
        default:
            break
        }
        // Row at a time through Value: the less frequent functions.
        var builder = ColumnBuilder(type: resultType, capacity: n)
        for i in 0..<n {
            let values = cols.map { Value.from($0, i) }
            builder.append(try evaluateRow(values, types: cols.map(\.type), resultType: resultType))
        }
        return builder.finish()
    }

    static func micros(_ c: Column, _ i: Int) -> Int64 {
        switch c.storage {
        case let .int32(v): Int64(v[i]) &* DateTime.microsPerDay
        case let .int64(v): v[i]
        default: 0
        }
    }

    private func evaluateRow(_ v: [Value], types: [DataType], resultType: DataType) throws(EngineError) -> Value {
        switch self {
        case .greatest, .least:
            var best: Value = .null
            for x in v where !x.isNull {
                if best.isNull { best = x; continue }
                let c = ValueOrder.compare(x, best)
                if (self == .greatest && c > 0) || (self == .least && c < 0) { best = x }
            }
            return best
        case let .grouping(positions):
            let gid = v[0].intValue
            var r: Int64 = 0
            for p in positions { r = r << 1 | ((gid >> Int64(p)) & 1) }
            return .int(r)
        case .concatWithSeparator:
            guard !v[0].isNull else { return .null }
            let sep = str(v[0])
            return .string(zip(v.dropFirst(), types.dropFirst()).filter { !$0.0.isNull }.map { Self.text($0.0, $0.1) }.joined(separator: sep))
        case .concat:
            var s = ""
            for (x, t) in zip(v, types) where !x.isNull { s += Self.text(x, t) }
            return .string(s)
        default:
            break
        }
        if v.contains(where: \.isNull) {
            if self == .nullIf { return v[0] }
            return .null
        }
        switch self {
        case .textConcat: return .string(Self.text(v[0], types[0]) + Self.text(v[1], types[1]))
        case .lower: return .string(Self.simpleCase(str(v[0]), upper: false))
        case .upper: return .string(Self.simpleCase(str(v[0]), upper: true))
        case .ascii: return .int(Int64(str(v[0]).unicodeScalars.first?.value ?? 0))
        case .chr:
            guard let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: v[0].intValue)), v[0].intValue > 0 else {
                throw EngineError("54000", "requested character too large for encoding: \(v[0].intValue)")
            }
            return .string(String(Character(scalar)))
        case .translate:
            let from = Array(str(v[1])), to = Array(str(v[2]))
            var out = ""
            for ch in str(v[0]) {
                if let k = from.firstIndex(of: ch) { if k < to.count { out.append(to[k]) } } else { out.append(ch) }
            }
            return .string(out)
        case .toHex:
            let x = v[0].intValue
            let bits = types[0] == .int64 ? UInt64(bitPattern: x) : UInt64(UInt32(truncatingIfNeeded: x))
            return .string(String(bits, radix: 16))
        case .length: return .int(Int64(str(v[0]).unicodeScalars.count))
        case .octetLength: return .int(Int64(str(v[0]).utf8.count))
        case .substring:
            let chars = Array(str(v[0]))
            let start = v[1].intValue
            var end = Int64(chars.count) + 1
            if v.count > 2 {
                guard v[2].intValue >= 0 else { throw EngineError("22011", "negative substring length not allowed") }
                end = start &+ v[2].intValue
            }
            let lo = max(start, 1), hi = min(end, Int64(chars.count) + 1)
            return .string(lo < hi ? String(chars[Int(lo - 1)..<Int(hi - 1)]) : "")
        case let .trim(leading, trailing):
            let set = Set(v.count > 1 ? str(v[1]) : " ")
            var s = Substring(str(v[0]))
            if leading { while let f = s.first, set.contains(f) { s = s.dropFirst() } }
            if trailing { while let l = s.last, set.contains(l) { s = s.dropLast() } }
            return .string(String(s))
        case .replace:
            let from = str(v[1])
            if from.isEmpty { return v[0] }
            return .string(str(v[0]).replacingAll(from, with: str(v[2])))
        case .position:
            let hay = Array(str(v[1])), needle = Array(str(v[0]))
            if needle.isEmpty { return .int(1) }
            if needle.count <= hay.count {
                for i in 0...(hay.count - needle.count) where Array(hay[i..<(i + needle.count)]) == needle { return .int(Int64(i + 1)) }
            }
            return .int(0)
        case .left, .right:
            let chars = Array(str(v[0]))
            var k = Int(v[1].intValue)
            if k < 0 { k = max(0, chars.count + k) }
            k = min(k, chars.count)
            return .string(String(self == .left ? chars.prefix(k) : chars.suffix(k)))
        case .startsWith: return .boolean(str(v[0]).hasPrefix(str(v[1])))
        case .repeatText:
            let times = max(0, v[1].intValue)
            guard times.multipliedReportingOverflow(by: Int64(str(v[0]).utf8.count)).partialValue < 1 << 28, times < 1 << 28 else {
                throw EngineError("54000", "requested length too large")
            }
            return .string(String(repeating: str(v[0]), count: Int(times)))
        case .reverse: return .string(String(str(v[0]).reversed()))
        case .abs:
            switch v[0] {
            case let .int(x):
                let limit: Int64 = resultType == .int16 ? Int64(Int16.min) : resultType == .int32 ? Int64(Int32.min) : .min
                guard x != limit else { throw .numericOverflow("\(SQLTypes.name(resultType)) out of range") }
                return .int(Swift.abs(x))
            case let .double(x): return .double(Swift.abs(x))
            case let .decimal(x): return .decimal(x < 0 ? -x : x)
            default: return v[0]
            }
        case .sign:
            switch v[0] {
            case let .int(x): return .int(x.signum())
            case let .double(x): return .double(x > 0 ? 1 : (x < 0 ? -1 : 0))
            case let .decimal(x): return .decimal(Int128(x.signum()) * Decimal.power(Arithmetic.scale(resultType)))
            default: return v[0]
            }
        case .round, .trunc:
            let digits = v.count > 1 ? Int(max(-38, min(38, v[1].intValue))) : 0
            switch (v[0], types[0]) {
            case let (.double(x), _):
                let f = Arithmetic.pow10(Swift.abs(digits))
                let scaled = digits >= 0 ? x * f : x / f
                // PostgreSQL rounds doubles half to even (rint) and numerics half away from zero.
                let r = self == .round ? scaled.rounded(.toNearestOrEven) : scaled.rounded(.towardZero)
                return .double(digits >= 0 ? r / f : r * f)
            case let (.decimal(x), .decimal(_, s)):
                let target = Arithmetic.scale(resultType)
                let keep = min(digits, s)
                var r: Int128
                if self == .round {
                    r = Decimal.rescale(x, from: s, to: keep)
                } else {
                    r = x / Decimal.power(s - keep)
                }
                if keep >= 0 {
                    let widened = r.multipliedReportingOverflow(by: Decimal.power(target - keep))
                    if widened.overflow { throw .numericOverflow("numeric field overflow") }
                    r = widened.partialValue
                } else {
                    let back = Decimal.rescale(Decimal.rescale(x, from: s, to: 0), from: -keep, to: 0).multipliedReportingOverflow(by: Decimal.power(-keep + target))
                    if back.overflow { throw .numericOverflow("numeric field overflow") }
                    r = back.partialValue
                }
                return .decimal(r)
            default: return v[0]
            }
        case .floor, .ceil:
            switch (v[0], types[0]) {
            case let (.double(x), _): return .double(self == .floor ? x.rounded(.down) : x.rounded(.up))
            case let (.decimal(x), .decimal(_, s)):
                let p = Decimal.power(s)
                var q = x / p
                if x % p != 0 { if self == .floor && x < 0 { q -= 1 } else if self == .ceil && x > 0 { q += 1 } }
                return .decimal(q * Decimal.power(Arithmetic.scale(resultType)))
            default: return v[0]
            }
        case .sqrt:
            let x = v[0].doubleValue
            guard x >= 0 else { throw EngineError("2201F", "cannot take square root of a negative number") }
            return .double(x.squareRoot())
        case .power: return .double(powValue(v[0].doubleValue, v[1].doubleValue))
        case .exp: return .double(expValue(v[0].doubleValue))
        case .ln, .log10:
            let x = v[0].doubleValue
            guard x > 0 else {
                throw EngineError("2201E", x == 0 ? "cannot take logarithm of zero" : "cannot take logarithm of a negative number")
            }
            return .double(self == .ln ? logValue(x) : logValue(x) / logValue(10))
        case .nullIf:
            return ValueOrder.compare(v[0], v[1]) == 0 ? .null : v[0]
        case .md5:
            let digest = Insecure.MD5.hash(data: Array(str(v[0]).utf8))
            return .string(digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
        case .makeDate:
            let y = v[0].intValue, m = v[1].intValue, d = v[2].intValue
            guard (-4713...294_276).contains(y), (1...12).contains(m), d >= 1, d <= DateTime.daysInMonth(y, m), y != 0 else {
                throw EngineError("22008", "date field value out of range: \(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)")
            }
            return .int(DateTime.days(year: y < 0 ? y + 1 : y, month: m, day: d))
        case .makeTimestamp:
            let y = v[0].intValue, m = v[1].intValue, d = v[2].intValue, h = v[3].intValue, mi = v[4].intValue
            let sec = v[5].doubleValue
            guard (-4713...294_276).contains(y), (1...12).contains(m), d >= 1, d <= DateTime.daysInMonth(y, m), (0...23).contains(h), (0...59).contains(mi),
                  sec >= 0, sec < 61 else {
                throw EngineError("22008", "date field value out of range")
            }
            let micros = DateTime.days(year: y, month: m, day: d) * DateTime.microsPerDay + (h * 3600 + mi * 60) * 1_000_000
                + Int64((sec * 1_000_000).rounded())
            return .int(micros)
        case let .math(name):
            let x = v[0].doubleValue
            switch name {
            case "cbrt": return .double(cbrtValue(x))
            case "degrees": return .double(x * 180 / Double.pi)
            case "radians": return .double(x * Double.pi / 180)
            case "sin": return .double(sinValue(x))
            case "cos": return .double(cosValue(x))
            case "tan": return .double(tanValue(x))
            case "asin": return .double(asinValue(x))
            case "acos": return .double(acosValue(x))
            case "atan": return .double(atanValue(x))
            default: throw .featureNotSupported("function \(name)")
            }
        case .atan2: return .double(atan2Value(v[0].doubleValue, v[1].doubleValue))
        case .integerDivide:
            switch (v[0], v[1], resultType) {
            case let (.decimal(a), .decimal(b), _):
                guard b != 0 else { throw .divisionByZero() }
                let sa = Arithmetic.scale(types[0]), sb = Arithmetic.scale(types[1])
                let s = max(sa, sb)
                return .decimal(Decimal.rescale(a, from: sa, to: s) / Decimal.rescale(b, from: sb, to: s))
            default:
                guard v[1].intValue != 0 else { throw .divisionByZero() }
                let q = v[0].intValue.dividedReportingOverflow(by: v[1].intValue)
                if q.overflow { throw .numericOverflow("bigint out of range") }
                return .int(q.partialValue)
            }
        case .gcd, .lcm:
            guard v[0].intValue != .min, v[1].intValue != .min else { throw .numericOverflow("bigint out of range") }
            var a = Swift.abs(v[0].intValue), b = Swift.abs(v[1].intValue)
            let (x, y) = (a, b)
            while b != 0 { (a, b) = (b, a % b) }
            if self == .gcd { return .int(a) }
            if a == 0 { return .int(0) }
            let l = (x / a).multipliedReportingOverflow(by: y)
            if l.overflow { throw .numericOverflow("bigint out of range") }
            return .int(l.partialValue)
        case let .pad(left):
            let chars = Array(str(v[0]))
            guard v[1].intValue < 1 << 28 else { throw EngineError("54000", "requested length too large") }
            let length = Int(v[1].intValue)
            let fill = Array(v.count > 2 ? str(v[2]) : " ")
            if length <= chars.count { return .string(String(chars.prefix(max(0, length)))) }
            if fill.isEmpty { return .string(String(chars)) }
            var padding: [Character] = []
            while padding.count < length - chars.count { padding.append(fill[padding.count % fill.count]) }
            return .string(left ? String(padding + chars) : String(chars + padding))
        case .splitPart:
            let field = Int(v[2].intValue)
            guard field != 0 else { throw EngineError("22023", "field position must not be zero") }
            let sep = str(v[1])
            let parts = sep.isEmpty ? [str(v[0])] : str(v[0]).components(separatedBy: sep)
            let index = field > 0 ? field - 1 : parts.count + field
            return .string(index >= 0 && index < parts.count ? parts[index] : "")
        case .initcap:
            var out = ""
            var startOfWord = true
            for ch in str(v[0]) {
                out += startOfWord ? String(ch).uppercased() : String(ch).lowercased()
                startOfWord = !(ch.isLetter || ch.isNumber)
            }
            return .string(out)
        case let .addIntervalColumn(negate):
            let iv = v[1].intervalValue
            return .int(DateTime.add(negate ? iv.negated : iv, toMicros: v[0].intValue))
        case .timestampDifference:
            // PostgreSQL: the difference in days and time of day (justify_hours), signs agreeing.
            let diff = v[0].intValue &- v[1].intValue
            let days = diff / DateTime.microsPerDay
            return .interval(Interval(months: 0, days: Int32(clamping: days), microseconds: diff - days * DateTime.microsPerDay))
        case let .intervalAdd(negate):
            let a = v[0].intervalValue, b = negate ? v[1].intervalValue.negated : v[1].intervalValue
            let m = Int64(a.months) + Int64(b.months), d = Int64(a.days) + Int64(b.days)
            let us = a.microseconds.addingReportingOverflow(b.microseconds)
            guard let months = Int32(exactly: m), let days = Int32(exactly: d), !us.overflow else { throw .numericOverflow("interval out of range") }
            return .interval(Interval(months: months, days: days, microseconds: us.partialValue))
        case let .intervalScale(divide):
            let f = v[1].doubleValue
            if divide && f == 0 { throw .divisionByZero() }
            guard let r = v[0].intervalValue.scaled(by: divide ? 1 / f : f) else { throw .numericOverflow("interval out of range") }
            return .interval(r)
        case .intervalNegate:
            return .interval(v[0].intervalValue.negated)
        case let .extractInterval(field):
            let iv = v[0].intervalValue
            let us = iv.microseconds
            let scale = Arithmetic.scale(resultType)
            func scaled(_ x: Double) -> Value { .decimal(Int128((x * Arithmetic.pow10(scale)).rounded())) }
            switch field {
            case "epoch":
                let months = Double(iv.months)
                let years = (months / 12).rounded(.towardZero)
                let seconds = years * 365.25 * 86_400 + (months - years * 12) * 30 * 86_400 + Double(iv.days) * 86_400 + Double(us) / 1e6
                return scaled(seconds)
            case "year": return scaled(Double(iv.months / 12))
            case "month": return scaled(Double(iv.months % 12))
            case "day": return scaled(Double(iv.days))
            case "hour": return scaled(Double(us / 3_600_000_000))
            case "minute": return scaled(Double(us / 60_000_000 % 60))
            case "second": return scaled(Double(us % 60_000_000) / 1e6)
            default: throw EngineError("22023", "unit \"\(field)\" not supported for type interval")
            }
        case let .likeMatch(caseInsensitive, negated):
            let escape = str(v[2])
            guard escape.count <= 1 else { throw EngineError("22019", "invalid escape string") }
            let pattern = try LikePattern(str(v[1]), escape: escape.first, caseInsensitive: caseInsensitive)
            let hit = Array(str(v[0]).utf8).withUnsafeBufferPointer { pattern.matches($0) }
            return .boolean(hit != negated)
        case let .truncateText(n):
            return .string(String(str(v[0]).prefix(n)))
        case .toChar:
            return .string(DateFormat.format(micros: v[0].intValue * (types[0] == .date32 ? DateTime.microsPerDay : 1), pattern: str(v[1])))
        case .randomValue:
            return .double(Double.random(in: 0..<1))
        default:
            throw .featureNotSupported("function \(name)")
        }
    }

    /// Upper/lower case one scalar at a time, as PostgreSQL does ('ß' stays 'ß' in upper case;
    /// Swift's full case mapping would give "SS").
    static func simpleCase(_ s: String, upper: Bool) -> String {
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            let mapped = upper ? scalar.properties.uppercaseMapping : scalar.properties.lowercaseMapping
            let scalars = mapped.unicodeScalars
            // Multi-scalar mappings have no simple form: 'ß' stays in upper case, 'İ' lowers to 'i'.
            if scalars.count == 1 || !upper { out.append(scalars.first!) } else { out.append(scalar) }
        }
        return String(out)
    }

    private func str(_ v: Value) -> String {
        if case let .string(s) = v { return s }
        return ""
    }

    static func text(_ v: Value, _ t: DataType) -> String {
        var b = ColumnBuilder(type: t)
        b.append(v)
        return ValueText.format(b.finish(), 0) ?? ""
    }
}

extension DataType {
    var decimalPrecision: Int {
        if case let .decimal(p, _) = self { return p }
        return 38
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let r = rest.range(of: target) {
            result += rest[..<r.lowerBound]
            result += replacement
            rest = rest[r.upperBound...]
        }
        return result + rest
    }
}

extension Substring {
    func range(of target: String) -> Range<Substring.Index>? {
        let t = Array(target.unicodeScalars)
        var i = startIndex
        while i < endIndex {
            var j = i, k = 0
            while k < t.count, j < endIndex, unicodeScalars[j] == t[k] {
                j = unicodeScalars.index(after: j)
                k += 1
            }
            if k == t.count { return i..<j }
            i = unicodeScalars.index(after: i)
        }
        return nil
    }
}

/// The bitwise operators on integers.
enum BitwiseOperator: Sendable, Hashable {
    case and, or, xor, shiftLeft, shiftRight
}
