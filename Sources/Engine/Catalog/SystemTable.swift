import Columnar

/// The definition of one system catalog relation: its columns (PostgreSQL's names and,
/// where Basalt has no such type, the nearest engine type: `oid` as integer, `name` and
/// `"char"` as text, arrays as text in PostgreSQL's array syntax) and how its rows are made.
struct SystemTable: Sendable {
    struct Column: Sendable {
        var name: String
        var type: DataType
        /// The type PostgreSQL gives the column (for array element types and `format_type`).
        var postgresType: String
        /// The value of a row that does not mention the column.
        var defaultValue: Value
    }

    var schema: String
    var name: String
    var columns: [Column]
    /// The rows, each a column name → value map (missing columns take their default).
    var rows: @Sendable (CatalogObjects) -> [[String: Value]]

    /// `spec`: "name:type name:type ...", types as PostgreSQL spells them (oid, name, text, "char" as char,
    /// int2, int4, int8, float4, bool, timestamptz, regproc, xid, pg_node_tree, int2vector, oidvector, T[]).
    init(_ schema: String, _ name: String, _ spec: String, rows: @escaping @Sendable (CatalogObjects) -> [[String: Value]] = { _ in [] }) {
        self.schema = schema
        self.name = name
        self.columns = spec.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { item in
            let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
            let type = Self.engineType(parts[1])
            // information_schema leaves what does not apply NULL; pg_catalog has zeros and false.
            let defaultValue = schema == SystemCatalog.informationSchema ? Value.null : Self.defaultValue(type)
            return Column(name: parts[0], type: type, postgresType: parts[1], defaultValue: defaultValue)
        }
        self.rows = rows
    }

    var fields: [Field] { columns.map { Field($0.name, $0.type, nullable: true) } }

    func relation(_ objects: CatalogObjects) -> SystemRelation {
        let made = rows(objects).map { row in columns.map { row[$0.name] ?? $0.defaultValue } }
        return SystemRelation(schema: schema, name: name, fields: fields, rows: made)
    }

    static func engineType(_ postgres: String) -> DataType {
        if postgres.hasSuffix("[]") || postgres.hasSuffix("vector") { return .string }
        switch postgres {
        case "bool": return .boolean
        case "int2": return .int16
        case "oid", "int4", "regproc_oid": return .int32
        case "int8", "xid": return .int64
        case "float4": return .float32
        case "float8": return .float64
        case "timestamptz": return .timestamp(.microsecond, utc: true)
        default: return .string
        }
    }

    /// The element type of an array column, nil for other columns.
    static func arrayElementType(_ postgres: String) -> DataType? {
        switch postgres {
        case "int2vector": return .int16
        case "oidvector": return .int32
        default:
            guard postgres.hasSuffix("[]") else { return nil }
            return engineType(String(postgres.dropLast(2)))
        }
    }

    private static func defaultValue(_ type: DataType) -> Value {
        switch type {
        case .boolean: return .boolean(false)
        case .int16, .int32, .int64: return .int(0)
        case .float32: return .double(0)
        default: return .null
        }
    }
}

/// Shorthands for catalog rows.
extension Value {
    static func text(_ s: String?) -> Value { s.map { .string($0) } ?? .null }
    static func oid(_ o: Int32) -> Value { .int(Int64(o)) }
}
