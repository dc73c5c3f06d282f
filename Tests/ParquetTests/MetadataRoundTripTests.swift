import Foundation
import Parquet
import XCTest

/// Metadata structs with every field set, shared by the Thrift tests.
enum MetadataSamples {
    static let allLogicalTypes: [LogicalType] = [
        .string, .map, .list, .enumeration, .decimal(precision: 38, scale: 9), .date,
        .time(isAdjustedToUTC: true, unit: .millis), .time(isAdjustedToUTC: false, unit: .nanos),
        .timestamp(isAdjustedToUTC: true, unit: .micros), .timestamp(isAdjustedToUTC: false, unit: .nanos),
        .integer(bitWidth: 8, isSigned: false), .integer(bitWidth: 64, isSigned: true), .unknown, .json, .bson, .uuid,
        .float16, .variant(specificationVersion: 1), .variant(specificationVersion: nil), .geometry(crs: "OGC:CRS84"),
        .geometry(crs: nil), .geography(crs: "srid:4326", algorithm: .karney), .geography(crs: nil, algorithm: nil),
    ]

    static func statistics(_ seed: UInt8) -> Statistics {
        Statistics(max: [seed, 1], min: [seed, 0], nullCount: Int64(seed), distinctCount: 77, maxValue: [seed, 3],
                   minValue: [], isMaxValueExact: true, isMinValueExact: false, nanCount: 2)
    }

    static func schema() -> [SchemaElement] {
        var schema = [SchemaElement(name: "root", numChildren: Int32(allLogicalTypes.count + 1))]
        schema.append(SchemaElement(type: .fixedLenByteArray, typeLength: 16, repetitionType: .required, name: "everything",
                                    numChildren: nil, convertedType: .decimal, scale: 2, precision: 20, fieldId: -7,
                                    logicalType: .decimal(precision: 20, scale: 2)))
        for (i, logical) in allLogicalTypes.enumerated() {
            schema.append(SchemaElement(type: PhysicalType.allCases[i % PhysicalType.allCases.count],
                                        repetitionType: Repetition.allCases[i % 3], name: "c\(i) ✓",
                                        convertedType: ConvertedType.allCases[i % ConvertedType.allCases.count],
                                        fieldId: Int32(i), logicalType: logical))
        }
        return schema
    }

    static func columnMetaData() -> ColumnMetaData {
        ColumnMetaData(type: .byteArray, encodings: [.plain, .rle, .rleDictionary, Encoding(rawValue: 42)], pathInSchema: ["a", "b"],
                       codec: .zstd, numValues: 1 << 40, totalUncompressedSize: 123_456_789_012, totalCompressedSize: 98_765,
                       keyValueMetadata: [KeyValue(key: "k", value: "v"), KeyValue(key: "no value")], dataPageOffset: 4,
                       indexPageOffset: 5, dictionaryPageOffset: 6, statistics: statistics(9),
                       encodingStats: [PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1),
                                       PageEncodingStats(pageType: .dataPageV2, encoding: .rleDictionary, count: 20)],
                       bloomFilterOffset: 1000, bloomFilterLength: 2048,
                       sizeStatistics: SizeStatistics(unencodedByteArrayDataBytes: 55, repetitionLevelHistogram: [1, 2],
                                                      definitionLevelHistogram: [3, 4, 5]))
    }

    static func fileMetaData() -> FileMetaData {
        let chunk = ColumnChunk(filePath: "other.parquet", fileOffset: 77, metaData: columnMetaData(), offsetIndexOffset: 500,
                                offsetIndexLength: 50, columnIndexOffset: 400, columnIndexLength: 40, hasCryptoMetadata: true,
                                encryptedColumnMetadata: [0xDE, 0xAD])
        let plain = ColumnChunk(fileOffset: 0, metaData: columnMetaData())
        let group = RowGroup(columns: [chunk, plain], totalByteSize: 1 << 33, numRows: 1_000_000,
                             sortingColumns: [SortingColumn(columnIdx: 1, descending: true, nullsFirst: false),
                                              SortingColumn(columnIdx: 0, descending: false, nullsFirst: true)],
                             fileOffset: 4, totalCompressedSize: 999, ordinal: 3)
        let second = RowGroup(columns: [plain], totalByteSize: 0, numRows: 0)
        return FileMetaData(version: 2, schema: schema(), numRows: 1_000_000, rowGroups: [group, second],
                            keyValueMetadata: [KeyValue(key: "ARROW:schema", value: "xyz"), KeyValue(key: "empty", value: "")],
                            createdBy: "basalt version 0.1", columnOrders: [.typeDefinedOrder, .unknown],
                            hasEncryptionAlgorithm: true, footerSigningKeyMetadata: [1, 2, 3])
    }

    static func dataPageV2Header() -> PageHeader {
        PageHeader(type: .dataPageV2, uncompressedPageSize: 4096, compressedPageSize: 1024, crc: -123_456,
                   dataPageHeaderV2: DataPageHeaderV2(numValues: 100, numNulls: 3, numRows: 50, encoding: .deltaBinaryPacked,
                                                      definitionLevelsByteLength: 12, repetitionLevelsByteLength: 7,
                                                      isCompressed: false, statistics: statistics(1)))
    }
}

