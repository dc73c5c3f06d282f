import Columnar
import Dispatch
import Synchronization

/// An open Parquet file: its footer decoded, its schema as a tree.
///
/// File layout (parquet-format README):
///   "PAR1" <column chunks: pages> <FileMetaData (Thrift compact)> <u32 LE footer length> "PAR1"
/// An encrypted footer ends in "PARE" instead.
public struct ParquetFile: Sendable {
    public let source: any ByteSource
    public let metadata: FileMetaData
    public let schema: ParquetSchema
    /// Where the footer starts: column chunks must end before it.
    public let footerOffset: Int
    let shapes: [ColumnShape]

    public init(path: String) throws(ParquetError) {
        try self.init(source: LocalFile(path: path))
    }

    public init(source: any ByteSource) throws(ParquetError) {
        self.source = source
        let size = source.size
        guard size >= 12 else { throw ParquetError.corrupt("file is \(size) bytes, too small for Parquet (at least 12)") }
        let tail = try source.read(offset: size - 8, length: 8)
        let magic = Array(tail[4..<8])
        if magic == Array("PARE".utf8) {
            throw ParquetError(.encrypted, "the footer is encrypted (Parquet Modular Encryption) and no keys were given")
        }
        guard magic == Array("PAR1".utf8) else {
            throw ParquetError.corrupt("file does not end in the Parquet magic \"PAR1\"")
        }
        let head = try source.read(offset: 0, length: 4)
        guard head == Array("PAR1".utf8) else { throw ParquetError.corrupt("file does not start with the Parquet magic \"PAR1\"") }
        let footerLength = Int(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
        guard footerLength > 0, footerLength <= size - 12 else {
            throw ParquetError.corrupt("footer length \(footerLength) does not fit in a file of \(size) bytes")
        }
        footerOffset = size - 8 - footerLength
        let footer = try source.read(offset: footerOffset, length: footerLength)
        do throws(ParquetError) {
            metadata = try footer.withParquetBytes { (raw) throws(ParquetError) in try FileMetaData.decode(raw) }
        } catch {
            throw error.context("footer at byte \(footerOffset)")
        }
        if metadata.hasEncryptionAlgorithm {
            throw ParquetError(.encrypted, "columns are encrypted (plaintext footer with an encryption algorithm) and no keys were given")
        }
        schema = try ParquetSchema(elements: metadata.schema)
        var shapes: [ColumnShape] = []
        for column in schema.columns {
            shapes.append(try ColumnShape.of(column, parentDefinedAt: 0))
        }
        self.shapes = shapes
        for (g, rowGroup) in metadata.rowGroups.enumerated() {
            guard rowGroup.columns.count == schema.leaves.count else {
                throw ParquetError.corrupt("row group \(g) has \(rowGroup.columns.count) column chunks, the schema has \(schema.leaves.count) columns")
            }
            for chunk in rowGroup.columns where chunk.hasCryptoMetadata || chunk.encryptedColumnMetadata != nil {
                _ = chunk
                throw ParquetError(.encrypted, "row group \(g) has encrypted columns and no keys were given")
            }
        }
    }

    public var rowGroupCount: Int { metadata.rowGroups.count }

    /// The in-memory fields of the top-level columns.
    public func fields(options: ReadOptions = ReadOptions()) -> [Field] {
        Self.fields(schema, shapes: shapes, options: options)
    }

    static func fields(_ schema: ParquetSchema, shapes: [ColumnShape], options: ReadOptions) -> [Field] {
        zip(schema.columns, shapes).map { node, shape in
            Field(node.name, dataType(shape, schema: schema, options: options), nullable: shape.nullable)
        }
    }

    func dataType(_ shape: ColumnShape, options: ReadOptions) -> DataType {
        Self.dataType(shape, schema: schema, options: options)
    }

    static func dataType(_ shape: ColumnShape, schema: ParquetSchema, options: ReadOptions) -> DataType {
        func type(_ s: ColumnShape) -> DataType { dataType(s, schema: schema, options: options) }
        switch shape {
        case let .leaf(i, _, _):
            return schema.leaves[i].dataType(options: options)
        case let .structure(fields, _, _):
            return .structure(fields.map { Field($0.name, type($0.shape), nullable: $0.shape.nullable) })
        case let .list(element, _, _, _, _, isMap):
            if isMap, case let .structure(kv, _, _) = element, kv.count == 2 {
                return .map(key: Field(kv[0].name, type(kv[0].shape), nullable: false),
                            value: Field(kv[1].name, type(kv[1].shape), nullable: kv[1].shape.nullable))
            }
            return .list(Field("element", type(element), nullable: element.nullable))
        }
    }

    /// Index of the top-level column named `name`.
    public func columnIndex(named name: String) -> Int? {
        schema.columns.firstIndex { $0.name == name }
    }

    /// Reads the chosen top-level columns (all when nil) of one row group.
    public func readRowGroup(_ index: Int, columns: [Int]? = nil, options: ReadOptions = ReadOptions()) throws(ParquetError) -> RecordBatch {
        try readRowGroup(index, columns: columns, options: options, threads: 1)
    }

    /// Reads the chosen top-level columns (all when nil) of one row group, decoding up to
    /// `threads` columns at once (column chunks are independent): for files with few, large
    /// row groups. Same result as the single-threaded read.
    public func readRowGroup(_ index: Int, columns: [Int]? = nil, options: ReadOptions = ReadOptions(),
                             threads: Int) throws(ParquetError) -> RecordBatch {
        try readRowGroup(index, columns: columns, rows: nil, pageIndex: nil, options: options, threads: threads).batch
    }

    /// Reads the rows `rows` (all when nil) of the chosen top-level columns (all when nil)
    /// of one row group. A flat column whose chunk has an offset index in `pageIndex`
    /// decodes only the data pages holding selected rows (and its dictionary page);
    /// other columns (nested ones, whose pages may split a record, or chunks without an
    /// offset index) are decoded whole. Either way every column is trimmed to the
    /// selected rows, so the batch's columns stay row-aligned.
    public func readRowGroup(_ index: Int, columns: [Int]? = nil, rows: RowRanges?, pageIndex: RowGroupPageIndex?,
                             options: ReadOptions = ReadOptions(), threads: Int = 1) throws(ParquetError) -> RowGroupRead {
        guard index >= 0, index < metadata.rowGroups.count else {
            throw ParquetError.corrupt("row group \(index) does not exist (the file has \(metadata.rowGroups.count))")
        }
        let rowGroup = metadata.rowGroups[index]
        let selected = columns ?? Array(schema.columns.indices)
        for c in selected {
            guard c >= 0, c < shapes.count else { throw ParquetError.corrupt("column \(c) does not exist") }
        }
        // Selected rows outside the row group do not exist; selecting all is reading all.
        let groupRows = Int(Swift.max(0, rowGroup.numRows))
        let rows = rows.map { $0.intersection(.all(groupRows)) }.flatMap { $0.covers(groupRows) ? nil : $0 }
        let allFields = fields(options: options)
        var reads: [ColumnRead] = []
        let workers = Swift.min(Swift.max(1, threads), selected.count)
        if workers <= 1 {
            for c in selected { reads.append(try readColumn(c, rowGroup: index, options: options, rows: rows, pageIndex: pageIndex)) }
        } else {
            let slots = ColumnSlots(count: selected.count)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let i = slots.next() {
                    do throws(ParquetError) {
                        slots.set(i, .success(try readColumn(selected[i], rowGroup: index, options: options, rows: rows,
                                                             pageIndex: pageIndex)))
                    } catch {
                        slots.set(i, .failure(error))
                    }
                }
            }
            for r in slots.results {
                switch r {
                case let .success(read)?: reads.append(read)
                case let .failure(error)?: throw error
                case nil: throw ParquetError.corrupt("internal: a column was not read")
                }
            }
        }
        var rowCount: Int?
        for (k, read) in reads.enumerated() {
            if let rowCount, rowCount != read.column.count {
                throw ParquetError.corrupt("row group \(index): column '\(allFields[selected[k]].name)' has \(read.column.count) rows, earlier columns have \(rowCount)")
            }
            rowCount = read.column.count
        }
        let batch = RecordBatch(fields: selected.map { allFields[$0] }, columns: reads.map(\.column),
                                rowCount: rowCount ?? rows?.rowCount ?? Int(rowGroup.numRows))
        return RowGroupRead(batch: batch, pagesRead: reads.reduce(0) { $0 + $1.pagesRead },
                            pagesSkipped: reads.reduce(0) { $0 + $1.pagesSkipped })
    }

