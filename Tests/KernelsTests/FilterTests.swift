import Columnar
import Kernels
import XCTest
import TestSupport

final class FilterTests: XCTestCase {
    private func checkFilter<T: FixedWidthInteger & BitwiseCopyable>(_: T.Type, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for n in testLengths + [5000] {
            for density in [0.0, 0.01, 0.05, 0.2, 0.5, 0.95, 1.0] {
                let a: [T] = randomIntegers(n, &rng)
                let m = randomMask(n, &rng, density: density)
                let want = zip(a, m).filter { $1 == 1 }.map(\.0)
                let got = a.withUnsafeBufferPointer { x in m.withUnsafeBufferPointer { Kernels.filter(x, mask: $0) } }
                XCTAssertEqual(got, want, "\(T.self) filter n=\(n) density=\(density)")
                let (k, into) = withOutput(n, fill: T(0)) { out in
                    a.withUnsafeBufferPointer { x in m.withUnsafeBufferPointer { Kernels.filter(x, mask: $0, into: out) } }
                }
                XCTAssertEqual(Array(into.prefix(k)), want)
                let sel = m.withUnsafeBufferPointer { Kernels.selection(fromMask: $0) }
                XCTAssertEqual(sel, m.indices.filter { m[$0] == 1 }.map(Int32.init), "selection n=\(n)")
                let (k2, sel2) = withOutput(n, fill: Int32(-1)) { out in m.withUnsafeBufferPointer { Kernels.selection(fromMask: $0, into: out) } }
                XCTAssertEqual(Array(sel2.prefix(k2)), sel)
                // take by the selection gives the filter back.
                let taken = a.withUnsafeBufferPointer { x in sel.withUnsafeBufferPointer { Kernels.take(x, indices: $0) } }
                XCTAssertEqual(taken, want)
            }
        }
    }

    func testFilterFixedWidth() {
        checkFilter(Int8.self, seed: 101)
        checkFilter(Int32.self, seed: 102)
        checkFilter(Int64.self, seed: 103)
        checkFilter(Int128.self, seed: 104)
    }

    func testFilterDoublesKeepsBits() {
        let a: [Double] = [.nan, -0.0, 1, .infinity, 2, 3, 4, 5, 6]
        let m: [UInt8] = [1, 1, 0, 1, 0, 0, 0, 0, 1]
        let got = a.withUnsafeBufferPointer { x in m.withUnsafeBufferPointer { Kernels.filter(x, mask: $0) } }
        XCTAssertEqual(got.map(\.bitPattern), [Double.nan, -0.0, .infinity, 6].map(\.bitPattern))
    }

    func testTakeArbitraryIndices() {
        var rng = SplitMix64(seed: 105)
        for n in testLengths where n > 0 {
            let a: [Int64] = randomIntegers(n, &rng)
            let idx = (0..<(n * 2)).map { _ in Int32(rng.next() % UInt64(n)) }  // repeats, any order
            let got = a.withUnsafeBufferPointer { x in idx.withUnsafeBufferPointer { Kernels.take(x, indices: $0) } }
            XCTAssertEqual(got, idx.map { a[Int($0)] })
        }
        let empty: [Int64] = [], none: [Int32] = []
        XCTAssertEqual(empty.withUnsafeBufferPointer { x in none.withUnsafeBufferPointer { Kernels.take(x, indices: $0) } }, [])
    }

    func testBytes() {
        var rng = SplitMix64(seed: 106)
        for n in testLengths {
            let strings = randomStrings(n, &rng, maxLength: 40)
            let (offsets, data) = packStrings(strings)
            let m = randomMask(n, &rng)
            let f = offsets.withUnsafeBufferPointer { o in data.withUnsafeBufferPointer { d in m.withUnsafeBufferPointer { Kernels.filter(offsets: o, data: d, mask: $0) } } }
            let want = packStrings(zip(strings, m).filter { $1 == 1 }.map(\.0))
            XCTAssertEqual(f.offsets, want.offsets, "filter offsets n=\(n)")
            XCTAssertEqual(f.data, want.data, "filter data n=\(n)")
            guard n > 0 else { continue }
            let idx = (0..<n).map { _ in Int32(rng.next() % UInt64(n)) }
            let t = offsets.withUnsafeBufferPointer { o in data.withUnsafeBufferPointer { d in idx.withUnsafeBufferPointer { Kernels.take(offsets: o, data: d, indices: $0) } } }
            let wantT = packStrings(idx.map { strings[Int($0)] })
            XCTAssertEqual(t.offsets, wantT.offsets, "take offsets n=\(n)")
            XCTAssertEqual(t.data, wantT.data, "take data n=\(n)")
        }
        // Offsets that do not start at zero (a slice of a larger buffer).
        let data: [UInt8] = Array("xxhelloworld!".utf8)
        let offsets = [2, 7, 12, 13]
        let idx: [Int32] = [2, 0, 1]
        let t = offsets.withUnsafeBufferPointer { o in data.withUnsafeBufferPointer { d in idx.withUnsafeBufferPointer { Kernels.take(offsets: o, data: d, indices: $0) } } }
        XCTAssertEqual(t.offsets, [0, 1, 6, 11])
        XCTAssertEqual(String(decoding: t.data, as: UTF8.self), "!helloworld")
    }

    func testValidityBitmaps() {
        var rng = SplitMix64(seed: 107)
        for n in testLengths + [1000, 4096] {
            for density in [0.0, 0.5, 1.0] {
                let v = randomValidity(n, &rng)
                let m = randomMask(n, &rng, density: density)
                let f = m.withUnsafeBufferPointer { Kernels.filter(v, mask: $0) }
                let want = Bitmap(zip(bits(v), m).filter { $1 == 1 }.map(\.0))
                XCTAssertEqual(f, want, "filter bitmap n=\(n) density=\(density)")
                guard n > 0 else { continue }
                let idx = (0..<(n + 3)).map { _ in Int32(rng.next() % UInt64(n)) }
                let t = idx.withUnsafeBufferPointer { Kernels.take(v, indices: $0) }
                XCTAssertEqual(t, Bitmap(idx.map { v[Int($0)] }), "take bitmap n=\(n)")
            }
        }
    }
}
