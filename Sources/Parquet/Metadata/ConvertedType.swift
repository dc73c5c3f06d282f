/// `ConvertedType` in parquet.thrift: the deprecated annotations superseded by
/// `LogicalType`. An unknown value decodes to nil (ignored).
public enum ConvertedType: Int32, Sendable, Hashable, CaseIterable {
    case utf8 = 0, map, mapKeyValue, list, `enum`, decimal, date, timeMillis, timeMicros, timestampMillis, timestampMicros
    case uint8, uint16, uint32, uint64, int8, int16, int32, int64, json, bson, interval

    /// The thrift spelling ("UTF8", "MAP_KEY_VALUE", "UINT_8", ...).
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
