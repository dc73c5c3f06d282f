/// Sorts a partition's buffered rows by the `--sort-by` columns (before they
/// are written, or spilled as a sorted run that `RunMerger` merges), so each
/// row group and file covers a narrow range of those columns and min/max
/// statistics prune well. Ascending, nulls last, stable.
enum RowSorter {
    /// The row order of `columns` sorted by the columns at `keys`.
    static func permutation(_ columns: [ColumnBuffer], keys: [Int], rows: Int) -> [Int32] {
        var order = (0..<rows).map { Int32($0) }
        guard !keys.isEmpty, rows > 1 else { return order }
        let keyColumns = keys.map { columns[$0] }
        // Already sorted (common for time-ordered exports): nothing to do.
        var sorted = true
        for r in 1..<rows where compare(keyColumns, r - 1, r) > 0 { sorted = false; break }
        if sorted { return order }
        order.sort { a, b in
            let c = compare(keyColumns, Int(a), Int(b))
            return c != 0 ? c < 0 : a < b
        }
        return order
    }

    @inline(__always)
    static func compare(_ keys: [ColumnBuffer], _ a: Int, _ b: Int) -> Int {
        for c in keys {
            let na = c.isNull(a), nb = c.isNull(b)
            if na || nb {
                if na && nb { continue }
                return na ? 1 : -1
            }
            let r: Int
            switch c.physical {
            case .boolean: r = Int(c.u8[a]) - Int(c.u8[b])
            case .i32: r = c.i32[a] < c.i32[b] ? -1 : c.i32[a] > c.i32[b] ? 1 : 0
            case .i64:
                if case .uint64 = c.type {
                    let x = UInt64(bitPattern: c.i64[a]), y = UInt64(bitPattern: c.i64[b])
                    r = x < y ? -1 : x > y ? 1 : 0
                } else {
                    r = c.i64[a] < c.i64[b] ? -1 : c.i64[a] > c.i64[b] ? 1 : 0
                }
            case .f64: r = c.f64[a] < c.f64[b] ? -1 : c.f64[a] > c.f64[b] ? 1 : 0
            case .i128: r = c.i128[a] < c.i128[b] ? -1 : c.i128[a] > c.i128[b] ? 1 : 0
            case .bytes, .fixed:
                let x = c.bytes(a), y = c.bytes(b)
                r = x.lexicographicallyPrecedes(y) ? -1 : (x == y ? 0 : 1)
            case .list, .structure: r = 0
            }
            if r != 0 { return r }
        }
        return 0
    }
}
