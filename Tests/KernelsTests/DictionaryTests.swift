import Columnar
import Kernels
import XCTest
import TestSupport

final class DictionaryTests: XCTestCase {
    func testPredicateThroughIndices() {
        var rng = SplitMix64(seed: 111)
        for n in testLengths {
            let dictionary = randomStrings(12, &rng)
            let (offsets, data) = packStrings(dictionary)
            let indices = (0..<n).map { _ in Int32(rng.next() % 12) }
            let probe: [UInt8] = [0x41]
            // Evaluate `value >= 'A'` on the dictionary once, then map to rows.
            let (_, entryMask) = withOutput(12, fill: UInt8(0)) { out in
                offsets.withUnsafeBufferPointer { o in data.withUnsafeBufferPointer { d in probe.withUnsafeBufferPointer { Kernels.compare(offsets: o, data: d, .greaterOrEqual, $0, into: out) } } }
            }
            let (_, rows) = withOutput(n, fill: UInt8(9)) { out in
                entryMask.withUnsafeBufferPointer { e in indices.withUnsafeBufferPointer { Kernels.mask(fromEntryMask: e, indices: $0, into: out) } }
            }
            XCTAssertEqual(rows, indices.map { referenceCompareBytes(dictionary[Int($0)], probe) >= 0 ? 1 : 0 }, "n=\(n)")

            let decoded = offsets.withUnsafeBufferPointer { o in data.withUnsafeBufferPointer { d in indices.withUnsafeBufferPointer { Kernels.decode(dictionaryOffsets: o, dictionaryData: d, indices: $0) } } }
            let want = packStrings(indices.map { dictionary[Int($0)] })
            XCTAssertEqual(decoded.offsets, want.offsets)
            XCTAssertEqual(decoded.data, want.data)

            let numbers: [Int64] = (0..<12).map { Int64($0) * 1000 - 5 }
            XCTAssertEqual(numbers.withUnsafeBufferPointer { d in indices.withUnsafeBufferPointer { Kernels.decode(dictionary: d, indices: $0) } }, indices.map { numbers[Int($0)] })

            // Hash the entries once; rows look them up, nulls get the null hash.
            let (_, entryHashes) = withOutput(12, fill: UInt64(0)) { out in
                offsets.withUnsafeBufferPointer { o in data.withUnsafeBufferPointer { d in Kernels.hash(offsets: o, data: d, into: out) } }
            }
            let validity = randomValidity(n, &rng)
            let (_, rowHashes) = withOutput(n, fill: UInt64(0)) { out in
                entryHashes.withUnsafeBufferPointer { e in indices.withUnsafeBufferPointer { Kernels.hashes(fromEntryHashes: e, indices: $0, validity: validity, into: out) } }
            }
            let (_, direct) = withOutput(n, fill: UInt64(0)) { out in
                want.offsets.withUnsafeBufferPointer { o in want.data.withUnsafeBufferPointer { d in Kernels.hash(offsets: o, data: d, validity: validity, into: out) } }
            }
            XCTAssertEqual(rowHashes, direct)
        }
    }

    func testEmptyDictionaryAllNull() {
        let indices = [Int32](repeating: 0, count: 70)
        let empty: [UInt8] = []
        let (_, rows) = withOutput(70, fill: UInt8(9)) { out in
            empty.withUnsafeBufferPointer { e in indices.withUnsafeBufferPointer { Kernels.mask(fromEntryMask: e, indices: $0, into: out) } }
        }
        XCTAssertEqual(rows, [UInt8](repeating: 0, count: 70))
        let noHashes: [UInt64] = []
        let (_, hashes) = withOutput(70, fill: UInt64(0)) { out in
            noHashes.withUnsafeBufferPointer { e in indices.withUnsafeBufferPointer { Kernels.hashes(fromEntryHashes: e, indices: $0, validity: Bitmap(repeating: false, count: 70), into: out) } }
        }
        XCTAssertEqual(hashes, [UInt64](repeating: Kernels.nullHash, count: 70))
    }
}
