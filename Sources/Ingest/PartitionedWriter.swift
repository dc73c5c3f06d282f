#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar
import Foundation
import Parquet

/// A Parquet file the ingest wrote, relative to the staging directory.
struct WrittenFile: Sendable {
    var path: String
    var partition: String
    var rows: Int
    var bytes: Int
}

/// Writes rows into one Parquet file series per partition, with bounded memory:
/// each partition buffers rows until a row group is full, then writes it; when
/// all partitions together buffer more than the memory limit, the largest is
/// written out early (a smaller row group). With `--sort-by` whole files are
/// sorted instead: buffers are spilled as sorted runs and merged at the end
/// (SortedRuns.swift).
/// A partition's file is closed once it passes the target file size (a new
/// one starts), and when too many files are open the least recently used
/// one is closed.
///
/// Row groups are encoded and written on a writer thread (`WriterThread`), in
/// order, while the caller goes on parsing and partitioning: the buffers the
/// caller fills and the batches in flight together stay within the memory
/// limit (the caller waits for the writer when they would not). The files'
/// state (`writer`, `sink`, `file`, `lastUse`, `written`, `rowsWritten`) is the
/// writer thread's; the buffers' (`columns`, `rows`, `bytes`, `lastChunk`) the caller's.
final class PartitionedWriter {
    struct Layout {
        var writerOptions: WriterOptions
        var rowGroupRows: Int
        var targetFileBytes: Int
        var memoryLimitBytes: Int
        var maxOpenFiles: Int
        /// Indices into the file columns.
        var sortKeys: [Int]
    }

    final class Partition {
        let path: String
        /// Sorted runs spilled to the staging directory (`--sort-by`, see SortedRuns.swift).
        var runs: [String] = []
        var columns: [ColumnBuffer]
        var rows = 0
        var bytes = 0
        var writer: ParquetWriter?
        var sink: CountingSink?
        var file: WrittenFile?
        var lastUse = 0
        /// The chunk that last added rows (idle partitions are written out early).
        var lastChunk = 0
        init(path: String, columns: [ColumnBuffer]) {
            self.path = path
            self.columns = columns
        }
    }

    let stagingDirectory: String
    let fileFields: [Field]
    /// For each file column, the table column it comes from.
    let fileColumns: [Int]
    let layout: Layout
    let runID: String
    var partitions: [Partition?] = []
    let thread = WriterThread()
    /// Partitions with an open file (the writer thread's).
    private var openPartitions: [Partition] = []
    var bufferedBytes = 0
    /// Sorted run files created so far (`--sort-by`; numbers their names).
    var runFiles = 0
    private var openFiles = 0
    private var tick = 0
    private var fileCounter = 0
    private var chunkCounter = 0
    /// Chunks without new rows after which a partition's buffer is written out:
    /// time-ordered inputs move on from a month and never come back, so holding
    /// its rows only costs memory.
    static let idleChunks = 8
    private(set) var written: [WrittenFile] = []
    private(set) var rowsWritten = 0

    init(stagingDirectory: String, fileFields: [Field], fileColumns: [Int], layout: Layout, runID: String) {
        self.stagingDirectory = stagingDirectory
        self.fileFields = fileFields
        self.fileColumns = fileColumns
        self.layout = layout
        self.runID = runID
    }

    /// Partition directories that received rows (after `finish()`).
    var partitionPaths: Set<String> { Set(written.map(\.partition)) }

    /// Stops the writer thread after the row group it is writing (queued ones
    /// are dropped) and waits for it: after a failure or an interrupt, before
    /// the staging directory is removed. Nothing happens after `finish()`.
    func abandon() { thread.abandon() }

    /// Adds a chunk's rows; `partitionOfRow` from the assigner (nil: all in partition 0), `paths` its directories.
    func append(_ chunk: ParsedChunk, partitionOfRow: [Int32]?, paths: [String]) throws(IngestError) {
        try thread.check()
        guard chunk.rows > 0 else { return }
        chunkCounter += 1
        let source = fileColumns.map { chunk.columns[$0] }
        guard let partitionOfRow else {
            try add(source, rows: nil, count: chunk.rows, to: 0, path: paths.first ?? "")
            return try relieveMemory()
        }
        // Group row indices by partition (one pass, then one gather per partition).
        let first = partitionOfRow[0]
        var single = true
        for p in partitionOfRow where p != first { single = false; break }
        if single {
            try add(source, rows: nil, count: chunk.rows, to: Int(first), path: paths[Int(first)])
        } else {
            var groups: [Int32: [Int32]] = [:]
            var orderSeen: [Int32] = []
            for (r, p) in partitionOfRow.enumerated() {
                if groups[p] == nil { orderSeen.append(p); groups[p] = [] }
                groups[p]!.append(Int32(r))
            }
            for p in orderSeen {
                try add(source, rows: groups[p]!, count: groups[p]!.count, to: Int(p), path: paths[Int(p)])
            }
        }
        try relieveMemory()
    }

