/// Gives each distinct byte string a dense id (0, 1, 2, ...), hashing the bytes
/// where they lie: no `String` is made per row. Grouping and joining on text
/// keys interns every row's value, so this replaced a `[String: Int64]`, whose
/// per-row String creation and hashing cost more than the rest of the aggregation.
final class ByteInterner {
    /// The distinct strings' bytes back to back; id i spans `starts[i] ..< starts[i + 1]`.
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// 0 when empty, else the hash's upper half beside id + 1 (a probe compares the tag
    /// before touching the string); a power of two kept at most half full.
    private var slots = [UInt64](repeating: 0, count: 64)

    var count: Int { hashes.count }

    /// A 64-bit hash of `bytes`, eight at a time.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let w = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            for k in i..<n { tail |= UInt64(bytes[k]) << UInt64((k - i) * 8) }
            h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 32
        }
        return h &* 0xD6E8_FEB8_6659_FD93 ^ (h >> 31)
    }

    /// The id of `bytes`, new or existing.
    func intern(_ bytes: UnsafeRawBufferPointer) -> Int64 {
        let h = Self.hash(bytes)
        let tag = h & 0xFFFF_FFFF_0000_0000
        let found: Int? = slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var s = Int(truncatingIfNeeded: h) & mask
            while true {
                let e = slots[s]
                if e == 0 { break }
                if e & 0xFFFF_FFFF_0000_0000 == tag {
                    let id = Int(truncatingIfNeeded: e & 0xFFFF_FFFF) - 1
                    if equal(id, bytes) { return id }
                }
                s = (s + 1) & mask
            }
            freeSlot = s
            return nil
        }
        if let found { return Int64(found) }
        let id = hashes.count
        hashes.append(h)
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        slots[freeSlot] = tag | UInt64(id + 1)
        if hashes.count * 2 > slots.count { grow() }
        return Int64(id)
    }

    /// Where the last unsuccessful lookup ended (the new string's slot).
    private var freeSlot = 0

    /// Each id's position in byte order (the order text compares in): rank[id].
    func ranks() -> [UInt64] {
        var ids = Array(0..<count)
        arena.withUnsafeBufferPointer { a in
            ids.sort { x, y in
                let sx = UnsafeBufferPointer(rebasing: a[starts[x]..<starts[x + 1]])
                return Comparison.compareBytes(a, starts[y], starts[y + 1], sx) > 0
            }
        }
        var rank = [UInt64](repeating: 0, count: count)
        for (r, id) in ids.enumerated() { rank[id] = UInt64(r) }
        return rank
    }

    func intern(_ s: String) -> Int64 {
        var s = s
        return s.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    private func equal(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let (start, end) = starts.withUnsafeBufferPointer { ($0[id], $0[id + 1]) }
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBytes { a in
            bytes.count == 0 || memcmp(a.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0
        }
    }

    private func grow() {
        slots = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for id in 0..<hashes.count {
            let h = hashes[id]
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(id + 1)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
