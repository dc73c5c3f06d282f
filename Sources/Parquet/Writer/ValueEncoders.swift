/// PLAIN and RLE-boolean encodings of a range of a chunk's dense values
/// (parquet-format Encodings.md), straight into the page buffer: one memcpy
/// for numbers, one pass with no per-value appends for byte arrays (which may
/// be indexed into an input dictionary). The DELTA encodings are the shared
/// encoders of `Encoding/`.
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

    // MARK: helpers

    static func storeLength(_ length: Int, at index: Int, in out: inout [UInt8]) {
        let v = UInt32(truncatingIfNeeded: length)
        out[index] = UInt8(truncatingIfNeeded: v)
        out[index + 1] = UInt8(truncatingIfNeeded: v >> 8)
        out[index + 2] = UInt8(truncatingIfNeeded: v >> 16)
        out[index + 3] = UInt8(truncatingIfNeeded: v >> 24)
    }
}
