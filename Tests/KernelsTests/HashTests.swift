import Columnar
import Kernels
import XCTest
import TestSupport

final class HashTests: XCTestCase {
    func testWyhashReferenceVectors() {
        // wyhash final 4 with its default secret (the reference's test_vector.cpp: seed = index).
        let vectors: [(String, UInt64, UInt64)] = [
            ("", 0, 0x0409_638E_E2BD_E459),
            ("a", 1, 0xA841_2D09_1B5F_E0A9),
            ("abc", 2, 0x32DD_92E4_B291_5153),
            ("message digest", 3, 0x8619_1240_89A3_A16B),
            ("abcdefghijklmnopqrstuvwxyz", 4, 0x7A43_AFB6_1D7F_5F40),
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 5, 0xFF42_329B_90E5_0D58),
            ("12345678901234567890123456789012345678901234567890123456789012345678901234567890", 6, 0xC39C_AB13_B115_AAD3),
        ]
        for (text, seed, want) in vectors {
            let bytes = Array(text.utf8)
            let got = bytes.withUnsafeBytes { Kernels.hash(bytes: $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: $0.count, seed: seed) }
            XCTAssertEqual(got, want, "\"\(text)\"")
        }
    }

    func testIntegerWidthsAgree() {
        var rng = SplitMix64(seed: 121)
        for _ in 0..<1000 {
            let x = Int32(truncatingIfNeeded: rng.next())
            let h = Kernels.hash(integer: Int64(x))
            XCTAssertEqual(Kernels.hash(integer: x), h)
            XCTAssertEqual(Kernels.hash(integer: Int128(x)), h)
            let small = Int8(truncatingIfNeeded: x)
            XCTAssertEqual(Kernels.hash(integer: small), Kernels.hash(integer: Int64(small)))
            let u = UInt32(truncatingIfNeeded: x)
            XCTAssertEqual(Kernels.hash(integer: u), Kernels.hash(integer: UInt64(u)))
        }
        // Wide decimals outside Int64 hash distinctly from their halves.
        let wide = Int128(Int64.max) * 1000 + 7
        XCTAssertNotEqual(Kernels.hash(integer: wide), Kernels.hash(integer: Int64(truncatingIfNeeded: wide)))
        XCTAssertNotEqual(Kernels.hash(integer: wide), Kernels.hash(integer: -wide))
    }

    func testFloatsHashBySQLValue() {
        XCTAssertEqual(Kernels.hash(float: 0.0), Kernels.hash(float: -0.0))
        XCTAssertEqual(Kernels.hash(float: Double.nan), Kernels.hash(float: -Double.nan))
        XCTAssertEqual(Kernels.hash(float: Double(bitPattern: 0x7FF0_0000_0000_0001)), Kernels.hash(float: Double.nan))  // signalling payload
        XCTAssertEqual(Kernels.hash(float: Float(1.5)), Kernels.hash(float: 1.5))
        XCTAssertEqual(Kernels.hash(float: Float.nan), Kernels.hash(float: Double.nan))
        XCTAssertNotEqual(Kernels.hash(float: 1.0), Kernels.hash(float: -1.0))
        XCTAssertNotEqual(Kernels.hash(float: Double.infinity), Kernels.hash(float: Double.nan))
    }

    func testColumnsMatchScalarsAndNulls() {
        var rng = SplitMix64(seed: 122)
        for n in testLengths {
            let ints: [Int32] = randomIntegers(n, &rng)
            let dbls: [Double] = randomFloats(n, &rng)
            let strs = randomStrings(n, &rng, maxLength: 70)
            let (offsets, data) = packStrings(strs)
            for validity in [nil, randomValidity(n, &rng, density: 0.5)] {
                let present = { (i: Int) in validity.map { $0[i] } ?? true }
                let wantInts = (0..<n).map { present($0) ? Kernels.hash(integer: ints[$0]) : Kernels.nullHash }
                let wantDbls = (0..<n).map { present($0) ? Kernels.hash(float: dbls[$0]) : Kernels.nullHash }
                let wantStrs = (0..<n).map { i in present(i) ? strs[i].withUnsafeBytes { Kernels.hash(bytes: $0) } : Kernels.nullHash }
                let (_, hi) = withOutput(n, fill: UInt64(0)) { out in ints.withUnsafeBufferPointer { Kernels.hash($0, validity: validity, into: out) } }
                let (_, hd) = withOutput(n, fill: UInt64(0)) { out in dbls.withUnsafeBufferPointer { Kernels.hash($0, validity: validity, into: out) } }
                let (_, hs) = withOutput(n, fill: UInt64(0)) { out in
                    offsets.withUnsafeBufferPointer { o in data.withUnsafeBufferPointer { Kernels.hash(offsets: o, data: $0, validity: validity, into: out) } }
                }
                XCTAssertEqual(hi, wantInts, "ints n=\(n)")
                XCTAssertEqual(hd, wantDbls, "doubles n=\(n)")
                XCTAssertEqual(hs, wantStrs, "strings n=\(n)")

                // A three-column key, fused and unfused.
                var fused = hi
                fused.withUnsafeMutableBufferPointer { h in
                    dbls.withUnsafeBufferPointer { Kernels.hash($0, validity: validity, combiningInto: h) }
                    offsets.withUnsafeBufferPointer { o in data.withUnsafeBufferPointer { Kernels.hash(offsets: o, data: $0, validity: validity, combiningInto: h) } }
                }
                var unfused = hi
                unfused.withUnsafeMutableBufferPointer { h in
                    hd.withUnsafeBufferPointer { Kernels.combine(h, with: $0) }
                    hs.withUnsafeBufferPointer { Kernels.combine(h, with: $0) }
                }
                XCTAssertEqual(fused, unfused)
                XCTAssertEqual(fused, (0..<n).map { Kernels.combine(Kernels.combine(wantInts[$0], wantDbls[$0]), wantStrs[$0]) })
                var fusedInts = [UInt64](repeating: 5, count: n)
                fusedInts.withUnsafeMutableBufferPointer { h in ints.withUnsafeBufferPointer { Kernels.hash($0, validity: validity, combiningInto: h) } }
                XCTAssertEqual(fusedInts, wantInts.map { Kernels.combine(5, $0) })
            }
        }
    }

    func testCombineIsOrderSensitive() {
        let a = Kernels.hash(integer: 1 as Int64), b = Kernels.hash(integer: 2 as Int64)
        XCTAssertNotEqual(Kernels.combine(a, b), Kernels.combine(b, a))
        XCTAssertNotEqual(Kernels.combine(Kernels.nullHash, a), Kernels.combine(a, Kernels.nullHash))
    }

    /// No 64-bit collisions, and the low bits (a table's bucket index) spread evenly.
    private func assertWellSpread(_ hashes: [UInt64], _ what: String) {
        XCTAssertEqual(Set(hashes).count, hashes.count, "\(what): collisions")
        let buckets = 1024
        var counts = [Int](repeating: 0, count: buckets)
        for h in hashes { counts[Int(h & UInt64(buckets - 1))] += 1 }
        let expected = Double(hashes.count) / Double(buckets)
        let chi2 = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        // 1023 degrees of freedom: mean 1023, sd ~45; 1300 is > 6 sd.
        XCTAssertLessThan(chi2, 1300, "\(what): low bits uneven (chi2 \(chi2))")
        var high = [Int](repeating: 0, count: buckets)
        for h in hashes { high[Int(h >> 54)] += 1 }
        let chi2High = high.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        XCTAssertLessThan(chi2High, 1300, "\(what): high bits uneven (chi2 \(chi2High))")
    }

    func testDistribution() {
        let n = 200_000
        // Sequential keys, strided keys, and short similar strings: the usual worst cases.
        assertWellSpread((0..<n).map { Kernels.hash(integer: Int64($0)) }, "sequential ints")
        assertWellSpread((0..<n).map { Kernels.hash(integer: Int64($0) << 20) }, "strided ints")
        assertWellSpread((0..<n).map { Kernels.hash(float: Double($0) / 4) }, "doubles")
        let strings = (0..<n).map { Array("key-\($0)".utf8) }
        assertWellSpread(strings.map { s in s.withUnsafeBytes { Kernels.hash(bytes: $0.baseAddress!, count: $0.count) } }, "short strings")
        let long = (0..<20_000).map { Array((String(repeating: "x", count: 50) + "\($0)").utf8) }
        let longHashes = long.map { s in s.withUnsafeBytes { Kernels.hash(bytes: $0.baseAddress!, count: $0.count) } }
        XCTAssertEqual(Set(longHashes).count, longHashes.count)
        // Two-column keys (i, j) over a grid.
        var pairs: [UInt64] = []
        for i in 0..<400 { for j in 0..<500 { pairs.append(Kernels.combine(Kernels.hash(integer: Int64(i)), Kernels.hash(integer: Int64(j)))) } }
        assertWellSpread(pairs, "pairs")
    }

    func testAvalanche() {
        // Flipping one input bit flips about half the output bits.
        var rng = SplitMix64(seed: 123)
        var total = 0, trials = 0
        for _ in 0..<2000 {
            let x = rng.next(), bit = rng.next() % 64
            total += (Kernels.hash(x) ^ Kernels.hash(x ^ (1 << bit))).nonzeroBitCount
            var bytes = (0..<16).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let h1 = bytes.withUnsafeBytes { Kernels.hash(bytes: $0.baseAddress!, count: 16) }
            bytes[Int(bit % 16)] ^= 1 << (bit % 8)
            let h2 = bytes.withUnsafeBytes { Kernels.hash(bytes: $0.baseAddress!, count: 16) }
            total += (h1 ^ h2).nonzeroBitCount
            trials += 2
        }
        let mean = Double(total) / Double(trials)
        XCTAssertEqual(mean, 32, accuracy: 1.0)
    }
}
