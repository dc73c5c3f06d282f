import Columnar
import Foundation
import Parquet
import XCTest
import TestSupport

/// Reading selected rows of a row group (page pruning): only the pages holding
/// them are decoded for flat columns, nested columns are read whole and trimmed,
/// and the result equals the full read's rows at those positions, for every type.
/// Also the row range algebra and dictionary probes.
final class RowRangeReadTests: XCTestCase {
    private var paths: [String] = []

    override func tearDown() {
        for p in paths { try? FileManager.default.removeItem(atPath: p) }
        paths = []
        super.tearDown()
    }

    private func write(_ fields: [Field], _ batch: RecordBatch, options: WriterOptions) throws -> ParquetFile {
        let path = NSTemporaryDirectory() + "basalt-rowranges-\(UUID().uuidString).parquet"
        paths.append(path)
        let writer = try ParquetWriter(path: path, fields: fields, options: options)
        try writer.write(batch)
        _ = try writer.close()
        return try ParquetFile(path: path)
    }

    /// Every column's rows at `ranges`, from a full read.
    private func expected(_ batch: RecordBatch, _ ranges: RowRanges) -> [[WriterTests.V]] {
        batch.columns.map { c in ranges.ranges.flatMap { r in r.map { WriterTests.value(c, $0) } } }
    }

    func testRowRangeAlgebra() {
        let a = RowRanges([5..<10, 0..<3, 2..<4, 20..<20])
        XCTAssertEqual(a.ranges, [0..<4, 5..<10])
        XCTAssertEqual(a.rowCount, 9)
        let b = RowRanges([3..<6, 8..<30])
        XCTAssertEqual(a.intersection(b).ranges, [3..<4, 5..<6, 8..<10])
        XCTAssertTrue(a.overlaps(9..<12))
        XCTAssertFalse(a.overlaps(4..<5))
        XCTAssertFalse(a.overlaps(10..<100))
        XCTAssertTrue(RowRanges.all(7).covers(7))
        XCTAssertFalse(a.covers(10))
        XCTAssertTrue(RowRanges([]).isEmpty)
        XCTAssertEqual(RowRanges([0..<4, 4..<6]).ranges, [0..<6])
    }

    func testSelectedRowsMatchTheFullReadForEveryType() throws {
        let fields = WriterTests.flatFields + WriterTests.nestedFields
        let rows = 500
        let (batch, _) = WriterTests.batch(fields, rows: rows, seed: 42)
        var rng = SplitMix64(seed: 7)
        for (version, dictionary) in [(1, true), (2, false), (1, false), (2, true)] {
            var options = WriterOptions()
            options.dataPageVersion = version
            options.dictionary = dictionary
            options.dataPageRowLimit = 23
            options.codec = .snappy
            let file = try write(fields, batch, options: options)
            let full = try file.readRowGroup(0)
            let all = Set(0..<file.schema.leaves.count)
            let index = try file.pageIndex(rowGroup: 0, columnIndexLeaves: all, offsetIndexLeaves: all)
            let selections: [RowRanges] = [
                RowRanges([0..<1]), RowRanges([499..<500]), RowRanges([22..<24]), RowRanges([100..<170, 300..<301, 460..<480]),
                RowRanges((0..<12).map { _ in let s = Int(rng.next() % 490); return s..<(s + Int(rng.next() % 10) + 1) }),
                RowRanges([0..<500]),
            ]
            for selection in selections {
                let read = try file.readRowGroup(0, rows: selection, pageIndex: index)
                XCTAssertEqual(read.batch.rowCount, selection.rowCount, "v\(version) dict \(dictionary) \(selection)")
                let got = read.batch.columns.map(WriterTests.rows)
                let want = expected(full, selection)
                for c in fields.indices where got[c] != want[c] {
                    XCTFail("v\(version) dict \(dictionary) \(selection): column \(fields[c].name) differs")
                }
                if selection.rowCount < 30 {
                    XCTAssertGreaterThan(read.pagesSkipped, 0, "v\(version) dict \(dictionary) \(selection)")
                }
                // Without a page index the same rows come back (whole chunks, trimmed).
                let unindexed = try file.readRowGroup(0, rows: selection, pageIndex: nil)
                XCTAssertEqual(unindexed.pagesSkipped, 0)
                XCTAssertEqual(unindexed.batch.columns.map(WriterTests.rows), want, "v\(version) dict \(dictionary) \(selection)")
            }
            // Projection keeps the selection aligned across columns.
            let some = try file.readRowGroup(0, columns: [3, 16, 27], rows: RowRanges([40..<60]), pageIndex: index)
            XCTAssertEqual(some.batch.columns.map(WriterTests.rows), [3, 16, 27].map { c in (40..<60).map { WriterTests.value(full.columns[c], $0) } })
        }
    }

