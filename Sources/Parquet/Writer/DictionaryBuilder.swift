#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds a column chunk's dictionary: distinct values in first-seen order and
/// each value's index, through an open-addressing hash table keyed on the
/// value (its bit pattern for numbers, its bytes for byte arrays). Floats are
/// keyed by bit pattern, so -0.0 and +0.0 (and NaN payloads) stay distinct.
/// The table lives in manually managed buffers and the hot loops work on
/// local pointers: this is the writer's most frequent operation.
struct DictionaryBuilder {
    let kind: LeafValueKind
    private let table: HashTable
    /// Indexed input (dictionary columns): input entry → our index, -1 until seen.
    private var remap: [Int32] = []

    init(kind: LeafValueKind) {
        self.kind = kind
        table = HashTable()
    }

    var count: Int { table.count }
    /// Size of the dictionary page's PLAIN values.
    var plainSize: Int { table.plainSize }

    var isBytes: Bool {
        switch kind {
        case .byteArray, .fixed, .float16, .decimalFixed: true
        default: false
        }
    }

    /// Byte-valued kinds: XXH64 of each entry (reused by bloom filters).
    var hashes: [UInt64] { Array(UnsafeBufferPointer(start: table.keys, count: table.count)) }

    /// Dictionary indices of values `range`, appended to `out`.
    mutating func encode(_ values: DenseValues, _ range: Range<Int>, into out: inout [UInt32]) {
        let base = out.count
        out.append(contentsOf: repeatElement(0, count: range.count))
        let table = self.table
        out.withUnsafeMutableBufferPointer { o in
            let dst = o.baseAddress! + base
            switch kind {
            case .boolean:
                values.booleans.withUnsafeBufferPointer { table.encodeNumbers($0, range, width: 1, key: { UInt64($0) }, into: dst) }
            case .int32:
                values.int32s.withUnsafeBufferPointer { table.encodeNumbers($0, range, width: 4, key: { UInt64(UInt32(bitPattern: $0)) }, into: dst) }
            case .int64:
                values.int64s.withUnsafeBufferPointer { table.encodeNumbers($0, range, width: 8, key: { UInt64(bitPattern: $0) }, into: dst) }
            case .float:
                values.floats.withUnsafeBufferPointer { table.encodeNumbers($0, range, width: 4, key: { UInt64($0.bitPattern) }, into: dst) }
            case .double:
                values.doubles.withUnsafeBufferPointer { table.encodeNumbers($0, range, width: 8, key: { $0.bitPattern }, into: dst) }
            case .byteArray:
                values.offsets.withUnsafeBufferPointer { off in
                    values.bytes.withUnsafeBytes { data in
                        let start = data.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
                        if values.indexed {
                            encodeIndexed(values.indices, range, entries: off.count - 1, table: table, into: dst) { k in
                                UnsafeRawBufferPointer(start: start + off[k], count: off[k + 1] - off[k])
                            }
                        } else {
                            table.encodeBytes(range, lengthPrefix: 4, into: dst) { i in
                                UnsafeRawBufferPointer(start: start + off[i], count: off[i + 1] - off[i])
                            }
                        }
                    }
                }
            case .fixed, .float16, .decimalFixed:
                let w = kind.width
                values.bytes.withUnsafeBytes { data in
                    let start = data.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
                    table.encodeBytes(range, lengthPrefix: 0, into: dst) { i in UnsafeRawBufferPointer(start: start + i * w, count: w) }
                }
            }
        }
    }

    /// Values that are indices into an input dictionary: each input entry is hashed once.
    private mutating func encodeIndexed(_ indices: [Int32], _ range: Range<Int>, entries: Int, table: HashTable,
                                        into dst: UnsafeMutablePointer<UInt32>,
                                        entry: (Int) -> UnsafeRawBufferPointer) {
        if remap.count != entries { remap = [Int32](repeating: -1, count: entries) }
        remap.withUnsafeMutableBufferPointer { map in
            indices.withUnsafeBufferPointer { idx in
                var k = 0
                for i in range {
                    let e = Int(idx[i])
                    var ours = map[e]
                    if ours < 0 {
                        var one: UInt32 = 0
                        table.encodeBytes(e..<(e + 1), lengthPrefix: 4, into: &one, value: entry)
                        ours = Int32(bitPattern: one)
                        map[e] = ours
                    }
                    dst[k] = UInt32(bitPattern: ours)
                    k += 1
                }
            }
        }
    }

