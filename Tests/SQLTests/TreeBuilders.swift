import SQL
import XCTest

/// Foundation (through XCTest) has an `Expression` type of its own.
typealias Expression = SQL.Expression

/// Short constructors for expected trees, so a test reads like the SQL it checks.
func col(_ parts: String...) -> Expression { .column(QualifiedName(parts)) }
func int(_ digits: String) -> Expression { .literal(.integer(digits)) }
func dec(_ text: String) -> Expression { .literal(.decimal(text)) }
func str(_ text: String) -> Expression { .literal(.string(text)) }
func bool(_ value: Bool) -> Expression { .literal(.boolean(value)) }
let null = Expression.literal(.null)
func bin(_ op: BinaryOperator, _ left: Expression, _ right: Expression) -> Expression { .binary(op, left, right) }
func neg(_ operand: Expression) -> Expression { .unary(.minus, operand) }
func not(_ operand: Expression) -> Expression { .unary(.not, operand) }
func call(_ name: String, _ arguments: Expression...) -> Expression { .function(.call(name, arguments)) }
func table(_ parts: String..., alias: String? = nil, columns: [String] = []) -> TableReference {
    .table(QualifiedName(parts), alias: alias.map { TableAlias($0, columns: columns) })
}

/// `SELECT items [FROM from] [WHERE condition]` as a statement.
func selectStatement(_ items: [SelectItem], from: [TableReference] = [], where condition: Expression? = nil) -> Statement {
    .query(Query(body: .select(Select(items: items, from: from, whereClause: condition))))
}

func item(_ expression: Expression, as alias: String? = nil) -> SelectItem { .expression(expression, alias: alias) }

extension XCTestCase {
    func expression(_ sql: String, file: StaticString = #filePath, line: UInt = #line) -> Expression? {
        do {
            return try Parser.parseExpression(sql)
        } catch {
            XCTFail("\(sql): \(error)", file: file, line: line)
            return nil
        }
    }

    func statement(_ sql: String, file: StaticString = #filePath, line: UInt = #line) -> Statement? {
        do {
            return try Parser.parseStatement(sql)
        } catch {
            XCTFail("\(sql): \(error)", file: file, line: line)
            return nil
        }
    }

    /// The single query of `sql`.
    func query(_ sql: String, file: StaticString = #filePath, line: UInt = #line) -> Query? {
        guard let parsed = statement(sql, file: file, line: line) else { return nil }
        guard case .query(let query) = parsed else {
            XCTFail("\(sql) is not a query", file: file, line: line)
            return nil
        }
        return query
    }

    /// The single SELECT block of `sql`.
    func select(_ sql: String, file: StaticString = #filePath, line: UInt = #line) -> Select? {
        guard let query = query(sql, file: file, line: line) else { return nil }
        guard case .select(let select) = query.body else {
            XCTFail("\(sql) is not a single SELECT", file: file, line: line)
            return nil
        }
        return select
    }

    func assertExpression(_ sql: String, _ expected: Expression, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(expression(sql, file: file, line: line), expected, sql, file: file, line: line)
    }

    func assertSyntaxError(_ sql: String, message: String, position: Int, expected: [String]? = nil,
                           file: StaticString = #filePath, line: UInt = #line) {
        do {
            let parsed = try Parser.parse(sql)
            XCTFail("\(sql) parsed: \(parsed)", file: file, line: line)
        } catch {
            XCTAssertEqual(error.message, message, sql, file: file, line: line)
            XCTAssertEqual(error.position, position, sql, file: file, line: line)
            if let expected { XCTAssertEqual(error.expected, expected, sql, file: file, line: line) }
        }
    }

    /// parse(print(parse(sql))) == parse(sql), for every statement of `sql`.
    func assertRoundTrip(_ sql: String, file: StaticString = #filePath, line: UInt = #line) {
        do {
            let first = try Parser.parse(sql)
            XCTAssertFalse(first.isEmpty, sql, file: file, line: line)
            for statement in first {
                let printed = statement.sql
                do {
                    let again = try Parser.parseStatement(printed)
                    XCTAssertEqual(again, statement, "\(sql)\nprinted: \(printed)", file: file, line: line)
                } catch {
                    XCTFail("\(sql)\nprinted: \(printed)\nreparse failed: \(error)", file: file, line: line)
                }
            }
        } catch {
            XCTFail("\(sql): \(error)", file: file, line: line)
        }
    }
}
