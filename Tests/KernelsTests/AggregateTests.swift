import Columnar
import Kernels
import XCTest
import TestSupport

final class AggregateTests: XCTestCase {
    /// The rows an aggregate reads: the selection (or all rows), keeping present ones.
    private func chosen(_ n: Int, _ validity: Bitmap?, _ selection: [Int32]?) -> [Int] {
        (selection.map { $0.map(Int.init) } ?? Array(0..<n)).filter { row in validity.map { $0[row] } ?? true }
    }

    /// Every (validity, selection) combination for `n` rows.
    private func shapes(_ n: Int, _ rng: inout SplitMix64) -> [(Bitmap?, [Int32]?)] {
        let sel = (0..<n).filter { _ in rng.next() % 3 != 0 }.map(Int32.init)
        let sparse = (0..<n).filter { _ in rng.next() % 10 == 0 }.map(Int32.init)
        return [
            (nil, nil),
            (randomValidity(n, &rng, density: 0.6), nil),
            (Bitmap(repeating: true, count: n), nil),
            (Bitmap(repeating: false, count: n), nil),
            (randomValidity(n, &rng, density: 0.95), nil),  // long runs of full words
            (nil, sel),
            (randomValidity(n, &rng, density: 0.5), sel),
            (randomValidity(n, &rng, density: 0.5), sparse),
        ]
    }

    private func withSelection<R>(_ s: [Int32]?, _ body: (UnsafeBufferPointer<Int32>?) -> R) -> R {
        guard let s else { return body(nil) }
        return s.withUnsafeBufferPointer { body($0) }
    }

    func testSumInt64IsExact() {
        var rng = SplitMix64(seed: 81)
        for n in testLengths + [5000] {
            let a: [Int64] = randomIntegers(n, &rng)
            for (v, s) in shapes(n, &rng) {
                let rows = chosen(n, v, s)
                let want: Int128? = rows.isEmpty ? nil : rows.reduce(Int128(0)) { $0 + Int128(a[$1]) }
                let got = a.withUnsafeBufferPointer { x in withSelection(s) { Kernels.sum(x, validity: v, selection: $0) } }
                XCTAssertEqual(got, want, "n=\(n)")
            }
        }
        // Sums that overflow Int64 are exact.
        let big = [Int64](repeating: .max, count: 1000) + [Int64](repeating: .min, count: 10)
        XCTAssertEqual(big.withUnsafeBufferPointer { Kernels.sum($0) }, Int128(Int64.max) * 1000 + Int128(Int64.min) * 10)
        let none: [Int64] = []
        XCTAssertNil(none.withUnsafeBufferPointer { Kernels.sum($0) })
    }

    func testSumInt32() {
        var rng = SplitMix64(seed: 82)
        for n in testLengths + [5000] {
            let a: [Int32] = randomIntegers(n, &rng)
            for (v, s) in shapes(n, &rng) {
                let rows = chosen(n, v, s)
                let want: Int64? = rows.isEmpty ? nil : rows.reduce(Int64(0)) { $0 + Int64(a[$1]) }
                let got = a.withUnsafeBufferPointer { x in withSelection(s) { Kernels.sum(x, validity: v, selection: $0) } }
                XCTAssertEqual(got, want, "n=\(n)")
            }
        }
    }

    func testSumDouble() {
        var rng = SplitMix64(seed: 83)
        for n in testLengths + [5000] {
            let a: [Double] = (0..<n).map { _ in Double(Int64(rng.next() % 2_000_001) - 1_000_000) / 1024 }
            for (v, s) in shapes(n, &rng) {
                let rows = chosen(n, v, s)
                let got = a.withUnsafeBufferPointer { x in withSelection(s) { Kernels.sum(x, validity: v, selection: $0) } }
                if rows.isEmpty {
                    XCTAssertNil(got)
                } else {
                    // Multiples of 1/1024 below 2^20 add exactly in any order.
                    XCTAssertEqual(got, rows.reduce(0.0) { $0 + a[$1] }, "n=\(n)")
                }
            }
        }
        // NaN and infinities propagate; -0.0 alone stays -0.0 (nulls add nothing).
        let special: [Double] = [1, .nan, 2]
        XCTAssertTrue(special.withUnsafeBufferPointer { Kernels.sum($0) }!.isNaN)
        let negZero: [Double] = [-0.0, 5, -0.0]
        let onlyNegZero = Bitmap([true, false, true])
        XCTAssertEqual(negZero.withUnsafeBufferPointer { Kernels.sum($0, validity: onlyNegZero) }?.sign, .minus)
        let sel: [Int32] = [0, 1, 2]
        XCTAssertEqual(negZero.withUnsafeBufferPointer { x in sel.withUnsafeBufferPointer { Kernels.sum(x, validity: onlyNegZero, selection: $0) } }?.sign, .minus)
        let many = [Double](repeating: -0.0, count: 100)
        XCTAssertEqual(many.withUnsafeBufferPointer { Kernels.sum($0) }?.sign, .minus)
    }

