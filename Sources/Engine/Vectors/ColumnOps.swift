import Columnar
import Kernels

/// Reshaping columns: gather rows, keep rows by a mask, decode dictionaries,
/// concatenate batches. Operators use these between kernels.
extension Column {
    /// The number of entries of a dictionary column's dictionary (0 for other storage).
    var storageDictionaryCount: Int {
        if case let .dictionary(_, dictionary) = storage { dictionary.value.count } else { 0 }
    }

    /// The same values without a dictionary (dictionary columns decoded).
    func materialized() -> Column {
        guard case let .dictionary(indices, dictionary) = storage else { return self }
        var out = dictionary.value.materialized().take(indices)
        if let validity {
            out.validity = Column.andValidity(out.validity, validity)
        }
        return out
    }

    /// Rows `indices` (each in 0..<count), in that order.
    func take(_ indices: [Int32]) -> Column {
        let n = indices.count
        var newValidity: Bitmap?
        if let validity {
            newValidity = indices.withUnsafeBufferPointer { Kernels.take(validity, indices: $0) }
        }
        func gather<T: BitwiseCopyable>(_ v: [T]) -> [T] {
            v.withUnsafeBufferPointer { src in indices.withUnsafeBufferPointer { Kernels.take(src, indices: $0) } }
        }
        let newStorage: Storage
        switch storage {
        case let .boolean(v): newStorage = .boolean(gather(v))
        case let .int8(v): newStorage = .int8(gather(v))
        case let .int16(v): newStorage = .int16(gather(v))
        case let .int32(v): newStorage = .int32(gather(v))
        case let .int64(v): newStorage = .int64(gather(v))
        case let .uint8(v): newStorage = .uint8(gather(v))
        case let .uint16(v): newStorage = .uint16(gather(v))
        case let .uint32(v): newStorage = .uint32(gather(v))
        case let .uint64(v): newStorage = .uint64(gather(v))
        case let .float32(v): newStorage = .float32(gather(v))
        case let .float64(v): newStorage = .float64(gather(v))
        case let .int128(v): newStorage = .int128(gather(v))
        case let .bytes(offsets, data):
            let taken = offsets.withUnsafeBufferPointer { o in
                data.withUnsafeBufferPointer { d in indices.withUnsafeBufferPointer { Kernels.take(offsets: o, data: d, indices: $0) } }
            }
            newStorage = .bytes(offsets: taken.offsets, data: taken.data)
        case let .fixedBytes(w, data):
            var newData = [UInt8]()
            newData.reserveCapacity(n * w)
            for r in indices { newData.append(contentsOf: data[(Int(r) * w)..<((Int(r) + 1) * w)]) }
            newStorage = .fixedBytes(width: w, data: newData)
        case let .dictionary(dIndices, dictionary):
            newStorage = .dictionary(indices: gather(dIndices), dictionary: dictionary)
        case let .list(offsets, child):
            // The rows' element ranges, gathered from the child.
            var newOffsets = [0]
            newOffsets.reserveCapacity(n + 1)
            var elements: [Int32] = []
            for r in indices {
                let start = offsets[Int(r)], end = offsets[Int(r) + 1]
                var k = start
                while k < end {
                    elements.append(Int32(k))
                    k += 1
                }
                newOffsets.append(newOffsets[newOffsets.count - 1] + (end - start))
            }
            newStorage = .list(offsets: newOffsets, child: Box(child.value.take(elements)))
        case let .structure(fields):
            newStorage = .structure(fields.map { $0.take(indices) })
        }
        return Column(type: type, count: n, validity: newValidity, storage: newStorage)
    }

    /// The rows whose mask byte is non-zero.
    func filter(_ mask: [UInt8]) -> Column {
        take(Column.selection(mask))
    }

    /// Indices of the non-zero bytes of `mask`.
    static func selection(_ mask: [UInt8]) -> [Int32] {
        mask.withUnsafeBufferPointer { Kernels.selection(fromMask: $0) }
    }

    /// Rows `start..<start+length`: contiguous copies (the whole column is returned as is).
    func slice(_ start: Int, _ length: Int) -> Column {
        if start == 0 && length == count { return self }
        let end = start + length
        func part<T>(_ v: [T]) -> [T] { Array(v[start..<end]) }
        let newStorage: Storage
        switch storage {
        case let .boolean(v): newStorage = .boolean(part(v))
        case let .int8(v): newStorage = .int8(part(v))
        case let .int16(v): newStorage = .int16(part(v))
        case let .int32(v): newStorage = .int32(part(v))
        case let .int64(v): newStorage = .int64(part(v))
        case let .uint8(v): newStorage = .uint8(part(v))
        case let .uint16(v): newStorage = .uint16(part(v))
        case let .uint32(v): newStorage = .uint32(part(v))
        case let .uint64(v): newStorage = .uint64(part(v))
        case let .float32(v): newStorage = .float32(part(v))
        case let .float64(v): newStorage = .float64(part(v))
        case let .int128(v): newStorage = .int128(part(v))
        case let .dictionary(indices, dictionary): newStorage = .dictionary(indices: part(indices), dictionary: dictionary)
        case let .bytes(offsets, data):
            // Rebased to start at 0, as every producer of byte columns does.
            let first = offsets[start]
            newStorage = .bytes(offsets: offsets[start...end].map { $0 - first }, data: Array(data[first..<offsets[end]]))
        case let .fixedBytes(w, data): newStorage = .fixedBytes(width: w, data: Array(data[(start * w)..<(end * w)]))
        case .list, .structure:
            return take((start..<end).map { Int32($0) })
        }
        return Column(type: type, count: length, validity: validity.map { $0.slice(start, length) }, storage: newStorage)
    }

