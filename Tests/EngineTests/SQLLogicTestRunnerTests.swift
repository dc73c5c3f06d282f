import Columnar
import Engine
import Foundation
import XCTest

/// The runner's own logic (SQLLogicTestRunner.swift) against a scripted stand-in
/// for the engine: rendering, sort modes, comparison, error matching, skipping.
final class SQLLogicTestRunnerTests: XCTestCase {
    /// Answers SQL text from a table; anything else is a syntax error.
    struct Scripted: SQLLogicExecutor {
        var answers: [String: Result<QueryResult, EngineError>]
        func execute(_ sql: String) throws(EngineError) -> QueryResult {
            switch answers[sql] {
            case let .success(result): return result
            case let .failure(error): throw error
            case nil: throw EngineError.syntax("no scripted answer for \(sql)")
            }
        }
    }

    // MARK: building results

    static func ints(_ values: [Int64?]) -> Column {
        Column(type: .int64, count: values.count, validity: validity(values),
               storage: .int64(values.map { $0 ?? 0 }))
    }

    static func strings(_ values: [String?]) -> Column {
        var offsets = [0], data: [UInt8] = []
        for v in values {
            data += Array((v ?? "").utf8)
            offsets.append(data.count)
        }
        return Column(type: .string, count: values.count, validity: validity(values), storage: .bytes(offsets: offsets, data: data))
    }

    static func doubles(_ values: [Double?]) -> Column {
        Column(type: .float64, count: values.count, validity: validity(values), storage: .float64(values.map { $0 ?? 0 }))
    }

    static func validity<T>(_ values: [T?]) -> Bitmap? {
        values.contains { $0 == nil } ? Bitmap(values.map { $0 != nil }) : nil
    }

    static func result(_ columns: [(String, Column)]) -> QueryResult {
        let fields = columns.map { Field($0.0, $0.1.type) }
        let count = columns.first?.1.count ?? 0
        return QueryResult(fields: fields, batches: [RecordBatch(fields: fields, columns: columns.map(\.1), rowCount: count)],
                           commandTag: "SELECT \(count)")
    }

    private func run(_ text: String, _ answers: [String: Result<QueryResult, EngineError>]) throws -> SQLLogicRunner.Outcome {
        let test = try SQLLogicTest.parse(text, file: "Fixtures/sql/t.test")
        return SQLLogicRunner(executor: Scripted(answers: answers)).run(test)
    }

    private func report(_ text: String, _ answers: [String: Result<QueryResult, EngineError>],
                        file: StaticString = #filePath, line: UInt = #line) throws -> SQLLogicRunner.Report {
        switch try run(text, answers) {
        case let .finished(report): return report
        case let .engineNotBuilt(error):
            XCTFail("unexpected engineNotBuilt: \(error)", file: file, line: line)
            return SQLLogicRunner.Report()
        }
    }

    // MARK: values and types

    func testValueTextAsTheFilesWriteIt() {
        XCTAssertEqual(SQLLogicRunner.text(Self.ints([7, nil]), 0), "7")
        XCTAssertEqual(SQLLogicRunner.text(Self.ints([7, nil]), 1), "NULL")
        XCTAssertEqual(SQLLogicRunner.text(Self.strings(["", "x"]), 0), "(empty)")
        XCTAssertEqual(SQLLogicRunner.text(Self.strings(["", "NULL"]), 1), "NULL", "the string NULL is indistinguishable, as in every sqllogictest")
        let decimal = Column(type: .decimal(precision: 12, scale: 2), count: 2, validity: nil, storage: .int64([-5, 12345]))
        XCTAssertEqual(SQLLogicRunner.text(decimal, 0), "-0.05")
        XCTAssertEqual(SQLLogicRunner.text(decimal, 1), "123.45")
        let booleans = Column(type: .boolean, count: 2, validity: nil, storage: .boolean([1, 0]))
        XCTAssertEqual([SQLLogicRunner.text(booleans, 0), SQLLogicRunner.text(booleans, 1)], ["t", "f"])
        let date = Column(type: .date32, count: 1, validity: nil, storage: .int32([19723]))
        XCTAssertEqual(SQLLogicRunner.text(date, 0), "2024-01-01")
        let stamp = Column(type: .timestamp(.microsecond, utc: true), count: 1, validity: nil,
                           storage: .int64([1_704_067_200_500_000]))
        XCTAssertEqual(SQLLogicRunner.text(stamp, 0), "2024-01-01 00:00:00.5+00")
        XCTAssertEqual(SQLLogicRunner.text(Self.doubles([0.1]), 0), ValueText.format(Self.doubles([0.1]), 0))
    }

