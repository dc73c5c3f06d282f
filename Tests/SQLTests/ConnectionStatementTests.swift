import SQL
import XCTest

/// Statements the wire protocol runs per connection: savepoints, SQL cursors, COPY TO STDOUT.
final class ConnectionStatementTests: XCTestCase {
    func parse(_ sql: String, file: StaticString = #filePath, line: UInt = #line) -> Statement? {
        do {
            let s = try Parser.parseStatement(sql)
            // The printer's text parses back to the same statement.
            XCTAssertEqual(try Parser.parseStatement(s.sql), s, s.sql, file: file, line: line)
            return s
        } catch {
            XCTFail("\(sql): \(error)", file: file, line: line)
            return nil
        }
    }

    func testSavepoints() {
        XCTAssertEqual(parse("SAVEPOINT \"_pg3_1\""), .savepoint(.define, name: "_pg3_1"))
        XCTAssertEqual(parse("RELEASE SAVEPOINT sp"), .savepoint(.release, name: "sp"))
        XCTAssertEqual(parse("RELEASE sp"), .savepoint(.release, name: "sp"))
        XCTAssertEqual(parse("ROLLBACK TO SAVEPOINT sp"), .savepoint(.rollbackTo, name: "sp"))
        XCTAssertEqual(parse("ROLLBACK TRANSACTION TO sp"), .savepoint(.rollbackTo, name: "sp"))
    }

    func testCursors() {
        guard case let .declareCursor(d)? = parse("DECLARE \"c\" BINARY NO SCROLL CURSOR WITHOUT HOLD FOR SELECT 1") else {
            return XCTFail("not a DECLARE")
        }
        XCTAssertEqual(d.name, "c")
        XCTAssertTrue(d.binary)
        XCTAssertFalse(d.hold)
        if case let .declareCursor(h)? = parse("DECLARE c CURSOR WITH HOLD FOR SELECT 1") { XCTAssertTrue(h.hold) }
        XCTAssertEqual(parse("FETCH FORWARD 100 FROM \"c\""), .fetchCursor(FetchCursor(name: "c", count: 100)))
        XCTAssertEqual(parse("FETCH ALL IN c"), .fetchCursor(FetchCursor(name: "c", count: nil)))
        XCTAssertEqual(parse("FETCH c"), .fetchCursor(FetchCursor(name: "c", count: 1)))
        XCTAssertEqual(parse("MOVE 5 c"), .fetchCursor(FetchCursor(name: "c", count: 5, move: true)))
        XCTAssertEqual(parse("CLOSE c"), .closeCursor("c"))
        XCTAssertEqual(parse("CLOSE ALL"), .closeCursor(nil))
        XCTAssertThrowsError(try Parser.parseStatement("FETCH BACKWARD 1 FROM c"))
    }

    func testCopyToStdout() {
        guard case let .copyTo(psql)? = parse("COPY ( select 1 ) TO STDOUT csv header") else { return XCTFail("not a COPY") }
        XCTAssertEqual(psql.format, .csv)
        XCTAssertTrue(psql.header)
        guard case let .copyTo(modern)? = parse("COPY test.orders (order_id, status) TO STDOUT WITH (FORMAT csv, DELIMITER ';', NULL 'NA')")
        else { return XCTFail("not a COPY") }
        XCTAssertEqual(modern.source, .table(QualifiedName(["test", "orders"]), columns: ["order_id", "status"]))
        XCTAssertEqual(modern.delimiter, ";")
        XCTAssertEqual(modern.null, "NA")
        XCTAssertEqual(parse("COPY t TO STDOUT"), .copyTo(CopyTo(source: .table(QualifiedName(["t"]), columns: []))))
        XCTAssertThrowsError(try Parser.parseStatement("COPY t FROM STDIN"))
        XCTAssertThrowsError(try Parser.parseStatement("COPY t TO '/etc/passwd'"))
        XCTAssertThrowsError(try Parser.parseStatement("COPY t TO STDOUT (FORMAT xml)"))
        // Option values as strings and Boolean words, as asyncpg's copy_from_query writes them.
        guard case let .copyTo(quoted)? = parse("COPY (SELECT 1) TO STDOUT (FORMAT 'CSV', HEADER True, DELIMITER '|')")
        else { return XCTFail("not a COPY") }
        XCTAssertEqual(quoted.format, .csv)
        XCTAssertTrue(quoted.header)
        XCTAssertEqual(quoted.delimiter, "|")
        guard case let .copyTo(off)? = parse("COPY t TO STDOUT (FORMAT text, HEADER 'off')") else { return XCTFail("not a COPY") }
        XCTAssertFalse(off.header)
        XCTAssertThrowsError(try Parser.parseStatement("COPY t TO STDOUT (FORMAT 'xml')"))
    }
}
