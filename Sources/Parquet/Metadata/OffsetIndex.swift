/// The offset half of the page index (PageIndex.md): where each data page of a
/// column chunk is and its first row, so readers can seek to pages.
///   PageLocation  1: offset  2: compressed_page_size (header included)  3: first_row_index
///   OffsetIndex  1: page_locations  2: unencoded_byte_array_data_bytes
public struct PageLocation: ThriftStruct, Hashable {
    public var offset: Int64
    public var compressedPageSize: Int32
    public var firstRowIndex: Int64

    public init(offset: Int64, compressedPageSize: Int32, firstRowIndex: Int64) {
        self.offset = offset
        self.compressedPageSize = compressedPageSize
        self.firstRowIndex = firstRowIndex
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        let start = r.position
        var offset: Int64?, size: Int32?, firstRow: Int64?
        try r.readStruct { (r, h) throws(ParquetError) in
            switch (h.id, h.type) {
            case (1, .i64): offset = try r.readI64()
            case (2, .i32): size = try r.readI32()
            case (3, .i64): firstRow = try r.readI64()
            default: try r.skip(h.type)
            }
        }
        guard let offset, let size, let firstRow else {
            throw ParquetError.corrupt("page location at byte \(start) lacks its offset, size or first row")
        }
        self.init(offset: offset, compressedPageSize: size, firstRowIndex: firstRow)
    }

    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.field(1, i64: offset)
        w.field(2, i32: compressedPageSize)
        w.field(3, i64: firstRowIndex)
        w.structEnd()
    }
}

public struct OffsetIndex: ThriftStruct, Hashable {
    public var pageLocations: [PageLocation]
    public var unencodedByteArrayDataBytes: [Int64]?

    public init(pageLocations: [PageLocation], unencodedByteArrayDataBytes: [Int64]? = nil) {
        self.pageLocations = pageLocations
        self.unencodedByteArrayDataBytes = unencodedByteArrayDataBytes
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        let start = r.position
        var locations: [PageLocation]?, unencoded: [Int64]?
        try r.readStruct { (r, h) throws(ParquetError) in
            switch (h.id, h.type) {
            case (1, .list): locations = try r.readList(.structure) { (r) throws(ParquetError) in try PageLocation(from: &r) }
            case (2, .list): unencoded = try r.readList(.i64) { (r) throws(ParquetError) in try r.readI64() }
            default: try r.skip(h.type)
            }
        }
        guard let locations else { throw ParquetError.corrupt("offset index at byte \(start) has no page locations") }
        self.init(pageLocations: locations, unencodedByteArrayDataBytes: unencoded)
    }

    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.field(1, structs: pageLocations)
        w.field(2, i64s: unencodedByteArrayDataBytes)
        w.structEnd()
    }
}
