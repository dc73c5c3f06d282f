import Columnar

/// The non-null values of one leaf column chunk in their Parquet physical
/// form, densely packed (the writer's mirror of the reader's `PhysicalValues`).
/// One stored array per physical type keeps appends in place; only the one
/// matching `kind` is used.
struct DenseValues {
    let kind: LeafValueKind
    var count = 0
    var booleans: [UInt8] = []
    var int32s: [Int32] = []
    var int64s: [Int64] = []
    var floats: [Float] = []
    var doubles: [Double] = []
    /// BYTE_ARRAY: value i is bytes[offsets[i]..<offsets[i+1]] (or, when `indexed`,
    /// dictionary entry `indices[i]`). FIXED_LEN_BYTE_ARRAY: value i is bytes[i*width...].
    var offsets: [Int] = [0]
    var bytes: [UInt8] = []
    /// BYTE_ARRAY values taken from dictionary columns: value i is entry `indices[i]`
    /// of the dictionary held in `offsets`/`bytes` (the concatenated input dictionaries).
    var indexed = false
    var indices: [Int32] = []

    init(kind: LeafValueKind, indexed: Bool = false) {
        self.kind = kind
        self.indexed = indexed
    }

    var width: Int { kind.width }

    /// Plain-encoded size of values `range` (an estimate for indexed values: their entries' sizes).
    func plainSize(_ range: Range<Int>) -> Int {
        switch kind {
        case .boolean: return (range.count + 7) / 8
        case .byteArray:
            if indexed {
                var total = 0
                for i in range { let k = Int(indices[i]); total += 4 + offsets[k + 1] - offsets[k] }
                return total
            }
            return 4 * range.count + offsets[range.upperBound] - offsets[range.lowerBound]
        default: return range.count * width
        }
    }

    /// Turns indexed values into plain ones (when they are not dictionary-encoded after all).
    mutating func materialize() {
        guard indexed else { return }
        var newOffsets = [Int]()
        newOffsets.reserveCapacity(indices.count + 1)
        newOffsets.append(0)
        var total = 0
        for i in indices { total += offsets[Int(i) + 1] - offsets[Int(i)] }
        var newBytes = [UInt8]()
        newBytes.reserveCapacity(total)
        offsets.withUnsafeBufferPointer { off in
            bytes.withUnsafeBufferPointer { src in
                for i in indices {
                    let k = Int(i)
                    newBytes.append(contentsOf: UnsafeBufferPointer(rebasing: src[off[k]..<off[k + 1]]))
                    newOffsets.append(newBytes.count)
                }
            }
        }
        offsets = newOffsets
        bytes = newBytes
        indices = []
        indexed = false
    }
}

/// Which slots of a leaf column hold this chunk's non-null values, in order.
struct Selection {
    /// Explicit slots (nested columns: the shredder found them).
    var positions: [Int]?
    /// Otherwise every slot of `range` whose `validity` bit is set (all when nil).
    var range: Range<Int>
    var validity: Bitmap?

    var isContiguous: Bool { positions == nil && validity == nil }
}

