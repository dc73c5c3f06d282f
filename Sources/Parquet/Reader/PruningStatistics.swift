import Columnar

/// One statistics bound decoded from its PLAIN bytes into a value that
/// compares in the column type's sort order (signed, unsigned, numeric
/// decimal, or unsigned-lexicographic bytes), so the engine can prune row
/// groups and pages with `<`, `==`, `>` without knowing Parquet.
public enum StatisticsValue: Sendable, Hashable, Comparable {
    case boolean(Bool)
    case signed(Int64)
    case unsigned(UInt64)
    case decimal(Int128)
    case float(Double)
    case bytes([UInt8])

    public static func < (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case let (.boolean(x), .boolean(y)): !x && y
        case let (.signed(x), .signed(y)): x < y
        case let (.unsigned(x), .unsigned(y)): x < y
        case let (.decimal(x), .decimal(y)): x < y
        case let (.float(x), .float(y)): x < y
        case let (.bytes(x), .bytes(y)): x.lexicographicallyPrecedes(y)
        default: false
        }
    }
}

/// Which `StatisticsValue` case a column's bounds decode to (its sort order), so a
/// constant can be put in the same form before comparing.
public enum StatisticsKind: Sendable, Hashable {
    case boolean, signed, unsigned, decimal, float, bytes
}

/// Min, max and null count of a column chunk or a page, as the pruning protocol sees them.
public struct PruningStatistics: Sendable, Equatable {
    public var min: StatisticsValue?
    public var max: StatisticsValue?
    public var nullCount: Int64?
    public var rowCount: Int64
}

extension LeafColumn {
    /// Decodes a statistics bound of this column. Nil when the bytes do not fit the type.
    public func statisticsValue(_ bytes: [UInt8]) -> StatisticsValue? {
        func le<T: FixedWidthInteger>(_: T.Type) -> T? {
            bytes.count == MemoryLayout<T>.size ? bytes.withUnsafeBytes { $0.loadUnaligned(as: T.self) } : nil
        }
        let type = dataType()
        if case .decimal = type {
            switch physicalType {
            case .int32: return le(Int32.self).map { .decimal(Int128($0)) }
            case .int64: return le(Int64.self).map { .decimal(Int128($0)) }
            default:
                guard !bytes.isEmpty, bytes.count <= 16 else { return nil }
                var v: Int128 = bytes[0] & 0x80 != 0 ? -1 : 0
                for b in bytes { v = v << 8 | Int128(b) }
                return .decimal(v)
            }
        }
        switch type {
        case .boolean: return bytes.count == 1 ? .boolean(bytes[0] != 0) : nil
        case .int8, .int16, .int32, .date32: return le(Int32.self).map { .signed(Int64($0)) }
        case .uint8, .uint16, .uint32:
            return physicalType == .int32 ? le(UInt32.self).map { .unsigned(UInt64($0)) } : le(UInt64.self).map { .unsigned($0) }
        case .int64, .time, .timestamp:
            if physicalType == .int32 { return le(Int32.self).map { .signed(Int64($0)) } }
            if physicalType == .int96 { return nil }  // INT96 order is undefined
            return le(Int64.self).map { .signed($0) }
        case .uint64: return le(UInt64.self).map { .unsigned($0) }
        case .float32: return le(UInt32.self).map { .float(Double(Float(bitPattern: $0))) }
        case .float64: return le(UInt64.self).map { .float(Double(bitPattern: $0)) }
        case .float16:
            guard bytes.count == 2 else { return nil }
            return .float(Double(Float(halfBitPattern: UInt16(bytes[0]) | UInt16(bytes[1]) << 8)))
        case .string, .binary, .fixedBinary: return .bytes(bytes)
        default: return nil
        }
    }

    /// The case `statisticsValue(_:)` decodes this column's bounds to; nil when it decodes none.
    public var statisticsKind: StatisticsKind? {
        let type = dataType()
        if case .decimal = type { return .decimal }
        switch type {
        case .boolean: return .boolean
        case .int8, .int16, .int32, .date32: return .signed
        case .uint8, .uint16, .uint32, .uint64: return .unsigned
        case .int64, .time, .timestamp: return physicalType == .int96 ? nil : .signed
        case .float16, .float32, .float64: return .float
        case .string, .binary, .fixedBinary: return .bytes
        default: return nil
        }
    }

    /// Whether the deprecated `min`/`max` fields (signed byte order) are valid for this type.
    var legacyStatisticsAreOrdered: Bool {
        switch dataType() {
        case .boolean, .int8, .int16, .int32, .int64, .float32, .float64, .date32: true
        default: false
        }
    }
}

extension ParquetFile {
    /// Statistics of one column chunk (nil bounds when absent or unusable).
    public func statistics(rowGroup: Int, leaf: Int) -> PruningStatistics? {
        guard rowGroup < metadata.rowGroups.count, leaf < schema.leaves.count else { return nil }
        let rg = metadata.rowGroups[rowGroup]
        guard leaf < rg.columns.count, let meta = rg.columns[leaf].metaData else { return nil }
        let column = schema.leaves[leaf]
        let s = meta.statistics
        let legacy = column.legacyStatisticsAreOrdered
        let lo = s?.minValue ?? (legacy ? s?.min : nil)
        let hi = s?.maxValue ?? (legacy ? s?.max : nil)
        return PruningStatistics(min: lo.flatMap(column.statisticsValue), max: hi.flatMap(column.statisticsValue),
                                 nullCount: s?.nullCount, rowCount: rg.numRows)
    }

    /// The page index of one column chunk: per page statistics and locations.
    public func pageIndex(rowGroup: Int, leaf: Int) throws(ParquetError) -> (columnIndex: ColumnIndex?, offsetIndex: OffsetIndex?) {
        guard rowGroup < metadata.rowGroups.count, leaf < schema.leaves.count else {
            throw ParquetError.corrupt("no column chunk \(leaf) in row group \(rowGroup)")
        }
        let chunk = metadata.rowGroups[rowGroup].columns[leaf]
        func load<T>(_ offset: Int64?, _ length: Int32?, _ decode: (inout ThriftCompactReader) throws(ParquetError) -> T) throws(ParquetError) -> T? {
            guard let offset, let length, offset >= 0, length > 0, offset + Int64(length) <= Int64(source.size) else { return nil }
            let bytes = try source.read(offset: Int(offset), length: Int(length))
            return try bytes.withParquetBytes { (raw) throws(ParquetError) -> T in
                var reader = ThriftCompactReader(raw)
                return try decode(&reader)
            }
        }
        let ci = try load(chunk.columnIndexOffset, chunk.columnIndexLength) { (r) throws(ParquetError) in try ColumnIndex(from: &r) }
        let oi = try load(chunk.offsetIndexOffset, chunk.offsetIndexLength) { (r) throws(ParquetError) in try OffsetIndex(from: &r) }
        return (ci, oi)
    }
}
