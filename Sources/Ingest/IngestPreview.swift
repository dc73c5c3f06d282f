import Columnar

/// Parses CSV or NDJSON bytes exactly as an ingest would (dialect and type
/// inference, blocks, conversion, rejects) without writing anything: what
/// tests and fuzzers drive, and a way to see how a file will be read.
public struct IngestPreview: Sendable {
    /// The inferred (or given) columns.
    public var fields: [Field]
    /// Every accepted row, each value as `ValueText` prints it (nil for NULL).
    public var rows: [[String?]]
    public var rejected: [RejectedRecord]
    /// The CSV dialect used (nil for NDJSON).
    public var dialect: CSVDialect?

    /// Parses `bytes` as the input named `name` (its extension picks the
    /// format when `options.format` is auto). Blocks of `options.blockBytes`
    /// exercise the same splitting as a large file. Bad records are collected
    /// whatever `options.onError` says; invalid options or unreadable input throw.
    public static func parse(_ bytes: [UInt8], name: String = "input.csv", options: IngestOptions) throws(IngestError) -> IngestPreview {
        let input = try PreparedInput.open(name, source: MemoryInput(bytes), size: bytes.count, options: options, spoolDirectory: "/nonexistent")
        let fields = try SchemaResolution.newTable([input], options: options)
        var chunks: [ParsedChunk] = []
        var dialect: CSVDialect? = nil
        switch input.content {
        case .empty, .parquet:
            break
        case let .csv(content):
            dialect = content.dialect
            let plan = try csvPlan(content, name: name, fields: fields, nullPadding: options.nullPadding)
            var lines = content.headerLines
            while let block = try content.reader.next(blockSize: options.blockBytes, boundary: { BlockReader.lastRecordEnd($0, dialect: content.dialect) }) {
                let chunk = block.bytes.withUnsafeBytes { CSVBlockParser.parse($0, plan: plan) }
                chunk.rebase(linesBefore: lines)
                lines += chunk.lines
                chunks.append(chunk)
            }
        case let .ndjson(content):
            var index: [String: Int] = [:]
            for (k, f) in fields.enumerated() where index[f.name] == nil { index[f.name] = k; index[f.name.lowercased()] = index[f.name.lowercased()] ?? k }
            let plan = JSONInputPlan(fileName: name, fields: fields, columnIndex: index, flatten: options.flatten)
            var lines = 0
            while let block = try content.reader.next(blockSize: options.blockBytes, boundary: BlockReader.lastLineEnd) {
                let chunk = block.bytes.withUnsafeBytes { JSONBlockParser.parse($0, plan: plan) }
                chunk.rebase(linesBefore: lines)
                lines += chunk.lines
                chunks.append(chunk)
            }
        }
        var rows: [[String?]] = []
        var rejected: [RejectedRecord] = []
        for chunk in chunks {
            let columns = chunk.columns.map { $0.finish() }
            for r in 0..<chunk.rows { rows.append(columns.map { ValueText.format($0, r) }) }
            rejected += chunk.rejected
        }
        return IngestPreview(fields: fields, rows: rows, rejected: rejected, dialect: dialect)
    }

    static func csvPlan(_ content: PreparedInput.CSVContent, name: String, fields: [Field], nullPadding: Bool) throws(IngestError) -> CSVInputPlan {
        var targets: [Int] = []
        for n in content.names {
            targets.append(fields.firstIndex { $0.name == n } ?? fields.firstIndex { $0.name.lowercased() == n.lowercased() } ?? -1)
        }
        var converters: [TextConverter?] = Array(repeating: nil, count: fields.count)
        for (k, t) in targets.enumerated() where t >= 0 {
            let guess = k < content.guesses.count ? content.guesses[k] : TypeGuess()
            converters[t] = try TextConverter(type: fields[t].type, thousands: guess.thousands, order: guess.dayOrder)
        }
        return CSVInputPlan(dialect: content.dialect, fileName: name, fieldCount: content.names.count, targets: targets,
                            fields: fields, converters: converters, nullPadding: nullPadding)
    }
}
