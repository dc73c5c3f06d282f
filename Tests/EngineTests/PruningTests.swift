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
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("basalt-pruning-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let lake = try Lake(path: root.path)
        _ = try lake.createSchema("t")
        return (lake, root)
    }

    private func scanLines(_ engine: Engine, _ sql: String) throws -> [String] {
        let result = try engine.execute("EXPLAIN ANALYZE " + sql)
        return result.batches.flatMap { b in (0..<b.rowCount).compactMap { ValueText.format(b.columns[0], $0) } }
    }

    private func single(_ engine: Engine, _ sql: String) throws -> String? {
        let r = try engine.execute(sql)
        return r.batches.first.flatMap { ValueText.format($0.columns[0], 0) }
    }

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
}
