import Parquet
import XCTest
import TestSupport

/// The Thrift compact protocol: encodings of scalars and headers, skipping, and
/// that malformed input gives a `ParquetError` rather than a crash.
final class ThriftTests: XCTestCase {
    typealias WireType = ThriftCompactReader.WireType

    /// Runs `body` over a reader of `bytes`.
    private func reading<T>(_ bytes: [UInt8], _ body: (inout ThriftCompactReader) throws(ParquetError) -> T) throws -> T {
        try bytes.withUnsafeBytes { raw in
            var r = ThriftCompactReader(raw)
            do throws(ParquetError) {
                return try body(&r)
            } catch {
                throw error
            }
        }
    }

    /// The error `body` throws over `bytes`, failing the test if it succeeds.
    private func readingError<T>(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line,
                                 _ body: (inout ThriftCompactReader) throws(ParquetError) -> T) -> ParquetError? {
        do {
            _ = try reading(bytes, body)
            XCTFail("expected an error", file: file, line: line)
            return nil
        } catch let error as ParquetError {
            return error
        } catch {
            XCTFail("not a ParquetError: \(error)", file: file, line: line)
            return nil
        }
    }

    // MARK: Varints and zigzag

    func testVarintEdgeValues() throws {
        let cases: [(UInt64, Int)] = [
            (0, 1), (1, 1), (127, 1), (128, 2), (255, 2), (300, 2), (16383, 2), (16384, 3),
            (UInt64(UInt32.max), 5), (1 << 56, 9), (UInt64(Int64.max), 9), (1 << 63, 10), (UInt64.max, 10),
        ]
        for (value, length) in cases {
            var w = ThriftCompactWriter()
            w.writeVarint(value)
            XCTAssertEqual(w.bytes.count, length, "length of \(value)")
            let back = try reading(w.bytes) { (r) throws(ParquetError) in try r.readVarint() }
            XCTAssertEqual(back, value)
        }
        var w = ThriftCompactWriter()
        w.writeVarint(300)
        XCTAssertEqual(w.bytes, [0xAC, 0x02])
        w = ThriftCompactWriter()
        w.writeVarint(UInt64.max)
        XCTAssertEqual(w.bytes, Array(repeating: 0xFF, count: 9) + [0x01])
    }

    func testVarintTooLongOrOverflowingIsAnError() {
        // 11 bytes, every one with the continuation bit.
        let tooLong = Array(repeating: UInt8(0x80), count: 11) + [0]
        XCTAssertEqual(readingError(tooLong) { (r) throws(ParquetError) in try r.readVarint() }?.kind, .corrupt)
        // The 10th byte may only contribute bit 63.
        let overflow = Array(repeating: UInt8(0xFF), count: 9) + [0x02]
        let error = readingError(overflow) { (r) throws(ParquetError) in try r.readVarint() }
        XCTAssertEqual(error?.kind, .corrupt)
        XCTAssertTrue(error?.message.hasPrefix("thrift: ") ?? false, error?.message ?? "")
        XCTAssertTrue(error?.message.contains("at byte") ?? false, error?.message ?? "")
        // Truncated in the middle.
        XCTAssertEqual(readingError([0x80, 0x80]) { (r) throws(ParquetError) in try r.readVarint() }?.kind, .corrupt)
        XCTAssertEqual(readingError([]) { (r) throws(ParquetError) in try r.readVarint() }?.kind, .corrupt)
    }

    func testZigzagEdgeValues() throws {
        let expected: [(Int64, [UInt8])] = [(0, [0]), (-1, [1]), (1, [2]), (-2, [3]), (63, [0x7E]), (-64, [0x7F]), (64, [0x80, 0x01])]
        for (value, bytes) in expected {
            var w = ThriftCompactWriter()
            w.writeI64(value)
            XCTAssertEqual(w.bytes, bytes, "zigzag of \(value)")
        }
        let i64s: [Int64] = [0, 1, -1, 63, -64, Int64(Int32.max), Int64(Int32.min), Int64.max, Int64.min, Int64.min + 1]
        for v in i64s {
            var w = ThriftCompactWriter()
            w.writeI64(v)
            XCTAssertEqual(try reading(w.bytes) { (r) throws(ParquetError) in try r.readI64() }, v)
        }
        var w = ThriftCompactWriter()
        w.writeI64(Int64.min)
        XCTAssertEqual(w.bytes, Array(repeating: 0xFF, count: 9) + [0x01])
        for v in [Int32.min, Int32.max, 0, -1, 1] {
            var w = ThriftCompactWriter()
            w.writeI32(v)
            XCTAssertEqual(try reading(w.bytes) { (r) throws(ParquetError) in try r.readI32() }, v)
        }
        for v in [Int16.min, Int16.max, 0, -1] {
            var w = ThriftCompactWriter()
            w.writeI16(v)
            XCTAssertEqual(try reading(w.bytes) { (r) throws(ParquetError) in try r.readI16() }, v)
        }
    }

