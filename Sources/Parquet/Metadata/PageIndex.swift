/// The page index (PageIndex.md): per column chunk, a `ColumnIndex` (per page
/// min/max, null pages, null counts) and an `OffsetIndex` (where each page is
/// and its first row), so readers can skip pages without reading them.

/// `PageLocation`  1: offset  2: compressed_page_size (header included)  3: first_row_index
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
        var l = PageLocation(offset: 0, compressedPageSize: 0, firstRowIndex: 0)
        try r.readStruct { (r, h) throws(ParquetError) in
            switch (h.id, h.type) {
            case (1, .i64): l.offset = try r.readI64()
            case (2, .i32): l.compressedPageSize = try r.readI32()
            case (3, .i64): l.firstRowIndex = try r.readI64()
            default: try r.skip(h.type)
            }
        }
        self = l
    }

    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.field(1, i64: offset)
        w.field(2, i32: compressedPageSize)
        w.field(3, i64: firstRowIndex)
        w.structEnd()
    }
}

/// `OffsetIndex`  1: page_locations  2: unencoded_byte_array_data_bytes
public struct OffsetIndex: ThriftStruct, Hashable {
    public var pageLocations: [PageLocation]
    public var unencodedByteArrayDataBytes: [Int64]?

    public init(pageLocations: [PageLocation], unencodedByteArrayDataBytes: [Int64]? = nil) {
        self.pageLocations = pageLocations
        self.unencodedByteArrayDataBytes = unencodedByteArrayDataBytes
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var o = OffsetIndex(pageLocations: [])
        try r.readStruct { (r, h) throws(ParquetError) in
            switch (h.id, h.type) {
            case (1, .list): o.pageLocations = try r.readList(.structure) { (r) throws(ParquetError) in try PageLocation(from: &r) }
            case (2, .list): o.unencodedByteArrayDataBytes = try r.readList(.i64) { (r) throws(ParquetError) in try r.readI64() }
            default: try r.skip(h.type)
            }
        }
        self = o
    }

    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.field(1, structs: pageLocations)
        w.field(2, i64s: unencodedByteArrayDataBytes)
        w.structEnd()
    }
}

/// `ColumnIndex`  1: null_pages  2: min_values  3: max_values  4: boundary_order
/// 5: null_counts  6: repetition_level_histograms  7: definition_level_histograms
public struct ColumnIndex: ThriftStruct, Hashable {
    public var nullPages: [Bool]
    public var minValues: [[UInt8]]
    public var maxValues: [[UInt8]]
    public var boundaryOrder: BoundaryOrder
    public var nullCounts: [Int64]?
    public var repetitionLevelHistograms: [Int64]?
    public var definitionLevelHistograms: [Int64]?

    public init(nullPages: [Bool], minValues: [[UInt8]], maxValues: [[UInt8]], boundaryOrder: BoundaryOrder,
                nullCounts: [Int64]? = nil, repetitionLevelHistograms: [Int64]? = nil, definitionLevelHistograms: [Int64]? = nil) {
        self.nullPages = nullPages
        self.minValues = minValues
        self.maxValues = maxValues
        self.boundaryOrder = boundaryOrder
        self.nullCounts = nullCounts
        self.repetitionLevelHistograms = repetitionLevelHistograms
        self.definitionLevelHistograms = definitionLevelHistograms
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var c = ColumnIndex(nullPages: [], minValues: [], maxValues: [], boundaryOrder: .unordered)
        try r.readStruct { (r, h) throws(ParquetError) in
            switch (h.id, h.type) {
            case (1, .list):
                c.nullPages = try r.readList(.boolTrue) { (r) throws(ParquetError) in try r.readByte() == 1 }
            case (2, .list): c.minValues = try r.readList(.binary) { (r) throws(ParquetError) in try r.readBinary() }
            case (3, .list): c.maxValues = try r.readList(.binary) { (r) throws(ParquetError) in try r.readBinary() }
            case (4, .i32): c.boundaryOrder = BoundaryOrder(rawValue: try r.readI32()) ?? .unordered
            case (5, .list): c.nullCounts = try r.readList(.i64) { (r) throws(ParquetError) in try r.readI64() }
            case (6, .list): c.repetitionLevelHistograms = try r.readList(.i64) { (r) throws(ParquetError) in try r.readI64() }
            case (7, .list): c.definitionLevelHistograms = try r.readList(.i64) { (r) throws(ParquetError) in try r.readI64() }
            default: try r.skip(h.type)
            }
        }
        self = c
    }

    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.field(1, bools: nullPages)
        w.field(2, binaries: minValues)
        w.field(3, binaries: maxValues)
        w.field(4, i32: boundaryOrder.rawValue)
        w.field(5, i64s: nullCounts)
        w.field(6, i64s: repetitionLevelHistograms)
        w.field(7, i64s: definitionLevelHistograms)
        w.structEnd()
    }
}
