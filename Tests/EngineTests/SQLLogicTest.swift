/// A sqllogictest file, the format SQLite introduced and DuckDB extended, as
/// Basalt uses it (Fixtures/sql/README.md is the reference; the Python twin that
/// fills in expected results is tools/sqllogictest/slt.py):
///
///     # a comment (only between records)
///     statement ok
///     CREATE TABLE test.t AS SELECT 1 AS x
///
///     statement error 22012
///     SELECT 1 / 0
///     ----
///     division by zero
///
///     skipif basalt
///     query IT rowsort
///     SELECT id, name FROM test.people WHERE id < 3
///     ----
///     1	Alice
///     2	Bob
///
/// Records are separated by empty lines (between records, lines of spaces are
/// skipped too; inside one, a line of spaces is SQL or a value). A record is optional condition lines
/// (`skipif ENGINE` / `onlyif ENGINE`; this engine is `basalt`), then a header:
/// - `statement ok`: the SQL (every line up to the blank line) must succeed;
/// - `statement error [ARG]`: it must fail. ARG, when present, is a SQLSTATE
///   (five digits or capitals, compared with `EngineError.sqlState`) or else a
///   regular expression or substring the message must match. An optional `----`
///   block holds the expected message (the engine's message must contain it) and
///   optionally a line `HINT:  text` (the engine's hint must contain that);
/// - `query TYPES [nosort|rowsort|valuesort]`: SQL, `----`, then the expected
///   rows, one per line with tab-separated values (or one value per line), NULL
///   as `NULL` and the empty string as `(empty)`. TYPES has one letter per
///   column: I integer, R float or numeric, T text (and anything else),
///   B boolean, D date, time or timestamp;
/// - `halt`: ignore the rest of the file (unparsed, unless the halt has conditions).
struct SQLLogicTest: Sendable {
    enum SortMode: String, Sendable {
        /// Rows compared in the order the engine returns them.
        case nosort
        /// Rows sorted (on both sides) before comparing.
        case rowsort
        /// All values sorted individually, ignoring row boundaries.
        case valuesort
    }

    enum Condition: Equatable, Sendable {
        case skipIf(String)
        case onlyIf(String)
    }

    struct ExpectedError: Equatable, Sendable {
        /// A SQLSTATE the error must carry.
        var sqlState: String?
        /// A regular expression (or plain substring) the message must match.
        var pattern: String?
        /// Text the message must contain (the `----` block's first line).
        var message: String?
        /// Text the hint must contain (a `HINT:  ` line in the block).
        var hint: String?
    }

    enum Kind: Equatable, Sendable {
        case statementOK
        case statementError(ExpectedError)
        /// `expected` holds the expected values row by row, already split into columns.
        case query(types: [Character], sort: SortMode, expected: [[String]])
        case halt
    }

    struct Record: Equatable, Sendable {
        /// 1-based line of the record's header in the file.
        var line: Int
        var conditions: [Condition]
        var kind: Kind
        var sql: String

        /// Whether the record applies to the engine named `engine`.
        func runs(on engine: String) -> Bool {
            for condition in conditions {
                switch condition {
                case let .skipIf(name) where name == engine: return false
                case let .onlyIf(name) where name != engine: return false
                default: continue
                }
            }
            return true
        }
    }

    struct FormatError: Error, CustomStringConvertible, Equatable {
        var file: String
        var line: Int
        var message: String
        var description: String { "\(file):\(line): \(message)" }
    }

    static let typeLetters: Set<Character> = ["I", "R", "T", "B", "D"]

    var file: String
    var records: [Record]

