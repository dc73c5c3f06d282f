/// Several join key columns packed into one 64-bit code, when the build side's codes
/// (`KeyEncoder`'s: integer values, day numbers, interned string ids) span ranges whose
/// widths add up to at most 62 bits. TPC-H Q9's (ps_partkey, ps_suppkey) needs 18 + 14
/// bits. A join then hashes and compares one code per row instead of several, and a dense
/// packing can index the build side directly.
struct PackedKeys {
    private let minimums: [Int64]
    /// Each column's largest offset from its minimum.
    private let spans: [UInt64]
    private let shifts: [UInt64]

    /// The packing of a build side's keys (row-major codes, `width` per row); nil when
    /// they do not fit, or there is one key (nothing to pack).
    init?(_ build: GroupTable.Batch, width: Int) {
        guard width > 1 else { return nil }
        var low = [Int64](repeating: .max, count: width), high = [Int64](repeating: .min, count: width)
        build.codes.withUnsafeBufferPointer { codes in
            for i in 0..<build.count where (build.nulls?[i] ?? 0) == 0 {
                for k in 0..<width {
                    let c = codes[i &* width &+ k]
                    low[k] = min(low[k], c)
                    high[k] = max(high[k], c)
                }
            }
        }
        var spans: [UInt64] = [], shifts: [UInt64] = [], bits: UInt64 = 0
        for k in 0..<width {
            guard low[k] <= high[k] else { return nil }  // no row without a NULL key
            let (span, overflow) = high[k].subtractingReportingOverflow(low[k])
            guard !overflow else { return nil }
            spans.append(UInt64(span))
            shifts.append(bits)
            bits += UInt64(64 - UInt64(span).leadingZeroBitCount)
            guard bits <= 62 else { return nil }
        }
        minimums = low
        self.spans = spans
        self.shifts = shifts
    }

    /// One code per row: the packed offsets, or -1 (matching no build row, whose codes are
    /// all non-negative) where a key lies outside the build side's range. A row with a NULL
    /// key keeps a NULL mask and code 0.
    func pack(_ keys: GroupTable.Batch) -> GroupTable.Batch {
        let width = minimums.count, n = keys.count
        let codes = [Int64](unsafeUninitializedCapacity: n) { out, initialized in
            keys.codes.withUnsafeBufferPointer { codes in
                minimums.withUnsafeBufferPointer { minimums in
                    spans.withUnsafeBufferPointer { spans in
                        shifts.withUnsafeBufferPointer { shifts in
                            for i in 0..<n {
                                var packed: UInt64 = 0
                                var inside = true
                                for k in 0..<width {
                                    let offset = UInt64(bitPattern: codes[i &* width &+ k] &- minimums[k])
                                    inside = inside && offset <= spans[k]
                                    packed |= offset << shifts[k]
                                }
                                out[i] = inside ? Int64(bitPattern: packed) : -1
                            }
                        }
                    }
                }
            }
            if let nulls = keys.nulls {
                for i in 0..<n where nulls[i] != 0 { out[i] = 0 }
            }
            initialized = n
        }
        return GroupTable.Batch(codes: codes, nulls: keys.nulls.map { $0.map { $0 == 0 ? 0 : 1 } }, count: n)
    }
}
