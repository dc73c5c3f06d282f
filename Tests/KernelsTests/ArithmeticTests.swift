import Columnar
import Kernels
import XCTest
import TestSupport

final class ArithmeticTests: XCTestCase {
    typealias Fault = Kernels.ArithmeticError

    /// Runs a throwing kernel into a fresh output; returns the output or the error.
    private func run<T>(_ n: Int, _ body: (UnsafeMutableBufferPointer<T>) throws(Fault) -> Void) -> Result<[T], Fault> where T: FixedWidthInteger {
        var out = [T](repeating: 0, count: n)
        do throws(Fault) {
            try out.withUnsafeMutableBufferPointer { (o) throws(Fault) in try body(o) }
            return .success(out)
        } catch {
            return .failure(error)
        }
    }

    private func runDouble(_ n: Int, _ body: (UnsafeMutableBufferPointer<Double>) throws(Fault) -> Void) -> Result<[Double], Fault> {
        var out = [Double](repeating: 0, count: n)
        do throws(Fault) {
            try out.withUnsafeMutableBufferPointer { (o) throws(Fault) in try body(o) }
            return .success(out)
        } catch {
            return .failure(error)
        }
    }

    /// The expected outcome: the first present row with a fault, else `value(i)` at every present row.
    private func expect<T>(
        _ n: Int, _ validity: Bitmap?, fault: (Int) -> Fault.Kind?, value: (Int) -> T
    ) -> Result<[T?], Fault> {
        for i in 0..<n where validity.map({ $0[i] }) ?? true {
            if let k = fault(i) { return .failure(Fault(k, row: i)) }
        }
        return .success((0..<n).map { i in validity.map({ $0[i] }) ?? true ? value(i) : nil })
    }

    private func assertSame<T: Equatable>(_ got: Result<[T], Fault>, _ want: Result<[T?], Fault>, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        switch (got, want) {
        case let (.success(g), .success(w)):
            XCTAssertEqual(g.count, w.count, what, file: file, line: line)
            for (i, (x, y)) in zip(g, w).enumerated() where y != nil && x != y! {
                XCTFail("\(what): row \(i) got \(x) want \(y!)", file: file, line: line)
                return
            }
        case let (.failure(g), .failure(w)):
            XCTAssertEqual(g, w, what, file: file, line: line)
        default:
            XCTFail("\(what): got \(got), want \(want)", file: file, line: line)
        }
    }

