/// `SizeStatistics` of a column chunk: estimates of the unencoded size and level histograms.
///   1: unencoded_byte_array_data_bytes  2: repetition_level_histogram  3: definition_level_histogram
public struct SizeStatistics: ThriftStruct, Hashable {
    public var unencodedByteArrayDataBytes: Int64?
    public var repetitionLevelHistogram: [Int64]?
    public var definitionLevelHistogram: [Int64]?

    public init(unencodedByteArrayDataBytes: Int64? = nil, repetitionLevelHistogram: [Int64]? = nil,
                definitionLevelHistogram: [Int64]? = nil) {
        self.unencodedByteArrayDataBytes = unencodedByteArrayDataBytes
        self.repetitionLevelHistogram = repetitionLevelHistogram
        self.definitionLevelHistogram = definitionLevelHistogram
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var s = SizeStatistics()
        try r.readStruct { (r, h) throws(ParquetError) in
            switch (h.id, h.type) {
            case (1, .i64): s.unencodedByteArrayDataBytes = try r.readI64()
            case (2, .list): s.repetitionLevelHistogram = try r.readList(.i64) { (r) throws(ParquetError) in try r.readI64() }
            case (3, .list): s.definitionLevelHistogram = try r.readList(.i64) { (r) throws(ParquetError) in try r.readI64() }
            default: try r.skip(h.type)
            }
        }
        self = s
    }

    public func write(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.field(1, i64: unencodedByteArrayDataBytes)
        w.field(2, i64s: repetitionLevelHistogram)
        w.field(3, i64s: definitionLevelHistogram)
        w.structEnd()
    }
}
