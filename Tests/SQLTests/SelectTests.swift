import SQL
import XCTest

/// The SELECT block: select list, aliases, DISTINCT, WHERE, GROUP BY, HAVING, WINDOW.
final class SelectTests: XCTestCase {
    func testSelectList() {
        XCTAssertEqual(select("SELECT *")?.items, [.wildcard(qualifier: nil)])
        XCTAssertEqual(select("SELECT t.*, s.t.* FROM t")?.items,
                       [.wildcard(qualifier: QualifiedName(["t"])), .wildcard(qualifier: QualifiedName(["s", "t"]))])
        XCTAssertEqual(select("SELECT a, b + 1 AS c, d e")?.items,
                       [item(col("a")), item(bin(.add, col("b"), int("1")), as: "c"), item(col("d"), as: "e")])
        XCTAssertEqual(select("SELECT 1 AS \"Mixed Case\"")?.items, [item(int("1"), as: "Mixed Case")])
    }

    /// Any keyword after AS; without AS, identifiers and keywords PostgreSQL marks as bare labels.
    func testKeywordAliases() {
        XCTAssertEqual(select("SELECT 1 AS year, 2 AS from, 3 AS select")?.items,
                       [item(int("1"), as: "year"), item(int("2"), as: "from"), item(int("3"), as: "select")])
        XCTAssertEqual(select("SELECT 1 value, 2 name, 3 key, 4 type, 5 location, 6 first")?.items,
                       [item(int("1"), as: "value"), item(int("2"), as: "name"), item(int("3"), as: "key"),
                        item(int("4"), as: "type"), item(int("5"), as: "location"), item(int("6"), as: "first")])
        // YEAR needs AS as a label (PostgreSQL's AS_LABEL), so here it is an error.
        assertSyntaxError("SELECT 1 year", message: "syntax error at or near \"year\"", position: 10)
    }

    func testDistinct() {
        XCTAssertEqual(select("SELECT DISTINCT a FROM t")?.distinct, .distinct)
        XCTAssertEqual(select("SELECT ALL a FROM t")?.distinct, .all)
        XCTAssertEqual(select("SELECT DISTINCT ON (a, b) a, c FROM t")?.distinct, .on([col("a"), col("b")]))
    }

    func testWhereGroupByHaving() {
        let parsed = select("SELECT a, count(*) FROM t WHERE b > 1 GROUP BY a, 2 HAVING count(*) > 3")
        XCTAssertEqual(parsed?.whereClause, bin(.greater, col("b"), int("1")))
        XCTAssertEqual(parsed?.groupBy, [.expression(col("a")), .expression(int("2"))])
        XCTAssertEqual(parsed?.having, bin(.greater, .function(FunctionCall(name: QualifiedName(["count"]), star: true)), int("3")))
    }

    func testGroupingSets() {
        XCTAssertEqual(select("SELECT 1 FROM t GROUP BY ROLLUP (a, b)")?.groupBy, [.rollup([col("a"), col("b")])])
        XCTAssertEqual(select("SELECT 1 FROM t GROUP BY CUBE (a, b), c")?.groupBy, [.cube([col("a"), col("b")]), .expression(col("c"))])
        XCTAssertEqual(select("SELECT 1 FROM t GROUP BY GROUPING SETS ((a, b), (a), a + 1, ())")?.groupBy,
                       [.groupingSets([[col("a"), col("b")], [col("a")], [bin(.add, col("a"), int("1"))], []])])
        XCTAssertEqual(select("SELECT 1 FROM t GROUP BY ()")?.groupBy, [.empty])
        XCTAssertEqual(select("SELECT 1 FROM t GROUP BY ALL a")?.groupBy, [.expression(col("a"))])
        XCTAssertEqual(select("SELECT grouping(a) FROM t GROUP BY rollup(a)")?.items, [item(call("grouping", col("a")))])
        // Without a parenthesis ROLLUP is a name.
        XCTAssertEqual(select("SELECT 1 FROM t GROUP BY rollup")?.groupBy, [.expression(col("rollup"))])
    }

    func testWindowClause() {
        let parsed = select("SELECT sum(x) OVER w FROM t WINDOW w AS (PARTITION BY a), v AS (w ORDER BY b)")
        XCTAssertEqual(parsed?.windows.map(\.name), ["w", "v"])
        XCTAssertEqual(parsed?.windows.map(\.spec),
                       [WindowSpec(partitionBy: [col("a")]), WindowSpec(baseName: "w", orderBy: [OrderItem(col("b"))])])
    }

    func testNonReservedKeywordsAsColumnsEverywhere() {
        let parsed = select("SELECT year, month, name, value FROM t WHERE key = type AND location IS NOT NULL ORDER BY first, last")
        XCTAssertEqual(parsed?.items, [item(col("year")), item(col("month")), item(col("name")), item(col("value"))])
        XCTAssertEqual(parsed?.whereClause,
                       bin(.and, bin(.equal, col("key"), col("type")), .isNull(col("location"), negated: true)))
    }

    func testDateIsAColumnUnlessAStringFollows() {
        XCTAssertEqual(select("SELECT date, date '2024-01-01' FROM t")?.items,
                       [item(col("date")), item(.literal(.typed(TypeName("date"), "2024-01-01")))])
    }

    func testUnsupportedClauses() {
        assertSyntaxError("SELECT a INTO b FROM t", message: "SELECT ... INTO is not supported", position: 10)
        assertSyntaxError("SELECT 1 FROM t GROUP BY DISTINCT a", message: "GROUP BY DISTINCT is not supported", position: 26)
    }
}
