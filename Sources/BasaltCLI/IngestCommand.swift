import ArgumentParser
import Dispatch
import Ingest
import Parquet
#if canImport(Glibc)
import Glibc
#endif

/// `basalt ingest --lake DIR --table schema.table [inputs...]`: CSV, NDJSON
/// and Parquet files into a partitioned, compressed Parquet table, atomically.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load CSV, NDJSON or Parquet files into a table of the lake (offline, atomically).",
        discussion: """
            Inputs are files, directories, glob patterns, or - for standard input; gzip and zstd \
            inputs are decompressed on the fly. The CSV dialect and the column types are detected \
            from a sample unless given. The new files appear all at once (or not at all).

            Examples:
              basalt ingest --lake lake --table sales.orders orders.csv.gz \\
                  --partition-by 'year(order_date)' --partition-by 'month(order_date)' --sort-by customer_id
              cat events.ndjson | basalt ingest --lake lake --table raw.events - --on-error quarantine
            """
    )

    @Option(help: "The lake directory (created when missing).") var lake: String
    @Option(help: "The table, as schema.table (schema 'public' when omitted); created when missing.") var table: String
    @Argument(help: "Input files, directories, globs, or - for standard input.") var inputs: [String] = []

    @Option(help: "Input format: auto, csv, ndjson or parquet (auto: from the name, else the content).") var format: IngestOptions.Format = .auto
    @Option(help: "CSV field delimiter (one character; \\t for tab).") var delimiter: String?
    @Option(help: "CSV quote character ('' for none).") var quote: String?
    @Option(help: "CSV escape character inside quotes (default: the quote, doubled).") var escape: String?
    @Option(help: "Whether the CSV's first record is a header: true, false (default: detected).") var header: Bool?
    @Option(name: .customLong("null"), help: "A CSV text meaning NULL (repeatable; the empty field always is).") var nulls: [String] = []
    @Flag(help: "Give records with missing trailing fields NULLs instead of rejecting them.") var nullPadding = false
    @Flag(help: "NDJSON: turn nested objects into columns named outer_inner.") var flatten = false

    @Option(name: .customLong("type"), help: "A column's type instead of the inferred one: col=TYPE (repeatable).") var types: [String] = []
    @Option(name: .customLong("schema"), help: "A schema file: one 'name type' per line; the input's columns must match it.") var schemaFile: String?
    @Option(help: "Records sampled per input to infer types.") var sampleRows = 20_000
    @Flag(help: "When appending, add the input's new columns to the table.") var allowNewColumns = false

    @Option(help: "A partition key: col, year(col), month(col), day(col), date(col) or bucket(N, col) (repeatable, in order).") var partitionBy: [String] = []
    @Option(help: "Sort each output file by these columns (ascending, NULLs last; repeatable).") var sortBy: [String] = []
    @Option(help: "append (default), overwrite (the whole table) or overwrite-partitions (only those in the input).") var mode: IngestOptions.Mode = .append
    @Option(help: "Bad records: fail (default, write nothing), skip, or quarantine (write them to a side file).") var onError: IngestOptions.ErrorPolicy = .fail
    @Option(help: "The quarantine file (default: <lake>/_basalt/quarantine/<table>-<time>.ndjson).") var quarantineFile: String?

    @Option(help: "Compression codec.") var codec: RewriteCommand.CodecName = .zstd
    @Option(help: "Codec level.") var compressionLevel: Int?
    @Option(help: "Rows per row group.") var rowGroupRows = 1_000_000
    @Option(help: "Target file size in MB (a new file starts past it).") var targetFileSize = 512
    @Option(name: .customLong("bloom-filter"), help: "Write a bloom filter for this column (repeatable).") var bloomFilters: [String] = []
    @Option(help: "Memory for buffered rows across partitions, in MB.") var memoryLimit = 128
    @Option(help: "Parquet files open at once.") var maxOpenFiles = 64
    @Option(help: "Parsing threads (default: all cores).") var threads: Int?
    @Flag(help: "No progress output (the summary is still printed).") var quiet = false

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one input (a file, directory, glob, or - for standard input)") }
    }

    func run() throws {
        let parts = table.split(separator: ".", maxSplits: 1).map(String.init)
        let (schemaName, tableName) = parts.count == 2 ? (parts[0], parts[1]) : ("public", table)
        var options = IngestOptions(lake: lake, schema: schemaName, table: tableName, inputs: inputs)
        options.format = format
        options.csv.delimiter = try delimiter.map { try Self.character($0, "--delimiter") }
        if let quote { options.csv.quote = quote.isEmpty ? .some(nil) : .some(try Self.character(quote, "--quote")) }
        options.csv.escape = try escape.map { try Self.character($0, "--escape") }
        options.csv.header = header
        options.csv.nullStrings = nulls
        options.nullPadding = nullPadding
        options.flatten = flatten
        options.types = try types.map { spec in
            guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex else { throw ValidationError("--type \(spec): expected col=TYPE") }
            return (String(spec[..<eq]), String(spec[spec.index(after: eq)...]))
        }
        options.schemaFile = schemaFile
        options.sampleRows = sampleRows
        options.allowNewColumns = allowNewColumns
        options.partitionBy = partitionBy
        options.sortBy = sortBy
        options.mode = mode
        options.onError = onError
        options.quarantineFile = quarantineFile
        options.codec = codec.codec
        options.compressionLevel = compressionLevel
        options.rowGroupRows = rowGroupRows
        options.targetFileBytes = max(1, targetFileSize) << 20
        options.bloomFilterColumns = bloomFilters
        options.memoryLimitBytes = max(1, memoryLimit) << 20
        options.maxOpenFiles = maxOpenFiles
        options.threads = threads

        Self.boundAllocator()
        let progress = IngestProgress(style: quiet ? .silent : IngestProgress.automatic)
        let ingestor = Ingestor(options: options, progress: progress)
        let signals = Self.onInterrupt(ingestor)
        defer { _ = signals }
        let out = FileOutput.standardOutput
        do {
            let summary = try ingestor.run()
            out.write(IngestSummaryText.render(summary))
            out.flush()
        } catch {
            out.flush()
            printError("basalt ingest: \(error)")
            throw ExitCode(error.kind == .interrupted ? 130 : 1)
        }
    }

    /// An ingest streams: memory it frees should go back to the system, not
    /// wait in per-thread arenas (the query engine's tuning keeps it for reuse).
    /// Two arenas, large buffers mapped and unmapped directly, trimming above 8 MB.
    static func boundAllocator() {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let arenaMax: Int32 = -8, mmapThreshold: Int32 = -3, trimThreshold: Int32 = -1
        _ = mallopt(arenaMax, 2)
        _ = mallopt(mmapThreshold, 4 << 20)
        _ = mallopt(trimThreshold, 8 << 20)
        #endif
    }

    /// A one-character option ("\t" and "tab" for a tab).
    static func character(_ text: String, _ option: String) throws -> UInt8 {
        if text == "\\t" || text.lowercased() == "tab" { return 9 }
        let bytes = Array(text.utf8)
        guard bytes.count == 1 else { throw ValidationError("\(option) must be one ASCII character, not '\(text)'") }
        return bytes[0]
    }

    /// Ctrl-C and SIGTERM: the ingest stops at its next block, removes its
    /// staging directory and exits 130, leaving the table as it was. When it
    /// does not answer within 10 s (blocked reading its input), the handler
    /// removes the staging directory itself and exits.
    static func onInterrupt(_ ingestor: Ingestor) -> [DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                ingestor.cancel()
                DispatchQueue.global().asyncAfter(deadline: .now() + 10) {
                    ingestor.interrupt()
                    printError("\nbasalt ingest: interrupted; the table is unchanged")
                    Glibc.exit(130)
                }
            }
            source.resume()
            return source
        }
    }
}

