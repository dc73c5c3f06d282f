import Compression
import XCTest

final class StreamDecoderTests: XCTestCase {
    /// Decodes `input` fed in `inStep`-byte pieces through an `outStep`-byte window.
    private func stream(_ format: StreamFormat, _ input: [UInt8], inStep: Int, outStep: Int) throws -> (bytes: [UInt8], ended: Bool) {
        let decoder = try format.makeDecoder()
        var out: [UInt8] = []
        var window = [UInt8](repeating: 0, count: outStep)
        var position = 0
        var idle = 0
        while idle < 3 {
            let end = min(input.count, position + inStep)
            let (consumed, produced) = try input[position..<end].withUnsafeBytes { src in
                try window.withUnsafeMutableBytes { try decoder.decode(src, into: $0) }
            }
            position += consumed
            out += window[0..<produced]
            idle = consumed == 0 && produced == 0 ? idle + 1 : 0
        }
        return (out, decoder.atStreamEnd)
    }

    func testConcatenatedMembersAndFramesInSmallPieces() throws {
        let a = Array(repeating: Array("hello, stream ".utf8), count: 5000).flatMap { $0 }
        let b = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31 >> 3) }
        for (format, codec) in [(StreamFormat.gzip, Codec.gzip), (.zstd, .zstd)] {
            let compressed = a.withUnsafeBytes { codec.compress($0) } + b.withUnsafeBytes { codec.compress($0) }
            XCTAssertEqual(StreamFormat.detect(compressed), format)
            for (inStep, outStep) in [(1, 7), (13, 4096), (1 << 20, 1 << 20)] {
                let (bytes, ended) = try stream(format, compressed, inStep: inStep, outStep: outStep)
                XCTAssertEqual(bytes, a + b, "\(format) \(inStep)/\(outStep)")
                XCTAssertTrue(ended, "\(format) \(inStep)/\(outStep)")
            }
            let (_, ended) = try stream(format, Array(compressed.dropLast(9)), inStep: 100, outStep: 100)
            XCTAssertFalse(ended, "\(format): a truncated stream does not end")
        }
    }

    func testGarbageNeverDecodesAsComplete() throws {
        for format in [StreamFormat.gzip, .zstd] {
            let bytes: [UInt8] = format == .gzip ? [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff] : [0x28, 0xb5, 0x2f, 0xfd, 0xff, 0xff, 0xff, 0xff]
            // Refused at once, or (a header still waiting for its frame) never complete.
            if let (_, ended) = try? stream(format, bytes, inStep: 64, outStep: 64) { XCTAssertFalse(ended, "\(format)") }
        }
    }
}
