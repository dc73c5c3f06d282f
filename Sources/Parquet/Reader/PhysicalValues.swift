/// The non-null values of one column chunk as Parquet stores them (physical
/// types), accumulated page by page before they become a `Column`. One stored
/// array per physical type keeps appends in place (no copy-on-write through
/// enum payloads); only the array matching `kind` is used.
///
/// One conversion happens here rather than later: FIXED_LEN_BYTE_ARRAY decimals
/// of at most 8 bytes and precision at most 18 (`decimalAsInt64`) are decoded
/// straight into `int64s`, so their big-endian bytes are never stored.
struct PhysicalValues {
    /// Which array holds the values.
    enum Kind { case boolean, int32, int64, float, double, byteArray, fixedBytes }

    let type: PhysicalType
    /// Width of FIXED_LEN_BYTE_ARRAY values (12 for INT96).
    let width: Int
    /// FIXED_LEN_BYTE_ARRAY big-endian two's-complement decimals held as Int64 in `int64s`.
    let decimalAsInt64: Bool
    let kind: Kind
    var count = 0
    var booleans: [UInt8] = []
    var int32s: [Int32] = []
    var int64s: [Int64] = []
    var floats: [Float] = []
    var doubles: [Double] = []
    /// BYTE_ARRAY: value i is bytes[offsets[i]..<offsets[i+1]]. FIXED_LEN_BYTE_ARRAY and INT96: value i is bytes[i*width...].
    var offsets: [Int] = [0]
    var bytes: [UInt8] = []

    init(type: PhysicalType, width: Int, decimalAsInt64: Bool = false) {
        self.type = type
        self.width = type == .int96 ? 12 : width
        self.decimalAsInt64 = decimalAsInt64 && type == .fixedLenByteArray && width >= 1 && width <= 8
        switch type {
        case .boolean: kind = .boolean
        case .int32: kind = .int32
        case .int64: kind = .int64
        case .float: kind = .float
        case .double: kind = .double
        case .byteArray: kind = .byteArray
        case .int96, .fixedLenByteArray: kind = self.decimalAsInt64 ? .int64 : .fixedBytes
        }
    }

    /// Makes room for `n` more values, growing geometrically so that one call per page
    /// stays linear over the chunk.
    mutating func reserve(_ n: Int) {
        switch kind {
        case .boolean: BitPacking.reserve(&booleans, extra: n)
        case .int32: BitPacking.reserve(&int32s, extra: n)
        case .int64: BitPacking.reserve(&int64s, extra: n)
        case .float: BitPacking.reserve(&floats, extra: n)
        case .double: BitPacking.reserve(&doubles, extra: n)
        case .byteArray: BitPacking.reserve(&offsets, extra: n)
        case .fixedBytes: BitPacking.reserve(&bytes, extra: n &* width)
        }
    }

