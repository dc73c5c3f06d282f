import Parquet

/// Everything `basalt ingest` can be told; the defaults are the command's.
public struct IngestOptions: Sendable {
    public enum Format: String, Sendable, CaseIterable { case auto, csv, ndjson, parquet }
    public enum Mode: String, Sendable, CaseIterable {
        /// Add the input's rows to the table (created when missing).
        case append
        /// Replace the whole table.
        case overwrite
        /// Replace only the partitions the input has rows for.
        case overwritePartitions = "overwrite-partitions"
    }
    public enum ErrorPolicy: String, Sendable, CaseIterable {
        /// Stop at the first bad record and write nothing.
        case fail
        /// Drop bad records, counting them.
        case skip
        /// Drop bad records and write each to the quarantine file.
        case quarantine
    }

    public var lake: String
    public var schema: String
    public var table: String
    /// Files, directories, glob patterns, or "-" for standard input.
    public var inputs: [String]
    public var format: Format = .auto
    public var csv = CSVDialectOverrides()
    /// Records given nulls for missing trailing fields instead of being rejected.
    public var nullPadding = false
    /// NDJSON: nested objects become columns named `outer_inner`.
    public var flatten = false
    /// Column types to use instead of inferred ones (`--type col=decimal(12,2)`).
    public var types: [(column: String, type: String)] = []
    /// A schema file: one `name type` per line; the input's columns must match it.
    public var schemaFile: String?
    /// Rows per input sampled to infer the schema.
    public var sampleRows = 20_000
    public var allowNewColumns = false
    /// `col`, `year(col)`, `month(col)`, `day(col)`, `date(col)`, `bucket(n, col)`, optionally `name=...`.
    public var partitionBy: [String] = []
    public var sortBy: [String] = []
    public var mode: Mode = .append
    public var onError: ErrorPolicy = .fail
    /// Where rejected records go with `quarantine` (default: under `<lake>/_basalt/quarantine/`).
    public var quarantineFile: String?
    public var codec: CompressionCodec = .zstd
    public var compressionLevel: Int?
    public var rowGroupRows = 1_000_000
    /// Files are closed and a new one started past this many bytes.
    public var targetFileBytes = 512 << 20
    public var bloomFilterColumns: [String] = []
    /// Bound on the rows buffered across all partitions (the largest is flushed beyond it).
    public var memoryLimitBytes = 128 << 20
    /// Parquet writers kept open at once (the least recently used is closed beyond it).
    public var maxOpenFiles = 64
    /// Parsing threads (default: the cores).
    public var threads: Int?
    /// Bytes per parsing block.
    public var blockBytes = 8 << 20

    public init(lake: String, schema: String, table: String, inputs: [String]) {
        self.lake = lake
        self.schema = schema
        self.table = table
        self.inputs = inputs
    }
}

/// What an ingest did: the final summary's numbers.
public struct IngestSummary: Sendable {
    public var table: String
    public var mode: IngestOptions.Mode
    public var inputs: Int
    public var rowsRead: Int
    public var rowsWritten: Int
    public var rowsRejected: Int
    public var filesWritten: Int
    public var partitionsWritten: Int
    public var bytesRead: Int
    public var bytesWritten: Int
    public var seconds: Double
    /// The quarantine file, when records were written to one.
    public var quarantineFile: String?
    /// The first rejects (with `skip`, so the summary can show a few).
    public var sampleRejects: [RejectedRecord]
    public var createdTable: Bool
}
