import Columnar
import Lake

/// Everything the system catalog lists for one statement: schemas, relations (the lake's
/// tables the principal may see, and the catalog's own relations), roles, with their OIDs.
/// The rows of pg_namespace, pg_class, pg_attribute, information_schema.tables ... are views of it.
struct CatalogObjects: Sendable {
    struct Namespace: Sendable {
        var oid: Int32
        var name: String
    }

    struct Column: Sendable {
        var name: String
        var type: DataType
        var notNull: Bool
    }

    struct Relation: Sendable {
        var oid: Int32
        var namespace: Namespace
        var name: String
        /// pg_class.relkind: "r" table, "v" view (information_schema's relations).
        var kind: String
        var columns: [Column]
        /// The lake table, nil for a catalog relation.
        var table: TableDescriptor?

        var qualifiedName: String { namespace.name + "." + name }
        var rowEstimate: Double { Double(table?.files.reduce(Int64(0)) { $0 + $1.rowCount } ?? 0) }
        var bytes: Int { table?.files.reduce(0) { $0 + $1.size } ?? 0 }
    }

    struct Role: Sendable {
        var oid: Int32
        var name: String
        var isSuperuser: Bool
    }

    static let bootstrapSuperuserOID: Int32 = 10
    static let pgCatalogOID: Int32 = 11
    static let publicOID: Int32 = 2200
    static let informationSchemaOID: Int32 = 13_000

    var session: SessionInfo
    var databaseOID: Int32
    var namespaces: [Namespace]
    var relations: [Relation]
    var roles: [Role]

    private var relationsByOID: [Int32: Int]
    private var namespacesByOID: [Int32: Namespace]

    init(session: SessionInfo, schemas: [String], tables: [TableDescriptor], systemTables: [SystemTable], systemRelationOIDs: [String: Int32]) {
        self.session = session
        let userKeys = schemas.filter { $0 != "public" }.map { "n:" + $0 } + tables.map { "r:\($0.schema).\($0.name)" } + ["d:" + session.database]
        let oids = ObjectIdentifiers.assign(userKeys, in: ObjectIdentifiers.firstUserOID..<Int32.max)
        databaseOID = oids["d:" + session.database]!
        var namespaces = [
            Namespace(oid: Self.pgCatalogOID, name: SystemCatalog.pgCatalog),
            Namespace(oid: Self.informationSchemaOID, name: SystemCatalog.informationSchema),
        ]
        for schema in schemas where !SystemCatalog.isSystemSchema(schema) {
            namespaces.append(Namespace(oid: schema == "public" ? Self.publicOID : oids["n:" + schema]!, name: schema))
        }
        var byName: [String: Namespace] = [:]
        for n in namespaces { byName[n.name] = n }
        var relations: [Relation] = []
        for t in systemTables {
            relations.append(Relation(oid: systemRelationOIDs["\(t.schema).\(t.name)"]!, namespace: byName[t.schema]!, name: t.name,
                                      kind: t.schema == SystemCatalog.pgCatalog ? "r" : "v",
                                      columns: t.columns.map { Column(name: $0.name, type: $0.type, notNull: false) }, table: nil))
        }
        for t in tables {
            let namespace = byName[t.schema] ?? Namespace(oid: oids["n:" + t.schema] ?? Self.publicOID, name: t.schema)
            relations.append(Relation(oid: oids["r:\(t.schema).\(t.name)"]!, namespace: namespace, name: t.name, kind: "r",
                                      columns: t.fields.map { Column(name: $0.name, type: SQLTypes.canonical($0.type), notNull: !$0.nullable) },
                                      table: t))
        }
        self.namespaces = namespaces
        self.relations = relations
        var roles = [Role(oid: Self.bootstrapSuperuserOID, name: Principal.superuser.user, isSuperuser: true)]
        if session.user != Principal.superuser.user {
            roles.append(Role(oid: ObjectIdentifiers.assign(["u:" + session.user], avoiding: Set(oids.values),
                                                            in: ObjectIdentifiers.firstUserOID..<Int32.max)["u:" + session.user]!,
                              name: session.user, isSuperuser: session.principal.isSuperuser))
        }
        self.roles = roles
        relationsByOID = Dictionary(relations.enumerated().map { ($1.oid, $0) }, uniquingKeysWith: { a, _ in a })
        namespacesByOID = Dictionary(namespaces.map { ($0.oid, $0) }, uniquingKeysWith: { a, _ in a })
    }

