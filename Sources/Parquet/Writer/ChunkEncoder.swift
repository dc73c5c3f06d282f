import Compression

/// One data page of an encoded chunk.
struct EncodedPage {
    /// Offset of the page header from the start of the chunk's data pages.
    var offset: Int
    /// Header plus compressed body.
    var compressedSizeWithHeader: Int
    var firstRowIndex: Int
    var statistics: ValueStatistics
    var encoding: Encoding
}

/// A column chunk ready to write: an optional dictionary page, then its data pages.
struct EncodedChunk {
    var leaf: WriterLeaf
    /// Dictionary page (header + body), written first; empty when not dictionary-encoded.
    var dictionaryPage: [UInt8] = []
    var dataPages: [UInt8] = []
    var pages: [EncodedPage] = []
    var encodings: [Encoding] = []
    var dataPageType: PageType = .dataPage
    /// Data pages per encoding (in first-use order).
    var dataPageEncodings: [(encoding: Encoding, count: Int)] = []
    /// Uncompressed bytes including page headers.
    var totalUncompressedSize = 0
    var numValues = 0
    var rowCount = 0
    var statistics = ValueStatistics()
    var bloomFilter: SplitBlockBloomFilter?

    var totalCompressedSize: Int { dictionaryPage.count + dataPages.count }
}

/// The rows of a data page: entries (level slots), values (non-null ones) and records.
struct PageSpan {
    var entries: Range<Int>
    var values: Range<Int>
    var firstRow: Int
    var rows: Int
}

/// Encodes one leaf's chunk data into pages: page boundaries at record starts
/// (repetition level 0) by `dataPageSize`/`dataPageRowLimit`; a dictionary
/// (RLE_DICTIONARY pages) until it outgrows `dictionaryPageSizeLimit`, then
/// PLAIN or DELTA pages; v1 pages (levels and values compressed together) or
/// v2 (levels uncompressed, lengths in the header); exact statistics per page
/// and per chunk; the bloom filter's hashes.
struct ChunkEncoder {
    let leaf: WriterLeaf
    let options: WriterOptions
    let codec: Codec
    /// Compression level: the option, else zstd at 1 (pyarrow's default), else the codec's default.
    let level: Int?

    init(leaf: WriterLeaf, options: WriterOptions) throws(ParquetError) {
        self.leaf = leaf
        self.options = options
        codec = try Self.codec(options.codec)
        level = options.compressionLevel ?? (options.codec == .zstd ? 1 : nil)
    }

    static func codec(_ c: CompressionCodec) throws(ParquetError) -> Codec {
        switch c {
        case .uncompressed: return .uncompressed
        case .snappy: return .snappy
        case .gzip: return .gzip
        case .zstd: return .zstd
        case .lz4Raw: return .lz4Raw
        case .lz4: return .lz4Hadoop
        case .brotli: return .brotli
        default: throw ParquetError.unsupported("writing with compression codec \(c) is not supported")
        }
    }

    // MARK: pages

    /// Page boundaries: a page closes before a record start once it holds
    /// `dataPageRowLimit` records or `dataPageSize` bytes of PLAIN values.
    func split(_ data: LeafChunkData) -> [PageSpan] {
        let n = data.entryCount
        let rowLimit = max(1, options.dataPageRowLimit)
        let byteLimit = max(1, options.dataPageSize)
        var pages: [PageSpan] = []
        let rep = data.repetitionLevels, def = data.definitionLevels
        let maxDef = UInt16(leaf.maxDefinitionLevel)
        let values = data.values
        // Cost of one value in eighths of a byte.
        let fixedCost: Int? = switch leaf.kind {
        case .boolean: 1
        case .byteArray: nil
        default: leaf.kind.width * 8
        }
        if rep.isEmpty && def.isEmpty, let cost = fixedCost {
            // Flat required values: pages by arithmetic.
            let perPage = max(1, min(rowLimit, (byteLimit * 8) / max(1, cost)))
            var start = 0
            repeat {
                let end = min(n, start + perPage)
                pages.append(PageSpan(entries: start..<end, values: start..<end, firstRow: start, rows: end - start))
                start = end
            } while start < n
            return pages
        }
        var entryStart = 0, valueStart = 0, row = 0
        var pageRows = 0, pageBits = 0, v = 0
        rep.withUnsafeBufferPointer { r in
            def.withUnsafeBufferPointer { d in
                values.offsets.withUnsafeBufferPointer { off in
                    for e in 0..<n {
                        let recordStart = r.isEmpty || r[e] == 0
                        if recordStart {
                            if pageRows > 0 && (pageRows >= rowLimit || pageBits >= byteLimit * 8) {
                                pages.append(PageSpan(entries: entryStart..<e, values: valueStart..<v, firstRow: row - pageRows, rows: pageRows))
                                entryStart = e
                                valueStart = v
                                pageRows = 0
                                pageBits = 0
                            }
                            pageRows += 1
                            row += 1
                        }
                        if d.isEmpty || d[e] == maxDef {
                            if let cost = fixedCost {
                                pageBits += cost
                            } else {
                                let k = values.indexed ? Int(values.indices[v]) : v
                                pageBits += (4 + off[k + 1] - off[k]) * 8
                            }
                            v += 1
                        }
                    }
                }
            }
        }
        if entryStart < n || pages.isEmpty {
            pages.append(PageSpan(entries: entryStart..<n, values: valueStart..<v, firstRow: row - pageRows, rows: pageRows))
        }
        return pages
    }

