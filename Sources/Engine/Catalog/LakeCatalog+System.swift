import Lake
import SQL

extension LakeCatalog {
    /// A name in FROM: `pg_catalog.x` and `information_schema.x` are system relations; an
    /// unqualified name is looked up in pg_catalog first (PostgreSQL searches it before the
    /// search path), then among the lake's tables.
    func relation(_ name: QualifiedName) throws(EngineError) -> CatalogRelation {
        if name.parts.count >= 2 {
            let schema = name.parts[name.parts.count - 2]
            if SystemCatalog.isSystemSchema(schema) {
                if let r = try system.relation(schema: schema, name: name.name) { return .system(r) }
                throw .undefinedTable("relation \"\(name)\" does not exist", position: name.position >= 0 ? name.position + 1 : nil)
            }
        } else {
            for schema in system.session.effectiveSearchPath where SystemCatalog.isSystemSchema(schema) {
                if let r = try system.relation(schema: schema, name: name.name) { return .system(r) }
            }
        }
        return .lake(try table(name))
    }
}
