/// `PageEncodingStats`: how many pages of a type use an encoding, per column chunk.
///   1: page_type  2: encoding  3: count
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
