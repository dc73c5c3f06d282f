/// What a column reads as for the principals it applies to (all non-superusers when
/// `principals` is empty): an SQL expression over the table's columns, e.g.
/// `'***' || right(email, 4)`, `md5(email)`, `NULL`, `date_trunc('year', birth_date)`.
struct ColumnMask: Codable, Sendable, Hashable {
    var schema: String
    var table: String
    var column: String
    var expression: String
    var principals: [String]

    var key: String { schema + "." + table + "." + column }
}
