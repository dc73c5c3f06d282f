import Compression

/// Reads one column chunk: its pages in file order
///   [dictionary page] data page (v1 or v2) ...
/// each a Thrift `PageHeader` followed by `compressed_page_size` bytes.
///   v1 data page (all of it compressed): [rep levels][def levels][values],
///       levels RLE/bit-packed with a 4-byte length prefix each (or legacy BIT_PACKED);
///   v2 data page: [rep levels][def levels] uncompressed, lengths in the header,
///       then the values, compressed when `is_compressed`.
/// Produces the levels and the non-null values (`LeafData`).
struct LeafData {
    var repetitionLevels: [UInt16] = []
    var definitionLevels: [UInt16] = []
    /// Number of level entries (= values including nulls, at all nesting depths).
    var entryCount = 0
    var values: PhysicalValues
    /// When every data page was dictionary-encoded (BYTE_ARRAY columns): the
    /// dictionary and one index per non-null value; `values` is then empty.
    var dictionary: PhysicalValues?
    var dictionaryIndices: [Int32] = []
}

struct ColumnChunkReader {
    let leaf: LeafColumn
    let codec: Codec
    let context: String

    init(leaf: LeafColumn, metaData: ColumnMetaData, rowGroup: Int) throws(ParquetError) {
        self.leaf = leaf
        self.context = "column '\(leaf.dottedPath)', row group \(rowGroup)"
        switch metaData.codec {
        case .uncompressed: codec = .uncompressed
        case .snappy: codec = .snappy
        case .gzip: codec = .gzip
        case .zstd: codec = .zstd
        case .lz4Raw: codec = .lz4Raw
        case .lz4: codec = .lz4Hadoop
        case .brotli: codec = .brotli
        default: throw ParquetError.unsupported("\(context): compression codec \(metaData.codec) is not supported")
        }
    }

    /// Decodes every page of the chunk held in `bytes`.
    func read(_ bytes: [UInt8], expectedValues: Int64, keepDictionary: Bool) throws(ParquetError) -> LeafData {
        var data = LeafData(values: PhysicalValues(type: leaf.physicalType, width: leaf.typeLength))
        var dictionary: PhysicalValues?
        var allDictionaryEncoded = keepDictionary && leaf.physicalType == .byteArray
        var pageNumber = 0
        try bytes.withParquetBytes { (chunk: UnsafeRawBufferPointer) throws(ParquetError) in
            var position = 0
            while position < chunk.count && Int64(data.entryCount) < expectedValues {
                let where_ = "\(context), page \(pageNumber) at chunk byte \(position)"
                let (header, headerLength): (PageHeader, Int)
                do throws(ParquetError) {
                    (header, headerLength) = try PageHeader.decode(UnsafeRawBufferPointer(rebasing: chunk[position...]))
                } catch {
                    throw error.context(where_)
                }
                position += headerLength
                let size = Int(header.compressedPageSize)
                guard size >= 0, size <= chunk.count - position else {
                    throw ParquetError.corrupt("\(where_): page of \(size) bytes runs past the column chunk")
                }
                guard header.uncompressedPageSize >= 0 else {
                    throw ParquetError.corrupt("\(where_): negative uncompressed page size")
                }
                let body = UnsafeRawBufferPointer(rebasing: chunk[position..<(position + size)])
                position += size
                pageNumber += 1
                do throws(ParquetError) {
                    switch header.type {
                    case .dictionaryPage:
                        guard let dictHeader = header.dictionaryPageHeader else {
                            throw ParquetError.corrupt("dictionary page without a dictionary page header")
                        }
                        let raw = try decompress(body, size: Int(header.uncompressedPageSize))
                        dictionary = try decodeDictionary(raw, header: dictHeader)
                    case .dataPage:
                        guard let h = header.dataPageHeader else { throw ParquetError.corrupt("data page without a data page header") }
                        let raw = try decompress(body, size: Int(header.uncompressedPageSize))
                        try raw.withParquetBytes { (page: UnsafeRawBufferPointer) throws(ParquetError) in
                            try decodeDataPageV1(page, header: h, dictionary: dictionary, allDictionary: &allDictionaryEncoded, into: &data)
                        }
                    case .dataPageV2:
                        guard let h = header.dataPageHeaderV2 else { throw ParquetError.corrupt("v2 data page without a v2 header") }
                        try decodeDataPageV2(body, header: h, uncompressedSize: Int(header.uncompressedPageSize),
                                             dictionary: dictionary, allDictionary: &allDictionaryEncoded, into: &data)
                    default:
                        break  // index pages and page types from the future carry nothing we need
                    }
                } catch {
                    throw error.context(where_)
                }
            }
        }
        if allDictionaryEncoded, let dictionary, !data.dictionaryIndices.isEmpty || data.values.count == 0 {
            data.dictionary = dictionary
        }
        return data
    }

