// PLAIN encoding (parquet-format Encodings.md), values back to back:
//   INT32 / INT64 / FLOAT / DOUBLE: 4 or 8 bytes little-endian (IEEE 754 for floats)
//   INT96 / FIXED_LEN_BYTE_ARRAY:   `width` bytes each, as is
//   BYTE_ARRAY:                     4-byte little-endian length, then that many bytes
// BOOLEAN is in BooleanCodec.swift. Fixed-width values are copied with memcpy,
// which assumes a little-endian host (all platforms Basalt builds for).

public enum PlainDecoder {
    /// Appends `count` fixed-width values (Int32, Int64, Float, Double, ...) to `out`.
    /// Returns the bytes consumed, count * stride.
    @discardableResult
    public static func decodeFixed<T: BitwiseCopyable>(_ bytes: UnsafeRawBufferPointer, count: Int,
                                                       into out: inout [T]) throws(ParquetError) -> Int {
        let size = MemoryLayout<T>.stride
        guard count > 0, size > 0 else { return 0 }
        guard count <= bytes.count / size, let src = bytes.baseAddress else {
            throw ParquetError.corrupt("PLAIN: \(count) values of \(size) bytes need more than the \(bytes.count) bytes present")
        }
        let total = count * size
        if Int(bitPattern: src) % MemoryLayout<T>.alignment == 0 {
            src.withMemoryRebound(to: T.self, capacity: count) { typed in
                out.append(contentsOf: UnsafeBufferPointer(start: typed, count: count))
            }
        } else {
            let chunk = Swift.max(1, 4096 / size)
            withUnsafeTemporaryAllocation(of: T.self, capacity: chunk) { tmp in
                let dst = UnsafeMutableRawPointer(tmp.baseAddress!)
                var done = 0
                while done < count {
                    let n = Swift.min(chunk, count - done)
                    dst.copyMemory(from: src + done * size, byteCount: n * size)
                    out.append(contentsOf: UnsafeBufferPointer(start: tmp.baseAddress!, count: n))
                    done += n
                }
            }
        }
        return total
    }

    /// Appends `count` values of `width` bytes each to `out`. Returns the bytes consumed.
    @discardableResult
    public static func decodeFixedLenByteArray(_ bytes: UnsafeRawBufferPointer, width: Int, count: Int,
                                               into out: inout [UInt8]) throws(ParquetError) -> Int {
        guard width >= 0 else { throw ParquetError.corrupt("PLAIN FIXED_LEN_BYTE_ARRAY: negative width \(width)") }
        guard count > 0, width > 0 else { return 0 }
        guard count <= bytes.count / width, let src = bytes.baseAddress else {
            throw ParquetError.corrupt("PLAIN FIXED_LEN_BYTE_ARRAY: \(count) values of \(width) bytes need more than the \(bytes.count) bytes present")
        }
        let total = count * width
        BitPacking.appendBytes(src, count: total, to: &out)
        return total
    }

    /// Appends `count` BYTE_ARRAY values: `data` gets their bytes, `offsets` (which
    /// already holds a start offset) one end offset per value. Returns the bytes consumed.
    /// Validates the whole page before appending anything.
    @discardableResult
    public static func decodeByteArray(_ bytes: UnsafeRawBufferPointer, count: Int,
                                       offsets: inout [Int], data: inout [UInt8]) throws(ParquetError) -> Int {
        guard count > 0 else { return 0 }
        guard let src = bytes.baseAddress, count <= bytes.count / 4 else {
            throw ParquetError.corrupt("PLAIN BYTE_ARRAY: \(count) values cannot fit in \(bytes.count) bytes")
        }
        let end = bytes.count
        // Pass 1: validate lengths and size the output.
        var pos = 0
        for i in 0..<count {
            guard end - pos >= 4 else {
                throw ParquetError.corrupt("PLAIN BYTE_ARRAY: value \(i) length truncated at byte \(pos)")
            }
            let len = Int(UInt32(littleEndian: src.loadUnaligned(fromByteOffset: pos, as: UInt32.self)))
            pos += 4
            guard len <= end - pos else {
                throw ParquetError.corrupt("PLAIN BYTE_ARRAY: value \(i) length \(len) exceeds the \(end - pos) bytes left at byte \(pos - 4)")
            }
            pos += len
        }
        let payload = pos - 4 * count
        // Pass 2: copy.
        BitPacking.reserve(&offsets, extra: count + 1)
        if offsets.isEmpty { offsets.append(0) }
        var offset = offsets[offsets.count - 1]
        pos = 0
        if payload == 0 {
            for _ in 0..<count { offsets.append(offset) }
            return 4 * count
        }
        _ = BitPacking.appendZeroed(&data, count: payload) { dst in
            var write = 0
            for _ in 0..<count {
                let len = Int(UInt32(littleEndian: src.loadUnaligned(fromByteOffset: pos, as: UInt32.self)))
                UnsafeMutableRawPointer(dst + write).copyMemory(from: src + pos + 4, byteCount: len)
                pos += 4 + len
                write += len
                offset += len
                offsets.append(offset)
            }
        }
        return pos
    }
}

public enum PlainEncoder {
    /// Appends the little-endian bytes of `values` to `out`.
    public static func encodeFixed<T: BitwiseCopyable>(_ values: UnsafeBufferPointer<T>, into out: inout [UInt8]) {
        guard let base = values.baseAddress, values.count > 0 else { return }
        BitPacking.appendBytes(UnsafeRawPointer(base), count: values.count * MemoryLayout<T>.stride, to: &out)
    }

    /// Appends values i = data[offsets[i]..<offsets[i + 1]] for i in 0..<offsets.count - 1,
    /// each as a 4-byte little-endian length and its bytes.
    public static func encodeByteArray(offsets: UnsafeBufferPointer<Int>, data: UnsafeBufferPointer<UInt8>,
                                       into out: inout [UInt8]) {
        guard offsets.count > 1 else { return }
        let n = offsets.count - 1
        BitPacking.reserve(&out, extra: 4 * n + Swift.max(0, offsets[n] - offsets[0]))
        for i in 0..<n {
            let start = offsets[i], len = offsets[i + 1] - start
            precondition(len >= 0 && start >= 0 && start + len <= data.count, "byte array offsets out of range")
            let l = UInt32(truncatingIfNeeded: len)
            out.append(UInt8(truncatingIfNeeded: l))
            out.append(UInt8(truncatingIfNeeded: l >> 8))
            out.append(UInt8(truncatingIfNeeded: l >> 16))
            out.append(UInt8(truncatingIfNeeded: l >> 24))
            if len > 0 { out.append(contentsOf: UnsafeBufferPointer(rebasing: data[start..<(start + len)])) }
        }
    }
}
