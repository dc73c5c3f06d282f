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
    /// On corrupt input nothing is appended.
    ///
    /// One pass: the page's bytes after the lengths bound the payload, so that much is
    /// zeroed up front (plus 32 bytes of slack) and trimmed afterwards; values of up to 32
    /// bytes are copied with four 8-byte moves where the page has 32 bytes to read;
    /// offsets go out through a stack buffer, 1024 at a time.
    @discardableResult
    public static func decodeByteArray(_ bytes: UnsafeRawBufferPointer, count: Int,
                                       offsets: inout [Int], data: inout [UInt8]) throws(ParquetError) -> Int {
        guard count > 0 else { return 0 }
        guard let src = bytes.baseAddress, count <= bytes.count / 4 else {
            throw ParquetError.corrupt("PLAIN BYTE_ARRAY: \(count) values cannot fit in \(bytes.count) bytes")
        }
        let end = bytes.count
        let bound = end - 4 * count
        if offsets.isEmpty { offsets.append(0) }
        let offsetsStart = offsets.count
        BitPacking.reserve(&offsets, extra: count)
        let start = data.count
        let room = data.capacity - start
        // No slack when it alone would make a pre-sized array grow.
        let slack = room >= bound && room < bound + 32 ? 0 : 32
        let hasSlack = slack > 0
        BitPacking.reserve(&data, extra: bound + slack)
        data.append(contentsOf: repeatElement(0, count: bound + slack))
        var offset = offsets[offsetsStart - 1]
        var pos = 0
        var write = 0
        var failure: ParquetError?
        data.withUnsafeMutableBufferPointer { buffer in
            let dst = UnsafeMutableRawPointer(buffer.baseAddress! + start)
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 1024) { tmp in
                let t = tmp.baseAddress!
                var done = 0
                while done < count {
                    let m = Swift.min(1024, count &- done)
                    for k in 0..<m {
                        guard end &- pos >= 4 else {
                            failure = ParquetError.corrupt("PLAIN BYTE_ARRAY: value \(done + k) length truncated at byte \(pos)")
                            return
                        }
                        let len = Int(UInt32(littleEndian: src.loadUnaligned(fromByteOffset: pos, as: UInt32.self)))
                        guard len <= end &- pos &- 4 else {
                            failure = ParquetError.corrupt("PLAIN BYTE_ARRAY: value \(done + k) length \(len) exceeds the \(end - pos - 4) bytes left at byte \(pos)")
                            return
                        }
                        // The values so far must leave 4 bytes for each later length (this also
                        // keeps every copy inside the `bound` bytes zeroed above).
                        guard len <= bound &- write else {
                            failure = ParquetError.corrupt("PLAIN BYTE_ARRAY: value \(done + k) length \(len) leaves too few bytes for the \(count - done - k - 1) values after it at byte \(pos)")
                            return
                        }
                        let from = src + (pos &+ 4)
                        let to = dst + write
                        if hasSlack && len <= 32 && pos &+ 36 <= end {
                            to.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
                            (to + 8).storeBytes(of: (from + 8).loadUnaligned(as: UInt64.self), as: UInt64.self)
                            (to + 16).storeBytes(of: (from + 16).loadUnaligned(as: UInt64.self), as: UInt64.self)
                            (to + 24).storeBytes(of: (from + 24).loadUnaligned(as: UInt64.self), as: UInt64.self)
                        } else {
                            to.copyMemory(from: from, byteCount: len)
                        }
                        pos &+= 4 &+ len
                        write &+= len
                        offset &+= len
                        t[k] = offset
                    }
                    offsets.append(contentsOf: UnsafeBufferPointer(start: t, count: m))
                    done &+= m
                }
            }
        }
        if let failure {
            data.removeSubrange(start...)
            offsets.removeSubrange(offsetsStart...)
            throw failure
        }
        data.removeLast(bound + slack - write)
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
