import Columnar

/// Turns key columns into fixed-size codes per row so hash tables compare
/// integers, not values: integers and dates are their own code, floats their
/// normalized bit pattern, strings and wide decimals an interned id (dictionary
/// columns intern each dictionary entry once). One encoder must serve both
/// sides of a join so that equal values get equal codes.
final class KeyEncoder {
    private let strings = ByteInterner()
    private var wide: [Int128: Int64] = [:]

    /// Codes and null flags of one column.
    func encode(_ column: Column) -> (codes: [Int64], nulls: Bitmap?) {
        let n = column.count
        var codes = [Int64](repeating: 0, count: n)
        switch column.storage {
        case let .boolean(v): for i in 0..<n { codes[i] = Int64(v[i]) }
        case let .int8(v): for i in 0..<n { codes[i] = Int64(v[i]) }
        case let .int16(v): for i in 0..<n { codes[i] = Int64(v[i]) }
        case let .int32(v): for i in 0..<n { codes[i] = Int64(v[i]) }
        case let .int64(v): codes = v
        case let .uint8(v): for i in 0..<n { codes[i] = Int64(v[i]) }
        case let .uint16(v): for i in 0..<n { codes[i] = Int64(v[i]) }
        case let .uint32(v): for i in 0..<n { codes[i] = Int64(v[i]) }
        case let .uint64(v): for i in 0..<n { codes[i] = Int64(bitPattern: v[i]) }
        case let .float32(v): for i in 0..<n { codes[i] = Self.floatCode(Double(v[i])) }
        case let .float64(v): for i in 0..<n { codes[i] = Self.floatCode(v[i]) }
        case let .int128(v):
            // Values within ±2^62 (nearly all: EXTRACT's years, sums of prices) are their own
            // code, as 64-bit integers are; the rest are numbered from 2^62 up, apart from them.
            v.withUnsafeBufferPointer { v in
                for i in 0..<n {
                    let x = v[i]
                    if x >= -Self.ownCodeLimit && x < Self.ownCodeLimit {
                        codes[i] = Int64(truncatingIfNeeded: x)
                    } else if let c = wide[x] {
                        codes[i] = c
                    } else {
                        let c = Int64(Self.ownCodeLimit) + Int64(wide.count)
                        wide[x] = c
                        codes[i] = c
                    }
                }
            }
        case let .bytes(offsets, data):
            data.withUnsafeBytes { d in
                offsets.withUnsafeBufferPointer { o in
                    for i in 0..<n { codes[i] = strings.intern(UnsafeRawBufferPointer(rebasing: d[o[i]..<o[i + 1]])) }
                }
            }
        case let .dictionary(indices, dictionary):
            // A dictionary larger than its rows (a join's build side) is interned lazily.
            if dictionary.value.count > n { return encodeDictionary(column, rows: .range(0..<n)) ?? encode(column.materialized()) }
            let entries = encode(dictionary.value.materialized()).codes
            for i in 0..<n { codes[i] = entries[Int(indices[i])] }
        case let .fixedBytes(16, data) where column.type == .interval:
            // Intervals group by their span: '1 day' and '24 hours' are one key, as in PostgreSQL.
            for i in 0..<n {
                let (m, d, us) = ValueText.intervalParts(data, i)
                codes[i] = Int64(truncatingIfNeeded: Interval(months: m, days: d, microseconds: us).span)
            }
        case .fixedBytes, .list, .structure:
            for i in 0..<n { codes[i] = intern(ValueText.format(column, i) ?? "") }
        }
        return (codes, column.validity)
    }

    private func intern(_ s: String) -> Int64 { strings.intern(s) }

    /// Wide integers below this magnitude are their own code.
    static let ownCodeLimit: Int128 = 1 << 62

    /// Whether this type's codes are interned ids rather than the values themselves.
    static func interns(_ type: DataType) -> Bool {
        switch type {
        case .boolean, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .float32, .float64, .date32, .timestamp,
             .time: false
        case let .decimal(precision, _): precision > 18
        default: true
        }
    }

