import SQL
import XCTest

/// Typical mistakes: PostgreSQL's message and 1-based position, plus what was expected.
final class ErrorTests: XCTestCase {
    func testMissingSelectList() {
        assertSyntaxError("SELECT FROM t", message: "syntax error at or near \"FROM\"", position: 8, expected: ["an expression"])
    }

    func testMissingWhereCondition() {
        assertSyntaxError("SELECT a FROM t WHERE", message: "syntax error at end of input", position: 22, expected: ["an expression"])
        assertSyntaxError("SELECT a FROM t WHERE  ", message: "syntax error at end of input", position: 24, expected: ["an expression"])
    }

    func testUnclosedParenthesis() {
        assertSyntaxError("SELECT (1", message: "syntax error at end of input", position: 10, expected: [")"])
        assertSyntaxError("SELECT (1 FROM t", message: "syntax error at or near \"FROM\"", position: 11, expected: [")"])
        assertSyntaxError("SELECT count(x FROM t", message: "syntax error at or near \"FROM\"", position: 16, expected: [")"])
    }

    func testUnterminatedString() {
        assertSyntaxError("SELECT 'abc", message: "unterminated quoted string at or near \"'abc\"", position: 8, expected: [])
        assertSyntaxError("SELECT * FROM t WHERE a = 'x\nAND b = 1",
                          message: "unterminated quoted string at or near \"'x\nAND b = 1\"", position: 27)
    }

    func testUnknownToken() {
        assertSyntaxError("SELECT a \\ b", message: "syntax error at or near \"\\\"", position: 10, expected: [";", "end of input"])
        assertSyntaxError("SELECT a @@ b", message: "syntax error at or near \"@@\"", position: 10)
        assertSyntaxError("SELECT {", message: "syntax error at or near \"{\"", position: 8, expected: ["an expression"])
    }

    func testMisspelledKeyword() {
        assertSyntaxError("SELEC 1", message: "syntax error at or near \"SELEC\"", position: 1, expected: ["a statement"])
        assertSyntaxError("SELECT a FORM t", message: "syntax error at or near \"t\"", position: 15)
        assertSyntaxError("SELECT a FROM t ORDER a", message: "syntax error at or near \"a\"", position: 23, expected: ["BY"])
        assertSyntaxError("SELECT a FROM t GROUP a", message: "syntax error at or near \"a\"", position: 23, expected: ["BY"])
    }

    func testTrailingComma() {
        assertSyntaxError("SELECT a, FROM t", message: "syntax error at or near \"FROM\"", position: 11, expected: ["an expression"])
        assertSyntaxError("SELECT a FROM t,", message: "syntax error at end of input", position: 17, expected: ["a table reference"])
        assertSyntaxError("SELECT f(a,)", message: "syntax error at or near \")\"", position: 12, expected: ["an expression"])
    }

    func testReservedWordsAsNames() {
        assertSyntaxError("SELECT * FROM select", message: "syntax error at or near \"select\"", position: 15, expected: ["a table reference"])
        assertSyntaxError("SELECT 1 AS", message: "syntax error at end of input", position: 12, expected: ["an identifier"])
        assertSyntaxError("SELECT * FROM t AS where", message: "syntax error at or near \"where\"", position: 20, expected: ["an alias"])
    }

    func testMissingOperand() {
        assertSyntaxError("SELECT 1 +", message: "syntax error at end of input", position: 11, expected: ["an expression"])
        assertSyntaxError("SELECT a FROM t WHERE a IS", message: "syntax error at end of input", position: 27,
                          expected: ["NULL", "TRUE", "FALSE", "UNKNOWN", "DISTINCT FROM"])
        assertSyntaxError("SELECT a IN 1", message: "syntax error at or near \"1\"", position: 13, expected: ["("])
        assertSyntaxError("SELECT a IN ()", message: "syntax error at or near \")\"", position: 14, expected: ["an expression"])
    }

    func testDescriptionIncludesPositionAndExpectation() {
        let error = SQLSyntaxError(message: "syntax error at end of input", position: 10, expected: [")", ","])
        XCTAssertEqual(error.description, "syntax error at end of input (position 10); expected ) or ,")
    }
}
