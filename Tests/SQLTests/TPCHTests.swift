import Foundation
import SQL
import XCTest

/// The 22 TPC-H queries (Fixtures/tpch, DuckDB's text) parse, print and parse back.
final class TPCHTests: XCTestCase {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/tpch")

    func text(_ number: Int) throws -> String {
        let name = number < 10 ? "q0\(number).sql" : "q\(number).sql"
        return try String(contentsOf: TPCHTests.directory.appendingPathComponent(name), encoding: .utf8)
    }

    func testAll22QueriesParseAndRoundTrip() throws {
        for number in 1...22 {
            let sql = try text(number)
            let statements = try Parser.parse(sql)
            XCTAssertEqual(statements.count, 1, "q\(number)")
            guard case .query = statements.first else { return XCTFail("q\(number) is not a query") }
            assertRoundTrip(sql)
        }
    }

    func testQuery1() throws {
        guard case .query(let query) = try Parser.parseStatement(try text(1)), case .select(let select) = query.body else {
            return XCTFail("q1 is not a SELECT")
        }
        XCTAssertEqual(select.items.count, 10)
        XCTAssertEqual(select.from, [table("lineitem")])
        XCTAssertEqual(select.whereClause, bin(.lessOrEqual, col("l_shipdate"), .cast(str("1998-09-02"), TypeName("date"))))
        XCTAssertEqual(select.groupBy, [.expression(col("l_returnflag")), .expression(col("l_linestatus"))])
        XCTAssertEqual(query.orderBy, [OrderItem(col("l_returnflag")), OrderItem(col("l_linestatus"))])
        XCTAssertEqual(select.items.last, item(.function(FunctionCall(name: QualifiedName(["count"]), star: true)), as: "count_order"))
    }

    func testQuery13LeftOuterJoinInADerivedTableWithColumnAliases() throws {
        guard case .query(let query) = try Parser.parseStatement(try text(13)), case .select(let select) = query.body,
              case .subquery(let inner, let alias, lateral: false) = select.from.first,
              case .select(let innerSelect) = inner.body else {
            return XCTFail("unexpected q13 shape")
        }
        XCTAssertEqual(alias, TableAlias("c_orders", columns: ["c_custkey", "c_count"]))
        guard case .join(let join) = innerSelect.from.first else { return XCTFail("no join") }
        XCTAssertEqual(join.kind, .left)
        XCTAssertEqual(join.left, table("customer"))
    }
}
