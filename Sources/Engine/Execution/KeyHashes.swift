import Columnar

/// Row hashes of grouping keys computed from the values themselves, without interning:
/// rows with equal keys (as `KeyEncoder` compares them) hash equal. A parallel aggregation
/// splits a batch's rows into partitions by these hashes on all threads, and each partition
/// then interns only its own rows with its own encoder, so no thread waits on one shared
/// encoder (TPC-H Q10 groups by five text columns).
enum KeyHashes {
    /// Whether values of this type hash here: scalars whose equality is their stored
    /// value's (intervals, arrays, records and maps group by `KeyEncoder` codes only).
    static func supports(_ type: DataType) -> Bool {
        switch type {
        case .boolean, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .float32, .float64, .decimal, .string,
             .binary, .fixedBinary, .date32, .time, .timestamp: true
        default: false
        }
    }

    /// Rows `range`'s hashes into `out[i]`, over every key column.
    static func compute(_ columns: [Column], rows range: Range<Int>, into out: UnsafeMutablePointer<UInt64>) {
        for i in range { out[i] = 0x9E37_79B9_7F4A_7C15 }
        for (k, column) in columns.enumerated() { mix(column, position: k, rows: range, into: out) }
        for i in range { out[i] = finish(out[i]) }
    }

    @inline(__always)
    static func combine(_ h: UInt64, _ value: UInt64) -> UInt64 {
        let x = (h ^ value) &* 0xBF58_476D_1CE4_E5B9
        return x ^ (x >> 31)
    }

    @inline(__always)
    static func finish(_ h: UInt64) -> UInt64 { h &* 0x94D0_49BB_1331_11EB ^ (h >> 29) }

    /// Folds one key column's values into the rows' running hashes.
    private static func mix(_ column: Column, position k: Int, rows range: Range<Int>, into out: UnsafeMutablePointer<UInt64>) {
        values(column, nullMark: 0x6A09_E667_F3BC_C908 &+ UInt64(k), rows: range) { i, v in out[i] = combine(out[i], v) }
    }

    /// `body(i, value)` for rows `range`: each row's value as 64 bits, the same for equal
    /// keys whatever the storage (a dictionary's entry and the plain value agree); a NULL
    /// is `nullMark`, whatever its slot holds.
    @inline(__always)
    private static func values(_ column: Column, nullMark: UInt64, rows range: Range<Int>, _ body: (Int, UInt64) -> Void) {
        let validity = column.validity
        @inline(__always) func each<T>(_ v: [T], _ value: (T) -> UInt64) {
            v.withUnsafeBufferPointer { v in
                if let validity {
                    for i in range { body(i, validity[i] ? value(v[i]) : nullMark) }
                } else {
                    for i in range { body(i, value(v[i])) }
                }
            }
        }
        switch column.storage {
        case let .boolean(v): each(v) { UInt64($0) }
        case let .int8(v): each(v) { UInt64(bitPattern: Int64($0)) }
        case let .int16(v): each(v) { UInt64(bitPattern: Int64($0)) }
        case let .int32(v): each(v) { UInt64(bitPattern: Int64($0)) }
        case let .int64(v): each(v) { UInt64(bitPattern: $0) }
        case let .uint8(v): each(v) { UInt64($0) }
        case let .uint16(v): each(v) { UInt64($0) }
        case let .uint32(v): each(v) { UInt64($0) }
        case let .uint64(v): each(v) { $0 }
        case let .float32(v): each(v) { UInt64(bitPattern: KeyEncoder.floatCode(Double($0))) }
        case let .float64(v): each(v) { UInt64(bitPattern: KeyEncoder.floatCode($0)) }
        case let .int128(v): each(v) { combine(UInt64(truncatingIfNeeded: $0), UInt64(truncatingIfNeeded: $0 >> 64)) }
        case let .bytes(offsets, data):
            data.withUnsafeBytes { d in
                offsets.withUnsafeBufferPointer { o in
                    for i in range {
                        let isNull = validity.map { !$0[i] } ?? false
                        body(i, isNull ? nullMark : ByteInterner.hash(UnsafeRawBufferPointer(rebasing: d[o[i]..<o[i + 1]])))
                    }
                }
            }
        case let .fixedBytes(width, data):
            data.withUnsafeBytes { d in
                for i in range {
                    let isNull = validity.map { !$0[i] } ?? false
                    body(i, isNull ? nullMark : ByteInterner.hash(UnsafeRawBufferPointer(rebasing: d[i * width..<(i + 1) * width])))
                }
            }
        case let .dictionary(indices, dictionary):
            // An entry's value when a row first needs it (a join's output may carry its whole
            // build side as the dictionary of a few rows).
            let entries = dictionary.value.materialized()
            var entryValues = [UInt64](repeating: 0, count: entries.count)
            var known = [Bool](repeating: false, count: entries.count)
            // Strings (the common case) are hashed in place; other entries through `values`.
            let strings: (offsets: [Int], data: [UInt8])?
            if case let .bytes(offsets, data) = entries.storage, entries.validity == nil { strings = (offsets, data) } else { strings = nil }
            func entryValue(_ e: Int) -> UInt64 {
                if let strings {
                    return strings.data.withUnsafeBytes { ByteInterner.hash(UnsafeRawBufferPointer(rebasing: $0[strings.offsets[e]..<strings.offsets[e + 1]])) }
                }
                var value: UInt64 = 0
                values(entries, nullMark: nullMark, rows: e..<(e + 1)) { _, v in value = v }
                return value
            }
            for i in range {
                if validity.map({ !$0[i] }) ?? false {
                    body(i, nullMark)
                    continue
                }
                let e = Int(indices[i])
                if !known[e] {
                    entryValues[e] = entryValue(e)
                    known[e] = true
                }
                body(i, entryValues[e])
            }
        case .list, .structure:
            // Not reached (`supports`); as a value's text, should a nested layout appear anyway.
            for i in range {
                body(i, ValueText.format(column, i).map { t in var t = t; return t.withUTF8 { ByteInterner.hash(UnsafeRawBufferPointer($0)) } } ?? nullMark)
            }
        }
    }
}
