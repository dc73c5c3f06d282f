import Columnar
import Lake

/// What a table name in FROM resolves to: a table of the lake (read by a scan) or a
/// relation of the system catalog, whose rows are made in memory when the statement is bound.
enum CatalogRelation: Sendable {
    case lake(TableDescriptor)
    case system(SystemRelation)
}

/// A `pg_catalog` or `information_schema` relation with its rows, as seen by one statement.
struct SystemRelation: Sendable {
    var schema: String
    var name: String
    var fields: [Field]
    var rows: [[Value]]
}
