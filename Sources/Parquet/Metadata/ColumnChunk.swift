/// `ColumnChunk`: one column of one row group.
///   1: file_path  2: file_offset (deprecated, required, 0 if absent)  3: meta_data
///   4: offset_index_offset  5: offset_index_length  6: column_index_offset  7: column_index_length
///   8: crypto_metadata (a ColumnCryptoMetaData union; only its presence is kept)
///   9: encrypted_column_metadata
public struct ColumnChunk: ThriftStruct, Hashable {
    public var filePath: String?
    public var fileOffset: Int64
    public var metaData: ColumnMetaData?
    public var offsetIndexOffset: Int64?
    public var offsetIndexLength: Int32?
    public var columnIndexOffset: Int64?
    public var columnIndexLength: Int32?
    /// Field 8 (ColumnCryptoMetaData) is present: the column is encrypted.
    public var hasCryptoMetadata: Bool
    public var encryptedColumnMetadata: [UInt8]?

    public init(filePath: String? = nil, fileOffset: Int64 = 0, metaData: ColumnMetaData? = nil, offsetIndexOffset: Int64? = nil,
                offsetIndexLength: Int32? = nil, columnIndexOffset: Int64? = nil, columnIndexLength: Int32? = nil,
                hasCryptoMetadata: Bool = false, encryptedColumnMetadata: [UInt8]? = nil) {
        self.filePath = filePath
        self.fileOffset = fileOffset
        self.metaData = metaData
        self.offsetIndexOffset = offsetIndexOffset
        self.offsetIndexLength = offsetIndexLength
        self.columnIndexOffset = columnIndexOffset
        self.columnIndexLength = columnIndexLength
        self.hasCryptoMetadata = hasCryptoMetadata
        self.encryptedColumnMetadata = encryptedColumnMetadata
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var c = ColumnChunk(fileOffset: 0)
        try r.readStruct { (r, f) throws(ParquetError) in
            switch (f.id, f.type) {
            case (1, .binary): c.filePath = try r.readString()
            case (2, .i64): c.fileOffset = try r.readI64()
            case (3, .structure): c.metaData = try ColumnMetaData(from: &r)
            case (4, .i64): c.offsetIndexOffset = try r.readI64()
            case (5, .i32): c.offsetIndexLength = try r.readI32()
            case (6, .i64): c.columnIndexOffset = try r.readI64()
            case (7, .i32): c.columnIndexLength = try r.readI32()
            case (8, .structure):
                c.hasCryptoMetadata = true
                try r.skip(f.type)
            case (9, .binary): c.encryptedColumnMetadata = try r.readBinary()
            default: try r.skip(f.type)
            }
        }
        self = c
    }

    /// `hasCryptoMetadata` is written as ENCRYPTION_WITH_FOOTER_KEY (the key details are not kept).
    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.field(1, string: filePath)
        w.field(2, i64: fileOffset)
        w.field(3, struct: metaData)
        w.field(4, i64: offsetIndexOffset)
        w.field(5, i32: offsetIndexLength)
        w.field(6, i64: columnIndexOffset)
        w.field(7, i32: columnIndexLength)
        if hasCryptoMetadata {
            w.fieldHeader(8, .structure)
            w.structBegin()
            w.emptyStructField(1)
            w.structEnd()
        }
        w.field(9, binary: encryptedColumnMetadata)
        w.structEnd()
    }
}
