/// `FileMetaData`: the footer, stored just before the 4-byte footer length and "PAR1".
///   1: version  2: schema (depth-first, root first)  3: num_rows  4: row_groups
///   5: key_value_metadata  6: created_by  7: column_orders (one per leaf)
///   8: encryption_algorithm (a union; only its presence is kept: a plaintext footer
///      over encrypted columns)  9: footer_signing_key_metadata
/// schema and num_rows are needed to read anything; a missing version reads as 0
/// and missing row_groups as none.
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

    public init(version: Int32 = 1, schema: [SchemaElement], numRows: Int64, rowGroups: [RowGroup] = [],
                keyValueMetadata: [KeyValue]? = nil, createdBy: String? = nil, columnOrders: [ColumnOrder]? = nil,
                hasEncryptionAlgorithm: Bool = false, footerSigningKeyMetadata: [UInt8]? = nil) {
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
        let start = r.position
        var m = FileMetaData(version: 0, schema: [], numRows: 0, rowGroups: [])
        var schema: [SchemaElement]?, numRows: Int64?
        try r.readStruct { (r, f) throws(ParquetError) in
            switch (f.id, f.type) {
            case (1, .i32): m.version = try r.readI32()
            case (2, .list): schema = try r.readList(.structure) { (r) throws(ParquetError) in try SchemaElement(from: &r) }
            case (3, .i64): numRows = try r.readI64()
            case (4, .list): m.rowGroups = try r.readList(.structure) { (r) throws(ParquetError) in try RowGroup(from: &r) } ?? []
            case (5, .list): m.keyValueMetadata = try r.readList(.structure) { (r) throws(ParquetError) in try KeyValue(from: &r) }
            case (6, .binary): m.createdBy = try r.readString()
            case (7, .list): m.columnOrders = try r.readList(.structure) { (r) throws(ParquetError) in try ColumnOrder(from: &r) }
            case (8, .structure):
                m.hasEncryptionAlgorithm = true
                try r.skip(f.type)
            case (9, .binary): m.footerSigningKeyMetadata = try r.readBinary()
            default: try r.skip(f.type)
            }
        }
        guard let schema else { throw ParquetError.corrupt("file metadata at byte \(start) has no schema") }
        guard let numRows else { throw ParquetError.corrupt("file metadata at byte \(start) has no num_rows") }
        m.schema = schema
        m.numRows = numRows
        self = m
    }

    /// Decodes a footer (the `FileMetaData` bytes, without the length and magic).
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) -> FileMetaData {
        var r = ThriftCompactReader(bytes)
        return try FileMetaData(from: &r)
    }

    /// `hasEncryptionAlgorithm` is written as an empty AES_GCM_V1 (the algorithm's details are not kept).
    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.field(1, i32: version)
        w.field(2, structs: schema)
        w.field(3, i64: numRows)
        w.field(4, structs: rowGroups)
        w.field(5, structs: keyValueMetadata)
        w.field(6, string: createdBy)
        w.field(7, structs: columnOrders)
        if hasEncryptionAlgorithm {
            w.fieldHeader(8, .structure)
            w.structBegin()
            w.emptyStructField(1)
            w.structEnd()
        }
        w.field(9, binary: footerSigningKeyMetadata)
        w.structEnd()
    }
}