    func testTypeLetters() {
        let cases: [(DataType, Character)] = [
            (.int16, "I"), (.int32, "I"), (.int64, "I"), (.float32, "R"), (.float64, "R"),
            (.decimal(precision: 12, scale: 2), "R"), (.boolean, "B"), (.string, "T"), (.binary, "T"),
            (.date32, "D"), (.timestamp(.microsecond, utc: false), "D"), (.timestamp(.microsecond, utc: true), "D"),
            (.time(.microsecond), "D"), (.list(Field("item", .int32)), "T"),
        ]
        for (type, letter) in cases {
            XCTAssertEqual(SQLLogicRunner.typeLetter(type), letter, "\(type)")
        }
    }

    func testRenderJoinsBatches() {
        let fields = [Field("x", .int64)]
        let result = QueryResult(fields: fields, batches: [
            RecordBatch(fields: fields, columns: [Self.ints([1, 2])], rowCount: 2),
            RecordBatch(fields: fields, columns: [Self.ints([nil])], rowCount: 1),
        ], commandTag: "SELECT 3")
        let rendered = SQLLogicRunner.render(result)
        XCTAssertEqual(rendered.types, ["I"])
        XCTAssertEqual(rendered.rows, [["1"], ["2"], ["NULL"]])
    }

    // MARK: sort modes

    func testSortModes() {
        let rows = [["b", "1"], ["a", "2"], ["a", "10"], ["é", "0"], ["B", "3"]]
        XCTAssertEqual(SQLLogicRunner.sorted(rows, .nosort), rows)
        XCTAssertEqual(SQLLogicRunner.sorted(rows, .rowsort),
                       [["B", "3"], ["a", "10"], ["a", "2"], ["b", "1"], ["é", "0"]], "byte order, value by value")
        XCTAssertEqual(SQLLogicRunner.sorted([["b", "1"], ["a", "2"]], .valuesort), [["1"], ["2"], ["a"], ["b"]])
    }

    func testRowsortAcceptsAnyOrderNosortDoesNot() throws {
        let answer = Self.result([("id", Self.ints([2, 1])), ("name", Self.strings(["b", "a"]))])
        let sorted = try report("query IT rowsort\nSELECT q\n----\n1\ta\n2\tb\n", ["SELECT q": .success(answer)])
        XCTAssertTrue(sorted.failures.isEmpty, "\(sorted.failures)")
        let unsorted = try report("query IT\nSELECT q\n----\n1\ta\n2\tb\n", ["SELECT q": .success(answer)])
        XCTAssertEqual(unsorted.failures.count, 1)
        XCTAssertTrue(unsorted.failures[0].problem.contains("row 1 column 1: expected \"1\", got \"2\""), unsorted.failures[0].problem)
        let values = try report("query IT valuesort\nSELECT q\n----\n1\t2\na\tb\n", ["SELECT q": .success(answer)])
        XCTAssertTrue(values.failures.isEmpty, "valuesort ignores row boundaries: \(values.failures)")
    }

    // MARK: comparison

    func testPassingFile() throws {
        let r = try report("""
            statement ok
            CREATE TABLE test.t AS SELECT 1

            query ITR
            SELECT q
            ----
            1\t(empty)\tNULL

            statement error 22012
            SELECT 1/0
            ----
            division by zero
            """, [
                "CREATE TABLE test.t AS SELECT 1": .success(QueryResult(fields: [], batches: [], commandTag: "SELECT 1")),
                "SELECT q": .success(Self.result([("a", Self.ints([1])), ("b", Self.strings([""])), ("c", Self.doubles([nil]))])),
                "SELECT 1/0": .failure(.divisionByZero()),
            ])
        XCTAssertEqual(r.executed, 3)
        XCTAssertTrue(r.failures.isEmpty, "\(r.failures)")
    }

