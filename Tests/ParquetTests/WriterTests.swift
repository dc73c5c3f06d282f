import Columnar
import Foundation
import Parquet
import XCTest
import TestSupport

/// Round trips through `ParquetWriter` and `ParquetFile`: every type, flat and
/// nested, nulls at every level, several option combinations; footer
/// statistics, page indexes and bloom filters.
final class WriterTests: XCTestCase {
    // MARK: values as comparable trees

    /// One in-memory value, independent of storage (dictionary or not, Int32 or Int64...).
    indirect enum V: Equatable, CustomStringConvertible {
        case null
        case bool(Bool)
        case int(Int128)
        case uint(UInt64)
        /// Floats by bit pattern, so NaN == NaN and -0.0 != +0.0.
        case float(UInt64)
        case bytes([UInt8])
        case list([V])
        case record([V])

        var description: String {
            switch self {
            case .null: "null"
            case let .bool(b): "\(b)"
            case let .int(i): "\(i)"
            case let .uint(u): "\(u)u"
            case let .float(bits): "f\(bits)"
            case let .bytes(b): "\"" + String(decoding: b, as: UTF8.self) + "\""
            case let .list(l): "[" + l.map(\.description).joined(separator: ", ") + "]"
            case let .record(r): "(" + r.map(\.description).joined(separator: ", ") + ")"
            }
        }
    }

    static func value(_ c: Column, _ row: Int) -> V {
        if c.isNull(row) { return .null }
        switch c.storage {
        case let .dictionary(indices, dictionary): return value(dictionary.value, Int(indices[row]))
        case let .boolean(v): return .bool(v[row] != 0)
        case let .int8(v): return .int(Int128(v[row]))
        case let .int16(v): return .int(Int128(v[row]))
        case let .int32(v): return .int(Int128(v[row]))
        case let .int64(v): return .int(Int128(v[row]))
        case let .int128(v): return .int(v[row])
        case let .uint8(v): return .uint(UInt64(v[row]))
        case let .uint16(v): return .uint(UInt64(v[row]))
        case let .uint32(v): return .uint(UInt64(v[row]))
        case let .uint64(v): return .uint(v[row])
        case let .float32(v): return .float(UInt64(v[row].bitPattern))
        case let .float64(v): return .float(v[row].bitPattern)
        case let .bytes(offsets, data): return .bytes(Array(data[offsets[row]..<offsets[row + 1]]))
        case let .fixedBytes(width, data): return .bytes(Array(data[(row * width)..<((row + 1) * width)]))
        case let .list(offsets, child): return .list((offsets[row]..<offsets[row + 1]).map { value(child.value, $0) })
        case let .structure(children): return .record(children.map { value($0, row) })
        }
    }

    static func rows(_ c: Column) -> [V] { (0..<c.count).map { value(c, $0) } }

    // MARK: building columns from values

    static func column(_ type: DataType, _ values: [V]) -> Column {
        let n = values.count
        let validity: Bitmap? = values.contains(.null) ? Bitmap(values.map { $0 != .null }) : nil
        func ints<T: FixedWidthInteger>(_: T.Type) -> [T] {
            values.map { if case let .int(i) = $0 { T(truncatingIfNeeded: i) } else { 0 } }
        }
        func uints<T: FixedWidthInteger>(_: T.Type) -> [T] {
            values.map { if case let .uint(u) = $0 { T(truncatingIfNeeded: u) } else { 0 } }
        }
        func bytes() -> (offsets: [Int], data: [UInt8]) {
            var offsets = [0], data: [UInt8] = []
            for v in values {
                if case let .bytes(b) = v { data += b }
                offsets.append(data.count)
            }
            return (offsets, data)
        }
        let storage: Column.Storage
        switch type {
        case .boolean: storage = .boolean(values.map { if case .bool(true) = $0 { 1 } else { 0 } })
        case .int8: storage = .int8(ints(Int8.self))
        case .int16: storage = .int16(ints(Int16.self))
        case .int32, .date32: storage = .int32(ints(Int32.self))
        case .int64, .time, .timestamp: storage = .int64(ints(Int64.self))
        case .interval: storage = .fixedBytes(width: 16, data: [UInt8](repeating: 0, count: 16 * values.count))
        case let .decimal(p, _): storage = p <= 18 ? .int64(ints(Int64.self)) : .int128(ints(Int128.self))
        case .uint8: storage = .uint8(uints(UInt8.self))
        case .uint16, .float16: storage = .uint16(uints(UInt16.self))
        case .uint32: storage = .uint32(uints(UInt32.self))
        case .uint64: storage = .uint64(uints(UInt64.self))
        case .float32: storage = .float32(values.map { if case let .float(b) = $0 { Float(bitPattern: UInt32(truncatingIfNeeded: b)) } else { 0 } })
        case .float64: storage = .float64(values.map { if case let .float(b) = $0 { Double(bitPattern: b) } else { 0 } })
        case .string, .binary:
            let (o, d) = bytes()
            storage = .bytes(offsets: o, data: d)
        case let .fixedBinary(w):
            storage = .fixedBytes(width: w, data: values.flatMap { if case let .bytes(b) = $0 { b } else { [UInt8](repeating: 0, count: w) } })
        case let .list(element):
            var offsets = [0], elements: [V] = []
            for v in values {
                if case let .list(items) = v { elements += items }
                offsets.append(elements.count)
            }
            storage = .list(offsets: offsets, child: Box(column(element.type, elements)))
        case let .map(key, value):
            var offsets = [0], entries: [V] = []
            for v in values {
                if case let .list(items) = v { entries += items }
                offsets.append(entries.count)
            }
            storage = .list(offsets: offsets, child: Box(column(.structure([key, value]), entries)))
        case let .structure(fields):
            storage = .structure(fields.indices.map { i in
                column(fields[i].type, values.map { if case let .record(r) = $0 { r[i] } else { .null } })
            })
        }
        return Column(type: type, count: n, validity: validity, storage: storage)
    }

