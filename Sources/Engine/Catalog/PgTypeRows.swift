import Columnar

/// pg_type's rows: one per `PostgresType` (the one table of type OIDs the wire protocol uses too).
enum PgTypeRows {
    static let rows: [[String: Value]] = PostgresType.all.map { t in
        let isArray = t.elementOID != 0 && t.category == "A"
        let base = isArray && t.name.hasPrefix("_") ? "array" : t.name
        return [
            "oid": .oid(t.oid), "typname": .string(t.name), "typnamespace": .oid(CatalogObjects.pgCatalogOID),
            "typowner": .oid(CatalogObjects.bootstrapSuperuserOID), "typlen": .int(Int64(t.length)),
            "typbyval": .boolean(t.length > 0 && t.length <= 8 && t.oid != PostgresType.name.oid && t.oid != PostgresType.interval.oid && t.oid != PostgresType.uuid.oid),
            "typtype": .string(t.oid == PostgresType.unknown.oid ? "p" : "b"), "typcategory": .string(String(t.category)),
            "typispreferred": .boolean(preferred.contains(t.oid)), "typisdefined": .boolean(true), "typdelim": .string(","),
            "typsubscript": .string(isArray ? "array_subscript_handler" : "-"), "typelem": .oid(t.elementOID), "typarray": .oid(t.arrayOID),
            "typinput": .string(base == "array" ? "array_in" : base + "in"), "typoutput": .string(base == "array" ? "array_out" : base + "out"),
            "typreceive": .string(base == "array" ? "array_recv" : base + "recv"), "typsend": .string(base == "array" ? "array_send" : base + "send"),
            "typmodin": .string("-"), "typmodout": .string("-"), "typanalyze": .string("-"),
            "typalign": .string(alignment(t)), "typstorage": .string(t.length == -1 ? (t.oid == PostgresType.numeric.oid ? "m" : "x") : "p"),
            "typtypmod": .int(-1), "typcollation": .oid(collation(t)),
        ]
    }

    /// PostgreSQL's preferred type of each category (the implicit-cast target).
    private static let preferred: Set<Int32> = [PostgresType.bool.oid, PostgresType.text.oid, PostgresType.float8.oid,
                                                PostgresType.oidType.oid, PostgresType.timestamptz.oid, PostgresType.interval.oid]

    /// pg_type.typalign: c (char), s (short), i (int), d (double).
    static func alignment(_ t: PostgresType) -> String {
        switch t.length {
        case 1, 64, -2: return "c"
        case 2: return "s"
        case 8, 16: return t.oid == PostgresType.uuid.oid ? "c" : "d"
        default: return t.category == "A" && (t.elementOID == PostgresType.int8.oid || t.elementOID == PostgresType.float8.oid) ? "d" : "i"
        }
    }

    /// The default collation (100) for the string types, C (950) for `name`, none (0) otherwise.
    static func collation(_ t: PostgresType) -> Int32 {
        if t.oid == PostgresType.name.oid { return 950 }
        return [PostgresType.text.oid, PostgresType.varchar.oid, PostgresType.bpchar.oid].contains(t.oid) ? 100 : 0
    }

    /// PostgreSQL's SQL name of a type (`format_type`): `integer`, `character varying(20)`, `numeric(12,2)`, `text[]`.
    static func formatType(oid: Int32, modifier: Int32?) -> String? {
        guard let t = PostgresType.withOID(oid) else { return nil }
        if t.category == "A", t.elementOID != 0, t.name.hasPrefix("_") {
            return (formatType(oid: t.elementOID, modifier: modifier) ?? "???") + "[]"
        }
        let m = modifier ?? -1
        switch t.oid {
        case PostgresType.bool.oid: return "boolean"
        case PostgresType.int2.oid: return "smallint"
        case PostgresType.int4.oid: return "integer"
        case PostgresType.int8.oid: return "bigint"
        case PostgresType.float4.oid: return "real"
        case PostgresType.float8.oid: return "double precision"
        case PostgresType.char.oid: return "\"char\""
        case PostgresType.numeric.oid:
            guard m >= 4 else { return "numeric" }
            return "numeric(\((m - 4) >> 16),\((m - 4) & 0xFFFF))"
        case PostgresType.varchar.oid: return m >= 4 ? "character varying(\(m - 4))" : "character varying"
        case PostgresType.bpchar.oid: return m >= 4 ? "character(\(m - 4))" : "bpchar"
        case PostgresType.time.oid: return "time without time zone"
        case PostgresType.timestamp.oid: return "timestamp without time zone"
        case PostgresType.timestamptz.oid: return "timestamp with time zone"
        default: return t.name
        }
    }

    /// A type by a name as `'name'::regtype` accepts it (SQL names, internal names, arrays as `x[]`).
    static func oid(named text: String) -> Int32? {
        var name = text.trimmingSpaces.lowercased()
        if name.hasPrefix("pg_catalog.") { name = String(name.dropFirst("pg_catalog.".count)) }
        if name.hasSuffix("[]") {
            guard let element = oid(named: String(name.dropLast(2))), let t = PostgresType.withOID(element), t.arrayOID != 0 else { return nil }
            return t.arrayOID
        }
        if let open = name.firstIndex(of: "(") { name = String(name[..<open]).trimmingSpaces }
        let synonyms: [String: String] = [
            "boolean": "bool", "smallint": "int2", "integer": "int4", "int": "int4", "bigint": "int8", "real": "float4",
            "double precision": "float8", "character varying": "varchar", "character": "bpchar", "char": "bpchar", "\"char\"": "char",
            "decimal": "numeric", "time without time zone": "time", "timestamp without time zone": "timestamp",
            "timestamp with time zone": "timestamptz",
        ]
        name = synonyms[name] ?? name
        return PostgresType.all.first { $0.name == name }?.oid
    }
}
