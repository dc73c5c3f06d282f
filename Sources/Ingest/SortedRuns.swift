#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar
import Parquet

/// `--sort-by`: a sort order within whole files, with bounded memory (an
/// external merge sort per partition).
///
/// While ingesting, a partition buffers its rows unsorted (no row group is
/// written early); when the buffers exceed the memory limit the largest one
/// is sorted and spilled as a sorted run, a temporary Parquet file under
/// `_sort-runs/` in the staging directory (removed with it on failure).
/// At `finish()` a partition that never spilled is sorted once in memory and
/// written; one that did spills its remainder too, and its runs are k-way
/// merged (a row group of each run in memory at a time; more than `fanIn`
/// runs are first merged into longer runs) into the final files. Every file
/// is then sorted across all its row groups: ascending, NULLs last, stable.
extension PartitionedWriter {
    /// Most runs merged at once (each holds one decoded row group).
    static let fanIn = 16

    var runsDirectory: String { stagingDirectory + "/_sort-runs" }

    /// Sorts the partition's buffered rows and writes them as a new run.
    func spill(_ partition: Partition) throws(IngestError) {
        guard partition.rows > 0 else { return }
        let order = RowSorter.permutation(partition.columns, keys: layout.sortKeys, rows: partition.rows)
        let bytesPerRow = max(1, partition.bytes / partition.rows)
        let groupRows = max(256, min(layout.rowGroupRows, layout.memoryLimitBytes / (4 * Self.fanIn) / bytesPerRow))
        let run = try RunFile(directory: runsDirectory, number: runFiles, fields: fileFields, owner: self)
        runFiles += 1
        var start = 0
        while start < partition.rows {
            let end = min(partition.rows, start + groupRows)
            let columns = partition.columns.map { c in
                let out = c.emptyCopy()
                order[start..<end].withUnsafeBufferPointer { out.append(from: c, rows: $0) }
                return out
            }
            try run.write(columns, rows: end - start)
            start = end
        }
        try run.close()
        partition.runs.append(run.path)
        partition.columns = fileFields.map { ColumnBuffer(type: $0.type) }
        partition.rows = 0
        bufferedBytes -= partition.bytes
        partition.bytes = 0
    }

    /// `finish()` with `--sort-by`.
    func finishSorted() throws(IngestError) {
        let all = partitions.compactMap { $0 }
        // Partitions that spilled: spill the rest too (frees memory for the merges).
        for partition in all where !partition.runs.isEmpty { try spill(partition) }
        // Partitions that fit in memory: sort once, write row group by row group.
        for partition in all where partition.runs.isEmpty && partition.rows > 0 {
            let order = RowSorter.permutation(partition.columns, keys: layout.sortKeys, rows: partition.rows)
            var start = 0
            while start < partition.rows {
                let end = min(partition.rows, start + layout.rowGroupRows)
                let columns = partition.columns.map { c in
                    let out = c.emptyCopy()
                    order[start..<end].withUnsafeBufferPointer { out.append(from: c, rows: $0) }
                    return out
                }
                try submitBounded(partition, columns: columns, rows: end - start, limit: layout.memoryLimitBytes)
                start = end
            }
            partition.columns = []
            partition.rows = 0
            bufferedBytes -= partition.bytes
            partition.bytes = 0
            thread.submit(bytes: 0) { () throws(IngestError) in try self.close(partition) }
        }
        // Partitions that spilled: merge their runs into the final files.
        for partition in all where !partition.runs.isEmpty {
            var runs = partition.runs
            while runs.count > Self.fanIn {
                // Merge the first runs into one (still before the later ones: stable).
                let run = try RunFile(directory: runsDirectory, number: runFiles, fields: fileFields, owner: self)
                runFiles += 1
                let first = Array(runs.prefix(Self.fanIn))
                try RunMerger.merge(first, fields: fileFields, keys: layout.sortKeys, maxRows: layout.rowGroupRows,
                                    budgetBytes: layout.memoryLimitBytes / 4) { (columns, rows) throws(IngestError) in
                    try run.write(columns, rows: rows)
                }
                try run.close()
                for path in first { unlink(path) }
                runs = [run.path] + runs.dropFirst(Self.fanIn)
            }
            try RunMerger.merge(runs, fields: fileFields, keys: layout.sortKeys, maxRows: layout.rowGroupRows,
                                budgetBytes: layout.memoryLimitBytes / 8) { (columns, rows) throws(IngestError) in
                try self.submitBounded(partition, columns: columns, rows: rows, limit: self.layout.memoryLimitBytes / 2)
            }
            for path in runs { unlink(path) }
            partition.runs = []
            thread.submit(bytes: 0) { () throws(IngestError) in try self.close(partition) }
        }
        partitions = []
        thread.waitForAll()
        try thread.check()
        if runFiles > 0 { rmdir(runsDirectory) }
    }

