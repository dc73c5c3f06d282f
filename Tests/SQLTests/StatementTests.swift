import SQL
import XCTest

/// Statements other than queries, and statement lists.
final class StatementTests: XCTestCase {
    let selectOne = Statement.query(Query(body: .select(Select(items: [item(int("1"))]))))

    func testExplain() {
        XCTAssertEqual(statement("EXPLAIN SELECT 1"), .explain(selectOne, analyze: false, verbose: false))
        XCTAssertEqual(statement("EXPLAIN ANALYZE SELECT 1"), .explain(selectOne, analyze: true, verbose: false))
        XCTAssertEqual(statement("EXPLAIN ANALYZE VERBOSE SELECT 1"), .explain(selectOne, analyze: true, verbose: true))
        XCTAssertEqual(statement("EXPLAIN VERBOSE SELECT 1"), .explain(selectOne, analyze: false, verbose: true))
        XCTAssertEqual(statement("EXPLAIN (ANALYZE, VERBOSE) SELECT 1"), .explain(selectOne, analyze: true, verbose: true))
        XCTAssertEqual(statement("EXPLAIN (ANALYZE true, VERBOSE off) SELECT 1"), .explain(selectOne, analyze: true, verbose: false))
        XCTAssertEqual(statement("EXPLAIN (SELECT 1)"), .explain(selectOne, analyze: false, verbose: false))
        assertSyntaxError("EXPLAIN (FORMAT JSON) SELECT 1", message: "unrecognized EXPLAIN option \"format\"", position: 10)
        assertSyntaxError("EXPLAIN (ANALYZE maybe) SELECT 1", message: "analyze requires a Boolean value", position: 18)
        assertSyntaxError("EXPLAIN SET x = 1", message: "syntax error at or near \"SET\"", position: 9)
        assertSyntaxError("EXPLAIN CREATE TABLE t (a int)", message: "EXPLAIN supports queries and CREATE TABLE ... AS only", position: 9)
    }

    func testCreateTable() {
        XCTAssertEqual(statement("CREATE TABLE lake.orders (id bigint NOT NULL, note varchar(20), at timestamp with time zone NULL)"),
                       .createTable(CreateTable(name: QualifiedName(["lake", "orders"]), columns: [
                           ColumnDefinition(name: "id", type: TypeName("bigint"), notNull: true),
                           ColumnDefinition(name: "note", type: TypeName("varchar", modifiers: [20])),
                           ColumnDefinition(name: "at", type: TypeName("timestamptz")),
                       ])))
        XCTAssertEqual(statement("CREATE EXTERNAL TABLE IF NOT EXISTS t WITH (location = 's3://b/p/', format = 'parquet', n = 3, on = true)"),
                       .createTable(CreateTable(name: QualifiedName(["t"]), ifNotExists: true, external: true,
                                                options: [("location", "s3://b/p/"), ("format", "parquet"), ("n", "3"), ("on", "true")])))
        XCTAssertEqual(statement("CREATE TABLE t (a int) WITH (Partitioned.By = 'a', compress)"),
                       .createTable(CreateTable(name: QualifiedName(["t"]), columns: [ColumnDefinition(name: "a", type: TypeName("integer"))],
                                                options: [("partitioned.by", "a"), ("compress", "true")])))
        XCTAssertEqual(statement("CREATE TABLE t AS SELECT 1"),
                       .createTable(CreateTable(name: QualifiedName(["t"]), query: Query(body: .select(Select(items: [item(int("1"))]))))))
        XCTAssertEqual(statement("CREATE TABLE t WITH (format = 'parquet') AS SELECT 1"),
                       .createTable(CreateTable(name: QualifiedName(["t"]), options: [("format", "parquet")],
                                                query: Query(body: .select(Select(items: [item(int("1"))]))))))
        XCTAssertEqual(statement("CREATE TABLE t ()"), .createTable(CreateTable(name: QualifiedName(["t"]))))
        assertSyntaxError("CREATE TABLE t (a int) AS SELECT 1", message: "CREATE TABLE ... AS cannot have column definitions", position: 24)
        assertSyntaxError("CREATE TABLE t (a int PRIMARY KEY)", message: "syntax error at or near \"PRIMARY\"", position: 23,
                          expected: [")"])
        assertSyntaxError("CREATE VIEW v AS SELECT 1", message: "syntax error at or near \"VIEW\"", position: 8, expected: ["TABLE", "SCHEMA"])
    }

    func testDropAndSchema() {
        XCTAssertEqual(statement("DROP TABLE a, s.b"), .dropTable(names: [QualifiedName(["a"]), QualifiedName(["s", "b"])], ifExists: false))
        XCTAssertEqual(statement("DROP TABLE IF EXISTS a"), .dropTable(names: [QualifiedName(["a"])], ifExists: true))
        XCTAssertEqual(statement("CREATE SCHEMA lake"), .createSchema(name: "lake", ifNotExists: false))
        XCTAssertEqual(statement("CREATE SCHEMA IF NOT EXISTS \"Lake\""), .createSchema(name: "Lake", ifNotExists: true))
    }

