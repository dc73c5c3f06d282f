import Columnar

/// Options that change how Parquet values become in-memory values.
public struct ReadOptions: Sendable {
    /// INT96 timestamps as `timestamp(nanosecond)` (wrapping, as pyarrow does) or as
    /// their raw 12 bytes (`fixedBinary(12)`) for exact rendering of overflowed values.
    public var int96AsRawBytes = false
    /// Keep BYTE_ARRAY columns whose pages are all dictionary-encoded as dictionary columns.
    public var keepDictionaries = true

    public init(int96AsRawBytes: Bool = false, keepDictionaries: Bool = true) {
        self.int96AsRawBytes = int96AsRawBytes
        self.keepDictionaries = keepDictionaries
    }
}

extension LeafColumn {
    /// The in-memory type of this column's values: the logical type where one is
    /// known (it takes precedence over the converted type), else the physical type.
    public func dataType(options: ReadOptions = ReadOptions()) -> DataType {
        let e = element
        switch physicalType {
        case .boolean: return .boolean
        case .int32:
            switch e.logicalType {
            case let .integer(bits, signed)?: return Self.integerType(bits: Int(bits), signed: signed, physical: 32)
            case .date?: return .date32
            case let .decimal(p, s)?: return .decimal(precision: Int(p), scale: Int(s))
            case let .time(_, unit)?: return .time(unit.columnar)
            default: break
            }
            if e.logicalType == nil {
                switch e.convertedType {
                case .int8?: return .int8
                case .int16?: return .int16
                case .uint8?: return .uint8
                case .uint16?: return .uint16
                case .uint32?: return .uint32
                case .date?: return .date32
                case .decimal?: return .decimal(precision: Int(e.precision ?? 9), scale: Int(e.scale ?? 0))
                case .timeMillis?: return .time(.millisecond)
                default: break
                }
            }
            return .int32
        case .int64:
            switch e.logicalType {
            case let .integer(bits, signed)?: return Self.integerType(bits: Int(bits), signed: signed, physical: 64)
            case let .decimal(p, s)?: return .decimal(precision: Int(p), scale: Int(s))
            case let .time(_, unit)?: return .time(unit.columnar)
            case let .timestamp(utc, unit)?: return .timestamp(unit.columnar, utc: utc)
            default: break
            }
            if e.logicalType == nil {
                switch e.convertedType {
                case .uint64?: return .uint64
                case .uint32?: return .uint32
                case .decimal?: return .decimal(precision: Int(e.precision ?? 18), scale: Int(e.scale ?? 0))
                case .timeMicros?: return .time(.microsecond)
                case .timestampMillis?: return .timestamp(.millisecond, utc: true)
                case .timestampMicros?: return .timestamp(.microsecond, utc: true)
                default: break
                }
            }
            return .int64
        case .int96: return options.int96AsRawBytes ? .fixedBinary(width: 12) : .timestamp(.nanosecond, utc: false)
        case .float: return .float32
        case .double: return .float64
        case .byteArray, .fixedLenByteArray:
            if let d = decimal { return .decimal(precision: d.precision, scale: d.scale) }
            switch e.logicalType {
            case .string?, .enumeration?, .json?: return .string
            case .float16? where physicalType == .fixedLenByteArray && typeLength == 2: return .float16
            default: break
            }
            if e.logicalType == nil, let c = e.convertedType, c == .utf8 || c == .enum || c == .json { return .string }
            return physicalType == .byteArray ? .binary : .fixedBinary(width: typeLength)
        }
    }

    /// Precision and scale when the column is a decimal (logical type, else converted type).
    public var decimal: (precision: Int, scale: Int)? {
        if case let .decimal(p, s)? = element.logicalType { return (Int(p), Int(s)) }
        if element.logicalType == nil, element.convertedType == .decimal {
            return (Int(element.precision ?? 0), Int(element.scale ?? 0))
        }
        return nil
    }

    private static func integerType(bits: Int, signed: Bool, physical: Int) -> DataType {
        switch (bits, signed) {
        case (8, true): .int8
        case (16, true): .int16
        case (32, true): physical == 32 ? .int32 : .int64
        case (8, false): .uint8
        case (16, false): .uint16
        case (32, false): .uint32
        case (64, false): .uint64
        default: physical == 32 ? .int32 : .int64
        }
    }
}

