import Columnar
import Engine
import Foundation
import Lake
import XCTest

/// Semi and anti joins whose sides the estimates cannot tell apart choose at run time:
/// a small left side is hashed, a large one is probed against the hashed right side.
/// Both strategies must give the same answers, NULL semantics of NOT IN included.
final class AdaptiveSemiJoinTests: ScratchLakeTestCase {
    override class var label: String { "adaptive" }

    override func setUpWithError() throws {
        try super.setUpWithError()
        // More rows than the left side may have to be hashed (AdaptiveSemiJoinOperator.leftLimit).
        _ = try engine.execute("CREATE TABLE t.large AS SELECT n FROM generate_series(1, 600000) AS g(n)")
        _ = try engine.execute("CREATE TABLE t.small AS SELECT n FROM generate_series(1, 1000) AS g(n)")
    }

    private func value(_ sql: String) throws -> String { try rows(sql).first ?? "none" }

    private func plan(_ sql: String) throws -> String { try explainLines(sql).joined(separator: "\n") }

    func testALargeLeftSideProbesTheHashedRightSide() throws {
        let exists = "SELECT count(*) FROM t.large a WHERE EXISTS (SELECT 1 FROM t.large b WHERE b.n = a.n + 1)"
        XCTAssertEqual(try value(exists), "599999")
        XCTAssertTrue(try plan(exists).contains("Rows read ahead, then the rest"))
        XCTAssertEqual(try value(exists.replacingOccurrences(of: "WHERE EXISTS", with: "WHERE NOT EXISTS")), "1")
    }

    func testASmallLeftSideIsHashed() throws {
        let exists = "SELECT count(*) FROM t.small a WHERE EXISTS (SELECT 1 FROM t.small b WHERE b.n = a.n * 2)"
        XCTAssertEqual(try value(exists), "500")
        XCTAssertTrue(try plan(exists).contains("left side hashed"))
        XCTAssertEqual(try value(exists.replacingOccurrences(of: "WHERE EXISTS", with: "WHERE NOT EXISTS")), "500")
    }

    func testNotInKeepsItsNullSemanticsEitherWay() throws {
        for table in ["t.large", "t.small"] {
            let notIn = "SELECT count(*) FROM \(table) a WHERE a.n NOT IN (SELECT n + 1 FROM \(table))"
            XCTAssertEqual(try value(notIn), "1", table)
            // One NULL among the subquery's values makes every NOT IN unknown: no rows.
            let withNull = "SELECT count(*) FROM \(table) a WHERE a.n NOT IN "
                + "(SELECT CASE WHEN n = 5 THEN NULL ELSE n + 1 END FROM \(table))"
            XCTAssertEqual(try value(withNull), "0", table)
        }
    }
}
