import Columnar

/// A PostgreSQL built-in type as clients know it: the OID in RowDescription and
/// ParameterDescription, the row of `pg_type`, the type modifier of a column.
/// One table shared by the wire protocol and the system catalog, so both always
/// tell a client the same thing.
public struct PostgresType: Sendable, Hashable {
    public var oid: Int32
    /// `pg_type.typname`.
    public var name: String
    /// `pg_type.typlen`: bytes of the fixed-size form, -1 for variable length.
    public var length: Int16
    /// `pg_type.typcategory` (B boolean, N numeric, S string, D date/time, T timespan, U user, A array).
    public var category: Character
    /// The OID of the array type over this one (0 for arrays themselves).
    public var arrayOID: Int32
    /// For an array type, its element type's OID; 0 otherwise.
    public var elementOID: Int32

    public init(oid: Int32, name: String, length: Int16, category: Character, arrayOID: Int32 = 0, elementOID: Int32 = 0) {
        self.oid = oid
        self.name = name
        self.length = length
        self.category = category
        self.arrayOID = arrayOID
        self.elementOID = elementOID
    }

    public static let bool = PostgresType(oid: 16, name: "bool", length: 1, category: "B", arrayOID: 1000)
    public static let bytea = PostgresType(oid: 17, name: "bytea", length: -1, category: "U", arrayOID: 1001)
    public static let char = PostgresType(oid: 18, name: "char", length: 1, category: "Z", arrayOID: 1002)
    public static let name = PostgresType(oid: 19, name: "name", length: 64, category: "S", arrayOID: 1003)
    public static let int8 = PostgresType(oid: 20, name: "int8", length: 8, category: "N", arrayOID: 1016)
    public static let int2 = PostgresType(oid: 21, name: "int2", length: 2, category: "N", arrayOID: 1005)
    public static let int2vector = PostgresType(oid: 22, name: "int2vector", length: -1, category: "A", arrayOID: 1006, elementOID: 21)
    public static let int4 = PostgresType(oid: 23, name: "int4", length: 4, category: "N", arrayOID: 1007)
    public static let regproc = PostgresType(oid: 24, name: "regproc", length: 4, category: "N", arrayOID: 1008)
    public static let text = PostgresType(oid: 25, name: "text", length: -1, category: "S", arrayOID: 1009)
    public static let oidType = PostgresType(oid: 26, name: "oid", length: 4, category: "N", arrayOID: 1028)
    public static let oidvector = PostgresType(oid: 30, name: "oidvector", length: -1, category: "A", arrayOID: 1013, elementOID: 26)
    public static let json = PostgresType(oid: 114, name: "json", length: -1, category: "U", arrayOID: 199)
    public static let float4 = PostgresType(oid: 700, name: "float4", length: 4, category: "N", arrayOID: 1021)
    public static let float8 = PostgresType(oid: 701, name: "float8", length: 8, category: "N", arrayOID: 1022)
    public static let unknown = PostgresType(oid: 705, name: "unknown", length: -2, category: "X")
    public static let bpchar = PostgresType(oid: 1042, name: "bpchar", length: -1, category: "S", arrayOID: 1014)
    public static let varchar = PostgresType(oid: 1043, name: "varchar", length: -1, category: "S", arrayOID: 1015)
    public static let date = PostgresType(oid: 1082, name: "date", length: 4, category: "D", arrayOID: 1182)
    public static let time = PostgresType(oid: 1083, name: "time", length: 8, category: "D", arrayOID: 1183)
    public static let timestamp = PostgresType(oid: 1114, name: "timestamp", length: 8, category: "D", arrayOID: 1115)
    public static let timestamptz = PostgresType(oid: 1184, name: "timestamptz", length: 8, category: "D", arrayOID: 1185)
    public static let interval = PostgresType(oid: 1186, name: "interval", length: 16, category: "T", arrayOID: 1187)
    public static let numeric = PostgresType(oid: 1700, name: "numeric", length: -1, category: "N", arrayOID: 1231)
    public static let regclass = PostgresType(oid: 2205, name: "regclass", length: 4, category: "N", arrayOID: 2210)
    public static let regtype = PostgresType(oid: 2206, name: "regtype", length: 4, category: "N", arrayOID: 2211)
    public static let uuid = PostgresType(oid: 2950, name: "uuid", length: 16, category: "U", arrayOID: 2951)
    public static let jsonb = PostgresType(oid: 3802, name: "jsonb", length: -1, category: "U", arrayOID: 3807)

