import Columnar

/// Aggregate kernels: sum, min, max and count over a buffer, optionally only its
/// present rows (`validity`) and/or only the rows of a `selection`, and grouped
/// versions that fold each row into an accumulator picked by its group id (the
/// core of hash aggregation).
///
/// SQL semantics: `sum`/`min`/`max` return nil when no row contributes (SQL's
/// NULL). `sum` of `Int64` is exact (`Int128`, PostgreSQL's `sum(int8)` is numeric);
/// `sum` of `Int32` is `Int64` (exact: the sum kernels take fewer than 2^32 rows). `Double` sums add in
/// several lanes at once, so the last bits may differ from a left-to-right sum.
/// Float min/max use SQL order: NaN is the greatest value.
extension Kernels {
    // MARK: min/max for the Parquet writer (IEEE order through Comparable)

    /// Minimum and maximum of the values whose validity bit is set (all when
    /// `validity` is nil), by `Comparable`'s `<`; nil when there are none.
    @inlinable
    public static func minMax<T: Comparable>(_ values: UnsafeBufferPointer<T>, validity: Bitmap?) -> (min: T, max: T)? {
        var result: (T, T)?
        let p = _base(values)
        _forEachPresent(validity, count: values.count) { r in
            var lo = result?.0 ?? p[r.lowerBound], hi = result?.1 ?? p[r.lowerBound]
            for i in r {
                let v = p[i]
                lo = Swift.min(lo, v)
                hi = Swift.max(hi, v)
            }
            result = (lo, hi)
        } one: { i in
            let v = p[i]
            if let (lo, hi) = result { result = (Swift.min(lo, v), Swift.max(hi, v)) } else { result = (v, v) }
        }
        return result
    }

    // MARK: sum

    /// Exact sum of the chosen values; nil when none is chosen.
    /// Rows are `selection` if given (else every row), keeping those present in `validity`.
    @inlinable
    public static func sum(
        _ values: UnsafeBufferPointer<Int64>, validity: Bitmap? = nil, selection: UnsafeBufferPointer<Int32>? = nil
    ) -> Int128? {
        let p = _base(values)
        if let selection {
            var hi: Int64 = 0, lo: UInt64 = 0, count = 0
            _forEachSelected(selection, validity) { row, m in
                let v = p[row] & Int64(bitPattern: m)
                hi &+= v &>> 32
                lo &+= UInt64(truncatingIfNeeded: v) & 0xFFFF_FFFF
                count &+= Int(m & 1)
            }
            return count == 0 ? nil : Int128(hi) << 32 + Int128(lo)
        }
        var total: Int128 = 0, count = 0
        // Partly-null words accumulate split halves across words (exact below 2^32
        // rows) and fold into `total` once at the end.
        precondition(values.count < 1 << 32, "sum kernels take fewer than 2^32 rows")
        var hi: Int64 = 0, lo: UInt64 = 0
        _forEachPresentWord(validity, count: values.count) { r in
            total += _sumSplit(p, r)
            count &+= r.count
        } word: { base, w in
            // 64 rows, nulls masked to zero: no branch per row.
            _withByteMask(w) { m in
                var c = 0
                for j in 0..<Swift.min(64, values.count &- base) {
                    let v = p[base &+ j] & (0 &- Int64(m[j]))
                    hi &+= v &>> 32
                    lo &+= UInt64(truncatingIfNeeded: v) & 0xFFFF_FFFF
                    c &+= Int(m[j])
                }
                count &+= c
            }
        }
        total += Int128(hi) << 32 + Int128(lo)
        return count == 0 ? nil : total
    }

    /// Sum of the chosen values (exact below 2^32 rows); nil when none is chosen.
    @inlinable
    public static func sum(
        _ values: UnsafeBufferPointer<Int32>, validity: Bitmap? = nil, selection: UnsafeBufferPointer<Int32>? = nil
    ) -> Int64? {
        precondition(values.count < 1 << 32, "sum kernels take fewer than 2^32 rows")
        let p = _base(values)
        var total: Int64 = 0, count = 0
        if let selection {
            _forEachSelected(selection, validity) { row, m in
                total &+= Int64(p[row]) & Int64(bitPattern: m)
                count &+= Int(m & 1)
            }
        } else {
            _forEachPresentWord(validity, count: values.count) { r in
                var s: Int64 = 0
                for i in r { s &+= Int64(p[i]) }
                total &+= s
                count &+= r.count
            } word: { base, w in
                _withByteMask(w) { m in
                    var s: Int64 = 0, c = 0
                    for j in 0..<Swift.min(64, values.count &- base) {
                        s &+= Int64(p[base &+ j]) & (0 &- Int64(m[j]))
                        c &+= Int(m[j])
                    }
                    total &+= s
                    count &+= c
                }
            }
        }
        return count == 0 ? nil : total
    }

