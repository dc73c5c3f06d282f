import Columnar
import Dispatch

/// Writes `RecordBatch`es as a Parquet file:
///   "PAR1" <row groups: column chunks [dictionary page] data pages...>
///          <bloom filters after each row group's chunks>
///          <column indexes> <offset indexes> <FileMetaData> <u32 LE footer length> "PAR1"
/// Rows are buffered (as references to the batches' columns) until a row group
/// is full (`rowGroupRows`); then every leaf column is shredded into levels and
/// values and encoded into pages, the leaves in parallel, and the chunks are
/// written in schema order.
public final class ParquetWriter {
    public let fields: [Field]
    public let options: WriterOptions
    private let sink: any ParquetSink
    private let schema: SchemaMapping
    private var position = 0
    /// Buffered rows per top-level column.
    private var pending: [[ColumnSegment]]
    private var pendingRows = 0
    private var rowGroups: [RowGroup] = []
    /// Per row group, per leaf: the page index to write at close.
    private var pageIndexes: [[(column: ColumnIndex?, offset: OffsetIndex)]] = []
    private var totalRows = 0
    private var closed = false

    /// Creates (or truncates) the file at `path`.
    public convenience init(path: String, fields: [Field], options: WriterOptions = WriterOptions()) throws(ParquetError) {
        let schema = try Self.validate(fields: fields, options: options)  // before the file is created
        try self.init(sink: FileSink(path: path), fields: fields, options: options, schema: schema)
    }

    /// Writes to `sink` (e.g. a `MemorySink`).
    public convenience init(sink: any ParquetSink, fields: [Field], options: WriterOptions = WriterOptions()) throws(ParquetError) {
        try self.init(sink: sink, fields: fields, options: options, schema: Self.validate(fields: fields, options: options))
    }

    private static func validate(fields: [Field], options: WriterOptions) throws(ParquetError) -> SchemaMapping {
        guard options.dataPageVersion == 1 || options.dataPageVersion == 2 else {
            throw ParquetError.unsupported("data page version \(options.dataPageVersion) (1 or 2)")
        }
        _ = try ChunkEncoder.codec(options.codec)
        return try SchemaMapping(fields: fields, int96Columns: options.int96Columns)
    }

    private init(sink: any ParquetSink, fields: [Field], options: WriterOptions, schema: SchemaMapping) throws(ParquetError) {
        self.fields = fields
        self.options = options
        self.sink = sink
        self.schema = schema
        pending = Array(repeating: [], count: fields.count)
        try emit(Self.magic)
    }

    static let magic: [UInt8] = Array("PAR1".utf8)

    /// The dotted Parquet paths of the leaf columns (what `bloomFilterColumns` names).
    public var leafPaths: [String] { schema.leaves.map(\.dottedPath) }

    /// Buffers the batch's rows; writes a row group each time `rowGroupRows` rows are buffered.
    public func write(_ batch: RecordBatch) throws(ParquetError) {
        guard !closed else { throw ParquetError(.io, "write after close") }
        guard batch.columns.count == fields.count else {
            throw ParquetError.unsupported("batch has \(batch.columns.count) columns, the writer's schema \(fields.count)")
        }
        for (i, column) in batch.columns.enumerated() where column.count < batch.rowCount {
            throw ParquetError.corrupt("column '\(fields[i].name)' has \(column.count) values, the batch \(batch.rowCount) rows")
        }
        let groupRows = max(1, options.rowGroupRows)
        var start = 0
        while start < batch.rowCount {
            let take = min(batch.rowCount - start, groupRows - pendingRows)
            for (i, column) in batch.columns.enumerated() {
                pending[i].append(ColumnSegment(column: column, rows: start..<(start + take)))
            }
            pendingRows += take
            start += take
            if pendingRows >= groupRows { try flushRowGroup() }
        }
    }

