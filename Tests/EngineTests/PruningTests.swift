import Columnar
import Engine
import Foundation
import Lake
import Parquet
import XCTest

/// Partition, statistics and bloom-filter pruning, seen through EXPLAIN ANALYZE's
/// per-scan counters, with the answers checked too.
final class PruningTests: XCTestCase {
    private func lake() throws -> (Lake, URL) {
        let scratch = try ScratchLake("pruning")
        return (scratch.lake, scratch.root)
    }

    /// A text column of `values`.
    private static func textColumn(_ values: [String]) -> Column {
        var offsets = [0], data: [UInt8] = []
        for v in values {
            data += Array(v.utf8)
            offsets.append(data.count)
        }
        return Column(type: .string, count: values.count, validity: nil, storage: .bytes(offsets: offsets, data: data))
    }

    private func scanLines(_ engine: Engine, _ sql: String) throws -> [String] {
        try engine.execute("EXPLAIN ANALYZE " + sql).firstColumnLines
    }

    private func single(_ engine: Engine, _ sql: String) throws -> String? { try engine.execute(sql).textRows.first }

    func testBloomFiltersSkipRowGroupsStatisticsCannot() throws {
        let (lake, root) = try lake()
        defer { try? FileManager.default.removeItem(at: root) }
        // Four row groups whose ranges all cover 0...3999: even keys in the first three, odd in the last.
        var keys: [Int64] = []
        for g in 0..<4 { for i in 0..<1000 { keys.append(Int64(i * 4 + (g < 3 ? 0 : 1))) } }
        let fields = [Field("k", .int64, nullable: false)]
        let batch = RecordBatch(fields: fields, columns: [Column(type: .int64, count: keys.count, validity: nil, storage: .int64(keys))],
                                rowCount: keys.count)
        var options = WriterOptions()
        options.rowGroupRows = 1000
        options.bloomFilterColumns = ["k"]
        try lake.writeTable(schema: "t", name: "keys", fields: fields, batches: [batch], options: options)
        let engine = Engine(lake: lake)
        XCTAssertEqual(try single(engine, "SELECT count(*) FROM t.keys WHERE k = 1001"), "1")
        let lines = try scanLines(engine, "SELECT count(*) FROM t.keys WHERE k = 1001")
        XCTAssertTrue(lines.contains { $0.contains("row groups: 1 read, 0 skipped by statistics, 3 by bloom filters") }, "\(lines)")
        // A value in no group: all four ruled out.
        XCTAssertEqual(try single(engine, "SELECT count(*) FROM t.keys WHERE k IN (3, 7)"), "0")
        let none = try scanLines(engine, "SELECT count(*) FROM t.keys WHERE k IN (3, 7)")
        XCTAssertTrue(none.contains { $0.contains("row groups: 1 read") || $0.contains("0 read") }, "\(none)")
    }