    /// Sum of the chosen values; nil when none is chosen.
    @inlinable
    public static func sum(
        _ values: UnsafeBufferPointer<Double>, validity: Bitmap? = nil, selection: UnsafeBufferPointer<Int32>? = nil
    ) -> Double? {
        let p = _base(values)
        // -0.0 is the additive identity (+0.0 would turn a sum of -0.0 into +0.0).
        var total = -0.0, count = 0
        if let selection {
            _forEachSelected(selection, validity) { row, m in
                total += _maskedAddend(p[row], m)
                count &+= Int(m & 1)
            }
        } else {
            _forEachPresentWord(validity, count: values.count) { r in
                total += _sumLanes(p, r)
                count &+= r.count
            } word: { base, w in
                // Four chains so the adds overlap; nulls add -0.0 (nothing).
                var s0 = -0.0, s1 = -0.0, s2 = -0.0, s3 = -0.0
                let len = Swift.min(64, values.count &- base)
                var j = 0
                while j &+ 4 <= len {
                    s0 += _maskedAddend(p[base &+ j], 0 &- ((w &>> UInt64(j)) & 1))
                    s1 += _maskedAddend(p[base &+ j &+ 1], 0 &- ((w &>> UInt64(j &+ 1)) & 1))
                    s2 += _maskedAddend(p[base &+ j &+ 2], 0 &- ((w &>> UInt64(j &+ 2)) & 1))
                    s3 += _maskedAddend(p[base &+ j &+ 3], 0 &- ((w &>> UInt64(j &+ 3)) & 1))
                    j &+= 4
                }
                while j < len {
                    s0 += _maskedAddend(p[base &+ j], 0 &- ((w &>> UInt64(j)) & 1))
                    j &+= 1
                }
                total += (s0 + s1) + (s2 + s3)
                count &+= w.nonzeroBitCount
            }
        }
        return count == 0 ? nil : total
    }

    /// Number of chosen rows that are present: `count(column)` (or `count(*)` without validity).
    @inlinable
    public static func countPresent(count n: Int, validity: Bitmap?, selection: UnsafeBufferPointer<Int32>? = nil) -> Int {
        if let selection {
            guard validity != nil else { return selection.count }
            var c = 0
            _forEachSelected(selection, validity) { _, m in c &+= Int(m & 1) }
            return c
        }
        guard let validity else { return n }
        precondition(validity.count >= n, "validity shorter than the values")
        return validity.words.withUnsafeBufferPointer { w in
            var c = popcount(UnsafeBufferPointer(rebasing: w[0..<(n &>> 6)]))
            if n & 63 != 0 { c &+= (w[n &>> 6] & _lowBits(n & 63)).nonzeroBitCount }
            return c
        }
    }

    // MARK: min / max

    /// Smallest chosen value; nil when none is chosen.
    @inlinable
    public static func min<T: FixedWidthInteger>(
        _ values: UnsafeBufferPointer<T>, validity: Bitmap? = nil, selection: UnsafeBufferPointer<Int32>? = nil
    ) -> T? {
        _extreme(values, validity, selection, identity: T.max) { $0 < $1 }
    }

    /// Largest chosen value; nil when none is chosen.
    @inlinable
    public static func max<T: FixedWidthInteger>(
        _ values: UnsafeBufferPointer<T>, validity: Bitmap? = nil, selection: UnsafeBufferPointer<Int32>? = nil
    ) -> T? {
        _extreme(values, validity, selection, identity: T.min) { $0 > $1 }
    }