/// Appends a Columnar column's values to `DenseValues`, converting storage to the physical type.
enum ValueGatherer {
    static func append(_ column: Column, _ selection: Selection, to values: inout DenseValues, context: String) throws(ParquetError) {
        if case let .dictionary(indices, dictionary) = column.storage {
            try appendDictionary(indices: indices, dictionary: dictionary, selection, to: &values, context: context)
            return
        }
        switch values.kind {
        case .boolean:
            guard case let .boolean(v) = column.storage else { throw mismatch(column, context) }
            gather(v, selection, into: &values.booleans) { $0 != 0 ? 1 : 0 }
        case .int32:
            switch column.storage {
            case let .int32(v): gather(v, selection, into: &values.int32s) { $0 }
            case let .int8(v): gather(v, selection, into: &values.int32s) { Int32($0) }
            case let .int16(v): gather(v, selection, into: &values.int32s) { Int32($0) }
            case let .uint8(v): gather(v, selection, into: &values.int32s) { Int32($0) }
            case let .uint16(v): gather(v, selection, into: &values.int32s) { Int32($0) }
            case let .uint32(v): gather(v, selection, into: &values.int32s) { Int32(bitPattern: $0) }
            case let .int64(v): gather(v, selection, into: &values.int32s) { Int32(truncatingIfNeeded: $0) }
            case let .uint64(v): gather(v, selection, into: &values.int32s) { Int32(truncatingIfNeeded: $0) }
            case let .int128(v): gather(v, selection, into: &values.int32s) { Int32(truncatingIfNeeded: $0) }
            default: throw mismatch(column, context)
            }
        case .int64:
            switch column.storage {
            case let .int64(v): gather(v, selection, into: &values.int64s) { $0 }
            case let .uint64(v): gather(v, selection, into: &values.int64s) { Int64(bitPattern: $0) }
            case let .int32(v): gather(v, selection, into: &values.int64s) { Int64($0) }
            case let .uint32(v): gather(v, selection, into: &values.int64s) { Int64($0) }
            case let .int128(v): gather(v, selection, into: &values.int64s) { Int64(truncatingIfNeeded: $0) }
            default: throw mismatch(column, context)
            }
        case .float:
            guard case let .float32(v) = column.storage else { throw mismatch(column, context) }
            gather(v, selection, into: &values.floats) { $0 }
        case .double:
            guard case let .float64(v) = column.storage else { throw mismatch(column, context) }
            gather(v, selection, into: &values.doubles) { $0 }
        case .byteArray:
            guard case let .bytes(offsets, data) = column.storage else { throw mismatch(column, context) }
            guard offsets.count >= column.count + 1 || column.count == 0 else {
                throw ParquetError.corrupt("\(context): \(offsets.count) offsets for \(column.count) values")
            }
            if values.indexed { values.materialize() }
            gatherBytes(offsets: offsets, data: data, selection, into: &values)
        case .fixed(let width):
            guard case let .fixedBytes(w, data) = column.storage, w == width else { throw mismatch(column, context) }
            guard data.count >= column.count * width else { throw ParquetError.corrupt("\(context): fixed-width data too short") }
            gatherFixed(data: data, width: width, selection, into: &values)
        case .float16:
            switch column.storage {
            case let .uint16(v):
                var bits: [UInt16] = []
                gather(v, selection, into: &bits) { $0 }
                values.bytes.reserveCapacity(values.bytes.count + bits.count * 2)
                for b in bits {
                    values.bytes.append(UInt8(truncatingIfNeeded: b))
                    values.bytes.append(UInt8(truncatingIfNeeded: b >> 8))
                }
            case let .fixedBytes(2, data): gatherFixed(data: data, width: 2, selection, into: &values)
            default: throw mismatch(column, context)
            }
        case .decimalFixed(let width):
            var wide: [Int128] = []
            switch column.storage {
            case let .int128(v): gather(v, selection, into: &wide) { $0 }
            case let .int64(v): gather(v, selection, into: &wide) { Int128($0) }
            case let .int32(v): gather(v, selection, into: &wide) { Int128($0) }
            default: throw mismatch(column, context)
            }
            values.bytes.reserveCapacity(values.bytes.count + wide.count * width)
            for v in wide { appendBigEndian(v, width: width, to: &values.bytes) }
        }
        values.count = countOf(values)
    }

    private static func countOf(_ v: DenseValues) -> Int {
        switch v.kind {
        case .boolean: v.booleans.count
        case .int32: v.int32s.count
        case .int64: v.int64s.count
        case .float: v.floats.count
        case .double: v.doubles.count
        case .byteArray: v.indexed ? v.indices.count : v.offsets.count - 1
        case .fixed, .float16, .decimalFixed: v.width == 0 ? v.count : v.bytes.count / v.width
        }
    }

    /// Big-endian two's complement in `width` bytes (sign-extended beyond 16).
    static func appendBigEndian(_ v: Int128, width: Int, to out: inout [UInt8]) {
        var shift = (width - 1) * 8
        while shift >= 0 {
            out.append(shift >= 128 ? (v < 0 ? 0xFF : 0) : UInt8(truncatingIfNeeded: v >> shift))
            shift -= 8
        }
    }

    private static func mismatch(_ column: Column, _ context: String) -> ParquetError {
        ParquetError.unsupported("\(context): column storage does not match its type \(column.type)")
    }

