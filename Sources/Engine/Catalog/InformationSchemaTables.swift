import Columnar

/// The `information_schema` views BI tools and ORMs read: schemata, tables, columns and
/// views, plus the constraint views (empty: the lake has no constraints).
enum InformationSchemaTables {
    static let schema = SystemCatalog.informationSchema

    static let all: [SystemTable] = [
        SystemTable(schema, "schemata", """
            catalog_name:name schema_name:name schema_owner:name default_character_set_catalog:name
            default_character_set_schema:name default_character_set_name:name sql_path:text
            """) { o in
            o.namespaces.map { ["catalog_name": .string(o.session.database), "schema_name": .string($0.name),
                                "schema_owner": .string(Principal.superuser.user)] }
        },
        SystemTable(schema, "tables", """
            table_catalog:name table_schema:name table_name:name table_type:text self_referencing_column_name:name
            reference_generation:text user_defined_type_catalog:name user_defined_type_schema:name user_defined_type_name:name
            is_insertable_into:text is_typed:text commit_action:text
            """) { o in
            o.relations.map { r in
                ["table_catalog": .string(o.session.database), "table_schema": .string(r.namespace.name), "table_name": .string(r.name),
                 "table_type": .string(r.kind == "v" ? "VIEW" : "BASE TABLE"), "is_insertable_into": .string("NO"), "is_typed": .string("NO")]
            }
        },
        SystemTable(schema, "columns", """
            table_catalog:name table_schema:name table_name:name column_name:name ordinal_position:int4 column_default:text
            is_nullable:text data_type:text character_maximum_length:int4 character_octet_length:int4 numeric_precision:int4
            numeric_precision_radix:int4 numeric_scale:int4 datetime_precision:int4 interval_type:text interval_precision:int4
            character_set_catalog:name character_set_schema:name character_set_name:name collation_catalog:name
            collation_schema:name collation_name:name domain_catalog:name domain_schema:name domain_name:name udt_catalog:name
            udt_schema:name udt_name:name scope_catalog:name scope_schema:name scope_name:name maximum_cardinality:int4
            dtd_identifier:name is_self_referencing:text is_identity:text identity_generation:text identity_start:text
            identity_increment:text identity_maximum:text identity_minimum:text identity_cycle:text is_generated:text
            generation_expression:text is_updatable:text
            """) { o in
            o.relations.flatMap { r in
                r.columns.enumerated().map { (i, c) in columnRow(o, r, i, c) }
            }
        },
        SystemTable(schema, "views", """
            table_catalog:name table_schema:name table_name:name view_definition:text check_option:text is_updatable:text
            is_insertable_into:text is_trigger_updatable:text is_trigger_deletable:text is_trigger_insertable_into:text
            """),
        SystemTable(schema, "table_constraints", """
            constraint_catalog:name constraint_schema:name constraint_name:name table_catalog:name table_schema:name
            table_name:name constraint_type:text is_deferrable:text initially_deferred:text enforced:text nulls_distinct:text
            """),
        SystemTable(schema, "key_column_usage", """
            constraint_catalog:name constraint_schema:name constraint_name:name table_catalog:name table_schema:name
            table_name:name column_name:name ordinal_position:int4 position_in_unique_constraint:int4
            """),
        SystemTable(schema, "referential_constraints", """
            constraint_catalog:name constraint_schema:name constraint_name:name unique_constraint_catalog:name
            unique_constraint_schema:name unique_constraint_name:name match_option:text update_rule:text delete_rule:text
            """),
        SystemTable(schema, "constraint_column_usage", """
            table_catalog:name table_schema:name table_name:name column_name:name constraint_catalog:name
            constraint_schema:name constraint_name:name
            """),
    ]

    /// One column's row: PostgreSQL's data_type spelling and the precision columns it fills for that type.
    static func columnRow(_ o: CatalogObjects, _ r: CatalogObjects.Relation, _ i: Int, _ c: CatalogObjects.Column) -> [String: Value] {
        let type = PostgresType.of(c.type)
        var row: [String: Value] = [
            "table_catalog": .string(o.session.database), "table_schema": .string(r.namespace.name), "table_name": .string(r.name),
            "column_name": .string(c.name), "ordinal_position": .int(Int64(i + 1)), "is_nullable": .string(c.notNull ? "NO" : "YES"),
            "data_type": .string(dataType(type)), "udt_catalog": .string(o.session.database), "udt_schema": .string(SystemCatalog.pgCatalog),
            "udt_name": .string(type.name), "dtd_identifier": .string(String(i + 1)), "is_self_referencing": .string("NO"),
            "is_identity": .string("NO"), "is_generated": .string("NEVER"), "is_updatable": .string("NO"),
        ]
        switch c.type {
        case .int16: row["numeric_precision"] = .int(16); row["numeric_precision_radix"] = .int(2); row["numeric_scale"] = .int(0)
        case .int32: row["numeric_precision"] = .int(32); row["numeric_precision_radix"] = .int(2); row["numeric_scale"] = .int(0)
        case .int64: row["numeric_precision"] = .int(64); row["numeric_precision_radix"] = .int(2); row["numeric_scale"] = .int(0)
        case .float32: row["numeric_precision"] = .int(24); row["numeric_precision_radix"] = .int(2)
        case .float64: row["numeric_precision"] = .int(53); row["numeric_precision_radix"] = .int(2)
        case let .decimal(p, s): row["numeric_precision"] = .int(Int64(p)); row["numeric_precision_radix"] = .int(10); row["numeric_scale"] = .int(Int64(s))
        case .string: row["character_octet_length"] = .int(1_073_741_824)
        case .date32: row["datetime_precision"] = .int(0)
        case .timestamp, .time, .interval: row["datetime_precision"] = .int(6)
        default: break
        }
        return row
    }

    /// information_schema's data_type: the SQL name without modifiers, ARRAY for arrays.
    static func dataType(_ t: PostgresType) -> String {
        if t.category == "A", t.elementOID != 0, t.name.hasPrefix("_") { return "ARRAY" }
        switch t.oid {
        case PostgresType.numeric.oid: return "numeric"
        case PostgresType.varchar.oid: return "character varying"
        case PostgresType.bpchar.oid: return "character"
        case PostgresType.bytea.oid: return "bytea"
        case PostgresType.interval.oid: return "interval"
        case PostgresType.jsonb.oid, PostgresType.json.oid, PostgresType.uuid.oid: return PgTypeRows.formatType(oid: t.oid, modifier: nil) ?? t.name
        default: return PgTypeRows.formatType(oid: t.oid, modifier: nil) ?? t.name
        }
    }
}
