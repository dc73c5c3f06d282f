import Columnar
import Lake

/// The `pg_catalog` and `information_schema` relations for one statement, made from the
/// lake on first use (the lake's tables as the principal may see them, through the access
/// policy) and shared by every reference to them in the statement, so all agree.
final class SystemCatalog: @unchecked Sendable, Hashable {
    static let pgCatalog = "pg_catalog"
    static let informationSchema = "information_schema"

    static func isSystemSchema(_ schema: String) -> Bool { schema == pgCatalog || schema == informationSchema }

    /// Every system relation, pg_catalog's then information_schema's.
    static let tables: [SystemTable] = PgCatalogTables.all + InformationSchemaTables.all

    private static let tablesByName: [String: SystemTable] = Dictionary(tables.map { ("\($0.schema).\($0.name)", $0) }, uniquingKeysWith: { a, _ in a })

    /// PostgreSQL's OIDs for the catalogs that have fixed ones; the others get stable ones below 16384.
    static let relationOIDs: [String: Int32] = {
        let fixed: [String: Int32] = [
            "pg_catalog.pg_type": 1247, "pg_catalog.pg_attribute": 1249, "pg_catalog.pg_proc": 1255, "pg_catalog.pg_class": 1259,
            "pg_catalog.pg_authid": 1260, "pg_catalog.pg_auth_members": 1261, "pg_catalog.pg_database": 1262,
            "pg_catalog.pg_tablespace": 1213, "pg_catalog.pg_am": 2601, "pg_catalog.pg_attrdef": 2604,
            "pg_catalog.pg_constraint": 2606, "pg_catalog.pg_description": 2609, "pg_catalog.pg_index": 2610,
            "pg_catalog.pg_inherits": 2611, "pg_catalog.pg_namespace": 2615, "pg_catalog.pg_opclass": 2616,
            "pg_catalog.pg_trigger": 2620, "pg_catalog.pg_shdescription": 2396, "pg_catalog.pg_enum": 3501,
            "pg_catalog.pg_range": 3541, "pg_catalog.pg_collation": 3456, "pg_catalog.pg_extension": 3079,
            "pg_catalog.pg_policy": 3256, "pg_catalog.pg_statistic_ext": 3381, "pg_catalog.pg_publication": 6104,
            "pg_catalog.pg_publication_namespace": 6237, "pg_catalog.pg_publication_rel": 6106, "pg_catalog.pg_sequence": 2224,
        ]
        let others = tables.map { "\($0.schema).\($0.name)" }.filter { fixed[$0] == nil }
        return fixed.merging(ObjectIdentifiers.assign(others, avoiding: Set(fixed.values),
                                                      in: ObjectIdentifiers.firstSystemOID..<ObjectIdentifiers.firstUserOID)) { a, _ in a }
    }()

    let lake: Lake
    let policy: any AccessPolicy
    let session: SessionInfo
    private let lock = Lock()
    private var cached: CatalogObjects?

    init(lake: Lake, policy: any AccessPolicy, session: SessionInfo) {
        self.lake = lake
        self.policy = policy
        self.session = session
    }

    static func == (a: SystemCatalog, b: SystemCatalog) -> Bool { a === b }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

    /// The system relation `schema.name`, nil when there is none.
    func relation(schema: String, name: String) throws(EngineError) -> SystemRelation? {
        guard let table = Self.tablesByName["\(schema).\(name)"] else { return nil }
        return table.relation(try objects())
    }

    /// The schemas, relations and roles this statement sees (listed once per statement).
    func objects() throws(EngineError) -> CatalogObjects {
        if let cached = lock.withLock({ cached }) { return cached }
        let schemas: [String]
        let names: [TableName]
        do {
            schemas = try lake.schemas()
            names = try lake.tableNames()
        } catch {
            throw Session.lakeError(error)
        }
        var tables: [TableDescriptor] = []
        for name in names {
            // A table that cannot be described (a corrupt footer) is left out rather than failing every catalog query.
            guard let table = (try? lake.table(schema: name.schema, name: name.name)) ?? nil,
                  policy.canSee(session.principal, table: table) else { continue }
            let fields = table.fields.filter { policy.canSee(session.principal, table: table, column: $0.name) }
            tables.append(fields.count == table.fields.count ? table : TableDescriptor(
                schema: table.schema, name: table.name, location: table.location, origin: table.origin, fields: fields,
                partitionKeys: table.partitionKeys.filter { f in fields.contains { $0.name == f.name } }, files: table.files, version: table.version))
        }
        let made = CatalogObjects(session: session, schemas: schemas, tables: tables, systemTables: Self.tables,
                                  systemRelationOIDs: Self.relationOIDs)
        lock.withLock { cached = made }
        return made
    }
}
