import Columnar
import Engine
import Foundation
import Lake
import XCTest

/// Joins whose one side aggregates by the join keys filter that aggregation's input
/// with the other side's keys; EXPLAIN ANALYZE shows it, and the answers agree with
/// the filter turned off by a key type it does not handle (text).
final class RuntimeKeyFilterTests: XCTestCase {
    private var scratch: ScratchLake!
    private var engine: Engine!

    override func setUpWithError() throws {
        scratch = try ScratchLake("keyfilter")
        engine = Engine(lake: scratch.lake)
        _ = try engine.execute("""
            CREATE TABLE t.big AS SELECT n, n % 1000 AS k, CAST(n % 1000 AS text) AS ks
            FROM generate_series(1, 100000) AS g(n)
            """)
    }

    override func tearDownWithError() throws { scratch.remove() }

    private func lines(_ sql: String) throws -> [String] { try engine.execute("EXPLAIN ANALYZE " + sql).firstColumnLines }

    private func values(_ sql: String) throws -> [String] { try engine.execute(sql).textRows }

    func testBuildSideAggregationKeepsOnlyTheProbeSidesKeys() throws {
        // The correlated subquery of TPC-H Q17's shape: 20 outer keys of 1000 groups.
        let query = "SELECT count(*), sum(s.total) FROM (SELECT n FROM t.big WHERE n % 50 = 0 AND n < 1000) o "
            + "LEFT JOIN (SELECT k, sum(n) AS total FROM t.big GROUP BY k) s ON s.k = o.n"
        let plan = try lines(query)
        XCTAssertTrue(plan.contains { $0.contains("key filter: 19 keys (bitmap), 1900 of 100000 rows kept") }, "\(plan)")
        XCTAssertTrue(plan.contains { $0.contains("→ Key filter") }, "\(plan)")
        let text = query.replacingOccurrences(of: "s.k = o.n", with: "s.ks = CAST(o.n AS text)")
            .replacingOccurrences(of: "SELECT k,", with: "SELECT ks,").replacingOccurrences(of: "GROUP BY k", with: "GROUP BY ks")
        XCTAssertFalse(try lines(text).contains { $0.contains("key filter") })
        XCTAssertEqual(try values(query), try values(text))
        XCTAssertEqual(try values(query), ["19|95000000"])
    }

    func testProbeSideAggregationKeepsOnlyTheBuildSidesKeys() throws {
        let query = "SELECT count(*) FROM t.big b WHERE b.n < 1000 AND b.n % 7 = 0 "
            + "AND b.n * 200 < (SELECT sum(c.n) FROM t.big c WHERE c.k = b.n)"
        let plan = try lines(query)
        XCTAssertTrue(plan.contains { $0.contains("key filter: 142 keys") }, "\(plan)")
        XCTAssertEqual(try values(query), ["142"])
    }

    func testProbeSideScanKeepsOnlyRowsWithAMatch() throws {
        // The small side is built; the big scan drops rows without a matching key in its
        // workers, before the join. The left join (whose probe rows all survive) is the reference.
        let query = "SELECT count(*), sum(b.n) FROM t.big b JOIN (SELECT n FROM t.big WHERE n < 500 AND n % 5 = 0) s ON b.k = s.n"
        let plan = try lines(query)
        XCTAssertTrue(plan.contains { $0.contains("HashJoin (inner) → key filter into probe side") }, "\(plan)")
        XCTAssertTrue(plan.contains { $0.contains("key filter: 99 keys (bitmap), 9900 of 100000 rows kept") }, "\(plan)")
        let reference = query.replacingOccurrences(of: " JOIN ", with: " LEFT JOIN ") + " WHERE s.n IS NOT NULL"
        XCTAssertFalse(try lines(reference).contains { $0.contains("key filter") })
        XCTAssertEqual(try values(query), try values(reference))
        XCTAssertEqual(try values(query).first?.hasPrefix("9900|"), true)
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

    func testKeysOverAWideRangeUseAHashTable() throws {
        // 100 keys from 70,000 to 990,070,000: a bitmap would spend ten million bits per key.
        let query = "SELECT count(*) FROM t.big b JOIN (SELECT n * 10000 AS m FROM t.big WHERE n % 1000 = 7) s ON b.n * 10000 = s.m"
        XCTAssertEqual(try values(query), ["100"])
        let plan = try lines(query)
        XCTAssertTrue(plan.contains { $0.contains("key filter: 100 keys, 100 of 100000 rows kept") }, "\(plan)")
    }

    func testAFilterKeepingNearlyEveryRowTurnsItselfOff() throws {
        _ = try engine.execute("CREATE TABLE t.large AS SELECT n FROM generate_series(1, 600000) AS g(n)")
        let query = "SELECT count(*) FROM t.large l JOIN (SELECT n FROM t.big WHERE n > 2) s ON l.n % 100000 = s.n"
        XCTAssertEqual(try values(query), ["599982"])
        let plan = try lines(query)
        XCTAssertTrue(plan.contains { $0.contains("(then off: it kept nearly every row)") }, "\(plan)")
    }

    func testAnOuterSideIsNeverFiltered() throws {
        // The aggregation is the preserved side of this left join: every group must come out.
        let query = "SELECT count(*), count(o.n) FROM (SELECT k, sum(n) AS total FROM t.big GROUP BY k) s "
            + "LEFT JOIN (SELECT n FROM t.big WHERE n < 10) o ON s.k = o.n"
        XCTAssertEqual(try values(query), ["1000|9"])
        XCTAssertFalse(try lines(query).contains { $0.contains("key filter into probe side") && $0.contains("HashJoin (left)") })
    }
}