    private func checkIntegerMinMax<T: FixedWidthInteger>(_: T.Type, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for n in testLengths + [5000] {
            let a: [T] = randomIntegers(n, &rng)
            for (v, s) in shapes(n, &rng) {
                let rows = chosen(n, v, s)
                let (lo, hi) = a.withUnsafeBufferPointer { x in
                    withSelection(s) { (Kernels.min(x, validity: v, selection: $0), Kernels.max(x, validity: v, selection: $0)) }
                }
                XCTAssertEqual(lo, rows.map { a[$0] }.min(), "\(T.self) min n=\(n)")
                XCTAssertEqual(hi, rows.map { a[$0] }.max(), "\(T.self) max n=\(n)")
                XCTAssertEqual(withSelection(s) { Kernels.countPresent(count: n, validity: v, selection: $0) }, rows.count)
                if s == nil {
                    let mm = a.withUnsafeBufferPointer { Kernels.minMax($0, validity: v) }
                    XCTAssertEqual(mm?.min, rows.map { a[$0] }.min())
                    XCTAssertEqual(mm?.max, rows.map { a[$0] }.max())
                }
            }
        }
    }

    func testIntegerMinMax() {
        checkIntegerMinMax(Int8.self, seed: 84)
        checkIntegerMinMax(Int32.self, seed: 85)
        checkIntegerMinMax(Int64.self, seed: 86)
        checkIntegerMinMax(UInt16.self, seed: 87)
        checkIntegerMinMax(UInt64.self, seed: 88)
        checkIntegerMinMax(Int128.self, seed: 89)
    }

    func testCountPresentWithSelection() {
        var rng = SplitMix64(seed: 90)
        for n in testLengths {
            for (v, s) in shapes(n, &rng) {
                let got = withSelection(s) { Kernels.countPresent(count: n, validity: v, selection: $0) }
                XCTAssertEqual(got, chosen(n, v, s).count)
            }
        }
    }

    /// SQL min/max of floats: NaN greatest.
    private func sqlMin<T: BinaryFloatingPoint>(_ xs: [T]) -> T? {
        xs.min { referenceCompareFloat($0, $1) < 0 }
    }

    private func sqlMax<T: BinaryFloatingPoint>(_ xs: [T]) -> T? {
        xs.max { referenceCompareFloat($0, $1) < 0 }
    }

    private func checkFloatMinMax<T: BinaryFloatingPoint & SIMDScalar>(_: T.Type, seed: UInt64) where T.RawSignificand: FixedWidthInteger {
        var rng = SplitMix64(seed: seed)
        for n in testLengths + [5000] {
            for style in 0..<3 {
                var a: [T] = randomFloats(n, &rng)
                if style == 1 { a = a.map { $0.isNaN ? 1 : $0 } }  // no NaN
                if style == 2 { a = a.map { _ in rng.next() % 3 == 0 ? T.infinity : T.nan } }  // only +inf and NaN
                for (v, s) in shapes(n, &rng) {
                    let rows = chosen(n, v, s).map { a[$0] }
                    let (lo, hi) = a.withUnsafeBufferPointer { x in
                        withSelection(s) { (Kernels.min(x, validity: v, selection: $0), Kernels.max(x, validity: v, selection: $0)) }
                    }
                    let wantLo = sqlMin(rows), wantHi = sqlMax(rows)
                    XCTAssertEqual(lo == nil, wantLo == nil)
                    XCTAssertEqual(hi == nil, wantHi == nil)
                    if let lo, let wantLo { XCTAssertEqual(referenceCompareFloat(lo, wantLo), 0, "\(T.self) min n=\(n) style=\(style): \(lo) vs \(wantLo)") }
                    if let hi, let wantHi { XCTAssertEqual(referenceCompareFloat(hi, wantHi), 0, "\(T.self) max n=\(n) style=\(style): \(hi) vs \(wantHi)") }
                }
            }
        }
    }

    func testFloatMinMaxSQLOrder() {
        checkFloatMinMax(Float.self, seed: 91)
        checkFloatMinMax(Double.self, seed: 92)
        let a: [Double] = [3, .nan, -1]
        XCTAssertEqual(a.withUnsafeBufferPointer { Kernels.min($0) }, -1)
        XCTAssertTrue(a.withUnsafeBufferPointer { Kernels.max($0) }!.isNaN)
        let nans: [Double] = [.nan, .nan]
        XCTAssertTrue(nans.withUnsafeBufferPointer { Kernels.min($0) }!.isNaN)
    }

