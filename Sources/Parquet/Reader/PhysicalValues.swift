/// The non-null values of one column chunk as Parquet stores them (physical
/// types), accumulated page by page before they become a `Column`. One stored
/// array per physical type keeps appends in place (no copy-on-write through
/// enum payloads); only the array matching `type` is used.
struct PhysicalValues {
    let type: PhysicalType
    /// Width of FIXED_LEN_BYTE_ARRAY values (12 for INT96).
    let width: Int
    var count = 0
    var booleans: [UInt8] = []
    var int32s: [Int32] = []
    var int64s: [Int64] = []
    var floats: [Float] = []
    var doubles: [Double] = []
    /// BYTE_ARRAY: value i is bytes[offsets[i]..<offsets[i+1]]. FIXED_LEN_BYTE_ARRAY and INT96: value i is bytes[i*width...].
    var offsets: [Int] = [0]
    var bytes: [UInt8] = []

    init(type: PhysicalType, width: Int) {
        self.type = type
        self.width = type == .int96 ? 12 : width
    }

    mutating func reserve(_ n: Int) {
        switch type {
        case .boolean: booleans.reserveCapacity(booleans.count + n)
        case .int32: int32s.reserveCapacity(int32s.count + n)
        case .int64: int64s.reserveCapacity(int64s.count + n)
        case .float: floats.reserveCapacity(floats.count + n)
        case .double: doubles.reserveCapacity(doubles.count + n)
        case .byteArray: offsets.reserveCapacity(offsets.count + n)
        case .int96, .fixedLenByteArray: bytes.reserveCapacity(bytes.count + n * width)
        }
    }

    /// Appends `dictionary[i]` for every index (indices already checked against the dictionary's count).
    mutating func appendGathered(from dictionary: PhysicalValues, indices: UnsafeBufferPointer<UInt32>) {
        count += indices.count
        switch type {
        case .boolean: for i in indices { booleans.append(dictionary.booleans[Int(i)]) }
        case .int32: Self.gather(dictionary.int32s, indices, into: &int32s)
        case .int64: Self.gather(dictionary.int64s, indices, into: &int64s)
        case .float: Self.gather(dictionary.floats, indices, into: &floats)
        case .double: Self.gather(dictionary.doubles, indices, into: &doubles)
        case .byteArray:
            var total = 0
            for i in indices { total += dictionary.offsets[Int(i) + 1] - dictionary.offsets[Int(i)] }
            bytes.reserveCapacity(bytes.count + total)
            offsets.reserveCapacity(offsets.count + indices.count)
            dictionary.bytes.withUnsafeBufferPointer { src in
                for i in indices {
                    let start = dictionary.offsets[Int(i)], end = dictionary.offsets[Int(i) + 1]
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: src[start..<end]))
                    offsets.append(bytes.count)
                }
            }
        case .int96, .fixedLenByteArray:
            bytes.reserveCapacity(bytes.count + indices.count * width)
            dictionary.bytes.withUnsafeBufferPointer { src in
                for i in indices {
                    let start = Int(i) * width
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: src[start..<(start + width)]))
                }
            }
        }
    }

    private static func gather<T>(_ source: [T], _ indices: UnsafeBufferPointer<UInt32>, into out: inout [T]) {
        let base = out.count
        let n = indices.count
        guard n > 0 else { return }
        source.withUnsafeBufferPointer { src in
            out.append(contentsOf: repeatElement(src[0], count: n))
            out.withUnsafeMutableBufferPointer { dst in
                for k in 0..<n { dst[base + k] = src[Int(indices[k])] }
            }
        }
    }
}