    private func add(_ source: [ColumnBuffer], rows: [Int32]?, count: Int, to p: Int, path: String) throws(IngestError) {
        while partitions.count <= p { partitions.append(nil) }
        let partition: Partition
        if let existing = partitions[p] {
            partition = existing
        } else {
            partition = Partition(path: path, columns: fileFields.map { ColumnBuffer(type: $0.type) })
            partitions[p] = partition
        }
        var offset = 0
        while offset < count {
            // Fill up to one row group at a time.
            // Sorting (`--sort-by`) buffers a whole partition: it is sorted when spilled or finished.
            let take = layout.sortKeys.isEmpty ? min(count - offset, layout.rowGroupRows - partition.rows) : count - offset
            if let rows {
                rows.withUnsafeBufferPointer { all in
                    let slice = UnsafeBufferPointer(rebasing: all[offset..<(offset + take)])
                    for (c, s) in zip(partition.columns, source) { c.append(from: s, rows: slice) }
                }
            } else if offset == 0 && take == count {
                for (c, s) in zip(partition.columns, source) { c.appendAll(from: s) }
            } else {
                let range = (offset..<(offset + take)).map { Int32($0) }
                range.withUnsafeBufferPointer { slice in
                    for (c, s) in zip(partition.columns, source) { c.append(from: s, rows: slice) }
                }
            }
            partition.rows += take
            partition.lastChunk = chunkCounter
            offset += take
            bufferedBytes -= partition.bytes
            partition.bytes = partition.columns.reduce(0) { $0 + $1.byteSize }
            bufferedBytes += partition.bytes
            if partition.rows >= layout.rowGroupRows && layout.sortKeys.isEmpty { try flush(partition) }
        }
    }

    /// Writes out idle partitions' buffers, then the largest buffers while all
    /// of them hold more than the limit.
    private func relieveMemory() throws(IngestError) {
        if chunkCounter % Self.idleChunks == 0 && layout.sortKeys.isEmpty {
            for case let partition? in partitions where partition.rows > 0 && chunkCounter - partition.lastChunk >= Self.idleChunks {
                try flush(partition)
            }
        }
        // Batches the writer thread has not finished count too: wait for it first.
        while bufferedBytes + thread.pendingBytes > layout.memoryLimitBytes && thread.waitForOne() {}
        try thread.check()
        while bufferedBytes > layout.memoryLimitBytes {
            guard let largest = partitions.compactMap({ $0 }).max(by: { $0.bytes < $1.bytes }), largest.rows > 0 else { return }
            if layout.sortKeys.isEmpty { try flush(largest) } else { try spill(largest) }
        }
    }

    /// Writes the partition's buffered rows as one row group.
    private func flush(_ partition: Partition) throws(IngestError) {
        guard partition.rows > 0 else { return }
        let columns = partition.columns  // unsorted: `--sort-by` spills runs instead (SortedRuns.swift)
        let batchBytes = partition.bytes
        let rows = partition.rows
        partition.columns = fileFields.map { ColumnBuffer(type: $0.type) }
        partition.rows = 0
        bufferedBytes -= partition.bytes
        partition.bytes = 0
        submitRowGroup(partition, columns: columns, rows: rows, bytes: batchBytes)
    }

    /// Hands `rows` rows in `columns` to the writer thread as one row group of the partition's file.
    func submitRowGroup(_ partition: Partition, columns: [ColumnBuffer], rows: Int, bytes batchBytes: Int) {
        let batch = RecordBatch(fields: fileFields, columns: columns.map { $0.finish() }, rowCount: rows)
        // Encoding and writing on the writer thread; at most two batches wait for it.
        thread.submit(bytes: batchBytes) { () throws(IngestError) in
            let writer = try self.openWriter(partition)
            do {
                try writer.write(batch)
                try writer.flushRowGroup()
            } catch {
                throw IngestError(.output, "writing \(self.stagingDirectory)/\(partition.file?.path ?? ""): \(error)")
            }
            partition.file!.rows += rows
            self.rowsWritten += rows
            self.tick += 1
            partition.lastUse = self.tick
            if partition.sink!.bytes >= self.layout.targetFileBytes { try self.close(partition) }
        }
    }