    // MARK: chunk

    func encode(_ data: LeafChunkData) throws(ParquetError) -> EncodedChunk {
        var chunk = EncodedChunk(leaf: leaf)
        chunk.numValues = data.entryCount
        chunk.rowCount = data.rowCount
        var values = data.values
        let spans = split(data)
        // Active dictionary, and the one that was frozen when it outgrew its limit.
        var dictionary = options.dictionary && leaf.kind != .boolean && values.count > 0 ? DictionaryBuilder(kind: leaf.kind) : nil
        var frozen: DictionaryBuilder?
        var plainFrom = values.count  // first value not dictionary-encoded
        var indices: [UInt32] = []
        let v2 = options.dataPageVersion == 2
        chunk.dataPageType = v2 ? .dataPageV2 : .dataPage
        var page: [UInt8] = []
        var firstPage = true
        // Byte arrays' page statistics from the dictionary's distinct entries (see below).
        var seen: [UInt32] = []
        var stamp: UInt32 = 0
        for span in spans {
            var dictionaryBounds: ([UInt8], [UInt8])?
            page.removeAll(keepingCapacity: true)
            var repLength = 0, defLength = 0
            if leaf.maxRepetitionLevel > 0 {
                repLength = encodeLevels(data.repetitionLevels, span.entries, maxLevel: leaf.maxRepetitionLevel, prefixed: !v2, into: &page)
            }
            if leaf.maxDefinitionLevel > 0 {
                defLength = encodeLevels(data.definitionLevels, span.entries, maxLevel: leaf.maxDefinitionLevel, prefixed: !v2, into: &page)
            }
            let levelsEnd = page.count
            let encoding: Encoding
            if var dict = dictionary {
                dictionary = nil  // back below, unless it outgrew its limit
                indices.removeAll(keepingCapacity: true)
                dict.encode(values, span.values, into: &indices)
                let width = max(1, HybridRunEncoder.bitWidth(dict.count - 1))
                page.append(UInt8(width))
                indices.withUnsafeBufferPointer { HybridRunEncoder.encode($0, bitWidth: width, into: &page) }
                if leaf.kind == .byteArray && !leaf.isInt96 {
                    // Comparing each distinct string once instead of every value: same bounds.
                    stamp += 1
                    dictionaryBounds = indices.withUnsafeBufferPointer { dict.byteArrayBounds($0, seen: &seen, stamp: stamp) }
                }
                encoding = .rleDictionary
                if dict.plainSize > options.dictionaryPageSizeLimit {
                    // The chunk's later pages fall back to PLAIN/DELTA; the dictionary keeps what it has.
                    plainFrom = span.values.upperBound
                    frozen = dict
                    values.materialize()
                } else {
                    dictionary = dict
                }
            } else {
                encoding = encodeValues(values, span.values, v2: v2, into: &page)
            }
            var stats: ValueStatistics
            if let (lo, hi) = dictionaryBounds {
                stats = ValueStatistics(nullCount: span.entries.count - span.values.count, valueCount: span.values.count, min: lo, max: hi)
            } else {
                stats = ValueStatistics.of(values, span.values, nulls: span.entries.count - span.values.count)
            }
            if leaf.isInt96 { stats.min = nil; stats.max = nil }   // INT96 has no defined order
            if firstPage { chunk.statistics = stats } else { chunk.statistics.merge(stats, kind: leaf.kind) }
            firstPage = false
            let uncompressedSize = page.count
            let body: [UInt8]
            if options.codec == .uncompressed {
                body = page
            } else if v2 {
                var b = Array(page[0..<levelsEnd])
                page.withUnsafeBytes { b.append(contentsOf: codec.compress(UnsafeRawBufferPointer(rebasing: $0[levelsEnd...]), level: level)) }
                body = b
            } else {
                body = page.withUnsafeBytes { codec.compress($0, level: level) }
            }
            let header = dataPageHeader(span: span, encoding: encoding, stats: stats, uncompressedSize: uncompressedSize,
                                        compressedSize: body.count, repLength: repLength, defLength: defLength, v2: v2)
            chunk.pages.append(EncodedPage(offset: chunk.dataPages.count, compressedSizeWithHeader: header.count + body.count,
                                           firstRowIndex: span.firstRow, statistics: stats, encoding: encoding))
            chunk.dataPages.append(contentsOf: header)
            chunk.dataPages.append(contentsOf: body)
            chunk.totalUncompressedSize += header.count + uncompressedSize
            if let i = chunk.dataPageEncodings.firstIndex(where: { $0.encoding == encoding }) {
                chunk.dataPageEncodings[i].count += 1
            } else {
                chunk.dataPageEncodings.append((encoding, 1))
            }
        }
        if let dict = dictionary ?? frozen {
            let (bytes, uncompressed) = try dictionaryPage(dict)
            chunk.dictionaryPage = bytes
            chunk.totalUncompressedSize += uncompressed
        }
        if options.bloomFilterColumns.contains(leaf.dottedPath) && leaf.kind != .boolean {
            chunk.bloomFilter = bloomFilter(values, dictionary: dictionary ?? frozen, plainFrom: dictionary != nil ? values.count : plainFrom)
        }
        var encodings: [Encoding] = []
        if !chunk.dictionaryPage.isEmpty { encodings.append(.plain) }
        if leaf.maxRepetitionLevel > 0 || leaf.maxDefinitionLevel > 0 { encodings.append(.rle) }
        for (e, _) in chunk.dataPageEncodings where !encodings.contains(e) { encodings.append(e) }
        chunk.encodings = encodings
        return chunk
    }

