/// The small structs of parquet.thrift: key/value metadata, sorting columns,
/// encoding statistics, column orders, bloom filter headers.

/// `KeyValue`  1: key (required)  2: value
public struct KeyValue: ThriftStruct, Hashable {
    public var key: String
    public var value: String?

    public init(key: String, value: String? = nil) {
        self.key = key
        self.value = value
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var key: String?, value: String?
        try r.readStruct { (r, h) throws(ParquetError) in
            switch (h.id, h.type) {
            case (1, .binary): key = try r.readString()
            case (2, .binary): value = try r.readString()
            default: try r.skip(h.type)
            }
        }
        guard let key else { throw ParquetError.corrupt("key-value metadata entry without a key") }
        self.init(key: key, value: value)
    }

    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.field(1, string: key)
        w.field(2, string: value)
        w.structEnd()
    }
}

/// `SortingColumn`  1: column_idx  2: descending  3: nulls_first
public struct SortingColumn: ThriftStruct, Hashable {
    public var columnIdx: Int32
    public var descending: Bool
    public var nullsFirst: Bool

    public init(columnIdx: Int32, descending: Bool, nullsFirst: Bool) {
        self.columnIdx = columnIdx
        self.descending = descending
        self.nullsFirst = nullsFirst
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var c = SortingColumn(columnIdx: 0, descending: false, nullsFirst: false)
        try r.readStruct { (r, h) throws(ParquetError) in
            switch (h.id, h.type) {
            case (1, .i32): c.columnIdx = try r.readI32()
            case (2, .boolTrue), (2, .boolFalse): c.descending = r.boolValue(h)
            case (3, .boolTrue), (3, .boolFalse): c.nullsFirst = r.boolValue(h)
            default: try r.skip(h.type)
            }
        }
        self = c
    }

    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.field(1, i32: columnIdx)
        w.field(2, bool: descending)
        w.field(3, bool: nullsFirst)
        w.structEnd()
    }
}

/// `PageEncodingStats`  1: page_type  2: encoding  3: count
public struct PageEncodingStats: ThriftStruct, Hashable {
    public var pageType: PageType
    public var encoding: Encoding
    public var count: Int32

    public init(pageType: PageType, encoding: Encoding, count: Int32) {
        self.pageType = pageType
        self.encoding = encoding
        self.count = count
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var s = PageEncodingStats(pageType: .dataPage, encoding: .plain, count: 0)
        try r.readStruct { (r, h) throws(ParquetError) in
            switch (h.id, h.type) {
            case (1, .i32): s.pageType = PageType(rawValue: try r.readI32())
            case (2, .i32): s.encoding = Encoding(rawValue: try r.readI32())
            case (3, .i32): s.count = try r.readI32()
            default: try r.skip(h.type)
            }
        }
        self = s
    }

    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.field(1, i32: pageType.rawValue)
        w.field(2, i32: encoding.rawValue)
        w.field(3, i32: count)
        w.structEnd()
    }
}

/// `ColumnOrder`, a union: 1 TYPE_ORDER (the type's own sort order).
public enum ColumnOrder: ThriftStruct, Hashable {
    case typeDefinedOrder
    case unknown

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var order = ColumnOrder.unknown
        try r.readStruct { (r, h) throws(ParquetError) in
            if h.id == 1 && h.type == .structure { order = .typeDefinedOrder }
            try r.skip(h.type)
        }
        self = order
    }

    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        if self == .typeDefinedOrder {
            w.fieldHeader(1, .structure)
            w.structBegin()
            w.structEnd()
        }
        w.structEnd()
    }
}

/// `BloomFilterHeader`  1: numBytes  2: algorithm (union, 1 BLOCK)  3: hash (union, 1 XXHASH)
/// 4: compression (union, 1 UNCOMPRESSED). Only the split-block / XXH64 / uncompressed combination exists.
public struct BloomFilterHeader: ThriftStruct, Hashable {
    public enum Algorithm: Sendable, Hashable { case block, unknown }
    public enum Hash: Sendable, Hashable { case xxhash, unknown }
    public enum Compression: Sendable, Hashable { case uncompressed, unknown }

    public var numBytes: Int32
    public var algorithm: Algorithm
    public var hash: Hash
    public var compression: Compression

    public init(numBytes: Int32, algorithm: Algorithm = .block, hash: Hash = .xxhash, compression: Compression = .uncompressed) {
        self.numBytes = numBytes
        self.algorithm = algorithm
        self.hash = hash
        self.compression = compression
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var numBytes: Int32?
        var algorithm = Algorithm.unknown, hash = Hash.unknown, compression = Compression.unknown
        func unionMember(_ r: inout ThriftCompactReader) throws(ParquetError) -> Int16 {
            var member: Int16 = 0
            try r.readStruct { (r, f) throws(ParquetError) in
                member = f.id
                try r.skip(f.type)
            }
            return member
        }
        try r.readStruct { (r, h) throws(ParquetError) in
            switch (h.id, h.type) {
            case (1, .i32): numBytes = try r.readI32()
            case (2, .structure): algorithm = try unionMember(&r) == 1 ? .block : .unknown
            case (3, .structure): hash = try unionMember(&r) == 1 ? .xxhash : .unknown
            case (4, .structure): compression = try unionMember(&r) == 1 ? .uncompressed : .unknown
            default: try r.skip(h.type)
            }
        }
        guard let numBytes else { throw ParquetError.corrupt("bloom filter header without numBytes") }
        self.init(numBytes: numBytes, algorithm: algorithm, hash: hash, compression: compression)
    }

    public func write(to w: inout ThriftCompactWriter) {
        func member(_ id: Int16) {
            w.fieldHeader(id, .structure)
            w.structBegin()
            w.fieldHeader(1, .structure)
            w.structBegin()
            w.structEnd()
            w.structEnd()
        }
        w.structBegin()
        w.field(1, i32: numBytes)
        member(2)
        member(3)
        member(4)
        w.structEnd()
    }
}
