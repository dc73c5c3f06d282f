#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar
import Foundation
import Lake
import Parquet

/// Runs one ingest: opens and samples the inputs, settles the table's
/// columns and layout, streams every record through parsing (in parallel
/// blocks), partitioning and the partitioned writer into a staging
/// directory, then publishes it atomically and records the table in the
/// metastore. On any failure the staging directory is removed and the table
/// is left as it was.
public final class Ingestor: @unchecked Sendable {
    public let options: IngestOptions
    public let progress: IngestProgress
    /// Held while publishing, so an interrupt never removes a directory mid-swap.
    private let publishLock = NSLock()
    private var publisher: TablePublisher?

    public init(options: IngestOptions, progress: IngestProgress = IngestProgress(style: .silent)) {
        self.options = options
        self.progress = progress
    }

    private let cancelLock = NSLock()
    private var cancelled = false

    /// Asks a running ingest to stop (Ctrl-C): it stops at the next block,
    /// removes its staging directory and throws `.interrupted`; the table is unchanged.
    public func cancel() {
        cancelLock.lock()
        cancelled = true
        cancelLock.unlock()
    }

    var isCancelled: Bool {
        cancelLock.lock()
        defer { cancelLock.unlock() }
        return cancelled
    }

    /// For a signal handler whose `cancel()` went unanswered (the ingest is
    /// blocked reading its input): removes the staging directory, unless the
    /// swap is under way, in which case it waits for the swap to finish. The
    /// caller exits right after; the table keeps its state before or after the
    /// ingest, never a mix.
    public func interrupt() {
        publishLock.lock()
        publisher?.discard()
        // Stays locked: the process is about to exit.
    }

    public func run() throws(IngestError) -> IngestSummary {
        try validate()
        let startedAt = Date()
        let lake = try openLake()
        let runID = Self.randomHex()
        let publisher = TablePublisher(lake: lake, schema: options.schema, table: options.table, runID: runID)
        publishLock.lock()
        self.publisher = publisher
        publishLock.unlock()
        try publisher.lock {
            if progress.style != .silent { FileHandle.standardError.write(Data("basalt ingest: waiting for another ingest into \(options.schema).\(options.table)\n".utf8)) }
        }
        do {
            _ = try lake.createSchema(options.schema, ifNotExists: true)
        } catch {
            throw IngestError(.output, "cannot create schema \(options.schema): \(error.message)")
        }
        try publisher.prepare()
        do {
            return try ingest(lake: lake, publisher: publisher, runID: runID, startedAt: startedAt)
        } catch {
            publisher.discard()
            progress.finish()
            throw error
        }
    }

    private func validate() throws(IngestError) {
        for (what, name) in [("schema", options.schema), ("table", options.table)] {
            guard !name.isEmpty, !name.contains("/"), !name.hasPrefix("_"), !name.hasPrefix("."), !name.utf8.contains(0), name.utf8.count <= 200 else {
                throw IngestError(.usage, "\(what) name '\(name)' cannot be a directory of the lake (non-empty, no '/', not starting with '_' or '.')")
            }
        }
        guard options.rowGroupRows >= 1 else { throw IngestError(.usage, "--row-group-rows must be at least 1") }
        guard options.targetFileBytes >= 1 << 10 else { throw IngestError(.usage, "--target-file-size must be at least 1 kB") }
        guard options.memoryLimitBytes >= 1 << 20 else { throw IngestError(.usage, "--memory-limit must be at least 1 MB") }
        guard options.maxOpenFiles >= 1 else { throw IngestError(.usage, "--max-open-files must be at least 1") }
        guard options.sampleRows >= 1 else { throw IngestError(.usage, "--sample-rows must be at least 1") }
        guard options.blockBytes >= 1 << 10 else { throw IngestError(.usage, "block size must be at least 1 kB") }
    }

