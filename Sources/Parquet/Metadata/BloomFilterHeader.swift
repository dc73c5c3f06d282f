/// `BloomFilterHeader`, at a column chunk's `bloom_filter_offset`, followed by the bitset.
///   1: numBytes  2: algorithm (union: 1 BLOCK)  3: hash (union: 1 XXHASH)
///   4: compression (union: 1 UNCOMPRESSED)
/// The unions hold empty structs; only split-block / XXH64 / uncompressed exists today,
/// anything else decodes as `.unknown` (and such a filter cannot be used).
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

    /// Decodes a union of empty structs: the id of its (last) struct member, 0 if none.
    private static func unionMember(_ r: inout ThriftCompactReader) throws(ParquetError) -> Int16 {
        var member: Int16 = 0
        try r.readStruct { (r, f) throws(ParquetError) in
            if f.type == .structure { member = f.id }
            try r.skip(f.type)
        }
        return member
    }

    public init(from r: inout ThriftCompactReader) throws(ParquetError) {
        let start = r.position
        var numBytes: Int32?
        var algorithm = Algorithm.unknown, hash = Hash.unknown, compression = Compression.unknown
        try r.readStruct { (r, h) throws(ParquetError) in
            switch (h.id, h.type) {
            case (1, .i32): numBytes = try r.readI32()
            case (2, .structure): algorithm = try Self.unionMember(&r) == 1 ? .block : .unknown
            case (3, .structure): hash = try Self.unionMember(&r) == 1 ? .xxhash : .unknown
            case (4, .structure): compression = try Self.unionMember(&r) == 1 ? .uncompressed : .unknown
            default: try r.skip(h.type)
            }
        }
        guard let numBytes else { throw ParquetError.corrupt("bloom filter header at byte \(start) has no numBytes") }
        self.init(numBytes: numBytes, algorithm: algorithm, hash: hash, compression: compression)
    }

    /// An `.unknown` member is written as an empty union.
    public func write(to w: inout ThriftCompactWriter) {
        func union(_ id: Int16, member: Bool) {
            w.fieldHeader(id, .structure)
            w.structBegin()
            if member { w.emptyStructField(1) }
            w.structEnd()
        }
        w.structBegin()
        w.field(1, i32: numBytes)
        union(2, member: algorithm == .block)
        union(3, member: hash == .xxhash)
        union(4, member: compression == .uncompressed)
        w.structEnd()
    }
}