final class MetadataRoundTripTests: XCTestCase {
    private func roundTrip<T: ThriftStruct & Equatable>(_ value: T, file: StaticString = #filePath, line: UInt = #line) throws {
        let bytes = value.encoded()
        let back = try T.decoded(from: bytes)
        XCTAssertEqual(back, value, file: file, line: line)
        XCTAssertEqual(back.encoded(), bytes, "re-encoding is stable", file: file, line: line)
    }

    private func error(_ body: () throws -> Void) -> ParquetError? {
        do {
            try body()
            XCTFail("expected an error")
        } catch let e as ParquetError {
            return e
        } catch {
            XCTFail("not a ParquetError: \(error)")
        }
        return nil
    }

    // MARK: Round trips

    func testFileMetaDataWithEveryFieldRoundTrips() throws {
        let metadata = MetadataSamples.fileMetaData()
        try roundTrip(metadata)
        let bytes = metadata.encoded()
        let decoded = try bytes.withUnsafeBytes { raw in try FileMetaData.decode(raw) }
        XCTAssertEqual(decoded, metadata)
        XCTAssertEqual(decoded.schema.count, MetadataSamples.allLogicalTypes.count + 2)
        XCTAssertTrue(decoded.hasEncryptionAlgorithm)
        XCTAssertTrue(decoded.rowGroups[0].columns[0].hasCryptoMetadata)
        XCTAssertFalse(decoded.rowGroups[0].columns[1].hasCryptoMetadata)
        XCTAssertEqual(decoded.rowGroups[0].columns[0].metaData?.encodings.last?.description, "UNKNOWN(42)")

        // Minimal metadata: optionals stay nil.
        let minimal = FileMetaData(version: 1, schema: [SchemaElement(name: "schema", numChildren: 0)], numRows: 0, rowGroups: [])
        try roundTrip(minimal)
        XCTAssertNil(try FileMetaData.decoded(from: minimal.encoded()).keyValueMetadata)
    }

    func testEveryLogicalTypeRoundTrips() throws {
        for logical in MetadataSamples.allLogicalTypes {
            let element = SchemaElement(type: .int64, repetitionType: .optional, name: "x", logicalType: logical)
            try roundTrip(element)
        }
    }

    func testPageHeadersRoundTrip() throws {
        let headers = [
            MetadataSamples.dataPageV2Header(),
            PageHeader(type: .dataPage, uncompressedPageSize: 10, compressedPageSize: 8, crc: 5,
                       dataPageHeader: DataPageHeader(numValues: 3, encoding: .plainDictionary, definitionLevelEncoding: .rle,
                                                      repetitionLevelEncoding: .bitPacked, statistics: MetadataSamples.statistics(4))),
            PageHeader(type: .dictionaryPage, uncompressedPageSize: 0, compressedPageSize: 0,
                       dictionaryPageHeader: DictionaryPageHeader(numValues: 0, encoding: .plain, isSorted: true)),
            PageHeader(type: .indexPage, uncompressedPageSize: 1, compressedPageSize: 1, indexPageHeader: IndexPageHeader()),
            PageHeader(type: PageType(rawValue: 9), uncompressedPageSize: Int32.max, compressedPageSize: Int32.min),
            PageHeader(type: .dataPageV2, uncompressedPageSize: 1, compressedPageSize: 1,
                       dataPageHeaderV2: DataPageHeaderV2(numValues: 0, numNulls: 0, numRows: 0, encoding: .plain,
                                                          definitionLevelsByteLength: 0, repetitionLevelsByteLength: 0)),
        ]
        for header in headers {
            try roundTrip(header)
            // decode() says how long the header is, with the page body behind it.
            let bytes = header.encoded()
            let (back, length) = try (bytes + [0xAA, 0xBB, 0xCC]).withUnsafeBytes { raw in try PageHeader.decode(raw) }
            XCTAssertEqual(back, header)
            XCTAssertEqual(length, bytes.count)
        }
        XCTAssertEqual(PageType(rawValue: 9).description, "UNKNOWN(9)")
    }

