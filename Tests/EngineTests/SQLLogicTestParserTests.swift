import Foundation
import XCTest

/// The sqllogictest format parser (SQLLogicTest.swift), without any engine.
final class SQLLogicTestParserTests: XCTestCase {
    private func parse(_ text: String) throws -> SQLLogicTest {
        try SQLLogicTest.parse(text, file: "t.test")
    }

    private func parseError(_ text: String) -> SQLLogicTest.FormatError? {
        do {
            _ = try SQLLogicTest.parse(text, file: "t.test")
            return nil
        } catch {
            return error
        }
    }

    func testRecordsCommentsAndLineNumbers() throws {
        let test = try parse("""
            # leading comment

            statement ok
            CREATE TABLE test.t AS
            SELECT 1 AS x

            # between records
            query IT
            SELECT x, 'a'
            FROM test.t
            ----
            1\ta

            query R rowsort
            SELECT 1.5
            ----
            1.5
            """)
        XCTAssertEqual(test.records.count, 3)
        XCTAssertEqual(test.records[0], .init(line: 3, conditions: [], kind: .statementOK,
                                              sql: "CREATE TABLE test.t AS\nSELECT 1 AS x"))
        XCTAssertEqual(test.records[1], .init(line: 8, conditions: [],
                                              kind: .query(types: ["I", "T"], sort: .nosort, expected: [["1", "a"]]),
                                              sql: "SELECT x, 'a'\nFROM test.t"))
        XCTAssertEqual(test.records[2].kind, .query(types: ["R"], sort: .rowsort, expected: [["1.5"]]))
        XCTAssertEqual(test.records[2].line, 14)
    }

    func testStatementErrorForms() throws {
        let test = try parse("""
            statement error
            SELECT 1 / 0

            statement error 22012
            SELECT 1 / 0
            ----
            division by zero

            statement error column .* does not exist
            SELECT nme FROM test.people

            statement error 42703
            SELECT nme FROM test.people
            ----
            column "nme" does not exist
            HINT:  Perhaps you meant to reference the column "people.name".
            """)
        let kinds = test.records.map(\.kind)
        XCTAssertEqual(kinds[0], .statementError(.init()))
        XCTAssertEqual(kinds[1], .statementError(.init(sqlState: "22012", message: "division by zero")))
        XCTAssertEqual(kinds[2], .statementError(.init(pattern: "column .* does not exist")))
        XCTAssertEqual(kinds[3], .statementError(.init(sqlState: "42703", message: "column \"nme\" does not exist",
                                                       hint: "Perhaps you meant to reference the column \"people.name\".")))
    }

    func testConditionsAndHalt() throws {
        let test = try parse("""
            skipif basalt
            query I
            SELECT 1
            ----
            1

            onlyif basalt
            onlyif other
            statement ok
            SELECT 2

            onlyif basalt
            halt

            halt

            this is never read as a record
            """)
        XCTAssertEqual(test.records.count, 4)
        XCTAssertEqual(test.records[0].conditions, [.skipIf("basalt")])
        XCTAssertFalse(test.records[0].runs(on: "basalt"))
        XCTAssertTrue(test.records[0].runs(on: "postgresql"))
        XCTAssertEqual(test.records[1].conditions, [.onlyIf("basalt"), .onlyIf("other")])
        XCTAssertFalse(test.records[1].runs(on: "basalt"), "every onlyif must name the engine")
        XCTAssertEqual(test.records[2].kind, .halt)
        XCTAssertEqual(test.records[2].conditions, [.onlyIf("basalt")], "a conditional halt does not end parsing")
        XCTAssertEqual(test.records[3].kind, .halt)
        XCTAssertEqual(test.records[3].conditions, [])
    }