extension IngestOptions.Format: ExpressibleByArgument {}
extension IngestOptions.Mode: ExpressibleByArgument {}
extension IngestOptions.ErrorPolicy: ExpressibleByArgument {}

/// The summary `basalt ingest` prints when it is done.
enum IngestSummaryText {
    static func render(_ s: IngestSummary) -> String {
        let g = IngestProgress.grouped
        var lines: [String] = []
        let verb = s.createdTable ? "created" : s.mode == .append ? "appended to" : "rewrote"
        lines.append("\(verb) \(s.table) in \(IngestProgress.fixed(s.seconds, 2)) s (\(s.mode.rawValue))")
        lines.append("  rows:       \(g(s.rowsWritten)) written, \(g(s.rowsRejected)) rejected, \(g(s.rowsRead)) read from \(s.inputs) input\(s.inputs == 1 ? "" : "s")")
        lines.append("  files:      \(g(s.filesWritten)) in \(g(s.partitionsWritten)) partition\(s.partitionsWritten == 1 ? "" : "s"), \(IngestProgress.size(s.bytesWritten))")
        let rate = s.seconds > 0 ? Int(Double(s.rowsRead) / s.seconds) : 0
        lines.append("  read:       \(IngestProgress.size(s.bytesRead)), \(g(rate)) rows/s")
        if let q = s.quarantineFile { lines.append("  quarantine: \(q)") }
        for r in s.sampleRejects.prefix(3) {
            lines.append("  rejected:   \(r.position)\(r.position.field.map { " (column '\($0)')" } ?? ""): \(r.reason)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
