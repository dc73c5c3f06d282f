/// A set of 64-bit integers for `x IN (subquery)` over an integer column: a bitmap when
/// the values span a modest range, else an open-addressing table. Either way a lookup is
/// one or two memory reads, not `Set<Int64>`'s SipHash (TPC-H Q18 tests 1.5M order keys).
struct IntegerSet: Sendable {
    private var words: [UInt64] = []
    private var minimum: Int64 = 0
    private var bitCount: UInt64 = 0
    /// The table form: `empty` marks a free slot; whether `empty` itself is a member is kept apart.
    private var slots: [Int64] = []
    private var slotMask = 0
    private var shift: UInt64 = 0
    private var holdsEmptyMarker = false
    private let isBitmap: Bool
    private static let empty = Int64.min

    init(_ values: [Int64]) {
        let low = values.min() ?? 0, high = values.max() ?? 0
        let (span, overflow) = high.subtractingReportingOverflow(low)
        if !values.isEmpty, !overflow, span < 1 << 26, span < max(1 << 23, Int64(values.count) * 64) {
            isBitmap = true
            minimum = low
            bitCount = UInt64(span) + 1
            words = [UInt64](repeating: 0, count: Int(span >> 6) + 1)
            for v in values {
                let bit = Int(v &- low)
                words[bit >> 6] |= 1 << UInt64(bit & 63)
            }
            return
        }
        isBitmap = false
        var size = 16, bits: UInt64 = 4
        while size < values.count * 2 { size <<= 1; bits += 1 }
        slots = [Int64](repeating: Self.empty, count: size)
        slotMask = size - 1
        shift = 64 - bits
        for v in values {
            if v == Self.empty { holdsEmptyMarker = true; continue }
            var s = slot(v)
            while slots[s] != Self.empty && slots[s] != v { s = (s + 1) & slotMask }
            slots[s] = v
        }
    }

    @inline(__always)
    private func slot(_ v: Int64) -> Int { Int(truncatingIfNeeded: (UInt64(bitPattern: v) &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    @inline(__always)
    func contains(_ v: Int64) -> Bool {
        if isBitmap {
            let offset = UInt64(bitPattern: v &- minimum)
            // Below the minimum wraps to a huge offset: outside too.
            return offset < bitCount && (words[Int(offset >> 6)] >> (offset & 63)) & 1 != 0
        }
        if v == Self.empty { return holdsEmptyMarker }
        var s = slot(v)
        while true {
            let e = slots[s]
            if e == v { return true }
            if e == Self.empty { return false }
            s = (s + 1) & slotMask
        }
    }
}
