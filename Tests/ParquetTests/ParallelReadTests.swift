import Columnar
import Foundation
import Parquet
import XCTest

/// The reader's fast paths (flat validity, decimals converted while decoding, reused
/// buffers, parallel column reads) against the plain reading of the same files.
final class ParallelReadTests: XCTestCase {
    private func render(_ batch: RecordBatch) -> [String] {
        var rows: [String] = []
        for r in 0..<batch.rowCount {
            rows.append(batch.columns.map { ValueText.format($0, r) ?? "NULL" }.joined(separator: "|"))
        }
        return rows
    }

    func testThreadedRowGroupReadMatchesSerial() throws {
        for name in ["data/alltypes_plain.parquet", "data/nested_lists.snappy.parquet", "data/nested_maps.snappy.parquet",
                     "data/fixed_length_decimal.parquet", "data/fixed_length_decimal_legacy.parquet",
                     "data/byte_stream_split_extended.gzip.parquet", "data/nulls.snappy.parquet"] {
            let file = try ParquetFile(path: Corpus.path(name))
            for g in 0..<file.rowGroupCount {
                let serial = try file.readRowGroup(g)
                let threaded = try file.readRowGroup(g, threads: 3)
                XCTAssertEqual(threaded.fields.map(\.name), serial.fields.map(\.name), name)
                XCTAssertEqual(threaded.rowCount, serial.rowCount, name)
                XCTAssertEqual(render(threaded), render(serial), name)
                let projected = try file.readRowGroup(g, columns: Array(file.schema.columns.indices.reversed()), threads: 2)
                XCTAssertEqual(projected.fields.map(\.name), serial.fields.map(\.name).reversed(), name)
            }
        }
    }

    /// A lake's files are mapped and decoded in place; other files are read with `pread`
    /// into a buffer. Both give the same values.
    func testMappedAndReadFilesDecodeAlike() throws {
        for name in ["data/alltypes_plain.snappy.parquet", "data/nested_lists.snappy.parquet", "data/datapage_v2.snappy.parquet",
                     "data/byte_stream_split_extended.gzip.parquet", "data/nulls.snappy.parquet"] {
            var renderings: [[String]] = []
            for mapped in [true, false] {
                let source = try LocalFile(path: Corpus.path(name), mapped: mapped)
                XCTAssertEqual(source.isMapped, mapped && LocalFile.mapsFiles(at: Corpus.path(name)), name)
                let file = try ParquetFile(source: source)
                var rows: [String] = []
                for g in 0..<file.rowGroupCount { rows += render(try file.readRowGroup(g)) }
                XCTAssertFalse(rows.isEmpty, name)
                renderings.append(rows)
            }
            XCTAssertEqual(renderings[0], renderings[1], name)
        }
    }

    func testThreadedReadReportsErrors() throws {
        let file = try ParquetFile(path: Corpus.path("data/alltypes_plain.parquet"))
        XCTAssertThrowsError(try file.readRowGroup(0, columns: [0, 99], threads: 2))
        XCTAssertThrowsError(try file.readRowGroup(7, threads: 2))
    }

    func testFixedLengthDecimalsBecomeInt64() throws {
        // FIXED_LEN_BYTE_ARRAY(6) DECIMAL(13, 2): converted while decoding.
        let legacy = try ParquetFile(path: Corpus.path("data/fixed_length_decimal_legacy.parquet"))
        let batch = try legacy.readRowGroup(0)
        guard case let .int64(values) = batch.columns[0].storage else { return XCTFail("decimal(13, 2) should be int64") }
        XCTAssertEqual(values.count, batch.rowCount)
        XCTAssertEqual(ValueText.format(batch.columns[0], 0), "1.00")
        // FIXED_LEN_BYTE_ARRAY(4) DECIMAL(7, 3), PLAIN and BYTE_STREAM_SPLIT: the same values.
        let split = try ParquetFile(path: Corpus.path("data/byte_stream_split_extended.gzip.parquet"))
        let plain = try XCTUnwrap(split.columnIndex(named: "decimal_plain"))
        let streams = try XCTUnwrap(split.columnIndex(named: "decimal_byte_stream_split"))
        let both = try split.readRowGroup(0, columns: [plain, streams])
        guard case let .int64(a) = both.columns[0].storage, case let .int64(b) = both.columns[1].storage else {
            return XCTFail("decimal(7, 3) should be int64")
        }
        XCTAssertEqual(a, b)
        XCTAssertFalse(a.isEmpty)
    }
}