    /// One top-level column of one row group: its leaves' chunks decoded and assembled,
    /// then trimmed to `rows` when given.
    private func readColumn(_ c: Int, rowGroup index: Int, options: ReadOptions, rows: RowRanges?,
                            pageIndex: RowGroupPageIndex?) throws(ParquetError) -> ColumnRead {
        let rowGroup = metadata.rowGroups[index]
        let shape = shapes[c]
        var leafPaths: [Int: [ColumnShape]] = [:]
        NestedAssembler.paths(of: shape, into: &leafPaths)
        // A flat top-level leaf with an offset index reads only the pages holding selected rows.
        var plan: PagePlan?
        if let rows, case let .leaf(leaf, _, _) = shape, schema.leaves[leaf].maxRepetitionLevel == 0,
           let offsetIndex = pageIndex?.offsetIndexes[leaf], let pageRows = pageRows(offsetIndex, rowGroup: index),
           let meta = rowGroup.columns[leaf].metaData, meta.numValues > 0 {
            let (start, length) = try chunkRange(meta, context: "column '\(schema.leaves[leaf].dottedPath)', row group \(index)")
            plan = PagePlan(rows: rows, pageRows: pageRows, locations: offsetIndex.pageLocations, chunkStart: start, chunkLength: length)
        }
        var leafData: [Int: LeafData] = [:]
        var leafSlots: [Int: [NestedAssembler.Slots]] = [:]
        var pagesRead = 0
        for (leafIndex, path) in leafPaths {
            let flat = path.count == 1 && schema.leaves[leafIndex].maxRepetitionLevel == 0
            let data = try readChunk(rowGroup: index, leaf: leafIndex, chunk: rowGroup.columns[leafIndex], options: options,
                                     flat: flat, plan: plan)
            pagesRead += data.dataPages
            leafSlots[leafIndex] = try NestedAssembler.slots(path: path, data: data, leaf: schema.leaves[leafIndex])
            leafData[leafIndex] = data
        }
        var column = try build(shape, depth: 0, slots: leafSlots, data: leafData, options: options)
        if let rows {
            let keep = plan?.localRows ?? rows.ranges
            if !(keep.count == 1 && keep[0] == 0..<column.count) {
                guard keep.last.map({ $0.upperBound <= column.count }) ?? true else {
                    throw ParquetError.corrupt("column '\(schema.columns[c].name)', row group \(index): \(column.count) rows decoded, the selection needs rows up to \(keep.last!.upperBound)")
                }
                column = column.rows(in: keep)
            }
        }
        return ColumnRead(column: column, pagesRead: pagesRead, pagesSkipped: plan?.pagesSkipped ?? 0)
    }