    /// Smallest chosen value in SQL order (NaN only when every chosen value is NaN); nil when none is chosen.
    @inlinable
    public static func min<T: BinaryFloatingPoint>(
        _ values: UnsafeBufferPointer<T>, validity: Bitmap? = nil, selection: UnsafeBufferPointer<Int32>? = nil
    ) -> T? {
        let p = _base(values)
        var acc = T.nan, count = 0
        if let selection {
            _forEachSelected(selection, validity) { row, m in
                let v = p[row]
                if m != 0 && _sqlLess(v, acc) != 0 { acc = v }
                count &+= Int(m & 1)
            }
        } else {
            _forEachPresent(validity, count: values.count) { r in
                let v = _floatMin(p, r)
                if _sqlLess(v, acc) != 0 { acc = v }
                count &+= r.count
            } one: { i in
                if _sqlLess(p[i], acc) != 0 { acc = p[i] }
                count &+= 1
            }
        }
        return count == 0 ? nil : acc
    }

    /// Largest chosen value in SQL order (NaN when any chosen value is NaN); nil when none is chosen.
    @inlinable
    public static func max<T: BinaryFloatingPoint>(
        _ values: UnsafeBufferPointer<T>, validity: Bitmap? = nil, selection: UnsafeBufferPointer<Int32>? = nil
    ) -> T? {
        let p = _base(values)
        var acc = -T.infinity, count = 0
        if let selection {
            _forEachSelected(selection, validity) { row, m in
                let v = p[row]
                if m != 0 && _sqlLess(acc, v) != 0 { acc = v }
                count &+= Int(m & 1)
            }
        } else {
            _forEachPresent(validity, count: values.count) { r in
                let v = _floatMax(p, r)
                if _sqlLess(acc, v) != 0 { acc = v }
                count &+= r.count
            } one: { i in
                if _sqlLess(acc, p[i]) != 0 { acc = p[i] }
                count &+= 1
            }
        }
        return count == 0 ? nil : acc
    }

    // MARK: grouped (hash aggregation)

    // Row k of the input is `selection[k]` when a selection is given (else k);
    // its group is `groupIDs[k]`, an index into the accumulators. Rows whose
    // validity bit is clear are skipped. Accumulators start at the identity the
    // caller put there (sum 0, count 0, min `T.max` or NaN for floats, max
    // `T.min` or -infinity for floats); a group no present row reached keeps it,
    // so track `groupedCount` to tell NULL from a value.

    /// `sums[g] += values[row]` over the rows of group g (exact: `Int128` accumulators).
    @inlinable
    public static func groupedSum(
        _ values: UnsafeBufferPointer<Int64>, groupIDs: UnsafeBufferPointer<Int32>, validity: Bitmap? = nil,
        selection: UnsafeBufferPointer<Int32>? = nil, into sums: UnsafeMutableBufferPointer<Int128>
    ) {
        let p = _base(values), s = _base(sums)
        _forEachGrouped(values.count, groupIDs, validity, selection, sums.count) { row, g, m in
            s[g] &+= Int128(p[row] & Int64(bitPattern: m))
        }
    }

    /// `sums[g] += values[row]` over the rows of group g (`Int64` accumulators).
    @inlinable
    public static func groupedSum(
        _ values: UnsafeBufferPointer<Int32>, groupIDs: UnsafeBufferPointer<Int32>, validity: Bitmap? = nil,
        selection: UnsafeBufferPointer<Int32>? = nil, into sums: UnsafeMutableBufferPointer<Int64>
    ) {
        let p = _base(values), s = _base(sums)
        _forEachGrouped(values.count, groupIDs, validity, selection, sums.count) { row, g, m in
            s[g] &+= Int64(p[row]) & Int64(bitPattern: m)
        }
    }

    /// `sums[g] += values[row]` over the rows of group g.
    @inlinable
    public static func groupedSum(
        _ values: UnsafeBufferPointer<Double>, groupIDs: UnsafeBufferPointer<Int32>, validity: Bitmap? = nil,
        selection: UnsafeBufferPointer<Int32>? = nil, into sums: UnsafeMutableBufferPointer<Double>
    ) {
        let p = _base(values), s = _base(sums)
        _forEachGrouped(values.count, groupIDs, validity, selection, sums.count) { row, g, m in
            s[g] += _maskedAddend(p[row], m)
        }
    }

    /// `counts[g] += 1` for each present row of group g (`count(*)` without validity).
    @inlinable
    public static func groupedCount(
        count n: Int, groupIDs: UnsafeBufferPointer<Int32>, validity: Bitmap? = nil,
        selection: UnsafeBufferPointer<Int32>? = nil, into counts: UnsafeMutableBufferPointer<Int64>
    ) {
        let c = _base(counts)
        _forEachGrouped(n, groupIDs, validity, selection, counts.count) { _, g, m in
            c[g] &+= Int64(m & 1)
        }
    }

