import CPrefetch
import Columnar

/// An open-addressing hash table from key rows (one Int64 code per key column,
/// from `KeyEncoder`, plus a NULL mask) to dense ids 0, 1, 2, ... in first-seen
/// order. The hash aggregation and join operators share it.
///
/// It is the engine's hottest structure (a third of a join-heavy query's
/// instructions), so it lives in manually managed buffers: each slot holds the
/// upper half of its key's hash beside the id, so a probe touches the slot and,
/// only on a tag match, the key — one cache miss per lookup instead of three.
/// Lookups (`find`) only read, so several threads may probe one built table.
final class GroupTable: @unchecked Sendable {
    let width: Int
    /// Key codes of id g, row-major: `keys[g * width ..< (g + 1) * width]`.
    private var keys: UnsafeMutablePointer<Int64>
    private var nullMasks: UnsafeMutablePointer<UInt64>
    private var hashes: UnsafeMutablePointer<UInt64>
    private var groupCapacity: Int
    private(set) var count = 0
    /// 0 when empty, else `(hash >> 32) << 32 | (id + 1)`; a power of two kept at most half full.
    private var slots: UnsafeMutablePointer<UInt64>
    private var slotCount: Int
    private var mask: Int

    /// How many rows ahead a probe prefetches its slot.
    static let prefetchDistance = 8

    /// An aggregation's one-column table may also index ids directly by code over the
    /// range its first rows span (Q13's 150,000 customer keys, interned text's dense ids):
    /// a row whose code lies there takes its id from one array read, without hashing.
    /// Codes outside the range go through the hash table as before.
    private var directIDs: UnsafeMutablePointer<Int32>?
    private var directLow: Int64 = 0
    private var directCount: UInt64 = 0
    private var wantsDirectIDs = false
    static let directLimit = 1 << 20

    /// Asks for direct ids (see `directIDs`), set up by the first rows found or inserted.
    func indexDirectly() {
        wantsDirectIDs = width == 1
    }

    /// Sets up direct ids over the codes of the first rows, when they span at most
    /// `directLimit` codes and at most 64 per row.
    private func setUpDirectIDs(_ b: Batch, count: Int, row: (Int) -> Int) {
        wantsDirectIDs = false
        guard b.nulls == nil, count > 0 else { return }
        var low = Int64.max, high = Int64.min
        b.codes.withUnsafeBufferPointer { codes in
            for k in 0..<count {
                let c = codes[row(k)]
                low = min(low, c)
                high = max(high, c)
            }
        }
        let (span, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow, span < Int64(Self.directLimit), span < 64 * Int64(count) else { return }
        directCount = UInt64(span) + 1
        directLow = low
        directIDs = .allocate(capacity: Int(directCount))
        directIDs!.initialize(repeating: -1, count: Int(directCount))
        // Ids the table already holds (a partial merged in earlier) are found through it.
        for id in 0..<self.count {
            let offset = UInt64(bitPattern: keys[id] &- low)
            if nullMasks[id] == 0, offset < directCount { directIDs![Int(offset)] = Int32(id) }
        }
    }

    init(width: Int, capacity: Int = 1024) {
        self.width = width
        var c = 16
        while c < capacity * 2 { c <<= 1 }
        slotCount = c
        mask = c - 1
        slots = .allocate(capacity: c)
        slots.initialize(repeating: 0, count: c)
        groupCapacity = max(16, capacity)
        keys = .allocate(capacity: groupCapacity * max(1, width))
        nullMasks = .allocate(capacity: groupCapacity)
        hashes = .allocate(capacity: groupCapacity)
    }

    deinit {
        directIDs?.deallocate()
        slots.deallocate()
        keys.deallocate()
        nullMasks.deallocate()
        hashes.deallocate()
    }

    /// The key codes of a batch's rows, row-major, and each row's NULL mask (nil: no NULLs).
    struct Batch {
        var codes: [Int64]
        var nulls: [UInt64]?
        var count: Int
    }

    static func batch(_ columns: [Column], encoder: KeyEncoder) -> Batch {
        batch(columns.map { encoder.encode($0) }, count: columns.first?.count ?? 0)
    }

    /// The key codes of `rows` of the columns (the k-th listed row is the batch's row k).
    static func batch(_ columns: [Column], encoder: KeyEncoder, rows: BatchRows) -> Batch {
        batch(columns.map { encoder.encode($0, rows: rows) }, count: rows.count)
    }

    private static func batch(_ encoded: [(codes: [Int64], nulls: Bitmap?)], count n: Int) -> Batch {
        let w = encoded.count
        if w == 1, encoded[0].nulls.map({ $0.setCount == n }) ?? true {
            return Batch(codes: encoded[0].codes, nulls: nil, count: n)
        }
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
    static func hash(_ p: UnsafePointer<Int64>, _ w: Int, _ nulls: UInt64) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ nulls
        for k in 0..<w {
            h = (h ^ UInt64(bitPattern: p[k])) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
        }
        return h &* 0x94D0_49BB_1331_11EB
    }

    /// Every row's hash (the parallel aggregation partitions rows by it before inserting).
    static func rowHashes(_ b: Batch, width w: Int) -> [UInt64] {
        [UInt64](unsafeUninitializedCapacity: b.count) { out, initialized in
            rowHashes(b, width: w, rows: 0..<b.count, into: out.baseAddress!)
            initialized = b.count
        }
    }

    /// The hashes of rows `range`, row i's into `out[i]`.
    static func rowHashes(_ b: Batch, width w: Int, rows range: Range<Int>, into out: UnsafeMutablePointer<UInt64>) {
        b.codes.withUnsafeBufferPointer { codes in
            if let nulls = b.nulls {
                for i in range { out[i] = hash(codes.baseAddress! + i &* w, w, nulls[i]) }
            } else {
                for i in range { out[i] = hash(codes.baseAddress! + i &* w, w, 0) }
            }
        }
    }

    /// The slot holding `row`'s key, or the empty slot where it would go (then the id is -1).
    @inline(__always)
    private func probe(_ row: UnsafePointer<Int64>, _ nulls: UInt64, _ h: UInt64) -> (slot: Int, id: Int32) {
        let tag = h & 0xFFFF_FFFF_0000_0000
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = slots[s]
            if e == 0 { return (s, -1) }
            if e & 0xFFFF_FFFF_0000_0000 == tag {
                let id = Int(truncatingIfNeeded: e & 0xFFFF_FFFF) &- 1
                if equal(id, row, nulls) { return (s, Int32(truncatingIfNeeded: id)) }
            }
            s = (s &+ 1) & mask
        }
    }

