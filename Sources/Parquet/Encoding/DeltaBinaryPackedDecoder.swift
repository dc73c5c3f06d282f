// DELTA_BINARY_PACKED (parquet-format Encodings.md):
//   header := <block size: ULEB128, multiple of 128> <miniblocks per block: ULEB128>
//             <total value count: ULEB128> <first value: zigzag ULEB128>
//   block  := <min delta: zigzag ULEB128> <bit width of each miniblock: 1 byte each>
//             <miniblocks: (block size / miniblocks) values each, bit-packed LSB-first>
// value[i] = value[i-1] + min delta + packed[i]. Miniblock size is a multiple of 32.
// The last block may need fewer miniblocks: the bit-width bytes of the unneeded ones
// are present but may hold anything, and their bodies are absent. The last used
// miniblock is zero-padded to full size by writers; the decoder only insists on the
// bytes that hold real values. Arithmetic wraps (64-bit; INT32 results are the
// low 32 bits, which matches writers that compute int32 deltas with 32-bit wrapping).

/// Streaming DELTA_BINARY_PACKED decoder. Does not own `bytes`: they must outlive it.
public struct DeltaBinaryPackedDecoder {
    @usableFromInline let base: UnsafeRawPointer?
    @usableFromInline let end: Int
    @usableFromInline var pos = 0
    public let blockSize: Int
    public let miniblocksPerBlock: Int
    @usableFromInline let valuesPerMiniblock: Int
    /// The total number of values the header announces.
    public let totalCount: Int
    /// Values not yet decoded.
    @usableFromInline var valuesLeft: Int
    @usableFromInline var firstPending: Bool
    /// The last value produced (or the first value before any).
    @usableFromInline var last: UInt64

    // Current block.
    @usableFromInline var minDelta: UInt64 = 0
    @usableFromInline var widthsOffset = 0
    @usableFromInline var miniblockIndex = 0
    @usableFromInline var miniblocksUsed = 0
    @usableFromInline var deltasLeftInBlock = 0

    // Current miniblock.
    @usableFromInline var mbStart = 0
    @usableFromInline var mbWidth = 0
    @usableFromInline var mbPos = 0
    @usableFromInline var mbLeft = 0

    public init(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        base = bytes.count > 0 ? bytes.baseAddress : nil
        end = base == nil ? 0 : bytes.count
        var p = 0
        guard let bs = BitPacking.readULEB128(base, end: end, pos: &p),
              let mb = BitPacking.readULEB128(base, end: end, pos: &p),
              let total = BitPacking.readULEB128(base, end: end, pos: &p),
              let first = BitPacking.readULEB128(base, end: end, pos: &p)
        else {
            throw ParquetError.corrupt("delta binary packed: header truncated or malformed at byte \(p)")
        }
        guard bs > 0, bs % 128 == 0, bs <= 1 << 31 else {
            throw ParquetError.corrupt("delta binary packed: block size \(bs) is not a positive multiple of 128")
        }
        guard mb > 0, bs % mb == 0, (bs / mb) % 32 == 0 else {
            throw ParquetError.corrupt("delta binary packed: \(mb) miniblocks do not divide block size \(bs) into multiples of 32")
        }
        guard total <= UInt64(Int.max) else {
            throw ParquetError.corrupt("delta binary packed: value count \(total) out of range")
        }
        blockSize = Int(bs)
        miniblocksPerBlock = Int(mb)
        valuesPerMiniblock = Int(bs / mb)
        totalCount = Int(total)
        valuesLeft = Int(total)
        firstPending = total > 0
        last = UInt64(bitPattern: BitPacking.zigzagDecode(first))
        pos = p
    }

    /// Bytes read so far; after all values are decoded (or `skipToEnd()`), the encoded size.
    public var consumed: Int { pos }

    /// Values not yet decoded.
    public var remaining: Int { valuesLeft }

    /// Appends the next `count` values. Asking for more than remain is corrupt.
    public mutating func decode(into out: inout [Int64], count: Int) throws(ParquetError) {
        try decodeValues(into: &out, count: count)
    }

    /// Appends the next `count` values as 32-bit (wrapping) integers.
    public mutating func decode(into out: inout [Int32], count: Int) throws(ParquetError) {
        try decodeValues(into: &out, count: count)
    }

    /// Skips all remaining values, so that `consumed` is the size of the encoded data.
    public mutating func skipToEnd() throws(ParquetError) {
        if firstPending {
            firstPending = false
            valuesLeft -= 1
        }
        while valuesLeft > 0 {
            if mbLeft == 0 { try nextMiniblock() }
            valuesLeft -= mbLeft
            mbPos += mbLeft
            mbLeft = 0
        }
    }

