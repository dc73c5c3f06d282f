import Foundation

/// A column as the metastore records it: the type in Basalt's spelling
/// (`DataType.description`), so the catalog stays independent of the layers
/// that interpret it.
public struct StoredColumn: Sendable, Hashable, Codable {
    public var name: String
    public var type: String
    public var nullable: Bool

    public init(name: String, type: String, nullable: Bool) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }
}

/// How `basalt ingest` laid out a lake table: its columns, partition keys
/// (`year(order_date)`, ...) and sort order, so a later ingest appends in the
/// same layout and the server knows the table's schema without reading files.
public struct TableLayout: Sendable, Hashable {
    public var schema: String
    public var name: String
    public var columns: [StoredColumn]
    public var partitionBy: [String]
    public var sortBy: [String]
    public var updated: Date

    public init(schema: String, name: String, columns: [StoredColumn], partitionBy: [String], sortBy: [String], updated: Date) {
        self.schema = schema
        self.name = name
        self.columns = columns
        self.partitionBy = partitionBy
        self.sortBy = sortBy
        self.updated = updated
    }
}

/// One finished ingest, for the table's history.
public struct IngestRecord: Sendable, Hashable {
    public var schema: String
    public var name: String
    public var mode: String
    public var inputs: [String]
    public var rowsWritten: Int
    public var rowsRejected: Int
    public var filesWritten: Int
    public var bytesWritten: Int
    public var started: Date
    public var finished: Date

    public init(schema: String, name: String, mode: String, inputs: [String], rowsWritten: Int, rowsRejected: Int,
                filesWritten: Int, bytesWritten: Int, started: Date, finished: Date) {
        self.schema = schema
        self.name = name
        self.mode = mode
        self.inputs = inputs
        self.rowsWritten = rowsWritten
        self.rowsRejected = rowsRejected
        self.filesWritten = filesWritten
        self.bytesWritten = bytesWritten
        self.started = started
        self.finished = finished
    }
}

/// The metastore's record of ingested tables (kept apart from `Metastore`'s
/// registered tables: an ingested table lives in the lake's directories and
/// stays a discovered table; this only adds what files cannot say).
public protocol IngestCatalog: Sendable {
    func tableLayout(schema: String, name: String) throws(LakeError) -> TableLayout?
    /// Records (or replaces) a table's layout and bumps the catalog version.
    func saveTableLayout(_ layout: TableLayout) throws(LakeError)
    func recordIngest(_ record: IngestRecord) throws(LakeError)
    /// The table's ingests, oldest first.
    func ingests(schema: String, name: String) throws(LakeError) -> [IngestRecord]
}