extension TimeUnit {
    var columnar: Columnar.TimeUnit {
        switch self {
        case .millis: .millisecond
        case .micros: .microsecond
        case .nanos: .nanosecond
        }
    }
}

/// Turns a leaf's dense non-null values into a column of `count` slots, nulls
/// where `validity` is clear.
struct LeafConverter {
    let leaf: LeafColumn
    let type: DataType
    let context: String

    func column(values: PhysicalValues, dictionary: PhysicalValues?, dictionaryIndices: [Int32], validity: Bitmap?, count: Int) throws(ParquetError) -> Column {
        if let dictionary, values.count == 0, !dictionaryIndices.isEmpty || count == 0 {
            // Dictionary-encoded strings/binary stay a dictionary column.
            let dictColumn = try column(values: dictionary, dictionary: nil, dictionaryIndices: [], validity: nil, count: dictionary.count)
            let indices = Self.scatter(dictionaryIndices, validity: validity, count: count, zero: 0)
            return Column(type: type, count: count, validity: validity, storage: .dictionary(indices: indices, dictionary: Box(dictColumn)))
        }
        let storage = try convert(values, validity: validity, count: count)
        return Column(type: type, count: count, validity: validity, storage: storage)
    }

    private func convert(_ v: PhysicalValues, validity: Bitmap?, count: Int) throws(ParquetError) -> Column.Storage {
        func s<T>(_ dense: [T], _ zero: T) -> [T] { Self.scatter(dense, validity: validity, count: count, zero: zero) }
        switch type {
        case .boolean: return .boolean(s(v.booleans, 0))
        case .int8: return .int8(s(v.int32s.map { Int8(truncatingIfNeeded: $0) }, 0))
        case .int16: return .int16(s(v.int32s.map { Int16(truncatingIfNeeded: $0) }, 0))
        case .uint8: return .uint8(s(v.int32s.map { UInt8(truncatingIfNeeded: $0) }, 0))
        case .uint16: return .uint16(s(v.int32s.map { UInt16(truncatingIfNeeded: $0) }, 0))
        case .uint32:
            return v.type == .int32 ? .uint32(s(v.int32s.map { UInt32(bitPattern: $0) }, 0))
                : .uint32(s(v.int64s.map { UInt32(truncatingIfNeeded: $0) }, 0))
        case .uint64: return .uint64(s(v.int64s.map { UInt64(bitPattern: $0) }, 0))
        case .int32, .date32: return .int32(s(v.int32s, 0))
        case .int64:
            return v.type == .int32 ? .int64(s(v.int32s.map { Int64($0) }, 0)) : .int64(s(v.int64s, 0))
        case .time, .timestamp:
            switch v.type {
            case .int32: return .int64(s(v.int32s.map { Int64($0) }, 0))
            case .int96: return .int64(s(Self.int96ToNanos(v.bytes), 0))
            default: return .int64(s(v.int64s, 0))
            }
        case .float16:
            let bits: [UInt16] = v.bytes.withUnsafeBytes { raw in
                (0..<(raw.count / 2)).map { UInt16(raw[2 * $0]) | UInt16(raw[2 * $0 + 1]) << 8 }
            }
            return .uint16(s(bits, 0))
        case .float32: return .float32(s(v.floats, 0))
        case .float64: return .float64(s(v.doubles, 0))
        case let .decimal(precision, _):
            return try decimalStorage(v, precision: precision, validity: validity, count: count)
        case .string, .binary:
            return .bytes(offsets: Self.scatterOffsets(v.offsets, validity: validity, count: count), data: v.bytes)
        case let .fixedBinary(width):
            if validity == nil { return .fixedBytes(width: width, data: v.bytes) }
            return .fixedBytes(width: width, data: Self.scatterFixed(v.bytes, width: width, validity: validity, count: count))
        default:
            throw ParquetError.unsupported("\(context): cannot convert to \(type)")
        }
    }