    var currentRole: Role { roles.first { $0.name == session.user } ?? roles[0] }

    func relation(oid: Int32) -> Relation? { relationsByOID[oid].map { relations[$0] } }
    func namespace(oid: Int32) -> Namespace? { namespacesByOID[oid] }
    func namespace(named name: String) -> Namespace? { namespaces.first { $0.name == name } }
    func role(oid: Int32) -> Role? { roles.first { $0.oid == oid } }
    func role(named name: String) -> Role? { roles.first { $0.name == name } }

    /// Whether `name` alone finds this relation: its schema is on the search path and no
    /// schema before it has a relation of that name (`pg_table_is_visible`).
    func isVisible(_ relation: Relation) -> Bool {
        for schema in session.effectiveSearchPath {
            if let hit = relations.first(where: { $0.namespace.name == schema && $0.name == relation.name }) { return hit.oid == relation.oid }
        }
        return false
    }

    /// `'name'::regclass`: a relation by (optionally schema-qualified, optionally quoted) name.
    func relationOID(named text: String) -> Int32? {
        let parts = Self.splitName(text)
        if parts.count >= 2 {
            let schema = parts[parts.count - 2], name = parts[parts.count - 1]
            return relations.first { $0.namespace.name == schema && $0.name == name }?.oid
        }
        guard let name = parts.first else { return nil }
        for schema in session.effectiveSearchPath {
            if let hit = relations.first(where: { $0.namespace.name == schema && $0.name == name }) { return hit.oid }
        }
        return nil
    }

    /// `oid::regclass` as text: the name, schema-qualified when the name alone would not find it.
    func relationText(oid: Int32) -> String {
        guard let r = relation(oid: oid) else { return String(oid) }
        return isVisible(r) ? SQLIdentifier.quoted(r.name) : SQLIdentifier.quoted(r.namespace.name) + "." + SQLIdentifier.quoted(r.name)
    }

    /// Splits `schema.name` / `"Mixed".name`, folding unquoted parts to lower case.
    static func splitName(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var wasQuoted = false
        var chars = Array(text.trimmingSpaces)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { current.append("\""); chars = chars.dropFirst() } else { quoted = false }
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                quoted = true
                wasQuoted = true
            } else if c == "." {
                parts.append(current)
                current = ""
                wasQuoted = false
            } else {
                current += wasQuoted ? String(c) : String(c).lowercased()
            }
        }
        parts.append(current)
        return parts
    }
}

/// Identifiers as PostgreSQL's quote_ident writes them.
enum SQLIdentifier {
    static func quoted(_ name: String) -> String {
        let plain = !name.isEmpty && name.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_" }
            && !(name.first!.isNumber) && !reserved.contains(name)
        return plain ? name : "\"" + name.replacingAll("\"", with: "\"\"") + "\""
    }

    private static let reserved: Set<String> = [
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast", "check", "collate",
        "column", "constraint", "create", "current_catalog", "current_date", "current_role", "current_time", "current_timestamp",
        "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign",
        "from", "grant", "group", "having", "in", "initially", "intersect", "into", "lateral", "leading", "limit", "localtime",
        "localtimestamp", "not", "null", "offset", "on", "only", "or", "order", "placing", "primary", "references", "returning",
        "select", "session_user", "some", "symmetric", "table", "then", "to", "trailing", "true", "union", "unique", "user", "using",
        "variadic", "when", "where", "window", "with",
    ]
}
