/// Values as text, in PostgreSQL's output style: dates `YYYY-MM-DD`, timestamps
/// `YYYY-MM-DD HH:MM:SS[.ffffff]`, exact decimals, `t`/`f` booleans, hex
/// binary as `\x...`. Used by the CLI's table/CSV output (and the text wire format later).
public enum ValueText {
    /// The text of value `row`, nil when it is null.
    public static func format(_ column: Column, _ row: Int) -> String? {
        if column.isNull(row) { return nil }
        switch column.storage {
        case let .dictionary(indices, dictionary): return format(dictionary.value, Int(indices[row]))
        case let .boolean(v): return v[row] != 0 ? "t" : "f"
        case let .int8(v): return String(v[row])
        case let .int16(v): return String(v[row])
        case let .int32(v): return column.type == .date32 ? date(v[row]) : String(v[row])
        case let .int64(v):
            switch column.type {
            case let .decimal(_, scale): return decimal(Int128(v[row]), scale: scale)
            case let .timestamp(unit, utc): return timestamp(v[row], unit: unit) + (utc ? "+00" : "")
            case let .time(unit): return time(v[row], unit: unit)
            default: return String(v[row])
            }
        case let .int128(v):
            if case let .decimal(_, scale) = column.type { return decimal(v[row], scale: scale) }
            return String(v[row])
        case let .uint8(v): return String(v[row])
        case let .uint16(v): return column.type == .float16 ? float(Float(halfBitPattern: v[row])) : String(v[row])
        case let .uint32(v): return String(v[row])
        case let .uint64(v): return String(v[row])
        case let .float32(v): return float(v[row])
        case let .float64(v): return double(v[row])
        case let .bytes(offsets, data):
            let slice = data[offsets[row]..<offsets[row + 1]]
            return column.type == .string ? String(decoding: slice, as: UTF8.self) : "\\x" + hex(slice)
        case let .fixedBytes(width, data):
            if column.type == .interval, width == 16 {
                let (months, days, micros) = intervalParts(data, row)
                return interval(months: months, days: days, microseconds: micros)
            }
            return "\\x" + hex(data[(row * width)..<((row + 1) * width)])
        case let .list(offsets, child):
            // An inner array is written as is: `{{1,2},{3}}`.
            let nested: Bool = if case .list = child.value.type { true } else { false }
            let items = (offsets[row]..<offsets[row + 1]).map { i in
                nested ? (format(child.value, i) ?? "NULL") : arrayElement(format(child.value, i))
            }
            return "{" + items.joined(separator: ",") + "}"
        case let .structure(children):
            return "(" + children.map { recordField(format($0, row)) }.joined(separator: ",") + ")"
        }
    }

