// DELTA_LENGTH_BYTE_ARRAY (parquet-format Encodings.md):
//   <lengths of all values: DELTA_BINARY_PACKED INT32> <all value bytes concatenated>
// Values are returned as an offsets/data pair: value i is data[offsets[i]..<offsets[i + 1]].

public enum DeltaLengthByteArray {
    /// Appends `count` values: their bytes to `data`, one end offset per value to
    /// `offsets` (which already holds a start offset). Returns the bytes consumed.
    @discardableResult
    public static func decode(_ bytes: UnsafeRawBufferPointer, count: Int,
                              offsets: inout [Int], data: inout [UInt8]) throws(ParquetError) -> Int {
        guard count > 0 else { return 0 }
        var lengths: [Int32] = []
        let (dataStart, total) = try decodeLengths(bytes, count: count, into: &lengths)
        if offsets.isEmpty { offsets.append(0) }
        BitPacking.reserve(&offsets, extra: count)
        var offset = offsets[offsets.count - 1]
        for len in lengths {
            offset += Int(len)
            offsets.append(offset)
        }
        if total > 0, let base = bytes.baseAddress {
            BitPacking.appendBytes(base + dataStart, count: total, to: &data)
        }
        return dataStart + total
    }

    /// Decodes `count` lengths, checks them against the bytes after the lengths block and
    /// returns where the value bytes start and their total size.
    static func decodeLengths(_ bytes: UnsafeRawBufferPointer, count: Int,
                              into lengths: inout [Int32]) throws(ParquetError) -> (dataStart: Int, total: Int) {
        var decoder = try DeltaBinaryPackedDecoder(bytes)
        guard count <= decoder.totalCount else {
            throw ParquetError.corrupt("delta length byte array: \(count) values expected, lengths hold \(decoder.totalCount)")
        }
        try decoder.decode(into: &lengths, count: count)
        try decoder.skipToEnd()
        let dataStart = decoder.consumed
        let available = bytes.count - dataStart
        var total = 0
        for (i, len) in lengths.enumerated() {
            guard len >= 0 else {
                throw ParquetError.corrupt("delta length byte array: value \(i) has negative length \(len)")
            }
            total += Int(len)
            guard total <= available else {
                throw ParquetError.corrupt("delta length byte array: lengths through value \(i) need \(total) bytes, \(available) follow the lengths at byte \(dataStart)")
            }
        }
        return (dataStart, total)
    }

    /// Appends the encoding of values i = data[offsets[i]..<offsets[i + 1]] to `out`.
    public static func encode(offsets: UnsafeBufferPointer<Int>, data: UnsafeBufferPointer<UInt8>,
                              into out: inout [UInt8]) {
        let n = Swift.max(0, offsets.count - 1)
        var lengths = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            let len = offsets[i + 1] - offsets[i]
            precondition(len >= 0 && len <= Int(Int32.max), "byte array offsets out of order or value too long")
            lengths[i] = Int32(len)
        }
        var encoder = DeltaBinaryPackedEncoder()
        lengths.withUnsafeBufferPointer { encoder.append($0) }
        out.append(contentsOf: encoder.finish())
        guard n > 0 else { return }
        let start = offsets[0], end = offsets[n]
        precondition(start >= 0 && end <= data.count, "byte array offsets out of range")
        if end > start { out.append(contentsOf: UnsafeBufferPointer(rebasing: data[start..<end])) }
    }
}
