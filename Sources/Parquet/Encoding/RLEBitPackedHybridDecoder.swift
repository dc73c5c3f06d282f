// RLE / bit-packed hybrid (parquet-format Encodings.md, encoding RLE = 3):
//   encoded-data := run*
//   run          := rle-run | bit-packed-run
//   rle-run      := varint(count << 1)        then the value in ceil(bitWidth / 8) bytes, little-endian
//   bit-packed   := varint(groups << 1 | 1)   then groups * 8 values packed LSB-first (groups * bitWidth bytes)
// Data page v1 levels carry a 4-byte little-endian length prefix before the runs;
// v2 levels and dictionary indices do not (indices have a 1-byte bit width first,
// read by the caller). The last bit-packed group may be padded, and writers may
// stop the data inside it. The deprecated BIT_PACKED level encoding is at the end.

/// Streaming decoder of RLE/bit-packed hybrid data with bit widths 0...32.
/// The decoder does not own `bytes`: they must outlive it.
public struct RLEBitPackedHybridDecoder {
    @usableFromInline let base: UnsafeRawPointer?
    @usableFromInline let end: Int
    @usableFromInline var pos: Int = 0
    public let bitWidth: Int
    @usableFromInline let valueBytes: Int

    /// Values left in the current RLE run.
    @usableFromInline var rleLeft: Int = 0
    @usableFromInline var rleValue: UInt32 = 0
    /// Values left in the current bit-packed run (only those backed by bytes).
    @usableFromInline var packedLeft: Int = 0
    /// Byte offset of the group that holds the next bit-packed value.
    @usableFromInline var packedPos: Int = 0
    /// Index of the next value within that group, 0..<8.
    @usableFromInline var packedIndex: Int = 0

    public init(_ bytes: UnsafeRawBufferPointer, bitWidth: Int) throws(ParquetError) {
        guard bitWidth >= 0 && bitWidth <= 32 else {
            throw ParquetError.corrupt("RLE/bit-packed hybrid: bit width \(bitWidth) outside 0...32")
        }
        self.base = bytes.count > 0 ? bytes.baseAddress : nil
        self.end = self.base == nil ? 0 : bytes.count
        self.bitWidth = bitWidth
        self.valueBytes = (bitWidth + 7) / 8
    }

    /// Bytes read so far: up to the end of the last run whose header was read.
    public var consumed: Int { pos }

    /// For data page v1 levels: a 4-byte little-endian length, then that many bytes of
    /// hybrid data. Returns the decoder over those bytes and `4 + length`.
    public static func levelsV1(_ bytes: UnsafeRawBufferPointer, bitWidth: Int) throws(ParquetError)
        -> (decoder: RLEBitPackedHybridDecoder, consumed: Int)
    {
        guard bytes.count >= 4, let p = bytes.baseAddress else {
            throw ParquetError.corrupt("RLE levels: \(bytes.count) bytes, too short for the 4-byte length prefix")
        }
        let length = Int(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
        guard length <= bytes.count - 4 else {
            throw ParquetError.corrupt("RLE levels: length prefix \(length) exceeds the \(bytes.count - 4) bytes that follow it")
        }
        let decoder = try RLEBitPackedHybridDecoder(UnsafeRawBufferPointer(rebasing: bytes[4..<(4 + length)]), bitWidth: bitWidth)
        return (decoder, 4 + length)
    }

    /// Decodes up to `count` values into `out`. Returns how many were decoded: fewer than
    /// `count` only when the data ends (at a run boundary or inside a final bit-packed run).
    public mutating func decode(into out: UnsafeMutablePointer<UInt32>, count: Int) throws(ParquetError) -> Int {
        guard count > 0 else { return 0 }
        if bitWidth == 0 {
            out.update(repeating: 0, count: count)
            return count
        }
        var done = 0
        while done < count {
            if rleLeft > 0 {
                let n = Swift.min(rleLeft, count &- done)
                (out + done).update(repeating: rleValue, count: n)
                rleLeft &-= n
                done &+= n
                continue
            }
            if packedLeft > 0 {
                done &+= unpackBits(into: out + done, count: Swift.min(packedLeft, count &- done))
                continue
            }
            if pos >= end { break }
            try readRunHeader()
        }
        return done
    }

    /// Decodes up to `count` values run by run, so that callers can treat a repeated
    /// value once: `repeated(value, n)` for RLE runs (and bit width 0), `literal(values)`
    /// for bit-packed values, unpacked into `scratch` (at most `scratch.count` at a time).
    /// Returns how many values were decoded: fewer than `count` only when the data ends.
    @inline(__always)
    mutating func decodeRuns(count: Int, scratch: UnsafeMutableBufferPointer<UInt32>,
                             repeated: (UInt32, Int) -> Void,
                             literal: (UnsafeBufferPointer<UInt32>) -> Void) throws(ParquetError) -> Int {
        guard count > 0 else { return 0 }
        if bitWidth == 0 {
            repeated(0, count)
            return count
        }
        let out = scratch.baseAddress!
        let room = scratch.count
        var done = 0
        while done < count {
            if rleLeft > 0 {
                let n = Swift.min(rleLeft, count &- done)
                repeated(rleValue, n)
                rleLeft &-= n
                done &+= n
                continue
            }
            if packedLeft > 0 {
                let n = unpackBits(into: out, count: Swift.min(packedLeft, count &- done, room))
                literal(UnsafeBufferPointer(start: out, count: n))
                done &+= n
                continue
            }
            if pos >= end { break }
            try readRunHeader()
        }
        return done
    }

    /// Decodes up to `count` values into a new array (shorter only if the data ends).
    public mutating func decode(count: Int) throws(ParquetError) -> [UInt32] {
        guard count > 0 else { return [] }
        var result: [UInt32] = []
        // Grow with the values actually decoded, not with an untrusted count.
        result.reserveCapacity(Swift.min(count, 4096))
        var remaining = count
        try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 1024) { (tmp) throws(ParquetError) in
            let p = tmp.baseAddress!
            while remaining > 0 {
                let want = Swift.min(remaining, 1024)
                let n = try decode(into: p, count: want)
                result.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
                remaining -= n
                if n < want { break }
            }
        }
        return result
    }