    func testSet() {
        XCTAssertEqual(statement("SET search_path TO lake, public"), .set(name: "search_path", values: ["lake", "public"]))
        XCTAssertEqual(statement("SET SESSION statement_timeout = 2"), .set(name: "statement_timeout", values: ["2"]))
        XCTAssertEqual(statement("SET LOCAL x = -1.5"), .set(name: "x", values: ["-1.5"]))
        XCTAssertEqual(statement("SET application_name = 'it''s'"), .set(name: "application_name", values: ["'it''s'"]))
        XCTAssertEqual(statement("SET DateStyle TO ISO, MDY"), .set(name: "datestyle", values: ["iso", "mdy"]))
        XCTAssertEqual(statement("SET x TO DEFAULT"), .set(name: "x", values: ["default"]))
        XCTAssertEqual(statement("SET x = on"), .set(name: "x", values: ["on"]))
        XCTAssertEqual(statement("SET x = \"Mixed\""), .set(name: "x", values: ["\"Mixed\""]))
        XCTAssertEqual(statement("SET my.setting = 1"), .set(name: "my.setting", values: ["1"]))
        XCTAssertEqual(statement("SET TIME ZONE 'UTC'"), .set(name: "timezone", values: ["'UTC'"]))
        XCTAssertEqual(statement("SET TIME ZONE LOCAL"), .set(name: "timezone", values: ["default"]))
        XCTAssertEqual(statement("SET NAMES 'UTF8'"), .set(name: "client_encoding", values: ["'UTF8'"]))
        XCTAssertEqual(statement("SET SCHEMA 'lake'"), .set(name: "search_path", values: ["'lake'"]))
        assertSyntaxError("SET x 1", message: "syntax error at or near \"1\"", position: 7, expected: ["TO", "="])
        XCTAssertEqual(statement("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"), .set(name: "transaction_isolation", values: ["'serializable'"]))
        XCTAssertEqual(statement("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED, READ ONLY"),
                       .set(name: "default_transaction_isolation", values: ["'read committed'"]))
        XCTAssertEqual(statement("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"), .set(name: "default_transaction_read_only", values: ["on"]))
        assertSyntaxError("SET TRANSACTION ISOLATION LEVEL READ", message: "syntax error at end of input", position: 37)
    }

    func testResetAndShow() {
        XCTAssertEqual(statement("RESET search_path"), .reset(name: "search_path"))
        XCTAssertEqual(statement("RESET ALL"), .reset(name: "all"))
        XCTAssertEqual(statement("RESET TIME ZONE"), .reset(name: "timezone"))
        XCTAssertEqual(statement("SHOW server_version"), .show(name: "server_version"))
        XCTAssertEqual(statement("SHOW ALL"), .show(name: "all"))
        XCTAssertEqual(statement("SHOW TIME ZONE"), .show(name: "timezone"))
        XCTAssertEqual(statement("SHOW TRANSACTION ISOLATION LEVEL"), .show(name: "transaction_isolation"))
    }

    func testTransactions() {
        for sql in ["BEGIN", "BEGIN WORK", "BEGIN TRANSACTION", "START TRANSACTION",
                    "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", "START TRANSACTION READ WRITE NOT DEFERRABLE",
                    "BEGIN TRANSACTION ISOLATION LEVEL READ COMMITTED"] {
            XCTAssertEqual(statement(sql), .transaction(.begin), sql)
        }
        for sql in ["COMMIT", "COMMIT WORK", "END", "END TRANSACTION", "COMMIT AND NO CHAIN"] {
            XCTAssertEqual(statement(sql), .transaction(.commit), sql)
        }
        for sql in ["ROLLBACK", "ROLLBACK TRANSACTION", "ABORT"] {
            XCTAssertEqual(statement(sql), .transaction(.rollback), sql)
        }
        assertSyntaxError("COMMIT AND CHAIN", message: "AND CHAIN is not supported", position: 12)
        assertSyntaxError("BEGIN ISOLATION LEVEL SOMETIMES", message: "syntax error at or near \"SOMETIMES\"", position: 23)
    }

    func testStatementLists() throws {
        XCTAssertEqual(try Parser.parse("SELECT 1; ;SELECT 1;;"), [selectOne, selectOne])
        XCTAssertEqual(try Parser.parse(""), [])
        XCTAssertEqual(try Parser.parse(" ; -- nothing\n"), [])
        XCTAssertEqual(try Parser.parseStatement("SELECT 1;"), selectOne)
        XCTAssertThrowsError(try Parser.parseStatement("SELECT 1; SELECT 2")) { error in
            XCTAssertEqual(error as? SQLSyntaxError,
                           SQLSyntaxError(message: "cannot insert multiple commands into a prepared statement", position: 11))
        }
        XCTAssertThrowsError(try Parser.parseStatement("")) { error in
            XCTAssertEqual(error as? SQLSyntaxError,
                           SQLSyntaxError(message: "syntax error at end of input", position: 1, expected: ["a statement"]))
        }
        assertSyntaxError("SELECT 1 2", message: "syntax error at or near \"2\"", position: 10, expected: [";", "end of input"])
    }
}
