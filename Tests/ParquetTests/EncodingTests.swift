// Round trips, known byte vectors from parquet-format Encodings.md, truncation
// ("drip") tests and a small fuzz loop for the Parquet value and level encodings.
// Public API only (tests run in release mode).

import Parquet
import XCTest
import TestSupport


/// Runs `body` over a copy of `bytes` in an exactly sized allocation (so an
/// over-read is an over-read of that allocation, visible to sanitizers).
private func withExactBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    let p = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
    defer { p.deallocate() }
    bytes.withUnsafeBytes { if !$0.isEmpty { p.copyMemory(from: $0) } }
    return try body(UnsafeRawBufferPointer(p))
}

private func hybridEncode(_ values: [UInt32], bitWidth: Int) -> [UInt8] {
    var encoder = RLEBitPackedHybridEncoder(bitWidth: bitWidth)
    values.withUnsafeBufferPointer { encoder.append(contentsOf: $0) }
    return encoder.finish()
}

private func hybridDecode(_ bytes: [UInt8], bitWidth: Int, count: Int, chunk: Int = .max) throws -> [UInt32] {
    try withExactBytes(bytes) { raw in
        var decoder = try RLEBitPackedHybridDecoder(raw, bitWidth: bitWidth)
        var result: [UInt32] = []
        var buffer = [UInt32](repeating: 0, count: Swift.max(1, Swift.min(chunk, count)))
        while result.count < count {
            let want = Swift.min(buffer.count, count - result.count)
            let n = try buffer.withUnsafeMutableBufferPointer { try decoder.decode(into: $0.baseAddress!, count: want) }
            result.append(contentsOf: buffer[0..<n])
            if n < want { break }
        }
        return result
    }
}

private func deltaEncode(_ values: [Int64], blockSize: Int = 128, miniblocks: Int = 4) -> [UInt8] {
    var encoder = DeltaBinaryPackedEncoder(blockSize: blockSize, miniblocks: miniblocks)
    values.withUnsafeBufferPointer { encoder.append($0) }
    return encoder.finish()
}

private func deltaEncode32(_ values: [Int32], blockSize: Int = 128, miniblocks: Int = 4) -> [UInt8] {
    var encoder = DeltaBinaryPackedEncoder(blockSize: blockSize, miniblocks: miniblocks)
    values.withUnsafeBufferPointer { encoder.append($0) }
    return encoder.finish()
}

private func deltaDecode(_ bytes: [UInt8], count: Int, chunk: Int = .max) throws -> (values: [Int64], consumed: Int) {
    try withExactBytes(bytes) { raw in
        var decoder = try DeltaBinaryPackedDecoder(raw)
        var out: [Int64] = []
        while out.count < count {
            try decoder.decode(into: &out, count: Swift.min(chunk, count - out.count))
        }
        try decoder.skipToEnd()
        return (out, decoder.consumed)
    }
}

private func deltaDecode32(_ bytes: [UInt8], count: Int, chunk: Int = .max) throws -> (values: [Int32], consumed: Int) {
    try withExactBytes(bytes) { raw in
        var decoder = try DeltaBinaryPackedDecoder(raw)
        var out: [Int32] = []
        while out.count < count {
            try decoder.decode(into: &out, count: Swift.min(chunk, count - out.count))
        }
        try decoder.skipToEnd()
        return (out, decoder.consumed)
    }
}

/// Offsets/data form of a list of byte strings.
private func flatten(_ values: [[UInt8]]) -> (offsets: [Int], data: [UInt8]) {
    var offsets = [0]
    var data: [UInt8] = []
    for v in values {
        data.append(contentsOf: v)
        offsets.append(data.count)
    }
    return (offsets, data)
}

private func unflatten(offsets: [Int], data: [UInt8]) -> [[UInt8]] {
    (0..<(offsets.count - 1)).map { Array(data[offsets[$0]..<offsets[$0 + 1]]) }
}

private enum ByteArrayCodec { case plain, deltaLength, deltaByteArray }

private func encodeByteArrays(_ values: [[UInt8]], _ codec: ByteArrayCodec) -> [UInt8] {
    let (offsets, data) = flatten(values)
    var out: [UInt8] = []
    offsets.withUnsafeBufferPointer { o in
        data.withUnsafeBufferPointer { d in
            switch codec {
            case .plain: PlainEncoder.encodeByteArray(offsets: o, data: d, into: &out)
            case .deltaLength: DeltaLengthByteArray.encode(offsets: o, data: d, into: &out)
            case .deltaByteArray: DeltaByteArray.encode(offsets: o, data: d, into: &out)
            }
        }
    }
    return out
}

