import Columnar

/// pg_proc's rows: Basalt's functions by name (kind, namespace), without argument types:
/// enough for `\df`-style listings and `'name'::regproc`.
enum PgProcRows {
    static let scalarNames: [String] = """
        abs array_in array_out array_to_string array_upper array_lower array_length ascii atan2 btrim cardinality cbrt ceil \
        ceiling chr coalesce col_description concat concat_ws cos current_database current_schema current_schemas \
        current_setting current_user date_part date_trunc degrees div exp extract floor format_type gcd greatest \
        has_column_privilege has_database_privilege has_schema_privilege has_table_privilege initcap lcm least left \
        length ln log log10 lower lpad ltrim make_date make_timestamp md5 mod now nullif obj_description octet_length \
        pg_backend_pid pg_encoding_to_char pg_get_constraintdef pg_get_expr pg_get_indexdef pg_get_userbyid \
        pg_get_viewdef pg_is_in_recovery pg_size_pretty pg_table_is_visible pg_type_is_visible pi position power \
        quote_ident quote_literal radians random regexp_replace repeat replace reverse right round rpad rtrim \
        set_config shobj_description sign sin split_part sqrt starts_with strpos substr substring tan to_char \
        to_hex to_regtype translate trunc upper version
        """.split(separator: " ").map(String.init)

    static let rows: [[String: Value]] = {
        let aggregates = ExpressionBinder.aggregateNames.sorted()
        let windows = ExpressionBinder.rankingFunctions.sorted()
        let all = scalarNames.map { ($0, "f") } + aggregates.map { ($0, "a") } + windows.map { ($0, "w") }
        let oids = ObjectIdentifiers.assign(all.map { "p:" + $0.0 }, in: 1000..<ObjectIdentifiers.firstSystemOID)
        return all.map { (name, kind) in
            ["oid": .oid(oids["p:" + name]!), "proname": .string(name), "pronamespace": .oid(CatalogObjects.pgCatalogOID),
             "proowner": .oid(CatalogObjects.bootstrapSuperuserOID), "prolang": .oid(12), "procost": .double(1), "prorows": .double(0),
             "prokind": .string(kind), "proisstrict": .boolean(true), "provolatile": .string("i"), "proparallel": .string("s"),
             "prorettype": .oid(PostgresType.text.oid), "proargtypes": .string(""), "prosrc": .string(name)]
        }
    }()
}
