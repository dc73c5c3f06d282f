/// `SortingColumn`: one key of a row group's sort order.
///   1: column_idx  2: descending  3: nulls_first
public struct SortingColumn: ThriftStruct, Hashable {
    public var columnIdx: Int32
    public var descending: Bool
    public var nullsFirst: Bool

    public init(columnIdx: Int32, descending: Bool = false, nullsFirst: Bool = false) {
        self.columnIdx = columnIdx
        self.descending = descending
        self.nullsFirst = nullsFirst
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var c = SortingColumn(columnIdx: 0)
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