    /// `mins[g] = min(mins[g], values[row])` over the rows of group g.
    @inlinable
    public static func groupedMin<T: FixedWidthInteger>(
        _ values: UnsafeBufferPointer<T>, groupIDs: UnsafeBufferPointer<Int32>, validity: Bitmap? = nil,
        selection: UnsafeBufferPointer<Int32>? = nil, into mins: UnsafeMutableBufferPointer<T>
    ) {
        let p = _base(values), a = _base(mins)
        _forEachGrouped(values.count, groupIDs, validity, selection, mins.count) { row, g, m in
            let v = p[row], cur = a[g]
            a[g] = m != 0 && v < cur ? v : cur
        }
    }

    /// `maxs[g] = max(maxs[g], values[row])` over the rows of group g.
    @inlinable
    public static func groupedMax<T: FixedWidthInteger>(
        _ values: UnsafeBufferPointer<T>, groupIDs: UnsafeBufferPointer<Int32>, validity: Bitmap? = nil,
        selection: UnsafeBufferPointer<Int32>? = nil, into maxs: UnsafeMutableBufferPointer<T>
    ) {
        let p = _base(values), a = _base(maxs)
        _forEachGrouped(values.count, groupIDs, validity, selection, maxs.count) { row, g, m in
            let v = p[row], cur = a[g]
            a[g] = m != 0 && v > cur ? v : cur
        }
    }

    /// `mins[g] = min(mins[g], values[row])` in SQL order (start the accumulators at NaN).
    @inlinable
    public static func groupedMin<T: BinaryFloatingPoint>(
        _ values: UnsafeBufferPointer<T>, groupIDs: UnsafeBufferPointer<Int32>, validity: Bitmap? = nil,
        selection: UnsafeBufferPointer<Int32>? = nil, into mins: UnsafeMutableBufferPointer<T>
    ) {
        let p = _base(values), a = _base(mins)
        _forEachGrouped(values.count, groupIDs, validity, selection, mins.count) { row, g, m in
            let v = p[row], cur = a[g]
            a[g] = m != 0 && _sqlLess(v, cur) != 0 ? v : cur
        }
    }

    /// `maxs[g] = max(maxs[g], values[row])` in SQL order (start the accumulators at -infinity).
    @inlinable
    public static func groupedMax<T: BinaryFloatingPoint>(
        _ values: UnsafeBufferPointer<T>, groupIDs: UnsafeBufferPointer<Int32>, validity: Bitmap? = nil,
        selection: UnsafeBufferPointer<Int32>? = nil, into maxs: UnsafeMutableBufferPointer<T>
    ) {
        let p = _base(values), a = _base(maxs)
        _forEachGrouped(values.count, groupIDs, validity, selection, maxs.count) { row, g, m in
            let v = p[row], cur = a[g]
            a[g] = m != 0 && _sqlLess(cur, v) != 0 ? v : cur
        }
    }

    // MARK: inner loops

    /// Exact sum of `p[r]`: each value split into a signed high and an unsigned low
    /// 32-bit half, summed in two 64-bit accumulators that cannot overflow within
    /// 2^31 rows, so the loop is two vector adds per value and no overflow checks.
    @inlinable @inline(__always)
    static func _sumSplit(_ p: UnsafePointer<Int64>, _ r: Range<Int>) -> Int128 {
        var total: Int128 = 0
        var s = r.lowerBound
        while s < r.upperBound {
            let e = Swift.min(r.upperBound, s &+ (1 &<< 31))
            var hi: Int64 = 0, lo: UInt64 = 0
            for i in s..<e {
                let v = p[i]
                hi &+= v &>> 32
                lo &+= UInt64(truncatingIfNeeded: v) & 0xFFFF_FFFF
            }
            total += Int128(hi) << 32 + Int128(lo)
            s = e
        }
        return total
    }

