/// `Statistics` of a column chunk or page; every field is optional. min/max
/// (1, 2) are deprecated: they were written in signed byte order whatever the
/// type; min_value/max_value (5, 6) follow the column's sort order. Values are
/// PLAIN-encoded without a length prefix.
///   1: max  2: min  3: null_count  4: distinct_count  5: max_value  6: min_value
///   7: is_max_value_exact  8: is_min_value_exact  9: nan_count
public struct Statistics: ThriftStruct, Hashable {
    public var max: [UInt8]?
    public var min: [UInt8]?
    public var nullCount: Int64?
    public var distinctCount: Int64?
    public var maxValue: [UInt8]?
    public var minValue: [UInt8]?
    public var isMaxValueExact: Bool?
    public var isMinValueExact: Bool?
    public var nanCount: Int64?

    public init(max: [UInt8]? = nil, min: [UInt8]? = nil, nullCount: Int64? = nil, distinctCount: Int64? = nil,
                maxValue: [UInt8]? = nil, minValue: [UInt8]? = nil, isMaxValueExact: Bool? = nil, isMinValueExact: Bool? = nil,
                nanCount: Int64? = nil) {
        self.max = max
        self.min = min
        self.nullCount = nullCount
        self.distinctCount = distinctCount
        self.maxValue = maxValue
        self.minValue = minValue
        self.isMaxValueExact = isMaxValueExact
        self.isMinValueExact = isMinValueExact
        self.nanCount = nanCount
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var s = Statistics()
        try r.readStruct { (r, h) throws(ParquetError) in
            switch (h.id, h.type) {
            case (1, .binary): s.max = try r.readBinary()
            case (2, .binary): s.min = try r.readBinary()
            case (3, .i64): s.nullCount = try r.readI64()
            case (4, .i64): s.distinctCount = try r.readI64()
            case (5, .binary): s.maxValue = try r.readBinary()
            case (6, .binary): s.minValue = try r.readBinary()
            case (7, .boolTrue), (7, .boolFalse): s.isMaxValueExact = r.boolValue(h)
            case (8, .boolTrue), (8, .boolFalse): s.isMinValueExact = r.boolValue(h)
            case (9, .i64): s.nanCount = try r.readI64()
            default: try r.skip(h.type)
            }
        }
        self = s
    }

    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.field(1, binary: max)
        w.field(2, binary: min)
        w.field(3, i64: nullCount)
        w.field(4, i64: distinctCount)
        w.field(5, binary: maxValue)
        w.field(6, binary: minValue)
        w.field(7, bool: isMaxValueExact)
        w.field(8, bool: isMinValueExact)
        w.field(9, i64: nanCount)
        w.structEnd()
    }
}