    /// Submits a row group once the batches in flight leave room for it.
    private func submitBounded(_ partition: Partition, columns: [ColumnBuffer], rows: Int, limit: Int) throws(IngestError) {
        let bytes = columns.reduce(0) { $0 + $1.byteSize }
        while bufferedBytes + thread.pendingBytes + bytes > limit && thread.waitForOne() {}
        try thread.check()
        submitRowGroup(partition, columns: columns, rows: rows, bytes: bytes)
    }
}

/// A sorted run being written: a temporary Parquet file, fast to write and read.
private final class RunFile {
    let path: String
    let writer: ParquetWriter

    init(directory: String, number: Int, fields: [Field], owner: PartitionedWriter) throws(IngestError) {
        try owner.makeDirectories(directory)
        path = directory + "/run-\(PartitionedWriter.fiveDigits(number)).parquet"
        var options = WriterOptions()
        options.codec = .snappy
        options.writePageIndex = false
        options.writePageHeaderStatistics = false
        options.rowGroupRows = Int.max
        do {
            writer = try ParquetWriter(sink: FileSink(path: path, bufferSize: partitionFileBufferSize), fields: fields, options: options)
        } catch {
            throw IngestError(.output, "cannot create sort run \(path): \(error)")
        }
    }

    func write(_ columns: [ColumnBuffer], rows: Int) throws(IngestError) {
        let batch = RecordBatch(fields: writer.fields, columns: columns.map { $0.finish() }, rowCount: rows)
        do {
            try writer.write(batch)
            try writer.flushRowGroup()
        } catch {
            throw IngestError(.output, "writing sort run \(path): \(error)")
        }
    }

    func close() throws(IngestError) {
        do { _ = try writer.close() } catch { throw IngestError(.output, "closing sort run \(path): \(error)") }
    }
}

/// K-way merge of sorted runs, a row group of each in memory at a time.
enum RunMerger {
    /// Reads one run row group by row group.
    private final class Cursor {
        let path: String
        let file: ParquetFile
        let fields: [Field]
        let keys: [Int]
        var group = 0
        var columns: [ColumnBuffer] = []
        var keyColumns: [ColumnBuffer] = []
        var row = 0
        var rows = 0

        init(path: String, fields: [Field], keys: [Int]) throws(IngestError) {
            self.path = path
            self.fields = fields
            self.keys = keys
            do { file = try ParquetFile(path: path) } catch { throw IngestError(.output, "cannot open sort run \(path): \(error)") }
            try load()
        }

        /// Loads the next non-empty row group (rows == 0: the run is done).
        func load() throws(IngestError) {
            columns = []
            keyColumns = []
            row = 0
            rows = 0
            while group < file.rowGroupCount {
                let batch: RecordBatch
                do {
                    batch = try file.readRowGroup(group, options: ReadOptions(keepDictionaries: false))
                } catch {
                    throw IngestError(.output, "reading sort run \(path): \(error)")
                }
                group += 1
                guard batch.rowCount > 0 else { continue }
                do {
                    columns = try zip(batch.columns, fields).map { (column, field) throws(ColumnImport.Failure) in
                        try ColumnImport.buffer(column, as: field.type)
                    }
                } catch {
                    throw IngestError(.output, "reading sort run \(path): row \(error.row + 1): \(error.reason)")
                }
                keyColumns = keys.map { columns[$0] }
                rows = batch.rowCount
                return
            }
        }

        var bytesPerRow: Int { rows == 0 ? 0 : columns.reduce(0) { $0 + $1.byteSize } / rows }
    }

