import SQL
import XCTest

/// Set operations, ORDER BY / LIMIT / OFFSET / FETCH, WITH, VALUES, TABLE.
final class QueryTests: XCTestCase {
    func one(_ value: String) -> QueryBody { .select(Select(items: [item(int(value))])) }

    func testSetOperationPrecedence() {
        XCTAssertEqual(query("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3")?.body,
                       .setOperation(.union, all: false, one("1"), .setOperation(.intersect, all: false, one("2"), one("3"))))
        XCTAssertEqual(query("SELECT 1 INTERSECT SELECT 2 UNION SELECT 3")?.body,
                       .setOperation(.union, all: false, .setOperation(.intersect, all: false, one("1"), one("2")), one("3")))
        XCTAssertEqual(query("SELECT 1 UNION ALL SELECT 2 EXCEPT SELECT 3")?.body,
                       .setOperation(.except, all: false, .setOperation(.union, all: true, one("1"), one("2")), one("3")))
        XCTAssertEqual(query("SELECT 1 EXCEPT DISTINCT SELECT 2")?.body, .setOperation(.except, all: false, one("1"), one("2")))
        XCTAssertEqual(query("SELECT 1 INTERSECT ALL SELECT 2")?.body, .setOperation(.intersect, all: true, one("1"), one("2")))
    }

    func testParenthesizedOperands() {
        XCTAssertEqual(query("(SELECT 1 UNION SELECT 2) INTERSECT SELECT 3")?.body,
                       .setOperation(.intersect, all: false, .setOperation(.union, all: false, one("1"), one("2")), one("3")))
        XCTAssertEqual(query("SELECT 1 UNION (SELECT 2 UNION SELECT 3)")?.body,
                       .setOperation(.union, all: false, one("1"), .setOperation(.union, all: false, one("2"), one("3"))))
        let limited = Query(body: one("2"), orderBy: [OrderItem(int("1"))], limit: int("1"))
        XCTAssertEqual(query("SELECT 1 UNION (SELECT 2 ORDER BY 1 LIMIT 1) ORDER BY 1")?.body,
                       .setOperation(.union, all: false, one("1"), .nested(limited)))
        XCTAssertEqual(query("(SELECT 1)"), Query(body: one("1")))
        XCTAssertEqual(query("((SELECT 1 LIMIT 1))"), Query(body: one("1"), limit: int("1")))
        XCTAssertEqual(query("(SELECT 1 LIMIT 2) LIMIT 1"), Query(body: .nested(Query(body: one("1"), limit: int("2"))), limit: int("1")))
    }

    func testOrderByLimitOffset() {
        let parsed = query("SELECT a FROM t ORDER BY a DESC NULLS FIRST, b ASC, c NULLS LAST LIMIT 10 OFFSET 5")
        XCTAssertEqual(parsed?.orderBy, [OrderItem(col("a"), ascending: false, nullsFirst: true), OrderItem(col("b")),
                                         OrderItem(col("c"), nullsFirst: false)])
        XCTAssertEqual(parsed?.limit, int("10"))
        XCTAssertEqual(parsed?.offset, int("5"))
        XCTAssertEqual(query("SELECT a FROM t OFFSET 5 LIMIT 10")?.limit, int("10"))
        XCTAssertEqual(query("SELECT a FROM t LIMIT ALL")?.limit, nil)
        XCTAssertEqual(query("SELECT a FROM t LIMIT $1")?.limit, .parameter(1))
        XCTAssertEqual(query("SELECT a FROM t OFFSET 2 ROWS FETCH FIRST 3 ROWS ONLY").map { [$0.offset, $0.limit] }, [int("2"), int("3")])
        XCTAssertEqual(query("SELECT a FROM t FETCH NEXT ROW ONLY")?.limit, int("1"))
        XCTAssertEqual(OrderItem(col("a"), ascending: false).effectiveNullsFirst, true)
    }

    func testLimitErrors() {
        assertSyntaxError("SELECT a FROM t LIMIT 1, 2", message: "LIMIT #,# syntax is not supported", position: 24)
        assertSyntaxError("SELECT a FROM t LIMIT 1 LIMIT 2", message: "syntax error at or near \"LIMIT\"", position: 25)
        assertSyntaxError("SELECT 1 ORDER BY 1 UNION SELECT 2", message: "syntax error at or near \"UNION\"", position: 21)
        assertSyntaxError("SELECT a FROM t FETCH FIRST 3 ROWS WITH TIES", message: "FETCH ... WITH TIES is not supported", position: 36)
    }

    func testWith() {
        let parsed = query("WITH a AS (SELECT 1), b (x, y) AS MATERIALIZED (SELECT 1, 2), c AS NOT MATERIALIZED (VALUES (3)) SELECT * FROM a")
        XCTAssertEqual(parsed?.with, [
            CommonTableExpression(name: "a", query: Query(body: one("1"))),
            CommonTableExpression(name: "b", columnNames: ["x", "y"],
                                  query: Query(body: .select(Select(items: [item(int("1")), item(int("2"))]))), materialized: true),
            CommonTableExpression(name: "c", query: Query(body: .values([[int("3")]])), materialized: false),
        ])
        XCTAssertEqual(parsed?.body, .select(Select(items: [.wildcard(qualifier: nil)], from: [table("a")])))
    }

    func testWithRecursive() {
        let parsed = query("WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT n FROM t")
        XCTAssertEqual(parsed?.recursive, true)
        XCTAssertEqual(parsed?.with.map(\.name), ["t"])
        XCTAssertEqual(query("WITH t AS (SELECT 1) SELECT * FROM t")?.recursive, false)
        // An unreserved word: a WITH query may be named "recursive".
        XCTAssertEqual(query("WITH recursive AS (SELECT 1) SELECT * FROM recursive")?.with.map(\.name), ["recursive"])
        assertRoundTrip("WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 5) SELECT n FROM t")
        assertRoundTrip("WITH RECURSIVE a AS (SELECT 1), b(x) AS (SELECT 2 UNION SELECT x FROM b) SELECT * FROM a, b")
    }

    func testNestedWith() {
        let inner = Query(with: [CommonTableExpression(name: "x", query: Query(body: one("1")))],
                          body: .select(Select(items: [.wildcard(qualifier: nil)], from: [table("x")])))
        XCTAssertEqual(query("SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x) s")?.body,
                       .select(Select(items: [.wildcard(qualifier: nil)], from: [.subquery(inner, alias: TableAlias("s"), lateral: false)])))
    }

    func testValuesAndTable() {
        XCTAssertEqual(query("VALUES (1, 'a'), (2, 'b') ORDER BY 1")?.body, .values([[int("1"), str("a")], [int("2"), str("b")]]))
        XCTAssertEqual(query("TABLE s.t")?.body, .select(Select(items: [.wildcard(qualifier: nil)], from: [table("s", "t")])))
        XCTAssertEqual(query("VALUES (1) UNION ALL VALUES (2)")?.body,
                       .setOperation(.union, all: true, .values([[int("1")]]), .values([[int("2")]])))
    }
}