    private func decimalStorage(_ v: PhysicalValues, precision: Int, validity: Bitmap?, count: Int) throws(ParquetError) -> Column.Storage {
        func s(_ dense: [Int64], _ zero: Int64) -> [Int64] { Self.scatter(dense, validity: validity, count: count, zero: zero) }
        let wide = precision > 18
        if v.decimalAsInt64 {
            // Converted while decoding (FIXED_LEN_BYTE_ARRAY of at most 8 bytes).
            return wide ? .int128(Self.scatter(v.int64s.map { Int128($0) }, validity: validity, count: count, zero: 0)) : .int64(s(v.int64s, 0))
        }
        switch v.type {
        case .int32:
            let dense = v.int32s.map { Int64($0) }
            return wide ? .int128(Self.scatter(dense.map { Int128($0) }, validity: validity, count: count, zero: 0)) : .int64(s(dense, 0))
        case .int64:
            return wide ? .int128(Self.scatter(v.int64s.map { Int128($0) }, validity: validity, count: count, zero: 0)) : .int64(s(v.int64s, 0))
        case .byteArray, .fixedLenByteArray:
            var dense: [Int128] = []
            dense.reserveCapacity(v.count)
            let n = v.type == .byteArray ? v.offsets.count - 1 : (v.width == 0 ? v.count : v.bytes.count / v.width)
            if v.type == .fixedLenByteArray && v.width > 16 && n > 0 {
                throw ParquetError.unsupported("\(context): decimal values wider than 16 bytes (precision \(precision))")
            }
            try v.bytes.withUnsafeBufferPointer { (bytes) throws(ParquetError) in
                try v.offsets.withUnsafeBufferPointer { (offsets) throws(ParquetError) in
                    for i in 0..<n {
                        let start = v.type == .byteArray ? offsets[i] : i * v.width
                        let end = v.type == .byteArray ? offsets[i + 1] : start + v.width
                        guard end - start <= 16 else {
                            throw ParquetError.unsupported("\(context): decimal values wider than 16 bytes (precision \(precision))")
                        }
                        dense.append(Self.bigEndianSigned(bytes, start, end))
                    }
                }
            }
            if wide { return .int128(Self.scatter(dense, validity: validity, count: count, zero: 0)) }
            return .int64(s(dense.map { Int64(truncatingIfNeeded: $0) }, 0))
        default:
            throw ParquetError.corrupt("\(context): decimal on \(v.type.name)")
        }
    }

    static func bigEndianSigned(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int128 {
        bytes.withUnsafeBufferPointer { bigEndianSigned($0, start, end) }
    }

    @inline(__always)
    static func bigEndianSigned(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int128 {
        guard end > start else { return 0 }
        var value: Int128 = bytes[start] & 0x80 != 0 ? -1 : 0
        for i in start..<end { value = value << 8 | Int128(bytes[i]) }
        return value
    }

    /// INT96: 8 bytes of nanoseconds in the day (LE), then the Julian day (LE int32). Wraps like pyarrow.
    static func int96ToNanos(_ bytes: [UInt8]) -> [Int64] {
        bytes.withUnsafeBytes { raw in
            (0..<(raw.count / 12)).map { i in
                let nanos = raw.loadUnaligned(fromByteOffset: i * 12, as: Int64.self)
                let day = Int64(raw.loadUnaligned(fromByteOffset: i * 12 + 8, as: Int32.self))
                return (day &- 2_440_588) &* 86_400_000_000_000 &+ nanos
            }
        }
    }

    static func scatter<T>(_ dense: [T], validity: Bitmap?, count: Int, zero: T) -> [T] {
        guard let validity, dense.count != count else { return dense }
        var out = [T](repeating: zero, count: count)
        out.withUnsafeMutableBufferPointer { dst in
            dense.withUnsafeBufferPointer { src in
                var j = 0
                for i in 0..<count where validity[i] {
                    dst[i] = src[j]
                    j += 1
                }
            }
        }
        return out
    }

    static func scatterOffsets(_ dense: [Int], validity: Bitmap?, count: Int) -> [Int] {
        guard let validity, dense.count != count + 1 else { return dense }
        var out = [Int](repeating: 0, count: count + 1)
        var j = 0
        for i in 0..<count {
            if validity[i] { j += 1 }
            out[i + 1] = dense[j]
        }
        return out
    }

    static func scatterFixed(_ dense: [UInt8], width: Int, validity: Bitmap?, count: Int) -> [UInt8] {
        guard let validity, dense.count != count * width else { return dense }
        var out = [UInt8](repeating: 0, count: count * width)
        var j = 0
        for i in 0..<count where validity[i] {
            for b in 0..<width { out[i * width + b] = dense[j * width + b] }
            j += 1
        }
        return out
    }
}
