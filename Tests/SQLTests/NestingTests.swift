import Foundation
import SQL
import XCTest

/// Deep nesting gives "statement is too deeply nested", never a stack overflow, on the
/// main thread and on a 512 KB secondary thread; ordinary depths parse.
final class NestingTests: XCTestCase {
    static let tooDeep = "statement is too deeply nested"

    /// Runs `body` on a thread with the given stack size and waits for it.
    func onThread(stackSize: Int, _ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            body()
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        done.wait()
    }

    static func nestedParentheses(_ depth: Int) -> String {
        "SELECT " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
    }

    static let deepInputs: [(String, String)] = [
        ("1,000 nested parentheses", nestedParentheses(1000)),
        ("10,000 unary minus", "SELECT " + String(repeating: "-", count: 10_000).split(separator: "").joined(separator: " ") + "1"),
        ("10,000 NOT", "SELECT " + String(repeating: "NOT ", count: 10_000) + "true"),
        ("100,000 unclosed parentheses", "SELECT " + String(repeating: "(", count: 100_000)),
        ("1,000 nested (1 + ...)", "SELECT " + String(repeating: "(1 + ", count: 1000) + "1" + String(repeating: ")", count: 1000)),
        ("100,000-term sum", "SELECT 1" + String(repeating: " + 1", count: 100_000)),
        ("20,000 casts", "SELECT x" + String(repeating: "::int", count: 20_000)),
        ("5,000 IS NULL", "SELECT x" + String(repeating: " IS NULL", count: 5000)),
        ("1,000 nested subqueries", "SELECT " + String(repeating: "(SELECT ", count: 1000) + "1" + String(repeating: ")", count: 1000)),
        ("1,000 nested CASE", "SELECT " + String(repeating: "CASE WHEN a THEN ", count: 1000) + "1" + String(repeating: " END", count: 1000)),
        ("1,000 nested calls", "SELECT " + String(repeating: "f(", count: 1000) + "1" + String(repeating: ")", count: 1000)),
        ("5,000 UNION ALL", "SELECT 1" + String(repeating: " UNION ALL SELECT 1", count: 5000)),
        ("5,000 joins", "SELECT * FROM t0" + (1...5000).map { " JOIN t\($0) ON true" }.joined()),
        ("5,000 right-nested joins", "SELECT * FROM a" + String(repeating: " JOIN b", count: 5000) + String(repeating: " ON true", count: 5000)),
        ("1,000 nested FROM parentheses", "SELECT * FROM " + String(repeating: "(", count: 1000) + "t" + String(repeating: ")", count: 1000)),
        ("1,000 nested set operands", String(repeating: "(", count: 1000) + "SELECT 1" + String(repeating: ")", count: 1000)),
        ("1,000 nested IN lists", "SELECT " + String(repeating: "x IN (", count: 1000) + "1" + String(repeating: ")", count: 1000)),
    ]

    func testDeepInputsFailCleanlyOnTheMainThread() {
        for (name, sql) in NestingTests.deepInputs {
            XCTAssertThrowsError(try Parser.parse(sql), name) { error in
                XCTAssertEqual((error as? SQLSyntaxError)?.message, NestingTests.tooDeep, name)
            }
        }
    }

    func testDeepInputsFailCleanlyOnA512KBThread() {
        for (name, sql) in NestingTests.deepInputs {
            nonisolated(unsafe) var message: String?
            onThread(stackSize: 512 * 1024) {
                do {
                    _ = try Parser.parse(sql)
                } catch {
                    message = (error as? SQLSyntaxError)?.message
                }
            }
            XCTAssertEqual(message, NestingTests.tooDeep, name)
        }
    }

    func testOrdinaryDepthsParse() throws {
        XCTAssertNoThrow(try Parser.parse(NestingTests.nestedParentheses(100)))
        XCTAssertNoThrow(try Parser.parse("SELECT " + String(repeating: "(SELECT ", count: 30) + "1" + String(repeating: ")", count: 30)))
        XCTAssertNoThrow(try Parser.parse("SELECT 1" + String(repeating: " + 1", count: 900)))
        XCTAssertNoThrow(try Parser.parse("SELECT * FROM t WHERE " + (1...400).map { "a = \($0)" }.joined(separator: " OR ")))
        XCTAssertNoThrow(try Parser.parse("SELECT 1" + String(repeating: " UNION ALL SELECT 1", count: 400)))
        XCTAssertNoThrow(try Parser.parse("SELECT x IN (" + (1...50_000).map(String.init).joined(separator: ", ") + ")"))
    }

    /// Release frames leave room for realistic nesting on a 512 KB thread (measured:
    /// about 300 parentheses, 160 CASEs, 70 subqueries); debug frames are several times
    /// larger, so debug builds check the same depths on 8 MB.
    func testOrdinaryDepthsParseOnA512KBThread() {
        #if DEBUG
        let stackSize = 8 << 20
        #else
        let stackSize = 512 * 1024
        #endif
        let inputs = [
            NestingTests.nestedParentheses(200),
            "SELECT " + String(repeating: "(1 + ", count: 60) + "1" + String(repeating: ")", count: 60),
            "SELECT " + String(repeating: "(SELECT ", count: 50) + "1" + String(repeating: ")", count: 50),
            "SELECT " + String(repeating: "CASE WHEN a THEN ", count: 100) + "1" + String(repeating: " END", count: 100),
        ]
        for sql in inputs {
            nonisolated(unsafe) var parsed = false
            onThread(stackSize: stackSize) { parsed = (try? Parser.parse(sql)) != nil }
            XCTAssertTrue(parsed, String(sql.prefix(40)))
        }
    }

    /// The highest trees the parser accepts can be printed, compared and freed on a 512 KB
    /// thread in release builds (debug frames are several times larger: 8 MB there).
    func testDeepestAcceptedTreesAreSafeForLaterPasses() {
        #if DEBUG
        let stackSize = 8 << 20
        #else
        let stackSize = 512 * 1024
        #endif
        let inputs = [
            "SELECT 1" + String(repeating: " + 1", count: 990),
            "SELECT x" + String(repeating: "::int", count: 990),
            "SELECT 1" + String(repeating: " UNION ALL SELECT 1", count: 990),
        ]
        for sql in inputs {
            nonisolated(unsafe) var printed: String?
            onThread(stackSize: stackSize) {
                guard let statements = try? Parser.parse(sql) else { return }
                let again = try? Parser.parse(statements[0].sql)
                if again == statements { printed = statements[0].sql }
            }
            XCTAssertNotNil(printed, String(sql.prefix(40)))
        }
    }
}
