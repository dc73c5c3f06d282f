import Compression
import XCTest

final class CodecTests: XCTestCase {
    private func sample(_ n: Int) -> [UInt8] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<n).map { i in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            // Compressible: runs of text with some noise.
            return i % 7 == 0 ? UInt8(truncatingIfNeeded: state >> 56) : UInt8(ascii: "a") + UInt8(i % 5)
        }
    }

    func testRoundTripEveryCodec() throws {
        for codec in Codec.allCases {
            for size in [0, 1, 100, 70_000, 300_000] {
                let input = sample(size)
                let compressed = input.withUnsafeBytes { codec.compress($0) }
                let output = try compressed.withUnsafeBytes { try codec.decompress($0, uncompressedSize: size) }
                XCTAssertEqual(output, input, "\(codec) size \(size)")
            }
        }
    }

    func testWrongClaimedSizeIsAnError() {
        let input = sample(10_000)
        for codec in Codec.allCases where codec != .uncompressed {
            let compressed = input.withUnsafeBytes { codec.compress($0) }
            XCTAssertThrowsError(try compressed.withUnsafeBytes { try codec.decompress($0, uncompressedSize: 9_999) }, "\(codec)")
            XCTAssertThrowsError(try compressed.withUnsafeBytes { try codec.decompress($0, uncompressedSize: 10_001) }, "\(codec)")
        }
    }

    func testGarbageNeverCrashes() {
        var state: UInt64 = 42
        for codec in Codec.allCases where codec != .uncompressed {
            for trial in 0..<300 {
                let garbage: [UInt8] = (0..<(trial % 64 + 1)).map { _ in
                    state = state &* 6364136223846793005 &+ 1
                    return UInt8(truncatingIfNeeded: state >> 33)
                }
                _ = try? garbage.withUnsafeBytes { try codec.decompress($0, uncompressedSize: 1 << 30) }
                _ = try? garbage.withUnsafeBytes { try codec.decompress($0, uncompressedSize: 17) }
            }
        }
    }

    func testConcatenatedGzipMembers() throws {
        let a = sample(1000), b = sample(2000)
        let member1 = a.withUnsafeBytes { Codec.gzip.compress($0) }
        let member2 = b.withUnsafeBytes { Codec.gzip.compress($0) }
        let out = try (member1 + member2).withUnsafeBytes { try Codec.gzip.decompress($0, uncompressedSize: 3000) }
        XCTAssertEqual(out, a + b)
    }

    func testHadoopLZ4FallsBackToRawBlock() throws {
        let input = sample(5000)
        let raw = input.withUnsafeBytes { Codec.lz4Raw.compress($0) }
        let out = try raw.withUnsafeBytes { try Codec.lz4Hadoop.decompress($0, uncompressedSize: 5000) }
        XCTAssertEqual(out, input)
    }

    func testDecompressorReusesItsBufferAcrossCodecsAndSizes() throws {
        let decompressor = Decompressor()
        for size in [300_000, 0, 1, 100, 70_000, 5, 1_000_000] {
            for codec in Codec.allCases {
                let input = sample(size)
                let compressed = input.withUnsafeBytes { codec.compress($0) }
                let output = try compressed.withUnsafeBytes { src in
                    Array(try decompressor.decompress(codec, src, uncompressedSize: size))
                }
                XCTAssertEqual(output, input, "\(codec) size \(size)")
            }
        }
    }

    func testDecompressorRejectsWrongSizesAndGarbage() throws {
        let decompressor = Decompressor()
        let input = sample(10_000)
        for codec in Codec.allCases {
            let compressed = input.withUnsafeBytes { codec.compress($0) }
            // (LZ4 takes a claim of 0 as "nothing to decode", as Codec.decompress does.)
            for claim in [9_999, 10_001] + (codec == .lz4Raw || codec == .lz4Hadoop ? [] : [0]) {
                XCTAssertThrowsError(try compressed.withUnsafeBytes { try decompressor.decompress(codec, $0, uncompressedSize: claim) },
                                     "\(codec) claim \(claim)")
            }
            // Still usable after an error.
            let output = try compressed.withUnsafeBytes { Array(try decompressor.decompress(codec, $0, uncompressedSize: 10_000)) }
            XCTAssertEqual(output, input, "\(codec)")
        }
        var state: UInt64 = 7
        for codec in Codec.allCases where codec != .uncompressed {
            for trial in 0..<200 {
                let garbage: [UInt8] = (0..<(trial % 64 + 1)).map { _ in
                    state = state &* 6364136223846793005 &+ 1
                    return UInt8(truncatingIfNeeded: state >> 33)
                }
                _ = try? garbage.withUnsafeBytes { try decompressor.decompress(codec, $0, uncompressedSize: 1 << 30) }
                _ = try? garbage.withUnsafeBytes { try decompressor.decompress(codec, $0, uncompressedSize: 17) }
            }
        }
        XCTAssertLessThan(decompressor.bufferCapacity, 1 << 28, "an implausible claim must not size the buffer")
    }
}
