import SQL
import XCTest

/// SQL-standard syntax parsed into plain calls and literals (Expression.swift's table).
final class SpecialFormTests: XCTestCase {
    let s = col("s")

    func testExtract() {
        assertExpression("EXTRACT(year FROM d)", call("extract", str("year"), col("d")))
        assertExpression("extract(EPOCH from d)", call("extract", str("epoch"), col("d")))
        assertExpression("EXTRACT('doy' FROM d)", call("extract", str("doy"), col("d")))
    }

    func testSubstring() {
        assertExpression("SUBSTRING(s FROM 2 FOR 3)", call("substring", s, int("2"), int("3")))
        assertExpression("SUBSTRING(s FOR 3 FROM 2)", call("substring", s, int("2"), int("3")))
        assertExpression("SUBSTRING(s FROM 2)", call("substring", s, int("2")))
        assertExpression("SUBSTRING(s FOR 3)", call("substring", s, int("1"), int("3")))
        assertExpression("substring(s, 2, 3)", call("substring", s, int("2"), int("3")))
        assertExpression("SUBSTRING(s SIMILAR 'a%' ESCAPE '#')", call("substring", s, str("a%"), str("#")))
    }

    func testPosition() {
        assertExpression("POSITION('b' IN s)", call("position", str("b"), s))
        assertExpression("POSITION(a || b IN s)", call("position", bin(.concat, col("a"), col("b")), s))
    }

    func testTrim() {
        assertExpression("TRIM(s)", call("btrim", s))
        assertExpression("TRIM(BOTH 'x' FROM s)", call("btrim", s, str("x")))
        assertExpression("TRIM('x' FROM s)", call("btrim", s, str("x")))
        assertExpression("TRIM(LEADING 'x' FROM s)", call("ltrim", s, str("x")))
        assertExpression("TRIM(TRAILING FROM s)", call("rtrim", s))
        assertExpression("TRIM(s, 'x')", call("btrim", s, str("x")))
    }

    func testOverlay() {
        assertExpression("OVERLAY(s PLACING 'x' FROM 2)", call("overlay", s, str("x"), int("2")))
        assertExpression("OVERLAY(s PLACING 'x' FROM 2 FOR 3)", call("overlay", s, str("x"), int("2"), int("3")))
    }

    func testConditionalFunctions() {
        assertExpression("COALESCE(a, b, 0)", call("coalesce", col("a"), col("b"), int("0")))
        assertExpression("NULLIF(a, 0)", call("nullif", col("a"), int("0")))
        assertExpression("GREATEST(a, b)", call("greatest", col("a"), col("b")))
        assertExpression("LEAST(a, b)", call("least", col("a"), col("b")))
        assertSyntaxError("SELECT NULLIF(a)", message: "syntax error at or near \")\"", position: 16, expected: [","])
    }

    func testValueFunctions() {
        for name in ["current_date", "current_timestamp", "localtimestamp", "current_time", "localtime", "current_user",
                     "session_user", "user", "current_role", "current_catalog", "current_schema"] {
            assertExpression(name.uppercased(), call(name))
        }
        assertExpression("CURRENT_TIMESTAMP(3)", call("current_timestamp", int("3")))
        assertExpression("current_schema()", call("current_schema"))
        assertExpression("now()", call("now"))
    }

    func testTypedLiterals() {
        assertExpression("DATE '1998-12-01'", .literal(.typed(TypeName("date"), "1998-12-01")))
        assertExpression("TIMESTAMP '2024-01-01 00:00:00'", .literal(.typed(TypeName("timestamp"), "2024-01-01 00:00:00")))
        assertExpression("TIMESTAMP WITH TIME ZONE '2024-01-01'", .literal(.typed(TypeName("timestamptz"), "2024-01-01")))
        assertExpression("timestamp(3) without time zone 'x'", .literal(.typed(TypeName("timestamp", modifiers: [3]), "x")))
        assertExpression("timestamptz '2024-01-01'", .literal(.typed(TypeName("timestamptz"), "2024-01-01")))
        assertExpression("NUMERIC '1.5'", .literal(.typed(TypeName("numeric"), "1.5")))
        assertExpression("double precision '1.5'", .literal(.typed(TypeName("double precision"), "1.5")))
        assertExpression("int8 '7'", .literal(.typed(TypeName("bigint"), "7")))
        assertExpression("varchar(3) 'abc'", .literal(.typed(TypeName("varchar", modifiers: [3]), "abc")))
        assertExpression("bpchar(3) 'abc'", .literal(.typed(TypeName("bpchar", modifiers: [3]), "abc")))
        assertExpression("pg_catalog.date 'x'", .literal(.typed(TypeName("date"), "x")))
        assertExpression("BOOLEAN 'true'", .literal(.typed(TypeName("boolean"), "true")))
    }

    func testIntervals() {
        assertExpression("INTERVAL '3 days'", .literal(.interval("3 days", qualifier: nil)))
        assertExpression("INTERVAL '3' DAY", .literal(.interval("3", qualifier: "day")))
        assertExpression("INTERVAL '1-2' YEAR TO MONTH", .literal(.interval("1-2", qualifier: "year to month")))
        assertExpression("INTERVAL '1' DAY TO SECOND(3)", .literal(.interval("1", qualifier: "day to second(3)")))
        assertExpression("INTERVAL '1.5' SECOND(2)", .literal(.interval("1.5", qualifier: "second(2)")))
        assertExpression("d + INTERVAL '1' MONTH", bin(.add, col("d"), .literal(.interval("1", qualifier: "month"))))
        assertSyntaxError("SELECT INTERVAL '1' YEAR TO DAY", message: "syntax error at or near \"DAY\"", position: 29, expected: ["MONTH"])
    }
}
