import Columnar
import Engine

/// What runs a record's SQL: the engine, or a stand-in in the runner's own tests.
protocol SQLLogicExecutor {
    func execute(_ sql: String) throws(EngineError) -> QueryResult
}

extension Engine: SQLLogicExecutor {}
/// A file's records run in one session, as sqllogictest runs one connection per file (SET lasts).
extension Session: SQLLogicExecutor {}

/// One record that did not behave as the file says, with everything needed to
/// act on it without opening the file: where, the SQL, expected and got.
struct SQLLogicFailure: CustomStringConvertible, Sendable {
    var file: String
    var line: Int
    var sql: String
    var problem: String

    var description: String {
        "\(file):\(line): \(problem)\n  SQL: " + sql.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n       ")
    }
}

/// Runs a parsed file's records in order against one executor and collects
/// every failure (it never stops at the first).
struct SQLLogicRunner {
    /// The name `skipif` / `onlyif` lines use for this engine.
    static let engineName = "basalt"
    /// What the placeholder engine throws; while it does, the file is skipped.
    static let notBuiltSQLState = "0A000"
    static let notBuiltMessage = "the SQL engine is not built yet"
    /// Longest row listing in a failure message (per side).
    static let maxListedRows = 40

    struct Report: Sendable {
        var failures: [SQLLogicFailure] = []
        var executed = 0
        var skipped = 0
    }

    enum Outcome: Sendable {
        /// The very first statement sent got the placeholder's "not built yet" error.
        case engineNotBuilt(EngineError)
        case finished(Report)
    }

    var executor: any SQLLogicExecutor

    func run(_ test: SQLLogicTest) -> Outcome {
        var report = Report()
        for record in test.records {
            if case .halt = record.kind {
                if record.runs(on: Self.engineName) { break }
                continue
            }
            guard record.runs(on: Self.engineName) else {
                report.skipped += 1
                continue
            }
            let outcome: Result<QueryResult, EngineError>
            do throws(EngineError) {
                outcome = .success(try executor.execute(record.sql))
            } catch {
                outcome = .failure(error)
            }
            if report.executed == 0, case let .failure(error) = outcome, Self.isNotBuilt(error) {
                return .engineNotBuilt(error)
            }
            report.executed += 1
            if let problem = Self.check(record, outcome) {
                report.failures.append(SQLLogicFailure(file: test.file, line: record.line, sql: record.sql, problem: problem))
            }
        }
        return .finished(report)
    }

    static func isNotBuilt(_ error: EngineError) -> Bool {
        error.sqlState == notBuiltSQLState && error.message == notBuiltMessage
    }

    /// Nil when the record's expectation holds, else what went wrong.
    static func check(_ record: SQLLogicTest.Record, _ outcome: Result<QueryResult, EngineError>) -> String? {
        switch (record.kind, outcome) {
        case (.halt, _):
            return nil
        case (.statementOK, .success):
            return nil
        case let (.statementOK, .failure(error)):
            return "statement failed: " + describe(error)
        case let (.statementError(expected), .success(result)):
            return "statement succeeded (\(result.commandTag)) but should fail with " + describe(expected)
        case let (.statementError(expected), .failure(error)):
            return errorMismatch(expected, error)
        case let (.query, .failure(error)):
            return "query failed: " + describe(error)
        case let (.query(types, sort, expected), .success(result)):
            return resultMismatch(types: types, sort: sort, expected: expected, result: result)
        }
    }

    // MARK: errors

    static func errorMismatch(_ expected: SQLLogicTest.ExpectedError, _ error: EngineError) -> String? {
        var problems: [String] = []
        if let state = expected.sqlState, state != error.sqlState {
            problems.append("SQLSTATE \(error.sqlState), expected \(state)")
        }
        if let pattern = expected.pattern, !matches(error.message, pattern) {
            problems.append("message does not match `\(pattern)`")
        }
        if let message = expected.message, !contains(error.message, message) {
            problems.append("message does not contain \"\(message)\"")
        }
        if let hint = expected.hint, !contains(error.hint ?? "", hint) {
            problems.append(error.hint == nil ? "no hint, expected \"\(hint)\"" : "hint does not contain \"\(hint)\"")
        }
        if problems.isEmpty { return nil }
        return "wrong error: " + problems.joined(separator: "; ") + "\n  expected: " + describe(expected) + "\n  got:      " + describe(error)
    }

    /// `pattern` as a regular expression; a pattern that does not compile, or
    /// does not match, still passes when the message contains it literally.
    static func matches(_ message: String, _ pattern: String) -> Bool {
        if contains(message, pattern) { return true }
        guard let regex = try? Regex(pattern) else { return false }
        return message.contains(regex)
    }