    /// The raw bytes of a column chunk: from its first page (the dictionary page when
    /// there is one) for `total_compressed_size` bytes.
    func chunkRange(_ meta: ColumnMetaData, context: String) throws(ParquetError) -> (offset: Int, length: Int) {
        var start = meta.dataPageOffset
        // Offset 0 is the file's magic: writers that set it meant "no dictionary page".
        if let d = meta.dictionaryPageOffset, d > 0, d < start { start = d }
        let length = meta.totalCompressedSize
        guard start >= 4, length >= 0, start < Int64(footerOffset), length <= Int64(footerOffset) - start else {
            throw ParquetError.corrupt("\(context): chunk at byte \(start) with \(length) bytes lies outside the file's data")
        }
        return (Int(start), Int(length))
    }

    /// Decodes one column chunk: all of it, or only the pages of `plan`.
    private func readChunk(rowGroup: Int, leaf: Int, chunk: ColumnChunk, options: ReadOptions, flat: Bool,
                           plan: PagePlan? = nil) throws(ParquetError) -> LeafData {
        let leafColumn = schema.leaves[leaf]
        let context = "column '\(leafColumn.dottedPath)', row group \(rowGroup)"
        guard chunk.filePath == nil else {
            throw ParquetError.unsupported("\(context): column data in another file (\(chunk.filePath!)) is not supported")
        }
        guard let meta = chunk.metaData else { throw ParquetError.corrupt("\(context): column chunk has no metadata") }
        guard meta.type == leafColumn.physicalType else {
            throw ParquetError.corrupt("\(context): chunk type \(meta.type.name) differs from the schema's \(leafColumn.physicalType.name)")
        }
        if meta.numValues == 0 {
            // An empty chunk: some writers leave its offsets at zero.
            return LeafData(values: PhysicalValues(type: leafColumn.physicalType, width: leafColumn.typeLength))
        }
        let (offset, length) = try chunkRange(meta, context: context)
        let reader = try ColumnChunkReader(leaf: leafColumn, metaData: meta, rowGroup: rowGroup)
        // The chunk's bytes and decompressed pages live in buffers reused from read to read.
        let scratch = ReadScratch.take()
        defer { ReadScratch.give(scratch) }
        guard let plan else {
            let bytes: UnsafeRawBufferPointer
            if offset >= 0, let mapped = source.mappedBytes(covering: offset + length) {
                bytes = UnsafeRawBufferPointer(rebasing: mapped[offset..<(offset + length)])
            } else {
                let buffer = scratch.chunkBuffer(length)
                try source.read(offset: offset, into: buffer)
                bytes = UnsafeRawBufferPointer(buffer)
            }
            return try reader.read(bytes, expectedValues: meta.numValues, keepDictionary: options.keepDictionaries,
                                   flatValidity: flat, decompressor: scratch.decompressor,
                                   sizeHint: Int(clamping: meta.totalUncompressedSize))
        }
        // The planned pages, back to back: each page is self-delimiting (header, then body).
        let total = plan.byteCount
        let bytes = scratch.chunkBuffer(total)
        var at = 0
        for span in plan.spans {
            try source.read(offset: span.offset, into: UnsafeMutableRawBufferPointer(rebasing: bytes[at..<(at + span.length)]))
            at += span.length
        }
        let share = length > 0 ? Double(total) / Double(length) : 1
        return try reader.read(UnsafeRawBufferPointer(bytes), expectedValues: Int64(plan.rowCount), keepDictionary: options.keepDictionaries,
                               flatValidity: flat, decompressor: scratch.decompressor,
                               sizeHint: Int(Double(Swift.max(0, meta.totalUncompressedSize)) * Swift.min(1, share)))
    }

