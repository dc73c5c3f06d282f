/// Page headers: every page of a column chunk starts with a `PageHeader`; its
/// `type` says which one of the page-specific headers is set.
///   PageHeader  1: type  2: uncompressed_page_size  3: compressed_page_size  4: crc
///     5: data_page_header  6: index_page_header  7: dictionary_page_header  8: data_page_header_v2
///   DataPageHeader  1: num_values (nulls included)  2: encoding  3: definition_level_encoding
///     4: repetition_level_encoding  5: statistics
///   IndexPageHeader  (no fields)
///   DictionaryPageHeader  1: num_values  2: encoding  3: is_sorted
///   DataPageHeaderV2  1: num_values  2: num_nulls  3: num_rows  4: encoding
///     5: definition_levels_byte_length  6: repetition_levels_byte_length
///     7: is_compressed (default true)  8: statistics
public struct PageHeader: ThriftStruct, Hashable {
    public var type: PageType
    public var uncompressedPageSize: Int32
    public var compressedPageSize: Int32
    public var crc: Int32?
    public var dataPageHeader: DataPageHeader?
    public var indexPageHeader: IndexPageHeader?
    public var dictionaryPageHeader: DictionaryPageHeader?
    public var dataPageHeaderV2: DataPageHeaderV2?

    public init(type: PageType, uncompressedPageSize: Int32, compressedPageSize: Int32, crc: Int32? = nil,
                dataPageHeader: DataPageHeader? = nil, indexPageHeader: IndexPageHeader? = nil,
                dictionaryPageHeader: DictionaryPageHeader? = nil, dataPageHeaderV2: DataPageHeaderV2? = nil) {
        self.type = type
        self.uncompressedPageSize = uncompressedPageSize
        self.compressedPageSize = compressedPageSize
        self.crc = crc
        self.dataPageHeader = dataPageHeader
        self.indexPageHeader = indexPageHeader
        self.dictionaryPageHeader = dictionaryPageHeader
        self.dataPageHeaderV2 = dataPageHeaderV2
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        let start = r.position
        var type: PageType?, uncompressed: Int32?, compressed: Int32?
        var h = PageHeader(type: .dataPage, uncompressedPageSize: 0, compressedPageSize: 0)
        try r.readStruct { (r, f) throws(ParquetError) in
            switch (f.id, f.type) {
            case (1, .i32): type = PageType(rawValue: try r.readI32())
            case (2, .i32): uncompressed = try r.readI32()
            case (3, .i32): compressed = try r.readI32()
            case (4, .i32): h.crc = try r.readI32()
            case (5, .structure): h.dataPageHeader = try DataPageHeader(from: &r)
            case (6, .structure): h.indexPageHeader = try IndexPageHeader(from: &r)
            case (7, .structure): h.dictionaryPageHeader = try DictionaryPageHeader(from: &r)
            case (8, .structure): h.dataPageHeaderV2 = try DataPageHeaderV2(from: &r)
            default: try r.skip(f.type)
            }
        }
        guard let type else { throw ParquetError.corrupt("page header at byte \(start) has no page type") }
        guard let uncompressed, let compressed else {
            throw ParquetError.corrupt("page header at byte \(start) lacks its page sizes")
        }
        h.type = type
        h.uncompressedPageSize = uncompressed
        h.compressedPageSize = compressed
        self = h
    }

    /// Decodes a header at the start of `bytes`; returns it and how many bytes it took.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) -> (header: PageHeader, length: Int) {
        var r = ThriftCompactReader(bytes)
        let header = try PageHeader(from: &r)
        return (header, r.position)
    }

    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.field(1, i32: type.rawValue)
        w.field(2, i32: uncompressedPageSize)
        w.field(3, i32: compressedPageSize)
        w.field(4, i32: crc)
        w.field(5, struct: dataPageHeader)
        w.field(6, struct: indexPageHeader)
        w.field(7, struct: dictionaryPageHeader)
        w.field(8, struct: dataPageHeaderV2)
        w.structEnd()
    }
}

/// The header of a v1 data page: levels and values follow, all compressed together.
public struct DataPageHeader: ThriftStruct, Hashable {
    public var numValues: Int32
    public var encoding: Encoding
    public var definitionLevelEncoding: Encoding
    public var repetitionLevelEncoding: Encoding
    public var statistics: Statistics?

