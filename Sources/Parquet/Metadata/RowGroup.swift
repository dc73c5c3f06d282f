/// `RowGroup`: a horizontal slice of the file, one `ColumnChunk` per leaf column.
///   1: columns  2: total_byte_size  3: num_rows  4: sorting_columns  5: file_offset
///   6: total_compressed_size  7: ordinal
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
        let start = r.position
        var g = RowGroup(columns: [], totalByteSize: 0, numRows: 0)
        var columns: [ColumnChunk]?, numRows: Int64?
        try r.readStruct { (r, f) throws(ParquetError) in
            switch (f.id, f.type) {
            case (1, .list): columns = try r.readList(.structure) { (r) throws(ParquetError) in try ColumnChunk(from: &r) }
            case (2, .i64): g.totalByteSize = try r.readI64()
            case (3, .i64): numRows = try r.readI64()
            case (4, .list): g.sortingColumns = try r.readList(.structure) { (r) throws(ParquetError) in try SortingColumn(from: &r) }
            case (5, .i64): g.fileOffset = try r.readI64()
            case (6, .i64): g.totalCompressedSize = try r.readI64()
            case (7, .i16): g.ordinal = try r.readI16()
            default: try r.skip(f.type)
            }
        }
        guard let columns else { throw ParquetError.corrupt("row group at byte \(start) has no column chunks") }
        guard let numRows, numRows >= 0 else { throw ParquetError.corrupt("row group at byte \(start) lacks a valid num_rows") }
        g.columns = columns
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
