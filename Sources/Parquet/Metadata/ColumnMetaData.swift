/// `ColumnMetaData`: where a column chunk's pages are and how they are encoded.
///   1: type  2: encodings  3: path_in_schema  4: codec  5: num_values
///   6: total_uncompressed_size  7: total_compressed_size  8: key_value_metadata
///   9: data_page_offset  10: index_page_offset  11: dictionary_page_offset  12: statistics
///   13: encoding_stats  14: bloom_filter_offset  15: bloom_filter_length
///   16: size_statistics  (17: geospatial_statistics, skipped)
/// type, codec, num_values, the two sizes and data_page_offset are required to
/// read the chunk: without them the metadata is corrupt. encodings and
/// path_in_schema are required too, but a reader can do without: missing, they read as [].
public struct ColumnMetaData: ThriftStruct, Hashable {
    public var type: PhysicalType
    public var encodings: [Encoding]
    public var pathInSchema: [String]
    public var codec: CompressionCodec
    public var numValues: Int64
    public var totalUncompressedSize: Int64
    public var totalCompressedSize: Int64
    public var keyValueMetadata: [KeyValue]?
    public var dataPageOffset: Int64
    public var indexPageOffset: Int64?
    public var dictionaryPageOffset: Int64?
    public var statistics: Statistics?
    public var encodingStats: [PageEncodingStats]?
    public var bloomFilterOffset: Int64?
    public var bloomFilterLength: Int32?
    public var sizeStatistics: SizeStatistics?

    public init(type: PhysicalType, encodings: [Encoding], pathInSchema: [String], codec: CompressionCodec, numValues: Int64,
                totalUncompressedSize: Int64, totalCompressedSize: Int64, keyValueMetadata: [KeyValue]? = nil, dataPageOffset: Int64,
                indexPageOffset: Int64? = nil, dictionaryPageOffset: Int64? = nil, statistics: Statistics? = nil,
                encodingStats: [PageEncodingStats]? = nil, bloomFilterOffset: Int64? = nil, bloomFilterLength: Int32? = nil,
                sizeStatistics: SizeStatistics? = nil) {
        self.type = type
        self.encodings = encodings
        self.pathInSchema = pathInSchema
        self.codec = codec
        self.numValues = numValues
        self.totalUncompressedSize = totalUncompressedSize
        self.totalCompressedSize = totalCompressedSize
        self.keyValueMetadata = keyValueMetadata
        self.dataPageOffset = dataPageOffset
        self.indexPageOffset = indexPageOffset
        self.dictionaryPageOffset = dictionaryPageOffset
        self.statistics = statistics
        self.encodingStats = encodingStats
        self.bloomFilterOffset = bloomFilterOffset
        self.bloomFilterLength = bloomFilterLength
        self.sizeStatistics = sizeStatistics
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        let start = r.position
        var rawType: Int32?, codec: CompressionCodec?, numValues: Int64?, uncompressed: Int64?, compressed: Int64?, dataPage: Int64?
        var m = ColumnMetaData(type: .boolean, encodings: [], pathInSchema: [], codec: .uncompressed, numValues: 0,
                               totalUncompressedSize: 0, totalCompressedSize: 0, dataPageOffset: 0)
        try r.readStruct { (r, f) throws(ParquetError) in
            switch (f.id, f.type) {
            case (1, .i32): rawType = try r.readI32()
            case (2, .list):
                m.encodings = try r.readList(.i32) { (r) throws(ParquetError) in Encoding(rawValue: try r.readI32()) } ?? []
            case (3, .list):
                m.pathInSchema = try r.readList(.binary) { (r) throws(ParquetError) in try r.readString() } ?? []
            case (4, .i32): codec = CompressionCodec(rawValue: try r.readI32())
            case (5, .i64): numValues = try r.readI64()
            case (6, .i64): uncompressed = try r.readI64()
            case (7, .i64): compressed = try r.readI64()
            case (8, .list): m.keyValueMetadata = try r.readList(.structure) { (r) throws(ParquetError) in try KeyValue(from: &r) }
            case (9, .i64): dataPage = try r.readI64()
            case (10, .i64): m.indexPageOffset = try r.readI64()
            case (11, .i64): m.dictionaryPageOffset = try r.readI64()
            case (12, .structure): m.statistics = try Statistics(from: &r)
            case (13, .list):
                m.encodingStats = try r.readList(.structure) { (r) throws(ParquetError) in try PageEncodingStats(from: &r) }
            case (14, .i64): m.bloomFilterOffset = try r.readI64()
            case (15, .i32): m.bloomFilterLength = try r.readI32()
            case (16, .structure): m.sizeStatistics = try SizeStatistics(from: &r)
            default: try r.skip(f.type)
            }
        }
        var missing: [String] = []
        if rawType == nil { missing.append("type") }
        if codec == nil { missing.append("codec") }
        if numValues == nil { missing.append("num_values") }
        if uncompressed == nil { missing.append("total_uncompressed_size") }
        if compressed == nil { missing.append("total_compressed_size") }
        if dataPage == nil { missing.append("data_page_offset") }
        guard let rawType, let codec, let numValues, let uncompressed, let compressed, let dataPage else {
            throw ParquetError.corrupt("column metadata at byte \(start) lacks \(missing.joined(separator: ", "))")
        }
        guard let type = PhysicalType(rawValue: rawType) else {
            throw ParquetError.corrupt("unknown physical type \(rawType) in column metadata at byte \(start)")
        }
        m.type = type
        m.codec = codec
        m.numValues = numValues
        m.totalUncompressedSize = uncompressed
        m.totalCompressedSize = compressed
        m.dataPageOffset = dataPage
        self = m
    }

    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.field(1, i32: type.rawValue)
        w.field(2, i32s: encodings.map(\.rawValue))
        w.field(3, strings: pathInSchema)
        w.field(4, i32: codec.rawValue)
        w.field(5, i64: numValues)
        w.field(6, i64: totalUncompressedSize)
        w.field(7, i64: totalCompressedSize)
        w.field(8, structs: keyValueMetadata)
        w.field(9, i64: dataPageOffset)
        w.field(10, i64: indexPageOffset)
        w.field(11, i64: dictionaryPageOffset)
        w.field(12, struct: statistics)
        w.field(13, structs: encodingStats)
        w.field(14, i64: bloomFilterOffset)
        w.field(15, i32: bloomFilterLength)
        w.field(16, struct: sizeStatistics)
        w.structEnd()
    }
}
