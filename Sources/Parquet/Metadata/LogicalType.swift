/// `LogicalType`, a Thrift union: exactly one field is set and its id says which
/// annotation it is: 1 STRING, 2 MAP, 3 LIST, 4 ENUM, 5 DECIMAL, 6 DATE, 7 TIME,
/// 8 TIMESTAMP, (9 reserved for INTERVAL), 10 INTEGER, 11 UNKNOWN (the "null"
/// type), 12 JSON, 13 BSON, 14 UUID, 15 FLOAT16, 16 VARIANT, 17 GEOMETRY,
/// 18 GEOGRAPHY. A member this reader does not know (e.g. 19 VECTOR) decodes to
/// nil, so the column falls back to its converted or physical type.
///   DecimalType  1: scale  2: precision
///   TimeType / TimestampType  1: isAdjustedToUTC  2: unit (union: 1 MILLIS, 2 MICROS, 3 NANOS)
///   IntType  1: bitWidth (i8)  2: isSigned
///   VariantType  1: specification_version (i8)
///   GeometryType  1: crs     GeographyType  1: crs  2: algorithm
public enum LogicalType: Sendable, Hashable {
    case string, map, list, enumeration
    case decimal(precision: Int32, scale: Int32)
    case date
    case time(isAdjustedToUTC: Bool, unit: TimeUnit)
    case timestamp(isAdjustedToUTC: Bool, unit: TimeUnit)
    case integer(bitWidth: Int8, isSigned: Bool)
    /// Thrift's `NullType` (field 11): the column only holds nulls.
    case unknown
    case json, bson, uuid, float16
    case variant(specificationVersion: Int8?)
    case geometry(crs: String?)
    case geography(crs: String?, algorithm: EdgeInterpolationAlgorithm?)

    /// Decodes the union; nil for a member this reader does not know (or one of
    /// an unexpected wire type).
    public init?(from r: inout ThriftCompactReader) throws(ParquetError) {
        guard let value = try Self.decode(&r) else { return nil }
        self = value
    }

    /// Decodes the union; nil for a member this reader does not know.
    public static func decode(_ r: inout ThriftCompactReader) throws(ParquetError) -> LogicalType? {
        var result: LogicalType?
        try r.readStruct { (r, h) throws(ParquetError) in
            guard h.type == .structure else { return try r.skip(h.type) }
            switch h.id {
            case 1: try r.skip(.structure); result = .string
            case 2: try r.skip(.structure); result = .map
            case 3: try r.skip(.structure); result = .list
            case 4: try r.skip(.structure); result = .enumeration
            case 5:
                var scale: Int32 = 0, precision: Int32 = 0
                try r.readStruct { (r, f) throws(ParquetError) in
                    switch (f.id, f.type) {
                    case (1, .i32): scale = try r.readI32()
                    case (2, .i32): precision = try r.readI32()
                    default: try r.skip(f.type)
                    }
                }
                result = .decimal(precision: precision, scale: scale)
            case 6: try r.skip(.structure); result = .date
            case 7, 8:
                var utc = false
                var unit: TimeUnit?
                try r.readStruct { (r, f) throws(ParquetError) in
                    switch (f.id, f.type) {
                    case (1, .boolTrue), (1, .boolFalse): utc = r.boolValue(f)
                    case (2, .structure): unit = try decodeTimeUnit(&r)
                    default: try r.skip(f.type)
                    }
                }
                // A unit this reader does not know: the whole annotation is unknown.
                if let unit {
                    result = h.id == 7 ? .time(isAdjustedToUTC: utc, unit: unit) : .timestamp(isAdjustedToUTC: utc, unit: unit)
                } else {
                    result = nil
                }
            case 10:
                var bits: Int8 = 0
                var signed = true
                try r.readStruct { (r, f) throws(ParquetError) in
                    switch (f.id, f.type) {
                    case (1, .byte): bits = try r.readI8()
                    case (2, .boolTrue), (2, .boolFalse): signed = r.boolValue(f)
                    default: try r.skip(f.type)
                    }
                }
                result = .integer(bitWidth: bits, isSigned: signed)
            case 11: try r.skip(.structure); result = .unknown
            case 12: try r.skip(.structure); result = .json
            case 13: try r.skip(.structure); result = .bson
            case 14: try r.skip(.structure); result = .uuid
            case 15: try r.skip(.structure); result = .float16
            case 16:
                var version: Int8?
                try r.readStruct { (r, f) throws(ParquetError) in
                    if f.id == 1, f.type == .byte { version = try r.readI8() } else { try r.skip(f.type) }
                }
                result = .variant(specificationVersion: version)
            case 17:
                var crs: String?
                try r.readStruct { (r, f) throws(ParquetError) in
                    if f.id == 1, f.type == .binary { crs = try r.readString() } else { try r.skip(f.type) }
                }
                result = .geometry(crs: crs)
            case 18:
                var crs: String?
                var algorithm: EdgeInterpolationAlgorithm?
                try r.readStruct { (r, f) throws(ParquetError) in
                    switch (f.id, f.type) {
                    case (1, .binary): crs = try r.readString()
                    case (2, .i32): algorithm = EdgeInterpolationAlgorithm(rawValue: try r.readI32())
                    default: try r.skip(f.type)
                    }
                }
                result = .geography(crs: crs, algorithm: algorithm)
            default:
                try r.skip(h.type)
                result = nil
            }
        }
        return result
    }