    func testNarrowIntegersOutOfRangeAreErrors() {
        var w = ThriftCompactWriter()
        w.writeI64(Int64(Int32.max) + 1)
        XCTAssertEqual(readingError(w.bytes) { (r) throws(ParquetError) in try r.readI32() }?.kind, .corrupt)
        w = ThriftCompactWriter()
        w.writeI64(Int64(Int32.min) - 1)
        XCTAssertEqual(readingError(w.bytes) { (r) throws(ParquetError) in try r.readI32() }?.kind, .corrupt)
        w = ThriftCompactWriter()
        w.writeI32(40000)
        XCTAssertEqual(readingError(w.bytes) { (r) throws(ParquetError) in try r.readI16() }?.kind, .corrupt)
    }

    func testDoubleBinaryAndString() throws {
        var w = ThriftCompactWriter()
        w.writeDouble(1.5)
        w.writeDouble(-.infinity)
        w.writeBinary([1, 2, 3])
        w.writeBinary([])
        w.writeString("héllo")
        w.writeBinary([0x61, 0xFF, 0x62])  // invalid UTF-8
        XCTAssertEqual(Array(w.bytes[0..<8]), [0, 0, 0, 0, 0, 0, 0xF8, 0x3F])
        try reading(w.bytes) { (r) throws(ParquetError) in
            XCTAssertEqual(try r.readDouble(), 1.5)
            XCTAssertEqual(try r.readDouble(), -.infinity)
            XCTAssertEqual(try r.readBinary(), [1, 2, 3])
            XCTAssertEqual(try r.readBinary(), [])
            XCTAssertEqual(try r.readString(), "héllo")
            XCTAssertEqual(try r.readString(), "a\u{FFFD}b")
            XCTAssertEqual(r.remaining, 0)
        }
        XCTAssertEqual(readingError([0, 0, 0]) { (r) throws(ParquetError) in try r.readDouble() }?.kind, .corrupt)
        // A length larger than the bytes left is an error, not an allocation.
        XCTAssertEqual(readingError([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 1, 2]) { (r) throws(ParquetError) in try r.readBinary() }?.kind,
                       .corrupt)
        XCTAssertEqual(readingError([0x04, 1, 2, 3]) { (r) throws(ParquetError) in try r.readString() }?.kind, .corrupt)
    }

    // MARK: Field headers

    func testFieldIdDeltasAndLongForm() throws {
        var w = ThriftCompactWriter()
        w.structBegin()
        w.field(1, i32: 7)          // delta 1
        w.field(16, i32: 8)         // delta 15: still short
        w.field(40, i32: 9)         // delta 24: long form
        w.field(39, i32: 10)        // going back: long form
        w.field(-3, i32: 11)        // negative id: long form
        w.field(Int16.max, i64: 12) // far jump: long form, no overflow
        w.structEnd()
        XCTAssertEqual(Array(w.bytes[0..<2]), [0x15, 14])   // delta 1, type i32, zigzag(7)
        XCTAssertEqual(Array(w.bytes[2..<4]), [0xF5, 16])   // delta 15
        XCTAssertEqual(Array(w.bytes[4..<7]), [0x05, 80, 18]) // long form: type, zigzag(40), zigzag(9)
        XCTAssertEqual(w.bytes.last, 0)
        let fields = try reading(w.bytes) { (r) throws(ParquetError) -> [(Int16, Int64)] in
            var out: [(Int16, Int64)] = []
            try r.readStruct { (r, h) throws(ParquetError) in
                out.append((h.id, h.type == .i32 ? Int64(try r.readI32()) : try r.readI64()))
            }
            XCTAssertEqual(r.remaining, 0)
            return out
        }
        XCTAssertEqual(fields.map(\.0), [1, 16, 40, 39, -3, Int16.max])
        XCTAssertEqual(fields.map(\.1), [7, 8, 9, 10, 11, 12])
    }

