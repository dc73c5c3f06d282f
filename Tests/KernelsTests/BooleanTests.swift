import Columnar
import Kernels
import XCTest
import TestSupport

final class BooleanTests: XCTestCase {
    /// A SQL boolean: nil is NULL.
    private func values(_ mask: [UInt8], _ validity: Bitmap?) -> [Bool?] {
        mask.indices.map { i in validity.map { $0[i] } ?? true ? mask[i] == 1 : nil }
    }

    private func sqlAnd(_ a: Bool?, _ b: Bool?) -> Bool? {
        if a == false || b == false { return false }
        if a == true && b == true { return true }
        return nil
    }

    private func sqlOr(_ a: Bool?, _ b: Bool?) -> Bool? {
        if a == true || b == true { return true }
        if a == false && b == false { return false }
        return nil
    }

    func testThreeValuedLogic() {
        var rng = SplitMix64(seed: 61)
        for n in testLengths {
            for (hasA, hasB) in [(false, false), (true, false), (false, true), (true, true)] {
                let a = randomMask(n, &rng), b = randomMask(n, &rng)
                let va = hasA ? randomValidity(n, &rng, density: 0.6) : nil
                let vb = hasB ? randomValidity(n, &rng, density: 0.6) : nil
                let sa = values(a, va), sb = values(b, vb)
                let (andValidity, andOut) = withOutput(n, fill: UInt8(9)) { out in
                    a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in Kernels.and(x, validity: va, y, validity: vb, into: out) } }
                }
                XCTAssertEqual(values(andOut, andValidity), zip(sa, sb).map(sqlAnd), "AND n=\(n) \(hasA) \(hasB)")
                XCTAssertEqual(andValidity == nil, !hasA && !hasB)
                let (orValidity, orOut) = withOutput(n, fill: UInt8(9)) { out in
                    a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in Kernels.or(x, validity: va, y, validity: vb, into: out) } }
                }
                XCTAssertEqual(values(orOut, orValidity), zip(sa, sb).map(sqlOr), "OR n=\(n) \(hasA) \(hasB)")
                if let v = andValidity ?? orValidity {
                    XCTAssertEqual(v.count, n)
                    XCTAssertEqual(v.words.count, (n + 63) / 64)
                }
                let (_, notOut) = withOutput(n, fill: UInt8(9)) { out in a.withUnsafeBufferPointer { Kernels.not($0, into: out) } }
                XCTAssertEqual(values(notOut, va), sa.map { $0.map(!) }, "NOT n=\(n)")
                // Every byte stays 0 or 1, NULL rows included.
                XCTAssertTrue((andOut + orOut + notOut).allSatisfy { $0 <= 1 })
            }
        }
    }

    func testTruthTable() {
        // Rows: every pair of {true, false, NULL}.
        let trio: [Bool?] = [true, false, nil]
        var a: [UInt8] = [], b: [UInt8] = [], va: [Bool] = [], vb: [Bool] = []
        for x in trio {
            for y in trio {
                a.append(x == true ? 1 : 0)
                va.append(x != nil)
                b.append(y == true ? 1 : 0)
                vb.append(y != nil)
            }
        }
        let (v, out) = withOutput(9, fill: UInt8(0)) { o in
            a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in Kernels.and(x, validity: Bitmap(va), y, validity: Bitmap(vb), into: o) } }
        }
        XCTAssertEqual(values(out, v), [true, false, nil, false, false, false, nil, false, nil])
        let (v2, out2) = withOutput(9, fill: UInt8(0)) { o in
            a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in Kernels.or(x, validity: Bitmap(va), y, validity: Bitmap(vb), into: o) } }
        }
        XCTAssertEqual(values(out2, v2), [true, true, true, true, false, nil, true, nil, nil])
    }

    func testCountSet() {
        var rng = SplitMix64(seed: 62)
        for n in testLengths + [255 * 8 - 1, 255 * 8, 255 * 8 + 1, 5000, 100_000] {
            for density in [0.0, 0.5, 1.0] {
                let m = randomMask(n, &rng, density: density)
                XCTAssertEqual(m.withUnsafeBufferPointer(Kernels.countSet), m.reduce(0) { $0 + Int($1) }, "n=\(n) density=\(density)")
            }
        }
    }
}