    func testFailureNamesFileLineSQLExpectedAndGot() throws {
        let r = try report("\n\nquery IT\nSELECT id, name\nFROM test.people\n----\n1\tAlice\n2\tBob\n",
                           ["SELECT id, name\nFROM test.people": .success(Self.result([("id", Self.ints([1, 2])), ("name", Self.strings(["Alice", "Bób"]))]))])
        XCTAssertEqual(r.failures.count, 1)
        let text = r.failures[0].description
        XCTAssertTrue(text.hasPrefix("Fixtures/sql/t.test:3: wrong result (nosort): row 2 column 2: expected \"Bob\", got \"Bób\""), text)
        XCTAssertTrue(text.contains("SQL: SELECT id, name\n       FROM test.people"), text)
        XCTAssertTrue(text.contains("expected: 2 rows (IT)\n    1\tAlice\n    2\tBob"), text)
        XCTAssertTrue(text.contains("got: 2 rows (IT)\n    1\tAlice\n    2\tBób"), text)
    }

    func testRowCountColumnCountAndTypeMismatches() throws {
        let two = Self.result([("x", Self.ints([1, 2]))])
        let fewer = try report("query I\nSELECT q\n----\n1\n", ["SELECT q": .success(two)])
        XCTAssertTrue(fewer.failures.first?.problem.contains("expected 1 rows, got 2") == true, "\(fewer.failures)")
        let columns = try report("query II\nSELECT q\n----\n1\t1\n2\t2\n", ["SELECT q": .success(two)])
        XCTAssertTrue(columns.failures.first?.problem.hasPrefix("expected 2 columns (II), got 1 (I)") == true, "\(columns.failures)")
        let types = try report("query R\nSELECT q\n----\n1\n2\n", ["SELECT q": .success(two)])
        XCTAssertTrue(types.failures.first?.problem.hasPrefix("wrong column types I, expected R: column 1 (x): expected R, got I [int64]") == true,
                      "\(types.failures)")
    }

    func testExactTextComparison() throws {
        // Canonically equivalent but different bytes: é precomposed vs e + combining acute.
        let answer = Self.result([("s", Self.strings(["e\u{301}"]))])
        let r = try report("query T\nSELECT q\n----\n\u{e9}\n", ["SELECT q": .success(answer)])
        XCTAssertEqual(r.failures.count, 1)
        XCTAssertFalse(SQLLogicRunner.same("1.0", "1"))
        XCTAssertTrue(SQLLogicRunner.same("Zoë", "Zoë"))
    }

    func testStatementOutcomes() throws {
        let ok = Result<QueryResult, EngineError>.success(QueryResult(fields: [], batches: [], commandTag: "CREATE TABLE"))
        let failing = try report("statement ok\nSELECT a\n\nstatement error\nSELECT b\n\nquery I\nSELECT c\n----\n1\n", [
            "SELECT a": .failure(.undefinedColumn("column \"a\" does not exist")),
            "SELECT b": ok,
            "SELECT c": .failure(.undefinedColumn("column \"c\" does not exist")),
        ])
        XCTAssertEqual(failing.failures.map(\.line), [1, 4, 7])
        XCTAssertEqual(failing.failures[0].problem, "statement failed: ERROR 42703: column \"a\" does not exist")
        XCTAssertEqual(failing.failures[1].problem, "statement succeeded (CREATE TABLE) but should fail with any error")
        XCTAssertEqual(failing.failures[2].problem, "query failed: ERROR 42703: column \"c\" does not exist")
    }