    /// Appends `dictionary[i]` for every index (indices already checked against the dictionary's count).
    mutating func appendGathered(from dictionary: PhysicalValues, indices: UnsafeBufferPointer<UInt32>) {
        count += indices.count
        switch kind {
        case .boolean: Self.gather(dictionary.booleans, indices, into: &booleans)
        case .int32: Self.gather(dictionary.int32s, indices, into: &int32s)
        case .int64: Self.gather(dictionary.int64s, indices, into: &int64s)
        case .float: Self.gather(dictionary.floats, indices, into: &floats)
        case .double: Self.gather(dictionary.doubles, indices, into: &doubles)
        case .byteArray:
            dictionary.offsets.withUnsafeBufferPointer { dictOffsets in
                var total = 0
                for i in indices { total &+= dictOffsets[Int(i) &+ 1] &- dictOffsets[Int(i)] }
                BitPacking.reserve(&bytes, extra: total)
                BitPacking.reserve(&offsets, extra: indices.count)
                dictionary.bytes.withUnsafeBufferPointer { src in
                    for i in indices {
                        let start = dictOffsets[Int(i)], end = dictOffsets[Int(i) &+ 1]
                        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: src[start..<end]))
                        offsets.append(bytes.count)
                    }
                }
            }
        case .fixedBytes:
            BitPacking.reserve(&bytes, extra: indices.count &* width)
            dictionary.bytes.withUnsafeBufferPointer { src in
                for i in indices {
                    let start = Int(i) &* width
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: src[start..<(start + width)]))
                }
            }
        }
    }

    /// Appends `dictionary[index]` `n` times (index already checked).
    mutating func appendRepeated(from dictionary: PhysicalValues, index: Int, count n: Int) {
        guard n > 0 else { return }
        count += n
        switch kind {
        case .boolean: booleans.append(contentsOf: repeatElement(dictionary.booleans[index], count: n))
        case .int32: int32s.append(contentsOf: repeatElement(dictionary.int32s[index], count: n))
        case .int64: int64s.append(contentsOf: repeatElement(dictionary.int64s[index], count: n))
        case .float: floats.append(contentsOf: repeatElement(dictionary.floats[index], count: n))
        case .double: doubles.append(contentsOf: repeatElement(dictionary.doubles[index], count: n))
        case .byteArray:
            let start = dictionary.offsets[index], end = dictionary.offsets[index + 1]
            BitPacking.reserve(&bytes, extra: (end - start) &* n)
            BitPacking.reserve(&offsets, extra: n)
            dictionary.bytes.withUnsafeBufferPointer { src in
                let value = UnsafeBufferPointer(rebasing: src[start..<end])
                for _ in 0..<n {
                    bytes.append(contentsOf: value)
                    offsets.append(bytes.count)
                }
            }
        case .fixedBytes:
            let start = index * width
            BitPacking.reserve(&bytes, extra: width &* n)
            dictionary.bytes.withUnsafeBufferPointer { src in
                let value = UnsafeBufferPointer(rebasing: src[start..<(start + width)])
                for _ in 0..<n { bytes.append(contentsOf: value) }
            }
        }
    }

    /// Gathers through a small stack buffer and appends it (a memcpy): no per-value
    /// append, no bounds checks (indices were checked by the caller).
    @inline(__always)
    private static func gather<T>(_ source: [T], _ indices: UnsafeBufferPointer<UInt32>, into out: inout [T]) {
        let n = indices.count
        guard n > 0 else { return }
        BitPacking.reserve(&out, extra: n)
        source.withUnsafeBufferPointer { srcBuffer in
            let src = srcBuffer.baseAddress!
            withUnsafeTemporaryAllocation(of: T.self, capacity: 512) { tmp in
                let t = tmp.baseAddress!
                var done = 0
                while done < n {
                    let m = Swift.min(512, n &- done)
                    for k in 0..<m { (t + k).initialize(to: src[Int(indices[done &+ k])]) }
                    out.append(contentsOf: UnsafeBufferPointer(start: t, count: m))
                    (t).deinitialize(count: m)
                    done &+= m
                }
            }
        }
    }
}

/// FIXED_LEN_BYTE_ARRAY decimals of 1...8 bytes (big-endian two's complement) as Int64.
enum BigEndianDecimal {
    /// Appends `count` values of `width` bytes from `src` (which holds at least count * width bytes).
    static func appendInt64(_ src: UnsafeRawPointer, available: Int, width: Int, count: Int, into out: inout [Int64]) {
        guard count > 0 else { return }
        BitPacking.reserve(&out, extra: count)
        let shift = UInt64((8 &- width) &* 8)
        // Values whose 8-byte load stays inside the input take the fast path.
        let fast = available >= 8 ? Swift.min(count, (available &- 8) / width &+ 1) : 0
        withUnsafeTemporaryAllocation(of: Int64.self, capacity: 1024) { tmp in
            let t = tmp.baseAddress!
            var done = 0
            while done < fast {
                let m = Swift.min(1024, fast &- done)
                var p = src + done &* width
                for k in 0..<m {
                    let raw = UInt64(bigEndian: p.loadUnaligned(as: UInt64.self))
                    t[k] = Int64(bitPattern: raw) &>> shift
                    p += width
                }
                out.append(contentsOf: UnsafeBufferPointer(start: t, count: m))
                done &+= m
            }
        }
        var i = fast
        while i < count {
            var raw: UInt64 = 0
            let p = src + i &* width
            for b in 0..<width { raw = raw &<< 8 | UInt64(p.load(fromByteOffset: b, as: UInt8.self)) }
            out.append(Int64(bitPattern: raw &<< shift) &>> shift)
            i &+= 1
        }
    }

    /// Converts stored FIXED_LEN_BYTE_ARRAY bytes (count * width of them).
    static func appendInt64(_ bytes: [UInt8], width: Int, into out: inout [Int64]) {
        guard width > 0 else { return }
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            appendInt64(base, available: raw.count, width: width, count: raw.count / width, into: &out)
        }
    }
}