    private func decompress(_ body: UnsafeRawBufferPointer, size: Int) throws(ParquetError) -> [UInt8] {
        do {
            return try codec.decompress(body, uncompressedSize: size)
        } catch {
            throw ParquetError.corrupt(error.message)
        }
    }

    private func decodeDictionary(_ raw: [UInt8], header: DictionaryPageHeader) throws(ParquetError) -> PhysicalValues {
        guard header.encoding == .plain || header.encoding == .plainDictionary else {
            throw ParquetError.unsupported("dictionary page encoding \(header.encoding)")
        }
        let count = Int(header.numValues)
        guard count >= 0 else { throw ParquetError.corrupt("dictionary page has a negative value count \(count)") }
        var values = PhysicalValues(type: leaf.physicalType, width: leaf.typeLength)
        try raw.withParquetBytes { (page: UnsafeRawBufferPointer) throws(ParquetError) in
            _ = try decodeValues(page, encoding: .plain, count: count, dictionary: nil, into: &values)
        }
        return values
    }

    // MARK: data pages

    private func decodeDataPageV1(_ page: UnsafeRawBufferPointer, header: DataPageHeader, dictionary: PhysicalValues?,
                                  allDictionary: inout Bool, into data: inout LeafData) throws(ParquetError) {
        let count = Int(header.numValues)
        guard count >= 0 else { throw ParquetError.corrupt("negative value count \(count)") }
        var position = 0
        if leaf.maxRepetitionLevel > 0 {
            position += try decodeLevelsV1(UnsafeRawBufferPointer(rebasing: page[position...]), encoding: header.repetitionLevelEncoding,
                                           maxLevel: leaf.maxRepetitionLevel, count: count, into: &data.repetitionLevels, what: "repetition")
        }
        var nonNull = count
        if leaf.maxDefinitionLevel > 0 {
            let before = data.definitionLevels.count
            position += try decodeLevelsV1(UnsafeRawBufferPointer(rebasing: page[position...]), encoding: header.definitionLevelEncoding,
                                           maxLevel: leaf.maxDefinitionLevel, count: count, into: &data.definitionLevels, what: "definition")
            nonNull = Self.countEqual(data.definitionLevels, from: before, to: UInt16(leaf.maxDefinitionLevel))
        }
        data.entryCount += count
        try decodeValues(UnsafeRawBufferPointer(rebasing: page[position...]), encoding: header.encoding, count: nonNull,
                         dictionary: dictionary, allDictionary: &allDictionary, into: &data)
    }