    func testMinMaxKeepsComparableSemantics() {
        // The Parquet writer's entry point: IEEE order through Comparable, validity honoured.
        let a: [Double] = [2, -0.0, 5, 1]
        XCTAssertEqual(a.withUnsafeBufferPointer { Kernels.minMax($0, validity: nil) }?.max, 5)
        XCTAssertEqual(a.withUnsafeBufferPointer { Kernels.minMax($0, validity: Bitmap([true, false, false, true])) }?.min, 1)
        XCTAssertNil(a.withUnsafeBufferPointer { Kernels.minMax($0, validity: Bitmap(repeating: false, count: 4)) })
        let u: [UInt32] = [.max, 0, 7]
        XCTAssertEqual(u.withUnsafeBufferPointer { Kernels.minMax($0, validity: nil) }?.min, 0)
        XCTAssertEqual(u.withUnsafeBufferPointer { Kernels.minMax($0, validity: nil) }?.max, .max)
    }

    // MARK: grouped

    func testGroupedAggregates() {
        var rng = SplitMix64(seed: 93)
        for n in testLengths + [5000] {
            let groups = 1 + Int(rng.next() % 17)
            let i64: [Int64] = randomIntegers(n, &rng)
            let i32: [Int32] = randomIntegers(n, &rng)
            let dbl: [Double] = (0..<n).map { _ in Double(Int(rng.next() % 2001) - 1000) / 4 }
            let flt: [Float] = randomFloats(n, &rng)
            for (v, s) in shapes(n, &rng) {
                let inputRows = s.map { $0.map(Int.init) } ?? Array(0..<n)
                let gids = inputRows.map { _ in Int32(rng.next() % UInt64(groups)) }
                let present = { (row: Int) in v.map { $0[row] } ?? true }

                var sum64 = [Int128](repeating: 0, count: groups)
                var sum32 = [Int64](repeating: 0, count: groups)
                var sumD = [Double](repeating: 0, count: groups)
                var counts = [Int64](repeating: 0, count: groups)
                var min64 = [Int64](repeating: .max, count: groups)
                var max32 = [Int32](repeating: .min, count: groups)
                var minF = [Float](repeating: .nan, count: groups)
                var maxF = [Float](repeating: -.infinity, count: groups)
                gids.withUnsafeBufferPointer { g in
                    withSelection(s) { sel in
                        i64.withUnsafeBufferPointer { x in
                            sum64.withUnsafeMutableBufferPointer { Kernels.groupedSum(x, groupIDs: g, validity: v, selection: sel, into: $0) }
                            min64.withUnsafeMutableBufferPointer { Kernels.groupedMin(x, groupIDs: g, validity: v, selection: sel, into: $0) }
                        }
                        i32.withUnsafeBufferPointer { x in
                            sum32.withUnsafeMutableBufferPointer { Kernels.groupedSum(x, groupIDs: g, validity: v, selection: sel, into: $0) }
                            max32.withUnsafeMutableBufferPointer { Kernels.groupedMax(x, groupIDs: g, validity: v, selection: sel, into: $0) }
                        }
                        dbl.withUnsafeBufferPointer { x in
                            sumD.withUnsafeMutableBufferPointer { Kernels.groupedSum(x, groupIDs: g, validity: v, selection: sel, into: $0) }
                        }
                        flt.withUnsafeBufferPointer { x in
                            minF.withUnsafeMutableBufferPointer { Kernels.groupedMin(x, groupIDs: g, validity: v, selection: sel, into: $0) }
                            maxF.withUnsafeMutableBufferPointer { Kernels.groupedMax(x, groupIDs: g, validity: v, selection: sel, into: $0) }
                        }
                        counts.withUnsafeMutableBufferPointer { Kernels.groupedCount(count: n, groupIDs: g, validity: v, selection: sel, into: $0) }
                    }
                }
                for grp in 0..<groups {
                    let rows = inputRows.indices.filter { gids[$0] == Int32(grp) }.map { inputRows[$0] }.filter(present)
                    XCTAssertEqual(sum64[grp], rows.reduce(Int128(0)) { $0 + Int128(i64[$1]) }, "sum64 n=\(n) g=\(grp)")
                    XCTAssertEqual(sum32[grp], rows.reduce(Int64(0)) { $0 + Int64(i32[$1]) }, "sum32 n=\(n)")
                    XCTAssertEqual(sumD[grp], rows.reduce(0.0) { $0 + dbl[$1] }, "sumD n=\(n)")
                    XCTAssertEqual(counts[grp], Int64(rows.count), "count n=\(n)")
                    XCTAssertEqual(min64[grp], rows.map { i64[$0] }.min() ?? .max, "min64 n=\(n)")
                    XCTAssertEqual(max32[grp], rows.map { i32[$0] }.max() ?? .min, "max32 n=\(n)")
                    let wantMinF = sqlMin(rows.map { flt[$0] }) ?? .nan
                    let wantMaxF = sqlMax(rows.map { flt[$0] }) ?? -.infinity
                    XCTAssertEqual(referenceCompareFloat(minF[grp], wantMinF), 0, "minF n=\(n): \(minF[grp]) vs \(wantMinF)")
                    XCTAssertEqual(referenceCompareFloat(maxF[grp], wantMaxF), 0, "maxF n=\(n): \(maxF[grp]) vs \(wantMaxF)")
                }
            }
        }
    }
}
