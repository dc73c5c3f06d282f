import Columnar

/// What a statement returns: rows in batches (for queries) and the command tag
/// PostgreSQL clients expect ("SELECT 3", "CREATE TABLE", "SET").
public struct QueryResult: Sendable {
    public var fields: [Field]
    public var batches: [RecordBatch]
    public var commandTag: String

    public init(fields: [Field], batches: [RecordBatch], commandTag: String) {
        self.fields = fields
        self.batches = batches
        self.commandTag = commandTag
    }

    public var rowCount: Int { batches.reduce(0) { $0 + $1.rowCount } }
}
