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

    var negated: Interval { Interval(months: -months, days: -days, microseconds: -microseconds) }
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
        case let .fixedBytes(w, data): return .bytes(Array(data[(row * w)..<((row + 1) * w)]))
        case let .dictionary(indices, dictionary): return from(dictionary.value, Int(indices[row]))
        case .list, .structure: return .string(ValueText.format(column, row) ?? "")
        }
    }
}