    /// Parses a file's text; `file` names it in errors.
    static func parse(_ text: String, file: String) throws(FormatError) -> SQLLogicTest {
        // "\r\n" is one Character in Swift, so split on both forms of line end.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { line -> String in line.hasSuffix("\r") ? String(line.dropLast()) : String(line) }
        if lines.last == "" { lines.removeLast() }
        var records: [Record] = []
        var i = 0

        func fail(_ index: Int, _ message: String) -> FormatError {
            FormatError(file: file, line: index + 1, message: message)
        }
        func isBlank(_ line: String) -> Bool { line.allSatisfy { $0 == " " || $0 == "\t" } }
        func words(_ line: String) -> [String] { line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }

        while i < lines.count {
            if isBlank(lines[i]) || lines[i].hasPrefix("#") {
                i += 1
                continue
            }
            var conditions: [Condition] = []
            while i < lines.count, let first = words(lines[i]).first, first == "skipif" || first == "onlyif" {
                let w = words(lines[i])
                guard w.count == 2 else { throw fail(i, "expected `\(first) ENGINE`") }
                conditions.append(first == "skipif" ? .skipIf(w[1]) : .onlyIf(w[1]))
                i += 1
            }
            guard i < lines.count, !isBlank(lines[i]) else { throw fail(i - 1, "a condition line must be followed by a record") }
            let header = i
            let w = words(lines[i])
            i += 1
            if w[0] == "halt" {
                records.append(Record(line: header + 1, conditions: conditions, kind: .halt, sql: ""))
                // An unconditional halt ends the file: what follows is not even parsed.
                if conditions.isEmpty { break }
                continue
            }
            guard w[0] == "statement" || w[0] == "query" else { throw fail(header, "unknown record type `\(w[0])`") }

            var sql: [String] = []
            // Only an empty line ends a record: a line of spaces is a value (or SQL).
            while i < lines.count, !lines[i].isEmpty, lines[i] != "----" {
                sql.append(lines[i])
                i += 1
            }
            guard !sql.isEmpty else { throw fail(header, "record without SQL") }
            var hasResult = false
            var result: [String] = []
            if i < lines.count, lines[i] == "----" {
                hasResult = true
                i += 1
                while i < lines.count, !lines[i].isEmpty {
                    result.append(lines[i])
                    i += 1
                }
            }
            let sqlText = sql.joined(separator: "\n")

            let kind: Kind
            if w[0] == "statement" {
                switch w.count > 1 ? w[1] : "" {
                case "ok":
                    guard w.count == 2 else { throw fail(header, "`statement ok` takes no argument") }
                    guard !hasResult else { throw fail(header, "`statement ok` has no `----` block") }
                    kind = .statementOK
                case "error":
                    kind = .statementError(try expectedError(argument: w.dropFirst(2).joined(separator: " "),
                                                             block: result, line: header, file: file))
                default:
                    throw fail(header, "expected `statement ok` or `statement error`")
                }
            } else {
                guard w.count >= 2, w.count <= 3 else { throw fail(header, "expected `query TYPES [nosort|rowsort|valuesort]`") }
                let types = Array(w[1])
                guard !types.isEmpty, types.allSatisfy(typeLetters.contains) else {
                    throw fail(header, "bad column types `\(w[1])` (one of I R T B D per column)")
                }
                var sort = SortMode.nosort
                if w.count == 3 {
                    guard let mode = SortMode(rawValue: w[2]) else { throw fail(header, "unknown sort mode `\(w[2])`") }
                    sort = mode
                }
                guard hasResult else {
                    throw fail(header, "query without a `----` line (run tools/sqllogictest/expect.py to fill it in)")
                }
                let rows = try expectedRows(result, columns: types.count, line: header, file: file)
                kind = .query(types: types, sort: sort, expected: rows)
            }
            records.append(Record(line: header + 1, conditions: conditions, kind: kind, sql: sqlText))
        }
        return SQLLogicTest(file: file, records: records)
    }

    private static func expectedError(argument: String, block: [String], line: Int, file: String) throws(FormatError) -> ExpectedError {
        var expected = ExpectedError()
        if !argument.isEmpty {
            if isSQLState(argument) {
                expected.sqlState = argument
            } else {
                expected.pattern = argument
            }
        }
        for (k, text) in block.enumerated() {
            if text.hasPrefix("HINT:") {
                expected.hint = String(text.dropFirst(5).drop(while: { $0 == " " }))
            } else if k == 0 {
                expected.message = text
            } else {
                throw FormatError(file: file, line: line + 1, message: "an error block holds the message, then optionally `HINT:  text`")
            }
        }
        return expected
    }

    static func isSQLState(_ text: String) -> Bool {
        text.count == 5 && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("A"..."Z").contains($0) }
    }

    /// Expected values row by row: either one row per line with one tab-separated
    /// value per column, or (SQLite's classic layout) one value per line.
    static func expectedRows(_ lines: [String], columns: Int, line: Int, file: String) throws(FormatError) -> [[String]] {
        let split = lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        if split.allSatisfy({ $0.count == columns }) { return split }
        if split.allSatisfy({ $0.count == 1 }), lines.count % columns == 0 {
            return stride(from: 0, to: lines.count, by: columns).map { Array(lines[$0..<($0 + columns)]) }
        }
        let bad = split.firstIndex { $0.count != columns } ?? 0
        throw FormatError(file: file, line: line + 1,
                          message: "expected \(columns) tab-separated values per row, row \(bad + 1) has \(split[bad].count)")
    }
}