    /// One element as array_out writes it: NULL bare; quoted (with `"` and `\` escaped)
    /// when empty, spelled NULL, or holding braces, commas, quotes, backslashes or spaces.
    public static func arrayElement(_ text: String?) -> String {
        guard let text else { return "NULL" }
        // By Unicode scalar, not Character: "\r\n" is one Character, and a quote followed by a
        // combining mark is another; array_in reads bytes.
        let special = text.isEmpty || text.uppercased() == "NULL" || text.unicodeScalars.contains { "{},\"\\ \t\n\r\u{0B}\u{0C}".unicodeScalars.contains($0) }
        guard special else { return text }
        var out = "\""
        for c in text.unicodeScalars {
            if c == "\"" || c == "\\" { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(c)
        }
        return out + "\""
    }

    /// One field as record_out writes it: NULL as nothing; quoted (with `"` and `\`
    /// doubled) when empty or holding parentheses, commas, quotes, backslashes or spaces.
    public static func recordField(_ text: String?) -> String {
        guard let text else { return "" }
        let special = text.isEmpty || text.unicodeScalars.contains { "(),\"\\ \t\n\r\u{0B}\u{0C}".unicodeScalars.contains($0) }
        guard special else { return text }
        var out = "\""
        for c in text.unicodeScalars {
            if c == "\"" || c == "\\" { out.unicodeScalars.append(c) }
            out.unicodeScalars.append(c)
        }
        return out + "\""
    }

    /// PostgreSQL's float8 output: the shortest digits that read back exactly, in fixed
    /// notation when the decimal exponent is in -4..<15 and as `1e+20` otherwise.
    public static func double(_ v: Double) -> String {
        shortest(v.description, isNaN: v.isNaN, isInfinite: v.isInfinite, negative: v < 0, maxFixedExponent: 15)
    }

    /// float4 output: as `double`, switching to exponents from 10^6.
    public static func float(_ v: Float) -> String {
        shortest(v.description, isNaN: v.isNaN, isInfinite: v.isInfinite, negative: v < 0, maxFixedExponent: 6)
    }

    private static func shortest(_ swift: String, isNaN: Bool, isInfinite: Bool, negative: Bool, maxFixedExponent: Int) -> String {
        if isNaN { return "NaN" }
        if isInfinite { return negative ? "-Infinity" : "Infinity" }
        // Swift's description is already the shortest round-trip form; take its digits and exponent.
        var text = Substring(swift)
        var sign = ""
        if text.hasPrefix("-") { sign = "-"; text = text.dropFirst() }
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = text[..<e]
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integer = String(parts[0]), fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = integer + fraction
        var pointAt = integer.count + exponent  // digits before the decimal point
        while digits.count > 1 && digits.hasPrefix("0") { digits.removeFirst(); pointAt -= 1 }
        while digits.count > 1 && digits.hasSuffix("0") { digits.removeLast() }
        if digits == "0" { return sign + "0" }
        let decimalExponent = pointAt - 1
        if decimalExponent < -4 || decimalExponent >= maxFixedExponent {
            let mantissa = digits.count > 1 ? String(digits.first!) + "." + digits.dropFirst() : digits
            let e = abs(decimalExponent)
            return sign + mantissa + "e" + (decimalExponent < 0 ? "-" : "+") + (e < 10 ? "0" : "") + String(e)
        }
        if pointAt <= 0 { return sign + "0." + String(repeating: "0", count: -pointAt) + digits }
        if pointAt >= digits.count { return sign + digits + String(repeating: "0", count: pointAt - digits.count) }
        let i = digits.index(digits.startIndex, offsetBy: pointAt)
        return sign + digits[..<i] + "." + digits[i...]
    }

    /// A JSON string literal (quotes, backslashes and control characters escaped), for every
    /// JSON the project prints: canonical Parquet JSON, query results.
    public static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// The months, days and microseconds of interval value `row` in 16-byte storage.
    public static func intervalParts(_ data: [UInt8], _ row: Int) -> (Int32, Int32, Int64) {
        data.withUnsafeBytes { raw in
            let base = row * 16
            return (raw.loadUnaligned(fromByteOffset: base, as: Int32.self),
                    raw.loadUnaligned(fromByteOffset: base + 4, as: Int32.self),
                    raw.loadUnaligned(fromByteOffset: base + 8, as: Int64.self))
        }
    }

    /// PostgreSQL's interval output (IntervalStyle postgres): `1 year 2 mons -3 days +04:05:06.5`.
    public static func interval(months: Int32, days: Int32, microseconds: Int64) -> String {
        var out = ""
        var isZero = true
        var negativeBefore = false
        func part(_ value: Int64, _ unit: String) {
            guard value != 0 else { return }
            out += (isZero ? "" : " ") + (negativeBefore && value > 0 ? "+" : "") + "\(value) \(unit)" + (value != 1 ? "s" : "")
            negativeBefore = value < 0
            isZero = false
        }
        part(Int64(months) / 12, "year")
        part(Int64(months) % 12, "mon")
        part(Int64(days), "day")
        if isZero || microseconds != 0 {
            let minus = microseconds < 0
            let magnitude = microseconds.magnitude
            let hours = magnitude / 3_600_000_000, minutes = magnitude / 60_000_000 % 60
            let seconds = magnitude / 1_000_000 % 60, fraction = magnitude % 1_000_000
            out += (isZero ? "" : " ") + (minus ? "-" : (negativeBefore ? "+" : ""))
            out += pad(Int64(hours), 2) + ":" + pad(Int64(minutes), 2) + ":" + pad(Int64(seconds), 2)
            if fraction != 0 {
                var f = pad(Int64(fraction), 6)
                while f.hasSuffix("0") { f.removeLast() }
                out += "." + f
            }
        }
        return out
    }

    /// Days since 1970-01-01 → `YYYY-MM-DD` (proleptic Gregorian; year 0 exists, earlier years get a `-`).
    public static func date(_ days: Int32) -> String {
        let (y, m, d) = civil(fromDays: Int64(days))
        let year = y < 0 ? "-" + pad(-y, 4) : pad(y, 4)
        return year + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    public static func timestamp(_ ticks: Int64, unit: TimeUnit) -> String {
        let perDay = unit.perSecond * 86_400
        var days = ticks / perDay
        var rest = ticks % perDay
        if rest < 0 { rest += perDay; days -= 1 }
        return date(Int32(clamping: days)) + " " + time(rest, unit: unit)
    }

    public static func time(_ ticks: Int64, unit: TimeUnit) -> String {
        let seconds = ticks / unit.perSecond
        var fraction = ticks % unit.perSecond
        if fraction < 0 { fraction += unit.perSecond }
        var text = pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
        if fraction != 0 {
            let digits = unit == .millisecond ? 3 : unit == .microsecond ? 6 : 9
            var f = pad(fraction, digits)
            while f.hasSuffix("0") { f.removeLast() }
            text += "." + f
        }
        return text
    }

    /// An unscaled integer with `scale` digits after the point: (12345, 2) → "123.45".
    public static func decimal(_ unscaled: Int128, scale: Int) -> String {
        let negative = unscaled < 0
        var digits = String(unscaled.magnitude)
        guard scale > 0 else { return (negative ? "-" : "") + digits + String(repeating: "0", count: max(0, -scale)) }
        if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
        let point = digits.index(digits.endIndex, offsetBy: -scale)
        return (negative ? "-" : "") + digits[..<point] + "." + digits[point...]
    }

    /// Howard Hinnant's days → (year, month, day).
    public static func civil(fromDays z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    public static func hex<C: Collection<UInt8>>(_ bytes: C) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Float {
    /// Widens IEEE binary16 bits exactly (Float16 is not available on every platform).
    public init(halfBitPattern h: UInt16) {
        let sign = UInt32(h >> 15) << 31
        let exponent = Int((h >> 10) & 0x1f)
        let fraction = UInt32(h & 0x3ff)
        if exponent == 0x1f {
            self = Float(bitPattern: sign | 0x7f80_0000 | fraction << 13)
        } else if exponent == 0 {
            let magnitude = Float(fraction) * Float(sign: .plus, exponent: -24, significand: 1)
            self = sign != 0 ? -magnitude : magnitude
        } else {
            self = Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | fraction << 13)
        }
    }
}