    /// Writes the buffered rows as a row group now (nothing when none are buffered).
    public func flushRowGroup() throws(ParquetError) {
        guard pendingRows > 0 else { return }
        let chunks = try encodeChunks(pending)
        let rows = pendingRows
        pending = Array(repeating: [], count: fields.count)
        pendingRows = 0
        try writeRowGroup(chunks, rows: rows)
    }

    /// Flushes, writes the page indexes and the footer, closes the sink. Returns the footer.
    public func close() throws(ParquetError) -> FileMetaData {
        guard !closed else { throw ParquetError(.io, "writer already closed") }
        try flushRowGroup()
        closed = true
        if options.writePageIndex { try writePageIndexes() }
        let metadata = FileMetaData(
            version: 2, schema: schema.elements, numRows: Int64(totalRows), rowGroups: rowGroups,
            keyValueMetadata: options.keyValueMetadata.isEmpty
                ? nil : options.keyValueMetadata.sorted { $0.key < $1.key }.map { KeyValue(key: $0.key, value: $0.value) },
            createdBy: options.createdBy,
            columnOrders: Array(repeating: ColumnOrder.typeDefinedOrder, count: schema.leaves.count))
        var w = ThriftCompactWriter()
        metadata.write(to: &w)
        let footer = w.bytes
        try emit(footer)
        let length = UInt32(truncatingIfNeeded: footer.count)
        try emit([UInt8(truncatingIfNeeded: length), UInt8(truncatingIfNeeded: length >> 8),
                  UInt8(truncatingIfNeeded: length >> 16), UInt8(truncatingIfNeeded: length >> 24)] + Self.magic)
        try sink.close()
        return metadata
    }

    // MARK: row groups

    private func emit(_ bytes: [UInt8]) throws(ParquetError) {
        try sink.write(bytes)
        position += bytes.count
    }

    /// Shreds and encodes every leaf of the buffered rows, two or more leaves at once.
    private func encodeChunks(_ segments: [[ColumnSegment]]) throws(ParquetError) -> [EncodedChunk] {
        let leaves = schema.leaves
        let options = self.options
        let slots = ResultSlots(count: leaves.count)
        let work: @Sendable (Int) -> Void = { i in
            let leaf = leaves[i]
            do throws(ParquetError) {
                let data = try LevelShredder.shred(leaf, segments: segments[leaf.topLevel], keepDictionaryIndices: options.dictionary)
                let chunk = try ChunkEncoder(leaf: leaf, options: options).encode(data)
                slots.set(i, .success(chunk))
            } catch {
                slots.set(i, .failure(error))
            }
        }
        if leaves.count > 1 {
            DispatchQueue.concurrentPerform(iterations: leaves.count, execute: work)
        } else {
            for i in leaves.indices { work(i) }
        }
        var chunks: [EncodedChunk] = []
        chunks.reserveCapacity(leaves.count)
        for i in leaves.indices {
            switch slots.take(i) {
            case let .success(chunk)?: chunks.append(chunk)
            case let .failure(error)?: throw error
            case nil: throw ParquetError.corrupt("internal: column '\(leaves[i].dottedPath)' was not encoded")
            }
        }
        return chunks
    }

