// RLE / bit-packed hybrid encoder (parquet-format Encodings.md):
//   rle-run    := varint(count << 1)       value in ceil(bitWidth / 8) bytes, little-endian
//   bit-packed := varint(groups << 1 | 1)  groups * 8 values packed LSB-first
// Same strategy as parquet-mr / arrow: a value repeated 8 or more times becomes an
// RLE run; everything else goes into bit-packed groups of 8 (at most 63 groups per
// run so the header is one byte, reserved up front and patched when the run ends).
// The final group is zero-padded. No length prefix is written.

/// Streaming RLE/bit-packed hybrid encoder for bit widths 0...32.
public struct RLEBitPackedHybridEncoder {
    public let bitWidth: Int
    private var out: [UInt8] = []
    private var buffered: [UInt32] = [UInt32](repeating: 0, count: 8)
    private var bufferedCount = 0
    private var previous: UInt32 = 0
    private var repeatCount = 0
    private var groupCount = 0
    /// Index in `out` of the current bit-packed run's header byte, or -1.
    private var headerIndex = -1
    private let mask: UInt32

    public init(bitWidth: Int) {
        precondition(bitWidth >= 0 && bitWidth <= 32, "RLE/bit-packed hybrid bit width must be 0...32")
        self.bitWidth = bitWidth
        self.mask = bitWidth == 32 ? ~0 : (1 << UInt32(bitWidth)) - 1
    }

    public mutating func append(_ value: UInt32) {
        let v = value & mask
        if v == previous {
            repeatCount += 1
            // Eight or more: certainly an RLE run, just count.
            if repeatCount >= 8 { return }
        } else {
            if repeatCount >= 8 { writeRLERun() }
            repeatCount = 1
            previous = v
        }
        buffered[bufferedCount] = v
        bufferedCount += 1
        if bufferedCount == 8 { writeBitPackedGroup() }
    }

    public mutating func append(contentsOf values: UnsafeBufferPointer<UInt32>) {
        for v in values { append(v) }
    }

    /// The encoded bytes; the encoder is reset for reuse.
    public mutating func finish() -> [UInt8] {
        if repeatCount >= 8 {
            writeRLERun()
        } else if bufferedCount > 0 {
            for i in bufferedCount..<8 { buffered[i] = 0 }
            bufferedCount = 8
            writeBitPackedGroup()
            endBitPackedRun()
        } else {
            endBitPackedRun()
        }
        let result = out
        out = []
        bufferedCount = 0
        previous = 0
        repeatCount = 0
        groupCount = 0
        headerIndex = -1
        return result
    }

    private mutating func writeBitPackedGroup() {
        if groupCount >= 63 { endBitPackedRun() }
        if headerIndex < 0 {
            headerIndex = out.count
            out.append(0)
        }
        buffered.withUnsafeBufferPointer {
            BitPacking.pack32($0.baseAddress!, count: 8, bitWidth: bitWidth, into: &out)
        }
        bufferedCount = 0
        // Repeats just packed cannot start an RLE run any more.
        repeatCount = 0
        groupCount += 1
    }

    private mutating func endBitPackedRun() {
        guard headerIndex >= 0 else { return }
        out[headerIndex] = UInt8(groupCount << 1 | 1)
        headerIndex = -1
        groupCount = 0
    }

    private mutating func writeRLERun() {
        endBitPackedRun()
        BitPacking.appendULEB128(UInt64(repeatCount) << 1, to: &out)
        var v = previous
        for _ in 0..<((bitWidth + 7) / 8) {
            out.append(UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
        repeatCount = 0
        bufferedCount = 0
    }
}