    func testNestedStructsKeepTheirOwnFieldIds() throws {
        var w = ThriftCompactWriter()
        w.structBegin()
        w.field(2, i32: 1)
        w.fieldHeader(3, .structure)
        w.structBegin()
        w.field(1, i32: 2)
        w.field(9, i32: 3)
        w.structEnd()
        w.field(4, i32: 4)  // delta 1 from the outer field 3, not from the inner 9
        w.structEnd()
        XCTAssertEqual(w.bytes[w.bytes.count - 3], 0x15)
        var seen: [String] = []
        try reading(w.bytes) { (r) throws(ParquetError) in
            try r.readStruct { (r, h) throws(ParquetError) in
                if h.type == .structure {
                    try r.readStruct { (r, inner) throws(ParquetError) in
                        seen.append("\(h.id).\(inner.id)=\(try r.readI32())")
                    }
                } else {
                    seen.append("\(h.id)=\(try r.readI32())")
                }
            }
        }
        XCTAssertEqual(seen, ["2=1", "3.1=2", "3.9=3", "4=4"])
    }

    func testBoolFieldsLiveInTheType() throws {
        var w = ThriftCompactWriter()
        w.structBegin()
        w.field(1, bool: true)
        w.field(2, bool: false)
        w.field(3, bools: [true, false, true])
        w.structEnd()
        XCTAssertEqual(Array(w.bytes[0..<2]), [0x11, 0x12])
        try reading(w.bytes) { (r) throws(ParquetError) in
            var values: [Bool] = []
            var list: [Bool]?
            try r.readStruct { (r, h) throws(ParquetError) in
                if h.type == .list {
                    list = try r.readList(.boolTrue) { (r) throws(ParquetError) in try r.readBoolElement() }
                } else {
                    values.append(r.boolValue(h))
                }
            }
            XCTAssertEqual(values, [true, false])
            XCTAssertEqual(list, [true, false, true])
            XCTAssertEqual(r.remaining, 0)
        }
    }

    func testListHeadersShortAndLong() throws {
        for count in [0, 1, 14, 15, 16, 300] {
            var w = ThriftCompactWriter()
            w.listHeader(.i32, count: count)
            for i in 0..<count { w.writeI32(Int32(i)) }
            XCTAssertEqual(w.bytes[0], count < 15 ? UInt8(count << 4 | 5) : 0xF5)
            let values = try reading(w.bytes) { (r) throws(ParquetError) in
                try r.readList(.i32) { (r) throws(ParquetError) in try r.readI32() }
            }
            XCTAssertEqual(values, (0..<count).map { Int32($0) })
        }
    }

    func testMapHeader() throws {
        var w = ThriftCompactWriter()
        w.mapHeader(key: .binary, value: .i32, count: 2)
        w.writeString("a"); w.writeI32(1)
        w.writeString("b"); w.writeI32(2)
        w.mapHeader(key: .binary, value: .i32, count: 0)
        try reading(w.bytes) { (r) throws(ParquetError) in
            let (k, v, n) = try r.readMapHeader()
            XCTAssertEqual(k, .binary)
            XCTAssertEqual(v, .i32)
            XCTAssertEqual(n, 2)
            for _ in 0..<n {
                _ = try r.readString()
                _ = try r.readI32()
            }
            XCTAssertEqual(try r.readMapHeader().count, 0)
            XCTAssertEqual(r.remaining, 0)
        }
    }

    // MARK: Skipping

