import Columnar
import Engine
import Foundation
import Lake
import Parquet
import XCTest

/// A table the query scans twice (in the query and in a subquery) is decoded once: the
/// second scan takes the first one's column chunks (`ChunkCache`). The answers are those
/// of the same query over a copy of the table, which nothing shares.
final class ChunkCacheTests: ScratchLakeTestCase {
    override class var label: String { "chunks" }

    override func setUpWithError() throws {
        try super.setUpWithError()
        let n = 30_000
        let fields = [Field("id", .int64, nullable: false), Field("v", .int64, nullable: true)]
        let values = (0..<Int64(n)).map { ($0 * 7919) % 1000 }
        let validity = Bitmap((0..<n).map { $0 % 13 != 0 })
        let batch = RecordBatch(fields: fields, columns: [Column(type: .int64, count: n, validity: nil, storage: .int64((0..<Int64(n)).map { $0 })),
                                                         Column(type: .int64, count: n, validity: validity, storage: .int64(values))], rowCount: n)
        var options = WriterOptions()
        options.rowGroupRows = 2000
        try scratch.lake.writeTable(schema: "t", name: "a", fields: fields, batches: [batch], options: options)
        try scratch.lake.writeTable(schema: "t", name: "b", fields: fields, batches: [batch], options: options)
    }

    func testASecondScanTakesTheFirstOnesChunks() throws {
        let queries = [
            // HAVING's subquery (TPC-H Q11's shape) runs after the query's scan and reads a
            // subset of its columns (EXPLAIN ANALYZE shows its scan under "Subquery run 1").
            "SELECT v, count(*) FROM t.a GROUP BY v HAVING sum(id) > (SELECT sum(v) / 40 FROM X) ORDER BY v",
            // IN subquery first, then the outer scan (Q18's shape), with a filter only the outer scan has.
            "SELECT count(*), sum(v) FROM t.a WHERE id % 3 = 0 AND v IN (SELECT v FROM X WHERE id < 5000)",
            // A self-join: both sides scan the table.
            "SELECT count(*), sum(x.v) FROM t.a x JOIN X y ON x.id = y.id + 1 WHERE y.v > 500",
            // Three scans: the first two keep what they decode, the last only takes, then lets go.
            "SELECT count(*), sum(y.v) FROM t.a x JOIN X y ON x.id = y.id WHERE x.v IN (SELECT v FROM X WHERE id < 100) AND y.id % 2 = 0",
        ]
        for q in queries {
            _ = try sameAnswers(q, table: "t.a", reference: "t.b")
            let plan = try explainLines(q.replacingOccurrences(of: "X", with: "t.a"))
            XCTAssertTrue(plan.contains { $0.contains("column chunks:") && $0.contains("taken decoded from an earlier scan") }, "\(q): \(plan)")
            // With t.b once, nothing is shared (with t.b twice, t.b's scans share).
            if q.components(separatedBy: "X").count == 2 {
                let unshared = try explainLines(q.replacingOccurrences(of: "X", with: "t.b"))
                XCTAssertFalse(unshared.contains { $0.contains("column chunks:") }, "\(q): \(unshared)")
            }
        }
    }

    func testExplainAnalyzeShowsSubqueryRuns() throws {
        let lines = try explainLines("SELECT count(*) FROM t.a WHERE v IN (SELECT v FROM t.b WHERE id < 50)")
        let run = try XCTUnwrap(lines.firstIndex(of: "Subquery run 1:"), "\(lines)")
        XCTAssertTrue(lines[run...].contains { $0.contains("Scan t.b") }, "\(lines)")
        XCTAssertTrue(lines[run...].contains { $0.contains("row groups: 1 read, 14 skipped by statistics") }, "\(lines)")
        XCTAssertTrue(lines.last?.hasPrefix("Execution Time") == true)
        // A correlated subquery runs once per outer row: a few runs are shown and all counted.
        let many = try explainLines("SELECT count(*) FROM t.a x WHERE x.id < 20 AND x.v > (SELECT min(v) FROM t.b y WHERE y.id > x.id * 1000)")
        XCTAssertEqual(many.filter { $0.hasPrefix("Subquery run ") }.count, 8, "\(many)")
        XCTAssertTrue(many.contains("Subquery runs: 20, the first 8 shown"), "\(many)")
    }

    func testNothingIsKeptWithinATinyMemoryLimit() throws {
        // The cache holds at most a quarter of the query's memory limit.
        let small = Engine(lake: scratch.lake, configuration: EngineConfiguration(memoryLimit: 64 << 10))
        let q = "SELECT count(*) FROM t.a WHERE v IN (SELECT v FROM t.a WHERE id < 50)"
        XCTAssertEqual(try small.execute(q).textRows, try rows(q))
        XCTAssertFalse(try small.execute("EXPLAIN ANALYZE " + q).firstColumnLines.contains { $0.contains("column chunks:") })
    }
}
