/// The RLE/bit-packed hybrid encoding (parquet-format Encodings.md) over a
/// whole buffer at once, for repetition/definition levels and dictionary
/// indices: runs of 8 or more equal values become RLE runs, everything else
/// bit-packed groups of 8 (the last group zero-padded). Finding runs over the
/// complete buffer avoids the per-value state machine of a streaming encoder.
enum HybridRunEncoder {
    /// Appends the encoding of `values` (each < 2^bitWidth) to `out`.
    @_specialize(where T == UInt8)
    @_specialize(where T == UInt16)
    @_specialize(where T == UInt32)
    static func encode<T: FixedWidthInteger & UnsignedInteger>(_ values: UnsafeBufferPointer<T>, bitWidth: Int, into out: inout [UInt8]) {
        let n = values.count
        guard n > 0 else { return }
        guard bitWidth > 0 else {
            appendVarint(UInt64(n) << 1, to: &out)
            return
        }
        let valueBytes = (bitWidth + 7) / 8
        var literalStart = 0, literalCount = 0
        var i = 0
        while i < n {
            let v = values[i]
            var j = i + 1
            while j < n && values[j] == v { j += 1 }
            var runLength = j - i
            if runLength >= 8 {
                if literalCount > 0 {
                    // Bit-packed runs hold whole groups of 8: borrow from the run to fill the last one.
                    let pad = (8 - literalCount % 8) % 8
                    literalCount += pad
                    runLength -= pad
                    packGroups(values, start: literalStart, count: literalCount, bitWidth: bitWidth, into: &out)
                    literalCount = 0
                }
                if runLength >= 8 {
                    appendVarint(UInt64(runLength) << 1, to: &out)
                    var x = UInt64(v)
                    for _ in 0..<valueBytes {
                        out.append(UInt8(truncatingIfNeeded: x))
                        x >>= 8
                    }
                } else if runLength > 0 {
                    literalStart = j - runLength
                    literalCount = runLength
                }
            } else {
                if literalCount == 0 { literalStart = i }
                literalCount += runLength
            }
            i = j
        }
        if literalCount > 0 {
            packGroups(values, start: literalStart, count: literalCount, bitWidth: bitWidth, into: &out)
        }
    }

    /// One bit-packed run of `count` values (padded with zeros to a multiple of 8).
    @_specialize(where T == UInt8)
    @_specialize(where T == UInt16)
    @_specialize(where T == UInt32)
    private static func packGroups<T: FixedWidthInteger & UnsignedInteger>(_ values: UnsafeBufferPointer<T>, start: Int, count: Int,
                                                                           bitWidth: Int, into out: inout [UInt8]) {
        let groups = (count + 7) / 8
        appendVarint(UInt64(groups) << 1 | 1, to: &out)
        let byteCount = groups * bitWidth
        let base = out.count
        out.append(contentsOf: repeatElement(0, count: byteCount + 8))
        out.withUnsafeMutableBytes { raw in
            let dst = raw.baseAddress! + base
            var acc: UInt64 = 0
            var bits = 0
            var position = 0
            let end = Swift.min(start + count, values.count)
            let mask: UInt64 = bitWidth >= 64 ? ~0 : (1 << UInt64(bitWidth)) - 1
            for k in start..<end {
                acc |= (UInt64(values[k]) & mask) << UInt64(bits)
                bits += bitWidth
                if bits >= 32 {
                    dst.storeBytes(of: UInt32(truncatingIfNeeded: acc).littleEndian, toByteOffset: position, as: UInt32.self)
                    position += 4
                    acc >>= 32
                    bits -= 32
                }
            }
            while bits > 0 {
                dst.storeBytes(of: UInt8(truncatingIfNeeded: acc), toByteOffset: position, as: UInt8.self)
                position += 1
                acc >>= 8
                bits -= 8
            }
        }
        out.removeLast(8)
    }

    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// Bits needed for values up to `maxValue`.
    static func bitWidth(_ maxValue: Int) -> Int {
        maxValue <= 0 ? 0 : Int.bitWidth - maxValue.leadingZeroBitCount
    }
}
