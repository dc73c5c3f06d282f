import Columnar

/// An open-addressing hash table from key rows (one Int64 code per key column,
/// from `KeyEncoder`, plus a NULL mask) to dense ids 0, 1, 2, ... in first-seen
/// order. The hash aggregation and join operators share it; it replaces
/// `Dictionary<KeyRow, Int32>`, whose generic hashing cost more than the aggregates.
final class GroupTable {
    let width: Int
    /// Key codes of id g, row-major: `keys[g * width ..< (g + 1) * width]`.
    private(set) var keys: [Int64] = []
    private var nullMasks: [UInt64] = []
    private var hashes: [UInt64] = []
    /// Slot → id, -1 when empty; capacity is a power of two kept at most half full.
    private var slots: [Int32]
    private var mask: Int

    var count: Int { hashes.count }

    init(width: Int, capacity: Int = 1024) {
        self.width = width
        var c = 16
        while c < capacity * 2 { c <<= 1 }
        slots = [Int32](repeating: -1, count: c)
        mask = c - 1
    }

    /// The key codes of a batch's rows, row-major, and each row's NULL mask (nil: no NULLs).
    struct Batch {
        var codes: [Int64]
        var nulls: [UInt64]?
        var count: Int
    }

    static func batch(_ columns: [Column], encoder: KeyEncoder) -> Batch {
        let n = columns.first?.count ?? 0
        let w = columns.count
        let encoded = columns.map { encoder.encode($0) }
        var codes = [Int64](repeating: 0, count: n * w)
        var nulls: [UInt64]?
        codes.withUnsafeMutableBufferPointer { out in
            for (k, e) in encoded.enumerated() {
                e.codes.withUnsafeBufferPointer { c in
                    for i in 0..<n { out[i &* w &+ k] = c[i] }
                }
                if let validity = e.nulls, validity.setCount < n {
                    if nulls == nil { nulls = [UInt64](repeating: 0, count: n) }
                    for i in 0..<n where !validity[i] {
                        nulls![i] |= 1 << UInt64(min(k, 63))
                        out[i &* w &+ k] = 0
                    }
                }
            }
        }
        return Batch(codes: codes, nulls: nulls, count: n)
    }

    @inline(__always)
    private static func hash(_ p: UnsafePointer<Int64>, _ w: Int, _ nulls: UInt64) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ nulls
        for k in 0..<w {
            h = (h ^ UInt64(bitPattern: p[k])) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
        }
        return h &* 0x94D0_49BB_1331_11EB
    }

    /// The slot holding `row`'s key, or the empty slot where it would go (then the id is -1).
    @inline(__always)
    private func probe(_ row: UnsafePointer<Int64>, _ nulls: UInt64, _ h: UInt64) -> (slot: Int, id: Int32) {
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = slots[s]
            if id < 0 || (hashes[Int(id)] == h && equal(Int(id), row, nulls)) { return (s, id) }
            s = (s + 1) & mask
        }
    }

    /// Each row's id, adding unseen keys; `added` lists the rows that created a new id.
    func findOrInsert(_ b: Batch, added: inout [Int32]) -> [Int32] {
        var ids = [Int32](repeating: 0, count: b.count)
        let w = width
        b.codes.withUnsafeBufferPointer { codes in
            for i in 0..<b.count {
                let row = codes.baseAddress! + i * w
                let nulls = b.nulls?[i] ?? 0
                let h = Self.hash(row, w, nulls)
                let (slot, id) = probe(row, nulls, h)
                if id >= 0 {
                    ids[i] = id
                    continue
                }
                let newID = Int32(count)
                slots[slot] = newID
                hashes.append(h)
                nullMasks.append(nulls)
                keys.append(contentsOf: UnsafeBufferPointer(start: row, count: w))
                ids[i] = newID
                added.append(Int32(i))
                if count * 2 > slots.count { grow() }
            }
        }
        return ids
    }

    /// Each row's id, or -1 when the key is absent (probing a join's build side).
    func find(_ b: Batch) -> [Int32] {
        var ids = [Int32](repeating: -1, count: b.count)
        let w = width
        b.codes.withUnsafeBufferPointer { codes in
            for i in 0..<b.count {
                let row = codes.baseAddress! + i * w
                let nulls = b.nulls?[i] ?? 0
                ids[i] = probe(row, nulls, Self.hash(row, w, nulls)).id
            }
        }
        return ids
    }

    @inline(__always)
    private func equal(_ id: Int, _ row: UnsafePointer<Int64>, _ nulls: UInt64) -> Bool {
        guard nullMasks[id] == nulls else { return false }
        return keys.withUnsafeBufferPointer { k in
            let base = id * width
            for j in 0..<width where k[base + j] != row[j] { return false }
            return true
        }
    }

    /// Whether row i of `b` has a NULL key.
    @inline(__always)
    func hasNull(_ b: Batch, _ i: Int) -> Bool { (b.nulls?[i] ?? 0) != 0 }

    private func grow() {
        let capacity = slots.count * 2
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for id in 0..<count {
            var s = Int(truncatingIfNeeded: hashes[id]) & mask
            while slots[s] >= 0 { s = (s + 1) & mask }
            slots[s] = Int32(id)
        }
    }

    var byteSize: Int { keys.count * 8 + hashes.count * 16 + slots.count * 4 }
}