    /// Levels of `entries`, hybrid-encoded; v1 pages prefix them with their 4-byte length. Returns the bytes written.
    private func encodeLevels(_ levels: [UInt16], _ entries: Range<Int>, maxLevel: Int, prefixed: Bool, into page: inout [UInt8]) -> Int {
        let start = page.count
        if prefixed { page.append(contentsOf: [0, 0, 0, 0]) }
        levels.withUnsafeBufferPointer { l in
            HybridRunEncoder.encode(UnsafeBufferPointer(rebasing: l[entries]), bitWidth: HybridRunEncoder.bitWidth(maxLevel), into: &page)
        }
        if prefixed { ValueEncoders.storeLength(page.count - start - 4, at: start, in: &page) }
        return page.count - start
    }

    /// Values that are not dictionary-encoded: PLAIN, RLE booleans on v2 pages, DELTA when preferred.
    private func encodeValues(_ values: DenseValues, _ range: Range<Int>, v2: Bool, into page: inout [UInt8]) -> Encoding {
        switch leaf.kind {
        case .boolean where v2:
            values.booleans.withUnsafeBufferPointer { ValueEncoders.rleBooleans(UnsafeBufferPointer(rebasing: $0[range]), into: &page) }
            return .rle
        case .int32 where options.preferDelta:
            var encoder = DeltaBinaryPackedEncoder()
            values.int32s.withUnsafeBufferPointer { encoder.append(UnsafeBufferPointer(rebasing: $0[range])) }
            page.append(contentsOf: encoder.finish())
            return .deltaBinaryPacked
        case .int64 where options.preferDelta:
            var encoder = DeltaBinaryPackedEncoder()
            values.int64s.withUnsafeBufferPointer { encoder.append(UnsafeBufferPointer(rebasing: $0[range])) }
            page.append(contentsOf: encoder.finish())
            return .deltaBinaryPacked
        case .byteArray where options.preferDelta:
            // (Values are never indexed here: `encode` materializes them when the dictionary falls back.)
            values.offsets.withUnsafeBufferPointer { off in
                values.bytes.withUnsafeBufferPointer { data in
                    DeltaLengthByteArray.encode(offsets: UnsafeBufferPointer(rebasing: off[range.lowerBound...range.upperBound]),
                                                data: data, into: &page)
                }
            }
            return .deltaLengthByteArray
        // FIXED_LEN_BYTE_ARRAY stays PLAIN even when DELTA is preferred: DELTA_BYTE_ARRAY on it is
        // legal but DuckDB (1.4) refuses to read it, and fixed-width values gain little from it.
        default:
            ValueEncoders.plain(values, range, into: &page)
            return .plain
        }
    }

    private func thrift(_ write: (inout ThriftCompactWriter) -> Void) -> [UInt8] {
        var w = ThriftCompactWriter()
        write(&w)
        return w.bytes
    }