    func testPageStatisticsDescribeEachPage() throws {
        let values = (0..<100).map { Int64($0) }
        let fields = [Field("k", .int64, nullable: true)]
        // Rows 0-19 null, then ascending keys.
        let column = Column(type: .int64, count: 100, validity: Bitmap((0..<100).map { $0 >= 20 }), storage: .int64(values))
        var options = WriterOptions()
        options.dataPageRowLimit = 10
        options.dictionary = false
        let file = try write(fields, RecordBatch(fields: fields, columns: [column], rowCount: 100), options: options)
        let index = try file.pageIndex(rowGroup: 0, columnIndexLeaves: [0], offsetIndexLeaves: [0])
        let pages = try XCTUnwrap(file.pageStatistics(index, leaf: 0))
        XCTAssertEqual(pages.count, 10)
        XCTAssertEqual(pages[0].rows, 0..<10)
        XCTAssertEqual(pages[0].statistics.nullCount, 10)
        XCTAssertNil(pages[0].statistics.min)
        XCTAssertEqual(pages[5].statistics.min, .signed(50))
        XCTAssertEqual(pages[5].statistics.max, .signed(59))
        XCTAssertEqual(pages[9].rows, 90..<100)
        // No column index: no page statistics.
        let offsetsOnly = try file.pageIndex(rowGroup: 0, columnIndexLeaves: [], offsetIndexLeaves: [0])
        XCTAssertNil(file.pageStatistics(offsetsOnly, leaf: 0))
    }

    func testDictionaryProbe() throws {
        let words = ["AIR", "MAIL", "RAIL", "SHIP", "TRUCK"]
        let n = 1000
        var offsets = [0], data: [UInt8] = []
        for i in 0..<n {
            data += Array(words[i % 4].utf8)  // never "TRUCK"
            offsets.append(data.count)
        }
        let keys = (0..<n).map { Int64($0 % 7) }
        let fields = [Field("mode", .string, nullable: false), Field("k", .int64, nullable: false)]
        let batch = RecordBatch(fields: fields, columns: [
            Column(type: .string, count: n, validity: nil, storage: .bytes(offsets: offsets, data: data)),
            Column(type: .int64, count: n, validity: nil, storage: .int64(keys)),
        ], rowCount: n)
        let file = try write(fields, batch, options: WriterOptions())
        XCTAssertTrue(file.metadata.rowGroups[0].columns[0].metaData!.isFullyDictionaryEncoded)
        XCTAssertEqual(try file.dictionaryContainsAny(rowGroup: 0, leaf: 0, of: [.bytes(Array("TRUCK".utf8))]), false)
        XCTAssertEqual(try file.dictionaryContainsAny(rowGroup: 0, leaf: 0, of: [.bytes(Array("TRUCK".utf8)), .bytes(Array("RAIL".utf8))]), true)
        XCTAssertEqual(try file.dictionaryContainsAny(rowGroup: 0, leaf: 1, of: [.signed(9)]), false)
        XCTAssertEqual(try file.dictionaryContainsAny(rowGroup: 0, leaf: 1, of: [.signed(6)]), true)
        // A value of the wrong kind cannot be probed.
        XCTAssertNil(try file.dictionaryContainsAny(rowGroup: 0, leaf: 1, of: [.bytes([1])]))
        // Plain pages: no dictionary to probe.
        var plain = WriterOptions()
        plain.dictionary = false
        let plainFile = try write(fields, batch, options: plain)
        XCTAssertNil(try plainFile.dictionaryContainsAny(rowGroup: 0, leaf: 0, of: [.bytes(Array("TRUCK".utf8))]))
        // A dictionary that overflowed into plain pages lists only some values.
        var small = WriterOptions()
        small.dictionaryPageSizeLimit = 8
        small.dataPageRowLimit = 50
        let fallback = try write(fields, batch, options: small)
        let meta = fallback.metadata.rowGroups[0].columns[0].metaData!
        if !meta.isFullyDictionaryEncoded {
            XCTAssertNil(try fallback.dictionaryContainsAny(rowGroup: 0, leaf: 0, of: [.bytes(Array("SHIP".utf8))]))
        }
    }
}
