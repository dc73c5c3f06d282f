import SQL
import XCTest

/// Type names with PostgreSQL's synonyms normalized (TypeName's documentation).
final class TypeNameTests: XCTestCase {
    func type(_ sql: String, file: StaticString = #filePath, line: UInt = #line) -> TypeName? {
        guard case .cast(_, let type)? = expression("CAST(x AS \(sql))", file: file, line: line) else { return nil }
        return type
    }

    func testSynonyms() {
        let cases: [(String, TypeName)] = [
            ("int", TypeName("integer")), ("INTEGER", TypeName("integer")), ("int4", TypeName("integer")),
            ("int8", TypeName("bigint")), ("bigint", TypeName("bigint")), ("int2", TypeName("smallint")),
            ("smallint", TypeName("smallint")), ("float4", TypeName("real")), ("real", TypeName("real")),
            ("float8", TypeName("double precision")), ("double precision", TypeName("double precision")),
            ("float", TypeName("double precision")), ("float(24)", TypeName("real")), ("float(53)", TypeName("double precision")),
            ("decimal(10, 2)", TypeName("numeric", modifiers: [10, 2])), ("numeric", TypeName("numeric")),
            ("dec(5)", TypeName("numeric", modifiers: [5])), ("numeric(10, -2)", TypeName("numeric", modifiers: [10, -2])),
            ("varchar(20)", TypeName("varchar", modifiers: [20])), ("character varying(20)", TypeName("varchar", modifiers: [20])),
            ("char varying", TypeName("varchar")), ("char(3)", TypeName("char", modifiers: [3])), ("character", TypeName("char")),
            ("national character varying(4)", TypeName("varchar", modifiers: [4])), ("nchar(2)", TypeName("char", modifiers: [2])),
            ("bool", TypeName("boolean")), ("boolean", TypeName("boolean")),
            ("timestamp", TypeName("timestamp")), ("timestamp without time zone", TypeName("timestamp")),
            ("timestamp with time zone", TypeName("timestamptz")), ("timestamptz", TypeName("timestamptz")),
            ("timestamp(3) with time zone", TypeName("timestamptz", modifiers: [3])),
            ("time", TypeName("time")), ("time without time zone", TypeName("time")), ("time(6) with time zone", TypeName("timetz", modifiers: [6])),
            ("date", TypeName("date")), ("interval", TypeName("interval")), ("interval(3)", TypeName("interval", modifiers: [3])),
            ("interval day to second", TypeName("interval day to second")), ("text", TypeName("text")), ("bytea", TypeName("bytea")),
            ("json", TypeName("json")), ("jsonb", TypeName("jsonb")), ("uuid", TypeName("uuid")), ("bit varying(8)", TypeName("varbit", modifiers: [8])),
            ("int[]", TypeName("integer", isArray: true)), ("text[][]", TypeName("text", isArray: true)),
            ("integer[3]", TypeName("integer", isArray: true)), ("int ARRAY", TypeName("integer", isArray: true)),
            ("pg_catalog.int8", TypeName("bigint")), ("\"MyType\"", TypeName("MyType")), ("public.mytype", TypeName("public.mytype")),
        ]
        for (sql, expected) in cases {
            XCTAssertEqual(type(sql), expected, sql)
        }
    }

    func testInvalidTypes() {
        assertSyntaxError("SELECT CAST(x AS float(0))", message: "precision for type float must be at least 1 bit", position: 23)
        assertSyntaxError("SELECT CAST(x AS float(54))", message: "precision for type float must be less than 54 bits", position: 23)
        assertSyntaxError("SELECT CAST(x AS varchar(n))", message: "syntax error at or near \"n\"", position: 26, expected: ["an integer"])
        assertSyntaxError("SELECT CAST(x AS select)", message: "syntax error at or near \"select\"", position: 18, expected: ["a type name"])
    }
}
