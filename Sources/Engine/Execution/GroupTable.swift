import Columnar

/// An open-addressing hash table from key rows (one Int64 code per key column,
/// from `KeyEncoder`, plus a NULL mask) to dense ids 0, 1, 2, ... in first-seen
/// order. The hash aggregation, join and distinct operators share it; it replaces
/// `Dictionary<KeyRow, Int32>`, whose generic hashing cost more than the aggregates.
final class GroupTable {
    let width: Int
    /// Key codes of id g: `keys[g * width ..< (g + 1) * width]`.
    private(set) var keys: [Int64] = []
    private(set) var nullMasks: [UInt64] = []
    private var hashes: [UInt64] = []
    /// Slot → id, -1 when empty; capacity is a power of two kept at most half full.
    private var slots: [Int32]
    private var mask: Int

    var count: Int { nullMasks.count }

    init(width: Int, capacity: Int = 1024) {
        self.width = width
        var c = 16
        while c < capacity * 2 { c <<= 1 }
        slots = [Int32](repeating: -1, count: c)
        mask = c - 1
    }

    /// The key codes of rows 0..<n: per column codes and validity (nil = no NULLs).
    struct Batch {
        var codes: [[Int64]]
        var validity: [Bitmap?]
        var count: Int
    }

    static func batch(_ columns: [Column], encoder: KeyEncoder) -> Batch {
        let encoded = columns.map { encoder.encode($0) }
        return Batch(codes: encoded.map(\.codes), validity: encoded.map(\.nulls), count: columns.first?.count ?? 0)
    }

    @inline(__always)
    private func rowHash(_ b: Batch, _ i: Int, _ nulls: UInt64) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ nulls
        for k in 0..<width {
            h = (h ^ UInt64(bitPattern: b.codes[k][i])) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
        }
        return h &* 0x94D0_49BB_1331_11EB
    }

    @inline(__always)
    private func nullMask(_ b: Batch, _ i: Int) -> UInt64 {
        var m: UInt64 = 0
        for k in 0..<width where !(b.validity[k].map { $0[i] } ?? true) { m |= 1 << UInt64(min(k, 63)) }
        return m
    }

    @inline(__always)
    private func equal(_ id: Int, _ b: Batch, _ i: Int, _ nulls: UInt64) -> Bool {
        guard nullMasks[id] == nulls else { return false }
        let base = id * width
        for k in 0..<width where nulls & (1 << UInt64(min(k, 63))) == 0 && keys[base + k] != b.codes[k][i] { return false }
        return true
    }

    /// Each row's id, adding unseen keys; `added` lists the rows that created a new id.
    func findOrInsert(_ b: Batch, added: inout [Int32]) -> [Int32] {
        var ids = [Int32](repeating: 0, count: b.count)
        for i in 0..<b.count {
            let nulls = nullMask(b, i)
            let h = rowHash(b, i, nulls)
            var s = Int(truncatingIfNeeded: h) & mask
            while true {
                let id = slots[s]
                if id < 0 {
                    let newID = Int32(count)
                    slots[s] = newID
                    hashes.append(h)
                    nullMasks.append(nulls)
                    for k in 0..<width { keys.append(nulls & (1 << UInt64(min(k, 63))) != 0 ? 0 : b.codes[k][i]) }
                    ids[i] = newID
                    added.append(Int32(i))
                    if count * 2 > slots.count { grow() }
                    break
                }
                if hashes[Int(id)] == h && equal(Int(id), b, i, nulls) {
                    ids[i] = id
                    break
                }
                s = (s + 1) & mask
            }
        }
        return ids
    }

    /// Each row's id, or -1 when the key is absent (probing a join's build side).
    func find(_ b: Batch) -> [Int32] {
        var ids = [Int32](repeating: -1, count: b.count)
        for i in 0..<b.count {
            let nulls = nullMask(b, i)
            let h = rowHash(b, i, nulls)
            var s = Int(truncatingIfNeeded: h) & mask
            while true {
                let id = slots[s]
                if id < 0 { break }
                if hashes[Int(id)] == h && equal(Int(id), b, i, nulls) {
                    ids[i] = id
                    break
                }
                s = (s + 1) & mask
            }
        }
        return ids
    }

    /// Whether row i of `b` has a NULL key.
    func hasNull(_ b: Batch, _ i: Int) -> Bool { nullMask(b, i) != 0 }

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

    var byteSize: Int { keys.count * 8 + nullMasks.count * 16 + slots.count * 4 }
}
