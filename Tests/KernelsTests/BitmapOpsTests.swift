import Columnar
import Kernels
import XCTest
import TestSupport

final class BitmapOpsTests: XCTestCase {
    func testWordOperations() {
        var rng = SplitMix64(seed: 71)
        for n in testLengths {
            let a = randomValidity(n, &rng, density: 0.5), b = randomValidity(n, &rng, density: 0.5)
            let ab = bits(a), bb = bits(b)
            XCTAssertEqual(bits(Kernels.and(a, b)), zip(ab, bb).map { $0 && $1 }, "and n=\(n)")
            XCTAssertEqual(bits(Kernels.or(a, b)), zip(ab, bb).map { $0 || $1 }, "or n=\(n)")
            XCTAssertEqual(bits(Kernels.andNot(a, b)), zip(ab, bb).map { $0 && !$1 }, "andNot n=\(n)")
            let na = Kernels.not(a)
            XCTAssertEqual(bits(na), ab.map(!), "not n=\(n)")
            // Tail bits stay clear, so Equatable and setCount hold.
            XCTAssertEqual(na, Bitmap(ab.map(!)))
            XCTAssertEqual(na.setCount, ab.filter(!).count)
            XCTAssertEqual(a.words.withUnsafeBufferPointer(Kernels.popcount), ab.filter { $0 }.count)
            XCTAssertEqual(Kernels.countPresent(count: n, validity: a), ab.filter { $0 }.count)
            var seen: [Int] = []
            a.words.withUnsafeBufferPointer { Kernels.forEachSetBit($0, bitCount: n) { seen.append($0) } }
            XCTAssertEqual(seen, ab.indices.filter { ab[$0] })
            XCTAssertEqual(Kernels.setBitIndices(a), ab.indices.filter { ab[$0] }.map(Int32.init))
            XCTAssertNil(Kernels.and(nil as Bitmap?, nil))
            XCTAssertEqual(Kernels.and(a, nil), a)
            XCTAssertEqual(Kernels.and(nil, b), b)
            XCTAssertEqual(Kernels.and(Optional(a), Optional(b)), Kernels.and(a, b))
        }
    }

    func testMaskConversions() {
        var rng = SplitMix64(seed: 72)
        for n in testLengths {
            for density in [0.0, 0.3, 1.0] {
                let v = randomValidity(n, &rng, density: density)
                let (_, mask) = withOutput(n, fill: UInt8(9)) { Kernels.mask(from: v, into: $0) }
                XCTAssertEqual(mask, bits(v).map { $0 ? 1 : 0 }, "mask(from:) n=\(n)")
                let back = mask.withUnsafeBufferPointer(Kernels.bitmap(fromMask:))
                XCTAssertEqual(back, v, "bitmap(fromMask:) n=\(n)")

                var m = randomMask(n, &rng)
                let want = zip(m, bits(v)).map { $1 ? $0 : 0 }
                m.withUnsafeMutableBufferPointer { Kernels.applyValidity(v, to: $0) }
                XCTAssertEqual(m, want, "applyValidity n=\(n)")
                var m2 = randomMask(n, &rng)
                let copy = m2
                m2.withUnsafeMutableBufferPointer { Kernels.applyValidity(nil, to: $0) }
                XCTAssertEqual(m2, copy)
            }
        }
    }
}