private func decodeByteArrays(_ bytes: [UInt8], count: Int, _ codec: ByteArrayCodec) throws -> (values: [[UInt8]], consumed: Int) {
    try withExactBytes(bytes) { raw in
        var offsets = [0]
        var data: [UInt8] = []
        let consumed: Int
        switch codec {
        case .plain: consumed = try PlainDecoder.decodeByteArray(raw, count: count, offsets: &offsets, data: &data)
        case .deltaLength: consumed = try DeltaLengthByteArray.decode(raw, count: count, offsets: &offsets, data: &data)
        case .deltaByteArray: consumed = try DeltaByteArray.decode(raw, count: count, offsets: &offsets, data: &data)
        }
        return (unflatten(offsets: offsets, data: data), consumed)
    }
}

private func bytesOf(_ s: String) -> [UInt8] { Array(s.utf8) }

final class EncodingTests: XCTestCase {
    // MARK: RLE / bit-packed hybrid

    func testHybridSpecBitPackedExample() throws {
        // Encodings.md: 0...7 at bit width 3 bit-packed are 10001000 11000110 11111010.
        let encoded = hybridEncode(Array(0...7), bitWidth: 3)
        XCTAssertEqual(encoded, [0x03, 0x88, 0xC6, 0xFA])
        XCTAssertEqual(try hybridDecode([0x03, 0x88, 0xC6, 0xFA], bitWidth: 3, count: 8), Array(0...7))
    }

    func testHybridRLERunBytes() throws {
        XCTAssertEqual(hybridEncode([UInt32](repeating: 5, count: 100), bitWidth: 3), [0xC8, 0x01, 0x05])
        XCTAssertEqual(try hybridDecode([0xC8, 0x01, 0x05], bitWidth: 3, count: 100), [UInt32](repeating: 5, count: 100))
        // Value bytes are ceil(bitWidth / 8), little-endian.
        XCTAssertEqual(hybridEncode([UInt32](repeating: 0x0102_0304, count: 9), bitWidth: 32), [0x12, 0x04, 0x03, 0x02, 0x01])
        XCTAssertEqual(hybridEncode([UInt32](repeating: 0x134, count: 9), bitWidth: 9), [0x12, 0x34, 0x01])
        // Mixed: 8 literals, then a run.
        let values: [UInt32] = [1, 2, 3, 4, 5, 6, 7, 0] + [UInt32](repeating: 2, count: 20)
        XCTAssertEqual(try hybridDecode(hybridEncode(values, bitWidth: 3), bitWidth: 3, count: values.count), values)
    }

    func testHybridRoundTripAllBitWidths() throws {
        var rng = SplitMix64(seed: 1)
        for w in 0...32 {
            let mask: UInt32 = w == 32 ? ~0 : (1 << UInt32(w)) - 1
            var cases: [[UInt32]] = [[], [mask], [UInt32](repeating: mask, count: 8), (0..<8).map { UInt32($0) & mask }]
            for n in [1, 7, 8, 9, 128, 129, 1000] {
                cases.append((0..<n).map { _ in UInt32(truncatingIfNeeded: rng.next()) & mask })
            }
            // Runs of random lengths mixed with literals.
            var mixed: [UInt32] = []
            while mixed.count < 3000 {
                let v = UInt32(truncatingIfNeeded: rng.next()) & mask
                let len = rng.next() % 4 == 0 ? Int(rng.next() % 100) : 1
                mixed.append(contentsOf: repeatElement(v, count: len))
            }
            cases.append(mixed)
            cases.append([UInt32](repeating: mask / 2, count: 100_000))
            for values in cases {
                let encoded = hybridEncode(values, bitWidth: w)
                XCTAssertEqual(try hybridDecode(encoded, bitWidth: w, count: values.count), values, "width \(w) count \(values.count)")
                for chunk in [1, 3, 7, 8, 13, 64] where values.count <= 3000 {
                    XCTAssertEqual(try hybridDecode(encoded, bitWidth: w, count: values.count, chunk: chunk), values,
                                   "width \(w) count \(values.count) chunk \(chunk)")
                }
                // Convenience API.
                try withExactBytes(encoded) { raw in
                    var decoder = try RLEBitPackedHybridDecoder(raw, bitWidth: w)
                    XCTAssertEqual(try decoder.decode(count: values.count), values)
                }
            }
        }
    }

    func testHybridLongRunIsCompact() throws {
        let encoded = hybridEncode([UInt32](repeating: 1, count: 1_000_000), bitWidth: 1)
        XCTAssertLessThanOrEqual(encoded.count, 5)
    }

    func testHybridBitWidthValidation() throws {
        try [UInt8]().withUnsafeBytes { raw in
            XCTAssertThrowsError(try RLEBitPackedHybridDecoder(raw, bitWidth: 33))
            XCTAssertThrowsError(try RLEBitPackedHybridDecoder(raw, bitWidth: -1))
        }
    }

