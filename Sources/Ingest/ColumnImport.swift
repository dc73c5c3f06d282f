import Columnar

/// Turns columns read from a Parquet input into column buffers of the
/// table's types: the same type is copied as it is, integers widen (range
/// checked), and anything else goes through the value's text and the text
/// converters (so a Parquet `int32` lands in a `decimal(12,2)` column the way
/// the text "42" would).
enum ColumnImport {
    /// Why a value does not fit: its row and the reason.
    struct Failure: Error { var row: Int; var reason: String }

    static func buffer(_ column: Column, as type: DataType) throws(Failure) -> ColumnBuffer {
        let out = ColumnBuffer(type: type)
        out.reserve(column.count)
        try append(column, rows: 0..<column.count, to: out)
        return out
    }

    static func append(_ column: Column, rows: Range<Int>, to out: ColumnBuffer) throws(Failure) {
        if case let .dictionary(indices, dictionary) = column.storage {
            for r in rows {
                if column.isNull(r) { out.appendNull(); continue }
                try append(dictionary.value, rows: Int(indices[r])..<Int(indices[r]) + 1, to: out)
            }
            return
        }
        if column.type == out.type {
            try copySame(column, rows: rows, to: out)
            return
        }
        if let widened = integers(column), out.type.isInteger {
            guard let converter = try? TextConverter(type: out.type) else { throw Failure(row: rows.lowerBound, reason: "cannot convert to \(out.type)") }
            for r in rows {
                if column.isNull(r) { out.appendNull(); continue }
                let text = Array(String(widened(r)).utf8)
                if let reason = text.withUnsafeBytes({ converter.append($0, to: out, asciiBlock: true) }) {
                    throw Failure(row: r, reason: reason)
                }
            }
            return
        }
        if out.type.isNested || column.type.isNested {
            throw Failure(row: rows.lowerBound, reason: "a \(column.type) value cannot become \(out.type)")
        }
        // Through text.
        let converter: TextConverter
        do { converter = try TextConverter(type: out.type) } catch { throw Failure(row: rows.lowerBound, reason: error.message) }
        for r in rows {
            guard let text = ValueText.format(column, r) else { out.appendNull(); continue }
            let bytes = Array(text.utf8)
            if let reason = bytes.withUnsafeBytes({ converter.append($0, to: out, asciiBlock: false) }) {
                throw Failure(row: r, reason: reason)
            }
        }
    }

    /// A reader of the column's integers as Int64, for integer-typed columns.
    private static func integers(_ column: Column) -> ((Int) -> Int64)? {
        switch column.storage {
        case let .int8(v) where column.type.isInteger: return { Int64(v[$0]) }
        case let .int16(v) where column.type.isInteger: return { Int64(v[$0]) }
        case let .int32(v) where column.type.isInteger: return { Int64(v[$0]) }
        case let .int64(v) where column.type.isInteger: return { v[$0] }
        case let .uint8(v) where column.type.isInteger: return { Int64(v[$0]) }
        case let .uint16(v) where column.type.isInteger: return { Int64(v[$0]) }
        case let .uint32(v) where column.type.isInteger: return { Int64(v[$0]) }
        default: return nil
        }
    }

    /// Same type: copies values (nulls as nulls) by storage.
    private static func copySame(_ column: Column, rows: Range<Int>, to out: ColumnBuffer) throws(Failure) {
        for r in rows {
            if column.isNull(r) {
                out.appendNull()
                continue
            }
            switch column.storage {
            case let .boolean(v): out.appendBool(v[r] != 0)
            case let .int8(v): out.appendInt64(Int64(v[r]))
            case let .int16(v): out.appendInt64(Int64(v[r]))
            case let .int32(v): out.appendInt32(v[r])
            case let .int64(v):
                if case .i32 = out.physical { out.appendInt32(Int32(truncatingIfNeeded: v[r])) } else { out.appendInt64(v[r]) }
            case let .uint8(v): out.appendInt64(Int64(v[r]))
            case let .uint16(v):
                if case .f64 = out.physical { out.appendDouble(Double(Float(Float16(bitPattern: v[r])))) } else { out.appendInt64(Int64(v[r])) }
            case let .uint32(v): out.appendInt64(Int64(v[r]))
            case let .uint64(v): out.appendInt64(Int64(bitPattern: v[r]))
            case let .float32(v): out.appendDouble(Double(v[r]))
            case let .float64(v): out.appendDouble(v[r])
            case let .int128(v):
                if case .i64 = out.physical { out.appendInt64(Int64(truncatingIfNeeded: v[r])) } else { out.appendInt128(v[r]) }
            case let .bytes(offsets, data): data.withUnsafeBytes { out.appendBytes(UnsafeRawBufferPointer(rebasing: $0[offsets[r]..<offsets[r + 1]])) }
            case let .fixedBytes(w, data): data.withUnsafeBytes { out.appendBytes(UnsafeRawBufferPointer(rebasing: $0[(r * w)..<((r + 1) * w)])) }
            case let .dictionary(indices, dictionary): try copySame(dictionary.value, rows: Int(indices[r])..<Int(indices[r]) + 1, to: out)
            case let .list(offsets, child):
                try copySame(child.value, rows: offsets[r]..<offsets[r + 1], to: out.children[0])
                out.closeList()
            case let .structure(children):
                for (k, child) in children.enumerated() { try copySame(child, rows: r..<r + 1, to: out.children[k]) }
                out.closeStruct()
            }
        }
    }
}

extension DataType {
    var isInteger: Bool {
        switch self {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: true
        default: false
        }
    }
}
