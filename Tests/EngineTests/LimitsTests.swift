import Columnar
import Engine
import Foundation
import XCTest

/// Resource limits end queries with PostgreSQL's errors, not crashes.
final class LimitsTests: XCTestCase {
    func testMemoryLimitIsSQLState53200() throws {
        let lake = try TemporaryLake(copying: SQLLogicTestHarness.fixtureLake)
        defer { lake.remove() }
        let engine = try Engine(lakePath: lake.path, configuration: EngineConfiguration(threads: 1, memoryLimit: 64 << 10))
        // A four-way cross product of the fixture tables needs far more than 64 kB of hash table and buffers.
        XCTAssertThrowsError(try engine.execute(
            "SELECT count(*) FROM test.numbers a, test.people b, test.orders c, test.numbers d, test.people e")) { error in
            XCTAssertEqual((error as? EngineError)?.sqlState, "53200", "\(error)")
        }
        // The same engine still answers small queries.
        XCTAssertEqual(try engine.execute("SELECT count(*) FROM test.numbers").rowCount, 1)
    }

    func testThreadSettingGivesTheSameAnswer() throws {
        let lake = try TemporaryLake(copying: SQLLogicTestHarness.fixtureLake)
        defer { lake.remove() }
        var answers: Set<String> = []
        for threads in [1, 2, 4] {
            let engine = try Engine(lakePath: lake.path, configuration: EngineConfiguration(threads: threads))
            let r = try engine.execute("SELECT grp, count(*), sum(i) FROM test.numbers GROUP BY grp ORDER BY grp")
            answers.insert(r.batches.map { b in (0..<b.rowCount).map { row in b.columns.map { ValueText.format($0, row) ?? "NULL" }.joined(separator: ",") }.joined(separator: ";") }.joined())
        }
        XCTAssertEqual(answers.count, 1)
    }
}
