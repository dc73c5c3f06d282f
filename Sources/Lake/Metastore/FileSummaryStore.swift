/// What table discovery needs from one Parquet file's footer, kept so that a
/// new process describes a table without opening its files: the row count and
/// the schema (`ParquetFile.encodedSchema`), valid for the file's location,
/// size and modification time.
public struct FileSummary: Sendable, Hashable {
    /// Full location (`ObjectStore.location(of:)`).
    public var location: String
    public var size: Int
    /// Nanoseconds since 1970-01-01 UTC.
    public var modified: Int64
    public var rowCount: Int64
    public var encodedSchema: [UInt8]

    public init(location: String, size: Int, modified: Int64, rowCount: Int64, encodedSchema: [UInt8]) {
        self.location = location
        self.size = size
        self.modified = modified
        self.rowCount = rowCount
        self.encodedSchema = encodedSchema
    }
}

/// A metastore that remembers file summaries (the SQLite one does). A summary
/// is only used while the file's size and modification time are unchanged.
public protocol FileSummaryStore: Sendable {
    /// The summaries recorded for `location` itself or anything under `location/`.
    func fileSummaries(under location: String) throws(LakeError) -> [FileSummary]
    /// Records summaries, replacing those of the same locations, and forgets the
    /// summaries of `stale` locations (files that are gone), in one transaction.
    func saveFileSummaries(_ summaries: [FileSummary], forgetting stale: [String]) throws(LakeError)
}
