import ArgumentParser
import Columnar
import Engine

/// `basalt query --lake DIR "SQL"`: one statement, printed as a table, CSV or JSON.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run one SQL statement on a lake and print its result."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }

    @Option(help: "The lake directory.") var lake: String
    @Option(help: "Schema searched first for unqualified table names.") var schema: String?
    @Option(help: "Output format: table, csv or json (one object per row).") var format: Format = .table
    @Option(help: "Worker threads (default: all cores).") var threads: Int?
    @Option(name: .customLong("set"), help: "A setting for the statement, NAME=VALUE (repeatable), e.g. basalt.page_pruning=off.")
    var settings: [String] = []
    @Argument(help: "The SQL statement.") var sql: String

    func run() throws {
        let out = FileOutput.standardOutput
        defer { out.flush() }
        do throws(EngineError) {
            var configuration = EngineConfiguration(threads: threads)
            configuration.resultCacheBytes = 0  // one statement per process: nothing to reuse
            if let schema { configuration.searchPath = [schema, "public"] }
            let engine = try Engine(lakePath: lake, configuration: configuration)
            let session = Session(engine: engine)
            for setting in settings {
                guard let eq = setting.firstIndex(of: "=") else { throw EngineError("22023", "--set needs NAME=VALUE, got \"\(setting)\"") }
                _ = try session.execute("SET \(setting[..<eq]) = '\(setting[setting.index(after: eq)...])'")
            }
            let result = try session.execute(sql)
            ResultPrinter.print(result, format: format, to: out)
        } catch {
            out.flush()
            printError(ResultPrinter.describe(error, sql: sql))
            throw ExitCode(1)
        }
    }
}

enum ResultPrinter {
    static func print(_ result: QueryResult, format: QueryCommand.Format, to out: FileOutput) {
        let names = result.fields.map(\.name)
        if result.fields.isEmpty {
            out.write(result.commandTag + "\n")
            return
        }
        switch format {
        case .csv:
            out.write(names.map(TextTable.quoteCSV).joined(separator: ",") + "\n")
            for batch in result.batches {
                for row in 0..<batch.rowCount {
                    out.write(batch.columns.map { ValueText.format($0, row).map(TextTable.quoteCSV) ?? "" }.joined(separator: ",") + "\n")
                }
            }
        case .json:
            for batch in result.batches {
                for row in 0..<batch.rowCount {
                    let members = zip(names, batch.columns).map { name, column in
                        "\(jsonString(name)): \(jsonValue(column, row))"
                    }
                    out.write("{" + members.joined(separator: ", ") + "}\n")
                }
            }
        case .table:
            var rows: [[String]] = []
            for batch in result.batches {
                for row in 0..<batch.rowCount { rows.append(batch.columns.map { ValueText.format($0, row) ?? "" }) }
            }
            var widths = names.map(\.count)
            for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
            let numeric = result.fields.map { isNumeric($0.type) }
            func line(_ cells: [String], header: Bool) -> String {
                " " + cells.enumerated().map { i, c in
                    let pad = String(repeating: " ", count: widths[i] - c.count)
                    if header { let left = pad.count / 2; return String(repeating: " ", count: left) + c + String(repeating: " ", count: pad.count - left) }
                    return numeric[i] ? pad + c : c + pad
                }.joined(separator: " | ")
            }
            out.write(line(names, header: true) + "\n")
            out.write(widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "\n")
            for r in rows { out.write(line(r, header: false) + "\n") }
            out.write("(\(rows.count) row\(rows.count == 1 ? "" : "s"))\n")
        }
    }

    static func isNumeric(_ t: DataType) -> Bool {
        switch t {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .float16, .float32, .float64, .decimal: true
        default: false
        }
    }

    static func jsonValue(_ column: Column, _ row: Int) -> String {
        guard let text = ValueText.format(column, row) else { return "null" }
        switch column.type {
        case .boolean: return text == "t" ? "true" : "false"
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: return text
        case .float32, .float64:
            return Double(text).map { $0.isFinite ? text : jsonString(text) } ?? jsonString(text)
        default: return jsonString(text)
        }
    }

    static func jsonString(_ s: String) -> String { ValueText.jsonString(s) }

    /// psql's form: the message, the statement line with a caret under the position, the hint.
    static func describe(_ error: EngineError, sql: String) -> String {
        var text = "ERROR:  \(error.message)"
        if let position = error.position, position >= 1 {
            let chars = Array(sql)
            let p = min(position - 1, chars.count)
            let lineStart = chars[..<p].lastIndex(of: "\n").map { $0 + 1 } ?? 0
            let lineEnd = chars[p...].firstIndex(of: "\n") ?? chars.count
            let prefix = "LINE \(chars[..<p].filter { $0 == "\n" }.count + 1): "
            text += "\n" + prefix + String(chars[lineStart..<lineEnd])
            text += "\n" + String(repeating: " ", count: prefix.count + p - lineStart) + "^"
        }
        if let hint = error.hint { text += "\nHINT:  \(hint)" }
        return text
    }
}