    func testHybridBitWidthZeroIsAllZeros() throws {
        XCTAssertEqual(try hybridDecode([], bitWidth: 0, count: 10), [UInt32](repeating: 0, count: 10))
    }

    func testHybridEndsAtRunBoundaryReturnsFewer() throws {
        XCTAssertEqual(try hybridDecode([0x10, 0x01], bitWidth: 1, count: 20), [UInt32](repeating: 1, count: 8))
        XCTAssertEqual(try hybridDecode([], bitWidth: 3, count: 5), [])
    }

    func testHybridTruncatedFinalGroupKeepsPresentValues() throws {
        // Header announces one group of 8 at width 8, but only 3 bytes follow.
        XCTAssertEqual(try hybridDecode([0x03, 10, 20, 30], bitWidth: 8, count: 3), [10, 20, 30])
        XCTAssertEqual(try hybridDecode([0x03, 10, 20, 30], bitWidth: 8, count: 8), [10, 20, 30])
    }

    func testHybridTruncationDrip() throws {
        var rng = SplitMix64(seed: 2)
        for w in [1, 3, 8, 13, 32] {
            let mask: UInt32 = w == 32 ? ~0 : (1 << UInt32(w)) - 1
            var values: [UInt32] = []
            while values.count < 300 {
                let v = UInt32(truncatingIfNeeded: rng.next()) & mask
                values.append(contentsOf: repeatElement(v, count: rng.next() % 3 == 0 ? 12 : 1))
            }
            let encoded = hybridEncode(values, bitWidth: w)
            for cut in 0..<encoded.count {
                do {
                    let decoded = try hybridDecode(Array(encoded[0..<cut]), bitWidth: w, count: values.count)
                    XCTAssertLessThanOrEqual(decoded.count, values.count)
                    // Whatever comes out of a prefix is a prefix of the values.
                    XCTAssertEqual(decoded, Array(values[0..<decoded.count]))
                } catch is ParquetError {
                }
            }
        }
    }

    func testHybridRLEValueTruncatedThrows() throws {
        XCTAssertThrowsError(try hybridDecode([0x10, 0x01], bitWidth: 9, count: 8))
        XCTAssertThrowsError(try hybridDecode([0x80], bitWidth: 1, count: 8))  // header varint cut
    }

    func testLevelsV1LengthPrefix() throws {
        let values: [UInt32] = [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1]
        let body = hybridEncode(values, bitWidth: 1)
        let page = [UInt8(body.count), 0, 0, 0] + body + [0xAA, 0xBB]
        try withExactBytes(page) { raw in
            var (decoder, consumed) = try RLEBitPackedHybridDecoder.levelsV1(raw, bitWidth: 1)
            XCTAssertEqual(consumed, 4 + body.count)
            XCTAssertEqual(try decoder.decode(count: values.count), values)
        }
        for bad in [[UInt8](), [1, 0, 0], [200, 0, 0, 0, 1]] {
            try withExactBytes(bad) { raw in XCTAssertThrowsError(try RLEBitPackedHybridDecoder.levelsV1(raw, bitWidth: 1)) }
        }
    }

    func testLegacyBitPackedSpecExample() throws {
        // Encodings.md: 0...7 at bit width 3, MSB first: 00000101 00111001 01110111.
        try withExactBytes([0x05, 0x39, 0x77, 0xFF]) { raw in
            let (values, consumed) = try decodeLegacyBitPacked(raw, bitWidth: 3, count: 8)
            XCTAssertEqual(values, Array(0...7))
            XCTAssertEqual(consumed, 3)
            let five = try decodeLegacyBitPacked(raw, bitWidth: 3, count: 5)
            XCTAssertEqual(five.values, [0, 1, 2, 3, 4])
            XCTAssertEqual(five.consumed, 2)
        }
        try withExactBytes([0x05, 0x39]) { raw in
            XCTAssertThrowsError(try decodeLegacyBitPacked(raw, bitWidth: 3, count: 8))
        }
    }

    // MARK: booleans

    func testPlainBooleans() throws {
        var rng = SplitMix64(seed: 3)
        for n in [0, 1, 7, 8, 9, 128, 129, 1000] {
            let values = (0..<n).map { _ in rng.next() & 1 == 1 }
            let encoded = values.withUnsafeBufferPointer { PlainBooleans.encode($0) }
            XCTAssertEqual(encoded.count, (n + 7) / 8)
            try withExactBytes(encoded) { raw in
                var out: [UInt8] = [7]
                let consumed = try PlainBooleans.decode(raw, count: n, into: &out)
                XCTAssertEqual(consumed, (n + 7) / 8)
                XCTAssertEqual(out, [7] + values.map { $0 ? 1 : 0 })
            }
            if n > 0 {
                try withExactBytes(Array(encoded.dropLast())) { raw in
                    var out: [UInt8] = []
                    XCTAssertThrowsError(try PlainBooleans.decode(raw, count: n, into: &out))
                }
            }
        }
        // LSB first.
        try withExactBytes([0b0000_0101]) { raw in
            var out: [UInt8] = []
            _ = try PlainBooleans.decode(raw, count: 3, into: &out)
            XCTAssertEqual(out, [1, 0, 1])
        }
    }

