/// A named data cell filter on a table (Lake Formation's): the rows its predicate keeps
/// and the columns it shows (nil: every column). Granted to principals like a table.
struct DataFilter: Codable, Sendable, Hashable {
    var name: String
    var schema: String
    var table: String
    var columns: [String]?
    /// SQL over the table's columns; may call `current_user`, `user_attribute('key')` and `has_role('role')`.
    var predicate: String

    func shows(_ column: String) -> Bool { columns?.contains(column) ?? true }
}