    static func andValidity(_ a: Bitmap?, _ b: Bitmap?) -> Bitmap? {
        guard let a else { return b }
        guard let b else { return a }
        var words = a.words
        let bw = b.words
        for i in 0..<min(words.count, bw.count) { words[i] &= bw[i] }
        return Bitmap(words: words, count: a.count)
    }

    /// Concatenates columns of one type (none gives an empty column).
    static func concatenate(_ columns: [Column]) -> Column {
        guard let first = columns.first else { return ColumnBuilder(type: .string).finish() }
        if columns.count == 1 { return first }
        if let shared = concatenatedSharingDictionary(columns) { return shared }
        if let merged = concatenatedMergingDictionaries(columns) { return merged }
        let parts = columns.map { $0.materialized() }
        let total = parts.reduce(0) { $0 + $1.count }
        let validity = concatenatedValidity(parts, rows: total)
        func joined<T>(_ extract: (Column.Storage) -> [T]?) -> [T] {
            var out = [T]()
            out.reserveCapacity(total)
            for p in parts { out.append(contentsOf: extract(p.storage) ?? []) }
            return out
        }
        let storage: Storage
        switch parts[0].storage {
        case .boolean: storage = .boolean(joined { if case let .boolean(v) = $0 { v } else { nil } })
        case .int8: storage = .int8(joined { if case let .int8(v) = $0 { v } else { nil } })
        case .int16: storage = .int16(joined { if case let .int16(v) = $0 { v } else { nil } })
        case .int32: storage = .int32(joined { if case let .int32(v) = $0 { v } else { nil } })
        case .int64: storage = .int64(joined { if case let .int64(v) = $0 { v } else { nil } })
        case .uint8: storage = .uint8(joined { if case let .uint8(v) = $0 { v } else { nil } })
        case .uint16: storage = .uint16(joined { if case let .uint16(v) = $0 { v } else { nil } })
        case .uint32: storage = .uint32(joined { if case let .uint32(v) = $0 { v } else { nil } })
        case .uint64: storage = .uint64(joined { if case let .uint64(v) = $0 { v } else { nil } })
        case .float32: storage = .float32(joined { if case let .float32(v) = $0 { v } else { nil } })
        case .float64: storage = .float64(joined { if case let .float64(v) = $0 { v } else { nil } })
        case .int128: storage = .int128(joined { if case let .int128(v) = $0 { v } else { nil } })
        case .bytes:
            var offsets = [0]
            offsets.reserveCapacity(total + 1)
            var data = [UInt8]()
            for p in parts {
                guard case let .bytes(o, d) = p.storage else { continue }
                let base = data.count - o[0]
                data.append(contentsOf: d[o[0]..<o[p.count]])
                for i in 1...max(p.count, 1) where i <= p.count { offsets.append(o[i] + base) }
            }
            storage = .bytes(offsets: offsets, data: data)
        case .fixedBytes(let w, _):
            storage = .fixedBytes(width: w, data: joined { if case let .fixedBytes(_, d) = $0 { d } else { nil } })
        case .list:
            var offsets = [0]
            offsets.reserveCapacity(total + 1)
            var children: [Column] = []
            for p in parts {
                guard case let .list(o, child) = p.storage else { return Self.concatenatedAsText(parts) }
                let start = o[0], end = o[p.count]
                children.append(start == 0 && end == child.value.count ? child.value : child.value.take((start..<end).map { Int32($0) }))
                let base = offsets[offsets.count - 1] - start
                for i in 1..<(p.count + 1) { offsets.append(o[i] + base) }
            }
            storage = .list(offsets: offsets, child: Box(Column.concatenate(children)))
        case let .structure(firstFields):
            var fields: [[Column]] = firstFields.map { _ in [] }
            for p in parts {
                guard case let .structure(f) = p.storage, f.count == fields.count else { return Self.concatenatedAsText(parts) }
                for k in f.indices { fields[k].append(f[k]) }
            }
            storage = .structure(fields.map { Column.concatenate($0) })
        case .dictionary:
            return Self.concatenatedAsText(parts)  // not reached: parts are materialized
        }
        return Column(type: first.type, count: total, validity: validity, storage: storage)
    }