    /// A struct with one known field (id 5) among unknown ones of every type.
    private func structWithUnknownFields() -> [UInt8] {
        var w = ThriftCompactWriter()
        w.structBegin()
        w.field(1, i8: -3)
        w.field(2, i16: 300)
        w.field(3, double: 2.5)
        w.field(4, binary: [9, 9, 9])
        w.field(5, string: "known")
        w.field(6, bool: true)
        w.fieldHeader(7, .structure)     // nested struct with a list of structs inside
        w.structBegin()
        w.field(1, bools: [true, false])
        w.fieldHeader(2, .list)
        w.listHeader(.structure, count: 2)
        for i in 0..<2 {
            w.structBegin()
            w.field(1, i64: Int64(i))
            w.fieldHeader(2, .structure)
            w.structBegin()
            w.field(100, string: "deep")
            w.structEnd()
            w.structEnd()
        }
        w.structEnd()
        w.fieldHeader(8, .set)
        w.setHeader(.binary, count: 2)
        w.writeString("x"); w.writeString("y")
        w.fieldHeader(9, .map)           // map<i32, bool>: bools in a map are bytes
        w.mapHeader(key: .i32, value: .boolTrue, count: 3)
        for i in 0..<3 { w.writeI32(Int32(i)); w.writeBoolElement(i % 2 == 0) }
        w.fieldHeader(10, .map)
        w.mapHeader(key: .i32, value: .i32, count: 0)
        w.fieldHeader(11, .list)         // list of lists
        w.listHeader(.list, count: 2)
        w.listHeader(.i64, count: 1); w.writeI64(1)
        w.listHeader(.i64, count: 0)
        w.field(200, i32: 1)             // long-form id
        w.structEnd()
        return w.bytes
    }

    func testSkippingNestedUnknownFields() throws {
        let bytes = structWithUnknownFields()
        let known = try reading(bytes) { (r) throws(ParquetError) -> String? in
            var known: String?
            try r.readStruct { (r, h) throws(ParquetError) in
                if h.id == 5, h.type == .binary { known = try r.readString() } else { try r.skip(h.type) }
            }
            XCTAssertEqual(r.remaining, 0, "skipping consumed exactly the struct")
            return known
        }
        XCTAssertEqual(known, "known")
        // Skipping the whole struct at once.
        try reading(bytes) { (r) throws(ParquetError) in
            try r.skip(.structure)
            XCTAssertEqual(r.remaining, 0)
        }
        // A metadata struct ignores fields it does not know.
        var w = ThriftCompactWriter()
        w.structBegin()
        w.fieldHeader(7, .structure)
        w.bytes += bytes   // the whole struct above as an unknown field 7
        w.field(1, string: "k")
        w.field(2, string: "v")
        w.field(9, double: 1)
        w.structEnd()
        let kv = try KeyValue.decoded(from: w.bytes)
        XCTAssertEqual(kv, KeyValue(key: "k", value: "v"))
    }

    func testWireTypeMismatchIsSkipped() throws {
        // ColumnMetaData with bloom_filter_length (15, i32) written as a list, as in
        // data/dict-page-offset-zero.parquet, and encodings (2) as a list of strings.
        var w = ThriftCompactWriter()
        w.structBegin()
        w.field(1, i32: PhysicalType.int32.rawValue)
        w.field(2, strings: ["PLAIN"])
        w.field(3, strings: ["a"])
        w.field(4, i32: CompressionCodec.snappy.rawValue)
        w.field(5, i64: 10)
        w.field(6, i64: 100)
        w.field(7, i64: 90)
        w.field(9, binary: [1, 2])  // data_page_offset with the wrong type: skipped...
        w.field(10, i64: 4)         // ...so the required field is missing below
        w.field(15, i64s: [1, 2, 3])
        w.structEnd()
        var e = readMetadataError(w.bytes) { (raw) throws(ParquetError) in try ColumnMetaData.decoded(from: raw) }
        XCTAssertEqual(e?.kind, .corrupt)
        XCTAssertTrue(e?.message.contains("data_page_offset") ?? false, e?.message ?? "")

        w = ThriftCompactWriter()
        w.structBegin()
        w.field(1, i32: PhysicalType.int32.rawValue)
        w.field(2, strings: ["PLAIN"])
        w.field(3, strings: ["a"])
        w.field(4, i32: CompressionCodec.snappy.rawValue)
        w.field(5, i64: 10)
        w.field(6, i64: 100)
        w.field(7, i64: 90)
        w.field(9, i64: 4)
        w.field(12, i32: 5)          // statistics as an i32
        w.field(15, i64s: [1, 2, 3]) // bloom_filter_length as a list
        w.structEnd()
        let m = try ColumnMetaData.decoded(from: w.bytes)
        XCTAssertEqual(m.type, .int32)
        XCTAssertEqual(m.encodings, [])
        XCTAssertEqual(m.pathInSchema, ["a"])
        XCTAssertEqual(m.codec, .snappy)
        XCTAssertEqual(m.dataPageOffset, 4)
        XCTAssertNil(m.statistics)
        XCTAssertNil(m.bloomFilterLength)

        // SchemaElement whose name is an i32: the name is missing.
        w = ThriftCompactWriter()
        w.structBegin()
        w.field(4, i32: 1)
        w.structEnd()
        e = readMetadataError(w.bytes) { (raw) throws(ParquetError) in try SchemaElement.decoded(from: raw) }
        XCTAssertEqual(e?.kind, .corrupt)
    }

