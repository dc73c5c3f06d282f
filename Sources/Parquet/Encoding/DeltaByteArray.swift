// DELTA_BYTE_ARRAY, incremental / front coding (parquet-format Encodings.md):
//   <prefix lengths: DELTA_BINARY_PACKED INT32> <suffixes: DELTA_LENGTH_BYTE_ARRAY>
// value[i] = value[i-1][0..<prefix[i]] + suffix[i]; prefix[0] must be 0 and every
// prefix at most the previous value's length. Used by BYTE_ARRAY and
// FIXED_LEN_BYTE_ARRAY columns (the caller checks fixed widths).

public enum DeltaByteArray {
    /// Shared prefixes let a small page expand a lot; a page that expands past
    /// 2 GiB (arrow's limit for one binary array) is rejected as corrupt.
    static let maxPageBytes = 1 << 31

    /// Appends `count` values: their bytes to `data`, one end offset per value to
    /// `offsets` (which already holds a start offset). Returns the bytes consumed.
    @discardableResult
    public static func decode(_ bytes: UnsafeRawBufferPointer, count: Int,
                              offsets: inout [Int], data: inout [UInt8]) throws(ParquetError) -> Int {
        guard count > 0 else { return 0 }
        var prefixDecoder = try DeltaBinaryPackedDecoder(bytes)
        guard count <= prefixDecoder.totalCount else {
            throw ParquetError.corrupt("delta byte array: \(count) values expected, prefix lengths hold \(prefixDecoder.totalCount)")
        }
        var prefixes: [Int32] = []
        try prefixDecoder.decode(into: &prefixes, count: count)
        try prefixDecoder.skipToEnd()
        let suffixStart = prefixDecoder.consumed
        let rest = UnsafeRawBufferPointer(rebasing: bytes[suffixStart...])
        var suffixLengths: [Int32] = []
        let (dataStart, suffixTotal) = try DeltaLengthByteArray.decodeLengths(rest, count: count, into: &suffixLengths)

        // Validate prefixes and size the output before touching it.
        var total = 0
        var previous = 0
        for i in 0..<count {
            let p = Int(prefixes[i])
            guard p >= 0 && p <= previous else {
                throw ParquetError.corrupt("delta byte array: value \(i) has prefix length \(p), previous value has \(previous) bytes")
            }
            let length = p + Int(suffixLengths[i])
            let (sum, overflow) = total.addingReportingOverflow(length)
            guard !overflow, sum <= maxPageBytes else {
                throw ParquetError.corrupt("delta byte array: values through \(i) expand past \(maxPageBytes) bytes")
            }
            total = sum
            previous = length
        }

        if offsets.isEmpty { offsets.append(0) }
        BitPacking.reserve(&offsets, extra: count)
        let suffixBase = rest.baseAddress.map { $0 + dataStart }
        _ = BitPacking.appendZeroed(&data, count: total) { dst in
            var write = 0
            var prevStart = 0
            var read = 0
            for i in 0..<count {
                let p = Int(prefixes[i])
                let s = Int(suffixLengths[i])
                if p > 0 { (dst + write).update(from: dst + prevStart, count: p) }
                if s > 0, let suffixBase { UnsafeMutableRawPointer(dst + write + p).copyMemory(from: suffixBase + read, byteCount: s) }
                prevStart = write
                write += p + s
                read += s
            }
        }
        var offset = offsets[offsets.count - 1]
        for i in 0..<count {
            offset += Int(prefixes[i]) + Int(suffixLengths[i])
            offsets.append(offset)
        }
        return suffixStart + dataStart + suffixTotal
    }

    /// Appends the encoding of values i = data[offsets[i]..<offsets[i + 1]] to `out`.
    public static func encode(offsets: UnsafeBufferPointer<Int>, data: UnsafeBufferPointer<UInt8>,
                              into out: inout [UInt8]) {
        let n = Swift.max(0, offsets.count - 1)
        var prefixes = [Int32](repeating: 0, count: n)
        var suffixOffsets = [Int](repeating: 0, count: n + 1)
        var suffixData: [UInt8] = []
        var prevStart = 0, prevLength = 0
        for i in 0..<n {
            let start = offsets[i], length = offsets[i + 1] - start
            precondition(start >= 0 && length >= 0 && start + length <= data.count && length <= Int(Int32.max),
                         "byte array offsets out of range")
            var p = 0
            let limit = Swift.min(length, prevLength)
            while p < limit && data[prevStart + p] == data[start + p] { p += 1 }
            prefixes[i] = Int32(p)
            if length > p { suffixData.append(contentsOf: UnsafeBufferPointer(rebasing: data[(start + p)..<(start + length)])) }
            suffixOffsets[i + 1] = suffixData.count
            prevStart = start
            prevLength = length
        }
        var encoder = DeltaBinaryPackedEncoder()
        prefixes.withUnsafeBufferPointer { encoder.append($0) }
        out.append(contentsOf: encoder.finish())
        suffixOffsets.withUnsafeBufferPointer { o in
            suffixData.withUnsafeBufferPointer { d in
                DeltaLengthByteArray.encode(offsets: o, data: d, into: &out)
            }
        }
    }
}