    private func checkIntegers<T: FixedWidthInteger & SignedInteger>(_: T.Type, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for n in testLengths + [3000] {
            for withNulls in [false, true] {
                let a: [T] = randomIntegers(n, &rng)
                var b: [T] = randomIntegers(n, &rng)
                if n > 0, rng.next() % 2 == 0 { b[Int(rng.next() % UInt64(n))] = 0 }
                let validity = withNulls ? randomValidity(n, &rng, density: 0.5) : nil
                let present = { (i: Int) in validity.map { $0[i] } ?? true }
                _ = present
                a.withUnsafeBufferPointer { x in
                    b.withUnsafeBufferPointer { y in
                        assertSame(run(n) { (o) throws(Fault) in try Kernels.add(x, y, into: o, validity: validity) },
                                   expect(n, validity, fault: { a[$0].addingReportingOverflow(b[$0]).overflow ? .overflow : nil }, value: { a[$0] &+ b[$0] }),
                                   "\(T.self) add n=\(n)")
                        assertSame(run(n) { (o) throws(Fault) in try Kernels.subtract(x, y, into: o, validity: validity) },
                                   expect(n, validity, fault: { a[$0].subtractingReportingOverflow(b[$0]).overflow ? .overflow : nil }, value: { a[$0] &- b[$0] }),
                                   "\(T.self) subtract n=\(n)")
                        assertSame(run(n) { (o) throws(Fault) in try Kernels.multiply(x, y, into: o, validity: validity) },
                                   expect(n, validity, fault: { a[$0].multipliedReportingOverflow(by: b[$0]).overflow ? .overflow : nil }, value: { a[$0] &* b[$0] }),
                                   "\(T.self) multiply n=\(n)")
                        assertSame(run(n) { (o) throws(Fault) in try Kernels.divide(x, y, into: o, validity: validity) },
                                   expect(n, validity, fault: { b[$0] == 0 ? .divisionByZero : (a[$0].dividedReportingOverflow(by: b[$0]).overflow ? .overflow : nil) },
                                          value: { a[$0].dividedReportingOverflow(by: b[$0]).partialValue }),
                                   "\(T.self) divide n=\(n)")
                        assertSame(run(n) { (o) throws(Fault) in try Kernels.remainder(x, y, into: o, validity: validity) },
                                   expect(n, validity, fault: { b[$0] == 0 ? .divisionByZero : nil },
                                          value: { b[$0] == -1 ? 0 : a[$0] % b[$0] }),
                                   "\(T.self) remainder n=\(n)")
                        assertSame(run(n) { (o) throws(Fault) in try Kernels.negate(x, into: o, validity: validity) },
                                   expect(n, validity, fault: { a[$0] == T.min ? .overflow : nil }, value: { 0 &- a[$0] }),
                                   "\(T.self) negate n=\(n)")
                        let scalars: [T] = [0, 1, -1, 2, -2, 7, -10, T.max, T.min, T.max / 2, T.min / 2 - 1]
                        for s in scalars {
                            assertSame(run(n) { (o) throws(Fault) in try Kernels.add(x, s, into: o, validity: validity) },
                                       expect(n, validity, fault: { a[$0].addingReportingOverflow(s).overflow ? .overflow : nil }, value: { a[$0] &+ s }),
                                       "\(T.self) add \(s) n=\(n)")
                            assertSame(run(n) { (o) throws(Fault) in try Kernels.subtract(x, s, into: o, validity: validity) },
                                       expect(n, validity, fault: { a[$0].subtractingReportingOverflow(s).overflow ? .overflow : nil }, value: { a[$0] &- s }),
                                       "\(T.self) subtract \(s) n=\(n)")
                            assertSame(run(n) { (o) throws(Fault) in try Kernels.subtract(s, x, into: o, validity: validity) },
                                       expect(n, validity, fault: { s.subtractingReportingOverflow(a[$0]).overflow ? .overflow : nil }, value: { s &- a[$0] }),
                                       "\(T.self) \(s) minus column n=\(n)")
                            assertSame(run(n) { (o) throws(Fault) in try Kernels.multiply(x, s, into: o, validity: validity) },
                                       expect(n, validity, fault: { a[$0].multipliedReportingOverflow(by: s).overflow ? .overflow : nil }, value: { a[$0] &* s }),
                                       "\(T.self) multiply \(s) n=\(n)")
                            assertSame(run(n) { (o) throws(Fault) in try Kernels.divide(x, s, into: o, validity: validity) },
                                       expect(n, validity, fault: { s == 0 ? .divisionByZero : (a[$0].dividedReportingOverflow(by: s).overflow ? .overflow : nil) },
                                              value: { a[$0].dividedReportingOverflow(by: s).partialValue }),
                                       "\(T.self) divide \(s) n=\(n)")
                            assertSame(run(n) { (o) throws(Fault) in try Kernels.remainder(x, s, into: o, validity: validity) },
                                       expect(n, validity, fault: { _ in s == 0 ? .divisionByZero : nil }, value: { s == -1 ? 0 : a[$0] % s }),
                                       "\(T.self) remainder \(s) n=\(n)")
                        }
                    }
                }
            }
        }
    }

    func testInt32() { checkIntegers(Int32.self, seed: 31) }
    func testInt64() { checkIntegers(Int64.self, seed: 32) }
    func testInt16AndInt8() {
        checkIntegers(Int16.self, seed: 33)
        checkIntegers(Int8.self, seed: 34)
    }

