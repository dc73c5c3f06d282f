import Columnar
import Engine
import Foundation
import Lake
import Parquet
import XCTest

/// A scan reads its row groups ahead of its consumer on worker threads (`ReadAhead`): rows
/// still come in file order on any number of threads, an error in a later row group is
/// reported at its turn, a LIMIT leaves most row groups unread, and scans nested in a
/// scan's filter finish.
final class ScanReadAheadTests: ScratchLakeTestCase {
    override class var label: String { "readahead" }
    static let rowGroups = 50
    static let rowsPerGroup = 1000

    override func setUpWithError() throws {
        try super.setUpWithError()
        let n = Self.rowGroups * Self.rowsPerGroup
        let fields = [Field("k", .int64, nullable: false)]
        let keys = (0..<Int64(n)).map { $0 }
        let batch = RecordBatch(fields: fields, columns: [Column(type: .int64, count: n, validity: nil, storage: .int64(keys))], rowCount: n)
        var options = WriterOptions()
        options.rowGroupRows = Self.rowsPerGroup
        try scratch.lake.writeTable(schema: "t", name: "seq", fields: fields, batches: [batch], options: options)
    }

    private func engine(threads: Int) -> Engine {
        Engine(lake: scratch.lake, configuration: EngineConfiguration(threads: threads))
    }

    func testRowsComeInFileOrderOnAnyNumberOfThreads() throws {
        let expected = (0..<(Self.rowGroups * Self.rowsPerGroup)).filter { $0 % 7 == 3 }.map(String.init)
        for threads in [1, 2, 4] {
            XCTAssertEqual(try engine(threads: threads).execute("SELECT k FROM t.seq WHERE k % 7 = 3").textRows, expected, "\(threads) threads")
        }
    }

    func testAnErrorInALaterRowGroupIsReported() throws {
        for threads in [1, 2] {
            XCTAssertThrowsError(try engine(threads: threads).execute("SELECT k FROM t.seq WHERE 100 / (k - 45123) > 1000")) { error in
                XCTAssertEqual((error as? EngineError)?.sqlState, "22012", "\(error)")
            }
        }
    }

    func testACursorThatFailedFailsAgainInsteadOfReadingOn() throws {
        // A cursor fetched again after an error (a SQL cursor survives its FETCH's error).
        let session = Session(engine: engine(threads: 2))
        let prepared = try session.prepare("SELECT 100 / (k - 45123) FROM t.seq")
        let cursor = try session.open(prepared, parameters: [])
        var error: EngineError?
        do { while try cursor.next() != nil {} } catch let e { error = e }
        XCTAssertEqual(error?.sqlState, "22012")
        XCTAssertThrowsError(try cursor.next()) { XCTAssertEqual(($0 as? EngineError)?.sqlState, "55000", "\($0)") }
        XCTAssertThrowsError(try cursor.next())
    }

    func testLimitLeavesMostRowGroupsUnread() throws {
        // The consumer's row group and at most `threads` read ahead: one page each.
        let lines = try engine(threads: 2).execute("EXPLAIN ANALYZE SELECT k FROM t.seq LIMIT 5").firstColumnLines
        let pages = lines.first { $0.contains("pages:") } ?? ""
        let read = Int(pages.split(separator: ":")[1].split(separator: " ")[0]) ?? -1
        XCTAssertTrue((1...3).contains(read), "\(lines)")
        XCTAssertEqual(try engine(threads: 2).execute("SELECT k FROM t.seq LIMIT 3 OFFSET 2500").textRows, ["2500", "2501", "2502"])
    }

    func testScansNestedInAScansFilterFinish() throws {
        // The subquery's scan runs inside the outer scan's filter on every worker.
        let sql = "SELECT count(*) FROM t.seq a WHERE a.k % 1000 = 0 AND a.k >= (SELECT count(*) FROM t.seq b WHERE b.k < a.k) "
        XCTAssertEqual(try engine(threads: 2).execute(sql).textRows, ["50"])
    }
}
