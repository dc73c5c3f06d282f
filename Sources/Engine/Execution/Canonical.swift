import Columnar

/// Converts decoded Parquet vectors into the engine's canonical shapes (see
/// `SQLTypes`): narrow and unsigned integers widen, time units become
/// microseconds, half floats become floats, fixed-size binary becomes bytes.
enum Canonical {
    static func convert(_ column: Column, to type: DataType) -> Column {
        if column.type == type, isCanonicalStorage(column) { return column }
        var c = column
        if case let .dictionary(indices, dictionary) = column.storage {
            c.storage = .dictionary(indices: indices, dictionary: Box(convert(dictionary.value, to: type)))
            c.type = type
            return c
        }
        switch (column.storage, column.type) {
        case let (.int8(v), _): c.storage = .int16(v.map { Int16($0) })
        case let (.uint8(v), _): c.storage = .int16(v.map { Int16($0) })
        case let (.uint16(v), .float16): c.storage = .float32(v.map { Float(halfBitPattern: $0) })
        case let (.uint16(v), _): c.storage = .int32(v.map { Int32($0) })
        case let (.uint32(v), _): c.storage = .int64(v.map { Int64($0) })
        case let (.uint64(v), _): c.storage = .int128(v.map { Int128($0) })
        case let (.int64(v), .timestamp(unit, _)), let (.int64(v), .time(unit)):
            switch unit {
            case .millisecond: c.storage = .int64(v.map { $0 &* 1000 })
            case .microsecond: break
            case .nanosecond: c.storage = .int64(v.map { Casts.floorDiv($0, 1000) })
            }
        case let (.int32(v), .time(.millisecond)): c.storage = .int64(v.map { Int64($0) * 1000 })
        case let (.fixedBytes(w, data), _):
            c.storage = .bytes(offsets: (0...column.count).map { $0 * w }, data: data)
        case let (.int32(v), .decimal(p, _)) where p > 9: c.storage = .int64(v.map { Int64($0) })
        case let (.int32(v), .decimal(p, _)) where p <= 9: c.storage = .int64(v.map { Int64($0) })
        case let (.int128(v), .decimal(p, _)) where p <= 18: c.storage = .int64(v.map { Int64(truncatingIfNeeded: $0) })
        case let (.int64(v), .decimal(p, _)) where p > 18: c.storage = .int128(v.map { Int128($0) })
        default: break
        }
        c.type = type
        return c
    }

    private static func isCanonicalStorage(_ c: Column) -> Bool {
        switch (c.storage, c.type) {
        case (.int32, .decimal): false
        default: true
        }
    }
}
