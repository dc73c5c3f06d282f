import Columnar

extension ColumnMetaData {
    /// Whether every data page of the chunk is dictionary-encoded, so that its
    /// dictionary page lists every value the chunk holds. From the page encoding
    /// statistics when the writer kept them; else from the encodings list, which
    /// must name a dictionary encoding and nothing a data page could have fallen
    /// back to (PLAIN included: writers that list PLAIN for the dictionary page
    /// itself cannot be told apart from a fallback).
    public var isFullyDictionaryEncoded: Bool {
        func isDictionary(_ e: Encoding) -> Bool { e == .plainDictionary || e == .rleDictionary }
        if let stats = encodingStats, !stats.isEmpty {
            let data = stats.filter { ($0.pageType == .dataPage || $0.pageType == .dataPageV2) && $0.count > 0 }
            return !data.isEmpty && data.allSatisfy { isDictionary($0.encoding) }
        }
        guard encodings.contains(where: isDictionary) else { return false }
        return encodings.allSatisfy { isDictionary($0) || $0 == .rle || $0 == .bitPacked }
    }
}

extension LeafColumn {
    /// The PLAIN bytes of this column's value equal to `value` (the inverse of
    /// `statisticsValue(_:)`), or nil when there is no single such encoding
    /// (floats, whose zeros and NaNs have several; variable-length decimals).
    func plainBytes(of value: StatisticsValue) -> [UInt8]? {
        func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        var candidate: [UInt8]?
        switch (physicalType, value) {
        case let (.boolean, .boolean(b)): candidate = [b ? 1 : 0]
        case let (.int32, .signed(x)): candidate = Int32(exactly: x).map(le)
        case let (.int32, .unsigned(x)): candidate = UInt32(exactly: x).map(le)
        case let (.int32, .decimal(x)): candidate = Int32(exactly: x).map(le)
        case let (.int64, .signed(x)): candidate = le(x)
        case let (.int64, .unsigned(x)): candidate = le(x)
        case let (.int64, .decimal(x)): candidate = Int64(exactly: x).map(le)
        case let (.fixedLenByteArray, .decimal(x)):
            // Big-endian two's complement in exactly typeLength bytes.
            let width = typeLength
            guard width >= 1, width <= 16 else { return nil }
            if width < 16 {
                let limit = Int128(1) << (width * 8 - 1)
                guard x >= -limit, x < limit else { return nil }
            }
            candidate = (0..<width).map { UInt8(truncatingIfNeeded: x >> ((width - 1 - $0) * 8)) }
        case let (.fixedLenByteArray, .bytes(b)): candidate = b.count == typeLength ? b : nil
        case let (.byteArray, .bytes(b)):
            if case .decimal = dataType() { return nil }
            candidate = b
        default: return nil
        }
        // The encoding must decode back to the value (it checks the kinds agree too).
        guard let candidate, statisticsValue(candidate) == value else { return nil }
        return candidate
    }
}

extension ParquetFile {
    /// Whether the dictionary of column chunk `leaf` of `rowGroup` holds any of
    /// `values` (in the column's statistics form). Nil when nothing can be
    /// concluded: the chunk is not entirely dictionary-encoded, has no dictionary
    /// page where its metadata says, or a value has no exact PLAIN form. Reads and
    /// decompresses the dictionary page only.
    public func dictionaryContainsAny(rowGroup: Int, leaf: Int, of values: [StatisticsValue]) throws(ParquetError) -> Bool? {
        guard rowGroup >= 0, rowGroup < metadata.rowGroups.count, leaf >= 0, leaf < schema.leaves.count else { return nil }
        let chunk = metadata.rowGroups[rowGroup].columns[leaf]
        let column = schema.leaves[leaf]
        guard chunk.filePath == nil, let meta = chunk.metaData, meta.type == column.physicalType,
              meta.numValues > 0, meta.isFullyDictionaryEncoded,
              let start = meta.dictionaryPageOffset, start >= 4, start < meta.dataPageOffset,
              meta.dataPageOffset <= Int64(footerOffset) else { return nil }
        var wanted: [[UInt8]] = []
        for v in values {
            guard let bytes = column.plainBytes(of: v) else { return nil }
            wanted.append(bytes)
        }
        // The dictionary page (header and body) is everything before the first data page.
        let length = Int(meta.dataPageOffset - start)
        guard length <= 64 << 20, Int64(length) <= meta.totalCompressedSize else { return nil }
        let context = "dictionary page of column '\(column.dottedPath)', row group \(rowGroup)"
        let reader = try ColumnChunkReader(leaf: column, metaData: meta, rowGroup: rowGroup)
        let scratch = ReadScratch.take()
        defer { ReadScratch.give(scratch) }
        let buffer = scratch.chunkBuffer(length)
        try source.read(offset: Int(start), into: buffer)
        let bytes = UnsafeRawBufferPointer(buffer)
        let header: PageHeader, headerLength: Int
        do throws(ParquetError) {
            (header, headerLength) = try PageHeader.decode(bytes)
        } catch {
            throw error.context(context)
        }
        guard header.type == .dictionaryPage, let dictionaryHeader = header.dictionaryPageHeader,
              dictionaryHeader.encoding == .plain || dictionaryHeader.encoding == .plainDictionary,
              header.compressedPageSize >= 0, Int(header.compressedPageSize) <= length - headerLength,
              header.uncompressedPageSize >= 0, dictionaryHeader.numValues >= 0 else { return nil }
        let body = UnsafeRawBufferPointer(rebasing: bytes[headerLength..<(headerLength + Int(header.compressedPageSize))])
        let page: UnsafeRawBufferPointer
        do {
            page = try scratch.decompressor.decompress(reader.codec, body, uncompressedSize: Int(header.uncompressedPageSize))
        } catch {
            throw ParquetError.corrupt("\(context): \(error.message)")
        }
        return try Self.plainValues(page, count: Int(dictionaryHeader.numValues), leaf: column, containAnyOf: wanted, context: context)
    }

    /// Whether `count` PLAIN values in `page` include any of `wanted` (byte for byte).
    private static func plainValues(_ page: UnsafeRawBufferPointer, count: Int, leaf: LeafColumn, containAnyOf wanted: [[UInt8]],
                                    context: String) throws(ParquetError) -> Bool {
        func matches(_ offset: Int, _ length: Int) -> Bool {
            for w in wanted where w.count == length {
                var equal = true
                for k in 0..<length where page[offset + k] != w[k] {
                    equal = false
                    break
                }
                if equal { return true }
            }
            return false
        }
        if leaf.physicalType == .byteArray {
            var at = 0
            for _ in 0..<count {
                guard at + 4 <= page.count else { throw ParquetError.corrupt("\(context): values end early") }
                let n = Int(page.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian)
                at += 4
                guard n <= page.count - at else { throw ParquetError.corrupt("\(context): a value of \(n) bytes runs past the page") }
                if matches(at, n) { return true }
                at += n
            }
            return false
        }
        let width: Int
        switch leaf.physicalType {
        case .int32, .float: width = 4
        case .int64, .double: width = 8
        case .fixedLenByteArray: width = leaf.typeLength
        default: return true  // no dictionary of this type is probed: assume it may match
        }
        guard width > 0, count <= page.count / width else { throw ParquetError.corrupt("\(context): \(count) values do not fit the page") }
        for i in 0..<count where matches(i * width, width) { return true }
        return false
    }
}
