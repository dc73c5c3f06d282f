import ArgumentParser
import Columnar
import Parquet

/// `basalt parquet cat FILE`: the rows, as canonical JSON, CSV or a table.
struct CatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Print a Parquet file's rows.",
        discussion: "--format json prints the canonical JSON form of shared/parquet-testing, so a reading can be compared with pyarrow's."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, csv, table }

    @Argument(help: "The Parquet file.") var file: String
    @Option(help: "Comma-separated top-level columns to print (default: all).") var columns: String?
    @Option(help: "Output format: json, csv or table.") var format: Format = .table
    @Option(help: "Print at most this many rows (csv and table).") var limit: Int?

    func run() throws {
        let out = FileOutput.standardOutput
        defer { out.flush() }
        do {
            try render(to: out)
        } catch {
            if format == .json { out.write(CanonicalJSON.error(error)) }
            out.flush()
            printError("basalt: \(file): \(error)")
            throw ExitCode(1)
        }
    }

    private func render(to out: FileOutput) throws(ParquetError) {
            let parquet = try ParquetFile(path: file)
            var selected: [Int]?
            if let columns { selected = try ColumnSelection.resolve(columns, in: parquet) }
            switch format {
            case .json:
                out.write(try CanonicalJSON.render(parquet, columns: selected))
            case .csv, .table:
                try TextTable.write(parquet, columns: selected, csv: format == .csv, limit: limit, to: out)
            }
    }
}

enum ColumnSelection {
    /// "a,b" → top-level column indices; an unknown name is an error that lists the columns.
    static func resolve(_ list: String, in file: ParquetFile) throws(ParquetError) -> [Int] {
        try list.split(separator: ",").map { (name) throws(ParquetError) -> Int in
            let trimmed = String(name.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
            guard let index = file.columnIndex(named: trimmed) else {
                let known = file.schema.columns.map(\.name).joined(separator: ", ")
                throw ParquetError(.io, "no column named '\(trimmed)' (columns: \(known))")
            }
            return index
        }
    }
}

/// CSV (RFC 4180 quoting, empty field for NULL) or an aligned table.
enum TextTable {
    static func write(_ file: ParquetFile, columns: [Int]?, csv: Bool, limit: Int?, to out: FileOutput) throws(ParquetError) {
        let names = (columns ?? Array(file.schema.columns.indices)).map { file.schema.columns[$0].name }
        var printed = 0
        let maxRows = limit ?? Int.max
        if csv { out.write(names.map(quoteCSV).joined(separator: ",") + "\n") }
        var tableRows: [[String]] = []
        for g in 0..<file.rowGroupCount where printed < maxRows {
            let batch = try file.readRowGroup(g, columns: columns)
            for row in 0..<batch.rowCount where printed < maxRows {
                let cells = batch.columns.map { ValueText.format($0, row) }
                if csv {
                    out.write(cells.map { $0.map(quoteCSV) ?? "" }.joined(separator: ",") + "\n")
                } else {
                    tableRows.append(cells.map { $0 ?? "NULL" })
                }
                printed += 1
            }
        }
        guard !csv else { return }
        let tableLimit = 200
        var widths = names.map(\.count)
        for row in tableRows.prefix(tableLimit) {
            for (i, cell) in row.enumerated() { widths[i] = min(max(widths[i], cell.count), 60) }
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { cell, w in
                let c = cell.count > w ? String(cell.prefix(w - 1)) + "…" : cell
                return c + String(repeating: " ", count: max(0, w - c.count))
            }.joined(separator: " | ")
        }
        out.write(line(names) + "\n")
        out.write(widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-") + "\n")
        for row in tableRows { out.write(line(row) + "\n") }
        out.write("(\(tableRows.count) row\(tableRows.count == 1 ? "" : "s"))\n")
    }

    static func quoteCSV(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingAll("\"", with: "\"\"") + "\""
        }
        return s
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
