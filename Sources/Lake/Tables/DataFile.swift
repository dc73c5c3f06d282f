/// One Parquet file of a table: where it is, its partition values, and how
/// its columns line up with the table's.
public struct DataFile: Sendable {
    /// Path within the store that holds it (the lake's, for lake tables).
    public let path: String
    /// Full location, for messages and EXPLAIN ("/data/lake/sales/orders/year=2024/month=1/part-00000.parquet").
    public let location: String
    public let size: Int
    /// Modification time, nanoseconds since 1970-01-01 UTC.
    public let modified: Int64
    /// One value per `TableDescriptor.partitionKeys` entry, typed as the key.
    public let partitionValues: [PartitionValue]
    /// Rows in the file (from its footer).
    public let rowCount: Int64
    /// For each file column of the table (the first `TableDescriptor.fileColumnCount`
    /// fields), the index of this file's top-level column holding it (for
    /// `ParquetFile.readRowGroup(_:columns:)`), or nil when this file lacks the
    /// column and it reads as NULL.
    public let columnIndices: [Int?]

    /// The store that holds the file (`Lake.open(_:)` reads through it).
    let store: any ObjectStore

    init(path: String, location: String, size: Int, modified: Int64, partitionValues: [PartitionValue], rowCount: Int64,
         columnIndices: [Int?], store: any ObjectStore) {
        self.path = path
        self.location = location
        self.size = size
        self.modified = modified
        self.partitionValues = partitionValues
        self.rowCount = rowCount
        self.columnIndices = columnIndices
        self.store = store
    }
}
