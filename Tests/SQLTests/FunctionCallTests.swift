import SQL
import XCTest

/// Calls, aggregates and window functions.
final class FunctionCallTests: XCTestCase {
    func function(_ sql: String, file: StaticString = #filePath, line: UInt = #line) -> FunctionCall? {
        guard case .function(let call)? = expression(sql, file: file, line: line) else {
            XCTFail("\(sql) is not a call", file: file, line: line)
            return nil
        }
        return call
    }

    func testPlainCalls() {
        assertExpression("f()", call("f"))
        assertExpression("lower(name)", call("lower", col("name")))
        assertExpression("pg_catalog.version()", .function(FunctionCall(name: QualifiedName(["pg_catalog", "version"]))))
        assertExpression("\"MyFunc\"(1)", call("MyFunc", int("1")))
        // Type/function-name keywords are function names.
        assertExpression("left(s, 2)", call("left", col("s"), int("2")))
        assertExpression("right(s, 2)", call("right", col("s"), int("2")))
        // Unreserved keywords too.
        assertExpression("replace(s, 'a', 'b')", call("replace", col("s"), str("a"), str("b")))
        assertExpression("year(d)", call("year", col("d")))
    }

    func testAggregates() {
        XCTAssertEqual(function("count(*)"), FunctionCall(name: QualifiedName(["count"]), star: true))
        XCTAssertEqual(function("COUNT(DISTINCT x)"), FunctionCall(name: QualifiedName(["count"]), arguments: [col("x")], distinct: true))
        XCTAssertEqual(function("count(ALL x)"), FunctionCall(name: QualifiedName(["count"]), arguments: [col("x")]))
        XCTAssertEqual(function("string_agg(x, ',' ORDER BY y DESC NULLS LAST)"),
                       FunctionCall(name: QualifiedName(["string_agg"]), arguments: [col("x"), str(",")],
                                    orderBy: [OrderItem(col("y"), ascending: false, nullsFirst: false)]))
        XCTAssertEqual(function("sum(x) FILTER (WHERE x > 0)"),
                       FunctionCall(name: QualifiedName(["sum"]), arguments: [col("x")], filter: bin(.greater, col("x"), int("0"))))
        XCTAssertEqual(function("count(*) FILTER (WHERE b)")?.filter, col("b"))
    }

    func testWindows() {
        XCTAssertEqual(function("row_number() OVER ()")?.over, WindowSpec())
        XCTAssertEqual(function("rank() OVER w")?.over, WindowSpec(baseName: "w"))
        XCTAssertEqual(function("sum(x) OVER (w ORDER BY y)")?.over, WindowSpec(baseName: "w", orderBy: [OrderItem(col("y"))]))
        XCTAssertEqual(function("sum(x) OVER (PARTITION BY a, b ORDER BY c)")?.over,
                       WindowSpec(partitionBy: [col("a"), col("b")], orderBy: [OrderItem(col("c"))]))
        XCTAssertEqual(function("sum(x) FILTER (WHERE x > 0) OVER w")?.over, WindowSpec(baseName: "w"))
    }

    func testFrames() {
        func frame(_ clause: String, file: StaticString = #filePath, line: UInt = #line) -> WindowFrame? {
            function("sum(x) OVER (ORDER BY y \(clause))", file: file, line: line)?.over?.frame
        }
        XCTAssertEqual(frame("ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"),
                       WindowFrame(mode: .rows, start: .unboundedPreceding, end: .currentRow))
        XCTAssertEqual(frame("ROWS BETWEEN 2 PRECEDING AND 3 FOLLOWING"),
                       WindowFrame(mode: .rows, start: .preceding(int("2")), end: .following(int("3"))))
        XCTAssertEqual(frame("RANGE BETWEEN INTERVAL '1' DAY PRECEDING AND UNBOUNDED FOLLOWING"),
                       WindowFrame(mode: .range, start: .preceding(.literal(.interval("1", qualifier: "day"))), end: .unboundedFollowing))
        XCTAssertEqual(frame("GROUPS 1 PRECEDING EXCLUDE TIES"),
                       WindowFrame(mode: .groups, start: .preceding(int("1")), exclusion: .ties))
        XCTAssertEqual(frame("ROWS CURRENT ROW EXCLUDE CURRENT ROW"), WindowFrame(mode: .rows, start: .currentRow, exclusion: .currentRow))
        XCTAssertEqual(frame("ROWS UNBOUNDED PRECEDING EXCLUDE GROUP"), WindowFrame(mode: .rows, start: .unboundedPreceding, exclusion: .group))
        XCTAssertEqual(frame("ROWS UNBOUNDED PRECEDING EXCLUDE NO OTHERS"), WindowFrame(mode: .rows, start: .unboundedPreceding))
    }

    func testFrameErrors() {
        let prefix = "SELECT sum(x) OVER (ORDER BY y "
        let position = prefix.count + 1
        assertSyntaxError(prefix + "ROWS UNBOUNDED FOLLOWING)", message: "frame start cannot be UNBOUNDED FOLLOWING", position: position)
        assertSyntaxError(prefix + "ROWS 1 FOLLOWING)", message: "frame starting from following row cannot end with current row",
                          position: position)
        assertSyntaxError(prefix + "ROWS BETWEEN CURRENT ROW AND UNBOUNDED PRECEDING)",
                          message: "frame end cannot be UNBOUNDED PRECEDING", position: position)
        assertSyntaxError(prefix + "ROWS BETWEEN CURRENT ROW AND 1 PRECEDING)",
                          message: "frame starting from current row cannot have preceding rows", position: position)
        assertSyntaxError(prefix + "ROWS BETWEEN 1 FOLLOWING AND CURRENT ROW)",
                          message: "frame starting from following row cannot have preceding rows", position: position)
        // As in PostgreSQL, `1 AND 2` is the bound expression.
        assertSyntaxError(prefix + "ROWS BETWEEN 1 AND 2)", message: "syntax error at or near \")\"", position: position + 20,
                          expected: ["PRECEDING", "FOLLOWING"])
    }

    func testUnsupportedCallSyntax() {
        assertSyntaxError("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x)", message: "WITHIN GROUP is not supported", position: 29)
        // COALESCE and the other column-name keywords are not function names.
        assertSyntaxError("SELECT int(1)", message: "syntax error at or near \"(\"", position: 11)
    }
}
