import Columnar
import Kernels
import XCTest
import TestSupport

final class CompareTests: XCTestCase {

    private func checkIntegers<T: FixedWidthInteger>(_: T.Type, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for n in testLengths {
            let a: [T] = randomIntegers(n, &rng)
            let b: [T] = randomIntegers(n, &rng)
            let scalars: [T] = [0, T.min, T.max, a.first ?? 1, T(truncatingIfNeeded: 3)]
            for op in Kernels.CompareOp.allCases {
                for s in scalars {
                    let (_, got) = withOutput(n, fill: UInt8(7)) { out in
                        a.withUnsafeBufferPointer { Kernels.compare($0, op, s, into: out) }
                    }
                    let want = a.map { UInt8(op.holds($0 < s ? -1 : ($0 == s ? 0 : 1)) ? 1 : 0) }
                    XCTAssertEqual(got, want, "\(T.self) \(op) scalar \(s) n=\(n)")
                }
                let (_, got) = withOutput(n, fill: UInt8(7)) { out in
                    a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in Kernels.compare(x, op, y, into: out) } }
                }
                let want = zip(a, b).map { UInt8(op.holds($0 < $1 ? -1 : ($0 == $1 ? 0 : 1)) ? 1 : 0) }
                XCTAssertEqual(got, want, "\(T.self) \(op) column n=\(n)")
            }
            let bounds: [(T, T)] = [(T.min, T.max), (0, 5), (T(truncatingIfNeeded: -3), 3), (5, 0), (T.max, T.max), (T.min, T.min)]
            for (lo, hi) in bounds {
                let (_, got) = withOutput(n, fill: UInt8(7)) { out in
                    a.withUnsafeBufferPointer { Kernels.between($0, lo, hi, into: out) }
                }
                XCTAssertEqual(got, a.map { lo <= $0 && $0 <= hi ? 1 : 0 }, "\(T.self) between \(lo) \(hi) n=\(n)")
            }
        }
    }

    func testIntegerTypes() {
        checkIntegers(Int8.self, seed: 1)
        checkIntegers(Int16.self, seed: 2)
        checkIntegers(Int32.self, seed: 3)
        checkIntegers(Int64.self, seed: 4)
        checkIntegers(UInt8.self, seed: 5)
        checkIntegers(UInt16.self, seed: 6)
        checkIntegers(UInt32.self, seed: 7)
        checkIntegers(UInt64.self, seed: 8)
        checkIntegers(Int128.self, seed: 9)
    }

    private func checkFloats<T: BinaryFloatingPoint>(_: T.Type, seed: UInt64) where T.RawSignificand: FixedWidthInteger {
        var rng = SplitMix64(seed: seed)
        for n in testLengths {
            let a: [T] = randomFloats(n, &rng)
            let b: [T] = randomFloats(n, &rng)
            let scalars: [T] = [T.nan, -T.nan, 0, -0.0, 1, -T.infinity, T.infinity, 0.5]
            for op in Kernels.CompareOp.allCases {
                for s in scalars {
                    let (_, got) = withOutput(n, fill: UInt8(7)) { out in
                        a.withUnsafeBufferPointer { Kernels.compare($0, op, s, into: out) }
                    }
                    let want = a.map { UInt8(op.holds(referenceCompareFloat($0, s)) ? 1 : 0) }
                    XCTAssertEqual(got, want, "\(T.self) \(op) scalar \(s) n=\(n)")
                }
                let (_, got) = withOutput(n, fill: UInt8(7)) { out in
                    a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in Kernels.compare(x, op, y, into: out) } }
                }
                let want = zip(a, b).map { UInt8(op.holds(referenceCompareFloat($0, $1)) ? 1 : 0) }
                XCTAssertEqual(got, want, "\(T.self) \(op) column n=\(n)")
            }
            let bounds: [(T, T)] = [(-1, 1), (T.nan, T.nan), (0, T.nan), (T.nan, 0), (1, -1), (-T.infinity, T.infinity), (-0.0, 0)]
            for (lo, hi) in bounds {
                let (_, got) = withOutput(n, fill: UInt8(7)) { out in
                    a.withUnsafeBufferPointer { Kernels.between($0, lo, hi, into: out) }
                }
                let want = a.map { UInt8(referenceCompareFloat(lo, $0) <= 0 && referenceCompareFloat($0, hi) <= 0 ? 1 : 0) }
                XCTAssertEqual(got, want, "\(T.self) between \(lo) \(hi) n=\(n)")
            }
        }
    }

    func testFloatTypesUseSQLOrder() {
        checkFloats(Float.self, seed: 11)
        checkFloats(Double.self, seed: 12)
    }

    func testFloatEdgeCases() {
        let a: [Double] = [.nan, -0.0, 0.0, -.infinity, .infinity, 1]
        func run(_ op: Kernels.CompareOp, _ s: Double) -> [UInt8] {
            withOutput(a.count, fill: UInt8(7)) { out in a.withUnsafeBufferPointer { Kernels.compare($0, op, s, into: out) } }.1
        }
        XCTAssertEqual(run(.equal, .nan), [1, 0, 0, 0, 0, 0])  // NaN = NaN
        XCTAssertEqual(run(.greater, .infinity), [1, 0, 0, 0, 0, 0])  // NaN > +inf
        XCTAssertEqual(run(.equal, 0.0), [0, 1, 1, 0, 0, 0])  // -0 = +0
        XCTAssertEqual(run(.less, .nan), [0, 1, 1, 1, 1, 1])
    }

    func testByteStrings() {
        var rng = SplitMix64(seed: 21)
        for n in testLengths {
            let strings = randomStrings(n, &rng)
            let other = randomStrings(n, &rng)
            let (offsets, data) = packStrings(strings)
            let (bOffsets, bData) = packStrings(other)
            let scalars: [[UInt8]] = [[], [0x41], [0x41, 0x42], strings.first ?? [0x61], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], Array(repeating: 0x41, count: 12)]
            offsets.withUnsafeBufferPointer { off in
                data.withUnsafeBufferPointer { d in
                    for op in Kernels.CompareOp.allCases {
                        for s in scalars {
                            let (_, got) = withOutput(n, fill: UInt8(7)) { out in
                                s.withUnsafeBufferPointer { Kernels.compare(offsets: off, data: d, op, $0, into: out) }
                            }
                            XCTAssertEqual(got, strings.map { op.holds(referenceCompareBytes($0, s)) ? 1 : 0 }, "\(op) \(s) n=\(n)")
                        }
                        let (_, got) = withOutput(n, fill: UInt8(7)) { out in
                            bOffsets.withUnsafeBufferPointer { bo in
                                bData.withUnsafeBufferPointer { bd in
                                    Kernels.compare(offsets: off, data: d, op, offsets: bo, data: bd, into: out)
                                }
                            }
                        }
                        XCTAssertEqual(got, zip(strings, other).map { op.holds(referenceCompareBytes($0, $1)) ? 1 : 0 }, "\(op) columns n=\(n)")
                    }
                    for (lo, hi) in [([0x41], [0x61]), ([], [0xFF]), ([0x61], [0x41]), ([0x41, 0x42], [0x41, 0x42])] as [([UInt8], [UInt8])] {
                        let (_, got) = withOutput(n, fill: UInt8(7)) { out in
                            lo.withUnsafeBufferPointer { l in hi.withUnsafeBufferPointer { h in Kernels.between(offsets: off, data: d, l, h, into: out) } }
                        }
                        let want = strings.map { UInt8(referenceCompareBytes(lo, $0) <= 0 && referenceCompareBytes($0, hi) <= 0 ? 1 : 0) }
                        XCTAssertEqual(got, want, "between n=\(n)")
                    }
                }
            }
        }
    }

    func testLongSharedPrefixes() {
        // Differences past the first eight-byte word, and in the high bit (unsigned order).
        let base = [UInt8](repeating: 0x55, count: 40)
        var strings: [[UInt8]] = []
        for i in [0, 7, 8, 9, 15, 16, 31, 39] {
            var s = base
            s[i] = 0x80
            strings.append(s)
            s[i] = 0x10
            strings.append(s)
        }
        strings.append(base)
        strings.append(Array(base.prefix(17)))
        let (offsets, data) = packStrings(strings)
        for op in Kernels.CompareOp.allCases {
            let (_, got) = withOutput(strings.count, fill: UInt8(7)) { out in
                offsets.withUnsafeBufferPointer { o in data.withUnsafeBufferPointer { d in base.withUnsafeBufferPointer { Kernels.compare(offsets: o, data: d, op, $0, into: out) } } }
            }
            XCTAssertEqual(got, strings.map { op.holds(referenceCompareBytes($0, base)) ? 1 : 0 }, "\(op)")
        }
    }

    func testOperatorAlgebra() {
        for op in Kernels.CompareOp.allCases {
            XCTAssertEqual(op.swapped.swapped, op)
            XCTAssertEqual(op.negated.negated, op)
            for c in [-1, 0, 1] {
                XCTAssertEqual(op.holds(c), !op.negated.holds(c))
                XCTAssertEqual(op.holds(c), op.swapped.holds(-c))
            }
        }
    }
}