    private func decodeDataPageV2(_ body: UnsafeRawBufferPointer, header: DataPageHeaderV2, uncompressedSize: Int, dictionary: PhysicalValues?,
                                  allDictionary: inout Bool, into data: inout LeafData) throws(ParquetError) {
        let count = Int(header.numValues)
        let repLength = Int(header.repetitionLevelsByteLength)
        let defLength = Int(header.definitionLevelsByteLength)
        guard count >= 0, repLength >= 0, defLength >= 0, repLength <= body.count, defLength <= body.count - repLength else {
            throw ParquetError.corrupt("v2 page level lengths (\(repLength), \(defLength)) exceed the page (\(body.count) bytes)")
        }
        if leaf.maxRepetitionLevel > 0 {
            try decodeLevels(UnsafeRawBufferPointer(rebasing: body[0..<repLength]), maxLevel: leaf.maxRepetitionLevel, count: count,
                             into: &data.repetitionLevels, what: "repetition")
        }
        var nonNull = count
        if leaf.maxDefinitionLevel > 0 {
            let before = data.definitionLevels.count
            try decodeLevels(UnsafeRawBufferPointer(rebasing: body[repLength..<(repLength + defLength)]), maxLevel: leaf.maxDefinitionLevel,
                             count: count, into: &data.definitionLevels, what: "definition")
            nonNull = Self.countEqual(data.definitionLevels, from: before, to: UInt16(leaf.maxDefinitionLevel))
        }
        data.entryCount += count
        let valuesPart = UnsafeRawBufferPointer(rebasing: body[(repLength + defLength)...])
        let valuesSize = uncompressedSize - repLength - defLength
        guard valuesSize >= 0 else { throw ParquetError.corrupt("v2 page levels are longer than the page") }
        if header.isCompressed && codec != .uncompressed && !(valuesPart.isEmpty && valuesSize == 0) {
            let raw = try decompress(valuesPart, size: valuesSize)
            try raw.withParquetBytes { (values: UnsafeRawBufferPointer) throws(ParquetError) in
                try decodeValues(values, encoding: header.encoding, count: nonNull, dictionary: dictionary, allDictionary: &allDictionary, into: &data)
            }
        } else {
            try decodeValues(valuesPart, encoding: header.encoding, count: nonNull, dictionary: dictionary, allDictionary: &allDictionary, into: &data)
        }
    }

    private static func countEqual(_ levels: [UInt16], from start: Int, to value: UInt16) -> Int {
        levels.withUnsafeBufferPointer { p in
            var n = 0
            for i in start..<p.count { n &+= p[i] == value ? 1 : 0 }
            return n
        }
    }

    // MARK: levels

    /// v1 levels: RLE with a 4-byte length prefix, or the deprecated BIT_PACKED. Returns bytes consumed.
    private func decodeLevelsV1(_ bytes: UnsafeRawBufferPointer, encoding: Encoding, maxLevel: Int, count: Int,
                                into levels: inout [UInt16], what: String) throws(ParquetError) -> Int {
        let bitWidth = Self.bitWidth(maxLevel)
        if encoding == .bitPacked {
            let (values, consumed) = try decodeLegacyBitPacked(bytes, bitWidth: bitWidth, count: count)
            try append(values, maxLevel: maxLevel, into: &levels, what: what)
            return consumed
        }
        guard encoding == .rle else { throw ParquetError.unsupported("\(what) level encoding \(encoding)") }
        var (decoder, consumed) = try RLEBitPackedHybridDecoder.levelsV1(bytes, bitWidth: bitWidth)
        try decodeLevels(&decoder, maxLevel: maxLevel, count: count, into: &levels, what: what)
        return consumed
    }

    private func decodeLevels(_ bytes: UnsafeRawBufferPointer, maxLevel: Int, count: Int, into levels: inout [UInt16], what: String) throws(ParquetError) {
        var decoder = try RLEBitPackedHybridDecoder(bytes, bitWidth: Self.bitWidth(maxLevel))
        try decodeLevels(&decoder, maxLevel: maxLevel, count: count, into: &levels, what: what)
    }

    private func decodeLevels(_ decoder: inout RLEBitPackedHybridDecoder, maxLevel: Int, count: Int, into levels: inout [UInt16], what: String) throws(ParquetError) {
        var scratch = [UInt32](repeating: 0, count: count)
        let n = try scratch.withUnsafeMutableBufferPointer { (p) throws(ParquetError) -> Int in
            guard let base = p.baseAddress else { return 0 }
            return try decoder.decode(into: base, count: count)
        }
        guard n == count else {
            throw ParquetError.corrupt("page has \(n) \(what) levels, its header says \(count) values")
        }
        try append(scratch, maxLevel: maxLevel, into: &levels, what: what)
    }

