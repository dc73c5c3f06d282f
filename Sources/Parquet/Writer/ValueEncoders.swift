/// Value encodings of data and dictionary pages, over a range of a chunk's
/// dense values: PLAIN, RLE booleans, DELTA_BINARY_PACKED,
/// DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY (parquet-format Encodings.md).
/// They work on whole ranges of contiguous buffers (one memcpy for PLAIN numbers).
enum ValueEncoders {
    // MARK: PLAIN

    static func plain(_ values: DenseValues, _ range: Range<Int>, into out: inout [UInt8]) {
        switch values.kind {
        case .boolean:
            values.booleans.withUnsafeBufferPointer { b in plainBooleans(UnsafeBufferPointer(rebasing: b[range]), into: &out) }
        case .int32: appendRaw(values.int32s, range, into: &out)
        case .int64: appendRaw(values.int64s, range, into: &out)
        case .float: appendRaw(values.floats, range, into: &out)
        case .double: appendRaw(values.doubles, range, into: &out)
        case .byteArray:
            let base = out.count
            let size = values.plainSize(range)
            out.append(contentsOf: repeatElement(0, count: size))
            out.withUnsafeMutableBytes { raw in
                let dst = raw.baseAddress! + base
                values.offsets.withUnsafeBufferPointer { off in
                    values.bytes.withUnsafeBytes { data in
                        var p = 0
                        for i in range {
                            let k = values.indexed ? Int(values.indices[i]) : i
                            let s = off[k], n = off[k + 1] - s
                            dst.storeBytes(of: UInt32(truncatingIfNeeded: n).littleEndian, toByteOffset: p, as: UInt32.self)
                            if n > 0 { (dst + p + 4).copyMemory(from: data.baseAddress! + s, byteCount: n) }
                            p += 4 + n
                        }
                    }
                }
            }
        case .fixed, .float16, .decimalFixed:
            let w = values.width
            out.append(contentsOf: values.bytes[(range.lowerBound * w)..<(range.upperBound * w)])
        }
    }

    /// The numbers' bytes as they are in memory (little-endian hosts; big-endian ones swap).
    static func appendRaw<T: BitwiseCopyable>(_ values: [T], _ range: Range<Int>, into out: inout [UInt8]) {
        values.withUnsafeBytes { raw in
            let size = MemoryLayout<T>.stride
            #if _endian(little)
            out.append(contentsOf: raw[(range.lowerBound * size)..<(range.upperBound * size)])
            #else
            for i in range { for b in (0..<size).reversed() { out.append(raw[i * size + b]) } }
            #endif
        }
    }

    /// PLAIN booleans: bit-packed, LSB first.
    static func plainBooleans(_ values: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        let n = values.count
        let base = out.count
        out.append(contentsOf: repeatElement(0, count: (n + 7) / 8))
        out.withUnsafeMutableBufferPointer { dst in
            var i = 0
            while i + 8 <= n {
                var byte: UInt8 = 0
                for b in 0..<8 { byte |= (values[i + b] & 1) << UInt8(b) }
                dst[base + i / 8] = byte
                i += 8
            }
            if i < n {
                var byte: UInt8 = 0
                for b in 0..<(n - i) { byte |= (values[i + b] & 1) << UInt8(b) }
                dst[base + i / 8] = byte
            }
        }
    }

    /// RLE booleans (v2 pages): a 4-byte little-endian length, then the hybrid encoding at bit width 1.
    static func rleBooleans(_ values: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        let lengthAt = out.count
        out.append(contentsOf: [0, 0, 0, 0])
        HybridRunEncoder.encode(values, bitWidth: 1, into: &out)
        storeLength(out.count - lengthAt - 4, at: lengthAt, in: &out)
    }

    // MARK: DELTA_BINARY_PACKED

    static let blockSize = 128
    static let miniblocks = 4

    /// DELTA_BINARY_PACKED: blocks of 128 values in 4 miniblocks of 32, deltas in
    /// the type's wrapping arithmetic, each miniblock bit-packed at its own width.
    static func deltaBinaryPacked<T: FixedWidthInteger & SignedInteger>(_ values: UnsafeBufferPointer<T>, into out: inout [UInt8]) {
        let n = values.count
        appendVarint(UInt64(blockSize), to: &out)
        appendVarint(UInt64(miniblocks), to: &out)
        appendVarint(UInt64(n), to: &out)
        appendVarint(zigzag(Int64(n > 0 ? values[0] : 0)), to: &out)
        guard n > 1 else { return }
        let perMiniblock = blockSize / miniblocks
        var deltas = [T](repeating: 0, count: blockSize)
        var widths = [Int](repeating: 0, count: miniblocks)
        var relative = [UInt64](repeating: 0, count: blockSize)
        let typeMask: UInt64 = T.bitWidth >= 64 ? ~0 : (1 << UInt64(T.bitWidth)) - 1
        var i = 1
        while i < n {
            let count = Swift.min(blockSize, n - i)
            var minDelta = T.max
            for k in 0..<count {
                let d = values[i + k] &- values[i + k - 1]
                deltas[k] = d
                if d < minDelta { minDelta = d }
            }
            appendVarint(zigzag(Int64(minDelta)), to: &out)
            // Deltas relative to the minimum, as unsigned numbers of the type's width.
            for k in count..<blockSize { relative[k] = 0 }
            for m in 0..<miniblocks { widths[m] = 0 }
            for m in 0..<miniblocks {
                let start = m * perMiniblock
                guard start < count else { break }
                var all: UInt64 = 0
                for k in start..<Swift.min(start + perMiniblock, count) {
                    let r = UInt64(truncatingIfNeeded: deltas[k] &- minDelta) & typeMask
                    relative[k] = r
                    all |= r
                }
                widths[m] = all == 0 ? 0 : 64 - all.leadingZeroBitCount
            }
            for m in 0..<miniblocks { out.append(UInt8(widths[m])) }
            for m in 0..<miniblocks {
                let start = m * perMiniblock
                guard start < count else { break }
                packBits(relative, start: start, count: perMiniblock, bitWidth: widths[m], into: &out)
            }
            i += count
        }
    }