    /// The `TimeUnit` union; nil for a member this reader does not know.
    static func decodeTimeUnit(_ r: inout ThriftCompactReader) throws(ParquetError) -> TimeUnit? {
        var unit: TimeUnit?
        try r.readStruct { (r, f) throws(ParquetError) in
            if f.type == .structure {
                switch f.id {
                case 1: unit = .millis
                case 2: unit = .micros
                case 3: unit = .nanos
                default: unit = nil
                }
            }
            try r.skip(f.type)
        }
        return unit
    }

    public func write(to w: inout ThriftCompactWriter) {
        func unit(_ u: TimeUnit) {
            w.fieldHeader(2, .structure)
            w.structBegin()
            switch u {
            case .millis: w.emptyStructField(1)
            case .micros: w.emptyStructField(2)
            case .nanos: w.emptyStructField(3)
            }
            w.structEnd()
        }
        w.structBegin()
        switch self {
        case .string: w.emptyStructField(1)
        case .map: w.emptyStructField(2)
        case .list: w.emptyStructField(3)
        case .enumeration: w.emptyStructField(4)
        case let .decimal(precision, scale):
            w.fieldHeader(5, .structure)
            w.structBegin()
            w.field(1, i32: scale)
            w.field(2, i32: precision)
            w.structEnd()
        case .date: w.emptyStructField(6)
        case let .time(utc, u):
            w.fieldHeader(7, .structure)
            w.structBegin()
            w.field(1, bool: utc)
            unit(u)
            w.structEnd()
        case let .timestamp(utc, u):
            w.fieldHeader(8, .structure)
            w.structBegin()
            w.field(1, bool: utc)
            unit(u)
            w.structEnd()
        case let .integer(bits, signed):
            w.fieldHeader(10, .structure)
            w.structBegin()
            w.field(1, i8: bits)
            w.field(2, bool: signed)
            w.structEnd()
        case .unknown: w.emptyStructField(11)
        case .json: w.emptyStructField(12)
        case .bson: w.emptyStructField(13)
        case .uuid: w.emptyStructField(14)
        case .float16: w.emptyStructField(15)
        case let .variant(version):
            w.fieldHeader(16, .structure)
            w.structBegin()
            w.field(1, i8: version)
            w.structEnd()
        case let .geometry(crs):
            w.fieldHeader(17, .structure)
            w.structBegin()
            w.field(1, string: crs)
            w.structEnd()
        case let .geography(crs, algorithm):
            w.fieldHeader(18, .structure)
            w.structBegin()
            w.field(1, string: crs)
            w.field(2, i32: algorithm?.rawValue)
            w.structEnd()
        }
        w.structEnd()
    }
}

/// The `TimeUnit` union of TIME and TIMESTAMP.
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

/// `EdgeInterpolationAlgorithm` of GEOGRAPHY.
public enum EdgeInterpolationAlgorithm: Int32, Sendable, Hashable, CaseIterable {
    case spherical = 0, vincenty, thomas, andoyer, karney

    /// The thrift spelling ("SPHERICAL", ...).
    public var name: String {
        switch self {
        case .spherical: "SPHERICAL"
        case .vincenty: "VINCENTY"
        case .thomas: "THOMAS"
        case .andoyer: "ANDOYER"
        case .karney: "KARNEY"
        }
    }
}