    private func writeRowGroup(_ chunks: [EncodedChunk], rows: Int) throws(ParquetError) {
        let groupStart = position
        var columns: [ColumnChunk] = []
        var indexes: [(column: ColumnIndex?, offset: OffsetIndex)] = []
        var totalByteSize = 0, totalCompressed = 0
        var filters: [(chunk: Int, filter: SplitBlockBloomFilter)] = []
        for (c, chunk) in chunks.enumerated() {
            let start = position
            if !chunk.dictionaryPage.isEmpty { try emit(chunk.dictionaryPage) }
            let dataStart = position
            try emit(chunk.dataPages)
            let stats = chunk.statistics.thrift(kind: chunk.leaf.kind)
            let meta = ColumnMetaData(
                type: chunk.leaf.physicalType, encodings: chunk.encodings, pathInSchema: chunk.leaf.path, codec: options.codec,
                numValues: Int64(chunk.numValues), totalUncompressedSize: Int64(chunk.totalUncompressedSize),
                totalCompressedSize: Int64(chunk.totalCompressedSize), keyValueMetadata: nil, dataPageOffset: Int64(dataStart),
                indexPageOffset: nil, dictionaryPageOffset: chunk.dictionaryPage.isEmpty ? nil : Int64(start), statistics: stats,
                encodingStats: ChunkEncoder.encodingStats(chunk), bloomFilterOffset: nil, bloomFilterLength: nil)
            columns.append(ColumnChunk(filePath: nil, fileOffset: Int64(start), metaData: meta))
            totalByteSize += chunk.totalUncompressedSize
            totalCompressed += chunk.totalCompressedSize
            if options.writePageIndex {
                indexes.append((PageIndexBuilder.columnIndex(chunk), PageIndexBuilder.offsetIndex(chunk, dataPagesOffset: dataStart)))
            }
            if let filter = chunk.bloomFilter { filters.append((c, filter)) }
        }
        // Bloom filters follow the row group's column chunks.
        for (c, filter) in filters {
            let header = BloomFilterHeader(numBytes: Int32(filter.numBytes))
            var w = ThriftCompactWriter()
            header.write(to: &w)
            let offset = position
            try emit(w.bytes)
            try emit(filter.bytes)
            columns[c].metaData?.bloomFilterOffset = Int64(offset)
            columns[c].metaData?.bloomFilterLength = Int32(position - offset)
        }
        rowGroups.append(RowGroup(columns: columns, totalByteSize: Int64(totalByteSize), numRows: Int64(rows), sortingColumns: nil,
                                  fileOffset: Int64(groupStart), totalCompressedSize: Int64(totalCompressed),
                                  ordinal: Int16(truncatingIfNeeded: rowGroups.count)))
        pageIndexes.append(indexes)
        totalRows += rows
    }

    /// All column indexes, then all offset indexes (as parquet-mr and Arrow lay them out).
    private func writePageIndexes() throws(ParquetError) {
        for (g, indexes) in pageIndexes.enumerated() {
            for (c, index) in indexes.enumerated() {
                guard let columnIndex = index.column else { continue }
                var w = ThriftCompactWriter()
                columnIndex.write(to: &w)
                rowGroups[g].columns[c].columnIndexOffset = Int64(position)
                rowGroups[g].columns[c].columnIndexLength = Int32(w.bytes.count)
                try emit(w.bytes)
            }
        }
        for (g, indexes) in pageIndexes.enumerated() {
            for (c, index) in indexes.enumerated() {
                var w = ThriftCompactWriter()
                index.offset.write(to: &w)
                rowGroups[g].columns[c].offsetIndexOffset = Int64(position)
                rowGroups[g].columns[c].offsetIndexLength = Int32(w.bytes.count)
                try emit(w.bytes)
            }
        }
    }
}

/// Results of the parallel chunk encoders, one slot per leaf (each written by one thread).
private final class ResultSlots: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Result<EncodedChunk, ParquetError>?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: max(1, count))
        slots.initialize(repeating: nil, count: max(1, count))
    }

    deinit {
        slots.deinitialize(count: max(1, count))
        slots.deallocate()
    }

    func set(_ i: Int, _ result: Result<EncodedChunk, ParquetError>) { slots[i] = result }

    func take(_ i: Int) -> Result<EncodedChunk, ParquetError>? {
        let r = slots[i]
        slots[i] = nil
        return r
    }
}

extension ChunkEncoder {
    static func encodingStats(_ chunk: EncodedChunk) -> [PageEncodingStats] {
        var out: [PageEncodingStats] = []
        if !chunk.dictionaryPage.isEmpty { out.append(PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1)) }
        for (encoding, count) in chunk.dataPageEncodings {
            out.append(PageEncodingStats(pageType: chunk.dataPageType, encoding: encoding, count: Int32(count)))
        }
        return out
    }
}