    func testIsCompressedDefaultsToTrue() throws {
        var w = ThriftCompactWriter()
        w.structBegin()
        for id: Int16 in 1...6 { w.field(id, i32: 1) }
        w.structEnd()
        XCTAssertTrue(try DataPageHeaderV2.decoded(from: w.bytes).isCompressed)
    }

    func testPageIndexAndBloomFilterHeadersRoundTrip() throws {
        try roundTrip(ColumnIndex(nullPages: [false, true, false], minValues: [[1], [], [2, 2]], maxValues: [[9], [], [8]],
                                  boundaryOrder: .ascending, nullCounts: [0, 10, 1], repetitionLevelHistograms: [1, 2, 3],
                                  definitionLevelHistograms: [4, 5, 6], nanCounts: [0, 0, 1]))
        try roundTrip(ColumnIndex(nullPages: [], minValues: [], maxValues: [], boundaryOrder: .descending))
        try roundTrip(OffsetIndex(pageLocations: (0..<20).map { PageLocation(offset: Int64($0) * 100, compressedPageSize: 99,
                                                                               firstRowIndex: Int64($0) * 1000) },
                                  unencodedByteArrayDataBytes: [7, 8]))
        try roundTrip(BloomFilterHeader(numBytes: 1 << 20))
        try roundTrip(BloomFilterHeader(numBytes: 32, algorithm: .unknown, hash: .unknown, compression: .unknown))
        try roundTrip(SizeStatistics())
        try roundTrip(Statistics())
        try roundTrip(ColumnOrder.typeDefinedOrder)
        try roundTrip(ColumnOrder.unknown)
    }

    // MARK: Decoding rules

    func testEnumNames() {
        XCTAssertEqual(PhysicalType.int32.name, "INT32")
        XCTAssertEqual(PhysicalType.fixedLenByteArray.name, "FIXED_LEN_BYTE_ARRAY")
        XCTAssertEqual(Repetition.required.name, "REQUIRED")
        XCTAssertEqual(ConvertedType.utf8.name, "UTF8")
        XCTAssertEqual(ConvertedType.mapKeyValue.name, "MAP_KEY_VALUE")
        XCTAssertEqual(ConvertedType.uint8.name, "UINT_8")
        XCTAssertEqual(ConvertedType.interval.rawValue, 21)
        XCTAssertEqual(Encoding.byteStreamSplit.description, "BYTE_STREAM_SPLIT")
        XCTAssertEqual(Encoding(rawValue: 1).description, "UNKNOWN(1)")
        XCTAssertEqual(CompressionCodec.lz4Raw.description, "LZ4_RAW")
        XCTAssertEqual(CompressionCodec.lz4Raw.rawValue, 7)
        XCTAssertEqual(PageType.dataPageV2.description, "DATA_PAGE_V2")
    }

    func testUnknownPhysicalTypeIsCorrupt() {
        var w = ThriftCompactWriter()
        w.structBegin()
        w.field(1, i32: 8)
        w.field(4, string: "col")
        w.structEnd()
        let e = error { _ = try SchemaElement.decoded(from: w.bytes) }
        XCTAssertEqual(e?.kind, .corrupt)
        XCTAssertTrue(e?.message.contains("unknown physical type 8 in schema element col") ?? false, e?.message ?? "")
    }

