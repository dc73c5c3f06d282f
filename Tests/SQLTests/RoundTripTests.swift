import SQL
import XCTest

/// Printing: parse(print(parse(sql))) == parse(sql), and what the printed text looks like.
final class RoundTripTests: XCTestCase {
    func testCorpusIsLargeAndParses() throws {
        XCTAssertGreaterThanOrEqual(Corpus.statements.count, 150)
        for sql in Corpus.statements {
            XCTAssertNoThrow(try Parser.parse(sql), sql)
        }
    }

    func testCorpusRoundTrips() {
        for sql in Corpus.statements { assertRoundTrip(sql) }
    }

    /// Printing a reparsed tree gives the same text again.
    func testPrintingIsStable() throws {
        for sql in Corpus.statements {
            for statement in try Parser.parse(sql) {
                let printed = statement.sql
                XCTAssertEqual(try Parser.parseStatement(printed).sql, printed, sql)
            }
        }
    }

    func testPrintedForms() throws {
        let cases: [(String, String)] = [
            ("select a+b*c from t", "SELECT a + b * c FROM t"),
            ("SELECT a OR b AND c, (a OR b) AND c, NOT (a AND b), NOT a AND b", "SELECT a OR b AND c, (a OR b) AND c, NOT (a AND b), NOT a AND b"),
            ("SELECT a - (b - c), (a - b) - c, a * (b + c), a = (b = c)", "SELECT a - (b - c), a - b - c, a * (b + c), a = (b = c)"),
            ("SELECT (a IS NULL) IS NULL, (a LIKE b) = c, a || (b LIKE c)", "SELECT a IS NULL IS NULL, a LIKE b = c, a || (b LIKE c)"),
            ("SELECT (a + b) * c", "SELECT (a + b) * c"),
            ("SELECT -a ^ 2, - - 1, -(a + 1)", "SELECT -a ^ 2, -(-1), -(a + 1)"),
            ("SELECT \"Year\", \"year\", year, \"select\" FROM \"T\"", "SELECT \"Year\", \"year\", \"year\", \"select\" FROM \"T\""),
            ("SELECT 1 AS \"Total\", 2 AS total, 3 AS from", "SELECT 1 AS \"Total\", 2 AS total, 3 AS from"),
            ("SELECT 'it''s', E'tab\\t'", "SELECT 'it''s', 'tab\t'"),
            ("SELECT x::int, CAST(y AS character varying(3)), (a + b)::text", "SELECT x::integer, y::varchar(3), (a + b)::text"),
            ("SELECT EXTRACT(YEAR FROM d), extract('Doy' from d)", "SELECT EXTRACT(year FROM d), EXTRACT('Doy' FROM d)"),
            ("SELECT TRIM(LEADING 'x' FROM s), POSITION('a' IN s)", "SELECT ltrim(s, 'x'), POSITION('a' IN s)"),
            ("SELECT coalesce(a, 0), current_date, localtimestamp(2)", "SELECT COALESCE(a, 0), CURRENT_DATE, LOCALTIMESTAMP(2)"),
            ("SELECT a NOT SIMILAR TO 'b'", "SELECT NOT a SIMILAR TO 'b'"),
            ("SELECT * FROM a JOIN b USING (k) NATURAL JOIN c", "SELECT * FROM a JOIN b USING (k) NATURAL JOIN c"),
            ("SELECT 1 UNION (SELECT 2 UNION SELECT 3)", "SELECT 1 UNION (SELECT 2 UNION SELECT 3)"),
            ("SELECT * FROM t WHERE NOT EXISTS (SELECT 1)", "SELECT * FROM t WHERE NOT EXISTS (SELECT 1)"),
            ("SELECT left(s, 1), \"coalesce\"(a) FILTER (WHERE b)", "SELECT left(s, 1), \"coalesce\"(a) FILTER (WHERE b)"),
            ("SELECT timestamp(3) with time zone '2024-01-01'", "SELECT timestamp(3) with time zone '2024-01-01'"),
            ("SET TIME ZONE 'UTC'", "SET timezone TO 'UTC'"),
            ("CREATE EXTERNAL TABLE t WITH (location = 's3://x')", "CREATE EXTERNAL TABLE t WITH (location = 's3://x')"),
        ]
        for (sql, expected) in cases {
            XCTAssertEqual(try Parser.parseStatement(sql).sql, expected, sql)
        }
    }

    func testExpressionAndQueryPrinters() throws {
        XCTAssertEqual(try Parser.parseExpression("a IS NOT DISTINCT FROM b + 1").sql, "a IS NOT DISTINCT FROM b + 1")
        guard case .query(let query) = try Parser.parseStatement("WITH x AS (SELECT 1) SELECT * FROM x ORDER BY 1 DESC LIMIT 2") else {
            return XCTFail("not a query")
        }
        XCTAssertEqual(query.sql, "WITH x AS (SELECT 1) SELECT * FROM x ORDER BY 1 DESC LIMIT 2")
    }
}