    func testExpectedValueLayouts() throws {
        let rowWise = try parse("query ITR\nSELECT\n----\n1\tNULL\t2.5\n2\t(empty)\t-0\n")
        XCTAssertEqual(rowWise.records[0].kind,
                       .query(types: ["I", "T", "R"], sort: .nosort, expected: [["1", "NULL", "2.5"], ["2", "(empty)", "-0"]]))
        let valueWise = try parse("query IT\nSELECT\n----\n1\na\n2\nb\n")
        XCTAssertEqual(valueWise.records[0].kind,
                       .query(types: ["I", "T"], sort: .nosort, expected: [["1", "a"], ["2", "b"]]))
        let empty = try parse("query I\nSELECT 1 WHERE false\n----\n\nquery I\nSELECT 2\n----\n2\n")
        XCTAssertEqual(empty.records[0].kind, .query(types: ["I"], sort: .nosort, expected: []))
        XCTAssertEqual(empty.records[1].kind, .query(types: ["I"], sort: .nosort, expected: [["2"]]))
        let spaces = try parse("query T\nSELECT ' x '\n----\n x \n")
        XCTAssertEqual(spaces.records[0].kind, .query(types: ["T"], sort: .nosort, expected: [[" x "]]),
                       "spaces inside values are kept")
        let space = try parse("query T\nSELECT ' '\n----\n \n\n  \nquery I\nSELECT 1\n----\n1\n")
        XCTAssertEqual(space.records.count, 2)
        XCTAssertEqual(space.records[0].kind, .query(types: ["T"], sort: .nosort, expected: [[" "]]),
                       "a line of one space is a value; only an empty line ends the record")
    }

    func testWindowsLineEndings() throws {
        let test = try parse("query I\r\nSELECT 1\r\n----\r\n1\r\n\r\nstatement ok\r\nSELECT 2\r\n")
        XCTAssertEqual(test.records.count, 2)
        XCTAssertEqual(test.records[0].kind, .query(types: ["I"], sort: .nosort, expected: [["1"]]))
        XCTAssertEqual(test.records[1].sql, "SELECT 2")
    }

    func testFormatErrorsNameTheLine() {
        XCTAssertEqual(parseError("statement ok\nSELECT 1\n\nselect 2\n")?.line, 4)
        XCTAssertEqual(parseError("query X\nSELECT 1\n----\n1\n")?.line, 1)
        XCTAssertEqual(parseError("query I sideways\nSELECT 1\n----\n1\n")?.line, 1)
        XCTAssertEqual(parseError("\n\nquery I\nSELECT 1\n")?.line, 3, "a query needs its ---- line")
        XCTAssertEqual(parseError("query II\nSELECT 1, 2\n----\n1\t2\n3\n")?.line, 1, "ragged rows")
        XCTAssertEqual(parseError("statement ok\nSELECT 1\n----\nx\n")?.line, 1)
        XCTAssertEqual(parseError("statement maybe\nSELECT 1\n")?.line, 1)
        XCTAssertEqual(parseError("statement ok\n\nSELECT 1\n")?.line, 1, "a record without SQL")
        XCTAssertEqual(parseError("skipif basalt\n\nquery I\nSELECT 1\n----\n1\n")?.line, 1)
        XCTAssertEqual(parseError("statement error\nSELECT 1\n----\nmessage\nsecond line\n")?.line, 1)
        XCTAssertEqual(parseError("statement ok\nSELECT 1\n\nquery II\nSELECT 1\n----\n1\n")?.description,
                       "t.test:4: expected 2 tab-separated values per row, row 1 has 1")
    }

    func testSQLStateRecognition() {
        XCTAssertTrue(SQLLogicTest.isSQLState("22012"))
        XCTAssertTrue(SQLLogicTest.isSQLState("42P01"))
        XCTAssertFalse(SQLLogicTest.isSQLState("4201"))
        XCTAssertFalse(SQLLogicTest.isSQLState("abcde"))
        XCTAssertFalse(SQLLogicTest.isSQLState("division"))
    }

    /// The committed files must parse, and the suite must keep its size.
    func testEveryCommittedFileParses() throws {
        let dir = SQLLogicTestHarness.sqlDirectory
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".test") }.sorted()
        XCTAssertFalse(names.isEmpty, "no .test files in \(dir.path)")
        var queries = 0
        for name in names {
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            do {
                let test = try SQLLogicTest.parse(text, file: "Fixtures/sql/" + name)
                queries += test.records.filter { if case .query = $0.kind { true } else { false } }.count
            } catch {
                XCTFail("\(error)")
            }
        }
        XCTAssertGreaterThanOrEqual(queries, 400, "query records across Fixtures/sql")
    }
}
