import Access
import Columnar
import Engine
import Foundation
import Lake
import XCTest

/// A small lake (`s.t`: id, region, email, amount; `s.u`: id, note) served by an engine
/// whose policy is an `AccessController`, with helpers to run statements as anyone.
final class AccessFixture {
    let root: String
    let lake: Lake
    let access: AccessController
    let engine: Engine

    init() throws {
        root = NSTemporaryDirectory() + "access-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let setup = try Engine(lakePath: root)
        for sql in [
            "CREATE SCHEMA s",
            """
            CREATE TABLE s.t AS SELECT * FROM (VALUES (1, 'EMEA', 'a@x.com', 10), (2, 'EMEA', 'b@x.com', 20),
              (3, 'AMER', 'c@y.com', 30), (4, 'APAC', 'd@z.com', 40), (5, 'AMER', NULL, 50)) v(id, region, email, amount)
            """,
            "CREATE TABLE s.u AS SELECT * FROM (VALUES (1, 'one'), (3, 'three'), (4, 'four')) v(id, note)",
        ] { _ = try setup.execute(sql) }
        lake = try Lake(path: root)
        access = try AccessController(lake: lake) { "verifier-of-" + $0 }
        engine = Engine(lake: lake, configuration: EngineConfiguration(threads: 2), policy: access)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func session(_ user: String) -> Session {
        Session(engine: engine, principal: Principal(user: user, isSuperuser: user == "admin"))
    }

    /// Runs statements as the superuser.
    func admin(_ statements: String...) throws {
        let s = session("admin")
        for sql in statements { _ = try s.execute(sql) }
    }

    /// Rows as "a|b|c" (NULL spelled out), and the column names.
    func query(_ user: String, _ sql: String) throws -> (columns: [String], rows: [String]) {
        let r = try session(user).execute(sql)
        let rows = r.batches.flatMap { b in (0..<b.rowCount).map { i in b.columns.map { ValueText.format($0, i) ?? "NULL" }.joined(separator: "|") } }
        return (r.fields.map(\.name), rows)
    }

    func rows(_ user: String, _ sql: String) throws -> [String] { try query(user, sql).rows }

    /// The SQLSTATE and message a statement fails with.
    func failure(_ user: String, _ sql: String) -> (String, String)? {
        do { _ = try session(user).execute(sql); return nil } catch { return (error.sqlState, error.message) }
    }
}
