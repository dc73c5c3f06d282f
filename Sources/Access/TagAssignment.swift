/// An LF-Tag on a schema, a table or a column. A table inherits its schema's tags and a
/// column its table's; a tag set nearer the column overrides the same key further out.
struct TagAssignment: Codable, Sendable, Hashable {
    var schema: String
    var table: String?
    var column: String?
    var key: String
    var value: String

    var objectPath: String { [schema, table, column].compactMap { $0 }.joined(separator: ".") }
    var storageKey: String { objectPath + "\t" + key }
}
