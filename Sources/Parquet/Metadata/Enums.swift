/// Parquet's enums (parquet.thrift). Those a reader must understand exactly are
/// Swift enums; those where a newer writer may use values we do not know
/// (encodings, codecs, page types) are tolerant raw-value structs.

public enum PhysicalType: Int32, Sendable, Hashable {
    case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5, byteArray = 6, fixedLenByteArray = 7

    public var name: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .int32: "INT32"
        case .int64: "INT64"
        case .int96: "INT96"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .byteArray: "BYTE_ARRAY"
        case .fixedLenByteArray: "FIXED_LEN_BYTE_ARRAY"
        }
    }
}

public enum Repetition: Int32, Sendable, Hashable {
    case required = 0, optional = 1, repeated = 2

    public var name: String {
        switch self {
        case .required: "REQUIRED"
        case .optional: "OPTIONAL"
        case .repeated: "REPEATED"
        }
    }
}

public enum ConvertedType: Int32, Sendable, Hashable, CaseIterable {
    case utf8 = 0, map, mapKeyValue, list, `enum`, decimal, date, timeMillis, timeMicros, timestampMillis, timestampMicros
    case uint8, uint16, uint32, uint64, int8, int16, int32, int64, json, bson, interval

    public var name: String {
        switch self {
        case .utf8: "UTF8"
        case .map: "MAP"
        case .mapKeyValue: "MAP_KEY_VALUE"
        case .list: "LIST"
        case .enum: "ENUM"
        case .decimal: "DECIMAL"
        case .date: "DATE"
        case .timeMillis: "TIME_MILLIS"
        case .timeMicros: "TIME_MICROS"
        case .timestampMillis: "TIMESTAMP_MILLIS"
        case .timestampMicros: "TIMESTAMP_MICROS"
        case .uint8: "UINT_8"
        case .uint16: "UINT_16"
        case .uint32: "UINT_32"
        case .uint64: "UINT_64"
        case .int8: "INT_8"
        case .int16: "INT_16"
        case .int32: "INT_32"
        case .int64: "INT_64"
        case .json: "JSON"
        case .bson: "BSON"
        case .interval: "INTERVAL"
        }
    }
}

public struct Encoding: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let plain = Encoding(rawValue: 0)
    public static let plainDictionary = Encoding(rawValue: 2)
    public static let rle = Encoding(rawValue: 3)
    public static let bitPacked = Encoding(rawValue: 4)
    public static let deltaBinaryPacked = Encoding(rawValue: 5)
    public static let deltaLengthByteArray = Encoding(rawValue: 6)
    public static let deltaByteArray = Encoding(rawValue: 7)
    public static let rleDictionary = Encoding(rawValue: 8)
    public static let byteStreamSplit = Encoding(rawValue: 9)

    public var description: String {
        switch rawValue {
        case 0: "PLAIN"
        case 2: "PLAIN_DICTIONARY"
        case 3: "RLE"
        case 4: "BIT_PACKED"
        case 5: "DELTA_BINARY_PACKED"
        case 6: "DELTA_LENGTH_BYTE_ARRAY"
        case 7: "DELTA_BYTE_ARRAY"
        case 8: "RLE_DICTIONARY"
        case 9: "BYTE_STREAM_SPLIT"
        default: "UNKNOWN(\(rawValue))"
        }
    }
}

public struct CompressionCodec: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let uncompressed = CompressionCodec(rawValue: 0)
    public static let snappy = CompressionCodec(rawValue: 1)
    public static let gzip = CompressionCodec(rawValue: 2)
    public static let lzo = CompressionCodec(rawValue: 3)
    public static let brotli = CompressionCodec(rawValue: 4)
    public static let lz4 = CompressionCodec(rawValue: 5)
    public static let zstd = CompressionCodec(rawValue: 6)
    public static let lz4Raw = CompressionCodec(rawValue: 7)

    public var description: String {
        switch rawValue {
        case 0: "UNCOMPRESSED"
        case 1: "SNAPPY"
        case 2: "GZIP"
        case 3: "LZO"
        case 4: "BROTLI"
        case 5: "LZ4"
        case 6: "ZSTD"
        case 7: "LZ4_RAW"
        default: "UNKNOWN(\(rawValue))"
        }
    }
}

public struct PageType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let dataPage = PageType(rawValue: 0)
    public static let indexPage = PageType(rawValue: 1)
    public static let dictionaryPage = PageType(rawValue: 2)
    public static let dataPageV2 = PageType(rawValue: 3)

    public var description: String {
        switch rawValue {
        case 0: "DATA_PAGE"
        case 1: "INDEX_PAGE"
        case 2: "DICTIONARY_PAGE"
        case 3: "DATA_PAGE_V2"
        default: "UNKNOWN(\(rawValue))"
        }
    }
}

public enum BoundaryOrder: Int32, Sendable, Hashable {
    case unordered = 0, ascending = 1, descending = 2
}

public enum TimeUnit: Sendable, Hashable, CustomStringConvertible {
    case millis, micros, nanos

    public var description: String {
        switch self {
        case .millis: "MILLIS"
        case .micros: "MICROS"
        case .nanos: "NANOS"
        }
    }
}

public enum EdgeInterpolationAlgorithm: Int32, Sendable, Hashable {
    case spherical = 0, vincenty, thomas, andoyer, karney
}
