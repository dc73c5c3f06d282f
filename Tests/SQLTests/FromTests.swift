import SQL
import XCTest

/// FROM: tables, aliases, joins, subqueries, LATERAL, table functions.
final class FromTests: XCTestCase {
    func from(_ clause: String, file: StaticString = #filePath, line: UInt = #line) -> [TableReference]? {
        select("SELECT * FROM " + clause, file: file, line: line)?.from
    }

    let onKey = JoinCondition.on(bin(.equal, col("a", "k"), col("b", "k")))

    func testTablesAndAliases() {
        XCTAssertEqual(from("t"), [table("t")])
        XCTAssertEqual(from("s.t, c.s.t"), [table("s", "t"), table("c", "s", "t")])
        XCTAssertEqual(from("t AS x"), [table("t", alias: "x")])
        XCTAssertEqual(from("t x"), [table("t", alias: "x")])
        XCTAssertEqual(from("t AS x (a, b)"), [table("t", alias: "x", columns: ["a", "b"])])
        XCTAssertEqual(from("t year"), [table("t", alias: "year")])
        XCTAssertEqual(from("\"T\" \"X\""), [table("T", alias: "X")])
        assertSyntaxError("SELECT * FROM a.b.c.d", message: "improper qualified name (too many dotted names): a.b.c.d", position: 15)
    }

    func testJoins() {
        XCTAssertEqual(from("a JOIN b ON a.k = b.k"), [.join(Join(.inner, table("a"), table("b"), onKey))])
        XCTAssertEqual(from("a INNER JOIN b ON a.k = b.k"), [.join(Join(.inner, table("a"), table("b"), onKey))])
        XCTAssertEqual(from("a LEFT JOIN b ON a.k = b.k"), [.join(Join(.left, table("a"), table("b"), onKey))])
        XCTAssertEqual(from("a LEFT OUTER JOIN b ON a.k = b.k"), [.join(Join(.left, table("a"), table("b"), onKey))])
        XCTAssertEqual(from("a RIGHT JOIN b ON a.k = b.k"), [.join(Join(.right, table("a"), table("b"), onKey))])
        XCTAssertEqual(from("a FULL OUTER JOIN b ON a.k = b.k"), [.join(Join(.full, table("a"), table("b"), onKey))])
        XCTAssertEqual(from("a CROSS JOIN b"), [.join(Join(.cross, table("a"), table("b"), .none))])
        XCTAssertEqual(from("a JOIN b USING (k, j)"), [.join(Join(.inner, table("a"), table("b"), .using(["k", "j"])))])
        XCTAssertEqual(from("a NATURAL JOIN b"), [.join(Join(.inner, table("a"), table("b"), .natural))])
        XCTAssertEqual(from("a NATURAL LEFT JOIN b"), [.join(Join(.left, table("a"), table("b"), .natural))])
        XCTAssertEqual(from("a, b CROSS JOIN c"), [table("a"), .join(Join(.cross, table("b"), table("c"), .none))])
    }

    func testJoinsAreLeftAssociative() {
        let ab = TableReference.join(Join(.inner, table("a"), table("b"), onKey))
        XCTAssertEqual(from("a JOIN b ON a.k = b.k LEFT JOIN c ON true"),
                       [.join(Join(.left, ab, table("c"), .on(bool(true))))])
        XCTAssertEqual(from("a CROSS JOIN b CROSS JOIN c"),
                       [.join(Join(.cross, .join(Join(.cross, table("a"), table("b"), .none)), table("c"), .none))])
    }

    /// A join waiting for its ON takes the following join as its right side, as in PostgreSQL.
    func testQualifiedJoinRightSideNests() {
        let bc = TableReference.join(Join(.inner, table("b"), table("c"), .on(col("x"))))
        XCTAssertEqual(from("a JOIN b JOIN c ON x ON y"), [.join(Join(.inner, table("a"), bc, .on(col("y"))))])
    }

    func testParenthesizedJoins() {
        let bc = TableReference.join(Join(.inner, table("b"), table("c"), .on(col("x"))))
        XCTAssertEqual(from("a JOIN (b JOIN c ON x) ON y"), [.join(Join(.inner, table("a"), bc, .on(col("y"))))])
        XCTAssertEqual(from("(b JOIN c ON x)"), [bc])
        XCTAssertEqual(from("((b JOIN c ON x))"), [bc])
        XCTAssertEqual(from("(b JOIN c ON x) LEFT JOIN a ON y"), [.join(Join(.left, bc, table("a"), .on(col("y"))))])
        assertSyntaxError("SELECT * FROM (a JOIN b ON x) AS j", message: "aliases on parenthesized joins are not supported", position: 15)
    }

    func testSubqueries() {
        let inner = Query(body: .select(Select(items: [item(int("1"), as: "x")])))
        XCTAssertEqual(from("(SELECT 1 AS x) AS s"), [.subquery(inner, alias: TableAlias("s"), lateral: false)])
        XCTAssertEqual(from("(SELECT 1 AS x) s (y)"), [.subquery(inner, alias: TableAlias("s", columns: ["y"]), lateral: false)])
        XCTAssertEqual(from("(SELECT 1 AS x)"), [.subquery(inner, alias: nil, lateral: false)])
        XCTAssertEqual(from("((SELECT 1 AS x)) s"), [.subquery(inner, alias: TableAlias("s"), lateral: false)])
        XCTAssertEqual(from("t, LATERAL (SELECT 1 AS x) s"), [table("t"), .subquery(inner, alias: TableAlias("s"), lateral: true)])
        let union = Query(body: .setOperation(.union, all: true, .select(Select(items: [item(int("1"), as: "x")])),
                                              .select(Select(items: [item(int("2"))]))))
        XCTAssertEqual(from("((SELECT 1 AS x) UNION ALL (SELECT 2)) u"), [.subquery(union, alias: TableAlias("u"), lateral: false)])
        let joined = TableReference.join(Join(.inner, .subquery(inner, alias: TableAlias("s"), lateral: false), table("t"), .on(bool(true))))
        XCTAssertEqual(from("((SELECT 1 AS x) s JOIN t ON true)"), [joined])
        XCTAssertEqual(from("(VALUES (1), (2)) AS v (n)"),
                       [.subquery(Query(body: .values([[int("1")], [int("2")]])), alias: TableAlias("v", columns: ["n"]), lateral: false)])
    }

    func testTableFunctions() {
        let series = FunctionCall.call("generate_series", [int("1"), int("3")])
        XCTAssertEqual(from("generate_series(1, 3) AS g(n)"), [.function(series, alias: TableAlias("g", columns: ["n"]))])
        XCTAssertEqual(from("generate_series(1, 3)"), [.function(series, alias: nil)])
        XCTAssertEqual(from("t, LATERAL generate_series(1, 3) g"), [table("t"), .function(series, alias: TableAlias("g"))])
        assertSyntaxError("SELECT * FROM unnest(a) WITH ORDINALITY", message: "WITH ORDINALITY is not supported", position: 25)
    }

    func testJoinErrors() {
        assertSyntaxError("SELECT * FROM a JOIN b", message: "syntax error at end of input", position: 23, expected: ["ON", "USING"])
        assertSyntaxError("SELECT * FROM a JOIN b WHERE x", message: "syntax error at or near \"WHERE\"", position: 24,
                          expected: ["ON", "USING"])
        assertSyntaxError("SELECT * FROM", message: "syntax error at end of input", position: 14, expected: ["a table reference"])
        assertSyntaxError("SELECT * FROM left", message: "syntax error at or near \"left\"", position: 15, expected: ["a table reference"])
    }
}