    /// Merges `runs` (in order: on equal keys an earlier run's rows come first)
    /// and hands the rows to `emit` in batches of at most `maxRows` rows and
    /// about `budgetBytes` bytes.
    static func merge(_ runs: [String], fields: [Field], keys: [Int], maxRows: Int, budgetBytes: Int,
                      emit: ([ColumnBuffer], Int) throws(IngestError) -> Void) throws(IngestError) {
        var cursors: [Cursor] = []
        for path in runs {
            let cursor = try Cursor(path: path, fields: fields, keys: keys)
            if cursor.rows > 0 { cursors.append(cursor) }
        }
        let bytesPerRow = max(1, cursors.map(\.bytesPerRow).max() ?? 1)
        let batchRows = max(256, min(maxRows, budgetBytes / bytesPerRow))
        var out = fields.map { ColumnBuffer(type: $0.type) }
        var outRows = 0
        while !cursors.isEmpty {
            // The smallest current row (ties: the earlier run), and the runner-up.
            var best = 0
            for i in 1..<cursors.count where less(cursors[i], cursors[best]) { best = i }
            var second = -1
            for i in cursors.indices where i != best && (second < 0 || less(cursors[i], cursors[second])) { second = i }
            let c = cursors[best]
            let start = c.row
            let limit = min(c.rows, start + (batchRows - outRows))
            var end = start + 1
            if second >= 0 {
                // Take the best run's rows while they stay before the runner-up's current row.
                let o = cursors[second]
                while end < limit {
                    let r = RowSorter.compare(c.keyColumns, end, o.keyColumns, o.row)
                    if r < 0 || (r == 0 && best < second) { end += 1 } else { break }
                }
            } else {
                end = limit
            }
            for (o, s) in zip(out, c.columns) { o.appendRange(from: s, start..<end) }
            outRows += end - start
            c.row = end
            if c.row >= c.rows {
                try c.load()
                if c.rows == 0 { cursors.remove(at: best) }
            }
            if outRows >= batchRows {
                try emit(out, outRows)
                out = fields.map { ColumnBuffer(type: $0.type) }
                outRows = 0
            }
        }
        if outRows > 0 { try emit(out, outRows) }
    }

    @inline(__always)
    private static func less(_ a: Cursor, _ b: Cursor) -> Bool {
        RowSorter.compare(a.keyColumns, a.row, b.keyColumns, b.row) < 0
    }
}

extension ColumnBuffer {
    /// Appends the rows `range` of `other` (same type). For the merge's many
    /// short ranges: the arrays grow geometrically (`append(from:rows:)`
    /// reserves exactly what each call needs).
    func appendRange(from other: ColumnBuffer, _ range: Range<Int>) {
        guard !range.isEmpty else { return }
        let start = count
        switch physical {
        case .boolean: u8.append(contentsOf: other.u8[range])
        case .i32: i32.append(contentsOf: other.i32[range])
        case .i64: i64.append(contentsOf: other.i64[range])
        case .f64: f64.append(contentsOf: other.f64[range])
        case .i128: i128.append(contentsOf: other.i128[range])
        case .bytes:
            let a = other.offsets[range.lowerBound], b = other.offsets[range.upperBound]
            let base = data.count - a
            data.append(contentsOf: other.data[a..<b])
            for r in range { offsets.append(base + other.offsets[r + 1]) }
        case let .fixed(w): data.append(contentsOf: other.data[(range.lowerBound * w)..<(range.upperBound * w)])
        case .list:
            let a = other.offsets[range.lowerBound], b = other.offsets[range.upperBound]
            let base = offsets[offsets.count - 1] - a
            for r in range { offsets.append(base + other.offsets[r + 1]) }
            children[0].appendRange(from: other.children[0], a..<b)
        case .structure:
            for (mine, theirs) in zip(children, other.children) { mine.appendRange(from: theirs, range) }
        }
        count = start + range.count
        if !other.valid.isEmpty || !valid.isEmpty {
            if valid.isEmpty { valid = [UInt8](repeating: 1, count: start) }
            if other.valid.isEmpty { valid.append(contentsOf: repeatElement(1, count: range.count)) } else { valid.append(contentsOf: other.valid[range]) }
        }
    }
}