    private func dataPageHeader(span: PageSpan, encoding: Encoding, stats: ValueStatistics, uncompressedSize: Int, compressedSize: Int,
                                repLength: Int, defLength: Int, v2: Bool) -> [UInt8] {
        let pageStats = options.writePageHeaderStatistics ? stats.thrift(kind: leaf.kind) : nil
        let header: PageHeader
        if v2 {
            let h = DataPageHeaderV2(numValues: Int32(span.entries.count), numNulls: Int32(span.entries.count - span.values.count),
                                     numRows: Int32(span.rows), encoding: encoding, definitionLevelsByteLength: Int32(defLength),
                                     repetitionLevelsByteLength: Int32(repLength), isCompressed: options.codec != .uncompressed,
                                     statistics: pageStats)
            header = PageHeader(type: .dataPageV2, uncompressedPageSize: Int32(uncompressedSize), compressedPageSize: Int32(compressedSize),
                                crc: nil, dataPageHeader: nil, indexPageHeader: nil, dictionaryPageHeader: nil, dataPageHeaderV2: h)
        } else {
            let h = DataPageHeader(numValues: Int32(span.entries.count), encoding: encoding, definitionLevelEncoding: .rle,
                                   repetitionLevelEncoding: .rle, statistics: pageStats)
            header = PageHeader(type: .dataPage, uncompressedPageSize: Int32(uncompressedSize), compressedPageSize: Int32(compressedSize),
                                crc: nil, dataPageHeader: h, indexPageHeader: nil, dictionaryPageHeader: nil, dataPageHeaderV2: nil)
        }
        return thrift { header.write(to: &$0) }
    }

    /// The dictionary page (PLAIN entries, compressed) and its uncompressed size with header.
    private func dictionaryPage(_ dict: DictionaryBuilder) throws(ParquetError) -> ([UInt8], Int) {
        let entries = dict.entries()
        var raw: [UInt8] = []
        ValueEncoders.plain(entries, 0..<entries.count, into: &raw)
        let body = options.codec == .uncompressed ? raw : raw.withUnsafeBytes { codec.compress($0, level: level) }
        let header = PageHeader(type: .dictionaryPage, uncompressedPageSize: Int32(raw.count), compressedPageSize: Int32(body.count),
                                crc: nil, dataPageHeader: nil, indexPageHeader: nil,
                                dictionaryPageHeader: DictionaryPageHeader(numValues: Int32(entries.count), encoding: .plain, isSorted: false),
                                dataPageHeaderV2: nil)
        let headerBytes = thrift { header.write(to: &$0) }
        return (headerBytes + body, headerBytes.count + raw.count)
    }

    // MARK: bloom filter

    /// XXH64 of every distinct value: the dictionary's entries, plus the values from `plainFrom` on.
    private func bloomFilter(_ values: DenseValues, dictionary: DictionaryBuilder?, plainFrom: Int) -> SplitBlockBloomFilter {
        var hashes: [UInt64] = []
        if let dictionary {
            if dictionary.isBytes {
                hashes = dictionary.hashes
            } else {
                let entries = dictionary.entries()
                hashes = Self.hashes(entries, 0..<entries.count)
            }
        }
        let from = dictionary == nil ? 0 : plainFrom
        if from < values.count { hashes += Self.hashes(values, from..<values.count) }
        var distinct = hashes.count
        if dictionary == nil || from < values.count {
            hashes.sort()
            distinct = 0
            var previous: UInt64?
            for h in hashes where h != previous {
                distinct += 1
                previous = h
            }
        }
        var filter = SplitBlockBloomFilter(distinctValues: distinct, fpp: options.bloomFilterFPP)
        for h in hashes { filter.insert(hash: h) }
        return filter
    }

    /// XXH64 of the PLAIN encoding of values `range`.
    static func hashes(_ values: DenseValues, _ range: Range<Int>) -> [UInt64] {
        var out: [UInt64] = []
        out.reserveCapacity(range.count)
        switch values.kind {
        case .boolean: for i in range { out.append(XXHash64.hash(UInt32(values.booleans[i]))) }
        case .int32: for i in range { out.append(XXHash64.hash(UInt32(bitPattern: values.int32s[i]))) }
        case .int64: for i in range { out.append(XXHash64.hash(UInt64(bitPattern: values.int64s[i]))) }
        case .float: for i in range { out.append(XXHash64.hash(values.floats[i].bitPattern)) }
        case .double: for i in range { out.append(XXHash64.hash(values.doubles[i].bitPattern)) }
        case .byteArray, .fixed, .float16, .decimalFixed:
            ValueEncoders.withByteValues(values, range) { count, value in
                for j in 0..<count { out.append(XXHash64.hash(value(j))) }
            }
        }
        return out
    }
}