    func testOverflowEdgesAndInPlace() throws {
        // Int64.max + 1 fails at its row; a null row's overflow is ignored.
        var a: [Int64] = [1, .max, .max, 5]
        let b: [Int64] = [1, 0, 1, 1]
        let validity = Bitmap([true, true, false, true])
        let r = a.withUnsafeMutableBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                // In place: output aliases the left operand.
                Result { () throws(Fault) in try Kernels.add(UnsafeBufferPointer(x), y, into: x, validity: validity) }
            }
        }
        XCTAssertNoThrow(try r.get())
        XCTAssertEqual(a[0], 2)
        XCTAssertEqual(a[1], .max)
        XCTAssertEqual(a[3], 6)
        var fresh: [Int64] = [1, .max, .max, 5]
        let r2 = fresh.withUnsafeMutableBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                Result { () throws(Fault) in try Kernels.add(UnsafeBufferPointer(x), y, into: x, validity: nil) }
            }
        }
        XCTAssertEqual(r2.failure, Fault(.overflow, row: 2))
        // In place through the fused 64-bit multiply, then a fault it must place.
        var m: [Int64] = [3, -4, 5, 1 << 40]
        let mr = m.withUnsafeMutableBufferPointer { x in
            Result { () throws(Fault) in try Kernels.multiply(UnsafeBufferPointer(x), UnsafeBufferPointer(x), into: x) }
        }
        XCTAssertEqual(mr.failure, Fault(.overflow, row: 3))
        XCTAssertEqual(Array(m.prefix(3)), [9, 16, 25])
        var m32: [Int32] = [7, -7, 46341]
        let mr32 = m32.withUnsafeMutableBufferPointer { x in
            Result { () throws(Fault) in try Kernels.multiply(UnsafeBufferPointer(x), 2, into: x, validity: Bitmap([true, true, false])) }
        }
        XCTAssertNoThrow(try mr32.get())
        XCTAssertEqual(Array(m32.prefix(2)), [14, -14])
        // A fault far into a long input names its row exactly.
        var long = [Int64](repeating: 1, count: 5000)
        long[4321] = .min
        let r3 = run(5000) { (o: UnsafeMutableBufferPointer<Int64>) throws(Fault) in
            try long.withUnsafeBufferPointer { (x) throws(Fault) in try Kernels.negate(x, into: o) }
        }
        XCTAssertEqual(r3.failure, Fault(.overflow, row: 4321))
    }

    func testDivisionByZeroSkipsNullRows() {
        let a: [Int32] = [10, 20, 30]
        let b: [Int32] = [2, 0, 3]
        let ok = run(3) { (o: UnsafeMutableBufferPointer<Int32>) throws(Fault) in
            try a.withUnsafeBufferPointer { (x) throws(Fault) in
                try b.withUnsafeBufferPointer { (y) throws(Fault) in try Kernels.divide(x, y, into: o, validity: Bitmap([true, false, true])) }
            }
        }
        XCTAssertEqual(try ok.get()[0], 5)
        XCTAssertEqual(try ok.get()[2], 10)
        let bad = run(3) { (o: UnsafeMutableBufferPointer<Int32>) throws(Fault) in
            try a.withUnsafeBufferPointer { (x) throws(Fault) in
                try b.withUnsafeBufferPointer { (y) throws(Fault) in try Kernels.divide(x, y, into: o) }
            }
        }
        XCTAssertEqual(bad.failure, Fault(.divisionByZero, row: 1))
        XCTAssertEqual(Fault(.divisionByZero, row: 1).description, "division by zero at row 1")
    }

    func testRescale() {
        var rng = SplitMix64(seed: 41)
        for n in testLengths {
            let a: [Int64] = randomIntegers(n, &rng)
            let validity = n % 2 == 0 ? randomValidity(n, &rng) : nil
            for k in [-18, -5, -1, 0, 1, 2, 9, 18] {
                var f: Int64 = 1
                for _ in 0..<abs(k) { f *= 10 }
                let got = run(n) { (o: UnsafeMutableBufferPointer<Int64>) throws(Fault) in
                    try a.withUnsafeBufferPointer { (x) throws(Fault) in try Kernels.rescale(x, byPowerOfTen: k, into: o, validity: validity) }
                }
                let want: Result<[Int64?], Fault>
                if k >= 0 {
                    want = expect(n, validity, fault: { a[$0].multipliedReportingOverflow(by: f).overflow ? .overflow : nil }, value: { a[$0] &* f })
                } else {
                    want = expect(n, validity, fault: { _ in nil }) { i in
                        // Half away from zero, in exact Int128 arithmetic.
                        let v = Int128(a[i]), d = Int128(f)
                        let q = (2 * v.magnitude + UInt128(d)) / (2 * UInt128(d))
                        return Int64(v < 0 ? -Int128(q) : Int128(q))
                    }
                }
                assertSame(got, want, "rescale \(k) n=\(n)")
            }
        }
        let halves: [Int64] = [15, -15, 14, -14, 25, -25, 5, -5, 4]
        let got = run(halves.count) { (o: UnsafeMutableBufferPointer<Int64>) throws(Fault) in
            try halves.withUnsafeBufferPointer { (x) throws(Fault) in try Kernels.rescale(x, byPowerOfTen: -1, into: o) }
        }
        XCTAssertEqual(try got.get(), [2, -2, 1, -1, 3, -3, 1, -1, 0])
    }

    // MARK: Double (PostgreSQL float8 semantics)

    private func addFault(_ r: Double, _ a: Double, _ b: Double) -> Fault.Kind? {
        r.isInfinite && !a.isInfinite && !b.isInfinite ? .overflow : nil
    }

    private func mulFault(_ r: Double, _ a: Double, _ b: Double) -> Fault.Kind? {
        if r.isInfinite && !a.isInfinite && !b.isInfinite { return .overflow }
        if r == 0 && a != 0 && b != 0 { return .underflow }
        return nil
    }

    private func divFault(_ r: Double, _ a: Double, _ b: Double) -> Fault.Kind? {
        if b == 0 && !a.isNaN { return .divisionByZero }
        if r.isInfinite && !a.isInfinite { return .overflow }
        if r == 0 && a != 0 && !b.isInfinite { return .underflow }
        return nil
    }

    private func assertSameDoubles(_ got: Result<[Double], Fault>, _ want: Result<[Double?], Fault>, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        // Compare bit patterns so -0.0 counts; any NaN matches any NaN (which operand's
        // NaN an operation returns depends on instruction selection, and SQL has one NaN).
        func key(_ x: Double) -> UInt64 { x.isNaN ? Double.nan.bitPattern : x.bitPattern }
        assertSame(got.map { $0.map(key) }, want.map { $0.map { $0.map(key) } }, what, file: file, line: line)
    }

    func testDoubles() {
        var rng = SplitMix64(seed: 51)
        for n in testLengths + [3000] {
            for withNulls in [false, true] {
                var a: [Double] = randomFloats(n, &rng)
                var b: [Double] = randomFloats(n, &rng)
                // Mostly ordinary values so that runs without faults happen too.
                for i in 0..<n where rng.next() % 4 != 0 {
                    a[i] = Double(Int(rng.next() % 200) - 100) / 8
                    b[i] = Double(Int(rng.next() % 200) - 100) / 8
                }
                let validity = withNulls ? randomValidity(n, &rng, density: 0.3) : nil
                a.withUnsafeBufferPointer { x in
                    b.withUnsafeBufferPointer { y in
                        assertSameDoubles(runDouble(n) { (o) throws(Fault) in try Kernels.add(x, y, into: o, validity: validity) },
                                          expect(n, validity, fault: { addFault(a[$0] + b[$0], a[$0], b[$0]) }, value: { a[$0] + b[$0] }), "add n=\(n)")
                        assertSameDoubles(runDouble(n) { (o) throws(Fault) in try Kernels.subtract(x, y, into: o, validity: validity) },
                                          expect(n, validity, fault: { addFault(a[$0] - b[$0], a[$0], b[$0]) }, value: { a[$0] - b[$0] }), "subtract n=\(n)")
                        assertSameDoubles(runDouble(n) { (o) throws(Fault) in try Kernels.multiply(x, y, into: o, validity: validity) },
                                          expect(n, validity, fault: { mulFault(a[$0] * b[$0], a[$0], b[$0]) }, value: { a[$0] * b[$0] }), "multiply n=\(n)")
                        assertSameDoubles(runDouble(n) { (o) throws(Fault) in try Kernels.divide(x, y, into: o, validity: validity) },
                                          expect(n, validity, fault: { divFault(a[$0] / b[$0], a[$0], b[$0]) }, value: { a[$0] / b[$0] }), "divide n=\(n)")
                        for s in [0.0, -0.0, 1.5, -2, .infinity, .nan, .greatestFiniteMagnitude, .leastNonzeroMagnitude] {
                            assertSameDoubles(runDouble(n) { (o) throws(Fault) in try Kernels.add(x, s, into: o, validity: validity) },
                                              expect(n, validity, fault: { addFault(a[$0] + s, a[$0], s) }, value: { a[$0] + s }), "add \(s) n=\(n)")
                            assertSameDoubles(runDouble(n) { (o) throws(Fault) in try Kernels.subtract(x, s, into: o, validity: validity) },
                                              expect(n, validity, fault: { addFault(a[$0] - s, a[$0], s) }, value: { a[$0] - s }), "subtract \(s) n=\(n)")
                            assertSameDoubles(runDouble(n) { (o) throws(Fault) in try Kernels.subtract(s, x, into: o, validity: validity) },
                                              expect(n, validity, fault: { addFault(s - a[$0], s, a[$0]) }, value: { s - a[$0] }), "\(s) minus n=\(n)")
                            assertSameDoubles(runDouble(n) { (o) throws(Fault) in try Kernels.multiply(x, s, into: o, validity: validity) },
                                              expect(n, validity, fault: { mulFault(a[$0] * s, a[$0], s) }, value: { a[$0] * s }), "multiply \(s) n=\(n)")
                            assertSameDoubles(runDouble(n) { (o) throws(Fault) in try Kernels.divide(x, s, into: o, validity: validity) },
                                              expect(n, validity, fault: { divFault(a[$0] / s, a[$0], s) }, value: { a[$0] / s }), "divide \(s) n=\(n)")
                        }
                        let (_, neg) = withOutput(n, fill: 0.0) { Kernels.negate(x, into: $0) }
                        XCTAssertEqual(neg.map { $0.isNaN ? 0 : $0.bitPattern }, a.map { $0.isNaN ? 0 : (-$0).bitPattern })
                    }
                }
            }
        }
    }

    func testDoubleDivisionByZero() {
        let a: [Double] = [1, .nan, 0]
        let b: [Double] = [2, 0, 0]
        let r = runDouble(3) { (o) throws(Fault) in
            try a.withUnsafeBufferPointer { (x) throws(Fault) in try b.withUnsafeBufferPointer { (y) throws(Fault) in try Kernels.divide(x, y, into: o) } }
        }
        // NaN / 0 is NaN (PostgreSQL), 0 / 0 is an error.
        XCTAssertEqual(r.failure, Fault(.divisionByZero, row: 2))
    }
}

extension Result {
    var failure: Failure? {
        if case let .failure(e) = self { return e }
        return nil
    }
}
