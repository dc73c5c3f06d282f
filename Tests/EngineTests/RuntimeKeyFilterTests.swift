import Columnar
import Engine
import Foundation
import Lake
import XCTest

/// Joins whose one side aggregates by the join keys filter that aggregation's input
/// with the other side's keys; EXPLAIN ANALYZE shows it, and the answers agree with
/// the filter turned off by a key type it does not handle (text).
final class RuntimeKeyFilterTests: ScratchLakeTestCase {
    override class var label: String { "keyfilter" }

    override func setUpWithError() throws {
        try super.setUpWithError()
        _ = try engine.execute("""
            CREATE TABLE t.big AS SELECT n, n % 1000 AS k, CAST(n % 1000 AS text) AS ks
            FROM generate_series(1, 100000) AS g(n)
            """)
    }

    private func lines(_ sql: String) throws -> [String] { try explainLines(sql) }

    private func values(_ sql: String) throws -> [String] { try rows(sql) }

    /// `query`'s EXPLAIN ANALYZE has a line holding each of `shows`, its answer is `answer`,
    /// and `reference` (the same question asked so that no key filter applies) agrees.
    private func check(_ query: String, shows: [String], answer: [String], reference: String? = nil,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let plan = try lines(query)
        for text in shows { XCTAssertTrue(plan.contains { $0.contains(text) }, "\(text) not in \(plan)", file: file, line: line) }
        XCTAssertEqual(try values(query), answer, file: file, line: line)
        if let reference {
            XCTAssertFalse(try lines(reference).contains { $0.contains("key filter:") }, "the reference is filtered", file: file, line: line)
            XCTAssertEqual(try values(reference), answer, file: file, line: line)
        }
    }

    func testBuildSideAggregationKeepsOnlyTheProbeSidesKeys() throws {
        // The correlated subquery of TPC-H Q17's shape: 20 outer keys of 1000 groups.
        let query = "SELECT count(*), sum(s.total) FROM (SELECT n FROM t.big WHERE n % 50 = 0 AND n < 1000) o "
            + "LEFT JOIN (SELECT k, sum(n) AS total FROM t.big GROUP BY k) s ON s.k = o.n"
        let text = query.replacingOccurrences(of: "s.k = o.n", with: "s.ks = CAST(o.n AS text)")
            .replacingOccurrences(of: "SELECT k,", with: "SELECT ks,").replacingOccurrences(of: "GROUP BY k", with: "GROUP BY ks")
        try check(query, shows: ["key filter: 19 keys (bitmap), 1900 of 100000 rows kept", "→ Key filter"], answer: ["19|95000000"],
                  reference: text)
    }

    func testProbeSideAggregationKeepsOnlyTheBuildSidesKeys() throws {
        let query = "SELECT count(*) FROM t.big b WHERE b.n < 1000 AND b.n % 7 = 0 "
            + "AND b.n * 200 < (SELECT sum(c.n) FROM t.big c WHERE c.k = b.n)"
        try check(query, shows: ["key filter: 142 keys"], answer: ["142"])
    }

    func testProbeSideScanKeepsOnlyRowsWithAMatch() throws {
        // The small side is built; the big scan drops rows without a matching key in its
        // workers, before the join. The left join (whose probe rows all survive) is the reference.
        let query = "SELECT count(*), sum(b.n) FROM t.big b JOIN (SELECT n FROM t.big WHERE n < 500 AND n % 5 = 0) s ON b.k = s.n"
        let reference = query.replacingOccurrences(of: " JOIN ", with: " LEFT JOIN ") + " WHERE s.n IS NOT NULL"
        let keys = (1..<500).filter { $0 % 5 == 0 }
        let total = (1...100_000).filter { keys.contains($0 % 1000) }.reduce(0, +)
        try check(query, shows: ["HashJoin (inner) → key filter into probe side", "key filter: 99 keys (bitmap), 9900 of 100000 rows kept"],
                  answer: ["9900|\(total)"], reference: reference)
    }

    func testFiltersReachScansBelowInnerJoins() throws {
        // The top join's keys come from a scan two joins down (on a lower join's build
        // side or its probe side): the filter goes there, and the answer is unchanged.
        _ = try engine.execute("CREATE TABLE t.dim AS SELECT n AS k, 'd' || n AS name FROM generate_series(0, 999) AS g(n)")
        let query = "SELECT count(*), count(DISTINCT d.name) FROM t.big b JOIN t.dim d ON b.k = d.k "
            + "JOIN (SELECT n FROM t.big WHERE n < 50) s ON d.k = s.n"
        XCTAssertEqual(try values(query), ["4900|49"])
        let plan = try lines(query)
        XCTAssertGreaterThanOrEqual(plan.filter { $0.contains("key filter into probe side") }.count, 2, "\(plan)")
        XCTAssertTrue(plan.contains { $0.contains("Scan t.dim AS d → Key filter") }, "\(plan)")
        let reference = query.replacingOccurrences(of: "JOIN (SELECT", with: "LEFT JOIN (SELECT") + " WHERE s.n IS NOT NULL"
        XCTAssertEqual(try values(query), try values(reference))
    }