    @inline(__always)
    static func gather<S, D>(_ source: [S], _ selection: Selection, into out: inout [D], _ convert: (S) -> D) {
        source.withUnsafeBufferPointer { src in
            if let positions = selection.positions {
                out.reserveCapacity(out.count + positions.count)
                for p in positions { out.append(convert(src[p])) }
            } else if let validity = selection.validity {
                out.reserveCapacity(out.count + selection.range.count)
                for i in selection.range where validity[i] { out.append(convert(src[i])) }
            } else if S.self == D.self {
                out.append(contentsOf: unsafeBitCast(UnsafeBufferPointer(rebasing: src[selection.range]), to: UnsafeBufferPointer<D>.self))
            } else {
                out.reserveCapacity(out.count + selection.range.count)
                for i in selection.range { out.append(convert(src[i])) }
            }
        }
    }

    static func gatherBytes(offsets: [Int], data: [UInt8], _ selection: Selection, into values: inout DenseValues) {
        offsets.withUnsafeBufferPointer { off in
            data.withUnsafeBufferPointer { src in
                if selection.isContiguous {
                    let r = selection.range
                    guard !r.isEmpty else { return }
                    let start = off[r.lowerBound], end = off[r.upperBound]
                    let shift = values.bytes.count - start
                    values.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: src[start..<end]))
                    values.offsets.reserveCapacity(values.offsets.count + r.count)
                    for i in (r.lowerBound + 1)...r.upperBound { values.offsets.append(off[i] + shift) }
                    return
                }
                func one(_ p: Int) {
                    values.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: src[off[p]..<off[p + 1]]))
                    values.offsets.append(values.bytes.count)
                }
                if let positions = selection.positions {
                    values.offsets.reserveCapacity(values.offsets.count + positions.count)
                    for p in positions { one(p) }
                } else if let validity = selection.validity {
                    values.offsets.reserveCapacity(values.offsets.count + selection.range.count)
                    for p in selection.range where validity[p] { one(p) }
                }
            }
        }
    }

    static func gatherFixed(data: [UInt8], width: Int, _ selection: Selection, into values: inout DenseValues) {
        guard width > 0 else {
            // Zero-width values: only their number matters.
            if let positions = selection.positions { values.count += positions.count }
            else if let validity = selection.validity { for i in selection.range where validity[i] { values.count += 1 } }
            else { values.count += selection.range.count }
            return
        }
        data.withUnsafeBufferPointer { src in
            if selection.isContiguous {
                values.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: src[(selection.range.lowerBound * width)..<(selection.range.upperBound * width)]))
                return
            }
            func one(_ p: Int) { values.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: src[(p * width)..<((p + 1) * width)])) }
            if let positions = selection.positions {
                values.bytes.reserveCapacity(values.bytes.count + positions.count * width)
                for p in positions { one(p) }
            } else if let validity = selection.validity {
                for p in selection.range where validity[p] { one(p) }
            }
        }
    }

    /// Dictionary-storage columns: indices into a dictionary column.
    private static func appendDictionary(indices: [Int32], dictionary: Box<Column>, _ selection: Selection, to values: inout DenseValues,
                                         context: String) throws(ParquetError) {
        let dict = dictionary.value
        var picked: [Int32] = []
        gather(indices, selection, into: &picked) { $0 }
        for i in picked where i < 0 || Int(i) >= dict.count {
            throw ParquetError.corrupt("\(context): dictionary index \(i) out of range (\(dict.count) entries)")
        }
        if values.indexed, case let .bytes(dictOffsets, dictData) = dict.storage, dictOffsets.count >= dict.count + 1 {
            // Keep indices; append this dictionary (once per distinct dictionary buffer in a row).
            let base = Int32(values.offsets.count - 1)
            let shift = values.bytes.count
            values.bytes.append(contentsOf: dictData[0..<dictOffsets[dict.count]])
            values.offsets.reserveCapacity(values.offsets.count + dict.count)
            if dict.count > 0 { for k in 1...dict.count { values.offsets.append(dictOffsets[k] + shift) } }
            values.indices.reserveCapacity(values.indices.count + picked.count)
            for i in picked { values.indices.append(i + base) }
            values.count = values.indices.count
            return
        }
        if values.indexed { values.materialize() }
        try append(dict, Selection(positions: picked.map { Int($0) }, range: 0..<0, validity: nil), to: &values, context: context)
    }
}
