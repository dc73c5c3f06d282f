// DELTA_BINARY_PACKED encoder (parquet-format Encodings.md):
//   header := <block size> <miniblocks per block> <total value count> <zigzag first value>  (ULEB128s)
//   block  := <zigzag min delta> <one bit-width byte per miniblock> <bit-packed miniblocks>
// Each block holds `blockSize` deltas minus the block's min delta, split into
// miniblocks packed LSB-first at the width of their largest value. As arrow does,
// the last block writes bit width 0 for unused miniblocks and omits their bodies;
// the last used miniblock is zero-padded to full size. INT32 input uses 32-bit
// wrapping deltas, so every bit width stays <= 32.

/// DELTA_BINARY_PACKED encoder for INT32 or INT64 values (one kind per encoder).
public struct DeltaBinaryPackedEncoder {
    public let blockSize: Int
    public let miniblocks: Int
    private let perMiniblock: Int
    private var count = 0
    private var first: Int64 = 0
    private var last: Int64 = 0
    /// Deltas of the current block; INT32 deltas are stored sign-extended from 32 bits.
    private var deltas: [Int64] = []
    private var relative: [UInt64]
    private var body: [UInt8] = []

    public init(blockSize: Int = 128, miniblocks: Int = 4) {
        precondition(blockSize > 0 && blockSize % 128 == 0, "block size must be a positive multiple of 128")
        precondition(miniblocks > 0 && blockSize % miniblocks == 0 && (blockSize / miniblocks) % 32 == 0,
                     "miniblock size must be a multiple of 32")
        self.blockSize = blockSize
        self.miniblocks = miniblocks
        self.perMiniblock = blockSize / miniblocks
        self.relative = [UInt64](repeating: 0, count: blockSize)
        deltas.reserveCapacity(blockSize)
    }

    public mutating func append(_ values: UnsafeBufferPointer<Int64>) {
        for v in values {
            if count == 0 {
                first = v
            } else {
                deltas.append(v &- last)
                if deltas.count == blockSize { flushBlock() }
            }
            last = v
            count += 1
        }
    }

    public mutating func append(_ values: UnsafeBufferPointer<Int32>) {
        for v in values {
            if count == 0 {
                first = Int64(v)
            } else {
                deltas.append(Int64(v &- Int32(truncatingIfNeeded: last)))
                if deltas.count == blockSize { flushBlock() }
            }
            last = Int64(v)
            count += 1
        }
    }

    /// The encoded bytes; the encoder is reset for reuse.
    public mutating func finish() -> [UInt8] {
        if !deltas.isEmpty { flushBlock() }
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 32)
        BitPacking.appendULEB128(UInt64(blockSize), to: &out)
        BitPacking.appendULEB128(UInt64(miniblocks), to: &out)
        BitPacking.appendULEB128(UInt64(count), to: &out)
        BitPacking.appendULEB128(BitPacking.zigzagEncode(first), to: &out)
        out.append(contentsOf: body)
        body = []
        count = 0
        first = 0
        last = 0
        return out
    }

    private mutating func flushBlock() {
        let n = deltas.count
        guard n > 0 else { return }
        // For INT32 input all deltas are sign-extended 32-bit values, so
        // delta - min fits in 32 bits and needs no special casing.
        var minDelta = deltas[0]
        for d in deltas where d < minDelta { minDelta = d }
        BitPacking.appendULEB128(BitPacking.zigzagEncode(minDelta), to: &body)
        relative.withUnsafeMutableBufferPointer { rel in
            for i in 0..<n { rel[i] = UInt64(bitPattern: deltas[i] &- minDelta) }
            for i in n..<blockSize { rel[i] = 0 }
            let used = (n + perMiniblock - 1) / perMiniblock
            var widths = [Int](repeating: 0, count: miniblocks)
            for m in 0..<used {
                var bits: UInt64 = 0
                for i in (m * perMiniblock)..<((m + 1) * perMiniblock) { bits |= rel[i] }
                widths[m] = BitPacking.bitWidth(of: bits)
            }
            for m in 0..<miniblocks { body.append(UInt8(widths[m])) }
            for m in 0..<used {
                BitPacking.pack64(rel.baseAddress! + m * perMiniblock, count: perMiniblock, bitWidth: widths[m], into: &body)
            }
        }
        deltas.removeAll(keepingCapacity: true)
    }
}
