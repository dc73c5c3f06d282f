#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parquet's split-block bloom filter (parquet-format BloomFilter.md): an array
/// of 256-bit blocks, each eight 32-bit words. A value's 64-bit XXH64 hash picks
/// a block with its upper 32 bits and sets one bit in each of the block's eight
/// words from its lower 32 bits (times one salt constant per word).
/// `bytes` is the bitset as stored in the file: words little-endian.
public struct SplitBlockBloomFilter: Sendable, Equatable {
    /// The eight odd salt constants of the spec.
    @usableFromInline static let salt: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x47B6_137B, 0x4497_4D91, 0x8824_AD5B, 0xA2B7_289D, 0x7054_95C7, 0x2DF1_424B, 0x9EFC_4947, 0x5C6B_FB31)

    /// Bytes of one block.
    public static let blockBytes = 32
    /// Smallest and largest bitsets writers produce.
    public static let minimumBytes = 32
    public static let maximumBytes = 128 * 1024 * 1024

    /// The bitset, eight 32-bit words per block.
    @usableFromInline var words: [UInt32]

    /// An empty filter of `numBytes` (rounded up to a whole, non-zero number of blocks).
    public init(numBytes: Int) {
        let blocks = max(1, (numBytes + Self.blockBytes - 1) / Self.blockBytes)
        words = [UInt32](repeating: 0, count: blocks * 8)
    }

    /// A filter from its stored bitset (a multiple of 32 bytes; a partial tail block is dropped).
    public init(bytes: [UInt8]) {
        let blocks = bytes.count / Self.blockBytes
        words = [UInt32](repeating: 0, count: blocks * 8)
        bytes.withUnsafeBytes { raw in
            for i in 0..<(blocks * 8) {
                words[i] = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
            }
        }
    }

    /// An empty filter sized for `distinctValues` at false-positive probability `fpp`.
    public init(distinctValues: Int, fpp: Double = 0.01) {
        self.init(numBytes: Self.optimalNumBytes(distinctValues: distinctValues, fpp: fpp))
    }

    /// The bitset size (a power of two between 32 B and 128 MiB) for `distinctValues`
    /// at false-positive probability `fpp`: m = -8 n / ln(1 - fpp^(1/8)) bits.
    public static func optimalNumBytes(distinctValues: Int, fpp: Double = 0.01) -> Int {
        let n = Double(max(1, distinctValues))
        let p = min(max(fpp, 1e-12), 0.999)
        let bits = -8 * n / log(1 - pow(p, 1.0 / 8))
        var bytes = minimumBytes
        let wanted = bits / 8
        while Double(bytes) < wanted && bytes < maximumBytes { bytes <<= 1 }
        return bytes
    }

    public var numBytes: Int { words.count * 4 }
    public var blockCount: Int { words.count / 8 }

    /// The bitset as stored in a file.
    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: words.count * 4)
        out.withUnsafeMutableBytes { raw in
            for (i, w) in words.enumerated() { raw.storeBytes(of: w.littleEndian, toByteOffset: i * 4, as: UInt32.self) }
        }
        return out
    }

    @inlinable @inline(__always)
    func blockIndex(_ hash: UInt64) -> Int {
        Int(((hash >> 32) &* UInt64(words.count / 8)) >> 32)
    }

    @inlinable @inline(__always)
    static func bit(_ key: UInt32, _ salt: UInt32) -> UInt32 {
        1 << ((key &* salt) >> 27)
    }

    public mutating func insert(hash: UInt64) {
        guard !words.isEmpty else { return }
        let base = blockIndex(hash) * 8
        let key = UInt32(truncatingIfNeeded: hash)
        let s = Self.salt
        words.withUnsafeMutableBufferPointer { w in
            w[base] |= Self.bit(key, s.0)
            w[base + 1] |= Self.bit(key, s.1)
            w[base + 2] |= Self.bit(key, s.2)
            w[base + 3] |= Self.bit(key, s.3)
            w[base + 4] |= Self.bit(key, s.4)
            w[base + 5] |= Self.bit(key, s.5)
            w[base + 6] |= Self.bit(key, s.6)
            w[base + 7] |= Self.bit(key, s.7)
        }
    }

    /// False means the value is certainly absent; true means it may be present.
    public func mightContain(hash: UInt64) -> Bool {
        guard !words.isEmpty else { return false }
        let base = blockIndex(hash) * 8
        let key = UInt32(truncatingIfNeeded: hash)
        let s = Self.salt
        return words.withUnsafeBufferPointer { w in
            w[base] & Self.bit(key, s.0) != 0
                && w[base + 1] & Self.bit(key, s.1) != 0
                && w[base + 2] & Self.bit(key, s.2) != 0
                && w[base + 3] & Self.bit(key, s.3) != 0
                && w[base + 4] & Self.bit(key, s.4) != 0
                && w[base + 5] & Self.bit(key, s.5) != 0
                && w[base + 6] & Self.bit(key, s.6) != 0
                && w[base + 7] & Self.bit(key, s.7) != 0
        }
    }

    // Conveniences: the hash of a value's PLAIN encoding.

    public mutating func insert(_ bytes: [UInt8]) { insert(hash: XXHash64.hash(bytes)) }
    public func mightContain(_ bytes: [UInt8]) -> Bool { mightContain(hash: XXHash64.hash(bytes)) }
    public mutating func insert(_ value: Int32) { insert(hash: XXHash64.hash(UInt32(bitPattern: value))) }
    public func mightContain(_ value: Int32) -> Bool { mightContain(hash: XXHash64.hash(UInt32(bitPattern: value))) }
    public mutating func insert(_ value: Int64) { insert(hash: XXHash64.hash(UInt64(bitPattern: value))) }
    public func mightContain(_ value: Int64) -> Bool { mightContain(hash: XXHash64.hash(UInt64(bitPattern: value))) }
    public func mightContain(_ value: Float) -> Bool { mightContain(hash: XXHash64.hash(value.bitPattern)) }
    public func mightContain(_ value: Double) -> Bool { mightContain(hash: XXHash64.hash(value.bitPattern)) }
    public func mightContain(_ string: String) -> Bool { mightContain(Array(string.utf8)) }
}
