// BYTE_STREAM_SPLIT (parquet-format Encodings.md): N values of K bytes are
// scattered into K streams of N bytes; stream k holds byte k of every value, and
// the streams are concatenated: encoded[k * N + i] = value[i] byte k. The page
// holds exactly N * K bytes, so N (the stream stride) is the page size / K.
// Works for any K: FLOAT/INT32 (4), DOUBLE/INT64 (8), FIXED_LEN_BYTE_ARRAY(K).

public enum ByteStreamSplit {
    /// Appends the first `count` values of the page (count * width bytes, ordinary
    /// little-endian value layout) to `out`.
    public static func decode(_ bytes: UnsafeRawBufferPointer, width: Int, count: Int,
                              into out: inout [UInt8]) throws(ParquetError) {
        guard width > 0 else { throw ParquetError.corrupt("byte stream split: width \(width)") }
        guard count > 0 else { return }
        guard bytes.count % width == 0 else {
            throw ParquetError.corrupt("byte stream split: \(bytes.count) bytes is not a multiple of the value width \(width)")
        }
        let stride = bytes.count / width
        guard count <= stride, let src = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw ParquetError.corrupt("byte stream split: \(count) values of \(width) bytes need more than the \(bytes.count) bytes present")
        }
        _ = BitPacking.appendZeroed(&out, count: count * width) { dst in
            switch width {
            case 4: decode4(src, stride: stride, count: count, dst)
            case 8: decode8(src, stride: stride, count: count, dst)
            default:
                for k in 0..<width {
                    let stream = src + k * stride
                    var d = dst + k
                    for i in 0..<count {
                        d.pointee = stream[i]
                        d += width
                    }
                }
            }
        }
    }

    @inline(__always)
    static func decode4(_ src: UnsafePointer<UInt8>, stride: Int, count: Int, _ dst: UnsafeMutablePointer<UInt8>) {
        let s0 = src, s1 = src + stride, s2 = src + 2 * stride, s3 = src + 3 * stride
        let out = UnsafeMutableRawPointer(dst)
        for i in 0..<count {
            let v = UInt32(s0[i]) | UInt32(s1[i]) << 8 | UInt32(s2[i]) << 16 | UInt32(s3[i]) << 24
            out.storeBytes(of: v.littleEndian, toByteOffset: i &* 4, as: UInt32.self)
        }
    }

    @inline(__always)
    static func decode8(_ src: UnsafePointer<UInt8>, stride: Int, count: Int, _ dst: UnsafeMutablePointer<UInt8>) {
        let s0 = src, s1 = src + stride, s2 = src + 2 * stride, s3 = src + 3 * stride
        let s4 = src + 4 * stride, s5 = src + 5 * stride, s6 = src + 6 * stride, s7 = src + 7 * stride
        let out = UnsafeMutableRawPointer(dst)
        for i in 0..<count {
            var v = UInt64(s0[i]) | UInt64(s1[i]) << 8 | UInt64(s2[i]) << 16 | UInt64(s3[i]) << 24
            v |= UInt64(s4[i]) << 32 | UInt64(s5[i]) << 40 | UInt64(s6[i]) << 48 | UInt64(s7[i]) << 56
            out.storeBytes(of: v.littleEndian, toByteOffset: i &* 8, as: UInt64.self)
        }
    }

    /// Appends the encoding of `values` (a whole number of `width`-byte values) to `out`.
    public static func encode(_ values: UnsafeRawBufferPointer, width: Int, into out: inout [UInt8]) {
        precondition(width > 0 && values.count % width == 0, "byte stream split: input is not a whole number of values")
        let n = values.count / width
        guard n > 0, let src = values.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        _ = BitPacking.appendZeroed(&out, count: n * width) { dst in
            for k in 0..<width {
                let stream = dst + k * n
                var s = src + k
                for i in 0..<n {
                    stream[i] = s.pointee
                    s += width
                }
            }
        }
    }
}
