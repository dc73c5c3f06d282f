import SQL
import XCTest

/// Permission statements: parsed, printed, and parsed back to the same tree.
final class AccessStatementTests: XCTestCase {
    func parse(_ sql: String, file: StaticString = #filePath, line: UInt = #line) -> AccessStatement? {
        do {
            let s = try Parser.parseStatement(sql)
            XCTAssertEqual(try Parser.parseStatement(s.sql), s, s.sql, file: file, line: line)
            guard case let .access(a) = s else { XCTFail("\(sql): not a permission statement", file: file, line: line); return nil }
            return a
        } catch {
            XCTFail("\(sql): \(error)", file: file, line: line)
            return nil
        }
    }

    func testUsersAndRoles() {
        XCTAssertEqual(parse("CREATE USER ana WITH PASSWORD 'x''y' ATTRIBUTES (region = 'EMEA', team = NULL)"),
                       .createUser(name: "ana", options: UserOptions(password: "x'y", attributes: [UserAttribute("region", "EMEA"),
                                                                                                    UserAttribute("team", nil)])))
        XCTAssertEqual(parse("ALTER USER ana NOSUPERUSER"), .alterUser(name: "ana", options: UserOptions(superuser: false)))
        XCTAssertEqual(parse("DROP USER IF EXISTS ana, bob"), .dropUser(names: ["ana", "bob"], ifExists: true))
        XCTAssertEqual(parse("CREATE ROLE analysts"), .createRole(name: "analysts"))
        XCTAssertEqual(parse("DROP ROLE analysts"), .dropRole(names: ["analysts"], ifExists: false))
        XCTAssertEqual(parse("GRANT analysts, auditors TO ana"), .grantRole(roles: ["analysts", "auditors"], to: ["ana"]))
        XCTAssertEqual(parse("REVOKE analysts FROM ana"), .revokeRole(roles: ["analysts"], from: ["ana"]))
    }

    func testGrants() {
        let t = QualifiedName(["sales", "orders"])
        XCTAssertEqual(parse("GRANT SELECT (order_id, region) ON sales.orders TO ana WITH GRANT OPTION"),
                       .grant(PrivilegeGrant(privileges: [.select], columns: ["order_id", "region"], object: .table(t),
                                             principals: ["ana"], withGrantOption: true)))
        XCTAssertEqual(parse("GRANT SELECT ON TABLE sales.orders EXCLUDING (email) TO ana, bob"),
                       .grant(PrivilegeGrant(privileges: [.select], excluding: ["email"], object: .table(t), principals: ["ana", "bob"])))
        XCTAssertEqual(parse("GRANT SELECT, DESCRIBE ON ALL TABLES IN SCHEMA sales TO analysts"),
                       .grant(PrivilegeGrant(privileges: [.select, .describe], object: .allTablesInSchema("sales"), principals: ["analysts"])))
        XCTAssertEqual(parse("GRANT SELECT ON DATA FILTER emea TO ana"),
                       .grant(PrivilegeGrant(privileges: [.select], object: .dataFilter("emea"), principals: ["ana"])))
        guard case let .grant(g)? = parse("GRANT SELECT ON TAG sensitivity = 'public' AND domain IN ('sales') TO ana") else {
            return XCTFail("not a grant")
        }
        XCTAssertEqual(g.object, .tag(try! Parser.parseExpression("sensitivity = 'public' AND domain IN ('sales')")))
        XCTAssertEqual(parse("REVOKE SELECT ON sales.orders FROM ana CASCADE"),
                       .revoke(PrivilegeGrant(privileges: [.select], object: .table(t), principals: ["ana"])))
    }

    func testFiltersMasksTagsAndShow() {
        let t = QualifiedName(["sales", "orders"])
        XCTAssertEqual(parse("CREATE DATA FILTER emea ON sales.orders (order_id, revenue) WHERE region = user_attribute('region')"),
                       .createDataFilter(name: "emea", table: t, columns: ["order_id", "revenue"],
                                         predicate: try! Parser.parseExpression("region = user_attribute('region')")))
        XCTAssertEqual(parse("DROP DATA FILTER IF EXISTS emea"), .dropDataFilter(name: "emea", ifExists: true))
        XCTAssertEqual(parse("ALTER TABLE sales.customers ALTER COLUMN email SET MASK '****' || right(email, 4) FOR intern"),
                       .setMask(table: QualifiedName(["sales", "customers"]), column: "email",
                                expression: try! Parser.parseExpression("'****' || right(email, 4)"), principals: ["intern"]))
        XCTAssertEqual(parse("ALTER TABLE customers ALTER email DROP MASK"), .dropMask(table: QualifiedName(["customers"]), column: "email"))
        XCTAssertEqual(parse("ALTER SCHEMA sales SET TAG domain = 'sales'"), .setTag(.schema("sales"), key: "domain", value: "sales"))
        XCTAssertEqual(parse("ALTER TABLE sales.customers ALTER COLUMN email SET TAG sensitivity = 'pii'"),
                       .setTag(.column(QualifiedName(["sales", "customers"]), "email"), key: "sensitivity", value: "pii"))
        XCTAssertEqual(parse("ALTER TABLE sales.orders UNSET TAG domain"), .unsetTag(.table(t), key: "domain"))
        XCTAssertEqual(parse("SHOW GRANTS"), .showGrants(principal: nil, table: nil))
        XCTAssertEqual(parse("SHOW GRANTS FOR ana ON TABLE sales.orders"), .showGrants(principal: "ana", table: t))
    }

    func testMistakes() {
        XCTAssertThrowsError(try Parser.parseStatement("GRANT SELECT ON sales.orders"))
        XCTAssertThrowsError(try Parser.parseStatement("CREATE DATA FILTER f ON t"))
        XCTAssertThrowsError(try Parser.parseStatement("ALTER TABLE t SET TAG k = 1"))
        // SHOW of a setting is still a setting.
        XCTAssertEqual(try Parser.parseStatement("SHOW search_path"), .show(name: "search_path"))
    }
}
