/// What a grant is on: one table, every table of a schema (also tables created later),
/// a data filter, or every object whose tags match an expression.
enum GrantTarget: Codable, Sendable, Hashable {
    case table(schema: String, name: String)
    case schema(String)
    case dataFilter(String)
    /// The tag expression as SQL (`sensitivity = 'public' AND domain IN ('sales')`).
    case tag(String)

    /// A stable text for keys and listings.
    var description: String {
        switch self {
        case let .table(s, n): "TABLE \(s).\(n)"
        case let .schema(s): "ALL TABLES IN SCHEMA \(s)"
        case let .dataFilter(f): "DATA FILTER \(f)"
        case let .tag(e): "TAG \(e)"
        }
    }
}