    /// Substring test on the UTF-8 bytes (Swift's `contains` would equate canonically equivalent text).
    static func contains(_ text: String, _ part: String) -> Bool {
        let hay = Array(text.utf8), needle = Array(part.utf8)
        if needle.isEmpty { return true }
        guard hay.count >= needle.count else { return false }
        for start in 0...(hay.count - needle.count) where hay[start] == needle[0] {
            if hay[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }

    static func describe(_ error: EngineError) -> String {
        var text = "ERROR \(error.sqlState): \(error.message)"
        if let hint = error.hint { text += " (HINT: \(hint))" }
        return text
    }

    static func describe(_ expected: SQLLogicTest.ExpectedError) -> String {
        var parts: [String] = []
        if let s = expected.sqlState { parts.append("SQLSTATE \(s)") }
        if let p = expected.pattern { parts.append("/\(p)/") }
        if let m = expected.message { parts.append("\"\(m)\"") }
        if let h = expected.hint { parts.append("HINT \"\(h)\"") }
        return parts.isEmpty ? "any error" : parts.joined(separator: " ")
    }

    // MARK: results

    /// A value as the .test files write it: NULL as `NULL`, '' as `(empty)`,
    /// anything else as Columnar.ValueText prints it.
    static func text(_ column: Column, _ row: Int) -> String {
        guard let value = ValueText.format(column, row) else { return "NULL" }
        return value.isEmpty ? "(empty)" : value
    }

    /// The type letter of a result column: I integer, R float or decimal,
    /// B boolean, D date/time/timestamp, T anything else.
    static func typeLetter(_ type: DataType) -> Character {
        switch type {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: "I"
        case .float16, .float32, .float64, .decimal: "R"
        case .boolean: "B"
        case .date32, .time, .timestamp: "D"
        default: "T"
        }
    }

    /// The result as type letters and rows of value text.
    static func render(_ result: QueryResult) -> (types: [Character], rows: [[String]]) {
        let types = result.fields.map { typeLetter($0.type) }
        var rows: [[String]] = []
        rows.reserveCapacity(result.rowCount)
        for batch in result.batches {
            for r in 0..<batch.rowCount {
                rows.append(batch.columns.map { text($0, r) })
            }
        }
        return (types, rows)
    }

    static func sorted(_ rows: [[String]], _ mode: SQLLogicTest.SortMode) -> [[String]] {
        switch mode {
        case .nosort: rows
        case .rowsort: rows.sorted(by: rowPrecedes)
        case .valuesort: rows.joined().sorted(by: valuePrecedes).map { [$0] }
        }
    }

    /// Byte order of the UTF-8 text, value by value.
    static func rowPrecedes(_ a: [String], _ b: [String]) -> Bool {
        for (x, y) in zip(a, b) where !same(x, y) {
            return valuePrecedes(x, y)
        }
        return a.count < b.count
    }

    static func valuePrecedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    /// Exact equality of the UTF-8 bytes (no Unicode normalisation).
    static func same(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

    static func resultMismatch(types: [Character], sort: SQLLogicTest.SortMode, expected: [[String]], result: QueryResult) -> String? {
        let got = render(result)
        if got.types.count != types.count {
            return "expected \(types.count) columns (\(String(types))), got \(got.types.count) (\(String(got.types)))"
                + "\n" + listing("got", got.rows, types: got.types)
        }
        let want = sorted(expected, sort), have = sorted(got.rows, sort)
        var problems: [String] = []
        if got.types != types {
            let columns = zip(types, got.types).enumerated().filter { $0.element.0 != $0.element.1 }
                .map { "column \($0.offset + 1) (\(result.fields[$0.offset].name)): expected \($0.element.0), got \($0.element.1) [\(result.fields[$0.offset].type)]" }
            problems.append("wrong column types " + String(got.types) + ", expected " + String(types) + ": " + columns.joined(separator: ", "))
        }
        if let difference = firstDifference(want, have) {
            problems.append("wrong result (\(sort.rawValue)): " + difference)
        }
        if problems.isEmpty { return nil }
        return problems.joined(separator: "\n  ") + "\n" + listing("expected", want, types: types) + "\n" + listing("got", have, types: got.types)
    }

    static func firstDifference(_ want: [[String]], _ have: [[String]]) -> String? {
        for (i, (w, h)) in zip(want, have).enumerated() {
            for (c, (x, y)) in zip(w, h).enumerated() where !same(x, y) {
                return "row \(i + 1) column \(c + 1): expected \"\(x)\", got \"\(y)\""
            }
        }
        if want.count != have.count { return "expected \(want.count) rows, got \(have.count)" }
        return nil
    }

    static func listing(_ title: String, _ rows: [[String]], types: [Character]) -> String {
        var lines = ["  \(title): \(rows.count) row\(rows.count == 1 ? "" : "s") (\(String(types)))"]
        for row in rows.prefix(maxListedRows) {
            lines.append("    " + row.joined(separator: "\t"))
        }
        if rows.count > maxListedRows { lines.append("    ... \(rows.count - maxListedRows) more") }
        return lines.joined(separator: "\n")
    }
}