    func testErrorMatching() {
        let error = EngineError.undefinedColumn("column \"nme\" does not exist", position: 8,
                                                hint: "Perhaps you meant to reference the column \"people.name\".")
        typealias E = SQLLogicTest.ExpectedError
        XCTAssertNil(SQLLogicRunner.errorMismatch(E(), error))
        XCTAssertNil(SQLLogicRunner.errorMismatch(E(sqlState: "42703"), error))
        XCTAssertNotNil(SQLLogicRunner.errorMismatch(E(sqlState: "42P01"), error))
        XCTAssertNil(SQLLogicRunner.errorMismatch(E(pattern: "column \".*\" does not exist"), error), "regex")
        XCTAssertNil(SQLLogicRunner.errorMismatch(E(pattern: "does not exist"), error), "substring")
        XCTAssertNil(SQLLogicRunner.errorMismatch(E(pattern: "nosuch(integer"), .undefinedFunction("function nosuch(integer) does not exist")),
                     "a pattern that is no valid regex still matches literally")
        XCTAssertNotNil(SQLLogicRunner.errorMismatch(E(pattern: "^relation"), error))
        XCTAssertNil(SQLLogicRunner.errorMismatch(E(message: "column \"nme\" does not exist"), error))
        XCTAssertNotNil(SQLLogicRunner.errorMismatch(E(message: "column \"name\" does not exist"), error))
        XCTAssertNil(SQLLogicRunner.errorMismatch(E(hint: "Perhaps you meant to reference the column \"people.name\"."), error))
        let noHint = SQLLogicRunner.errorMismatch(E(hint: "x"), .undefinedColumn("column \"q\" does not exist"))
        XCTAssertTrue(noHint?.contains("no hint, expected \"x\"") == true, noHint ?? "")
        let wrong = SQLLogicRunner.errorMismatch(E(sqlState: "22012", message: "division by zero"), error)
        XCTAssertEqual(wrong, "wrong error: SQLSTATE 42703, expected 22012; message does not contain \"division by zero\""
            + "\n  expected: SQLSTATE 22012 \"division by zero\""
            + "\n  got:      ERROR 42703: column \"nme\" does not exist (HINT: Perhaps you meant to reference the column \"people.name\".)")
    }

    // MARK: conditions, halt, skipping

    func testConditionsAndHalt() throws {
        let r = try report("""
            skipif basalt
            query I
            SELECT never
            ----
            1

            onlyif postgresql
            statement ok
            SELECT never

            onlyif basalt
            statement ok
            SELECT a

            onlyif postgresql
            halt

            onlyif basalt
            halt

            statement ok
            SELECT never
            """, ["SELECT a": .success(QueryResult(fields: [], batches: [], commandTag: "SELECT 0"))])
        XCTAssertEqual(r.executed, 1)
        XCTAssertEqual(r.skipped, 2)
        XCTAssertTrue(r.failures.isEmpty, "\(r.failures)")
    }

    func testSkipsOnlyWhenTheFirstStatementGetsThePlaceholderError() throws {
        let notBuilt = EngineError.featureNotSupported("the SQL engine is not built yet")
        guard case .engineNotBuilt = try run("statement error 22012\nSELECT 1/0\n\nquery I\nSELECT 1\n----\n1\n",
                                             ["SELECT 1/0": .failure(notBuilt), "SELECT 1": .failure(notBuilt)])
        else { return XCTFail("the placeholder's error on the first statement skips the file") }

        // Later on, the same error is an ordinary failure (a half-built engine must not hide behind it).
        let later = try report("query I\nSELECT 1\n----\n1\n\nquery I\nSELECT 2\n----\n2\n",
                               ["SELECT 1": .success(Self.result([("x", Self.ints([1]))])), "SELECT 2": .failure(notBuilt)])
        XCTAssertEqual(later.failures.map(\.line), [6])

        // Another 0A000 message, or the same message with another SQLSTATE, is a failure too.
        let other = try report("query I\nSELECT 1\n----\n1\n", ["SELECT 1": .failure(.featureNotSupported("window frames"))])
        XCTAssertEqual(other.failures.count, 1)
        let otherState = try report("query I\nSELECT 1\n----\n1\n",
                                    ["SELECT 1": .failure(EngineError("XX000", "the SQL engine is not built yet"))])
        XCTAssertEqual(otherState.failures.count, 1)
    }

    // MARK: the fixture lake

    func testTemporaryLakeCopiesTheSchemas() throws {
        let lake = try TemporaryLake(copying: SQLLogicTestHarness.fixtureLake)
        defer { lake.remove() }
        let fm = FileManager.default
        XCTAssertTrue(fm.fileExists(atPath: lake.path + "/test/numbers/part-0.parquet"))
        XCTAssertTrue(fm.fileExists(atPath: lake.path + "/test/events/day=2024-01-01/kind=a/part-0.parquet"))
        XCTAssertFalse(fm.fileExists(atPath: lake.path + "/README.md"), "only schema directories are copied")
        let other = try TemporaryLake(copying: SQLLogicTestHarness.fixtureLake)
        defer { other.remove() }
        XCTAssertNotEqual(lake.path, other.path, "a fresh lake per file")
    }
}
