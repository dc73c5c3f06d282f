/// A column vector: `count` values of one `DataType` in contiguous buffers.
///
/// Shapes (the only ones operators need to handle):
/// - flat: one typed buffer, one slot per row (null slots hold an unspecified value);
/// - dictionary: `indices` into a smaller `dictionary` column (strings from
///   dictionary-encoded Parquet pages stay this way so kernels can work on the
///   dictionary once);
/// - nested: list offsets / struct children.
/// `validity` is nil when every value is present.
public struct Column: Sendable {
    public enum Storage: Sendable {
        case boolean([UInt8])  // one byte per value, 0 or 1: branch-free kernels over bytes
        case int8([Int8]), int16([Int16]), int32([Int32]), int64([Int64])
        case uint8([UInt8]), uint16([UInt16]), uint32([UInt32]), uint64([UInt64])
        case float32([Float]), float64([Double])
        case int128([Int128])
        /// Variable-length values: value i is `data[offsets[i]..<offsets[i+1]]`.
        case bytes(offsets: [Int], data: [UInt8])
        /// Fixed-width values: value i is `data[i*width..<(i+1)*width]`.
        case fixedBytes(width: Int, data: [UInt8])
        /// Value i is `dictionary[indices[i]]`.
        case dictionary(indices: [Int32], dictionary: Box<Column>)
        /// Value i is the elements `child[offsets[i]..<offsets[i+1]]`.
        case list(offsets: [Int], child: Box<Column>)
        case structure([Column])
    }

    public var type: DataType
    public var count: Int
    public var validity: Bitmap?
    public var storage: Storage

    public init(type: DataType, count: Int, validity: Bitmap?, storage: Storage) {
        self.type = type
        self.count = count
        self.validity = validity
        self.storage = storage
    }

    @inlinable
    public func isNull(_ index: Int) -> Bool {
        if let validity { return !validity[index] }
        return false
    }

    /// Number of null values.
    public var nullCount: Int {
        guard let validity else { return 0 }
        return count - validity.setCount
    }

    /// Bytes held by this column's buffers (the "decoded size" throughput is measured in).
    public var byteSize: Int {
        var total = validity.map { $0.words.count * 8 } ?? 0
        switch storage {
        case let .boolean(v): total += v.count
        case let .int8(v): total += v.count
        case let .int16(v): total += v.count * 2
        case let .int32(v): total += v.count * 4
        case let .int64(v): total += v.count * 8
        case let .uint8(v): total += v.count
        case let .uint16(v): total += v.count * 2
        case let .uint32(v): total += v.count * 4
        case let .uint64(v): total += v.count * 8
        case let .float32(v): total += v.count * 4
        case let .float64(v): total += v.count * 8
        case let .int128(v): total += v.count * 16
        case let .bytes(offsets, data): total += offsets.count * 8 + data.count
        case let .fixedBytes(_, data): total += data.count
        case let .dictionary(indices, dict): total += indices.count * 4 + dict.value.byteSize
        case let .list(offsets, child): total += offsets.count * 8 + child.value.byteSize
        case let .structure(children): total += children.reduce(0) { $0 + $1.byteSize }
        }
        return total
    }
}

/// A reference box so that recursive storage (lists, dictionaries) stays a value type.
public final class Box<Value: Sendable>: Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}
