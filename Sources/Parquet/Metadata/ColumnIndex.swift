/// The statistics half of the page index (PageIndex.md): per data page of a
/// column chunk, whether it is all null, its min and max, and its null count.
///   1: null_pages  2: min_values  3: max_values  4: boundary_order  5: null_counts
///   6: repetition_level_histograms  7: definition_level_histograms  8: nan_counts
public struct ColumnIndex: ThriftStruct, Hashable {
    public var nullPages: [Bool]
    public var minValues: [[UInt8]]
    public var maxValues: [[UInt8]]
    public var boundaryOrder: BoundaryOrder
    public var nullCounts: [Int64]?
    public var repetitionLevelHistograms: [Int64]?
    public var definitionLevelHistograms: [Int64]?
    public var nanCounts: [Int64]?

    public init(nullPages: [Bool], minValues: [[UInt8]], maxValues: [[UInt8]], boundaryOrder: BoundaryOrder,
                nullCounts: [Int64]? = nil, repetitionLevelHistograms: [Int64]? = nil, definitionLevelHistograms: [Int64]? = nil,
                nanCounts: [Int64]? = nil) {
        self.nullPages = nullPages
        self.minValues = minValues
        self.maxValues = maxValues
        self.boundaryOrder = boundaryOrder
        self.nullCounts = nullCounts
        self.repetitionLevelHistograms = repetitionLevelHistograms
        self.definitionLevelHistograms = definitionLevelHistograms
        self.nanCounts = nanCounts
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        let start = r.position
        var nullPages: [Bool]?, minValues: [[UInt8]]?, maxValues: [[UInt8]]?
        var c = ColumnIndex(nullPages: [], minValues: [], maxValues: [], boundaryOrder: .unordered)
        try r.readStruct { (r, h) throws(ParquetError) in
            switch (h.id, h.type) {
            case (1, .list): nullPages = try r.readList(.boolTrue) { (r) throws(ParquetError) in try r.readBoolElement() }
            case (2, .list): minValues = try r.readList(.binary) { (r) throws(ParquetError) in try r.readBinary() }
            case (3, .list): maxValues = try r.readList(.binary) { (r) throws(ParquetError) in try r.readBinary() }
            case (4, .i32): c.boundaryOrder = BoundaryOrder(rawValue: try r.readI32()) ?? .unordered
            case (5, .list): c.nullCounts = try r.readList(.i64) { (r) throws(ParquetError) in try r.readI64() }
            case (6, .list): c.repetitionLevelHistograms = try r.readList(.i64) { (r) throws(ParquetError) in try r.readI64() }
            case (7, .list): c.definitionLevelHistograms = try r.readList(.i64) { (r) throws(ParquetError) in try r.readI64() }
            case (8, .list): c.nanCounts = try r.readList(.i64) { (r) throws(ParquetError) in try r.readI64() }
            default: try r.skip(h.type)
            }
        }
        guard let nullPages, let minValues, let maxValues else {
            throw ParquetError.corrupt("column index at byte \(start) lacks null_pages, min_values or max_values")
        }
        c.nullPages = nullPages
        c.minValues = minValues
        c.maxValues = maxValues
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
        w.field(8, i64s: nanCounts)
        w.structEnd()
    }
}

/// `BoundaryOrder` of a column index's min/max lists (an unknown value reads as unordered).
public enum BoundaryOrder: Int32, Sendable, Hashable, CaseIterable {
    case unordered = 0, ascending = 1, descending = 2

    /// The thrift spelling ("UNORDERED", ...).
    public var name: String {
        switch self {
        case .unordered: "UNORDERED"
        case .ascending: "ASCENDING"
        case .descending: "DESCENDING"
        }
    }
}