    func testRLEBooleans() throws {
        var rng = SplitMix64(seed: 4)
        for n in [1, 8, 100, 1000] {
            let values = (0..<n).map { i in i % 50 < 30 ? true : rng.next() & 1 == 1 }
            let encoded = values.withUnsafeBufferPointer { PlainBooleans.encodeRLE($0) }
            try withExactBytes(encoded) { raw in
                XCTAssertEqual(try PlainBooleans.decodeRLE(raw, count: n), values.map { $0 ? 1 : 0 })
            }
            for cut in 0..<encoded.count {
                try withExactBytes(Array(encoded[0..<cut])) { raw in
                    XCTAssertThrowsError(try PlainBooleans.decodeRLE(raw, count: n))
                }
            }
        }
    }

    // MARK: PLAIN

    private func plainRoundTrip<T: BitwiseCopyable & Equatable>(_ values: [T]) throws {
        var encoded: [UInt8] = []
        values.withUnsafeBufferPointer { PlainEncoder.encodeFixed($0, into: &encoded) }
        XCTAssertEqual(encoded.count, values.count * MemoryLayout<T>.stride)
        for misalign in 0..<2 {
            let shifted = [UInt8](repeating: 0xEE, count: misalign) + encoded
            try withExactBytes(shifted) { raw in
                var out: [T] = []
                let consumed = try PlainDecoder.decodeFixed(UnsafeRawBufferPointer(rebasing: raw[misalign...]), count: values.count, into: &out)
                XCTAssertEqual(consumed, encoded.count)
                XCTAssertEqual(out, values)
            }
        }
        if !values.isEmpty {
            try withExactBytes(Array(encoded.dropLast())) { raw in
                var out: [T] = []
                XCTAssertThrowsError(try PlainDecoder.decodeFixed(raw, count: values.count, into: &out))
            }
        }
    }