    @inline(__always)
    mutating func decodeValues<T: FixedWidthInteger>(into out: inout [T], count: Int) throws(ParquetError) {
        guard count > 0 else {
            if count < 0 { throw ParquetError.corrupt("delta binary packed: negative value count \(count)") }
            return
        }
        guard count <= valuesLeft else {
            throw ParquetError.corrupt("delta binary packed: \(count) values requested, \(valuesLeft) of \(totalCount) remain")
        }
        var need = count
        if firstPending {
            out.append(T(truncatingIfNeeded: last))
            firstPending = false
            valuesLeft -= 1
            need -= 1
        }
        // Decode into a stack buffer spanning miniblocks, then append it: `out` grows
        // only by values actually decoded.
        try withUnsafeTemporaryAllocation(of: T.self, capacity: 1024) { (scratch) throws(ParquetError) in
            let dst = scratch.baseAddress!
            while need > 0 {
                let chunk = Swift.min(need, 1024)
                var written = 0
                while written < chunk {
                    if mbLeft == 0 {
                        do throws(ParquetError) {
                            try nextMiniblock()
                        } catch {
                            out.append(contentsOf: UnsafeBufferPointer(start: dst, count: written))
                            throw error
                        }
                    }
                    let n = Swift.min(chunk &- written, mbLeft)
                    last = Self.emit(base, end: end, miniblockStart: mbStart, bitWidth: mbWidth, index: mbPos,
                                     count: n, minDelta: minDelta, last: last, into: dst + written)
                    mbPos &+= n
                    mbLeft &-= n
                    written &+= n
                    valuesLeft &-= n
                }
                out.append(contentsOf: UnsafeBufferPointer(start: dst, count: chunk))
                need &-= chunk
            }
        }
    }

    /// Writes `count` values of the current miniblock, starting at value `index`, to `dst`.
    /// Returns the last value. The bytes holding them were checked by `nextMiniblock`.
    @inline(__always)
    static func emit<T: FixedWidthInteger>(_ base: UnsafeRawPointer?, end: Int, miniblockStart: Int, bitWidth w: Int,
                                           index: Int, count n: Int, minDelta delta: UInt64, last: UInt64,
                                           into dst: UnsafeMutablePointer<T>) -> UInt64 {
        var acc = last
        guard w > 0, let base else {
            for j in 0..<n {
                acc = acc &+ delta
                dst[j] = T(truncatingIfNeeded: acc)
            }
            return acc
        }
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 64) { rawBuf in
            let raw = rawBuf.baseAddress!
            var idx = index
            var k = 0
            while k < n {
                let off = idx & 7
                let take = Swift.min(n &- k, 64 &- off)
                let src = miniblockStart &+ (idx >> 3) &* w
                BitPacking.unpack64(base + src, readable: end &- src, groups: (off &+ take &+ 7) >> 3, bitWidth: w, into: raw)
                let d = dst + k
                let r = raw + off
                // Adding the min delta first keeps one add per value on the dependency chain.
                for j in 0..<take { r[j] = r[j] &+ delta }
                for j in 0..<take {
                    acc = acc &+ r[j]
                    d[j] = T(truncatingIfNeeded: acc)
                }
                idx &+= take
                k &+= take
            }
            return acc
        }
    }

    /// Moves to the next miniblock (reading a block header when the block is done).
    @usableFromInline
    mutating func nextMiniblock() throws(ParquetError) {
        if miniblockIndex &+ 1 < miniblocksUsed {
            miniblockIndex &+= 1
        } else {
            let start = pos
            guard let md = BitPacking.readULEB128(base, end: end, pos: &pos) else {
                throw ParquetError.corrupt("delta binary packed: block header truncated or malformed at byte \(start)")
            }
            minDelta = UInt64(bitPattern: BitPacking.zigzagDecode(md))
            guard miniblocksPerBlock <= end &- pos else {
                throw ParquetError.corrupt("delta binary packed: miniblock bit widths truncated at byte \(pos)")
            }
            widthsOffset = pos
            pos &+= miniblocksPerBlock
            deltasLeftInBlock = Swift.min(blockSize, valuesLeft)
            miniblocksUsed = (deltasLeftInBlock &+ valuesPerMiniblock &- 1) / valuesPerMiniblock
            miniblockIndex = 0
        }
        guard let base else { throw ParquetError.corrupt("delta binary packed: data missing") }
        let w = Int(base.load(fromByteOffset: widthsOffset &+ miniblockIndex, as: UInt8.self))
        guard w <= 64 else {
            throw ParquetError.corrupt("delta binary packed: miniblock bit width \(w) exceeds 64 at byte \(widthsOffset + miniblockIndex)")
        }
        mbWidth = w
        mbStart = pos
        mbPos = 0
        mbLeft = Swift.min(valuesPerMiniblock, deltasLeftInBlock)
        deltasLeftInBlock &-= mbLeft
        let available = end &- pos
        let needed = (mbLeft &* w &+ 7) >> 3
        guard needed <= available else {
            throw ParquetError.corrupt("delta binary packed: miniblock of \(mbLeft) values at \(w) bits truncated at byte \(pos) (needs \(needed), \(available) left)")
        }
        pos &+= Swift.min((valuesPerMiniblock &* w) >> 3, available)
    }
}