    /// `count` values bit-packed LSB first at `bitWidth` (0...64) bits.
    static func packBits(_ values: [UInt64], start: Int, count: Int, bitWidth: Int, into out: inout [UInt8]) {
        guard bitWidth > 0 else { return }
        var acc: UInt64 = 0
        var bits = 0
        out.reserveCapacity(out.count + count * bitWidth / 8 + 8)
        @inline(__always) func push(_ x: UInt64, _ width: Int) {
            acc |= x << UInt64(bits)
            bits += width
            while bits >= 32 {
                appendLE(UInt32(truncatingIfNeeded: acc), to: &out)
                acc >>= 32
                bits -= 32
            }
        }
        for k in start..<(start + count) {
            let v = values[k]
            if bitWidth <= 32 {
                push(v, bitWidth)
            } else {
                push(v & 0xFFFF_FFFF, 32)
                push((v >> 32) & ((1 << UInt64(bitWidth - 32)) - 1), bitWidth - 32)
            }
        }
        while bits > 0 {
            out.append(UInt8(truncatingIfNeeded: acc))
            acc >>= 8
            bits -= 8
        }
    }

    // MARK: byte arrays

    /// The lengths and bytes of BYTE_ARRAY values `range` (or FIXED_LEN_BYTE_ARRAY ones).
    static func withByteValues(_ values: DenseValues, _ range: Range<Int>,
                               _ body: (_ count: Int, _ value: (Int) -> UnsafeRawBufferPointer) -> Void) {
        values.offsets.withUnsafeBufferPointer { off in
            values.bytes.withUnsafeBytes { data in
                let w = values.width
                if values.kind == .byteArray {
                    body(range.count) { j in
                        let i = range.lowerBound + j
                        let k = values.indexed ? Int(values.indices[i]) : i
                        return UnsafeRawBufferPointer(rebasing: data[off[k]..<off[k + 1]])
                    }
                } else {
                    body(range.count) { j in
                        let i = range.lowerBound + j
                        return UnsafeRawBufferPointer(rebasing: data[(i * w)..<((i + 1) * w)])
                    }
                }
            }
        }
    }

    /// DELTA_LENGTH_BYTE_ARRAY: the lengths DELTA_BINARY_PACKED, then all the bytes.
    static func deltaLengthByteArray(_ values: DenseValues, _ range: Range<Int>, into out: inout [UInt8]) {
        withByteValues(values, range) { count, value in
            var lengths = [Int32](repeating: 0, count: count)
            var total = 0
            for j in 0..<count {
                let n = value(j).count
                lengths[j] = Int32(truncatingIfNeeded: n)
                total += n
            }
            lengths.withUnsafeBufferPointer { deltaBinaryPacked($0, into: &out) }
            out.reserveCapacity(out.count + total)
            for j in 0..<count { out.append(contentsOf: value(j)) }
        }
    }

    /// DELTA_BYTE_ARRAY: prefix lengths shared with the previous value (DELTA_BINARY_PACKED),
    /// then the suffixes as DELTA_LENGTH_BYTE_ARRAY.
    static func deltaByteArray(_ values: DenseValues, _ range: Range<Int>, into out: inout [UInt8]) {
        withByteValues(values, range) { count, value in
            var prefixes = [Int32](repeating: 0, count: count)
            var suffixLengths = [Int32](repeating: 0, count: count)
            var previous = UnsafeRawBufferPointer(start: nil, count: 0)
            for j in 0..<count {
                let v = value(j)
                let limit = Swift.min(v.count, previous.count)
                var p = 0
                while p < limit && v[p] == previous[p] { p += 1 }
                prefixes[j] = Int32(truncatingIfNeeded: p)
                suffixLengths[j] = Int32(truncatingIfNeeded: v.count - p)
                previous = v
            }
            prefixes.withUnsafeBufferPointer { deltaBinaryPacked($0, into: &out) }
            suffixLengths.withUnsafeBufferPointer { deltaBinaryPacked($0, into: &out) }
            for j in 0..<count {
                let v = value(j)
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: v[Int(prefixes[j])...]))
            }
        }
    }

    // MARK: helpers

    static func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }

    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        HybridRunEncoder.appendVarint(value, to: &out)
    }

    @inline(__always)
    static func appendLE(_ v: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: v))
        out.append(UInt8(truncatingIfNeeded: v >> 8))
        out.append(UInt8(truncatingIfNeeded: v >> 16))
        out.append(UInt8(truncatingIfNeeded: v >> 24))
    }

    static func storeLength(_ length: Int, at index: Int, in out: inout [UInt8]) {
        let v = UInt32(truncatingIfNeeded: length)
        out[index] = UInt8(truncatingIfNeeded: v)
        out[index + 1] = UInt8(truncatingIfNeeded: v >> 8)
        out[index + 2] = UInt8(truncatingIfNeeded: v >> 16)
        out[index + 3] = UInt8(truncatingIfNeeded: v >> 24)
    }
}
