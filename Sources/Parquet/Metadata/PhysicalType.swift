/// `Type` in parquet.thrift: how values are stored. A value this reader does not
/// know makes the schema unreadable (`SchemaElement` throws).
public enum PhysicalType: Int32, Sendable, Hashable, CaseIterable {
    case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5, byteArray = 6, fixedLenByteArray = 7

    /// The thrift spelling ("INT32", "FIXED_LEN_BYTE_ARRAY", ...).
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