    @inline(__always)
    private func equal(_ id: Int, _ row: UnsafePointer<Int64>, _ nulls: UInt64) -> Bool {
        guard nullMasks[id] == nulls else { return false }
        let base = keys + id &* width
        if width == 1 { return base[0] == row[0] }
        for j in 0..<width where base[j] != row[j] { return false }
        return true
    }

    /// Adds a new id for `row` into the empty `slot`.
    @inline(__always)
    private func insert(_ row: UnsafePointer<Int64>, _ nulls: UInt64, _ h: UInt64, slot: Int) -> Int32 {
        if count == groupCapacity { growGroups() }
        let id = count
        (keys + id &* width).update(from: row, count: width)
        nullMasks[id] = nulls
        hashes[id] = h
        slots[slot] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(id &+ 1)
        count += 1
        if count &* 2 > slotCount { growSlots() }
        return Int32(truncatingIfNeeded: id)
    }

    /// Each row's id, adding unseen keys; `added` lists the rows that created a new id.
    func findOrInsert(_ b: Batch, added: inout [Int32]) -> [Int32] {
        guard b.count > 0 else { return [] }
        return [Int32](unsafeUninitializedCapacity: b.count) { ids, initialized in
            findOrInsert(b, rows: 0..<b.count, ids: ids.baseAddress!, added: &added)
            initialized = b.count
        }
    }

    /// Like `findOrInsert` for rows `range`, writing row i's id to `ids[i]`.
    func findOrInsert(_ b: Batch, rows range: Range<Int>, ids: UnsafeMutablePointer<Int32>, added: inout [Int32]) {
        let w = width, first = range.lowerBound
        findOrInsertRows(b, count: range.count, row: { first &+ $0 }, hash: { _, row, nulls in Self.hash(row, w, nulls) },
                         prefetch: { _ in }, ids: ids, added: &added)
    }

    /// Like `findOrInsert` for the listed rows only, with their hashes precomputed (so each
    /// probe can prefetch the slot of a row further on); writes each listed row's id to
    /// `ids[row]` and reports new ids' rows in `added`.
    func findOrInsert(_ b: Batch, hashes rowHashes: UnsafePointer<UInt64>, rows: [Int32],
                      ids: UnsafeMutablePointer<Int32>, added: inout [Int32]) {
        let ahead = Self.prefetchDistance
        rows.withUnsafeBufferPointer { rows in
            findOrInsertRows(b, count: rows.count, row: { Int(rows[$0]) }, hash: { i, _, _ in rowHashes[i] },
                             prefetch: { k in
                                 if k &+ ahead < rows.count {
                                     basalt_prefetch(slots + (Int(truncatingIfNeeded: rowHashes[Int(rows[k &+ ahead])]) & mask))
                                 }
                             }, ids: ids, added: &added)
        }
    }