    private func append(_ values: [UInt32], maxLevel: Int, into levels: inout [UInt16], what: String) throws(ParquetError) {
        var bad: UInt32 = 0
        let limit = UInt32(maxLevel)
        levels.reserveCapacity(levels.count + values.count)
        for v in values {
            bad |= v > limit ? 1 : 0
            levels.append(UInt16(truncatingIfNeeded: v))
        }
        if bad != 0 { throw ParquetError.corrupt("\(what) level above the column's maximum \(maxLevel)") }
    }

    static func bitWidth(_ maxLevel: Int) -> Int {
        maxLevel == 0 ? 0 : Int.bitWidth - maxLevel.leadingZeroBitCount
    }

    // MARK: values

    private func decodeValues(_ bytes: UnsafeRawBufferPointer, encoding: Encoding, count: Int, dictionary: PhysicalValues?,
                              allDictionary: inout Bool, into data: inout LeafData) throws(ParquetError) {
        let isDictionary = encoding == .rleDictionary || encoding == .plainDictionary
        if isDictionary && allDictionary {
            guard let dictionary else { throw ParquetError.corrupt("dictionary-encoded page but the chunk has no dictionary page") }
            let indices = try decodeIndices(bytes, count: count, dictionaryCount: dictionary.count)
            data.dictionaryIndices.reserveCapacity(data.dictionaryIndices.count + indices.count)
            for i in indices { data.dictionaryIndices.append(Int32(truncatingIfNeeded: i)) }
            return
        }
        if allDictionary && !isDictionary {
            // A writer fell back to plain pages: materialize what was kept as indices.
            allDictionary = false
            if let dictionary, !data.dictionaryIndices.isEmpty {
                let indices = data.dictionaryIndices.map { UInt32(truncatingIfNeeded: $0) }
                indices.withUnsafeBufferPointer { data.values.appendGathered(from: dictionary, indices: $0) }
                data.dictionaryIndices = []
            }
        }
        _ = try decodeValues(bytes, encoding: encoding, count: count, dictionary: dictionary, into: &data.values)
    }

    private func decodeIndices(_ bytes: UnsafeRawBufferPointer, count: Int, dictionaryCount: Int) throws(ParquetError) -> [UInt32] {
        if count == 0 { return [] }
        guard bytes.count >= 1 else { throw ParquetError.corrupt("dictionary indices missing their bit width") }
        let bitWidth = Int(bytes[0])
        var decoder = try RLEBitPackedHybridDecoder(UnsafeRawBufferPointer(rebasing: bytes[1...]), bitWidth: bitWidth)
        var indices = [UInt32](repeating: 0, count: count)
        let n = try indices.withUnsafeMutableBufferPointer { (p) throws(ParquetError) -> Int in
            try decoder.decode(into: p.baseAddress!, count: count)
        }
        guard n == count else { throw ParquetError.corrupt("page holds \(n) dictionary indices, expected \(count)") }
        var maxIndex: UInt32 = 0
        for i in indices { maxIndex = max(maxIndex, i) }
        guard Int(maxIndex) < dictionaryCount else {
            throw ParquetError.corrupt("dictionary index \(maxIndex) out of range (dictionary has \(dictionaryCount) values)")
        }
        return indices
    }

