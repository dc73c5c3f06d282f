import Compression
import XCTest

/// The word-copying snappy decoder against libsnappy: the same output for every stream
/// libsnappy writes, for hand-made streams libsnappy's compressor never emits (literals
/// past 64 KiB, 4-byte offsets), and the same verdict on corrupted streams.
final class SnappyDecoderTests: XCTestCase {
    private var state: UInt64 = 0x2545_F491_4F6C_DD1D
    private func random() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state >> 11
    }

    /// Sorted 64-bit keys with repeats, as l_orderkey: about 5:1, nearly all back-references.
    private func sortedKeys(_ count: Int) -> [UInt8] {
        var key: Int64 = 1, out: [UInt8] = []
        out.reserveCapacity(count * 8)
        for _ in 0..<count {
            if random() % 4 == 0 { key += Int64(random() % 7) + 1 }
            withUnsafeBytes(of: key.littleEndian) { out.append(contentsOf: $0) }
        }
        return out
    }

    /// Runs of one to seven repeating bytes (pattern copies) between short random literals.
    private func patterns(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        while out.count < count {
            let period = Int(random() % 7) + 1
            let unit = (0..<period).map { _ in UInt8(truncatingIfNeeded: random()) }
            for i in 0..<Int(random() % 200 + 8) { out.append(unit[i % period]) }
            for _ in 0..<Int(random() % 5) { out.append(UInt8(truncatingIfNeeded: random())) }
        }
        return Array(out.prefix(count))
    }

    private func decode(_ stream: [UInt8], expected: Int) throws -> [UInt8] {
        let out = UnsafeMutableRawPointer.allocate(byteCount: expected + SnappyDecoder.slack, alignment: 16)
        defer { out.deallocate() }
        try stream.withUnsafeBytes { try SnappyDecoder.decode($0, into: out, expected: expected) }
        return Array(UnsafeRawBufferPointer(start: out, count: expected))
    }

    func testDecodesWhatLibsnappyWrites() throws {
        let inputs = [sortedKeys(1), sortedKeys(100), sortedKeys(131_072), patterns(70_000), patterns(5),
                      (0..<100_000).map { UInt8(truncatingIfNeeded: $0 % 251) }, [UInt8](repeating: 7, count: 300_000)]
        for input in inputs {
            let stream = input.withUnsafeBytes { Codec.snappy.compress($0) }
            XCTAssertTrue(try decode(stream, expected: input.count) == input, "\(input.count) bytes")
            // Through the page decompressor too (it picks this decoder for such ratios).
            let decompressor = Decompressor()
            let viaPages = try stream.withUnsafeBytes {
                Array(try decompressor.decompress(.snappy, $0, uncompressedSize: input.count, plainIntegers: true))
            }
            XCTAssertTrue(viaPages == input, "\(input.count) bytes through Decompressor")
        }
    }

    func testLongLiteralsAndFourByteOffsets() throws {
        // A 70,000-byte literal (three length bytes), a 64-byte copy from 70,000 back (a
        // 4-byte offset), a 10-byte copy 3 back and a 4-byte copy 1 back.
        let literal = (0..<70_000).map { _ in UInt8(truncatingIfNeeded: random()) }
        var expected = literal
        for _ in 0..<64 { expected.append(expected[expected.count - 70_000]) }
        for _ in 0..<10 { expected.append(expected[expected.count - 3]) }
        for _ in 0..<4 { expected.append(expected[expected.count - 1]) }
        var stream = varint(expected.count)
        stream += [62 << 2] + le(69_999, bytes: 3) + literal
        stream += [UInt8(63 << 2 | 3)] + le(70_000, bytes: 4)
        stream += [UInt8(9 << 2 | 2)] + le(3, bytes: 2)
        stream += [UInt8(0 << 2 | 1), 1]
        XCTAssertTrue(try decode(stream, expected: expected.count) == expected)
        let reference = try stream.withUnsafeBytes { try Codec.snappy.decompress($0, uncompressedSize: expected.count) }
        XCTAssertTrue(reference == expected)
    }

    func testCorruptStreamsGetLibsnappysVerdict() {
        let inputs = [sortedKeys(2000), patterns(3000)]
        for input in inputs {
            let stream = input.withUnsafeBytes { Codec.snappy.compress($0) }
            for trial in 0..<2000 {
                var bad = stream
                switch trial % 3 {
                case 0: bad[Int(random() % UInt64(bad.count))] ^= UInt8(1 << (random() % 8))
                case 1: bad.removeLast(Int(random() % UInt64(bad.count)))
                default:
                    for _ in 0..<3 { bad[Int(random() % UInt64(bad.count))] = UInt8(truncatingIfNeeded: random()) }
                }
                let ours = try? decode(bad, expected: input.count)
                let theirs = try? bad.withUnsafeBytes { try Codec.snappy.decompress($0, uncompressedSize: input.count) }
                XCTAssertTrue(ours == theirs, "trial \(trial): \(ours == nil ? "error" : "decoded") here, \(theirs == nil ? "error" : "decoded") by libsnappy")
            }
        }
    }

    func testGarbageIsAnErrorNeverACrash() {
        for trial in 0..<3000 {
            let garbage = (0..<(trial % 100 + 1)).map { _ in UInt8(truncatingIfNeeded: random()) }
            for expected in [0, 1, 17, 4096] { _ = try? decode(garbage, expected: expected) }
        }
        XCTAssertThrowsError(try decode([], expected: 0))
        XCTAssertThrowsError(try decode([0x80, 0x80, 0x80, 0x80, 0x80, 0x01], expected: 0))
    }

    private func varint(_ n: Int) -> [UInt8] {
        var n = n, out: [UInt8] = []
        while n >= 0x80 { out.append(UInt8(n & 0x7F) | 0x80); n >>= 7 }
        return out + [UInt8(n)]
    }

    private func le(_ n: Int, bytes: Int) -> [UInt8] { (0..<bytes).map { UInt8(truncatingIfNeeded: n >> (8 * $0)) } }
}