    private func build(_ shape: ColumnShape, depth: Int, slots: [Int: [NestedAssembler.Slots]], data: [Int: LeafData],
                       options: ReadOptions) throws(ParquetError) -> Column {
        let first = shape.firstLeaf
        guard let s = slots[first]?[depth] else { throw ParquetError.corrupt("internal: no levels for leaf \(first)") }
        let validity = shape.nullable || s.hasNull ? (s.hasNull ? s.validity : nil) : nil
        let type = dataType(shape, options: options)
        switch shape {
        case let .leaf(leafIndex, _, _):
            let leaf = schema.leaves[leafIndex]
            guard let d = data[leafIndex] else { throw ParquetError.corrupt("internal: no data for leaf \(leafIndex)") }
            let present = s.hasNull ? s.validity.setCount : s.count
            let stored = d.dictionary != nil && d.values.count == 0 ? d.dictionaryIndices.count : d.values.count
            guard present == stored else {
                throw ParquetError.corrupt("column '\(leaf.dottedPath)': levels announce \(present) values, pages hold \(stored)")
            }
            let converter = LeafConverter(leaf: leaf, type: type, context: "column '\(leaf.dottedPath)'")
            return try converter.column(values: d.values, dictionary: d.dictionary, dictionaryIndices: d.dictionaryIndices,
                                        validity: validity, count: s.count)
        case let .structure(fields, _, _):
            var children: [Column] = []
            for f in fields {
                let child = try build(f.shape, depth: depth + 1, slots: slots, data: data, options: options)
                guard child.count == s.count else {
                    throw ParquetError.corrupt("field '\(f.name)' has \(child.count) values, its struct has \(s.count)")
                }
                children.append(child)
            }
            return Column(type: type, count: s.count, validity: validity, storage: .structure(children))
        case let .list(element, _, _, _, _, _):
            let child = try build(element, depth: depth + 1, slots: slots, data: data, options: options)
            guard child.count == s.elementCount else {
                throw ParquetError.corrupt("list has \(s.elementCount) elements, its element column has \(child.count)")
            }
            return Column(type: type, count: s.count, validity: validity, storage: .list(offsets: s.offsets, child: Box(child)))
        }
    }
}

/// What a row group read decoded: the columns and how many data pages were read and skipped.
public struct RowGroupRead: Sendable {
    public var batch: RecordBatch
    public var pagesRead: Int
    public var pagesSkipped: Int
}

/// One column of a row group read, with its page counts.
struct ColumnRead: Sendable {
    var column: Column
    var pagesRead: Int
    var pagesSkipped: Int
}

/// Per-column results of a parallel row group read, and the next column to take.
private final class ColumnSlots: Sendable {
    private let state: Mutex<(next: Int, results: [Result<ColumnRead, ParquetError>?])>

    init(count: Int) { state = Mutex((0, Array(repeating: nil, count: count))) }

    func next() -> Int? {
        state.withLock { s in
            guard s.next < s.results.count else { return nil }
            s.next += 1
            return s.next - 1
        }
    }

    func set(_ i: Int, _ r: Result<ColumnRead, ParquetError>) { state.withLock { $0.results[i] = r } }

    var results: [Result<ColumnRead, ParquetError>?] { state.withLock { $0.results } }
}
