/// `LogicalType`, a Thrift union: exactly one field is set, its id says which
/// annotation it is (1 STRING, 2 MAP, 3 LIST, 4 ENUM, 5 DECIMAL, 6 DATE, 7 TIME,
/// 8 TIMESTAMP, 10 INTEGER, 11 UNKNOWN (the "null" type), 12 JSON, 13 BSON,
/// 14 UUID, 15 FLOAT16, 16 VARIANT, 17 GEOMETRY, 18 GEOGRAPHY). A member this
/// reader does not know decodes to nil, so the column falls back to its
/// converted or physical type.
public enum LogicalType: Sendable, Hashable {
    case string, map, list, enumeration
    case decimal(precision: Int32, scale: Int32)
    case date
    case time(isAdjustedToUTC: Bool, unit: TimeUnit)
    case timestamp(isAdjustedToUTC: Bool, unit: TimeUnit)
    case integer(bitWidth: Int8, isSigned: Bool)
    case unknown
    case json, bson, uuid, float16
    case variant(specificationVersion: Int8?)
    case geometry(crs: String?)
    case geography(crs: String?, algorithm: EdgeInterpolationAlgorithm?)

    /// Decodes the union; nil for a member this reader does not know.
    static func decode(_ r: inout ThriftCompactReader) throws(ParquetError) -> LogicalType? {
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
                var unit = TimeUnit.millis
                try r.readStruct { (r, f) throws(ParquetError) in
                    switch (f.id, f.type) {
                    case (1, .boolTrue), (1, .boolFalse): utc = r.boolValue(f)
                    case (2, .structure): unit = try decodeTimeUnit(&r)
                    default: try r.skip(f.type)
                    }
                }
                result = h.id == 7 ? .time(isAdjustedToUTC: utc, unit: unit) : .timestamp(isAdjustedToUTC: utc, unit: unit)
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
            }
        }
        return result
    }

    static func decodeTimeUnit(_ r: inout ThriftCompactReader) throws(ParquetError) -> TimeUnit {
        var unit = TimeUnit.millis
        try r.readStruct { (r, f) throws(ParquetError) in
            switch f.id {
            case 1: unit = .millis
            case 2: unit = .micros
            case 3: unit = .nanos
            default: break
            }
            try r.skip(f.type)
        }
        return unit
    }

    func write(to w: inout ThriftCompactWriter) {
        func empty(_ id: Int16) {
            w.fieldHeader(id, .structure)
            w.structBegin()
            w.structEnd()
        }
        func unit(_ u: TimeUnit) {
            w.fieldHeader(2, .structure)
            w.structBegin()
            empty(u == .millis ? 1 : u == .micros ? 2 : 3)
            w.structEnd()
        }
        w.structBegin()
        switch self {
        case .string: empty(1)
        case .map: empty(2)
        case .list: empty(3)
        case .enumeration: empty(4)
        case let .decimal(p, s):
            w.fieldHeader(5, .structure)
            w.structBegin()
            w.field(1, i32: s)
            w.field(2, i32: p)
            w.structEnd()
        case .date: empty(6)
        case let .time(utc, u), let .timestamp(utc, u):
            if case .time = self { w.fieldHeader(7, .structure) } else { w.fieldHeader(8, .structure) }
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
        case .unknown: empty(11)
        case .json: empty(12)
        case .bson: empty(13)
        case .uuid: empty(14)
        case .float16: empty(15)
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