    // MARK: random values

    static let words = ["alpha", "beta", "gamma", "delta", "", "épsilon", "zeta", "eta", "theta", "iota", "kappa"]

    static func random(_ type: DataType, nullable: Bool, _ rng: inout SplitMix64, nullEvery: UInt64 = 7) -> V {
        if nullable && rng.next() % nullEvery == 0 { return .null }
        let r = rng.next()
        func signed(_ bits: Int) -> V { .int(Int128(Int64(bitPattern: r) >> Int64(64 - bits))) }
        switch type {
        case .boolean: return .bool(r & 1 == 1)
        case .interval: return .null  // not a Parquet type the writer stores
        case .int8: return signed(8)
        case .int16: return signed(16)
        case .int32, .date32: return r % 3 == 0 ? .int(Int128(Int32(r % 100))) : signed(32)
        case .int64, .timestamp: return r % 3 == 0 ? .int(Int128(r % 50)) : signed(64)
        case let .time(unit): return .int(Int128(r % UInt64(unit.perSecond * 86_400)))
        case let .decimal(p, _):
            let limit = p >= 38 ? Int128.max / 2 : (0..<p).reduce(Int128(1)) { v, _ in v * 10 } - 1
            let magnitude = (Int128(r) << 64 | Int128(rng.next())) % (limit + 1)
            return .int(r & 1 == 0 ? magnitude : -magnitude)
        case .uint8: return .uint(r & 0xFF)
        case .uint16: return .uint(r & 0xFFFF)
        case .uint32: return .uint(r & 0xFFFF_FFFF)
        case .uint64: return .uint(r)
        case .float16:
            let choices: [UInt16] = [0x0000, 0x8000, 0x3C00, 0xBC00, 0x7BFF, 0x0001, 0x7E00, 0x4248]
            return .uint(UInt64(choices[Int(r % UInt64(choices.count))]))
        case .float32:
            let choices: [Float] = [0, -0.0, 1.5, -2.25, .greatestFiniteMagnitude, -.infinity, Float(Int32(truncatingIfNeeded: r)) / 7]
            return .float(UInt64(choices[Int(r % UInt64(choices.count))].bitPattern))
        case .float64:
            let choices: [Double] = [0, -0.0, 1e300, -3.5, .nan, .infinity, Double(Int64(bitPattern: r)) / 3]
            return .float(choices[Int(r % UInt64(choices.count))].bitPattern)
        case .string:
            let w = words[Int(r % UInt64(words.count))]
            return .bytes(Array((r % 5 == 0 ? w + String(r % 1000) : w).utf8))
        case .binary: return .bytes((0..<Int(r % 9)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        case let .fixedBinary(w): return .bytes((0..<w).map { _ in UInt8(truncatingIfNeeded: rng.next() % 4) })
        case let .list(element):
            return .list((0..<Int(r % 4)).map { _ in random(element.type, nullable: element.nullable, &rng, nullEvery: nullEvery) })
        case let .map(key, value):
            return .list((0..<Int(r % 4)).map { _ in
                .record([random(key.type, nullable: false, &rng, nullEvery: nullEvery),
                         random(value.type, nullable: value.nullable, &rng, nullEvery: nullEvery)])
            })
        case let .structure(fields):
            return .record(fields.map { random($0.type, nullable: $0.nullable, &rng, nullEvery: nullEvery) })
        }
    }

    static func batch(_ fields: [Field], rows: Int, seed: UInt64) -> (RecordBatch, [[V]]) {
        var rng = SplitMix64(seed: seed)
        var columns: [Column] = []
        var expected: [[V]] = []
        for f in fields {
            let values = (0..<rows).map { _ in random(f.type, nullable: f.nullable, &rng) }
            columns.append(column(f.type, values))
            expected.append(values)
        }
        return (RecordBatch(fields: fields, columns: columns, rowCount: rows), expected)
    }

    // MARK: helpers

    var temporaryFiles: [String] = []

    func temporaryPath() -> String {
        let path = NSTemporaryDirectory() + "basalt-writer-\(UUID().uuidString).parquet"
        temporaryFiles.append(path)
        return path
    }

    override func tearDown() {
        for path in temporaryFiles { try? FileManager.default.removeItem(atPath: path) }
        temporaryFiles = []
        super.tearDown()
    }

    /// Writes the batches, reads every row group back; returns the file and each column's rows.
    func roundTrip(_ fields: [Field], _ batches: [RecordBatch], options: WriterOptions,
                   line: UInt = #line) throws -> (ParquetFile, [[V]]) {
        let path = temporaryPath()
        let writer = try ParquetWriter(path: path, fields: fields, options: options)
        for b in batches { try writer.write(b) }
        let footer = try writer.close()
        let file = try ParquetFile(path: path)
        XCTAssertEqual(file.metadata.numRows, footer.numRows, line: line)
        XCTAssertEqual(file.fields(), fields, line: line)
        var got = [[V]](repeating: [], count: fields.count)
        for g in 0..<file.rowGroupCount {
            let batch = try file.readRowGroup(g)
            for (c, column) in batch.columns.enumerated() { got[c] += Self.rows(column) }
        }
        return (file, got)
    }

    func assertRows(_ got: [[V]], _ expected: [[V]], _ fields: [Field], _ what: String, line: UInt = #line) {
        for c in fields.indices {
            XCTAssertEqual(got[c].count, expected[c].count, "\(what): column \(fields[c].name) row count", line: line)
            for r in 0..<min(got[c].count, expected[c].count) where got[c][r] != expected[c][r] {
                XCTFail("\(what): column \(fields[c].name) row \(r): \(got[c][r]) != \(expected[c][r])", line: line)
                break
            }
        }
    }

    static let flatFields: [Field] = [
        Field("b", .boolean), Field("i8", .int8), Field("i16", .int16, nullable: false), Field("i32", .int32),
        Field("i64", .int64, nullable: false), Field("u8", .uint8), Field("u16", .uint16), Field("u32", .uint32),
        Field("u64", .uint64), Field("h", .float16), Field("f", .float32), Field("d", .float64),
        Field("dec9", .decimal(precision: 9, scale: 2)), Field("dec18", .decimal(precision: 18, scale: 4)),
        Field("dec38", .decimal(precision: 38, scale: 10)), Field("dec20", .decimal(precision: 20, scale: 0), nullable: false),
        Field("s", .string), Field("bin", .binary), Field("fixed", .fixedBinary(width: 3)), Field("date", .date32),
        Field("tms", .time(.millisecond)), Field("tus", .time(.microsecond)), Field("tns", .time(.nanosecond)),
        Field("ts", .timestamp(.millisecond, utc: true)), Field("tsu", .timestamp(.microsecond, utc: false)),
        Field("tsn", .timestamp(.nanosecond, utc: true)), Field("s_req", .string, nullable: false),
    ]

    static let nestedFields: [Field] = [
        Field("li", .list(Field("element", .int32, nullable: true))),
        Field("lls", .list(Field("element", .list(Field("element", .string, nullable: true)), nullable: true))),
        Field("st", .structure([Field("a", .int64, nullable: true), Field("b", .list(Field("element", .string, nullable: false)), nullable: true),
                                Field("c", .structure([Field("x", .float64, nullable: false)]), nullable: true)])),
        Field("m", .map(key: Field("key", .string, nullable: false), value: Field("value", .int32, nullable: true))),
        Field("ls", .list(Field("element", .structure([Field("x", .float64, nullable: true), Field("y", .string, nullable: false)]), nullable: true)),
              nullable: false),
        Field("req_list", .list(Field("element", .int64, nullable: false)), nullable: false),
        Field("md", .map(key: Field("key", .int32, nullable: false), value: Field("value", .decimal(precision: 25, scale: 3), nullable: false))),
    ]

    static var optionCombos: [(String, WriterOptions)] {
        var out: [(String, WriterOptions)] = []
        var o = WriterOptions()
        out.append(("default", o))
        o = WriterOptions(); o.dataPageVersion = 2
        out.append(("v2", o))
        o = WriterOptions(); o.dictionary = false; o.codec = .snappy
        out.append(("plain snappy", o))
        o = WriterOptions(); o.dictionary = false; o.preferDelta = true; o.dataPageVersion = 2; o.codec = .uncompressed
        out.append(("delta v2 uncompressed", o))
        o = WriterOptions(); o.preferDelta = true; o.codec = .gzip; o.dictionaryPageSizeLimit = 64
        out.append(("dictionary fallback to delta, gzip", o))
        o = WriterOptions(); o.dataPageRowLimit = 7; o.rowGroupRows = 50; o.codec = .lz4Raw; o.dataPageSize = 64
        out.append(("tiny pages and row groups, lz4", o))
        o = WriterOptions(); o.dataPageVersion = 2; o.dataPageRowLimit = 3; o.rowGroupRows = 17; o.codec = .brotli; o.dictionary = false
        out.append(("tiny v2 plain brotli", o))
        o = WriterOptions(); o.writePageIndex = false; o.codec = .zstd; o.compressionLevel = 9
        out.append(("no page index, zstd 9", o))
        return out
    }

    // MARK: round trips

    func testFlatTypesRoundTripWithEveryOptionCombination() throws {
        let (batch, expected) = Self.batch(Self.flatFields, rows: 300, seed: 1)
        for (name, options) in Self.optionCombos {
            let (_, got) = try roundTrip(Self.flatFields, [batch], options: options)
            assertRows(got, expected, Self.flatFields, name)
        }
    }

    func testNestedTypesRoundTripWithEveryOptionCombination() throws {
        let (batch, expected) = Self.batch(Self.nestedFields, rows: 250, seed: 2)
        for (name, options) in Self.optionCombos {
            let (_, got) = try roundTrip(Self.nestedFields, [batch], options: options)
            assertRows(got, expected, Self.nestedFields, name)
        }
    }

    func testNullsAtEveryLevelAndEmptyLists() throws {
        let type = DataType.list(Field("element", .list(Field("element", .int32, nullable: true)), nullable: true))
        let fields = [Field("x", type), Field("s", .structure([Field("inner", .structure([Field("v", .string)]))]))]
        let x: [V] = [.null, .list([]), .list([.null]), .list([.list([])]), .list([.list([.null])]),
                      .list([.list([.int(1), .null, .int(2)]), .null, .list([]), .list([.int(3)])]), .list([.null, .null])]
        let s: [V] = [.null, .record([.null]), .record([.record([.null])]), .record([.record([.bytes(Array("z".utf8))])]),
                      .null, .record([.record([.bytes([])])]), .record([.null])]
        let batch = RecordBatch(fields: fields, columns: [Self.column(type, x), Self.column(fields[1].type, s)], rowCount: x.count)
        for (name, options) in Self.optionCombos {
            let (_, got) = try roundTrip(fields, [batch], options: options)
            assertRows(got, [x, s], fields, name)
        }
    }

    func testBatchesSplitAcrossRowGroups() throws {
        let fields = [Field("id", .int64, nullable: false), Field("tags", .list(Field("element", .string)))]
        var batches: [RecordBatch] = []
        var expected: [[V]] = [[], []]
        for seed in 0..<5 {
            let (b, e) = Self.batch(fields, rows: 23 + seed, seed: UInt64(100 + seed))
            batches.append(b)
            expected[0] += e[0]
            expected[1] += e[1]
        }
        var options = WriterOptions()
        options.rowGroupRows = 40
        options.dataPageRowLimit = 9
        let (file, got) = try roundTrip(fields, batches, options: options)
        assertRows(got, expected, fields, "split")
        let total = expected[0].count
        XCTAssertEqual(file.rowGroupCount, (total + 39) / 40)
        XCTAssertEqual(file.metadata.rowGroups.map(\.numRows).reduce(0, +), Int64(total))
    }

    func testDictionaryColumnsAreWrittenFromTheirDictionary() throws {
        let dictionary = Self.column(.string, ["red", "green", "blue", "unused"].map { .bytes(Array($0.utf8)) })
        let indices: [Int32] = [0, 1, 2, 0, 0, 1, 2, 2, 1, 0]
        let validity = Bitmap([true, true, false, true, true, true, true, false, true, true])
        let column = Column(type: .string, count: indices.count, validity: validity,
                            storage: .dictionary(indices: indices, dictionary: Box(dictionary)))
        let fields = [Field("color", .string)]
        let batch = RecordBatch(fields: fields, columns: [column], rowCount: indices.count)
        let expected = Self.rows(column)
        for (name, options) in Self.optionCombos {
            // Twice: two input dictionaries merge into one chunk dictionary.
            let (_, got) = try roundTrip(fields, [batch, batch], options: options)
            assertRows(got, [expected + expected], fields, name)
        }
    }

    func testReaderOutputRewritesIdentically() throws {
        let (batch, expected) = Self.batch(Self.nestedFields + Self.flatFields, rows: 120, seed: 3)
        let first = temporaryPath()
        let w1 = try ParquetWriter(path: first, fields: batch.fields)
        try w1.write(batch)
        _ = try w1.close()
        let source = try ParquetFile(path: first)
        var options = WriterOptions()
        options.dataPageVersion = 2
        let (_, got) = try roundTrip(source.fields(), [try source.readRowGroup(0)], options: options)
        assertRows(got, expected, batch.fields, "rewrite")
    }

    func testMemorySinkProducesTheSameFile() throws {
        let (batch, _) = Self.batch(Self.flatFields, rows: 50, seed: 4)
        let sink = MemorySink()
        let writer = try ParquetWriter(sink: sink, fields: Self.flatFields)
        try writer.write(batch)
        _ = try writer.close()
        let path = temporaryPath()
        let fileWriter = try ParquetWriter(path: path, fields: Self.flatFields)
        try fileWriter.write(batch)
        _ = try fileWriter.close()
        XCTAssertEqual(sink.bytes, try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
        XCTAssertEqual(Array(sink.bytes.prefix(4)), Array("PAR1".utf8))
        XCTAssertEqual(Array(sink.bytes.suffix(4)), Array("PAR1".utf8))
        let file = try ParquetFile(source: InMemoryFile(sink.bytes))
        XCTAssertEqual(file.metadata.numRows, 50)
    }

    func testEmptyFileAndKeyValueMetadata() throws {
        let path = temporaryPath()
        var options = WriterOptions()
        options.keyValueMetadata = ["origin": "test", "b": ""]
        options.createdBy = "basalt tests"
        let writer = try ParquetWriter(path: path, fields: [Field("a", .int32)], options: options)
        _ = try writer.close()
        let file = try ParquetFile(path: path)
        XCTAssertEqual(file.metadata.numRows, 0)
        XCTAssertEqual(file.rowGroupCount, 0)
        XCTAssertEqual(file.metadata.createdBy, "basalt tests")
        let kv = Dictionary(uniqueKeysWithValues: (file.metadata.keyValueMetadata ?? []).map { ($0.key, $0.value ?? "") })
        XCTAssertEqual(kv, ["origin": "test", "b": ""])
        XCTAssertEqual(file.metadata.version, 2)
    }

    func testErrors() throws {
        XCTAssertThrowsError(try ParquetWriter(path: "/nonexistent-dir/x.parquet", fields: [Field("a", .int32)])) { error in
            XCTAssertEqual((error as? ParquetError)?.kind, .io)
        }
        var options = WriterOptions()
        options.dataPageVersion = 3
        XCTAssertThrowsError(try ParquetWriter(sink: MemorySink(), fields: [Field("a", .int32)], options: options))
        // A null in a non-nullable column cannot be written.
        let writer = try ParquetWriter(sink: MemorySink(), fields: [Field("a", .int32, nullable: false)])
        let column = Column(type: .int32, count: 2, validity: Bitmap([true, false]), storage: .int32([1, 2]))
        try writer.write(RecordBatch(fields: [Field("a", .int32, nullable: false)], columns: [column], rowCount: 2))
        XCTAssertThrowsError(try writer.close())
    }

    // MARK: statistics

    func testChunkStatisticsFollowEachTypesSortOrder() throws {
        func f32(_ x: Float) -> V { .float(UInt64(x.bitPattern)) }
        func f64(_ x: Double) -> V { .float(x.bitPattern) }
        let fields = [
            Field("i32", .int32), Field("u32", .uint32), Field("u64", .uint64), Field("s", .string),
            Field("f", .float32), Field("d", .float64), Field("nan", .float64), Field("zero", .float32),
            Field("dec", .decimal(precision: 30, scale: 2)), Field("dec9", .decimal(precision: 9, scale: 0)), Field("allnull", .int64),
        ]
        let values: [[V]] = [
            [.int(-5), .null, .int(7), .int(0)],
            [.uint(1), .uint(0xFFFF_FFFF), .null, .uint(2)],
            [.uint(UInt64.max), .uint(3), .uint(1 << 63), .null],
            [.bytes(Array("b".utf8)), .bytes(Array("ab".utf8)), .bytes([0xC3, 0xA9]), .bytes([])],
            [f32(.nan), f32(-1.5), f32(2.5), .null],
            [f64(3), f64(.nan), f64(-.infinity), f64(1)],
            [f64(.nan), .null, f64(.nan), f64(.nan)],
            [f32(0), f32(-0.0), f32(0), .null],
            [.int(-12345678901234567890), .int(5), .null, .int(98765432109876543210)],
            [.int(-3), .int(-999_999_999), .int(999_999_999), .int(0)],
            [.null, .null, .null, .null],
        ]
        let batch = RecordBatch(fields: fields, columns: zip(fields, values).map { Self.column($0.type, $1) }, rowCount: 4)
        for (name, options) in Self.optionCombos {
            let (file, got) = try roundTrip(fields, [batch], options: options)
            assertRows(got, values, fields, name)
            guard file.rowGroupCount == 1 else { continue }
            func stats(_ leaf: Int) -> PruningStatistics? { file.statistics(rowGroup: 0, leaf: leaf) }
            XCTAssertEqual(stats(0)?.min, .signed(-5), name)
            XCTAssertEqual(stats(0)?.max, .signed(7), name)
            XCTAssertEqual(stats(0)?.nullCount, 1, name)
            XCTAssertEqual(stats(1)?.min, .unsigned(1), name)
            XCTAssertEqual(stats(1)?.max, .unsigned(0xFFFF_FFFF), name)
            XCTAssertEqual(stats(2)?.min, .unsigned(3), name)
            XCTAssertEqual(stats(2)?.max, .unsigned(UInt64.max), name)
            XCTAssertEqual(stats(3)?.min, .bytes([]), name)
            XCTAssertEqual(stats(3)?.max, .bytes([0xC3, 0xA9]), name)
            XCTAssertEqual(stats(4)?.min, .float(-1.5), name)
            XCTAssertEqual(stats(4)?.max, .float(2.5), name)
            XCTAssertEqual(stats(5)?.min, .float(-.infinity), name)
            XCTAssertEqual(stats(5)?.max, .float(3), name)
            XCTAssertNil(stats(6)?.min, name)
            XCTAssertNil(stats(6)?.max, name)
            XCTAssertEqual(stats(6)?.nullCount, 1, name)
            let zero = file.metadata.rowGroups[0].columns[7].metaData?.statistics
            XCTAssertEqual(zero?.minValue, withUnsafeBytes(of: Float(-0.0).bitPattern.littleEndian) { Array($0) }, name)
            XCTAssertEqual(zero?.maxValue, withUnsafeBytes(of: Float(0.0).bitPattern.littleEndian) { Array($0) }, name)
            XCTAssertEqual(stats(8)?.min, .decimal(-12345678901234567890), name)
            XCTAssertEqual(stats(8)?.max, .decimal(98765432109876543210), name)
            XCTAssertEqual(stats(9)?.min, .decimal(-999_999_999), name)
            XCTAssertEqual(stats(9)?.max, .decimal(999_999_999), name)
            XCTAssertNil(stats(10)?.min, name)
            XCTAssertEqual(stats(10)?.nullCount, 4, name)
        }
    }

    // MARK: page index

    func testPageIndexHasOneEntryPerPageAtRecordBoundaries() throws {
        let fields = [Field("id", .int64, nullable: false), Field("tags", .list(Field("element", .string))), Field("maybe", .int32)]
        let rows = 103
        let id = Self.column(.int64, (0..<rows).map { .int(Int128($0)) })
        var rng = SplitMix64(seed: 9)
        let tags = Self.column(fields[1].type, (0..<rows).map { _ in Self.random(fields[1].type, nullable: true, &rng) })
        // Pages 0-1 all null, later pages ascending.
        let maybe = Self.column(.int32, (0..<rows).map { $0 < 20 ? .null : .int(Int128($0)) })
        let batch = RecordBatch(fields: fields, columns: [id, tags, maybe], rowCount: rows)
        var options = WriterOptions()
        options.dataPageRowLimit = 10
        options.dictionary = false
        let (file, _) = try roundTrip(fields, [batch], options: options)
        for leaf in 0..<3 {
            let (columnIndex, offsetIndex) = try file.pageIndex(rowGroup: 0, leaf: leaf)
            let locations = try XCTUnwrap(offsetIndex?.pageLocations, "leaf \(leaf)")
            XCTAssertEqual(locations.count, 11, "leaf \(leaf)")
            XCTAssertEqual(locations.map(\.firstRowIndex), (0..<11).map { Int64($0 * 10) }, "leaf \(leaf)")
            let ci = try XCTUnwrap(columnIndex, "leaf \(leaf)")
            XCTAssertEqual(ci.nullPages.count, 11)
            XCTAssertEqual(ci.minValues.count, 11)
            if leaf == 0 {
                XCTAssertEqual(ci.boundaryOrder, .ascending)
                XCTAssertEqual(ci.minValues[3], withUnsafeBytes(of: Int64(30).littleEndian) { Array($0) })
                XCTAssertEqual(ci.maxValues[10], withUnsafeBytes(of: Int64(102).littleEndian) { Array($0) })
            }
            if leaf == 2 {
                XCTAssertEqual(ci.nullPages, [true, true] + Array(repeating: false, count: 9))
                XCTAssertEqual(Array((ci.nullCounts ?? []).prefix(3)), [10, 10, 0])
                XCTAssertEqual(ci.boundaryOrder, .ascending)
            }
            // Each page starts where the previous one ended.
            for k in 1..<locations.count {
                XCTAssertEqual(locations[k].offset, locations[k - 1].offset + Int64(locations[k - 1].compressedPageSize))
            }
        }
    }

    func testNoPageIndexWhenDisabled() throws {
        var options = WriterOptions()
        options.writePageIndex = false
        let (batch, _) = Self.batch([Field("a", .int32)], rows: 10, seed: 5)
        let (file, _) = try roundTrip([Field("a", .int32)], [batch], options: options)
        let (ci, oi) = try file.pageIndex(rowGroup: 0, leaf: 0)
        XCTAssertNil(ci)
        XCTAssertNil(oi)
    }

    // MARK: bloom filters

    func testXXHash64Vectors() {
        XCTAssertEqual(XXHash64.hash([UInt8]()), 0xEF46_DB37_51D8_E999)
        XCTAssertEqual(XXHash64.hash(Array("a".utf8)), 0xD24E_C4F1_A98C_6E5B)
        XCTAssertEqual(XXHash64.hash(Array("abc".utf8)), 0x44BC_2CF5_AD77_0999)
        XCTAssertEqual(XXHash64.hash(Array("Nobody inspects the spammish repetition".utf8)), 0xFBCE_A83C_8A37_8BF1)
        let v: UInt64 = 0x0123_4567_89AB_CDEF
        XCTAssertEqual(XXHash64.hash(v), withUnsafeBytes(of: v.littleEndian) { XXHash64.hash($0) })
        let w: UInt32 = 0xDEAD_BEEF
        XCTAssertEqual(XXHash64.hash(w), withUnsafeBytes(of: w.littleEndian) { XXHash64.hash($0) })
    }

    func testSplitBlockBloomFilterSizeAndFalsePositiveRate() {
        XCTAssertEqual(SplitBlockBloomFilter.optimalNumBytes(distinctValues: 0), 32)
        XCTAssertEqual(SplitBlockBloomFilter.optimalNumBytes(distinctValues: 1 << 40), 128 * 1024 * 1024)
        let size = SplitBlockBloomFilter.optimalNumBytes(distinctValues: 10_000)
        XCTAssertEqual(size & (size - 1), 0)
        var filter = SplitBlockBloomFilter(distinctValues: 10_000)
        for i in 0..<10_000 { filter.insert(Int64(i)) }
        for i in 0..<10_000 { XCTAssertTrue(filter.mightContain(Int64(i))) }
        var positives = 0
        for i in 10_000..<110_000 where filter.mightContain(Int64(i)) { positives += 1 }
        XCTAssertLessThan(Double(positives) / 100_000, 0.02)
        XCTAssertEqual(SplitBlockBloomFilter(bytes: filter.bytes), filter)
    }

    func testBloomFiltersInTheFile() throws {
        let fields = [Field("id", .int64, nullable: false), Field("name", .string), Field("tags", .list(Field("element", .string))),
                      Field("f", .float64), Field("i", .int32)]
        let rows = 2000
        let id = Self.column(.int64, (0..<rows).map { .int(Int128($0) * 3) })
        let name = Self.column(.string, (0..<rows).map { $0 % 10 == 0 ? .null : .bytes(Array("name\($0 % 700)".utf8)) })
        let tags = Self.column(fields[2].type, (0..<rows).map { .list([.bytes(Array("t\($0 % 50)".utf8))]) })
        let f = Self.column(.float64, (0..<rows).map { .float((Double($0) / 4).bitPattern) })
        let i = Self.column(.int32, (0..<rows).map { .int(Int128($0 % 100)) })
        let batch = RecordBatch(fields: fields, columns: [id, name, tags, f, i], rowCount: rows)
        for (label, dictionaryLimit) in [("dictionary", 1 << 20), ("fallback", 100)] {
            var options = WriterOptions()
            options.bloomFilterColumns = ["id", "name", "tags.list.element", "f", "i"]
            options.dictionaryPageSizeLimit = dictionaryLimit
            options.dataPageRowLimit = 300
            let (file, _) = try roundTrip(fields, [batch], options: options)
            func filter(_ leaf: Int) throws -> SplitBlockBloomFilter {
                let found: SplitBlockBloomFilter? = try file.bloomFilter(rowGroup: 0, leaf: leaf)
                return try XCTUnwrap(found, "\(label): leaf \(leaf) has no bloom filter")
            }
            let idFilter = try filter(0), nameFilter = try filter(1), tagFilter = try filter(2)
            let fFilter = try filter(3), iFilter = try filter(4)
            var falsePositives = 0
            for k in 0..<rows {
                XCTAssertTrue(idFilter.mightContain(Int64(k * 3)), label)
                if idFilter.mightContain(Int64(k * 3 + 1)) { falsePositives += 1 }
                XCTAssertTrue(fFilter.mightContain(Double(k) / 4), label)
            }
            XCTAssertLessThan(falsePositives, rows / 20, label)
            for k in 1..<700 where k % 10 != 0 { XCTAssertTrue(nameFilter.mightContain("name\(k)"), label) }
            var nameFalse = 0
            for k in 0..<1000 where nameFilter.mightContain("other\(k)") { nameFalse += 1 }
            XCTAssertLessThan(nameFalse, 50, label)
            for k in 0..<50 { XCTAssertTrue(tagFilter.mightContain("t\(k)"), label) }
            for k in 0..<100 { XCTAssertTrue(iFilter.mightContain(Int32(k)), label) }
        }
        // Columns not asked for have none.
        let (plain, _) = try roundTrip(fields, [batch], options: WriterOptions())
        XCTAssertNil(try plain.bloomFilter(rowGroup: 0, leaf: 0))
    }

    // MARK: encodings

    func testDictionaryFallbackWritesPlainPagesAfterTheDictionary() throws {
        let rows = 5000
        let fields = [Field("s", .string, nullable: false), Field("n", .int64, nullable: false)]
        let s = Self.column(.string, (0..<rows).map { .bytes(Array("unique-value-\($0)".utf8)) })
        let n = Self.column(.int64, (0..<rows).map { .int(Int128($0 * 7919 % 100_003)) })
        let batch = RecordBatch(fields: fields, columns: [s, n], rowCount: rows)
        var options = WriterOptions()
        options.dictionaryPageSizeLimit = 4096
        options.dataPageRowLimit = 500
        let (file, got) = try roundTrip(fields, [batch], options: options)
        assertRows(got, [Self.rows(s), Self.rows(n)], fields, "fallback")
        for leaf in 0..<2 {
            let meta = try XCTUnwrap(file.metadata.rowGroups[0].columns[leaf].metaData)
            XCTAssertTrue(meta.encodings.contains(.rleDictionary), "leaf \(leaf)")
            XCTAssertTrue(meta.encodings.contains(.plain), "leaf \(leaf)")
            XCTAssertNotNil(meta.dictionaryPageOffset)
        }
        options.dictionary = false
        let (plain, _) = try roundTrip(fields, [batch], options: options)
        XCTAssertNil(plain.metadata.rowGroups[0].columns[0].metaData?.dictionaryPageOffset)
        XCTAssertFalse(plain.metadata.rowGroups[0].columns[0].metaData?.encodings.contains(.rleDictionary) ?? true)
        options.preferDelta = true
        let (delta, deltaRows) = try roundTrip(fields, [batch], options: options)
        assertRows(deltaRows, [Self.rows(s), Self.rows(n)], fields, "delta")
        XCTAssertTrue(delta.metadata.rowGroups[0].columns[0].metaData?.encodings.contains(.deltaLengthByteArray) ?? false)
        XCTAssertTrue(delta.metadata.rowGroups[0].columns[1].metaData?.encodings.contains(.deltaBinaryPacked) ?? false)
    }

    func testSchemaAnnotations() throws {
        let path = temporaryPath()
        let writer = try ParquetWriter(path: path, fields: Self.flatFields + Self.nestedFields)
        _ = try writer.close()
        let file = try ParquetFile(path: path)
        XCTAssertEqual(file.fields(), Self.flatFields + Self.nestedFields)
        let byPath = Dictionary(uniqueKeysWithValues: file.schema.leaves.map { ($0.dottedPath, $0) })
        XCTAssertEqual(byPath["dec9"]?.physicalType, .int32)
        XCTAssertEqual(byPath["dec18"]?.physicalType, .int64)
        XCTAssertEqual(byPath["dec38"]?.physicalType, .fixedLenByteArray)
        XCTAssertEqual(byPath["dec38"]?.typeLength, 16)
        XCTAssertEqual(byPath["dec20"]?.typeLength, 9)
        XCTAssertEqual(byPath["h"]?.typeLength, 2)
        XCTAssertEqual(byPath["s"]?.element.convertedType, .utf8)
        XCTAssertEqual(byPath["ts"]?.element.convertedType, .timestampMillis)
        // Converted timestamp annotations whatever the UTC flag, as pyarrow writes them.
        XCTAssertEqual(byPath["tsu"]?.element.convertedType, .timestampMicros)
        XCTAssertEqual(byPath["u32"]?.element.logicalType, .integer(bitWidth: 32, isSigned: false))
        XCTAssertEqual(byPath["lls.list.element.list.element"]?.maxRepetitionLevel, 2)
        XCTAssertEqual(byPath["lls.list.element.list.element"]?.maxDefinitionLevel, 5)
        XCTAssertEqual(byPath["m.key_value.key"]?.maxDefinitionLevel, 2)
        XCTAssertEqual(byPath["m.key_value.value"]?.maxDefinitionLevel, 3)
        XCTAssertEqual(byPath["req_list.list.element"]?.maxDefinitionLevel, 1)
        XCTAssertEqual(byPath["st.c.x"]?.maxDefinitionLevel, 2)
    }
}