    /// Every scalar type above; their array types follow from `arrayOID`.
    public static let scalars: [PostgresType] = [
        bool, bytea, char, name, int8, int2, int4, regproc, text, oidType, json, float4, float8, bpchar, varchar,
        date, time, timestamp, timestamptz, interval, numeric, regclass, regtype, uuid, jsonb,
    ]

    /// The array type `_name` over `element`.
    public static func array(of element: PostgresType) -> PostgresType {
        PostgresType(oid: element.arrayOID, name: "_" + element.name, length: -1, category: "A", elementOID: element.oid)
    }

    /// Scalars, the two vector types and every array type: the rows of `pg_type`.
    public static let all: [PostgresType] = scalars + [int2vector, oidvector, unknown] + scalars.map(array(of:))

    private static let byOID: [Int32: PostgresType] = Dictionary(all.map { ($0.oid, $0) }, uniquingKeysWith: { a, _ in a })

    public static func withOID(_ oid: Int32) -> PostgresType? { byOID[oid] }

    /// The type a result column of `type` is sent as.
    public static func of(_ type: DataType) -> PostgresType {
        switch type {
        case .boolean: return .bool
        case .int8, .int16, .uint8: return .int2
        case .int32, .uint16: return .int4
        case .int64, .uint32: return .int8
        case .uint64, .decimal: return .numeric
        case .float16, .float32: return .float4
        case .float64: return .float8
        case .string: return .text
        case .binary, .fixedBinary: return .bytea
        case .date32: return .date
        case .time: return .time
        case let .timestamp(_, utc): return utc ? .timestamptz : .timestamp
        case .interval: return .interval
        case let .list(element):
            let e = of(element.type)
            return e.category == "A" || e.arrayOID == 0 ? .text : array(of: e)
        case .structure, .map: return .text
        }
    }

    /// `atttypmod` / RowDescription's type modifier: numeric(p,s) is ((p << 16) | s) + 4; -1 otherwise.
    public static func modifier(of type: DataType) -> Int32 {
        if case let .decimal(p, s) = type { return Int32((p << 16) | s) + 4 }
        return -1
    }

    /// The in-memory type a parameter of this OID is bound as; nil when Basalt has none.
    public var dataType: DataType? {
        switch oid {
        case 16: return .boolean
        case 17: return .binary
        case 21: return .int16
        case 23, 26, 24, 2205, 2206: return .int32
        case 20: return .int64
        case 700: return .float32
        case 701: return .float64
        case 1700: return .decimal(precision: 38, scale: 6)
        case 18, 19, 25, 114, 1042, 1043, 2950, 3802, 705: return .string
        case 1082: return .date32
        case 1083: return .time(.microsecond)
        case 1114: return .timestamp(.microsecond, utc: false)
        case 1184: return .timestamp(.microsecond, utc: true)
        case 1186: return .interval
        default:
            guard category == "A", elementOID != 0, let element = PostgresType.withOID(elementOID)?.dataType else { return nil }
            return .list(Field("element", element))
        }
    }

    /// The SQL type name a parameter of this type is cast to (`CAST($1 AS name)`).
    public var sqlName: String {
        switch oid {
        case 16: return "boolean"
        case 17: return "bytea"
        case 21: return "smallint"
        case 23, 26, 24, 2205, 2206: return "integer"
        case 20: return "bigint"
        case 700: return "real"
        case 701: return "double precision"
        case 1700: return "numeric"
        case 1082: return "date"
        case 1083: return "time"
        case 1114: return "timestamp"
        case 1184: return "timestamptz"
        case 1186: return "interval"
        default: return "text"
        }
    }
}