    func testSeveralKeysPassBitmapsBeforeTheTable() throws {
        // Two keys: each column's values pass a bitmap of the other side's values first, and
        // only those rows are looked up as pairs.
        let query = "SELECT count(*), sum(b.n) FROM t.big b JOIN (SELECT n, n % 1000 AS k FROM t.big WHERE n < 50) s "
            + "ON b.n = s.n AND b.k = s.k"
        let reference = query.replacingOccurrences(of: " JOIN (", with: " LEFT JOIN (") + " WHERE s.n IS NOT NULL"
        try check(query, shows: ["key filter: 49 keys (2 key bitmaps first), 49 of 100000 rows kept"], answer: ["49|1225"],
                  reference: reference)
    }

    func testKeysOverAWideRangeUseAHashTable() throws {
        // 100 keys from 70,000 to 990,070,000: a bitmap would spend ten million bits per key.
        let query = "SELECT count(*) FROM t.big b JOIN (SELECT n * 10000 AS m FROM t.big WHERE n % 1000 = 7) s ON b.n * 10000 = s.m"
        try check(query, shows: ["key filter: 100 keys, 100 of 100000 rows kept"], answer: ["100"])
    }

    func testAFilterKeepingNearlyEveryRowTurnsItselfOff() throws {
        _ = try engine.execute("CREATE TABLE t.large AS SELECT n FROM generate_series(1, 600000) AS g(n)")
        let query = "SELECT count(*) FROM t.large l JOIN (SELECT n FROM t.big WHERE n > 2) s ON l.n % 100000 = s.n"
        try check(query, shows: ["(then off: it kept nearly every row)"], answer: ["599982"])
    }

    func testAnOuterSideIsNeverFiltered() throws {
        // The aggregation is the preserved side of this left join: every group must come out.
        let query = "SELECT count(*), count(o.n) FROM (SELECT k, sum(n) AS total FROM t.big GROUP BY k) s "
            + "LEFT JOIN (SELECT n FROM t.big WHERE n < 10) o ON s.k = o.n"
        XCTAssertEqual(try values(query), ["1000|9"])
        XCTAssertFalse(try lines(query).contains { $0.contains("key filter into probe side") && $0.contains("HashJoin (left)") })
    }

    func testLeftHashedSemiJoinFiltersTheRightScan() throws {
        // 1,999 left rows hashed; of the right side's 100,000 rows only those whose key some
        // left row has are read past the scan.
        let query = "SELECT count(*), sum(s.n) FROM (SELECT n FROM t.big WHERE n < 2000) s "
            + "WHERE EXISTS (SELECT 1 FROM t.big b WHERE b.n = s.n * 60)"
        try check(query, shows: ["HashJoin (semi, left side hashed) → key filter into right side",
                                 "key filter: 1999 keys (bitmap), 1666 of 100000 rows kept"], answer: ["1666|\(1666 * 1667 / 2)"])
        let anti = query.replacingOccurrences(of: "WHERE EXISTS", with: "WHERE NOT EXISTS")
        XCTAssertTrue(try lines(anti).contains { $0.contains("HashJoin (anti, left side hashed) → key filter into right side") })
        XCTAssertEqual(try values(anti), ["333|\((1667...1999).reduce(0, +))"])
        // NOT IN must see the right side's NULLs and whether it is empty: no filter.
        let notIn = "SELECT count(*) FROM (SELECT n FROM t.big WHERE n < 2000) s WHERE s.n * 60 NOT IN (SELECT b.n FROM t.big b)"
        XCTAssertFalse(try lines(notIn).contains { $0.contains("key filter into right side") })
        XCTAssertEqual(try values(notIn), ["333"])
    }

    func testSmallProbeSideFiltersALargeBuildSide() throws {
        // The probe scan keeps 29 of every 1000 rows by a lower join's key filter; read ahead,
        // its keys filter the 300,000-row build side's scan. Same answer with it turned off.
        _ = try engine.execute("CREATE TABLE t.probe AS SELECT n, n % 1000 AS k FROM generate_series(1, 400000) AS g(n)")
        _ = try engine.execute("CREATE TABLE t.build AS SELECT n, n * 2 AS twice FROM generate_series(1, 300000) AS g(n)")
        let query = "SELECT count(*), sum(f.twice) FROM t.probe p JOIN (SELECT n FROM t.big WHERE n < 30) s ON p.k = s.n "
            + "JOIN t.build f ON f.n = p.n"
        let plan = try lines(query)
        XCTAssertTrue(plan.contains { $0.contains("→ key filter into build side") }, "\(plan)")
        XCTAssertTrue(plan.contains { $0.contains("key filter: 11600 keys (bitmap), 8700 of 300000 rows kept") }, "\(plan)")
        let expected = (1...300_000).filter { (1..<30).contains($0 % 1000) }
        XCTAssertEqual(try values(query), ["\(expected.count)|\(expected.reduce(0, +) * 2)"])
        let session = Session(engine: engine)
        _ = try session.execute("SET basalt.build_side_reduction = off")
        XCTAssertEqual(try session.execute("SHOW basalt.build_side_reduction").textRows, ["off"])
        XCTAssertEqual(try session.execute(query).textRows, try values(query))
        XCTAssertFalse(try session.execute("EXPLAIN ANALYZE " + query).firstColumnLines.contains { $0.contains("into build side") })
    }
}