    /// Byte arrays: min and max (unsigned lexicographic, as `ValueStatistics`)
    /// of the entries `indices` refer to, comparing each distinct entry once.
    /// `seen` (one stamp per entry, grown here) and a `stamp` new for each call
    /// track which entries were compared already.
    func byteArrayBounds(_ indices: UnsafeBufferPointer<UInt32>, seen: inout [UInt32], stamp: UInt32) -> ([UInt8], [UInt8])? {
        guard let first = indices.first else { return nil }
        if seen.count < table.count { seen.append(contentsOf: repeatElement(0, count: table.count - seen.count)) }
        let off = table.offsets, base = UnsafeRawPointer(table.bytes)
        return seen.withUnsafeMutableBufferPointer { mark -> ([UInt8], [UInt8]) in
            var lo = Int(first), hi = lo
            mark[lo] = stamp
            for i in indices {
                let k = Int(i)
                if mark[k] == stamp { continue }
                mark[k] = stamp
                let s = off[k], n = off[k + 1] - s
                if ValueStatistics.compareBytes(base + s, n, base + off[lo], off[lo + 1] - off[lo], signed: false) < 0 { lo = k }
                else if ValueStatistics.compareBytes(base + s, n, base + off[hi], off[hi + 1] - off[hi], signed: false) > 0 { hi = k }
            }
            return (Array(UnsafeBufferPointer(start: table.bytes + off[lo], count: off[lo + 1] - off[lo])),
                    Array(UnsafeBufferPointer(start: table.bytes + off[hi], count: off[hi + 1] - off[hi])))
        }
    }

    /// The dictionary as `DenseValues` (for its PLAIN page and its statistics).
    func entries() -> DenseValues {
        var v = DenseValues(kind: kind)
        let n = table.count
        v.count = n
        let keys = UnsafeBufferPointer(start: table.keys, count: n)
        switch kind {
        case .boolean: v.booleans = keys.map { UInt8(truncatingIfNeeded: $0) }
        case .int32: v.int32s = keys.map { Int32(bitPattern: UInt32(truncatingIfNeeded: $0)) }
        case .int64: v.int64s = keys.map { Int64(bitPattern: $0) }
        case .float: v.floats = keys.map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) }
        case .double: v.doubles = keys.map { Double(bitPattern: $0) }
        case .byteArray:
            v.offsets = Array(UnsafeBufferPointer(start: table.offsets, count: n + 1))
            v.bytes = Array(UnsafeBufferPointer(start: table.bytes, count: table.byteCount))
        case .fixed, .float16, .decimalFixed:
            v.bytes = Array(UnsafeBufferPointer(start: table.bytes, count: table.byteCount))
        }
        return v
    }
}

/// Open addressing with linear probing. `keys` holds the numbers themselves,
/// or the XXH64 hashes of byte strings whose bytes are in `bytes`/`offsets`.
/// Slots hold entry index + 1 (0 = empty); the table stays at most half full.
final class HashTable {
    private(set) var slots: UnsafeMutablePointer<Int32>
    private(set) var slotCount = 1024
    private(set) var keys: UnsafeMutablePointer<UInt64>
    private(set) var offsets: UnsafeMutablePointer<Int>
    private var entryCapacity = 512
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private var byteCapacity = 4096
    private(set) var byteCount = 0
    private(set) var count = 0
    private(set) var plainSize = 0

    init() {
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        keys = .allocate(capacity: entryCapacity)
        offsets = .allocate(capacity: entryCapacity + 1)
        offsets[0] = 0
        bytes = .allocate(capacity: byteCapacity)
    }

    deinit {
        slots.deallocate()
        keys.deallocate()
        offsets.deallocate()
        bytes.deallocate()
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        let h = (x ^ (x >> 32)) &* 0x9E37_79B9_7F4A_7C15
        return h ^ (h >> 29)
    }

