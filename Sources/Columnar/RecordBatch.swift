/// Rows as a set of equally long columns: the unit operators pass to each other.
public struct RecordBatch: Sendable {
    public var fields: [Field]
    public var columns: [Column]
    public var rowCount: Int

    public init(fields: [Field], columns: [Column], rowCount: Int) {
        precondition(fields.count == columns.count, "one field per column")
        self.fields = fields
        self.columns = columns
        self.rowCount = rowCount
    }

    public var byteSize: Int { columns.reduce(0) { $0 + $1.byteSize } }
}