    /// Dictionary columns over one shared dictionary (a join's build side), concatenated by
    /// their indices; nil when the columns do not share one.
    private static func concatenatedSharingDictionary(_ columns: [Column]) -> Column? {
        guard case let .dictionary(_, shared) = columns[0].storage else { return nil }
        var indices: [Int32] = []
        indices.reserveCapacity(columns.reduce(0) { $0 + $1.count })
        for c in columns {
            guard case let .dictionary(i, d) = c.storage, d === shared else { return nil }
            indices.append(contentsOf: i)
        }
        let validity = concatenatedValidity(columns, rows: indices.count)
        return Column(type: columns[0].type, count: indices.count, validity: validity, storage: .dictionary(indices: indices, dictionary: shared))
    }

    /// Dictionary columns with small dictionaries of their own (a Parquet file's row groups:
    /// part's 150 p_type strings in each), concatenated over the dictionaries put end to end:
    /// comparisons and LIKE above still decide once per entry instead of once per row. An
    /// entry may appear in several parts' dictionaries; everything keyed by value (grouping,
    /// joining) interns entries by their bytes. Nil unless all the dictionaries together
    /// hold at most a quarter as many entries as the rows.
    private static func concatenatedMergingDictionaries(_ columns: [Column]) -> Column? {
        var entries = 0, rows = 0
        var dictionaries: [Column] = []
        for c in columns {
            guard case let .dictionary(_, d) = c.storage, d.value.validity == nil else { return nil }
            if case .dictionary = d.value.storage { return nil }
            entries += d.value.count
            rows += c.count
            dictionaries.append(d.value)
        }
        guard entries * 4 <= rows, entries <= Int(Int32.max) else { return nil }
        var indices: [Int32] = []
        indices.reserveCapacity(rows)
        var base: Int32 = 0
        for c in columns {
            guard case let .dictionary(i, d) = c.storage else { return nil }
            if base == 0 {
                indices.append(contentsOf: i)
            } else {
                i.withUnsafeBufferPointer { i in for x in i { indices.append(x &+ base) } }
            }
            base &+= Int32(d.value.count)
        }
        let validity = concatenatedValidity(columns, rows: rows)
        let dictionary = Column.concatenate(dictionaries)
        return Column(type: columns[0].type, count: rows, validity: validity, storage: .dictionary(indices: indices, dictionary: Box(dictionary)))
    }

    /// The parts' validity one after another; nil when none has NULLs.
    private static func concatenatedValidity(_ parts: [Column], rows: Int) -> Bitmap? {
        guard parts.contains(where: { $0.validity != nil }) else { return nil }
        var bits = [Bool]()
        bits.reserveCapacity(rows)
        for p in parts { for i in 0..<p.count { bits.append(!p.isNull(i)) } }
        return Bitmap(bits)
    }

    /// Parts whose storages do not line up, as their text.
    private static func concatenatedAsText(_ parts: [Column]) -> Column {
        var b = ColumnBuilder(type: .string)
        for p in parts { for i in 0..<p.count { b.append(ValueText.format(p, i).map(Value.string) ?? .null) } }
        return b.finish()
    }
}

extension Bitmap {
    /// Bits `start..<start+length`, a word at a time.
    func slice(_ start: Int, _ length: Int) -> Bitmap {
        let source = words, shift = UInt64(start & 63), first = start >> 6
        let newWords = [UInt64](unsafeUninitializedCapacity: (length + 63) >> 6) { out, initialized in
            for k in 0..<out.count {
                var w = source[first + k] >> shift
                if shift != 0, first + k + 1 < source.count { w |= source[first + k + 1] << (64 - shift) }
                out[k] = w
            }
            initialized = out.count
        }
        return Bitmap(words: newWords, count: length)
    }
}

extension RecordBatch {
    /// `byteSize`, counting each dictionary only the first time `seen` meets it: the batches
    /// an operator holds may share one (a join's build side, referenced by every output batch).
    func byteSize(countingOnce seen: inout Set<ObjectIdentifier>) -> Int {
        var total = 0
        for c in columns {
            if case let .dictionary(indices, dictionary) = c.storage, !seen.insert(ObjectIdentifier(dictionary)).inserted {
                total += indices.count * 4 + (c.validity.map { $0.words.count * 8 } ?? 0)
            } else {
                total += c.byteSize
            }
        }
        return total
    }

    /// Rows `start..<start+length` of every column.
    func slice(_ start: Int, _ length: Int) -> RecordBatch {
        if start == 0 && length == rowCount { return self }
        return RecordBatch(fields: fields, columns: columns.map { $0.slice(start, length) }, rowCount: length)
    }

    func take(_ indices: [Int32]) -> RecordBatch {
        RecordBatch(fields: fields, columns: columns.map { $0.take(indices) }, rowCount: indices.count)
    }

    func filter(_ mask: [UInt8]) -> RecordBatch {
        let sel = Column.selection(mask)
        if sel.count == rowCount { return self }
        return take(sel)
    }

    static func empty(_ fields: [Field]) -> RecordBatch {
        RecordBatch(fields: fields, columns: fields.map { ColumnBuilder(type: $0.type).finish() }, rowCount: 0)
    }
}
