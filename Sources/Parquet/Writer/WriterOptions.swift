/// How `ParquetWriter` lays out a file: codec, page format, encodings, sizes,
/// bloom filters and page indexes. Defaults follow pyarrow's.
public struct WriterOptions: Sendable {
    /// Page compression.
    public var codec: CompressionCodec = .zstd
    /// Codec-specific level; nil picks 1 for zstd (as pyarrow does) and the library default otherwise.
    public var compressionLevel: Int? = nil
    /// Data page format: 1 (DATA_PAGE) or 2 (DATA_PAGE_V2).
    public var dataPageVersion: Int = 1
    /// Dictionary-encode (except booleans), falling back to plain/delta pages once
    /// the dictionary exceeds `dictionaryPageSizeLimit`.
    public var dictionary: Bool = true
    /// Largest dictionary (PLAIN-encoded bytes) before the chunk's later pages fall back.
    public var dictionaryPageSizeLimit = 1 << 20
    /// Target uncompressed bytes of values per data page.
    public var dataPageSize = 1 << 20
    /// Most rows (top-level records) per data page.
    public var dataPageRowLimit = 20_000
    /// Rows per row group.
    public var rowGroupRows = 1_000_000
    /// DELTA_BINARY_PACKED for INT32/INT64 and DELTA_LENGTH_BYTE_ARRAY for BYTE_ARRAY
    /// (DELTA_BYTE_ARRAY for FIXED_LEN_BYTE_ARRAY) values that are not dictionary-encoded.
    public var preferDelta = false
    /// Dotted Parquet paths of the leaf columns that get a bloom filter
    /// (e.g. "id", "tags.list.element", "m.key_value.key").
    public var bloomFilterColumns: Set<String> = []
    /// False-positive probability bloom filters are sized for.
    public var bloomFilterFPP: Double = 0.01
    /// Write a ColumnIndex and an OffsetIndex for every column chunk.
    public var writePageIndex = true
    /// Also put page statistics into data page headers.
    public var writePageHeaderStatistics = true
    /// Dotted paths of `fixedBinary(12)` leaves holding raw legacy INT96 timestamps
    /// (as `ReadOptions.int96AsRawBytes` reads them), written back as INT96 so a
    /// rewrite keeps values outside the nanosecond range. INT96 gets no min/max:
    /// its sort order is undefined.
    public var int96Columns: Set<String> = []
    public var keyValueMetadata: [String: String] = [:]
    public var createdBy = "basalt version 0.1.0"

    public init() {}

    public init(codec: CompressionCodec = .zstd, compressionLevel: Int? = nil, dataPageVersion: Int = 1, dictionary: Bool = true,
                dictionaryPageSizeLimit: Int = 1 << 20, dataPageSize: Int = 1 << 20, dataPageRowLimit: Int = 20_000,
                rowGroupRows: Int = 1_000_000, preferDelta: Bool = false, bloomFilterColumns: Set<String> = [],
                writePageIndex: Bool = true, keyValueMetadata: [String: String] = [:], createdBy: String = "basalt version 0.1.0") {
        self.codec = codec
        self.compressionLevel = compressionLevel
        self.dataPageVersion = dataPageVersion
        self.dictionary = dictionary
        self.dictionaryPageSizeLimit = dictionaryPageSizeLimit
        self.dataPageSize = dataPageSize
        self.dataPageRowLimit = dataPageRowLimit
        self.rowGroupRows = rowGroupRows
        self.preferDelta = preferDelta
        self.bloomFilterColumns = bloomFilterColumns
        self.writePageIndex = writePageIndex
        self.keyValueMetadata = keyValueMetadata
        self.createdBy = createdBy
    }
}