    private func readMetadataError<T>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(ParquetError) -> T) -> ParquetError? {
        do {
            _ = try bytes.withUnsafeBytes { raw in
                do throws(ParquetError) { return try body(raw) } catch { throw error }
            }
            XCTFail("expected an error")
        } catch let error as ParquetError {
            return error
        } catch {
            XCTFail("not a ParquetError: \(error)")
        }
        return nil
    }

    // MARK: Malformed input

    func testTruncatedInputIsAnErrorAtEveryLength() throws {
        let bytes = structWithUnknownFields()
        for n in 0..<bytes.count {
            let prefix = Array(bytes[0..<n])
            XCTAssertEqual(readingError(prefix) { (r) throws(ParquetError) in try r.skip(.structure) }?.kind, .corrupt, "prefix \(n)")
        }
        let footer = MetadataSamples.fileMetaData().encoded()
        for n in 0..<footer.count {
            let prefix = Array(footer[0..<n])
            XCTAssertNotNil(readMetadataError(prefix) { (raw) throws(ParquetError) in try FileMetaData.decode(raw) }, "prefix \(n)")
        }
        let page = MetadataSamples.dataPageV2Header().encoded()
        for n in 0..<page.count {
            XCTAssertNotNil(readMetadataError(Array(page[0..<n])) { (raw) throws(ParquetError) in try PageHeader.decode(raw) })
        }
    }

    func testHugeSizesAreRejectedBeforeAllocating() {
        // A list of 2^31 i32s with 3 bytes behind it.
        let list: [UInt8] = [0xF5, 0x80, 0x80, 0x80, 0x80, 0x08, 1, 2, 3]
        var e = readingError(list) { (r) throws(ParquetError) in try r.readListHeader() }
        XCTAssertEqual(e?.kind, .corrupt)
        XCTAssertTrue(e?.message.contains("exceeds") ?? false, e?.message ?? "")
        e = readingError(list) { (r) throws(ParquetError) in try r.readList(.i32) { (r) throws(ParquetError) in try r.readI32() } }
        XCTAssertEqual(e?.kind, .corrupt)
        e = readingError(list) { (r) throws(ParquetError) in try r.skip(.list) }
        XCTAssertEqual(e?.kind, .corrupt)
        // The largest varint size.
        let maxList: [UInt8] = [0xFC] + Array(repeating: 0xFF, count: 9) + [0x01]
        XCTAssertEqual(readingError(maxList) { (r) throws(ParquetError) in try r.skip(.list) }?.kind, .corrupt)
        // A map of 2^40 entries.
        let map: [UInt8] = [0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x55, 1, 1]
        XCTAssertEqual(readingError(map) { (r) throws(ParquetError) in try r.readMapHeader() }?.kind, .corrupt)
        // A FileMetaData whose schema claims 2^31 elements.
        let footer: [UInt8] = [0x15, 0x02, 0x19, 0xFC, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00]
        XCTAssertNotNil(readMetadataError(footer) { (raw) throws(ParquetError) in try FileMetaData.decode(raw) })
        // A binary of Int64.max bytes.
        let binary: [UInt8] = [0x18] + Array(repeating: 0xFF, count: 8) + [0x7F, 0]
        XCTAssertEqual(readingError(binary) { (r) throws(ParquetError) in try r.skip(.structure) }?.kind, .corrupt)
    }

    func testDeepNestingIsAnErrorNotAStackOverflow() {
        // 100,000 nested structs: field 1 of type struct, again and again.
        let structs = Array(repeating: UInt8(0x1C), count: 100_000)
        var e = readingError(structs) { (r) throws(ParquetError) in try r.skip(.structure) }
        XCTAssertEqual(e?.kind, .corrupt)
        XCTAssertTrue(e?.message.contains("deeper") ?? false, e?.message ?? "")
        // 100,000 nested lists of one list each.
        let lists = Array(repeating: UInt8(0x19), count: 100_000)
        e = readingError(lists) { (r) throws(ParquetError) in try r.skip(.list) }
        XCTAssertEqual(e?.kind, .corrupt)
        // Alternating lists and structs, through the metadata decoders.
        var mixed: [UInt8] = []
        for _ in 0..<50_000 { mixed += [0x19, 0x1C] }
        XCTAssertNotNil(readMetadataError(mixed) { (raw) throws(ParquetError) in try FileMetaData.decode(raw) })
        XCTAssertNotNil(readMetadataError(structs) { (raw) throws(ParquetError) in try PageHeader.decode(raw) })
        // Nesting within the limit is fine.
        let shallow = Array(repeating: UInt8(0x1C), count: 60) + Array(repeating: UInt8(0), count: 61)
        XCTAssertNoThrow(try reading(shallow) { (r) throws(ParquetError) in try r.skip(.structure) })
    }

    func testBadTypesAndPositionsAreErrors() {
        // Field type 13 does not exist.
        XCTAssertEqual(readingError([0x1D]) { (r) throws(ParquetError) in try r.readFieldHeader() }?.kind, .corrupt)
        // A list of STOP elements.
        XCTAssertEqual(readingError([0x20, 0, 0]) { (r) throws(ParquetError) in try r.skip(.list) }?.kind, .corrupt)
        // Field id overflowing i16 through deltas.
        var overflow: [UInt8] = [0x05, 0xFC, 0xFF, 0x03, 0x00]  // field 32766 (long form), value 0
        overflow += [0x35, 0x00]                                 // delta 3 → overflow
        XCTAssertEqual(readingError(overflow) { (r) throws(ParquetError) in try r.skip(.structure) }?.kind, .corrupt)
        // A position outside the buffer never reads out of bounds.
        XCTAssertEqual(readingError([1, 2, 3]) { (r) throws(ParquetError) in r.position = -5; return try r.readByte() }?.kind,
                       .corrupt)
        XCTAssertEqual(readingError([1, 2, 3]) { (r) throws(ParquetError) in r.position = 99; return try r.readDouble() }?.kind,
                       .corrupt)
        XCTAssertEqual(readingError([1, 2, 3]) { (r) throws(ParquetError) in r.position = 2; return try r.readBinary() }?.kind,
                       .corrupt)
    }

    func testRandomAndMutatedInputNeverCrashes() {
        var rng = SplitMix64(seed: 0x5eed)
        let valid = [MetadataSamples.fileMetaData().encoded(), MetadataSamples.dataPageV2Header().encoded(),
                     structWithUnknownFields()]
        for round in 0..<3000 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                bytes = (0..<Int(rng.next() % 200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            } else {
                bytes = valid[Int(rng.next() % UInt64(valid.count))]
                for _ in 0..<(1 + Int(rng.next() % 4)) where !bytes.isEmpty {
                    let i = Int(rng.next() % UInt64(bytes.count))
                    switch rng.next() % 3 {
                    case 0: bytes[i] ^= UInt8(1) << (rng.next() % 8)
                    case 1: bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                    default: bytes.removeSubrange(i...)
                    }
                }
            }
            bytes.withUnsafeBytes { raw in
                _ = try? FileMetaData.decode(raw)
                _ = try? PageHeader.decode(raw)
                _ = try? ColumnIndex.decoded(from: raw)
                var r = ThriftCompactReader(raw)
                _ = try? r.skip(.structure)
                XCTAssertLessThanOrEqual(r.position, raw.count)
            }
        }
    }
}
