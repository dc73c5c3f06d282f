import SQL
import XCTest

/// Predicates, subqueries, CASE, CAST and the other expression forms.
final class ExpressionTests: XCTestCase {
    let x = col("x")

    func testLiterals() {
        assertExpression("NULL", null)
        assertExpression("TRUE", bool(true))
        assertExpression("false", bool(false))
        assertExpression("-1", neg(int("1")))
    }

    func testColumnReferences() {
        assertExpression("t.c", col("t", "c"))
        assertExpression("s.t.c", col("s", "t", "c"))
        assertExpression("\"S\".t.\"C\"", col("S", "t", "C"))
        // Any keyword may follow a dot.
        assertExpression("t.select", col("t", "select"))
        assertSyntaxError("SELECT a.b.c.d.e", message: "improper qualified name (too many dotted names): a.b.c.d.e", position: 8)
    }

    func testNonReservedKeywordsAreColumnNames() {
        for word in ["year", "month", "name", "date", "value", "key", "type", "location", "first", "last", "rows", "text",
                     "filter", "over", "range", "partition", "interval", "time", "timestamp", "double", "int", "position"] {
            assertExpression(word, col(word))
        }
        assertExpression("year + month", bin(.add, col("year"), col("month")))
    }

    func testIsPredicates() {
        assertExpression("x IS NULL", .isNull(x, negated: false))
        assertExpression("x IS NOT NULL", .isNull(x, negated: true))
        assertExpression("x ISNULL", .isNull(x, negated: false))
        assertExpression("x NOTNULL", .isNull(x, negated: true))
        assertExpression("x IS TRUE", .isBoolean(x, value: true, negated: false))
        assertExpression("x IS NOT FALSE", .isBoolean(x, value: false, negated: true))
        assertExpression("x IS UNKNOWN", .isBoolean(x, value: nil, negated: false))
        assertExpression("x IS NOT UNKNOWN", .isBoolean(x, value: nil, negated: true))
        assertExpression("x IS DISTINCT FROM 1", .isDistinctFrom(x, int("1"), negated: false))
        assertExpression("x IS NOT DISTINCT FROM NULL", .isDistinctFrom(x, null, negated: true))
    }

    func testBetween() {
        assertExpression("x BETWEEN 1 AND 10", .between(x, low: int("1"), high: int("10"), negated: false, symmetric: false))
        assertExpression("x NOT BETWEEN 1 AND 10", .between(x, low: int("1"), high: int("10"), negated: true, symmetric: false))
        assertExpression("x BETWEEN SYMMETRIC 10 AND 1", .between(x, low: int("10"), high: int("1"), negated: false, symmetric: true))
        assertExpression("x BETWEEN ASYMMETRIC 1 AND 10", .between(x, low: int("1"), high: int("10"), negated: false, symmetric: false))
    }

    func testInLists() {
        assertExpression("x IN (1, 2, 3)", .inList(x, [int("1"), int("2"), int("3")], negated: false))
        assertExpression("x NOT IN ('a')", .inList(x, [str("a")], negated: true))
        assertExpression("(a, b) IN ((1, 2), (3, 4))",
                         .inList(.row([col("a"), col("b")]), [.row([int("1"), int("2")]), .row([int("3"), int("4")])], negated: false))
        assertExpression("x IN ((SELECT 1), 2)",
                         .inList(x, [.subquery(Query(body: .select(Select(items: [item(int("1"))])))), int("2")], negated: false))
    }

    func testInSubquery() {
        let one = Query(body: .select(Select(items: [item(int("1"))])))
        assertExpression("x IN (SELECT 1)", .inQuery(x, one, negated: false))
        assertExpression("x NOT IN (SELECT 1)", .inQuery(x, one, negated: true))
        assertExpression("x IN ((SELECT 1))", .inQuery(x, one, negated: false))
    }