    public init(numValues: Int32, encoding: Encoding, definitionLevelEncoding: Encoding = .rle,
                repetitionLevelEncoding: Encoding = .rle, statistics: Statistics? = nil) {
        self.numValues = numValues
        self.encoding = encoding
        self.definitionLevelEncoding = definitionLevelEncoding
        self.repetitionLevelEncoding = repetitionLevelEncoding
        self.statistics = statistics
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        let start = r.position
        var numValues: Int32?, encoding: Encoding?, definition: Encoding?, repetition: Encoding?
        var statistics: Statistics?
        try r.readStruct { (r, f) throws(ParquetError) in
            switch (f.id, f.type) {
            case (1, .i32): numValues = try r.readI32()
            case (2, .i32): encoding = Encoding(rawValue: try r.readI32())
            case (3, .i32): definition = Encoding(rawValue: try r.readI32())
            case (4, .i32): repetition = Encoding(rawValue: try r.readI32())
            case (5, .structure): statistics = try Statistics(from: &r)
            default: try r.skip(f.type)
            }
        }
        guard let numValues, let encoding else {
            throw ParquetError.corrupt("data page header at byte \(start) lacks num_values or encoding")
        }
        // The level encodings are required too, but only RLE (or the deprecated
        // BIT_PACKED) is ever used: missing, they read as RLE.
        self.init(numValues: numValues, encoding: encoding, definitionLevelEncoding: definition ?? .rle,
                  repetitionLevelEncoding: repetition ?? .rle, statistics: statistics)
    }

    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.field(1, i32: numValues)
        w.field(2, i32: encoding.rawValue)
        w.field(3, i32: definitionLevelEncoding.rawValue)
        w.field(4, i32: repetitionLevelEncoding.rawValue)
        w.field(5, struct: statistics)
        w.structEnd()
    }
}

/// The header of an index page: no fields (index pages were never used).
public struct IndexPageHeader: ThriftStruct, Hashable {
    public init() {}

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        try r.readStruct { (r, f) throws(ParquetError) in try r.skip(f.type) }
    }

    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.structEnd()
    }
}

/// The header of a dictionary page (PLAIN-encoded values, before the data pages).
public struct DictionaryPageHeader: ThriftStruct, Hashable {
    public var numValues: Int32
    public var encoding: Encoding
    public var isSorted: Bool?

    public init(numValues: Int32, encoding: Encoding, isSorted: Bool? = nil) {
        self.numValues = numValues
        self.encoding = encoding
        self.isSorted = isSorted
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        let start = r.position
        var numValues: Int32?, encoding: Encoding?, sorted: Bool?
        try r.readStruct { (r, f) throws(ParquetError) in
            switch (f.id, f.type) {
            case (1, .i32): numValues = try r.readI32()
            case (2, .i32): encoding = Encoding(rawValue: try r.readI32())
            case (3, .boolTrue), (3, .boolFalse): sorted = r.boolValue(f)
            default: try r.skip(f.type)
            }
        }
        guard let numValues, let encoding else {
            throw ParquetError.corrupt("dictionary page header at byte \(start) lacks num_values or encoding")
        }
        self.init(numValues: numValues, encoding: encoding, isSorted: sorted)
    }

    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.field(1, i32: numValues)
        w.field(2, i32: encoding.rawValue)
        w.field(3, bool: isSorted)
        w.structEnd()
    }
}

/// The header of a v2 data page: uncompressed repetition and definition levels
/// (RLE, no length prefix) come first, then the values, compressed if `isCompressed`.
public struct DataPageHeaderV2: ThriftStruct, Hashable {
    public var numValues: Int32
    public var numNulls: Int32
    public var numRows: Int32
    public var encoding: Encoding
    public var definitionLevelsByteLength: Int32
    public var repetitionLevelsByteLength: Int32
    public var isCompressed: Bool
    public var statistics: Statistics?

    public init(numValues: Int32, numNulls: Int32, numRows: Int32, encoding: Encoding, definitionLevelsByteLength: Int32,
                repetitionLevelsByteLength: Int32, isCompressed: Bool = true, statistics: Statistics? = nil) {
        self.numValues = numValues
        self.numNulls = numNulls
        self.numRows = numRows
        self.encoding = encoding
        self.definitionLevelsByteLength = definitionLevelsByteLength
        self.repetitionLevelsByteLength = repetitionLevelsByteLength
        self.isCompressed = isCompressed
        self.statistics = statistics
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        let start = r.position
        var values: Int32?, nulls: Int32?, rows: Int32?, encoding: Encoding?, defLength: Int32?, repLength: Int32?
        var compressed = true
        var statistics: Statistics?
        try r.readStruct { (r, f) throws(ParquetError) in
            switch (f.id, f.type) {
            case (1, .i32): values = try r.readI32()
            case (2, .i32): nulls = try r.readI32()
            case (3, .i32): rows = try r.readI32()
            case (4, .i32): encoding = Encoding(rawValue: try r.readI32())
            case (5, .i32): defLength = try r.readI32()
            case (6, .i32): repLength = try r.readI32()
            case (7, .boolTrue), (7, .boolFalse): compressed = r.boolValue(f)
            case (8, .structure): statistics = try Statistics(from: &r)
            default: try r.skip(f.type)
            }
        }
        guard let values, let nulls, let rows, let encoding, let defLength, let repLength else {
            throw ParquetError.corrupt("v2 data page header at byte \(start) lacks a required field")
        }
        self.init(numValues: values, numNulls: nulls, numRows: rows, encoding: encoding, definitionLevelsByteLength: defLength,
                  repetitionLevelsByteLength: repLength, isCompressed: compressed, statistics: statistics)
    }

    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.field(1, i32: numValues)
        w.field(2, i32: numNulls)
        w.field(3, i32: numRows)
        w.field(4, i32: encoding.rawValue)
        w.field(5, i32: definitionLevelsByteLength)
        w.field(6, i32: repetitionLevelsByteLength)
        w.field(7, bool: isCompressed)
        w.field(8, struct: statistics)
        w.structEnd()
    }
}
