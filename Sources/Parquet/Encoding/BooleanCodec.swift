// BOOLEAN values (parquet-format Encodings.md):
//   PLAIN: one bit per value, packed LSB-first (value i is bit i % 8 of byte i / 8),
//          the last byte zero-padded: ceil(count / 8) bytes.
//   RLE:   (data page v2 booleans) a 4-byte little-endian length, then that many bytes
//          of RLE/bit-packed hybrid data with bit width 1.
// Decoded booleans are bytes holding 0 or 1.

public enum PlainBooleans {
    /// Appends `count` booleans (0/1 bytes) to `out`; returns the bytes consumed, ceil(count / 8).
    @discardableResult
    public static func decode(_ bytes: UnsafeRawBufferPointer, count: Int, into out: inout [UInt8]) throws(ParquetError) -> Int {
        guard count > 0 else { return 0 }
        let needed = count / 8 + (count % 8 == 0 ? 0 : 1)
        guard needed <= bytes.count, let src = bytes.baseAddress else {
            throw ParquetError.corrupt("PLAIN booleans: \(count) values need \(count / 8 + (count % 8 == 0 ? 0 : 1)) bytes, page has \(bytes.count)")
        }
        _ = BitPacking.appendZeroed(&out, count: count) { dst in
            let whole = count / 8
            for i in 0..<whole {
                let spread = spreadBits(src.load(fromByteOffset: i, as: UInt8.self))
                UnsafeMutableRawPointer(dst + i &* 8).storeBytes(of: spread.littleEndian, as: UInt64.self)
            }
            let rest = count % 8
            if rest > 0 {
                let b = src.load(fromByteOffset: whole, as: UInt8.self)
                for k in 0..<rest { dst[whole &* 8 &+ k] = (b >> UInt8(k)) & 1 }
            }
        }
        return needed
    }

    /// Byte k of the result is bit k of `b`.
    @inline(__always)
    static func spreadBits(_ b: UInt8) -> UInt64 {
        let selected = (UInt64(b) &* 0x0101_0101_0101_0101) & 0x8040_2010_0804_0201
        return ((selected &+ 0x7F7F_7F7F_7F7F_7F7F) >> 7) & 0x0101_0101_0101_0101
    }

    /// PLAIN encoding of `values`.
    public static func encode(_ values: UnsafeBufferPointer<Bool>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: (values.count + 7) / 8)
        for (i, v) in values.enumerated() where v { out[i >> 3] |= 1 << UInt8(i & 7) }
        return out
    }

    /// PLAIN encoding of booleans given as bytes (non-zero is true).
    public static func encode(bytes values: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: (values.count + 7) / 8)
        for (i, v) in values.enumerated() where v != 0 { out[i >> 3] |= 1 << UInt8(i & 7) }
        return out
    }

    /// RLE booleans: 4-byte length prefix, then hybrid data with bit width 1. Returns
    /// `count` 0/1 bytes; fewer values than `count` is corrupt.
    public static func decodeRLE(_ bytes: UnsafeRawBufferPointer, count: Int) throws(ParquetError) -> [UInt8] {
        guard count > 0 else { return [] }
        var (decoder, _) = try RLEBitPackedHybridDecoder.levelsV1(bytes, bitWidth: 1)
        var result: [UInt8] = []
        result.reserveCapacity(Swift.min(count, 4096))
        var remaining = count
        try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 1024) { (tmp) throws(ParquetError) in
            let p = tmp.baseAddress!
            while remaining > 0 {
                let want = Swift.min(remaining, 1024)
                let n = try decoder.decode(into: p, count: want)
                for i in 0..<n { result.append(p[i] == 0 ? 0 : 1) }
                remaining -= n
                if n < want {
                    throw ParquetError.corrupt("RLE booleans: data ends after \(count - remaining) of \(count) values")
                }
            }
        }
        return result
    }

    /// RLE boolean encoding with its 4-byte length prefix.
    public static func encodeRLE(_ values: UnsafeBufferPointer<Bool>) -> [UInt8] {
        var encoder = RLEBitPackedHybridEncoder(bitWidth: 1)
        for v in values { encoder.append(v ? 1 : 0) }
        let body = encoder.finish()
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 4)
        let n = UInt32(truncatingIfNeeded: body.count)
        for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: n >> UInt32(8 * k))) }
        out.append(contentsOf: body)
        return out
    }
}