    func testLike() {
        assertExpression("x LIKE 'a%'", .like(x, pattern: str("a%"), escape: nil, caseInsensitive: false, negated: false))
        assertExpression("x NOT LIKE 'a%'", .like(x, pattern: str("a%"), escape: nil, caseInsensitive: false, negated: true))
        assertExpression("x ILIKE 'a%'", .like(x, pattern: str("a%"), escape: nil, caseInsensitive: true, negated: false))
        assertExpression("x NOT ILIKE 'a%'", .like(x, pattern: str("a%"), escape: nil, caseInsensitive: true, negated: true))
        assertExpression("x LIKE 'a!%' ESCAPE '!'", .like(x, pattern: str("a!%"), escape: str("!"), caseInsensitive: false, negated: false))
    }

    func testSimilarToIsACall() {
        assertExpression("x SIMILAR TO 'a|b'", call("similar_to", x, str("a|b")))
        assertExpression("x NOT SIMILAR TO 'a|b' ESCAPE '#'", not(call("similar_to", x, str("a|b"), str("#"))))
    }

    func testQuantifiedSubqueries() {
        let query = Query(body: .select(Select(items: [item(col("y"))], from: [table("t")])))
        assertExpression("x = ANY (SELECT y FROM t)", .quantified(x, .equal, .any, query))
        assertExpression("x <> SOME (SELECT y FROM t)", .quantified(x, .notEqual, .any, query))
        assertExpression("x >= ALL (SELECT y FROM t)", .quantified(x, .greaterOrEqual, .all, query))
        assertSyntaxError("SELECT x = ANY (1, 2)", message: "ANY, SOME and ALL take a subquery or an array", position: 16)
    }

    func testQuantifiedArrays() {
        assertExpression("x = ANY (ARRAY['r', 'p'])", .quantifiedArray(x, .equal, .any, .array([str("r"), str("p")])))
        assertExpression("x <> ALL (t.roles)", .quantifiedArray(x, .notEqual, .all, col("t", "roles")))
        assertRoundTrip("SELECT x = ANY (ARRAY[1, 2]), y >= ALL (z), x = ANY ((SELECT 1))")
    }

    func testExists() {
        let query = Query(body: .select(Select(items: [.wildcard(qualifier: nil)], from: [table("t")])))
        assertExpression("EXISTS (SELECT * FROM t)", .exists(query, negated: false))
        assertExpression("NOT EXISTS (SELECT * FROM t)", .exists(query, negated: true))
        assertExpression("NOT (EXISTS (SELECT * FROM t))", not(.exists(query, negated: false)))
        assertExpression("NOT EXISTS (SELECT * FROM t) = x", not(bin(.equal, .exists(query, negated: false), x)))
        assertExpression("exists", col("exists"))
    }

    func testScalarSubqueries() {
        let one = Query(body: .select(Select(items: [item(int("1"))])))
        assertExpression("(SELECT 1)", .subquery(one))
        assertExpression("((SELECT 1))", .subquery(one))
        assertExpression("(SELECT 1) + 1", bin(.add, .subquery(one), int("1")))
        assertExpression("((SELECT 1) + 1)", bin(.add, .subquery(one), int("1")))
        let union = Query(body: .setOperation(.union, all: false, .select(Select(items: [item(int("1"))])),
                                              .select(Select(items: [item(int("2"))]))))
        assertExpression("((SELECT 1) UNION (SELECT 2))", .subquery(union))
        assertExpression("((SELECT 1) UNION SELECT 2)", .subquery(union))
        let limited = Query(body: .select(Select(items: [item(int("1"))])), limit: int("1"))
        assertExpression("((SELECT 1) LIMIT 1)", .subquery(limited))
    }

    func testRows() {
        assertExpression("(1, 2)", .row([int("1"), int("2")]))
        assertExpression("ROW(1, 2)", .row([int("1"), int("2")]))
        assertExpression("ROW(1)", .row([int("1")]))
        assertExpression("ROW()", .row([]))
    }

