import Columnar
import Foundation
import Parquet
import XCTest
import TestSupport

final class ReaderTests: XCTestCase {
    func testAllTypesPlain() throws {
        let file = try ParquetFile(path: Corpus.path("data/alltypes_plain.parquet"))
        XCTAssertEqual(file.metadata.numRows, 8)
        XCTAssertEqual(file.schema.columns.map(\.name),
                       ["id", "bool_col", "tinyint_col", "smallint_col", "int_col", "bigint_col", "float_col",
                        "double_col", "date_string_col", "string_col", "timestamp_col"])
        let batch = try file.readRowGroup(0)
        XCTAssertEqual(batch.rowCount, 8)
        guard case let .int32(ids) = batch.columns[0].storage else { return XCTFail("id is not int32") }
        XCTAssertEqual(ids, [4, 5, 6, 7, 2, 3, 0, 1])
        guard case let .boolean(bools) = batch.columns[1].storage else { return XCTFail("bool_col is not boolean") }
        XCTAssertEqual(bools, [1, 0, 1, 0, 1, 0, 1, 0])
        XCTAssertEqual(batch.columns[10].type, .timestamp(.nanosecond, utc: false))
        XCTAssertEqual(ValueText.format(batch.columns[10], 0), "2009-03-01 00:00:00")
    }

    func testProjectionReadsOnlyChosenColumns() throws {
        let file = try ParquetFile(path: Corpus.path("data/alltypes_plain.parquet"))
        let batch = try file.readRowGroup(0, columns: [9, 0])
        XCTAssertEqual(batch.fields.map(\.name), ["string_col", "id"])
        // string_col has no UTF8 annotation: it is binary, shown as bytea is.
        XCTAssertEqual(ValueText.format(batch.columns[0], 1), "\\x31")
    }

    func testDictionaryStringsStayDictionaries() throws {
        let file = try ParquetFile(path: Corpus.repoRoot.appendingPathComponent("Fixtures/parquet/demo_orders.parquet").path)
        let region = try XCTUnwrap(file.columnIndex(named: "region"))
        let batch = try file.readRowGroup(0, columns: [region])
        guard case let .dictionary(indices, dictionary) = batch.columns[0].storage else {
            return XCTFail("region should stay dictionary-encoded")
        }
        XCTAssertEqual(indices.count, batch.rowCount)
        XCTAssertLessThanOrEqual(dictionary.value.count, 4)
    }

    func testNestedListsAndMaps() throws {
        let lists = try ParquetFile(path: Corpus.path("data/nested_lists.snappy.parquet"))
        let json = try CanonicalJSON.render(lists)
        XCTAssertTrue(json.contains("[[[\"a\", \"b\"], [\"c\"]], [null, [\"d\"]]]"), json)
        let maps = try ParquetFile(path: Corpus.path("data/nested_maps.snappy.parquet"))
        let mapJSON = try CanonicalJSON.render(maps)
        XCTAssertTrue(mapJSON.contains("[[\"a\", [[1, true], [2, false]]]], 1, \"1.0\"]"), mapJSON)
    }

    func testEncryptedFilesAreRefused() {
        XCTAssertThrowsError(try ParquetFile(path: Corpus.path("data/uniform_encryption.parquet.encrypted"))) { error in
            XCTAssertEqual((error as? ParquetError)?.kind, .encrypted)
        }
    }

    func testMissingFileIsAnIOError() {
        XCTAssertThrowsError(try ParquetFile(path: "/nonexistent/file.parquet")) { error in
            XCTAssertEqual((error as? ParquetError)?.kind, .io)
        }
    }

    /// Truncations and byte flips of valid files end in data or a ParquetError, never a trap.
    func testMutatedFilesNeverCrash() throws {
        let names = ["alltypes_plain.parquet", "alltypes_dictionary.parquet", "nested_lists.snappy.parquet",
                     "delta_byte_array.parquet", "datapage_v2.snappy.parquet", "byte_stream_split.zstd.parquet",
                     "nullable.impala.parquet", "rle_boolean_encoding.parquet"]
        var rng = SplitMix64(seed: 2024)
        var outcomes = (data: 0, errors: 0)
        for name in names {
            let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Corpus.path("data/" + name))))
            for trial in 0..<60 {
                var bytes = original
                if trial % 3 == 0 {
                    bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count))))
                } else {
                    for _ in 0..<(1 + trial % 4) {
                        let i = Int(rng.next() % UInt64(bytes.count))
                        bytes[i] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
                    }
                }
                do {
                    let file = try ParquetFile(source: InMemoryFile(bytes))
                    _ = try CanonicalJSON.render(file)
                    outcomes.data += 1
                } catch {
                    // Typed throws: only ParquetError can arrive here.
                    outcomes.errors += 1
                }
            }
        }
        XCTAssertEqual(outcomes.data + outcomes.errors, names.count * 60)
        XCTAssertGreaterThan(outcomes.errors, 0)
    }
}
