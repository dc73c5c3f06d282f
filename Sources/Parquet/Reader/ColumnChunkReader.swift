import Columnar
import Compression

/// Reads one column chunk: its pages in file order
///   [dictionary page] data page (v1 or v2) ...
/// each a Thrift `PageHeader` followed by `compressed_page_size` bytes.
///   v1 data page (all of it compressed): [rep levels][def levels][values],
///       levels RLE/bit-packed with a 4-byte length prefix each (or legacy BIT_PACKED);
///   v2 data page: [rep levels][def levels] uncompressed, lengths in the header,
///       then the values, compressed when `is_compressed`.
/// Produces the levels and the non-null values (`LeafData`).
///
/// Speed: pages are decompressed into the `Decompressor`'s reused buffer (no
/// per-page allocation); levels and dictionary indices are decoded run by run
/// (a run of one value is handled once); values go straight into the chunk's
/// arrays, reserved once from the chunk's value count. A top-level flat column
/// (`flatValidity`) turns its definition levels into validity bits directly and
/// keeps no levels.
struct LeafData {
    var repetitionLevels: [UInt16] = []
    var definitionLevels: [UInt16] = []
    /// Number of level entries (= values including nulls, at all nesting depths).
    var entryCount = 0
    /// Data pages decoded (EXPLAIN ANALYZE's pages read).
    var dataPages = 0
    var values: PhysicalValues
    /// When every data page was dictionary-encoded (BYTE_ARRAY columns): the
    /// dictionary and one index per non-null value; `values` is then empty.
    var dictionary: PhysicalValues?
    var dictionaryIndices: [Int32] = []
    /// Top-level flat columns read with `flatValidity`: one bit per entry, set when the
    /// value is present, instead of `definitionLevels`.
    var flatValidity: ValidityBuilder?
}

/// Validity bits built page by page from definition levels. Until the first null the
/// bits are only counted (a column without nulls never allocates them).
struct ValidityBuilder {
    private(set) var count = 0
    private(set) var setCount = 0
    private(set) var hasNull = false
    private var words: [UInt64] = []
    /// Expected number of bits (a capacity hint).
    let expected: Int

    init(expected: Int) { self.expected = expected }

    /// The validity bitmap, nil when every value is present.
    var bitmap: Bitmap? { hasNull ? Bitmap(words: words, count: count) : nil }

    /// Appends `n` bits of value `valid`.
    mutating func append(valid: Bool, count n: Int) {
        guard n > 0 else { return }
        if !hasNull {
            if valid {
                setCount &+= n
                count &+= n
                return
            }
            materialize()
        }
        let start = count
        grow(toBits: start &+ n)
        if valid {
            setBits(start, start &+ n)
            setCount &+= n
        }
        count &+= n
    }

    /// Appends one bit per level, set when the level is at least `threshold`. Returns how many were set.
    mutating func append(levels: UnsafeBufferPointer<UInt32>, threshold: UInt32) -> Int {
        let n = levels.count
        var set = 0
        for l in levels { set &+= l >= threshold ? 1 : 0 }
        if set == n && !hasNull {
            setCount &+= n
            count &+= n
            return n
        }
        if !hasNull { materialize() }
        let start = count
        grow(toBits: start &+ n)
        words.withUnsafeMutableBufferPointer { w in
            for k in 0..<n where levels[k] >= threshold {
                let i = start &+ k
                w[i &>> 6] |= 1 &<< UInt64(i & 63)
            }
        }
        setCount &+= set
        count &+= n
        return set
    }

    /// First null: the bits so far (all set) become words.
    private mutating func materialize() {
        hasNull = true
        words.reserveCapacity(Swift.max((expected &+ 63) &>> 6, (count &+ 63) &>> 6))
        words.append(contentsOf: repeatElement(~0, count: count &>> 6))
        if count & 63 != 0 { words.append((1 &<< UInt64(count & 63)) &- 1) }
    }

    private mutating func grow(toBits bits: Int) {
        let need = (bits &+ 63) &>> 6
        if need > words.count { words.append(contentsOf: repeatElement(0, count: need &- words.count)) }
    }

