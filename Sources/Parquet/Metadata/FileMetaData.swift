/// The footer.
///   RowGroup  1: columns  2: total_byte_size  3: num_rows  4: sorting_columns  5: file_offset
///     6: total_compressed_size  7: ordinal
///   FileMetaData  1: version  2: schema  3: num_rows  4: row_groups  5: key_value_metadata
///     6: created_by  7: column_orders  8: encryption_algorithm  9: footer_signing_key_metadata
public struct RowGroup: ThriftStruct, Hashable {
    public var columns: [ColumnChunk]
    public var totalByteSize: Int64
    public var numRows: Int64
    public var sortingColumns: [SortingColumn]?
    public var fileOffset: Int64?
    public var totalCompressedSize: Int64?
    public var ordinal: Int16?

    public init(columns: [ColumnChunk], totalByteSize: Int64, numRows: Int64, sortingColumns: [SortingColumn]? = nil,
                fileOffset: Int64? = nil, totalCompressedSize: Int64? = nil, ordinal: Int16? = nil) {
        self.columns = columns
        self.totalByteSize = totalByteSize
        self.numRows = numRows
        self.sortingColumns = sortingColumns
        self.fileOffset = fileOffset
        self.totalCompressedSize = totalCompressedSize
        self.ordinal = ordinal
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var g = RowGroup(columns: [], totalByteSize: 0, numRows: 0)
        var numRows: Int64?
        try r.readStruct { (r, f) throws(ParquetError) in
            switch (f.id, f.type) {
            case (1, .list): g.columns = try r.readList(.structure) { (r) throws(ParquetError) in try ColumnChunk(from: &r) }
            case (2, .i64): g.totalByteSize = try r.readI64()
            case (3, .i64): numRows = try r.readI64()
            case (4, .list): g.sortingColumns = try r.readList(.structure) { (r) throws(ParquetError) in try SortingColumn(from: &r) }
            case (5, .i64): g.fileOffset = try r.readI64()
            case (6, .i64): g.totalCompressedSize = try r.readI64()
            case (7, .i16): g.ordinal = try r.readI16()
            default: try r.skip(f.type)
            }
        }
        guard let numRows, numRows >= 0 else { throw ParquetError.corrupt("row group without a valid num_rows") }
        g.numRows = numRows
        self = g
    }

    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.field(1, structs: columns)
        w.field(2, i64: totalByteSize)
        w.field(3, i64: numRows)
        w.field(4, structs: sortingColumns)
        w.field(5, i64: fileOffset)
        w.field(6, i64: totalCompressedSize)
        w.field(7, i16: ordinal)
        w.structEnd()
    }
}

public struct FileMetaData: ThriftStruct, Hashable {
    public var version: Int32
    public var schema: [SchemaElement]
    public var numRows: Int64
    public var rowGroups: [RowGroup]
    public var keyValueMetadata: [KeyValue]?
    public var createdBy: String?
    public var columnOrders: [ColumnOrder]?
    /// Field 8 is present: a plaintext footer over encrypted columns.
    public var hasEncryptionAlgorithm: Bool
    public var footerSigningKeyMetadata: [UInt8]?

    public init(version: Int32, schema: [SchemaElement], numRows: Int64, rowGroups: [RowGroup], keyValueMetadata: [KeyValue]? = nil,
                createdBy: String? = nil, columnOrders: [ColumnOrder]? = nil, hasEncryptionAlgorithm: Bool = false,
                footerSigningKeyMetadata: [UInt8]? = nil) {
        self.version = version
        self.schema = schema
        self.numRows = numRows
        self.rowGroups = rowGroups
        self.keyValueMetadata = keyValueMetadata
        self.createdBy = createdBy
        self.columnOrders = columnOrders
        self.hasEncryptionAlgorithm = hasEncryptionAlgorithm
        self.footerSigningKeyMetadata = footerSigningKeyMetadata
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var m = FileMetaData(version: 0, schema: [], numRows: 0, rowGroups: [])
        var schema: [SchemaElement]?, numRows: Int64?
        try r.readStruct { (r, f) throws(ParquetError) in
            switch (f.id, f.type) {
            case (1, .i32): m.version = try r.readI32()
            case (2, .list): schema = try r.readList(.structure) { (r) throws(ParquetError) in try SchemaElement(from: &r) }
            case (3, .i64): numRows = try r.readI64()
            case (4, .list): m.rowGroups = try r.readList(.structure) { (r) throws(ParquetError) in try RowGroup(from: &r) }
            case (5, .list): m.keyValueMetadata = try r.readList(.structure) { (r) throws(ParquetError) in try KeyValue(from: &r) }
            case (6, .binary): m.createdBy = try r.readString()
            case (7, .list): m.columnOrders = try r.readList(.structure) { (r) throws(ParquetError) in try ColumnOrder(from: &r) }
            case (8, .structure): m.hasEncryptionAlgorithm = true; try r.skip(f.type)
            case (9, .binary): m.footerSigningKeyMetadata = try r.readBinary()
            default: try r.skip(f.type)
            }
        }
        guard let schema, let numRows else { throw ParquetError.corrupt("file metadata lacks the schema or num_rows") }
        m.schema = schema
        m.numRows = numRows
        self = m
    }

    /// Decodes a footer.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) -> FileMetaData {
        var r = ThriftCompactReader(bytes)
        return try FileMetaData(from: &r)
    }

    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.field(1, i32: version)
        w.field(2, structs: schema)
        w.field(3, i64: numRows)
        w.field(4, structs: rowGroups)
        w.field(5, structs: keyValueMetadata)
        w.field(6, string: createdBy)
        w.field(7, structs: columnOrders)
        w.field(9, binary: footerSigningKeyMetadata)
        w.structEnd()
    }
}