    /// Sum of `p[r]` in eight lanes (four SSE registers), then across the lanes.
    @inlinable @inline(__always)
    static func _sumLanes(_ p: UnsafePointer<Double>, _ r: Range<Int>) -> Double {
        var acc = SIMD8<Double>(repeating: -0.0)
        var i = r.lowerBound
        while i &+ 8 <= r.upperBound {
            acc += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Double>.self)
            i &+= 8
        }
        var s = acc.sum()
        while i < r.upperBound {
            s += p[i]
            i &+= 1
        }
        return s
    }

    /// `body` with the 64 bits of `w` spread to 64 bytes (0/1) on the stack: masked
    /// loops then read a byte per row, which vectorizes, instead of shifting the word
    /// by a different amount per row, which does not.
    @inlinable @inline(__always)
    static func _withByteMask(_ w: UInt64, _ body: (UnsafePointer<UInt8>) -> Void) {
        var bytes: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (
            _spread8(w), _spread8(w &>> 8), _spread8(w &>> 16), _spread8(w &>> 24),
            _spread8(w &>> 32), _spread8(w &>> 40), _spread8(w &>> 48), _spread8(w &>> 56)
        )
        withUnsafeBytes(of: &bytes) { body($0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
    }

    /// `v` when `m` is all ones, else -0.0 (which adds nothing), without a branch.
    @inlinable @inline(__always)
    static func _maskedAddend(_ v: Double, _ m: UInt64) -> Double {
        Double(bitPattern: (v.bitPattern & m) | (~m & (1 &<< 63)))
    }

    /// SQL min of `p[r]` (r non-empty): the least non-NaN value, NaN if all are NaN.
    /// Double and Float take explicit SIMD paths: SIMD operations on a generic
    /// scalar type compile to per-lane loops even after specialization.
    @inlinable @inline(__always)
    static func _floatMin<T: BinaryFloatingPoint>(_ p: UnsafePointer<T>, _ r: Range<Int>) -> T {
        var m: T
        if T.self == Double.self {
            m = unsafeBitCast(_leastOrdered(UnsafeRawPointer(p).assumingMemoryBound(to: Double.self), r), to: T.self)
        } else if T.self == Float.self {
            m = unsafeBitCast(_leastOrdered(UnsafeRawPointer(p).assumingMemoryBound(to: Float.self), r), to: T.self)
        } else {
            m = T.infinity
            for i in r where p[i] < m { m = p[i] }
        }
        if m == T.infinity {
            // Only +infinity and NaN seen: +infinity unless everything was NaN.
            for j in r where p[j] == T.infinity { return T.infinity }
            return T.nan
        }
        return m
    }

    /// SQL max of `p[r]` (r non-empty): NaN if any is NaN, else the greatest value.
    @inlinable @inline(__always)
    static func _floatMax<T: BinaryFloatingPoint>(_ p: UnsafePointer<T>, _ r: Range<Int>) -> T {
        if T.self == Double.self {
            return unsafeBitCast(_greatestOrNaN(UnsafeRawPointer(p).assumingMemoryBound(to: Double.self), r), to: T.self)
        }
        if T.self == Float.self {
            return unsafeBitCast(_greatestOrNaN(UnsafeRawPointer(p).assumingMemoryBound(to: Float.self), r), to: T.self)
        }
        var m = -T.infinity
        for i in r {
            if p[i].isNaN { return T.nan }
            if p[i] > m { m = p[i] }
        }
        return m
    }

    /// Least non-NaN value of `p[r]`, +infinity if none: two SIMD4 accumulators
    /// (a lane takes the new value only where it compares less, so NaN never does).
    @inlinable @inline(__always)
    static func _leastOrdered(_ p: UnsafePointer<Double>, _ r: Range<Int>) -> Double {
        var a0 = SIMD4<Double>(repeating: .infinity), a1 = a0
        var i = r.lowerBound
        let raw = UnsafeRawPointer(p)
        while i &+ 8 <= r.upperBound {
            let v0 = raw.loadUnaligned(fromByteOffset: i &* 8, as: SIMD4<Double>.self)
            let v1 = raw.loadUnaligned(fromByteOffset: i &* 8 &+ 32, as: SIMD4<Double>.self)
            a0 = a0.replacing(with: v0, where: v0 .< a0)
            a1 = a1.replacing(with: v1, where: v1 .< a1)
            i &+= 8
        }
        a0 = a0.replacing(with: a1, where: a1 .< a0)
        var m = Double.infinity
        for k in 0..<4 where a0[k] < m { m = a0[k] }
        while i < r.upperBound {
            if p[i] < m { m = p[i] }
            i &+= 1
        }
        return m
    }

    @inlinable @inline(__always)
    static func _leastOrdered(_ p: UnsafePointer<Float>, _ r: Range<Int>) -> Float {
        var a0 = SIMD4<Float>(repeating: .infinity), a1 = a0
        var i = r.lowerBound
        let raw = UnsafeRawPointer(p)
        while i &+ 8 <= r.upperBound {
            let v0 = raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD4<Float>.self)
            let v1 = raw.loadUnaligned(fromByteOffset: i &* 4 &+ 16, as: SIMD4<Float>.self)
            a0 = a0.replacing(with: v0, where: v0 .< a0)
            a1 = a1.replacing(with: v1, where: v1 .< a1)
            i &+= 8
        }
        a0 = a0.replacing(with: a1, where: a1 .< a0)
        var m = Float.infinity
        for k in 0..<4 where a0[k] < m { m = a0[k] }
        while i < r.upperBound {
            if p[i] < m { m = p[i] }
            i &+= 1
        }
        return m
    }

    /// Greatest value of `p[r]`, or NaN if any lane saw a NaN.
    @inlinable @inline(__always)
    static func _greatestOrNaN(_ p: UnsafePointer<Double>, _ r: Range<Int>) -> Double {
        var a0 = SIMD4<Double>(repeating: -.infinity), a1 = a0
        var nan = SIMDMask<SIMD4<Int64>>(repeating: false)
        var i = r.lowerBound
        let raw = UnsafeRawPointer(p)
        while i &+ 8 <= r.upperBound {
            let v0 = raw.loadUnaligned(fromByteOffset: i &* 8, as: SIMD4<Double>.self)
            let v1 = raw.loadUnaligned(fromByteOffset: i &* 8 &+ 32, as: SIMD4<Double>.self)
            a0 = a0.replacing(with: v0, where: v0 .> a0)
            a1 = a1.replacing(with: v1, where: v1 .> a1)
            nan .|= (v0 .!= v0) .| (v1 .!= v1)
            i &+= 8
        }
        if any(nan) { return .nan }
        a0 = a0.replacing(with: a1, where: a1 .> a0)
        var m = -Double.infinity
        for k in 0..<4 where a0[k] > m { m = a0[k] }
        while i < r.upperBound {
            if p[i].isNaN { return .nan }
            if p[i] > m { m = p[i] }
            i &+= 1
        }
        return m
    }

    @inlinable @inline(__always)
    static func _greatestOrNaN(_ p: UnsafePointer<Float>, _ r: Range<Int>) -> Float {
        var a0 = SIMD4<Float>(repeating: -.infinity), a1 = a0
        var nan = SIMDMask<SIMD4<Int32>>(repeating: false)
        var i = r.lowerBound
        let raw = UnsafeRawPointer(p)
        while i &+ 8 <= r.upperBound {
            let v0 = raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD4<Float>.self)
            let v1 = raw.loadUnaligned(fromByteOffset: i &* 4 &+ 16, as: SIMD4<Float>.self)
            a0 = a0.replacing(with: v0, where: v0 .> a0)
            a1 = a1.replacing(with: v1, where: v1 .> a1)
            nan .|= (v0 .!= v0) .| (v1 .!= v1)
            i &+= 8
        }
        if any(nan) { return .nan }
        a0 = a0.replacing(with: a1, where: a1 .> a0)
        var m = -Float.infinity
        for k in 0..<4 where a0[k] > m { m = a0[k] }
        while i < r.upperBound {
            if p[i].isNaN { return .nan }
            if p[i] > m { m = p[i] }
            i &+= 1
        }
        return m
    }

    /// Min or max over the chosen rows: `better(v, acc)` says whether v replaces acc.
    @inlinable @inline(__always)
    static func _extreme<T: FixedWidthInteger>(
        _ values: UnsafeBufferPointer<T>, _ validity: Bitmap?, _ selection: UnsafeBufferPointer<Int32>?,
        identity: T, better: (T, T) -> Bool
    ) -> T? {
        let p = _base(values)
        var acc = identity, count = 0
        if let selection {
            _forEachSelected(selection, validity) { row, m in
                let v = p[row]
                acc = m != 0 && better(v, acc) ? v : acc
                count &+= Int(m & 1)
            }
        } else {
            _forEachPresent(validity, count: values.count) { r in
                let v = _extremeRun(p, r, identity, better)
                acc = better(v, acc) ? v : acc
                count &+= r.count
            } one: { i in
                let v = p[i]
                acc = better(v, acc) ? v : acc
                count &+= 1
            }
        }
        return count == 0 ? nil : acc
    }

    /// Min or max of `p[r]` in eight independent accumulators. One accumulator is a
    /// dependency chain through a compare and a blend each row (slow where SSE2 must
    /// emulate 64-bit compares); eight let the rows overlap.
    @inlinable @inline(__always)
    static func _extremeRun<T: FixedWidthInteger>(
        _ p: UnsafePointer<T>, _ r: Range<Int>, _ identity: T, _ better: (T, T) -> Bool
    ) -> T {
        var a0 = identity, a1 = identity, a2 = identity, a3 = identity
        var a4 = identity, a5 = identity, a6 = identity, a7 = identity
        var i = r.lowerBound
        while i &+ 8 <= r.upperBound {
            let q = p + i
            a0 = better(q[0], a0) ? q[0] : a0
            a1 = better(q[1], a1) ? q[1] : a1
            a2 = better(q[2], a2) ? q[2] : a2
            a3 = better(q[3], a3) ? q[3] : a3
            a4 = better(q[4], a4) ? q[4] : a4
            a5 = better(q[5], a5) ? q[5] : a5
            a6 = better(q[6], a6) ? q[6] : a6
            a7 = better(q[7], a7) ? q[7] : a7
            i &+= 8
        }
        while i < r.upperBound {
            a0 = better(p[i], a0) ? p[i] : a0
            i &+= 1
        }
        a0 = better(a1, a0) ? a1 : a0
        a2 = better(a3, a2) ? a3 : a2
        a4 = better(a5, a4) ? a5 : a4
        a6 = better(a7, a6) ? a7 : a6
        a0 = better(a2, a0) ? a2 : a0
        a4 = better(a6, a4) ? a6 : a4
        return better(a4, a0) ? a4 : a0
    }

    /// Calls `body(row, m)` for each selected row, `m` all ones when the row is
    /// present and zero when it is null (for branch-free masking).
    @inlinable @inline(__always)
    static func _forEachSelected(
        _ selection: UnsafeBufferPointer<Int32>, _ validity: Bitmap?, _ body: (Int, UInt64) -> Void
    ) {
        let sel = _base(selection), n = selection.count
        guard let validity else {
            for k in 0..<n { body(Int(sel[k]), ~0) }
            return
        }
        validity.words.withUnsafeBufferPointer { wb in
            let w = _base(wb)
            for k in 0..<n {
                let row = Int(sel[k])
                body(row, 0 &- _bit(w, row))
            }
        }
    }

    /// Calls `body(row, group, m)` for each input row of a grouped aggregate, `m`
    /// all ones for a present row and zero for a null one.
    @inlinable @inline(__always)
    static func _forEachGrouped(
        _ valueCount: Int, _ groupIDs: UnsafeBufferPointer<Int32>, _ validity: Bitmap?,
        _ selection: UnsafeBufferPointer<Int32>?, _ groupCount: Int, _ body: (Int, Int, UInt64) -> Void
    ) {
        let gid = _base(groupIDs), n = groupIDs.count
        if let selection {
            precondition(selection.count == n, "one group id per selected row")
        } else {
            precondition(valueCount == n, "one group id per row")
            if let validity { precondition(validity.count >= n, "validity shorter than the values") }
        }
        @inline(__always) func group(_ k: Int) -> Int {
            let g = Int(gid[k])
            assert(g >= 0 && g < groupCount, "group id out of range")
            return g
        }
        let sel = selection.map(_base)
        _withWords(validity) { wb in
            let w = _base(wb)
            switch (sel, validity != nil) {
            case (nil, false):
                for k in 0..<n { body(k, group(k), ~0) }
            case (nil, true):
                for k in 0..<n { body(k, group(k), 0 &- _bit(w, k)) }
            case let (s?, false):
                for k in 0..<n { body(Int(s[k]), group(k), ~0) }
            case let (s?, true):
                for k in 0..<n {
                    let row = Int(s[k])
                    body(row, group(k), 0 &- _bit(w, row))
                }
            }
        }
    }

    /// `body` over the validity's words (an empty buffer when there is no validity).
    @inlinable @inline(__always)
    static func _withWords<R>(_ validity: Bitmap?, _ body: (UnsafeBufferPointer<UInt64>) -> R) -> R {
        guard let validity else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return validity.words.withUnsafeBufferPointer(body)
    }
}