    @inline(__always)
    mutating func unpackBits(into out: UnsafeMutablePointer<UInt32>, count: Int) -> Int {
        guard let base else {
            packedLeft = 0
            return 0
        }
        let w = bitWidth
        var n = count
        var d = out
        // Finish a group left partially read by an earlier call.
        if packedIndex != 0 {
            let k = Swift.min(n, 8 &- packedIndex)
            copyFromGroup(base, into: d, from: packedIndex, count: k)
            packedIndex &+= k
            if packedIndex == 8 {
                packedIndex = 0
                packedPos &+= w
            }
            d += k
            n &-= k
        }
        let full = n >> 3
        if full > 0 {
            BitPacking.unpack32(base + packedPos, readable: end &- packedPos, groups: full, bitWidth: w, into: d)
            packedPos &+= full &* w
            d += full &* 8
            n &-= full &* 8
        }
        if n > 0 {
            copyFromGroup(base, into: d, from: 0, count: n)
            packedIndex = n
        }
        packedLeft &-= count
        return count
    }

    @inline(__always)
    func copyFromGroup(_ base: UnsafeRawPointer, into out: UnsafeMutablePointer<UInt32>, from index: Int, count: Int) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 8) { tmp in
            BitPacking.unpack32(base + packedPos, readable: end &- packedPos, groups: 1, bitWidth: bitWidth, into: tmp.baseAddress!)
            out.update(from: tmp.baseAddress! + index, count: count)
        }
    }

    @usableFromInline
    mutating func readRunHeader() throws(ParquetError) {
        let start = pos
        guard let header = BitPacking.readULEB128(base, end: end, pos: &pos), let base else {
            throw ParquetError.corrupt("RLE/bit-packed hybrid: truncated or overlong run header at byte \(start)")
        }
        let available = end &- pos
        if header & 1 == 1 {
            let groups = header >> 1
            let w = bitWidth
            packedPos = pos
            packedIndex = 0
            if groups > UInt64(available / w) {
                // The data stops inside this run: keep the values whose bits are present.
                packedLeft = available &* 8 / w
                pos = end
            } else {
                let g = Int(groups)
                packedLeft = g &* 8
                pos &+= g &* w
            }
        } else {
            guard valueBytes <= available else {
                throw ParquetError.corrupt("RLE/bit-packed hybrid: RLE run value truncated at byte \(pos)")
            }
            var v: UInt32 = 0
            for i in 0..<valueBytes {
                v |= UInt32(base.load(fromByteOffset: pos &+ i, as: UInt8.self)) &<< UInt32(8 &* i)
            }
            pos &+= valueBytes
            rleValue = v
            rleLeft = Int(Swift.min(header >> 1, UInt64(Int.max)))
        }
    }
}

/// The deprecated BIT_PACKED level encoding (data page v1 only): `count` values of
/// `bitWidth` bits packed MSB-first with no header, ceil(count * bitWidth / 8) bytes.
public func decodeLegacyBitPacked(_ bytes: UnsafeRawBufferPointer, bitWidth: Int, count: Int) throws(ParquetError)
    -> (values: [UInt32], consumed: Int)
{
    guard bitWidth >= 0 && bitWidth <= 32 else {
        throw ParquetError.corrupt("BIT_PACKED levels: bit width \(bitWidth) outside 0...32")
    }
    guard count > 0 else { return ([], 0) }
    if bitWidth == 0 { return ([UInt32](repeating: 0, count: count), 0) }
    guard count <= bytes.count * 8 / bitWidth, let p = bytes.baseAddress else {
        throw ParquetError.corrupt("BIT_PACKED levels: \(count) values of \(bitWidth) bits need more than the \(bytes.count) bytes present")
    }
    let consumed = (count * bitWidth + 7) / 8
    let mask: UInt64 = (1 << UInt64(bitWidth)) - 1
    let values = [UInt32](unsafeUninitializedCapacity: count) { buf, initialized in
        var acc: UInt64 = 0
        var bits = 0
        var byte = 0
        for i in 0..<count {
            while bits < bitWidth {
                acc = (acc &<< 8) | UInt64(p.load(fromByteOffset: byte, as: UInt8.self))
                byte &+= 1
                bits &+= 8
            }
            bits &-= bitWidth
            buf[i] = UInt32(truncatingIfNeeded: (acc &>> UInt64(bits)) & mask)
        }
        initialized = count
    }
    return (values, consumed)
}
