/// XXH64 (Yann Collet's xxHash, 64-bit variant), the hash Parquet bloom filters
/// use (seed 0 over a value's PLAIN encoding; byte arrays without their length
/// prefix). Test vectors: XXH64("") = 0xEF46DB3751D8E999, XXH64("abc") = 0x44BC2CF5AD770999.
public enum XXHash64 {
    @usableFromInline static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    @usableFromInline static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    @usableFromInline static let p3: UInt64 = 0x1656_67B1_9E37_79F9
    @usableFromInline static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63
    @usableFromInline static let p5: UInt64 = 0x27D4_EB2F_1656_67C5

    @inlinable @inline(__always)
    static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

    @inlinable @inline(__always)
    static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        rotl(acc &+ input &* p2, 31) &* p1
    }

    @inlinable @inline(__always)
    static func mergeRound(_ acc: UInt64, _ val: UInt64) -> UInt64 {
        (acc ^ round(0, val)) &* p1 &+ p4
    }

    @inlinable @inline(__always)
    static func avalanche(_ h0: UInt64) -> UInt64 {
        var h = h0
        h ^= h >> 33
        h = h &* p2
        h ^= h >> 29
        h = h &* p3
        h ^= h >> 32
        return h
    }

    /// The hash of `bytes`.
    @inlinable
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let length = bytes.count
        guard let base = bytes.baseAddress else { return avalanche(seed &+ p5) }
        var p = 0
        var h: UInt64
        if length >= 32 {
            var v1 = seed &+ p1 &+ p2
            var v2 = seed &+ p2
            var v3 = seed
            var v4 = seed &- p1
            let limit = length - 32
            while p <= limit {
                v1 = round(v1, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt64.self)))
                v2 = round(v2, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: p + 8, as: UInt64.self)))
                v3 = round(v3, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: p + 16, as: UInt64.self)))
                v4 = round(v4, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: p + 24, as: UInt64.self)))
                p += 32
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
            h = mergeRound(h, v1)
            h = mergeRound(h, v2)
            h = mergeRound(h, v3)
            h = mergeRound(h, v4)
        } else {
            h = seed &+ p5
        }
        h = h &+ UInt64(length)
        while p + 8 <= length {
            let k = round(0, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt64.self)))
            h ^= k
            h = rotl(h, 27) &* p1 &+ p4
            p += 8
        }
        if p + 4 <= length {
            h ^= UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt32.self))) &* p1
            h = rotl(h, 23) &* p2 &+ p3
            p += 4
        }
        while p < length {
            h ^= UInt64(base.load(fromByteOffset: p, as: UInt8.self)) &* p5
            h = rotl(h, 11) &* p1
            p += 1
        }
        return avalanche(h)
    }

    /// The hash of a byte array.
    @inlinable
    public static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }

    /// The hash of the 4 little-endian bytes of `value` (INT32 and FLOAT PLAIN encodings).
    @inlinable
    public static func hash(_ value: UInt32, seed: UInt64 = 0) -> UInt64 {
        var h = seed &+ p5 &+ 4
        h ^= UInt64(value) &* p1
        h = rotl(h, 23) &* p2 &+ p3
        return avalanche(h)
    }

    /// The hash of the 8 little-endian bytes of `value` (INT64 and DOUBLE PLAIN encodings).
    @inlinable
    public static func hash(_ value: UInt64, seed: UInt64 = 0) -> UInt64 {
        var h = seed &+ p5 &+ 8
        h ^= round(0, value)
        h = rotl(h, 27) &* p1 &+ p4
        return avalanche(h)
    }
}