    private func openLake() throws(IngestError) -> Lake {
        // The lake directory is created when missing (an ingest may be the lake's first table).
        var prefix = options.lake.hasPrefix("/") ? "" : "."
        for component in options.lake.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw IngestError(.output, "cannot create the lake directory \(prefix): \(String(cString: strerror(errno)))")
            }
        }
        do {
            return try Lake(path: options.lake)
        } catch {
            throw IngestError(.output, "cannot open the lake \(options.lake): \(error.message)")
        }
    }

    // MARK: the ingest

    private func ingest(lake: Lake, publisher: TablePublisher, runID: String, startedAt: Date) throws(IngestError) -> IngestSummary {
        let qualified = "\(options.schema).\(options.table)"
        let catalog = lake.metastore as? any IngestCatalog
        let layout: TableLayout?
        let existing: TableDescriptor?
        do {
            if let registered = try lake.metastore.table(schema: options.schema, name: options.table) {
                throw IngestError(.usage, "table \(qualified) is registered at \(registered.location); basalt ingest writes tables stored in the lake's own directories")
            }
            layout = try catalog?.tableLayout(schema: options.schema, name: options.table)
            var st = stat()
            existing = stat(publisher.tableDirectory, &st) == 0 ? try lake.table(schema: options.schema, name: options.table) : nil
        } catch let error as IngestError {
            throw error
        } catch {
            throw IngestError(.output, "cannot read table \(qualified): \(error)")
        }
        if let existing, existing.schema != options.schema || existing.name != options.table {
            throw IngestError(.usage, "table \(qualified) would clash with the existing \(existing.qualifiedName) (names differ only in case)")
        }
        let target = options.mode == .overwrite ? nil : existing

        // Inputs, sampled.
        let paths = try InputResolver.resolve(options.inputs)
        var inputs: [PreparedInput] = []
        for path in paths { inputs.append(try PreparedInput.open(path, options: options, spoolDirectory: publisher.stagingDirectory)) }
        let sizes = inputs.map(\.size)
        progress.totalBytes = sizes.contains { $0 == nil } ? nil : sizes.reduce(0) { $0 + ($1 ?? 0) }

        // Partition keys: given, else as recorded, else (a table laid out
        // elsewhere) identity keys named like the table's partition directories.
        var keySpecs = options.partitionBy
        if keySpecs.isEmpty, let layout, existing != nil { keySpecs = layout.partitionBy }
        var keys: [PartitionKey] = []
        for spec in keySpecs { keys.append(try PartitionKey.parse(spec)) }

        // The table's columns.
        var logical: [Field]
        if let table = target {
            let keyNames = table.partitionKeys.map(\.name)
            if !keys.isEmpty && keys.map(\.name) != keyNames {
                throw IngestError(.usage, "table \(qualified) is partitioned by \(keyNames.isEmpty ? "nothing" : keyNames.joined(separator: ", ")), but the partition keys given are \(keys.map(\.name).joined(separator: ", ")); use --mode overwrite to change the layout")
            }
            if keys.isEmpty { keys = keyNames.map { PartitionKey(name: $0, column: $0, transform: .identity) } }
            logical = table.fields[0..<table.fileColumnCount].map { Field($0.name, $0.type) }
            for key in keys where key.transform == .identity {
                let recorded = layout?.columns.first { $0.name == key.name }.flatMap { try? TypeSyntax.parse($0.type) }
                let directoryType = table.partitionKeys.first { $0.name == key.name }?.type ?? .string
                logical.append(Field(key.name, recorded ?? directoryType))
            }
            for input in inputs {
                for field in input.inferredFields where !logical.contains(where: { $0.name.lowercased() == field.name.lowercased() }) {
                    if case .csv(let c) = input.content, !c.dialect.header { continue }  // positional
                    guard options.allowNewColumns else {
                        throw IngestError(.schema, "\(input.name): column '\(field.name)' is not a column of table \(qualified) (columns: \(logical.map(\.name).joined(separator: ", "))); add it with --allow-new-columns",
                                          at: nil)
                    }
                    logical.append(Field(field.name, field.type))
                }
            }
            for (column, typeText) in options.types {
                let type = try TypeSyntax.parse(typeText)
                if let f = logical.first(where: { $0.name.lowercased() == column.lowercased() }), f.type != type {
                    throw IngestError(.schema, "--type \(column)=\(typeText): table \(qualified) already has \(column) as \(f.type)")
                }
            }
        } else {
            logical = try SchemaResolution.newTable(inputs, options: options)
        }
        if logical.isEmpty {
            // Only empty inputs: nothing to create.
            publisher.discard()
            progress.finish()
            return summary(inputs: inputs.count, rowsRead: 0, rejects: RejectHandler(policy: options.onError, quarantinePath: nil), writer: nil,
                           created: false, startedAt: startedAt)
        }
        for key in keys {
            if let derived = logical.firstIndex(where: { $0.name.lowercased() == key.name.lowercased() }), key.transform != .identity {
                throw IngestError(.usage, "partition key \(key) is named like the column '\(logical[derived].name)'; name it differently (e.g. \(key.name)_key=\(key))")
            }
        }

        // Layout: which columns go into the files, sort order, bloom filters.
        let assigner = try PartitionAssigner(keys: keys, fields: logical)
        let identity = Set(zip(keys, assigner.sourceColumns).filter { $0.0.transform == .identity }.map(\.1))
        let fileColumns = logical.indices.filter { !identity.contains($0) }
        let fileFields = fileColumns.map { logical[$0] }
        guard !fileFields.isEmpty else { throw IngestError(.usage, "every column is a partition key: nothing would be left in the files") }
        var sortNames = options.sortBy
        if sortNames.isEmpty, let layout, existing != nil { sortNames = layout.sortBy }
        var sortKeys: [Int] = []
        for name in sortNames {
            guard let i = fileFields.firstIndex(where: { $0.name == name }) ?? fileFields.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw IngestError(.usage, "--sort-by \(name): no such column in the files (columns: \(fileFields.map(\.name).joined(separator: ", ")))")
            }
            sortKeys.append(i)
        }
        var writerOptions = WriterOptions()
        writerOptions.codec = options.codec
        writerOptions.compressionLevel = options.compressionLevel
        writerOptions.rowGroupRows = options.rowGroupRows
        for name in options.bloomFilterColumns {
            guard let f = fileFields.first(where: { $0.name.lowercased() == name.lowercased() }), !f.type.isNested else {
                throw IngestError(.usage, "--bloom-filter \(name): no such flat column in the files")
            }
            writerOptions.bloomFilterColumns.insert(f.name)
        }
        let writer = PartitionedWriter(
            stagingDirectory: publisher.stagingDirectory, fileFields: fileFields, fileColumns: fileColumns,
            layout: .init(writerOptions: writerOptions, rowGroupRows: options.rowGroupRows, targetFileBytes: options.targetFileBytes,
                          memoryLimitBytes: options.memoryLimitBytes, maxOpenFiles: options.maxOpenFiles, sortKeys: sortKeys),
            runID: String(runID.prefix(8)))
        // On failure or interrupt the writer thread stops before the staging directory goes.
        defer { writer.abandon() }
        let rejects = RejectHandler(policy: options.onError, quarantinePath: options.onError == .quarantine ? try quarantinePath(lake: lake) : nil)

        // Stream every input. The blocks in flight (workers + 1, raw and parsed) count
        // against the memory limit too: a small limit gets smaller blocks.
        let blockBytes = min(options.blockBytes, max(1 << 20, options.memoryLimitBytes / 8))
        var rowsRead = 0
        let workers = max(1, options.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        for (i, input) in inputs.enumerated() {
            progress.beginInput(input.name, index: i, of: inputs.count)
            var linesBefore = 0
            func consume(_ chunk: ParsedChunk, bytes: Int) throws(IngestError) {
                if isCancelled { throw IngestError(.interrupted, "interrupted; the table is unchanged") }
                chunk.rebase(linesBefore: linesBefore)
                linesBefore += chunk.lines
                rowsRead += chunk.rows + chunk.rejected.count
                try rejects.handle(chunk.rejected)
                let partitionOfRow = try assigner.assign(chunk.columns, rows: chunk.rows)
                try writer.append(chunk, partitionOfRow: partitionOfRow, paths: assigner.paths)
                progress.update(rows: chunk.rows, rejected: chunk.rejected.count, inputBytes: bytes)
            }
            switch input.content {
            case .empty:
                continue
            case let .csv(content):
                let plan = try csvPlan(content, input: input, logical: logical, positional: !content.dialect.header && (target != nil || options.schemaFile != nil))
                linesBefore = content.headerLines
                let reader = content.reader
                try ParallelBlocks.run(workers: workers, next: { () throws(IngestError) -> [UInt8]? in
                    try reader.next(blockSize: blockBytes) { BlockReader.lastRecordEnd($0, dialect: plan.dialect) }?.bytes
                }, parse: { block in
                    block.withUnsafeBytes { CSVBlockParser.parse($0, plan: plan) }
                }, consume: { (chunk) throws(IngestError) in try consume(chunk, bytes: reader.sourceBytesRead) })
            case let .ndjson(content):
                var index: [String: Int] = [:]
                for (k, f) in logical.enumerated() {
                    index[f.name] = k
                    if index[f.name.lowercased()] == nil { index[f.name.lowercased()] = k }
                }
                let plan = JSONInputPlan(fileName: input.name, fields: logical, columnIndex: index, flatten: options.flatten)
                let reader = content.reader
                try ParallelBlocks.run(workers: workers, next: { () throws(IngestError) -> [UInt8]? in
                    try reader.next(blockSize: blockBytes, boundary: BlockReader.lastLineEnd)?.bytes
                }, parse: { block in
                    block.withUnsafeBytes { JSONBlockParser.parse($0, plan: plan) }
                }, consume: { (chunk) throws(IngestError) in try consume(chunk, bytes: reader.sourceBytesRead) })
            case let .parquet(file):
                var bytesDone = 0
                for g in 0..<file.rowGroupCount {
                    let chunk = try parquetChunk(file, rowGroup: g, name: input.name, logical: logical)
                    bytesDone += Int(file.metadata.rowGroups[g].totalCompressedSize ?? 0)
                    try consume(chunk, bytes: min(bytesDone, input.size ?? bytesDone))
                }
            }
        }
        try writer.finish()
        rejects.close()

        // A new, unpartitioned table with no rows still gets its columns (one empty file).
        var written = writer.written
        if written.isEmpty && target == nil && keys.isEmpty {
            let name = "part-\(runID.prefix(8))-00000.parquet"
            do {
                let w = try ParquetWriter(path: publisher.stagingDirectory + "/" + name, fields: fileFields, options: writerOptions)
                _ = try w.close()
            } catch {
                throw IngestError(.output, "cannot write \(name): \(error)")
            }
            written.append(WrittenFile(path: name, partition: "", rows: 0, bytes: 0))
        }

        // Publish.
        if isCancelled { throw IngestError(.interrupted, "interrupted; the table is unchanged") }
        for entry in TablePublisher.entries(publisher.stagingDirectory) where entry.hasPrefix("_spool-") {
            unlink(publisher.stagingDirectory + "/" + entry)
        }
        let created = existing == nil
        if written.isEmpty && options.mode != .overwrite {
            publisher.discard()  // nothing new: the table stays as it is
        } else {
            publishLock.lock()
            defer { publishLock.unlock() }
            try publisher.publish(mode: options.mode, written: Set(written.map(\.partition)))
        }

        // Record the table.
        if let catalog {
            do {
                try catalog.saveTableLayout(TableLayout(
                    schema: options.schema, name: options.table,
                    columns: logical.map { StoredColumn(name: $0.name, type: $0.type.description, nullable: $0.nullable) },
                    partitionBy: keys.map(\.description), sortBy: sortNames, updated: Date()))
                try catalog.recordIngest(IngestRecord(
                    schema: options.schema, name: options.table, mode: options.mode.rawValue, inputs: paths,
                    rowsWritten: writer.rowsWritten, rowsRejected: rejects.count, filesWritten: written.count,
                    bytesWritten: written.reduce(0) { $0 + $1.bytes }, started: startedAt, finished: Date()))
            } catch {
                throw IngestError(.output, "the data of \(qualified) is published, but the metastore could not record it: \(error.message)")
            }
        }
        progress.finish()
        var result = summary(inputs: inputs.count, rowsRead: rowsRead, rejects: rejects, writer: writer, created: created, startedAt: startedAt)
        result.filesWritten = written.count
        return result
    }

    private func summary(inputs: Int, rowsRead: Int, rejects: RejectHandler, writer: PartitionedWriter?, created: Bool,
                         startedAt: Date) -> IngestSummary {
        let files = writer?.written ?? []
        return IngestSummary(
            table: "\(options.schema).\(options.table)", mode: options.mode, inputs: inputs, rowsRead: rowsRead,
            rowsWritten: writer?.rowsWritten ?? 0, rowsRejected: rejects.count, filesWritten: files.count,
            partitionsWritten: Set(files.map(\.partition)).count, bytesRead: progress.bytes,
            bytesWritten: files.reduce(0) { $0 + $1.bytes }, seconds: progress.elapsed,
            quarantineFile: rejects.count > 0 ? rejects.quarantinePath : nil, sampleRejects: rejects.samples, createdTable: created)
    }

    private func quarantinePath(lake: Lake) throws(IngestError) -> String {
        if let path = options.quarantineFile { return path }
        let directory = lake.root + "/_basalt/quarantine"
        _ = mkdir(directory, 0o755)
        return directory + "/\(options.schema).\(options.table)-\(Self.timestamp()).ndjson"
    }

    // MARK: plans

    private func csvPlan(_ content: PreparedInput.CSVContent, input: PreparedInput, logical: [Field],
                         positional: Bool) throws(IngestError) -> CSVInputPlan {
        var targets: [Int] = []
        for (k, name) in content.names.enumerated() {
            if positional {
                guard k < logical.count else {
                    throw IngestError(.schema, "\(input.name) has \(content.names.count) columns, the table \(logical.count)")
                }
                targets.append(k)
                continue
            }
            guard let t = logical.firstIndex(where: { $0.name == name }) ?? logical.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw IngestError(.schema, "\(input.name): column '\(name)' is not a column of the table (columns: \(logical.map(\.name).joined(separator: ", ")))")
            }
            guard !targets.contains(t) else { throw IngestError(.schema, "\(input.name): two columns map to '\(logical[t].name)'") }
            targets.append(t)
        }
        var converters: [TextConverter?] = Array(repeating: nil, count: logical.count)
        for (k, t) in targets.enumerated() where t >= 0 {
            let guess = k < content.guesses.count ? content.guesses[k] : TypeGuess()
            do {
                converters[t] = try TextConverter(type: logical[t].type, thousands: guess.thousands, order: guess.dayOrder)
            } catch {
                throw IngestError(.schema, "\(input.name): column '\(logical[t].name)': \(error.message)")
            }
        }
        return CSVInputPlan(dialect: content.dialect, fileName: input.name, fieldCount: content.names.count, targets: targets,
                            fields: logical, converters: converters, nullPadding: options.nullPadding)
    }

    private func parquetChunk(_ file: ParquetFile, rowGroup g: Int, name: String, logical: [Field]) throws(IngestError) -> ParsedChunk {
        let batch: RecordBatch
        do {
            batch = try file.readRowGroup(g, options: ReadOptions(keepDictionaries: false), threads: 2)
        } catch {
            throw IngestError(.input, "\(name): row group \(g): \(error)")
        }
        var columns: [ColumnBuffer?] = Array(repeating: nil, count: logical.count)
        for (c, field) in batch.fields.enumerated() {
            guard let t = logical.firstIndex(where: { $0.name == field.name }) ?? logical.firstIndex(where: { $0.name.lowercased() == field.name.lowercased() }) else {
                throw IngestError(.schema, "\(name): column '\(field.name)' is not a column of the table")
            }
            do {
                columns[t] = try ColumnImport.buffer(batch.columns[c], as: logical[t].type)
            } catch {
                throw IngestError(.schema, "\(name): row group \(g), row \(error.row + 1), column '\(field.name)' (\(field.type)): \(error.reason)")
            }
        }
        let filled = columns.enumerated().map { t, c -> ColumnBuffer in
            if let c { return c }
            let empty = ColumnBuffer(type: logical[t].type)
            for _ in 0..<batch.rowCount { empty.appendNull() }
            return empty
        }
        return ParsedChunk(columns: filled, rows: batch.rowCount, lines: 0, rejected: [])
    }

    // MARK: helpers

    static func randomHex() -> String {
        var g = SystemRandomNumberGenerator()
        let hex = Array("0123456789abcdef")
        return String((0..<16).map { _ in hex[Int(g.next() % 16)] })
    }

    static func timestamp() -> String {
        var t = time(nil)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))T\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z"
    }
}