    func testPlainFixed() throws {
        var rng = SplitMix64(seed: 5)
        for n in [0, 1, 8, 129, 1000] {
            try plainRoundTrip((0..<n).map { _ in Int32(truncatingIfNeeded: rng.next()) } + [Int32.min, Int32.max])
            try plainRoundTrip((0..<n).map { _ in Int64(bitPattern: rng.next()) } + [Int64.min, Int64.max])
            try plainRoundTrip((0..<n).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()) & 0x7F7F_FFFF) })
            try plainRoundTrip((0..<n).map { _ in Double(Int64(bitPattern: rng.next())) / 3 })
        }
        try plainRoundTrip([Int32]())
        // Little-endian on the wire.
        var bytes: [UInt8] = []
        [Int32(0x0102_0304)].withUnsafeBufferPointer { PlainEncoder.encodeFixed($0, into: &bytes) }
        XCTAssertEqual(bytes, [4, 3, 2, 1])
    }

    func testPlainFixedLenByteArray() throws {
        let data: [UInt8] = Array(0..<36)
        try withExactBytes(data) { raw in
            var out: [UInt8] = [9]
            XCTAssertEqual(try PlainDecoder.decodeFixedLenByteArray(raw, width: 12, count: 3, into: &out), 36)
            XCTAssertEqual(out, [9] + data)
            XCTAssertThrowsError(try PlainDecoder.decodeFixedLenByteArray(raw, width: 12, count: 4, into: &out))
            XCTAssertThrowsError(try PlainDecoder.decodeFixedLenByteArray(raw, width: 5, count: Int.max / 2, into: &out))
        }
    }

    func testPlainByteArray() throws {
        var rng = SplitMix64(seed: 6)
        let values: [[UInt8]] = [[], bytesOf("a"), bytesOf("hello"), []]
            + (0..<200).map { _ in (0..<Int(rng.next() % 40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
        let encoded = encodeByteArrays(values, .plain)
        XCTAssertEqual(Array(encoded[0..<13]), [0, 0, 0, 0, 1, 0, 0, 0, 0x61, 5, 0, 0, 0])
        let decoded = try decodeByteArrays(encoded + [1, 2, 3], count: values.count, .plain)
        XCTAssertEqual(decoded.values, values)
        XCTAssertEqual(decoded.consumed, encoded.count)
        // Appending after existing offsets.
        try withExactBytes(encoded) { raw in
            var offsets = [0, 3]
            var data: [UInt8] = [1, 2, 3]
            _ = try PlainDecoder.decodeByteArray(raw, count: 3, offsets: &offsets, data: &data)
            XCTAssertEqual(offsets, [0, 3, 3, 4, 9])
            XCTAssertEqual(data, [1, 2, 3] + bytesOf("ahello"))
        }
        for cut in 0..<encoded.count {
            XCTAssertThrowsError(try decodeByteArrays(Array(encoded[0..<cut]), count: values.count, .plain))
        }
        XCTAssertThrowsError(try decodeByteArrays([0xFF, 0xFF, 0xFF, 0xFF, 1], count: 1, .plain))
    }

    // MARK: DELTA_BINARY_PACKED

    func testDeltaSpecExample1() throws {
        // 1, 2, 3, 4, 5: deltas all 1, min delta 1, bit widths 0, no miniblock bytes.
        let expected: [UInt8] = [0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00]
        XCTAssertEqual(deltaEncode([1, 2, 3, 4, 5]), expected)
        let (values, consumed) = try deltaDecode(expected, count: 5)
        XCTAssertEqual(values, [1, 2, 3, 4, 5])
        XCTAssertEqual(consumed, expected.count)
    }

    func testDeltaSpecExample2() throws {
        // 7, 5, 3, 1, 2, 3, 4, 5: min delta -2, relative 0,0,0,3,3,3,3 at bit width 2.
        let expected: [UInt8] = [0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 0x02, 0x00, 0x00, 0x00,
                                 0xC0, 0x3F, 0, 0, 0, 0, 0, 0]
        XCTAssertEqual(deltaEncode([7, 5, 3, 1, 2, 3, 4, 5]), expected)
        XCTAssertEqual(deltaEncode32([7, 5, 3, 1, 2, 3, 4, 5]), expected)
        let (values, consumed) = try deltaDecode(expected, count: 8)
        XCTAssertEqual(values, [7, 5, 3, 1, 2, 3, 4, 5])
        XCTAssertEqual(consumed, expected.count)
        // Writers may stop after the bytes that hold values; garbage bit widths in unused miniblocks.
        var short = Array(expected[0..<12])
        short[7] = 0xFF; short[8] = 0x77; short[9] = 0x41
        XCTAssertEqual(try deltaDecode(short, count: 8).values, [7, 5, 3, 1, 2, 3, 4, 5])
        XCTAssertEqual(try deltaDecode32(short, count: 8).values, [7, 5, 3, 1, 2, 3, 4, 5])
    }

    func testDeltaRoundTrip64() throws {
        var rng = SplitMix64(seed: 7)
        var cases: [[Int64]] = [[], [42], [Int64.min], [Int64.max, Int64.min, Int64.max, 0, Int64.min],
                                (0..<129).map { $0 % 2 == 0 ? Int64.min : Int64.max }]
        for n in [2, 8, 127, 128, 129, 256, 1000, 5000] {
            cases.append((0..<n).map { _ in Int64(bitPattern: rng.next()) })
            cases.append((0..<n).map { _ in Int64(bitPattern: rng.next() % 1000) - 500 })
            var acc: Int64 = 1_000_000
            cases.append((0..<n).map { _ in acc += Int64(rng.next() % 17); return acc })
            cases.append([Int64](repeating: -7, count: n))
        }
        for values in cases {
            for (bs, mb) in [(128, 4), (128, 1), (256, 8), (1024, 4)] {
                let encoded = deltaEncode(values, blockSize: bs, miniblocks: mb)
                let (decoded, consumed) = try deltaDecode(encoded + [0xAB, 0xCD], count: values.count)
                XCTAssertEqual(decoded, values, "count \(values.count) block \(bs)/\(mb)")
                XCTAssertEqual(consumed, encoded.count)
                for chunk in [1, 5, 31, 33, 100] where values.count <= 1000 {
                    XCTAssertEqual(try deltaDecode(encoded, count: values.count, chunk: chunk).values, values)
                }
            }
        }
    }

    func testDeltaRoundTrip32() throws {
        var rng = SplitMix64(seed: 8)
        var cases: [[Int32]] = [[], [Int32.min], [Int32.max, Int32.min, Int32.max, 0, Int32.min, -1, 1],
                                (0..<300).map { $0 % 3 == 0 ? Int32.min : Int32.max }]
        for n in [2, 8, 128, 129, 1000] {
            cases.append((0..<n).map { _ in Int32(truncatingIfNeeded: rng.next()) })
            cases.append((0..<n).map { _ in Int32(truncatingIfNeeded: rng.next() % 64) })
        }
        for values in cases {
            let encoded = deltaEncode32(values)
            let (decoded, consumed) = try deltaDecode32(encoded, count: values.count)
            XCTAssertEqual(decoded, values)
            XCTAssertEqual(consumed, encoded.count)
            // 32-bit deltas keep every miniblock at 32 bits or fewer.
            XCTAssertEqual(try deltaDecode32(encoded, count: values.count, chunk: 7).values, values)
            // The same data written by a writer with 64-bit deltas decodes to the same INT32 values.
            let wide = deltaEncode(values.map { Int64($0) })
            XCTAssertEqual(try deltaDecode32(wide, count: values.count).values, values)
        }
    }

    func testDeltaHugeHeaderCountDecodesOnlyWhatIsAsked() throws {
        // Header: block 128, 4 miniblocks, 2^40 values, first value 0; one block, min delta 1, widths 0.
        var bytes: [UInt8] = [0x80, 0x01, 0x04]
        var n: UInt64 = 1 << 40
        while n >= 0x80 { bytes.append(UInt8(n & 0x7F) | 0x80); n >>= 7 }
        bytes.append(UInt8(n))
        bytes += [0x00, 0x02, 0, 0, 0, 0]
        try withExactBytes(bytes) { raw in
            var decoder = try DeltaBinaryPackedDecoder(raw)
            XCTAssertEqual(decoder.totalCount, 1 << 40)
            var out: [Int64] = []
            try decoder.decode(into: &out, count: 100)
            XCTAssertEqual(out, (0..<100).map { Int64($0) })
            XCTAssertThrowsError(try decoder.skipToEnd())
        }
    }

    func testDeltaAskingForTooManyThrows() throws {
        let encoded = deltaEncode([1, 2, 3])
        try withExactBytes(encoded) { raw in
            var decoder = try DeltaBinaryPackedDecoder(raw)
            var out: [Int64] = []
            XCTAssertThrowsError(try decoder.decode(into: &out, count: 4))
        }
    }

    func testDeltaHeaderValidation() throws {
        for bad: [UInt8] in [[], [0x80], [0x40, 0x04, 0x01, 0x00], [0x80, 0x01, 0x00, 0x01, 0x00], [0x80, 0x01, 0x03, 0x01, 0x00],
                             [0x80, 0x01, 0x08, 0x01, 0x00]] {
            try withExactBytes(bad) { raw in XCTAssertThrowsError(try DeltaBinaryPackedDecoder(raw)) }
        }
        // Bit width above 64 in a used miniblock.
        XCTAssertThrowsError(try deltaDecode([0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 65, 0, 0, 0] + [UInt8](repeating: 0, count: 300), count: 2))
    }

    func testDeltaTruncationDrip() throws {
        var rng = SplitMix64(seed: 9)
        let values = (0..<300).map { _ in Int64(bitPattern: rng.next() % 100_000) }
        let encoded = deltaEncode(values)
        for cut in 0..<encoded.count {
            do {
                let decoded = try deltaDecode(Array(encoded[0..<cut]), count: values.count)
                // Only zero padding of the last miniblock may be missing.
                XCTAssertEqual(decoded.values, values)
            } catch is ParquetError {
            }
        }
    }

    // MARK: DELTA_LENGTH_BYTE_ARRAY / DELTA_BYTE_ARRAY

    func testDeltaLengthByteArraySpecExample() throws {
        let values = ["Hello", "World", "Foobar", "ABCDEF"].map(bytesOf)
        let encoded = encodeByteArrays(values, .deltaLength)
        XCTAssertEqual(encoded, deltaEncode32([5, 5, 6, 6]) + bytesOf("HelloWorldFoobarABCDEF"))
        let decoded = try decodeByteArrays(encoded + [0xEE], count: 4, .deltaLength)
        XCTAssertEqual(decoded.values, values)
        XCTAssertEqual(decoded.consumed, encoded.count)
    }

    func testDeltaByteArraySpecExample() throws {
        let values = ["axis", "axle", "babble", "babyhood"].map(bytesOf)
        let encoded = encodeByteArrays(values, .deltaByteArray)
        let suffixes = encodeByteArrays(["axis", "le", "babble", "yhood"].map(bytesOf), .deltaLength)
        XCTAssertEqual(encoded, deltaEncode32([0, 2, 0, 3]) + suffixes)
        let decoded = try decodeByteArrays(encoded + [0xEE], count: 4, .deltaByteArray)
        XCTAssertEqual(decoded.values, values)
        XCTAssertEqual(decoded.consumed, encoded.count)
    }

    func testByteArrayRoundTrips() throws {
        var rng = SplitMix64(seed: 10)
        var cases: [[[UInt8]]] = [[], [[]], [bytesOf("x")], [[], [], []]]
        for n in [8, 128, 129, 1000] {
            cases.append((0..<n).map { _ in (0..<Int(rng.next() % 30)).map { _ in UInt8(truncatingIfNeeded: rng.next()) } })
            // Sorted strings share prefixes.
            cases.append((0..<n).map { i in bytesOf("key/\(i / 10)/\(i % 10)/" + String(repeating: "z", count: Int(rng.next() % 5))) })
            cases.append([[UInt8]](repeating: [UInt8](repeating: 0x41, count: 300), count: n))
        }
        for values in cases {
            for codec in [ByteArrayCodec.plain, .deltaLength, .deltaByteArray] {
                let encoded = encodeByteArrays(values, codec)
                let decoded = try decodeByteArrays(encoded, count: values.count, codec)
                XCTAssertEqual(decoded.values, values, "\(codec) count \(values.count)")
                XCTAssertEqual(decoded.consumed, values.isEmpty ? 0 : encoded.count)
            }
        }
    }

    func testByteArrayCorruptLengths() throws {
        // Negative length.
        XCTAssertThrowsError(try decodeByteArrays(deltaEncode32([2, -1]) + [1, 2, 3], count: 2, .deltaLength))
        // Lengths beyond the data.
        XCTAssertThrowsError(try decodeByteArrays(deltaEncode32([2, 5]) + [1, 2, 3], count: 2, .deltaLength))
        // Prefix longer than the previous value.
        let suffixes = encodeByteArrays([bytesOf("ab"), bytesOf("c")], .deltaLength)
        XCTAssertThrowsError(try decodeByteArrays(deltaEncode32([0, 3]) + suffixes, count: 2, .deltaByteArray))
        XCTAssertThrowsError(try decodeByteArrays(deltaEncode32([1, 0]) + suffixes, count: 2, .deltaByteArray))
        XCTAssertThrowsError(try decodeByteArrays(deltaEncode32([0, -1]) + suffixes, count: 2, .deltaByteArray))
        XCTAssertEqual(try decodeByteArrays(deltaEncode32([0, 2]) + suffixes, count: 2, .deltaByteArray).values,
                       [bytesOf("ab"), bytesOf("abc")])
    }

    func testByteArrayTruncationDrip() throws {
        let values = (0..<150).map { i in bytesOf("value-\(i * 7919 % 1000)") }
        for codec in [ByteArrayCodec.deltaLength, .deltaByteArray] {
            let encoded = encodeByteArrays(values, codec)
            for cut in 0..<encoded.count {
                do {
                    let decoded = try decodeByteArrays(Array(encoded[0..<cut]), count: values.count, codec)
                    XCTAssertEqual(decoded.values, values)
                } catch is ParquetError {
                }
            }
        }
    }

    // MARK: BYTE_STREAM_SPLIT

    func testByteStreamSplitKnownBytes() throws {
        var encoded: [UInt8] = []
        [UInt32(0x0403_0201), UInt32(0x0807_0605)].withUnsafeBytes { ByteStreamSplit.encode($0, width: 4, into: &encoded) }
        XCTAssertEqual(encoded, [1, 5, 2, 6, 3, 7, 4, 8])
        try withExactBytes(encoded) { raw in
            var out: [UInt8] = []
            try ByteStreamSplit.decode(raw, width: 4, count: 2, into: &out)
            XCTAssertEqual(out, [1, 2, 3, 4, 5, 6, 7, 8])
        }
    }

    func testByteStreamSplitRoundTrip() throws {
        var rng = SplitMix64(seed: 11)
        for width in [1, 2, 3, 4, 5, 8, 12, 16] {
            for n in [0, 1, 7, 8, 129, 1000] {
                let raw = (0..<(n * width)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                var encoded: [UInt8] = []
                raw.withUnsafeBytes { ByteStreamSplit.encode($0, width: width, into: &encoded) }
                XCTAssertEqual(encoded.count, raw.count)
                try withExactBytes(encoded) { bytes in
                    var out: [UInt8] = [0xAA]
                    try ByteStreamSplit.decode(bytes, width: width, count: n, into: &out)
                    XCTAssertEqual(out, [0xAA] + raw, "width \(width) count \(n)")
                }
                if n > 0 {
                    try withExactBytes(Array(encoded.dropLast())) { bytes in
                        var out: [UInt8] = []
                        XCTAssertThrowsError(try ByteStreamSplit.decode(bytes, width: width, count: n, into: &out))
                    }
                }
            }
        }
        let doubles: [Double] = [1.5, -2.25, .pi, .infinity]
        var encoded: [UInt8] = []
        doubles.withUnsafeBytes { ByteStreamSplit.encode($0, width: 8, into: &encoded) }
        try withExactBytes(encoded) { bytes in
            var out: [UInt8] = []
            try ByteStreamSplit.decode(bytes, width: 8, count: 4, into: &out)
            var back: [Double] = []
            _ = try out.withUnsafeBytes { try PlainDecoder.decodeFixed($0, count: 4, into: &back) }
            XCTAssertEqual(back, doubles)
        }
    }

    // MARK: fuzz

    /// Runs every decoder on `bytes`; each may throw a ParquetError or succeed, nothing else.
    private func runAllDecoders(_ bytes: [UInt8], _ rng: inout SplitMix64) {
        let count = Int(rng.next() % 300)
        let bitWidth = Int(rng.next() % 34)
        withExactBytes(bytes) { raw in
            func expectParquetError(_ body: () throws -> Void) {
                do { try body() } catch is ParquetError {} catch { XCTFail("unexpected error \(error)") }
            }
            expectParquetError {
                var decoder = try RLEBitPackedHybridDecoder(raw, bitWidth: bitWidth)
                let values = try decoder.decode(count: count)
                XCTAssertLessThanOrEqual(values.count, count)
            }
            expectParquetError {
                var (decoder, consumed) = try RLEBitPackedHybridDecoder.levelsV1(raw, bitWidth: bitWidth % 9)
                XCTAssertLessThanOrEqual(consumed, raw.count)
                _ = try decoder.decode(count: count)
            }
            expectParquetError { _ = try decodeLegacyBitPacked(raw, bitWidth: bitWidth, count: count) }
            expectParquetError {
                var out: [UInt8] = []
                _ = try PlainBooleans.decode(raw, count: count, into: &out)
            }
            expectParquetError { _ = try PlainBooleans.decodeRLE(raw, count: count) }
            expectParquetError {
                var a: [Int32] = [], b: [Int64] = [], c: [Float] = [], d: [Double] = [], e: [UInt8] = []
                _ = try? PlainDecoder.decodeFixed(raw, count: count, into: &a)
                _ = try? PlainDecoder.decodeFixed(raw, count: count, into: &b)
                _ = try? PlainDecoder.decodeFixed(raw, count: count, into: &c)
                _ = try? PlainDecoder.decodeFixed(raw, count: count, into: &d)
                _ = try PlainDecoder.decodeFixedLenByteArray(raw, width: bitWidth, count: count, into: &e)
            }
            expectParquetError {
                var decoder = try DeltaBinaryPackedDecoder(raw)
                var out: [Int64] = []
                try decoder.decode(into: &out, count: Swift.min(count, decoder.totalCount))
                try decoder.skipToEnd()
                XCTAssertLessThanOrEqual(decoder.consumed, raw.count)
            }
            expectParquetError {
                var decoder = try DeltaBinaryPackedDecoder(raw)
                var out: [Int32] = []
                try decoder.decode(into: &out, count: Swift.min(count, decoder.totalCount))
            }
            for codec in [ByteArrayCodec.plain, .deltaLength, .deltaByteArray] {
                expectParquetError {
                    var offsets = [0]
                    var data: [UInt8] = []
                    let consumed: Int
                    switch codec {
                    case .plain: consumed = try PlainDecoder.decodeByteArray(raw, count: count, offsets: &offsets, data: &data)
                    case .deltaLength: consumed = try DeltaLengthByteArray.decode(raw, count: count, offsets: &offsets, data: &data)
                    case .deltaByteArray: consumed = try DeltaByteArray.decode(raw, count: count, offsets: &offsets, data: &data)
                    }
                    XCTAssertLessThanOrEqual(consumed, raw.count)
                    XCTAssertEqual(offsets.count, count + 1)
                    XCTAssertEqual(offsets.last, data.count)
                }
            }
            expectParquetError {
                var out: [UInt8] = []
                try ByteStreamSplit.decode(raw, width: bitWidth, count: count, into: &out)
            }
        }
    }

    func testFuzzRandomBytes() {
        var rng = SplitMix64(seed: 12)
        for _ in 0..<2000 {
            let length = Int(rng.next() % 80)
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            runAllDecoders(bytes, &rng)
        }
    }

    func testFuzzMutatedEncodings() {
        var rng = SplitMix64(seed: 13)
        var seeds: [[UInt8]] = []
        seeds.append(hybridEncode((0..<200).map { UInt32($0 % 7 == 0 ? 3 : $0 % 5) }, bitWidth: 3))
        seeds.append([40, 0, 0, 0] + hybridEncode((0..<100).map { UInt32($0 / 30 % 2) }, bitWidth: 1))
        seeds.append(deltaEncode((0..<200).map { Int64($0 * $0) }))
        seeds.append(deltaEncode32((0..<150).map { Int32($0 % 13) - 6 }))
        seeds.append(encodeByteArrays((0..<60).map { bytesOf("item\($0)") }, .deltaLength))
        seeds.append(encodeByteArrays((0..<60).map { bytesOf("item\($0 / 3)") }, .deltaByteArray))
        seeds.append(encodeByteArrays((0..<40).map { bytesOf("p\($0)") }, .plain))
        for _ in 0..<2000 {
            var bytes = seeds[Int(rng.next() % UInt64(seeds.count))]
            for _ in 0..<(1 + Int(rng.next() % 4)) where !bytes.isEmpty {
                bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
            if rng.next() % 3 == 0 { bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count + 1)))) }
            runAllDecoders(bytes, &rng)
        }
    }
}