    /// Room for `entries` more entries and `extraBytes` more bytes without reallocating.
    func reserve(entries: Int, bytes extraBytes: Int, rehashBytes: Bool) {
        let needed = count + entries
        if needed > entryCapacity {
            var capacity = entryCapacity
            while capacity < needed { capacity *= 2 }
            let newKeys = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
            newKeys.moveInitialize(from: keys, count: count)
            keys.deallocate()
            keys = newKeys
            let newOffsets = UnsafeMutablePointer<Int>.allocate(capacity: capacity + 1)
            newOffsets.moveInitialize(from: offsets, count: count + 1)
            offsets.deallocate()
            offsets = newOffsets
            entryCapacity = capacity
        }
        if byteCount + extraBytes > byteCapacity {
            var capacity = byteCapacity
            while capacity < byteCount + extraBytes { capacity *= 2 }
            let newBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            newBytes.moveInitialize(from: bytes, count: byteCount)
            bytes.deallocate()
            bytes = newBytes
            byteCapacity = capacity
        }
        if needed * 2 > slotCount {
            var size = slotCount
            while needed * 2 > size { size *= 2 }
            let newSlots = UnsafeMutablePointer<Int32>.allocate(capacity: size)
            newSlots.initialize(repeating: 0, count: size)
            let mask = size - 1
            for e in 0..<count {
                var p = Int(truncatingIfNeeded: rehashBytes ? keys[e] : Self.mix(keys[e])) & mask
                while newSlots[p] != 0 { p = (p + 1) & mask }
                newSlots[p] = Int32(e + 1)
            }
            slots.deallocate()
            slots = newSlots
            slotCount = size
        }
    }

    /// Dictionary indices of numbers (keys: their bit patterns), written to `dst`.
    @inline(__always)
    func encodeNumbers<T>(_ src: UnsafeBufferPointer<T>, _ range: Range<Int>, width: Int, key: (T) -> UInt64,
                          into dst: UnsafeMutablePointer<UInt32>) {
        var k = 0
        var chunkStart = range.lowerBound
        while chunkStart < range.upperBound {
            let chunkEnd = min(range.upperBound, chunkStart + 4096)
            reserve(entries: chunkEnd - chunkStart, bytes: 0, rehashBytes: false)
            let s = slots, mask = slotCount - 1, keys = self.keys
            var n = count
            for i in chunkStart..<chunkEnd {
                let x = key(src[i])
                var p = Int(truncatingIfNeeded: Self.mix(x)) & mask
                while true {
                    let e = s[p]
                    if e == 0 {
                        keys[n] = x
                        n += 1
                        s[p] = Int32(truncatingIfNeeded: n)
                        dst[k] = UInt32(truncatingIfNeeded: n - 1)
                        break
                    }
                    if keys[Int(e) - 1] == x {
                        dst[k] = UInt32(truncatingIfNeeded: e - 1)
                        break
                    }
                    p = (p + 1) & mask
                }
                k += 1
            }
            plainSize += (n - count) * width
            count = n
            chunkStart = chunkEnd
        }
    }

    /// Dictionary indices of byte strings `value(i)` for i in `range`, written to `dst`.
    /// `lengthPrefix`: PLAIN bytes per entry beyond its own (4 for BYTE_ARRAY).
    @inline(__always)
    func encodeBytes(_ range: Range<Int>, lengthPrefix: Int, into dst: UnsafeMutablePointer<UInt32>,
                     value: (Int) -> UnsafeRawBufferPointer) {
        var k = 0
        var chunkStart = range.lowerBound
        while chunkStart < range.upperBound {
            let chunkEnd = min(range.upperBound, chunkStart + 1024)
            var chunkBytes = 0
            for i in chunkStart..<chunkEnd { chunkBytes += value(i).count }
            reserve(entries: chunkEnd - chunkStart, bytes: chunkBytes, rehashBytes: true)
            let s = slots, mask = slotCount - 1, hashes = keys, offsets = self.offsets, bytes = self.bytes
            var n = count, used = byteCount
            for i in chunkStart..<chunkEnd {
                let v = value(i)
                let h = XXHash64.hash(v)
                var p = Int(truncatingIfNeeded: h) & mask
                while true {
                    let e = s[p]
                    if e == 0 {
                        if let src = v.baseAddress, v.count > 0 { (bytes + used).initialize(from: src.assumingMemoryBound(to: UInt8.self), count: v.count) }
                        used += v.count
                        hashes[n] = h
                        offsets[n + 1] = used
                        n += 1
                        s[p] = Int32(truncatingIfNeeded: n)
                        dst[k] = UInt32(truncatingIfNeeded: n - 1)
                        plainSize += lengthPrefix + v.count
                        break
                    }
                    let entry = Int(e) - 1
                    if hashes[entry] == h {
                        let start = offsets[entry], length = offsets[entry + 1] - start
                        if length == v.count && (length == 0 || memcmp(bytes + start, v.baseAddress!, length) == 0) {
                            dst[k] = UInt32(truncatingIfNeeded: entry)
                            break
                        }
                    }
                    p = (p + 1) & mask
                }
                k += 1
            }
            count = n
            byteCount = used
            chunkStart = chunkEnd
        }
    }
}
