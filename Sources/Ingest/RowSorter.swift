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
        compare(keys, a, keys, b)
    }

    /// Row `a` of `left` against row `b` of `right` (key columns of the same types): ascending,
    /// NULLs last. One comparison serves sorting a buffer and merging sorted runs.
    @inline(__always)
    static func compare(_ left: [ColumnBuffer], _ a: Int, _ right: [ColumnBuffer], _ b: Int) -> Int {
        for (x, y) in zip(left, right) {
            let na = x.isNull(a), nb = y.isNull(b)
            if na || nb {
                if na && nb { continue }
                return na ? 1 : -1
            }
            let r: Int
            switch x.physical {
            case .boolean: r = Int(x.u8[a]) - Int(y.u8[b])
            case .i32: r = x.i32[a] < y.i32[b] ? -1 : x.i32[a] > y.i32[b] ? 1 : 0
            case .i64:
                if case .uint64 = x.type {
                    let p = UInt64(bitPattern: x.i64[a]), q = UInt64(bitPattern: y.i64[b])
                    r = p < q ? -1 : p > q ? 1 : 0
                } else {
                    r = x.i64[a] < y.i64[b] ? -1 : x.i64[a] > y.i64[b] ? 1 : 0
                }
            case .f64: r = x.f64[a] < y.f64[b] ? -1 : x.f64[a] > y.f64[b] ? 1 : 0
            case .i128: r = x.i128[a] < y.i128[b] ? -1 : x.i128[a] > y.i128[b] ? 1 : 0
            case .bytes, .fixed:
                let p = x.bytes(a), q = y.bytes(b)
                r = p.lexicographicallyPrecedes(q) ? -1 : (p == q ? 0 : 1)
            case .list, .structure: r = 0
            }
            if r != 0 { return r }
        }
        return 0
    }
}