    /// Sets bits [from, to); the words already cover them.
    private mutating func setBits(_ from: Int, _ to: Int) {
        words.withUnsafeMutableBufferPointer { w in
            var i = from
            while i < to {
                let bit = i & 63
                let n = Swift.min(64 &- bit, to &- i)
                let mask: UInt64 = n == 64 ? ~0 : ((1 &<< UInt64(n)) &- 1) &<< UInt64(bit)
                w[i &>> 6] |= mask
                i &+= n
            }
        }
    }
}

struct ColumnChunkReader {
    /// Capacity to reserve for the chunk's values (count) and, for BYTE_ARRAY, their bytes.
    struct Hints { var values: Int, bytes: Int }

    let leaf: LeafColumn
    let codec: Codec
    let context: String
    /// FIXED_LEN_BYTE_ARRAY decimals that fit Int64 are converted while decoding.
    let decimalAsInt64: Bool

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
        if leaf.physicalType == .fixedLenByteArray, leaf.typeLength >= 1, leaf.typeLength <= 8,
           case let .decimal(precision, _) = leaf.dataType(), precision <= 18 {
            decimalAsInt64 = true
        } else {
            decimalAsInt64 = false
        }
    }

    func emptyValues() -> PhysicalValues {
        PhysicalValues(type: leaf.physicalType, width: leaf.typeLength, decimalAsInt64: decimalAsInt64)
    }

    /// Decodes every page of the chunk held in `bytes`.
    func read(_ bytes: [UInt8], expectedValues: Int64, keepDictionary: Bool) throws(ParquetError) -> LeafData {
        try bytes.withParquetBytes { (chunk: UnsafeRawBufferPointer) throws(ParquetError) -> LeafData in
            try read(chunk, expectedValues: expectedValues, keepDictionary: keepDictionary, flatValidity: false,
                     decompressor: Decompressor())
        }
    }

    /// Decodes every page of the chunk held in `chunk`. `flatValidity`: the leaf is a
    /// top-level flat column (no repetition): produce validity bits, not definition levels.
    /// `sizeHint`: the chunk's uncompressed size, to reserve the value arrays once.
    func read(_ chunk: UnsafeRawBufferPointer, expectedValues: Int64, keepDictionary: Bool, flatValidity: Bool,
              decompressor: Decompressor, sizeHint: Int = 0) throws(ParquetError) -> LeafData {
        var data = LeafData(values: emptyValues())
        // Reserve for the announced value count, within what the chunk's size makes plausible
        // (a lying count must not allocate much; a short reservation just grows).
        let plausible = Swift.max(1 << 16, Swift.min(sizeHint, 1 << 40) &* 8)
        let hint = Int(Swift.max(0, Swift.min(expectedValues, Int64(plausible))))
        let flat = flatValidity && leaf.maxRepetitionLevel == 0 && leaf.maxDefinitionLevel > 0
        if flat { data.flatValidity = ValidityBuilder(expected: hint) }
        var dictionary: PhysicalValues?
        var allDictionaryEncoded = keepDictionary && leaf.physicalType == .byteArray
        let bytesHint = Swift.min(sizeHint, 1 << 30)
        let hints = Hints(values: hint, bytes: bytesHint)
        if allDictionaryEncoded {
            data.dictionaryIndices.reserveCapacity(hint)
        } else {
            data.values.reserve(hint)
            if data.values.kind == .byteArray { data.values.bytes.reserveCapacity(bytesHint) }
        }
        var pageNumber = 0
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
                    let raw = try decompress(body, size: Int(header.uncompressedPageSize), with: decompressor)
                    dictionary = try decodeDictionary(raw, header: dictHeader)
                case .dataPage:
                    guard let h = header.dataPageHeader else { throw ParquetError.corrupt("data page without a data page header") }
                    data.dataPages += 1
                    let page = try decompress(body, size: Int(header.uncompressedPageSize), with: decompressor,
                                              plainIntegers: h.encoding == .plain && Self.isInteger(leaf.physicalType))
                    try decodeDataPageV1(page, header: h, dictionary: dictionary, allDictionary: &allDictionaryEncoded, into: &data,
                                         hints: hints)
                case .dataPageV2:
                    guard let h = header.dataPageHeaderV2 else { throw ParquetError.corrupt("v2 data page without a v2 header") }
                    data.dataPages += 1
                    try decodeDataPageV2(body, header: h, uncompressedSize: Int(header.uncompressedPageSize),
                                         dictionary: dictionary, allDictionary: &allDictionaryEncoded, into: &data,
                                         decompressor: decompressor, hints: hints)
                default:
                    break  // index pages and page types from the future carry nothing we need
                }
            } catch {
                throw error.context(where_)
            }
        }
        if allDictionaryEncoded, let dictionary, !data.dictionaryIndices.isEmpty || data.values.count == 0 {
            data.dictionary = dictionary
        }
        return data
    }

    private func decompress(_ body: UnsafeRawBufferPointer, size: Int, with decompressor: Decompressor,
                            plainIntegers: Bool = false) throws(ParquetError) -> UnsafeRawBufferPointer {
        do {
            return try decompressor.decompress(codec, body, uncompressedSize: size, plainIntegers: plainIntegers)
        } catch {
            throw ParquetError.corrupt(error.message)
        }
    }

    static func isInteger(_ type: PhysicalType) -> Bool { type == .int32 || type == .int64 }

    private func decodeDictionary(_ page: UnsafeRawBufferPointer, header: DictionaryPageHeader) throws(ParquetError) -> PhysicalValues {
        guard header.encoding == .plain || header.encoding == .plainDictionary else {
            throw ParquetError.unsupported("dictionary page encoding \(header.encoding)")
        }
        let count = Int(header.numValues)
        guard count >= 0 else { throw ParquetError.corrupt("dictionary page has a negative value count \(count)") }
        var values = emptyValues()
        _ = try decodeValues(page, encoding: .plain, count: count, dictionary: nil, into: &values)
        return values
    }

    // MARK: data pages

    private func decodeDataPageV1(_ page: UnsafeRawBufferPointer, header: DataPageHeader, dictionary: PhysicalValues?,
                                  allDictionary: inout Bool, into data: inout LeafData, hints: Hints) throws(ParquetError) {
        let count = Int(header.numValues)
        guard count >= 0 else { throw ParquetError.corrupt("negative value count \(count)") }
        var position = 0
        if leaf.maxRepetitionLevel > 0 {
            var none: ValidityBuilder?
            let (consumed, _) = try decodeLevelsV1(UnsafeRawBufferPointer(rebasing: page[position...]), encoding: header.repetitionLevelEncoding,
                                                   maxLevel: leaf.maxRepetitionLevel, count: count, validity: &none,
                                                   into: &data.repetitionLevels, what: "repetition")
            position += consumed
        }
        var nonNull = count
        if leaf.maxDefinitionLevel > 0 {
            let (consumed, full) = try decodeLevelsV1(UnsafeRawBufferPointer(rebasing: page[position...]), encoding: header.definitionLevelEncoding,
                                                      maxLevel: leaf.maxDefinitionLevel, count: count, validity: &data.flatValidity,
                                                      into: &data.definitionLevels, what: "definition")
            position += consumed
            nonNull = full
        }
        data.entryCount += count
        try decodeValues(UnsafeRawBufferPointer(rebasing: page[position...]), encoding: header.encoding, count: nonNull,
                         dictionary: dictionary, allDictionary: &allDictionary, into: &data, hints: hints)
    }

    private func decodeDataPageV2(_ body: UnsafeRawBufferPointer, header: DataPageHeaderV2, uncompressedSize: Int, dictionary: PhysicalValues?,
                                  allDictionary: inout Bool, into data: inout LeafData, decompressor: Decompressor,
                                  hints: Hints) throws(ParquetError) {
        let count = Int(header.numValues)
        let repLength = Int(header.repetitionLevelsByteLength)
        let defLength = Int(header.definitionLevelsByteLength)
        guard count >= 0, repLength >= 0, defLength >= 0, repLength <= body.count, defLength <= body.count - repLength else {
            throw ParquetError.corrupt("v2 page level lengths (\(repLength), \(defLength)) exceed the page (\(body.count) bytes)")
        }
        if leaf.maxRepetitionLevel > 0 {
            var decoder = try RLEBitPackedHybridDecoder(UnsafeRawBufferPointer(rebasing: body[0..<repLength]),
                                                        bitWidth: Self.bitWidth(leaf.maxRepetitionLevel))
            var none: ValidityBuilder?
            _ = try decodeLevels(&decoder, maxLevel: leaf.maxRepetitionLevel, count: count, validity: &none,
                                 into: &data.repetitionLevels, what: "repetition")
        }
        var nonNull = count
        if leaf.maxDefinitionLevel > 0 {
            var decoder = try RLEBitPackedHybridDecoder(UnsafeRawBufferPointer(rebasing: body[repLength..<(repLength + defLength)]),
                                                        bitWidth: Self.bitWidth(leaf.maxDefinitionLevel))
            nonNull = try decodeLevels(&decoder, maxLevel: leaf.maxDefinitionLevel, count: count, validity: &data.flatValidity,
                                       into: &data.definitionLevels, what: "definition")
        }
        data.entryCount += count
        let valuesPart = UnsafeRawBufferPointer(rebasing: body[(repLength + defLength)...])
        let valuesSize = uncompressedSize - repLength - defLength
        guard valuesSize >= 0 else { throw ParquetError.corrupt("v2 page levels are longer than the page") }
        if header.isCompressed && codec != .uncompressed && !(valuesPart.isEmpty && valuesSize == 0) {
            let values = try decompress(valuesPart, size: valuesSize, with: decompressor,
                                        plainIntegers: header.encoding == .plain && Self.isInteger(leaf.physicalType))
            try decodeValues(values, encoding: header.encoding, count: nonNull, dictionary: dictionary, allDictionary: &allDictionary, into: &data, hints: hints)
        } else {
            try decodeValues(valuesPart, encoding: header.encoding, count: nonNull, dictionary: dictionary, allDictionary: &allDictionary, into: &data, hints: hints)
        }
    }

    // MARK: levels

    /// v1 levels: RLE with a 4-byte length prefix, or the deprecated BIT_PACKED.
    /// Returns the bytes consumed and how many levels equal `maxLevel`.
    private func decodeLevelsV1(_ bytes: UnsafeRawBufferPointer, encoding: Encoding, maxLevel: Int, count: Int,
                                validity: inout ValidityBuilder?, into levels: inout [UInt16],
                                what: String) throws(ParquetError) -> (consumed: Int, full: Int) {
        let bitWidth = Self.bitWidth(maxLevel)
        if encoding == .bitPacked {
            let (values, consumed) = try decodeLegacyBitPacked(bytes, bitWidth: bitWidth, count: count)
            var sink = LevelSink(maxLevel: maxLevel)
            values.withUnsafeBufferPointer { sink.literal($0, validity: &validity, levels: &levels) }
            guard !sink.bad else { throw ParquetError.corrupt("\(what) level above the column's maximum \(maxLevel)") }
            return (consumed, sink.full)
        }
        guard encoding == .rle else { throw ParquetError.unsupported("\(what) level encoding \(encoding)") }
        var (decoder, consumed) = try RLEBitPackedHybridDecoder.levelsV1(bytes, bitWidth: bitWidth)
        let full = try decodeLevels(&decoder, maxLevel: maxLevel, count: count, validity: &validity, into: &levels, what: what)
        return (consumed, full)
    }

    /// Decodes `count` levels: as validity bits when `validity` is non-nil (flat columns), else
    /// appended to `levels`. Returns how many equal `maxLevel` (for definition levels: the
    /// non-null values).
    private func decodeLevels(_ decoder: inout RLEBitPackedHybridDecoder, maxLevel: Int, count: Int,
                              validity: inout ValidityBuilder?, into levels: inout [UInt16], what: String) throws(ParquetError) -> Int {
        var sink = LevelSink(maxLevel: maxLevel)
        if validity == nil { BitPacking.reserve(&levels, extra: Swift.min(count, 1 << 20)) }
        let n = try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 1024) { (scratch) throws(ParquetError) -> Int in
            try decoder.decodeRuns(count: count, scratch: scratch,
                                   repeated: { v, n in sink.repeated(v, n, validity: &validity, levels: &levels) },
                                   literal: { sink.literal($0, validity: &validity, levels: &levels) })
        }
        guard !sink.bad else { throw ParquetError.corrupt("\(what) level above the column's maximum \(maxLevel)") }
        guard n == count else {
            throw ParquetError.corrupt("page has \(n) \(what) levels, its header says \(count) values")
        }
        return sink.full
    }

    static func bitWidth(_ maxLevel: Int) -> Int {
        maxLevel == 0 ? 0 : Int.bitWidth - maxLevel.leadingZeroBitCount
    }

    // MARK: values

    private func decodeValues(_ bytes: UnsafeRawBufferPointer, encoding: Encoding, count: Int, dictionary: PhysicalValues?,
                              allDictionary: inout Bool, into data: inout LeafData, hints: Hints) throws(ParquetError) {
        let isDictionary = encoding == .rleDictionary || encoding == .plainDictionary
        if isDictionary && allDictionary {
            guard let dictionary else { throw ParquetError.corrupt("dictionary-encoded page but the chunk has no dictionary page") }
            try appendIndices(bytes, count: count, dictionaryCount: dictionary.count, into: &data.dictionaryIndices)
            return
        }
        if allDictionary && !isDictionary {
            // A writer fell back to plain pages: materialize what was kept as indices.
            allDictionary = false
            data.values.reserve(hints.values)
            if data.values.kind == .byteArray { data.values.bytes.reserveCapacity(hints.bytes) }
            if let dictionary, !data.dictionaryIndices.isEmpty {
                data.dictionaryIndices.withUnsafeBufferPointer { indices in
                    indices.withMemoryRebound(to: UInt32.self) { data.values.appendGathered(from: dictionary, indices: $0) }
                }
                data.dictionaryIndices = []
            }
        }
        _ = try decodeValues(bytes, encoding: encoding, count: count, dictionary: dictionary, into: &data.values)
    }

    /// Dictionary indices kept as they are (dictionary columns): appended as Int32, checked
    /// against the dictionary's size.
    private func appendIndices(_ bytes: UnsafeRawBufferPointer, count: Int, dictionaryCount: Int,
                               into out: inout [Int32]) throws(ParquetError) {
        if count == 0 { return }
        guard bytes.count >= 1 else { throw ParquetError.corrupt("dictionary indices missing their bit width") }
        var decoder = try RLEBitPackedHybridDecoder(UnsafeRawBufferPointer(rebasing: bytes[1...]), bitWidth: Int(bytes[0]))
        let limit = UInt32(clamping: dictionaryCount)
        var worst: UInt32 = 0
        BitPacking.reserve(&out, extra: Swift.min(count, 1 << 20))
        let n = try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 1024) { (scratch) throws(ParquetError) -> Int in
            try decoder.decodeRuns(count: count, scratch: scratch, repeated: { v, n in
                worst = Swift.max(worst, v)
                out.append(contentsOf: repeatElement(Int32(bitPattern: v), count: n))
            }, literal: { values in
                var m: UInt32 = 0
                for v in values { m = Swift.max(m, v) }
                worst = Swift.max(worst, m)
                values.withMemoryRebound(to: Int32.self) { out.append(contentsOf: $0) }
            })
        }
        guard n == count else { throw ParquetError.corrupt("page holds \(n) dictionary indices, expected \(count)") }
        guard worst < limit else {
            throw ParquetError.corrupt("dictionary index \(worst) out of range (dictionary has \(dictionaryCount) values)")
        }
    }

    /// Dictionary-encoded values looked up as they are decoded: a run of one index appends
    /// its value `n` times, bit-packed indices are gathered.
    private func appendDictionaryValues(_ bytes: UnsafeRawBufferPointer, count: Int, dictionary: PhysicalValues,
                                        into values: inout PhysicalValues) throws(ParquetError) {
        if count == 0 { return }
        guard bytes.count >= 1 else { throw ParquetError.corrupt("dictionary indices missing their bit width") }
        var decoder = try RLEBitPackedHybridDecoder(UnsafeRawBufferPointer(rebasing: bytes[1...]), bitWidth: Int(bytes[0]))
        let limit = UInt32(clamping: dictionary.count)
        var bad: UInt32?
        let n = try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 1024) { (scratch) throws(ParquetError) -> Int in
            try decoder.decodeRuns(count: count, scratch: scratch, repeated: { v, n in
                guard bad == nil else { return }
                guard v < limit else { bad = v; return }
                values.appendRepeated(from: dictionary, index: Int(v), count: n)
            }, literal: { indices in
                guard bad == nil else { return }
                var m: UInt32 = 0
                for v in indices { m = Swift.max(m, v) }
                guard m < limit else { bad = m; return }
                values.appendGathered(from: dictionary, indices: indices)
            })
        }
        if let bad {
            throw ParquetError.corrupt("dictionary index \(bad) out of range (dictionary has \(dictionary.count) values)")
        }
        guard n == count else { throw ParquetError.corrupt("page holds \(n) dictionary indices, expected \(count)") }
    }

    /// Decodes `count` values in `encoding` and appends them. Returns bytes consumed where known.
    @discardableResult
    private func decodeValues(_ bytes: UnsafeRawBufferPointer, encoding: Encoding, count: Int, dictionary: PhysicalValues?,
                              into values: inout PhysicalValues) throws(ParquetError) -> Int {
        let type = leaf.physicalType
        if encoding == .rleDictionary || encoding == .plainDictionary {
            guard let dictionary else { throw ParquetError.corrupt("dictionary-encoded page but the chunk has no dictionary page") }
            values.reserve(count)
            try appendDictionaryValues(bytes, count: count, dictionary: dictionary, into: &values)
            return bytes.count
        }
        if values.decimalAsInt64 {
            guard encoding == .plain else {
                // Rare encodings for decimals: decode the bytes, then convert them.
                var raw = PhysicalValues(type: type, width: values.width)
                let consumed = try decodeValues(bytes, encoding: encoding, count: count, dictionary: nil, into: &raw)
                BigEndianDecimal.appendInt64(raw.bytes, width: values.width, into: &values.int64s)
                values.count += count
                return consumed
            }
            let width = values.width
            guard count > 0 else { return 0 }
            guard count <= bytes.count / width, let src = bytes.baseAddress else {
                throw ParquetError.corrupt("PLAIN FIXED_LEN_BYTE_ARRAY: \(count) values of \(width) bytes need more than the \(bytes.count) bytes present")
            }
            BigEndianDecimal.appendInt64(src, available: bytes.count, width: width, count: count, into: &values.int64s)
            values.count += count
            return count * width
        }
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

/// Where decoded levels go: validity bits (flat columns) or the level array; counts the
/// levels equal to the maximum and notes any above it.
private struct LevelSink {
    let max: UInt32
    var full = 0
    var bad = false

    init(maxLevel: Int) { max = UInt32(maxLevel) }

    @inline(__always)
    mutating func repeated(_ v: UInt32, _ n: Int, validity: inout ValidityBuilder?, levels: inout [UInt16]) {
        if v > max { bad = true; return }
        if v == max { full &+= n }
        if validity != nil {
            validity!.append(valid: v == max, count: n)
        } else {
            levels.append(contentsOf: repeatElement(UInt16(truncatingIfNeeded: v), count: n))
        }
    }

    @inline(__always)
    mutating func literal(_ values: UnsafeBufferPointer<UInt32>, validity: inout ValidityBuilder?, levels: inout [UInt16]) {
        var m: UInt32 = 0
        for v in values { m = Swift.max(m, v) }
        if m > max { bad = true; return }
        if validity != nil {
            full &+= validity!.append(levels: values, threshold: max)
            return
        }
        var f = 0
        withUnsafeTemporaryAllocation(of: UInt16.self, capacity: values.count) { tmp in
            let t = tmp.baseAddress!
            for k in 0..<values.count {
                let v = values[k]
                f &+= v == max ? 1 : 0
                t[k] = UInt16(truncatingIfNeeded: v)
            }
            levels.append(contentsOf: UnsafeBufferPointer(start: t, count: values.count))
        }
        full &+= f
    }
}
