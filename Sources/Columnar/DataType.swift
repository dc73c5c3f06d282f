/// The logical types of Basalt's in-memory columns. Every layer above (Parquet
/// decoding, the engine, the wire protocol) speaks in these; how each is laid
/// out in memory is fixed by `Column.Storage` (see `DataType.storageKind`).
public enum TimeUnit: String, Sendable, Hashable, CaseIterable {
    case millisecond, microsecond, nanosecond

    /// Ticks of this unit in one second.
    public var perSecond: Int64 {
        switch self {
        case .millisecond: 1_000
        case .microsecond: 1_000_000
        case .nanosecond: 1_000_000_000
        }
    }
}

/// A named, nullable slot in a struct, a list's element or a schema.
public struct Field: Sendable, Hashable {
    public var name: String
    public var type: DataType
    public var nullable: Bool

    public init(_ name: String, _ type: DataType, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }
}

public indirect enum DataType: Sendable, Hashable, CustomStringConvertible {
    case boolean
    case int8, int16, int32, int64
    case uint8, uint16, uint32, uint64
    /// IEEE binary16, stored as its raw 16 bits.
    case float16
    case float32, float64
    /// Exact decimal: the unscaled value in `Int64` storage for precision <= 18, `Int128` above.
    case decimal(precision: Int, scale: Int)
    case string
    case binary
    case fixedBinary(width: Int)
    /// Days since 1970-01-01.
    case date32
    /// Time of day in the given unit, `Int64` storage.
    case time(TimeUnit)
    /// Ticks since the Unix epoch; `utc` is true for instants (timestamptz).
    case timestamp(TimeUnit, utc: Bool)
    /// A span of months, days and microseconds, kept apart as PostgreSQL keeps them
    /// (a month has no fixed length). Storage: `fixedBytes(width: 16)`, little-endian
    /// Int32 months, Int32 days, Int64 microseconds.
    case interval
    case list(Field)
    case structure([Field])
    /// A list of (key, value) entries; keys are never null.
    case map(key: Field, value: Field)

    public var description: String {
        switch self {
        case .boolean: "boolean"
        case .int8: "int8"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .uint8: "uint8"
        case .uint16: "uint16"
        case .uint32: "uint32"
        case .uint64: "uint64"
        case .float16: "float16"
        case .float32: "float32"
        case .float64: "float64"
        case let .decimal(p, s): "decimal(\(p),\(s))"
        case .string: "string"
        case .binary: "binary"
        case let .fixedBinary(w): "fixed_binary(\(w))"
        case .date32: "date"
        case let .time(u): "time(\(u.rawValue))"
        case let .timestamp(u, utc): utc ? "timestamptz(\(u.rawValue))" : "timestamp(\(u.rawValue))"
        case .interval: "interval"
        case let .list(f): "list<\(f.type)>"
        case let .structure(fs): "struct<" + fs.map { "\($0.name): \($0.type)" }.joined(separator: ", ") + ">"
        case let .map(k, v): "map<\(k.type), \(v.type)>"
        }
    }

    /// Whether values of this type are fixed-width numbers in a flat buffer.
    public var isNested: Bool {
        switch self {
        case .list, .structure, .map: true
        default: false
        }
    }
}