    func testStatisticsAndPartitionsSkip() throws {
        let (lake, root) = try lake()
        defer { try? FileManager.default.removeItem(at: root) }
        // Hive partitions day=1..3, each file with two row groups of disjoint ranges.
        for day in 1...3 {
            let dir = root.appendingPathComponent("t/events/day=\(day)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let values = (0..<200).map { Int64(day * 1000 + $0) }
            let fields = [Field("v", .int64, nullable: false)]
            var options = WriterOptions()
            options.rowGroupRows = 100
            let writer = try ParquetWriter(path: dir.appendingPathComponent("part-0.parquet").path, fields: fields, options: options)
            try writer.write(RecordBatch(fields: fields, columns: [Column(type: .int64, count: 200, validity: nil, storage: .int64(values))],
                                         rowCount: 200))
            _ = try writer.close()
        }
        let engine = Engine(lake: lake)
        XCTAssertEqual(try single(engine, "SELECT count(*) FROM t.events WHERE day = 2"), "200")
        let byPartition = try scanLines(engine, "SELECT count(*) FROM t.events WHERE day = 2")
        XCTAssertTrue(byPartition.contains { $0.contains("files: 1 read, 2 skipped by partition") }, "\(byPartition)")
        XCTAssertEqual(try single(engine, "SELECT sum(v) FROM t.events WHERE v >= 3150"), String((3150..<3200).reduce(0, +)))
        let byStatistics = try scanLines(engine, "SELECT sum(v) FROM t.events WHERE v >= 3150")
        XCTAssertTrue(byStatistics.contains { $0.contains("row groups: 1 read, 5 skipped by statistics") }, "\(byStatistics)")
    }

    /// Rows of every column, for comparing answers.
    private func rows(_ session: Session, _ sql: String) throws -> [String] { try session.execute(sql).textRows }

    func testPagePruningReadsOnlyPagesThatMayMatch() throws {
        let (lake, root) = try lake()
        defer { try? FileManager.default.removeItem(at: root) }
        // 10,000 rows sorted by id, pages of 100 rows, row groups of 5,000; a nullable
        // column whose first 3,000 rows are NULL, strings, decimals and dates beside.
        let n = 10_000
        let ids = (0..<n).map { Int64($0) }
        let fields = [Field("id", .int64, nullable: false), Field("maybe", .int32, nullable: true), Field("name", .string, nullable: false),
                      Field("price", .decimal(precision: 12, scale: 2), nullable: false), Field("day", .date32, nullable: false)]
        let columns = [
            Column(type: .int64, count: n, validity: nil, storage: .int64(ids)),
            Column(type: .int32, count: n, validity: Bitmap((0..<n).map { $0 >= 3000 }), storage: .int32((0..<n).map { Int32($0) })),
            Self.textColumn((0..<n).map { "name-\($0 % 97)" }),
            Column(type: .decimal(precision: 12, scale: 2), count: n, validity: nil, storage: .int64((0..<n).map { Int64($0 * 7) })),
            Column(type: .date32, count: n, validity: nil, storage: .int32((0..<n).map { Int32(18000 + $0 / 10) })),
        ]
        var options = WriterOptions()
        options.rowGroupRows = 5000
        options.dataPageRowLimit = 100
        try lake.writeTable(schema: "t", name: "sorted", fields: fields,
                            batches: [RecordBatch(fields: fields, columns: columns, rowCount: n)], options: options)
        let engine = Engine(lake: lake)
        let on = Session(engine: engine)
        let off = Session(engine: engine)
        _ = try off.execute("SET basalt.page_pruning = off")
        XCTAssertEqual(try rows(off, "SHOW basalt.page_pruning"), ["off"])
        let queries = [
            "SELECT count(*), sum(price), min(name), max(day), sum(maybe) FROM t.sorted WHERE id BETWEEN 1234 AND 1300",
            "SELECT id, name, maybe FROM t.sorted WHERE id >= 4990 AND id < 5010 ORDER BY id",
            "SELECT count(*) FROM t.sorted WHERE maybe < 3050",
            "SELECT count(*), sum(id) FROM t.sorted WHERE maybe IS NULL AND id > 2950",
            "SELECT count(*) FROM t.sorted WHERE day = DATE '1970-01-01' + 18500",
            "SELECT count(*) FROM t.sorted WHERE id IN (5, 777, 9999)",
            "SELECT count(*) FROM t.sorted WHERE id > 100000",
        ]
        for q in queries {
            XCTAssertEqual(try rows(on, q), try rows(off, q), q)
        }
        XCTAssertEqual(try rows(on, queries[0]).first?.hasPrefix("67|"), true)
        let lines = try scanLines(engine, queries[0])
        // Rows 1234...1300 lie in pages 12 and 13 of the first row group: 2 of 50 pages per column.
        XCTAssertTrue(lines.contains { $0.contains("pages: 10 read, 240 skipped by page index") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.contains("row groups: 1 read, 1 skipped by statistics") }, "\(lines)")
        let unpruned = try on.execute("EXPLAIN ANALYZE " + queries[0])
        XCTAssertFalse(unpruned.batches.isEmpty)
        _ = try on.execute("SET basalt.page_pruning = off")
        let offLines = try rows(on, "EXPLAIN ANALYZE " + queries[0])
        XCTAssertTrue(offLines.contains { $0.contains("pages: 250 read, 0 skipped by page index") }, "\(offLines)")
        // All NULL pages rule out comparisons: rows 0...2999 of maybe are NULL.
        let nullPages = try scanLines(engine, "SELECT count(*) FROM t.sorted WHERE maybe < 3050")
        XCTAssertTrue(nullPages.contains { $0.contains("skipped by page index") && !$0.contains(" 0 skipped by page index") }, "\(nullPages)")
    }

    func testLateMaterializationReadsOtherColumnsOnlyForPassingRows() throws {
        let (lake, root) = try lake()
        defer { try? FileManager.default.removeItem(at: root) }
        // Four row groups of 1,000 rows, pages of 100 rows, keys a permutation of 0...3999;
        // filtered by an expression (`k + 0 = 2002`), which no statistics, dictionary or
        // page index can decide: one group holds the needle.
        let n = 4000
        let keys: [Int64] = (0..<n).map { (i: Int) -> Int64 in Int64((i * 7919) % 4000) }
        let fields = [Field("k", .int64, nullable: false), Field("note", .string, nullable: false), Field("v", .int32, nullable: false)]
        let columns = [Column(type: .int64, count: n, validity: nil, storage: .int64(keys)),
                       Self.textColumn((0..<n).map { "a rather wide comment for row \($0)" }),
                       Column(type: .int32, count: n, validity: nil, storage: .int32((0..<n).map { Int32($0) }))]
        var options = WriterOptions()
        options.rowGroupRows = 1000
        options.dataPageRowLimit = 100
        try lake.writeTable(schema: "t", name: "hay", fields: fields,
                            batches: [RecordBatch(fields: fields, columns: columns, rowCount: n)], options: options)
        let engine = Engine(lake: lake)
        let late = Session(engine: engine), early = Session(engine: engine)
        _ = try early.execute("SET basalt.late_materialization = off")
        XCTAssertEqual(try rows(early, "SHOW basalt.late_materialization"), ["off"])
        let queries = [
            "SELECT k, note, v FROM t.hay WHERE k + 0 = 2002",
            "SELECT count(*), min(note), sum(v) FROM t.hay WHERE k % 7 = 3",
            "SELECT note FROM t.hay WHERE k > 3990 ORDER BY note",
            "SELECT count(note) FROM t.hay WHERE k < 0",
        ]
        for q in queries { XCTAssertEqual(try rows(late, q), try rows(early, q), q) }
        XCTAssertEqual(try rows(late, queries[0]).count, 1)
        let lines = try scanLines(engine, queries[0])
        XCTAssertTrue(lines.contains { $0.contains("late materialization: 4 row groups filtered first, 3 of them without a passing row") },
                      "\(lines)")
        // k's 40 pages, then note's and v's 10 pages each in the needle's group only.
        XCTAssertTrue(lines.contains { $0.contains("pages: 60 read") }, "\(lines)")
        let off = try rows(early, "EXPLAIN ANALYZE " + queries[0])
        XCTAssertFalse(off.contains { $0.contains("late materialization") }, "\(off)")
        XCTAssertTrue(off.contains { $0.contains("pages: 120 read") }, "\(off)")
    }

    func testDictionariesSkipRowGroupsStatisticsCannot() throws {
        let (lake, root) = try lake()
        defer { try? FileManager.default.removeItem(at: root) }
        // Two row groups whose ranges both cover "RAIL", neither holding it.
        let words = ["AIR", "TRUCK", "AIR", "TRUCK", "MAIL", "SHIP", "MAIL", "SHIP"]
        let fields = [Field("mode", .string, nullable: false)]
        var options = WriterOptions()
        options.rowGroupRows = 4
        try lake.writeTable(schema: "t", name: "modes", fields: fields, batches: [RecordBatch(fields: fields, columns: [
            Self.textColumn(words),
        ], rowCount: words.count)], options: options)
        let engine = Engine(lake: lake)
        XCTAssertEqual(try single(engine, "SELECT count(*) FROM t.modes WHERE mode = 'RAIL'"), "0")
        let none = try scanLines(engine, "SELECT count(*) FROM t.modes WHERE mode = 'RAIL'")
        XCTAssertTrue(none.contains { $0.contains("row groups: 0 read, 0 skipped by statistics, 0 by bloom filters, 2 by dictionary") }, "\(none)")
        XCTAssertEqual(try single(engine, "SELECT count(*) FROM t.modes WHERE mode IN ('RAIL', 'SHIP')"), "2")
        let one = try scanLines(engine, "SELECT count(*) FROM t.modes WHERE mode IN ('RAIL', 'SHIP')")
        XCTAssertTrue(one.contains { $0.contains("row groups: 1 read, 0 skipped by statistics, 0 by bloom filters, 1 by dictionary") }, "\(one)")
    }

    func testPartitionedScanOpensOnlyTheKeptFilesFooters() throws {
        let (lake, root) = try lake()
        defer { try? FileManager.default.removeItem(at: root) }
        for month in 1...12 {
            let dir = root.appendingPathComponent("t/sales/year=2024/month=\(month)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let fields = [Field("v", .int64, nullable: false)]
            let writer = try ParquetWriter(path: dir.appendingPathComponent("part-0.parquet").path, fields: fields)
            try writer.write(RecordBatch(fields: fields, columns: [Column(type: .int64, count: 10, validity: nil,
                                                                          storage: .int64((0..<10).map { Int64(month * 100 + $0) }))],
                                         rowCount: 10))
            _ = try writer.close()
        }
        XCTAssertEqual(try single(Engine(lake: lake), "SELECT count(*) FROM t.sales"), "120")  // records the files' summaries
        // A new lake, as a new process would open: partition pruning happens before any footer is read.
        let fresh = try Lake(path: root.path)
        let engine = Engine(lake: fresh)
        XCTAssertEqual(try single(engine, "SELECT sum(v) FROM t.sales WHERE year = 2024 AND month = 3"), String((300..<310).reduce(0, +)))
        XCTAssertEqual(fresh.footerCacheStatistics.misses, 1, "only March's footer")
    }
}