    /// The loop every `findOrInsert` shares: `count` rows, the k-th being row `row(k)`, whose
    /// key hashes to `hash(row, its codes, its NULL mask)`. Sorted or clustered input repeats
    /// a key on consecutive rows: a one-column key reuses the last id without probing.
    @inline(__always)
    private func findOrInsertRows(_ b: Batch, count: Int, row: (Int) -> Int, hash: (Int, UnsafePointer<Int64>, UInt64) -> UInt64,
                                  prefetch: (Int) -> Void, ids: UnsafeMutablePointer<Int32>, added: inout [Int32]) {
        let w = width
        if wantsDirectIDs { setUpDirectIDs(b, count: count, row: row) }
        b.codes.withUnsafeBufferPointer { codes in
            var lastCode: Int64 = 0, lastID: Int32 = -1
            let single = w == 1 && b.nulls == nil
            let direct = single ? directIDs : nil
            for k in 0..<count {
                let i = row(k)
                let key = codes.baseAddress! + i &* w
                if single, lastID >= 0, key[0] == lastCode {
                    ids[i] = lastID
                    continue
                }
                var directSlot = -1
                if let direct {
                    let offset = UInt64(bitPattern: key[0] &- directLow)
                    if offset < directCount {
                        let id = direct[Int(offset)]
                        if id >= 0 {
                            ids[i] = id
                            lastCode = key[0]
                            lastID = id
                            continue
                        }
                        directSlot = Int(offset)
                    }
                }
                prefetch(k)
                let nulls = b.nulls?[i] ?? 0
                let h = hash(i, key, nulls)
                let (slot, id) = probe(key, nulls, h)
                if id >= 0 {
                    ids[i] = id
                } else {
                    ids[i] = insert(key, nulls, h, slot: slot)
                    added.append(Int32(truncatingIfNeeded: i))
                }
                if single {
                    lastCode = key[0]
                    lastID = ids[i]
                    if directSlot >= 0 { direct![directSlot] = ids[i] }
                }
            }
        }
    }

    /// Each row's id, or -1 when the key is absent (probing a join's build side).
    func find(_ b: Batch) -> [Int32] {
        guard b.count > 0 else { return [] }
        return [Int32](unsafeUninitializedCapacity: b.count) { out, initialized in
            find(b, rows: 0..<b.count, into: out.baseAddress!)
            initialized = b.count
        }
    }

    /// The ids of rows `range`, row i's into `out[i - range.lowerBound]`. Only reads the
    /// table, so threads may share it.
    func find(_ b: Batch, rows range: Range<Int>, into start: UnsafeMutablePointer<Int32>) {
        let w = width
        let out = start - range.lowerBound
        let ahead = Self.prefetchDistance
        // Hashes first, so each probe can prefetch the slot of a row `ahead` further on.
        let hashes = [UInt64](unsafeUninitializedCapacity: range.count) { h, initialized in
            b.codes.withUnsafeBufferPointer { codes in
                for i in range {
                    h[i - range.lowerBound] = Self.hash(codes.baseAddress! + i &* w, w, b.nulls?[i] ?? 0)
                }
            }
            initialized = range.count
        }
        b.codes.withUnsafeBufferPointer { codes in
            hashes.withUnsafeBufferPointer { h in
                for i in range {
                    let k = i - range.lowerBound
                    if k + ahead < h.count { basalt_prefetch(slots + (Int(truncatingIfNeeded: h[k + ahead]) & mask)) }
                    out[i] = probe(codes.baseAddress! + i &* w, b.nulls?[i] ?? 0, h[k]).id
                }
            }
        }
    }

    /// Whether row i of `b` has a NULL key.
    @inline(__always)
    func hasNull(_ b: Batch, _ i: Int) -> Bool { (b.nulls?[i] ?? 0) != 0 }

    private func growGroups() {
        let capacity = groupCapacity * 2
        func moved<T>(_ old: UnsafeMutablePointer<T>, _ live: Int, _ newCount: Int) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: newCount)
            p.moveInitialize(from: old, count: live)
            old.deallocate()
            return p
        }
        keys = moved(keys, count * width, capacity * max(1, width))
        nullMasks = moved(nullMasks, count, capacity)
        hashes = moved(hashes, count, capacity)
        groupCapacity = capacity
    }

    private func growSlots() {
        slots.deallocate()
        slotCount *= 2
        mask = slotCount - 1
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        for id in 0..<count {
            let h = hashes[id]
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s] != 0 { s = (s &+ 1) & mask }
            slots[s] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(id &+ 1)
        }
    }

    var byteSize: Int { groupCapacity * (8 * max(1, width) + 16) + slotCount * 8 + directBytes }

    /// The bytes of the direct ids (0 when the table has none).
    var directBytes: Int { Int(directCount) * 4 }
}