    func testUnknownConvertedTypeAndLogicalTypeMemberAreIgnored() throws {
        var w = ThriftCompactWriter()
        w.structBegin()
        w.field(1, i32: 1)
        w.field(4, string: "col")
        w.field(6, i32: 99)
        w.fieldHeader(10, .structure)
        w.structBegin()
        w.fieldHeader(2555, .structure)   // a LogicalType member from the future
        w.structBegin()
        w.field(1, i32: 5)
        w.structEnd()
        w.structEnd()
        w.field(11, i32: 4)  // vector_length: unknown to this reader
        w.structEnd()
        let element = try SchemaElement.decoded(from: w.bytes)
        XCTAssertEqual(element.name, "col")
        XCTAssertEqual(element.type, .int32)
        XCTAssertNil(element.convertedType)
        XCTAssertNil(element.logicalType)

        // A TIMESTAMP with an unknown unit is an unknown logical type too.
        w = ThriftCompactWriter()
        w.structBegin()
        w.fieldHeader(8, .structure)
        w.structBegin()
        w.field(1, bool: true)
        w.fieldHeader(2, .structure)
        w.structBegin()
        w.emptyStructField(7)
        w.structEnd()
        w.structEnd()
        w.structEnd()
        let logical = try w.bytes.withUnsafeBytes { raw in
            var r = ThriftCompactReader(raw)
            return try LogicalType(from: &r)
        }
        XCTAssertNil(logical)
    }

    func testMissingRequiredFieldsAreCorrupt() {
        var w = ThriftCompactWriter()
        w.structBegin()
        w.field(1, i32: 1)
        w.structEnd()
        XCTAssertEqual(error { _ = try SchemaElement.decoded(from: w.bytes) }?.kind, .corrupt)

        w = ThriftCompactWriter()
        w.structBegin()
        w.field(2, i32: 10)
        w.field(3, i32: 10)
        w.structEnd()
        XCTAssertEqual(error { _ = try PageHeader.decoded(from: w.bytes) }?.kind, .corrupt)

        w = ThriftCompactWriter()
        w.structBegin()
        w.field(1, i32: 0)
        w.field(2, i32: 10)
        w.structEnd()
        XCTAssertEqual(error { _ = try PageHeader.decoded(from: w.bytes) }?.kind, .corrupt)

        w = ThriftCompactWriter()
        w.structBegin()
        w.field(1, i32: 1)
        w.field(3, i64: 5)
        w.structEnd()
        XCTAssertEqual(error { _ = try FileMetaData.decoded(from: w.bytes) }?.kind, .corrupt)

        w = ThriftCompactWriter()
        w.structBegin()
        w.field(1, i32: 1)
        w.field(2, structs: [SchemaElement(name: "r")])
        w.structEnd()
        XCTAssertEqual(error { _ = try FileMetaData.decoded(from: w.bytes) }?.kind, .corrupt)

        w = ThriftCompactWriter()
        w.structBegin()
        w.field(1, i32: 5)
        w.structEnd()
        XCTAssertEqual(error { _ = try DataPageHeader.decoded(from: w.bytes) }?.kind, .corrupt)
        XCTAssertEqual(error { _ = try DictionaryPageHeader.decoded(from: w.bytes) }?.kind, .corrupt)
        XCTAssertEqual(error { _ = try DataPageHeaderV2.decoded(from: w.bytes) }?.kind, .corrupt)
        XCTAssertEqual(error { _ = try ColumnMetaData.decoded(from: w.bytes) }?.kind, .corrupt)
        XCTAssertEqual(error { _ = try BloomFilterHeader.decoded(from: [0]) }?.kind, .corrupt)
    }

    // MARK: Real footers

    /// The footer bytes of a Parquet file, or nil if it has no plausible plaintext footer.
    private func footer(_ path: String) throws -> [UInt8]? {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard data.count >= 12 else { return nil }
        let bytes = [UInt8](data)
        guard bytes.suffix(4) == Array("PAR1".utf8) else { return nil }
        let n = bytes.count
        let length = Int(bytes[n - 8]) | Int(bytes[n - 7]) << 8 | Int(bytes[n - 6]) << 16 | Int(bytes[n - 5]) << 24
        guard length <= n - 12 else { return nil }
        return Array(bytes[(n - 8 - length)..<(n - 8)])
    }