    private func openWriter(_ partition: Partition) throws(IngestError) -> ParquetWriter {
        if let writer = partition.writer { return writer }
        if openFiles >= layout.maxOpenFiles,
           let lru = openPartitions.min(by: { $0.lastUse < $1.lastUse }) {
            try close(lru)
        }
        let directory = partition.path.isEmpty ? stagingDirectory : stagingDirectory + "/" + partition.path
        try makeDirectories(directory)
        let name = "part-\(runID)-\(Self.fiveDigits(fileCounter)).parquet"
        fileCounter += 1
        let relative = partition.path.isEmpty ? name : partition.path + "/" + name
        do {
            let sink = CountingSink(try FileSink(path: directory + "/" + name, bufferSize: partitionFileBufferSize))
            let writer = try ParquetWriter(sink: sink, fields: fileFields, options: layout.writerOptions)
            partition.writer = writer
            partition.sink = sink
            partition.file = WrittenFile(path: relative, partition: partition.path, rows: 0, bytes: 0)
            openFiles += 1
            openPartitions.append(partition)
            return writer
        } catch {
            throw IngestError(.output, "cannot create \(directory)/\(name): \(error)")
        }
    }

    func close(_ partition: Partition) throws(IngestError) {
        guard let writer = partition.writer else { return }
        do {
            _ = try writer.close()
        } catch {
            throw IngestError(.output, "closing \(stagingDirectory)/\(partition.file?.path ?? ""): \(error)")
        }
        partition.file!.bytes = partition.sink!.bytes
        written.append(partition.file!)
        partition.writer = nil
        partition.sink = nil
        partition.file = nil
        openFiles -= 1
        openPartitions.removeAll { $0 === partition }
    }

    /// Writes every buffer and closes every file.
    func finish() throws(IngestError) {
        if !layout.sortKeys.isEmpty { return try finishSorted() }
        for case let partition? in partitions {
            try flush(partition)
            thread.submit(bytes: 0) { () throws(IngestError) in try self.close(partition) }
        }
        partitions = []
        thread.waitForAll()
        try thread.check()
    }

    /// `mkdir -p` of an absolute path.
    func makeDirectories(_ path: String) throws(IngestError) {
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw IngestError(.output, "cannot create directory \(prefix): \(String(cString: strerror(errno)))")
            }
        }
    }

    static func fiveDigits(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 5 - s.count)) + s
    }
}

/// A serial worker for `PartitionedWriter`: runs jobs in submission order on
/// one thread, keeps the first error (later jobs are then skipped), and lets
/// the submitter wait for jobs in flight (at most `depth` queued or running).
final class WriterThread: @unchecked Sendable {
    private let queue = DispatchQueue(label: "basalt.ingest.writer")
    private let condition = NSCondition()
    private var pending = 0
    private var bytesInFlight = 0
    private var failure: IngestError?
    private var abandoned = false
    private let depth = 2

    /// Bytes of the batches queued or being written.
    var pendingBytes: Int {
        condition.lock()
        defer { condition.unlock() }
        return bytesInFlight
    }

    func submit(bytes: Int, _ job: @escaping () throws(IngestError) -> Void) {
        condition.lock()
        while pending >= depth { condition.wait() }
        pending += 1
        bytesInFlight += bytes
        condition.unlock()
        let job = Job(run: job)  // handed to the writer thread; the caller no longer touches what it captures
        queue.async { [self] in
            condition.lock()
            let skip = failure != nil || abandoned
            condition.unlock()
            var error: IngestError?
            if !skip {
                do throws(IngestError) { try job.run() } catch let e { error = e }
            }
            condition.lock()
            if let error, failure == nil { failure = error }
            pending -= 1
            bytesInFlight -= bytes
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Waits until one job in flight finishes; false when none is in flight.
    func waitForOne() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard pending > 0 else { return false }
        let before = pending
        while pending >= before { condition.wait() }
        return true
    }

    func waitForAll() {
        condition.lock()
        while pending > 0 { condition.wait() }
        condition.unlock()
    }

    /// Throws the first error a job threw.
    func check() throws(IngestError) {
        condition.lock()
        let failure = self.failure
        condition.unlock()
        if let failure { throw failure }
    }

    private struct Job: @unchecked Sendable { let run: () throws(IngestError) -> Void }

    func abandon() {
        condition.lock()
        abandoned = true
        condition.unlock()
        waitForAll()
    }
}

/// Bytes gathered per file before each write(2): many partitions' files are open at
/// once and the writer hands over whole column chunks, so a large buffer per file would
/// only cost memory.
let partitionFileBufferSize = 64 << 10

/// Counts the bytes written through a sink (file sizes for the target file size).
final class CountingSink: ParquetSink {
    private let inner: any ParquetSink
    private(set) var bytes = 0

    init(_ inner: any ParquetSink) { self.inner = inner }

    func write(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        try inner.write(bytes)
        self.bytes += bytes.count
    }

    func close() throws(ParquetError) { try inner.close() }
}