    /// Decodes `count` values in `encoding` and appends them. Returns bytes consumed where known.
    @discardableResult
    private func decodeValues(_ bytes: UnsafeRawBufferPointer, encoding: Encoding, count: Int, dictionary: PhysicalValues?,
                              into values: inout PhysicalValues) throws(ParquetError) -> Int {
        let type = leaf.physicalType
        values.reserve(count)
        defer { values.count += count }
        switch encoding {
        case .plain:
            switch type {
            case .boolean: return try PlainBooleans.decode(bytes, count: count, into: &values.booleans)
            case .int32: return try PlainDecoder.decodeFixed(bytes, count: count, into: &values.int32s)
            case .int64: return try PlainDecoder.decodeFixed(bytes, count: count, into: &values.int64s)
            case .float: return try PlainDecoder.decodeFixed(bytes, count: count, into: &values.floats)
            case .double: return try PlainDecoder.decodeFixed(bytes, count: count, into: &values.doubles)
            case .byteArray: return try PlainDecoder.decodeByteArray(bytes, count: count, offsets: &values.offsets, data: &values.bytes)
            case .int96, .fixedLenByteArray:
                return try PlainDecoder.decodeFixedLenByteArray(bytes, width: values.width, count: count, into: &values.bytes)
            }
        case .rleDictionary, .plainDictionary:
            guard let dictionary else { throw ParquetError.corrupt("dictionary-encoded page but the chunk has no dictionary page") }
            let indices = try decodeIndices(bytes, count: count, dictionaryCount: dictionary.count)
            values.count -= count  // appendGathered counts for itself
            indices.withUnsafeBufferPointer { values.appendGathered(from: dictionary, indices: $0) }
            return bytes.count
        case .rle:
            guard type == .boolean else { throw ParquetError.unsupported("RLE encoding for \(type.name) values") }
            let decoded = try PlainBooleans.decodeRLE(bytes, count: count)
            values.booleans.append(contentsOf: decoded)
            return bytes.count
        case .deltaBinaryPacked:
            var decoder = try DeltaBinaryPackedDecoder(bytes)
            switch type {
            case .int32: try decoder.decode(into: &values.int32s, count: count)
            case .int64: try decoder.decode(into: &values.int64s, count: count)
            default: throw ParquetError.corrupt("DELTA_BINARY_PACKED for \(type.name) values")
            }
            return decoder.consumed
        case .deltaLengthByteArray:
            guard type == .byteArray else { throw ParquetError.corrupt("DELTA_LENGTH_BYTE_ARRAY for \(type.name) values") }
            return try DeltaLengthByteArray.decode(bytes, count: count, offsets: &values.offsets, data: &values.bytes)
        case .deltaByteArray:
            switch type {
            case .byteArray:
                return try DeltaByteArray.decode(bytes, count: count, offsets: &values.offsets, data: &values.bytes)
            case .fixedLenByteArray:
                var offsets = [0]
                var data: [UInt8] = []
                let consumed = try DeltaByteArray.decode(bytes, count: count, offsets: &offsets, data: &data)
                for i in 0..<count where offsets[i + 1] - offsets[i] != values.width {
                    throw ParquetError.corrupt("DELTA_BYTE_ARRAY value \(i) has \(offsets[i + 1] - offsets[i]) bytes in a FIXED_LEN_BYTE_ARRAY(\(values.width)) column")
                }
                values.bytes.append(contentsOf: data)
                return consumed
            default: throw ParquetError.corrupt("DELTA_BYTE_ARRAY for \(type.name) values")
            }
        case .byteStreamSplit:
            switch type {
            case .int32:
                var raw: [UInt8] = []
                try ByteStreamSplit.decode(bytes, width: 4, count: count, into: &raw)
                raw.withUnsafeBytes { values.int32s.append(contentsOf: $0.bindMemory(to: Int32.self)) }
            case .int64:
                var raw: [UInt8] = []
                try ByteStreamSplit.decode(bytes, width: 8, count: count, into: &raw)
                raw.withUnsafeBytes { values.int64s.append(contentsOf: $0.bindMemory(to: Int64.self)) }
            case .float:
                var raw: [UInt8] = []
                try ByteStreamSplit.decode(bytes, width: 4, count: count, into: &raw)
                raw.withUnsafeBytes { values.floats.append(contentsOf: $0.bindMemory(to: Float.self)) }
            case .double:
                var raw: [UInt8] = []
                try ByteStreamSplit.decode(bytes, width: 8, count: count, into: &raw)
                raw.withUnsafeBytes { values.doubles.append(contentsOf: $0.bindMemory(to: Double.self)) }
            case .fixedLenByteArray:
                try ByteStreamSplit.decode(bytes, width: values.width, count: count, into: &values.bytes)
            default: throw ParquetError.corrupt("BYTE_STREAM_SPLIT for \(type.name) values")
            }
            return bytes.count
        default:
            throw ParquetError.unsupported("value encoding \(encoding)")
        }
    }
}