    private func metadata(_ relative: String) throws -> FileMetaData {
        let bytes = try XCTUnwrap(try footer(Corpus.path(relative)), "no footer in \(relative)")
        return try bytes.withUnsafeBytes { raw in try FileMetaData.decode(raw) }
    }

    func testAllTypesPlainFooter() throws {
        let m = try metadata("data/alltypes_plain.parquet")
        XCTAssertEqual(m.numRows, 8)
        XCTAssertEqual(m.schema.count, 12)  // the root and 11 columns
        XCTAssertEqual(m.schema[0].numChildren, 11)
        XCTAssertEqual(m.schema[1].name, "id")
        XCTAssertEqual(m.schema[1].type, .int32)
        XCTAssertEqual(m.schema[1].repetitionType, .optional)
        XCTAssertEqual(m.schema[11].type, .int96)
        XCTAssertEqual(m.rowGroups.count, 1)
        XCTAssertEqual(m.rowGroups[0].numRows, 8)
        XCTAssertEqual(m.rowGroups[0].columns.count, 11)
        let id = try XCTUnwrap(m.rowGroups[0].columns[0].metaData)
        XCTAssertEqual(id.pathInSchema, ["id"])
        XCTAssertEqual(id.numValues, 8)

        // Walk the first column chunk's pages with PageHeader.decode.
        let file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Corpus.path("data/alltypes_plain.parquet"))))
        var position = Int(id.dictionaryPageOffset ?? id.dataPageOffset)
        let end = position + Int(id.totalCompressedSize)
        var types: [PageType] = []
        while position < end {
            let (header, length) = try file.withUnsafeBytes { raw in
                try PageHeader.decode(UnsafeRawBufferPointer(rebasing: raw[position...]))
            }
            types.append(header.type)
            position += length + Int(header.compressedPageSize)
        }
        XCTAssertEqual(position, end)
        XCTAssertEqual(types, [.dictionaryPage, .dataPage])
    }

    func testFieldOfUnexpectedTypeInRealFooter() throws {
        // ColumnMetaData field 15 is a list here, where the spec has an i32.
        let m = try metadata("data/dict-page-offset-zero.parquet")
        XCTAssertEqual(m.numRows, 39)
        let column = try XCTUnwrap(m.rowGroups.first?.columns.first?.metaData)
        XCTAssertNil(column.bloomFilterLength)
        XCTAssertEqual(column.dictionaryPageOffset, 0)
        XCTAssertEqual(column.dataPageOffset, 4)
    }

    func testUnknownLogicalTypeInRealFooter() throws {
        let m = try metadata("data/unknown-logical-type.parquet")
        XCTAssertEqual(m.schema.count, 3)
        XCTAssertEqual(m.schema[1].logicalType, .string)
        XCTAssertNil(m.schema[2].logicalType)
    }

    func testUnknownPhysicalTypeInRealFooter() {
        let e = error { _ = try self.metadata("bad_data/PARQUET-1481.parquet") }
        XCTAssertEqual(e?.kind, .corrupt)
        XCTAssertTrue(e?.message.contains("unknown physical type") ?? false, e?.message ?? "")
    }

    func testEveryCorpusFooterDecodesOrFailsCleanly() throws {
        var decoded = 0
        for folder in ["data", "bad_data"] {
            let root = URL(fileURLWithPath: Corpus.path(folder))
            guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where url.lastPathComponent.contains(".parquet") {
                guard let bytes = try footer(url.path) else { continue }
                do {
                    let m = try bytes.withUnsafeBytes { raw in try FileMetaData.decode(raw) }
                    decoded += 1
                    // What we decode, we can write and read back unchanged.
                    XCTAssertEqual(try FileMetaData.decoded(from: m.encoded()), m, url.lastPathComponent)
                } catch let e as ParquetError {
                    XCTAssertFalse(e.message.isEmpty)
                }
                // Truncated footers never crash either.
                for n in stride(from: 0, to: bytes.count, by: Swift.max(1, bytes.count / 16)) {
                    _ = try? FileMetaData.decoded(from: Array(bytes[0..<n]))
                }
            }
        }
        XCTAssertGreaterThan(decoded, 50, "the corpus at \(Corpus.root.path) was found")
    }
}
