import XCTest
import TestSupport
import PGWire

/// Binary array parameters (array_send's form) turned into the array text the engine binds.
final class ParameterTextTests: XCTestCase {
    /// array_send's bytes: dimensions, has-nulls, element OID, (length, lower bound) per
    /// dimension, then each element's length (-1: NULL) and bytes.
    private func arrayBytes(_ dims: [Int32], oid: Int32, _ elements: [[UInt8]?]) -> [UInt8] {
        var out: [UInt8] = []
        func int32(_ v: Int32) { withUnsafeBytes(of: v.bigEndian) { out += $0 } }
        int32(Int32(dims.count))
        int32(elements.contains { $0 == nil } ? 1 : 0)
        int32(oid)
        for d in dims { int32(d); int32(1) }
        for e in elements {
            if let e { int32(Int32(e.count)); out += e } else { int32(-1) }
        }
        return out
    }

    private func int4(_ v: Int32) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }

    func testOneDimensionWithNull() throws {
        let bytes = arrayBytes([3], oid: 26, [int4(1231), nil, int4(-7)])
        XCTAssertEqual(try ParameterText.decode(bytes, oid: 1028), "{1231,NULL,-7}")
    }

    func testTextElementsAreQuotedWhereArrayTextNeedsIt() throws {
        let bytes = arrayBytes([4], oid: 25, [Array("a".utf8), Array("b c".utf8), Array("".utf8), Array("x\"y".utf8)])
        XCTAssertEqual(try ParameterText.decode(bytes, oid: 1009), #"{a,"b c","","x\"y"}"#)
    }

    func testTwoDimensionsAndEmpty() throws {
        let bytes = arrayBytes([2, 2], oid: 23, [int4(1), int4(2), int4(3), int4(4)])
        XCTAssertEqual(try ParameterText.decode(bytes, oid: 1007), "{{1,2},{3,4}}")
        XCTAssertEqual(try ParameterText.decode(arrayBytes([], oid: 23, []), oid: 1007), "{}")
    }

    func testMalformedArraysAreRefused() {
        let good = arrayBytes([2], oid: 23, [int4(1), int4(2)])
        // Truncated anywhere, a trailing byte, an element of the wrong width.
        for cut in 0..<good.count {
            XCTAssertThrowsError(try ParameterText.decode(Array(good[0..<cut]), oid: 1007), "cut at \(cut)")
        }
        XCTAssertThrowsError(try ParameterText.decode(good + [0], oid: 1007))
        XCTAssertThrowsError(try ParameterText.decode(arrayBytes([1], oid: 23, [[1, 2]]), oid: 1007))
        // A dimension claiming more elements than the message could hold is refused before any work.
        XCTAssertThrowsError(try ParameterText.decode(arrayBytes([Int32.max, Int32.max], oid: 23, []), oid: 1007))
        XCTAssertThrowsError(try ParameterText.decode(arrayBytes([1, 1, 1, 1, 1, 1, 1], oid: 23, [int4(1)]), oid: 1007))
    }

    func testArraysOfArraysAndHugeCountsAreRefused() {
        // An element claiming to be an array again would decode recursively, level by level.
        let inner = arrayBytes([1], oid: 23, [int4(1)])
        XCTAssertThrowsError(try ParameterText.decode(arrayBytes([1], oid: 1007, [inner]), oid: 1007))
        // More elements than an array parameter may have, even where the bytes are there.
        let many = arrayBytes([Int32(ParameterText.maximumElements + 1)], oid: 23,
                              Array(repeating: nil, count: ParameterText.maximumElements + 1))
        XCTAssertThrowsError(try ParameterText.decode(many, oid: 1007))
    }

    func testRandomBytesNeverCrash() {
        var random = SplitMix64(seed: 0xA11A7)
        let seed = arrayBytes([3], oid: 23, [int4(5), nil, int4(6)])
        for _ in 0..<20_000 {
            var bytes = seed
            for _ in 0..<Int(random.next() % 4) + 1 {
                let i = Int(random.next() % UInt64(bytes.count))
                bytes[i] = UInt8(truncatingIfNeeded: random.next())
            }
            if random.next() % 4 == 0 { bytes.removeLast(Int(random.next() % UInt64(bytes.count))) }
            _ = try? ParameterText.decode(bytes, oid: 1007)
        }
    }
}