    func testFieldSelection() {
        assertExpression("(r).f1", .field(col("r"), "f1"))
        assertExpression("(t.r).\"Name\"", .field(col("t", "r"), "Name"))
        assertExpression("(ROW(1, 2)).f2.x", .field(.field(.row([int("1"), int("2")]), "f2"), "x"))
        assertExpression("((r).a).b", .field(.field(col("r"), "a"), "b"))
        assertRoundTrip("SELECT (r).f1, ((r).a).b FROM t")
    }

    func testBitwiseOperators() {
        assertExpression("a & 1", .binary(.bitAnd, col("a"), int("1")))
        assertExpression("a | b # c", .binary(.bitXor, .binary(.bitOr, col("a"), col("b")), col("c")))
        // Below + and -, above comparisons, as PostgreSQL's other operators.
        assertExpression("1 + 2 & 3 = 3", .binary(.equal, .binary(.bitAnd, .binary(.add, int("1"), int("2")), int("3")), int("3")))
        assertExpression("1 << 2 >> 1", .binary(.shiftRight, .binary(.shiftLeft, int("1"), int("2")), int("1")))
        assertRoundTrip("SELECT a & 7, b | 1, c # 2, 1 << n, x >> 2 FROM t")
    }

    func testCase() {
        assertExpression("CASE WHEN x > 0 THEN 'p' WHEN x < 0 THEN 'n' ELSE 'z' END",
                         .caseWhen(operand: nil, branches: [WhenClause(bin(.greater, x, int("0")), str("p")),
                                                            WhenClause(bin(.less, x, int("0")), str("n"))], otherwise: str("z")))
        assertExpression("CASE x WHEN 1 THEN 'one' END",
                         .caseWhen(operand: x, branches: [WhenClause(int("1"), str("one"))], otherwise: nil))
        assertSyntaxError("SELECT CASE x END", message: "syntax error at or near \"END\"", position: 15, expected: ["WHEN"])
    }

    func testCasts() {
        assertExpression("CAST(x AS bigint)", .cast(x, TypeName("bigint")))
        assertExpression("x::numeric(12, 2)", .cast(x, TypeName("numeric", modifiers: [12, 2])))
        assertExpression("'1'::int[]", .cast(str("1"), TypeName("integer", isArray: true)))
    }

    func testCatalogQueryForms() {
        // psql: `c.relname OPERATOR(pg_catalog.~) '^(orders)$' COLLATE pg_catalog.default`.
        assertExpression("a OPERATOR(pg_catalog.~) 'x' COLLATE pg_catalog.default",
                         .binary(.regexMatch, col("a"), .collate(str("x"), QualifiedName(["pg_catalog", "default"]))))
        assertExpression("a OPERATOR(=) b", .binary(.equal, col("a"), col("b")))
        assertExpression("a COLLATE \"C\"", .collate(col("a"), QualifiedName(["C"])))
        assertExpression("a[1]", .element(col("a"), int("1")))
        assertExpression("(current_schemas(true))[1]", .element(call("current_schemas", .literal(.boolean(true))), int("1")))
        assertExpression("ARRAY[1, x]", .array([int("1"), x]))
        assertExpression("ARRAY[]", .array([]))
        let query = Query(body: .select(Select(items: [item(col("y"))], from: [table("t")])))
        assertExpression("ARRAY(SELECT y FROM t)", .arraySubquery(query))
        assertSyntaxError("SELECT a[1:2]", message: "array slices are not supported", position: 11)
        assertRoundTrip("SELECT a OPERATOR(pg_catalog.~) 'x' COLLATE pg_catalog.default, b COLLATE \"C\" < 'y', a[1], (b || c)[2], ARRAY[1, 2][1], ARRAY(SELECT 1), 'x'[1]")
    }

    func testParameters() {
        assertExpression("x = $1", bin(.equal, x, .parameter(1)))
    }
}
