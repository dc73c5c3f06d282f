import Columnar

/// One SQL value: constants, folded expressions, and the row-at-a-time paths
/// (VALUES, set-operation keys) that are not hot.
enum Value: Sendable, Hashable {
    case null
    case boolean(Bool)
    /// smallint, integer, bigint, date (days), time and timestamp (microseconds).
    case int(Int64)
    case double(Double)
    /// Unscaled value; the scale comes from the type.
    case decimal(Int128)
    case string(String)
    case bytes([UInt8])
    /// A constant interval: months, days and microseconds kept apart, as PostgreSQL does.
    case interval(Interval)

    var isNull: Bool { if case .null = self { return true }; return false }
}

/// PostgreSQL's interval: months and days do not convert to microseconds (a month has no fixed length).
struct Interval: Sendable, Hashable {
    var months: Int32
    var days: Int32
    var microseconds: Int64

    static func + (a: Interval, b: Interval) -> Interval {
        Interval(months: a.months &+ b.months, days: a.days &+ b.days, microseconds: a.microseconds &+ b.microseconds)
    }

    var negated: Interval { Interval(months: 0 &- months, days: 0 &- days, microseconds: 0 &- microseconds) }

    /// Microseconds with a month as 30 days and a day as 24 hours: how PostgreSQL compares intervals.
    var span: Int128 {
        (Int128(months) * 30 + Int128(days)) * 86_400_000_000 + Int128(microseconds)
    }

    /// PostgreSQL's interval_mul: fractions of months spill into days (30 a month), of days into time.
    func scaled(by f: Double) -> Interval? {
        guard f.isFinite else { return nil }
        let m = Double(months) * f
        let wholeMonths = m.rounded(.towardZero)
        let d = Double(days) * f + (m - wholeMonths) * 30
        let wholeDays = d.rounded(.towardZero)
        let us = (Double(microseconds) * f + (d - wholeDays) * 86_400_000_000).rounded()
        guard abs(wholeMonths) < 2e9, abs(wholeDays) < 2e9, abs(us) < 9e18 else { return nil }
        return Interval(months: Int32(wholeMonths), days: Int32(wholeDays), microseconds: Int64(us))
    }
}

extension Value {
    /// Reads value `row` of `column` (canonical storage).
    static func from(_ column: Column, _ row: Int) -> Value {
        if column.isNull(row) { return .null }
        switch column.storage {
        case let .boolean(v): return .boolean(v[row] != 0)
        case let .int8(v): return .int(Int64(v[row]))
        case let .int16(v): return .int(Int64(v[row]))
        case let .int32(v): return .int(Int64(v[row]))
        case let .int64(v):
            if case .decimal = column.type { return .decimal(Int128(v[row])) }
            return .int(v[row])
        case let .uint8(v): return .int(Int64(v[row]))
        case let .uint16(v): return .int(Int64(v[row]))
        case let .uint32(v): return .int(Int64(v[row]))
        case let .uint64(v): return .decimal(Int128(v[row]))
        case let .float32(v): return .double(Double(v[row]))
        case let .float64(v): return .double(v[row])
        case let .int128(v): return .decimal(v[row])
        case let .bytes(offsets, data):
            let slice = data[offsets[row]..<offsets[row + 1]]
            return column.type == .string ? .string(String(decoding: slice, as: UTF8.self)) : .bytes(Array(slice))
        case let .fixedBytes(w, data):
            if column.type == .interval, w == 16 {
                let (m, d, us) = ValueText.intervalParts(data, row)
                return .interval(Interval(months: m, days: d, microseconds: us))
            }
            return .bytes(Array(data[(row * w)..<((row + 1) * w)]))
        case let .dictionary(indices, dictionary): return from(dictionary.value, Int(indices[row]))
        case .list, .structure: return .string(ValueText.format(column, row) ?? "")
        }
    }
}
