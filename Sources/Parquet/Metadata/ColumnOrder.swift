/// `ColumnOrder`, a union of empty structs: the sort order of a leaf column's
/// min/max statistics. 1 TYPE_ORDER is the type's own order; any other member
/// (2 IEEE_754_TOTAL_ORDER, 3 INT96_TIMESTAMP_ORDER, or a future one) is
/// `.unknown` to this reader, whose min/max statistics should then be ignored.
public enum ColumnOrder: ThriftStruct, Hashable {
    case typeDefinedOrder
    case unknown

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var order = ColumnOrder.unknown
        try r.readStruct { (r, h) throws(ParquetError) in
            order = h.id == 1 && h.type == .structure ? .typeDefinedOrder : .unknown
            try r.skip(h.type)
        }
        self = order
    }

    /// `.unknown` is written as an empty union.
    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        if self == .typeDefinedOrder { w.emptyStructField(1) }
        w.structEnd()
    }
}