    /// Codes and null flags of `rows` of a column (the k-th listed row's at k): a partition
    /// of an aggregation encodes just its own rows, with its own encoder.
    func encode(_ column: Column, rows: BatchRows) -> (codes: [Int64], nulls: Bitmap?) {
        if case let .range(r) = rows, r == 0..<column.count { return encode(column) }
        let m = rows.count
        var codes = [Int64](repeating: 0, count: m)
        func gather<T>(_ v: [T], _ code: (T) -> Int64) {
            v.withUnsafeBufferPointer { v in
                codes.withUnsafeMutableBufferPointer { out in
                    var k = 0
                    rows.forEach { i in
                        out[k] = code(v[i])
                        k &+= 1
                    }
                }
            }
        }
        switch column.storage {
        case let .boolean(v): gather(v) { Int64($0) }
        case let .int16(v): gather(v) { Int64($0) }
        case let .int32(v): gather(v) { Int64($0) }
        case let .int64(v): gather(v) { $0 }
        case let .float64(v): gather(v) { Self.floatCode($0) }
        case let .bytes(offsets, data):
            data.withUnsafeBytes { d in
                offsets.withUnsafeBufferPointer { o in
                    var k = 0
                    rows.forEach { i in
                        codes[k] = strings.intern(UnsafeRawBufferPointer(rebasing: d[o[i]..<o[i + 1]]))
                        k &+= 1
                    }
                }
            }
        case .dictionary:
            return encodeDictionary(column, rows: rows) ?? encode(column.take(rows.indices))
        default:
            return encode(column.take(rows.indices))
        }
        guard let validity = column.validity else { return (codes, nil) }
        var bits: [Bool] = []
        bits.reserveCapacity(m)
        rows.forEach { i in bits.append(validity[i]) }
        return (codes, Bitmap(bits))
    }

    /// The codes of `rows` of a dictionary column of strings, each entry interned when one of
    /// these rows first uses it, not the whole dictionary (each partition of an aggregation
    /// sees a share of the rows, and a join's output may carry its whole build side as the
    /// dictionary). Nil when the entries are not strings.
    private func encodeDictionary(_ column: Column, rows: BatchRows) -> (codes: [Int64], nulls: Bitmap?)? {
        guard case let .dictionary(indices, dictionary) = column.storage else { return nil }
        let entries = dictionary.value.materialized()
        guard case let .bytes(offsets, data) = entries.storage else { return nil }
        var codes = [Int64](repeating: 0, count: rows.count)
        var entryCodes = [Int64](repeating: -1, count: entries.count)
        data.withUnsafeBytes { d in
            var k = 0
            let validity = column.validity
            rows.forEach { i in
                // A NULL row's index may point nowhere (an all-NULL column's dictionary is empty).
                if let validity, !validity[i] { k &+= 1; return }
                let e = Int(indices[i])
                if entryCodes[e] < 0 { entryCodes[e] = strings.intern(UnsafeRawBufferPointer(rebasing: d[offsets[e]..<offsets[e + 1]])) }
                codes[k] = entryCodes[e]
                k &+= 1
            }
        }
        guard let validity = column.validity else { return (codes, nil) }
        if case let .range(r) = rows, r == 0..<column.count { return (codes, validity) }
        var bits: [Bool] = []
        bits.reserveCapacity(rows.count)
        rows.forEach { i in bits.append(validity[i]) }
        return (codes, Bitmap(bits))
    }

    /// -0.0 and 0.0 are one key; every NaN is one key (PostgreSQL groups them together).
    static func floatCode(_ d: Double) -> Int64 {
        if d.isNaN { return Int64(bitPattern: 0x7FF8_0000_0000_0000) }
        if d == 0 { return 0 }
        return Int64(bitPattern: d.bitPattern)
    }

    /// Row keys over several columns.
    func encodeRows(_ columns: [Column], rowCount: Int) -> [KeyRow] {
        let encoded = columns.map { encode($0) }
        var rows = [KeyRow](repeating: KeyRow(), count: rowCount)
        for (k, (codes, nulls)) in encoded.enumerated() {
            for i in 0..<rowCount {
                let isNull = nulls.map { !$0[i] } ?? false
                rows[i].set(k, isNull ? 0 : codes[i], isNull: isNull, width: columns.count)
            }
        }
        return rows
    }
}

/// One row's key codes: up to three inline, more in an array; a bit per NULL.
struct KeyRow: Hashable {
    var a: Int64 = 0
    var b: Int64 = 0
    var c: Int64 = 0
    var rest: [Int64]?
    var nulls: UInt64 = 0

    @inline(__always)
    mutating func set(_ k: Int, _ code: Int64, isNull: Bool, width: Int) {
        if isNull { nulls |= 1 << UInt64(min(k, 63)) }
        switch k {
        case 0: a = code
        case 1: b = code
        case 2: c = code
        default:
            if rest == nil { rest = [Int64](repeating: 0, count: width - 3) }
            rest![k - 3] = code
        }
    }

    var hasNull: Bool { nulls != 0 }
}
