import Columnar

/// Comparison kernels: column op scalar, column op column and `between`, each
/// writing a byte mask (1 where the comparison holds). Null slots are compared
/// like any other (their bytes are unspecified); combine with validity after.
///
/// Integers (Int8...Int64, UInt8...UInt64, Int128 decimals) compare by value.
/// Floats follow SQL: NaN equals NaN and is greater than every other value,
/// -0.0 equals +0.0. Byte strings (`offsets` + `data`, value i is
/// `data[offsets[i]..<offsets[i+1]]`) compare as unsigned bytes, a proper
/// prefix first (memcmp order, which is also UTF-8 code point order).
extension Kernels {
    // MARK: integers

    /// `out[i] = a[i] op b`.
    @inlinable
    public static func compare<T: FixedWidthInteger>(
        _ a: UnsafeBufferPointer<T>, _ op: CompareOp, _ b: T, into out: UnsafeMutableBufferPointer<UInt8>
    ) {
        precondition(out.count >= a.count, "output shorter than input")
        let x = _base(a), n = a.count
        switch op {
        case .equal: _mask(n, out) { x[$0] == b }
        case .notEqual: _mask(n, out) { x[$0] != b }
        case .less: _mask(n, out) { x[$0] < b }
        case .lessOrEqual: _mask(n, out) { x[$0] <= b }
        case .greater: _mask(n, out) { x[$0] > b }
        case .greaterOrEqual: _mask(n, out) { x[$0] >= b }
        }
    }

    /// `out[i] = a[i] op b[i]`.
    @inlinable
    public static func compare<T: FixedWidthInteger>(
        _ a: UnsafeBufferPointer<T>, _ op: CompareOp, _ b: UnsafeBufferPointer<T>, into out: UnsafeMutableBufferPointer<UInt8>
    ) {
        precondition(b.count == a.count, "operands differ in length")
        precondition(out.count >= a.count, "output shorter than input")
        let x = _base(a), y = _base(b), n = a.count
        switch op {
        case .equal: _mask(n, out) { x[$0] == y[$0] }
        case .notEqual: _mask(n, out) { x[$0] != y[$0] }
        case .less: _mask(n, out) { x[$0] < y[$0] }
        case .lessOrEqual: _mask(n, out) { x[$0] <= y[$0] }
        case .greater: _mask(n, out) { x[$0] > y[$0] }
        case .greaterOrEqual: _mask(n, out) { x[$0] >= y[$0] }
        }
    }

    /// `out[i] = lo <= a[i] && a[i] <= hi`, in one pass.
    @inlinable
    public static func between<T: FixedWidthInteger>(
        _ a: UnsafeBufferPointer<T>, _ lo: T, _ hi: T, into out: UnsafeMutableBufferPointer<UInt8>
    ) {
        precondition(out.count >= a.count, "output shorter than input")
        let x = _base(a), n = a.count
        guard lo <= hi else {
            _mask(n, out) { _ in false }
            return
        }
        // One unsigned comparison per row: lo <= v <= hi  <=>  (v - lo) <= (hi - lo) as unsigned.
        let width = T.Magnitude(truncatingIfNeeded: hi &- lo)
        _mask(n, out) { T.Magnitude(truncatingIfNeeded: x[$0] &- lo) <= width }
    }

    // MARK: floats (SQL order)

    /// `out[i] = a[i] op b` in SQL order (NaN greatest and equal to itself; -0.0 == +0.0).
    @inlinable
    public static func compare<T: BinaryFloatingPoint>(
        _ a: UnsafeBufferPointer<T>, _ op: CompareOp, _ b: T, into out: UnsafeMutableBufferPointer<UInt8>
    ) {
        precondition(out.count >= a.count, "output shorter than input")
        let x = _base(a), n = a.count
        if b.isNaN {
            switch op {
            case .equal, .greaterOrEqual: _mask(n, out) { x[$0] != x[$0] }
            case .notEqual, .less: _mask(n, out) { x[$0] == x[$0] }
            case .lessOrEqual: _mask(n, out) { _ in true }
            case .greater: _mask(n, out) { _ in false }
            }
            return
        }
        // b is ordered: IEEE answers except that a NaN a[i] is greater than b.
        switch op {
        case .equal: _mask(n, out) { x[$0] == b }
        case .notEqual: _mask(n, out) { x[$0] != b }
        case .less: _mask(n, out) { x[$0] < b }
        case .lessOrEqual: _mask(n, out) { x[$0] <= b }
        case .greater: _mask(n, out) { !(x[$0] <= b) }
        case .greaterOrEqual: _mask(n, out) { !(x[$0] < b) }
        }
    }

    /// `out[i] = a[i] op b[i]` in SQL order.
    @inlinable
    public static func compare<T: BinaryFloatingPoint>(
        _ a: UnsafeBufferPointer<T>, _ op: CompareOp, _ b: UnsafeBufferPointer<T>, into out: UnsafeMutableBufferPointer<UInt8>
    ) {
        precondition(b.count == a.count, "operands differ in length")
        precondition(out.count >= a.count, "output shorter than input")
        let x = _base(a), y = _base(b), n = a.count
        // Each operator as IEEE comparisons joined by byte-wise | and & (no
        // short-circuit, no negation of a compound: both cost the vectorizer).
        switch op {
        case .equal: _byteMask(n, out) { _sqlEqual(x[$0], y[$0]) }
        case .notEqual: _byteMask(n, out) { _b(x[$0] != y[$0]) & (_b(x[$0] == x[$0]) | _b(y[$0] == y[$0])) }
        case .less: _byteMask(n, out) { _sqlLess(x[$0], y[$0]) }
        case .lessOrEqual: _byteMask(n, out) { _sqlLessOrEqual(x[$0], y[$0]) }
        case .greater: _byteMask(n, out) { _sqlLess(y[$0], x[$0]) }
        case .greaterOrEqual: _byteMask(n, out) { _sqlLessOrEqual(y[$0], x[$0]) }
        }
    }

    /// `out[i] = lo <= a[i] && a[i] <= hi` in SQL order, in one pass.
    @inlinable
    public static func between<T: BinaryFloatingPoint>(
        _ a: UnsafeBufferPointer<T>, _ lo: T, _ hi: T, into out: UnsafeMutableBufferPointer<UInt8>
    ) {
        precondition(out.count >= a.count, "output shorter than input")
        let x = _base(a), n = a.count
        switch (lo.isNaN, hi.isNaN) {
        case (true, true): _mask(n, out) { x[$0] != x[$0] }  // only NaN lies in [NaN, NaN]
        case (true, false): _mask(n, out) { _ in false }  // lo > hi
        case (false, true): _mask(n, out) { !(x[$0] < lo) }  // everything from lo up, NaN included
        case (false, false): _mask(n, out) { lo <= x[$0] && x[$0] <= hi }  // NaN fails both
        }
    }

    /// SQL `a = b` as 0/1: IEEE equality, and NaN equals NaN.
    @inlinable @inline(__always)
    static func _sqlEqual<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> UInt8 {
        _b(a == b) | (_b(a != a) & _b(b != b))
    }

    /// SQL `a < b` as 0/1: IEEE less-than, and every non-NaN is less than NaN.
    @inlinable @inline(__always)
    static func _sqlLess<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> UInt8 {
        _b(a < b) | (_b(b != b) & _b(a == a))
    }

    /// SQL `a <= b` as 0/1: IEEE less-or-equal, and everything is at most NaN.
    @inlinable @inline(__always)
    static func _sqlLessOrEqual<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> UInt8 {
        _b(a <= b) | _b(b != b)
    }

    /// A Bool as 0/1 by reinterpreting its byte. `condition ? 1 : 0` can survive
    /// generic specialization as a branch (seen with float comparisons), which
    /// keeps the loop scalar; the bit cast never does.
    @inlinable @inline(__always)
    static func _b(_ condition: Bool) -> UInt8 { unsafeBitCast(condition, to: UInt8.self) }

    // MARK: byte strings
    //
    // Each row first compares an 8-byte prefix key: the string's first eight bytes
    // (fewer for a shorter string, zero-padded) as a big-endian word, so unsigned
    // word order is memcmp order. Keys that differ decide the row without a byte
    // loop; equal keys fall back to lengths, then to the bytes past the eighth.
    // Loading every row's prefix streams the data sequentially (a hardware
    // prefetcher follows it) instead of touching it only for candidate rows.

    /// `out[i] = value(i) op scalar` in unsigned byte order.
    /// `offsets` has one more entry than there are values.
    @inlinable
    public static func compare(
        offsets: UnsafeBufferPointer<Int>, data: UnsafeBufferPointer<UInt8>,
        _ op: CompareOp, _ scalar: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>
    ) {
        let n = Swift.max(offsets.count - 1, 0)
        precondition(out.count >= n, "output shorter than input")
        let off = _base(offsets), d = _base(data), dn = data.count, o = _base(out)
        let s = _base(scalar), sn = scalar.count
        let sk = _prefixKey(s, 0, sn, sn)
        switch op {
        case .equal, .notEqual:
            let flip: UInt8 = op == .equal ? 0 : 1
            for i in 0..<n {
                let start = off[i], len = off[i &+ 1] &- start
                // One comparison for "same length and same prefix key".
                let differ = UInt64(bitPattern: Int64(len ^ sn)) | (_prefixKey(d, start, len, dn) ^ sk)
                var same = _b(differ == 0)
                if same != 0 && sn > 8 { same = _b(_bytesEqual(d + start + 8, s + 8, sn &- 8)) }
                o[i] = same ^ flip
            }
        default:
            let table = _orderTable(op)
            for i in 0..<n {
                let start = off[i], len = off[i &+ 1] &- start
                let c = _compareKeyed(_prefixKey(d, start, len, dn), d + start, len, sk, s, sn)
                o[i] = _lookup(table, c)
            }
        }
    }

    /// `out[i] = value_a(i) op value_b(i)` in unsigned byte order.
    @inlinable
    public static func compare(
        offsets aOffsets: UnsafeBufferPointer<Int>, data aData: UnsafeBufferPointer<UInt8>,
        _ op: CompareOp,
        offsets bOffsets: UnsafeBufferPointer<Int>, data bData: UnsafeBufferPointer<UInt8>,
        into out: UnsafeMutableBufferPointer<UInt8>
    ) {
        let n = Swift.max(aOffsets.count - 1, 0)
        precondition(bOffsets.count == aOffsets.count, "operands differ in length")
        precondition(out.count >= n, "output shorter than input")
        let ao = _base(aOffsets), ad = _base(aData), an = aData.count
        let bo = _base(bOffsets), bd = _base(bData), bn = bData.count, o = _base(out)
        let table = _orderTable(op)
        for i in 0..<n {
            let a0 = ao[i], b0 = bo[i]
            let al = ao[i &+ 1] &- a0, bl = bo[i &+ 1] &- b0
            let ak = _prefixKey(ad, a0, al, an), bk = _prefixKey(bd, b0, bl, bn)
            let c: Int
            if op == .equal || op == .notEqual {
                // Equality never needs an order: lengths and keys first.
                c = al == bl && ak == bk && (al <= 8 || _bytesEqual(ad + a0 + 8, bd + b0 + 8, al &- 8)) ? 0 : 1
            } else {
                c = _compareKeyed(ak, ad + a0, al, bk, bd + b0, bl)
            }
            o[i] = _lookup(table, c)
        }
    }

    /// `out[i] = lo <= value(i) && value(i) <= hi` in unsigned byte order, in one pass.
    @inlinable
    public static func between(
        offsets: UnsafeBufferPointer<Int>, data: UnsafeBufferPointer<UInt8>,
        _ lo: UnsafeBufferPointer<UInt8>, _ hi: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>
    ) {
        let n = Swift.max(offsets.count - 1, 0)
        precondition(out.count >= n, "output shorter than input")
        let off = _base(offsets), d = _base(data), dn = data.count, o = _base(out)
        let l = _base(lo), ln = lo.count, h = _base(hi), hn = hi.count
        let lk = _prefixKey(l, 0, ln, ln), hk = _prefixKey(h, 0, hn, hn)
        for i in 0..<n {
            let start = off[i], len = off[i &+ 1] &- start
            let k = _prefixKey(d, start, len, dn)
            let aboveLo = _compareKeyed(k, d + start, len, lk, l, ln) >= 0
            let belowHi = _compareKeyed(k, d + start, len, hk, h, hn) <= 0
            o[i] = _b(aboveLo) & _b(belowHi)
        }
    }

    /// The first min(len, 8) bytes of the string at `start` as a big-endian word,
    /// zero-padded. Loads eight bytes at once whenever they lie inside the buffer
    /// (`count` bytes), even past the string's end, and masks the excess off
    /// without a branch on the length (lengths vary row to row: a branch would be
    /// mispredicted often).
    @inlinable @inline(__always)
    static func _prefixKey(_ d: UnsafePointer<UInt8>, _ start: Int, _ len: Int, _ count: Int) -> UInt64 {
        var w: UInt64
        if start &+ 8 <= count {
            w = UnsafeRawPointer(d + start).loadUnaligned(as: UInt64.self)
        } else {
            w = 0
            for j in 0..<Swift.min(len, 8) { w |= UInt64(d[start &+ j]) &<< UInt64(8 &* j) }
        }
        // Keep the high 8*m bits of the big-endian word, m = min(len, 8), as two
        // shifts of 32 - 4m each (one shift of 64 - 8m would wrap to 0 for m = 0).
        let half = UInt64(truncatingIfNeeded: 32 &- 4 &* Swift.min(len, 8))
        let keep = (~UInt64(0) &<< half) &<< half
        return w.byteSwapped & keep
    }

    /// memcmp order of two strings whose prefix keys are `ak` and `bk`.
    @inlinable @inline(__always)
    static func _compareKeyed(
        _ ak: UInt64, _ a: UnsafePointer<UInt8>, _ an: Int, _ bk: UInt64, _ b: UnsafePointer<UInt8>, _ bn: Int
    ) -> Int {
        if ak != bk { return ak < bk ? -1 : 1 }
        // Same first min(an, bn, 8) bytes (a zero pad can only tie with a real zero byte
        // when the lengths differ, which the length comparison then settles).
        if an <= 8 || bn <= 8 { return an < bn ? -1 : (an == bn ? 0 : 1) }
        return _compareBytes(a + 8, an &- 8, b + 8, bn &- 8)
    }

    /// The mask byte for each three-way result under `op`, packed in a word: byte
    /// `c + 1` for result `c` in -1...1 (a shift instead of a branch per row).
    @inlinable @inline(__always)
    static func _orderTable(_ op: CompareOp) -> UInt32 {
        UInt32(_b(op.holds(-1))) | UInt32(_b(op.holds(0))) &<< 8 | UInt32(_b(op.holds(1))) &<< 16
    }

    @inlinable @inline(__always)
    static func _lookup(_ table: UInt32, _ c: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: table &>> UInt32(truncatingIfNeeded: 8 &* (c &+ 1)))
    }

    /// Whether `n` bytes at `a` and `b` are equal: eight at a time, then the tail.
    @inlinable @inline(__always)
    static func _bytesEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        while i &+ 8 <= n {
            let x = UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self)
            let y = UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self)
            if x != y { return false }
            i &+= 8
        }
        while i < n {
            if a[i] != b[i] { return false }
            i &+= 1
        }
        return true
    }

    /// memcmp order of two byte strings: negative, zero or positive.
    @inlinable @inline(__always)
    static func _compareBytes(_ a: UnsafePointer<UInt8>, _ an: Int, _ b: UnsafePointer<UInt8>, _ bn: Int) -> Int {
        let n = Swift.min(an, bn)
        var i = 0
        while i &+ 8 <= n {
            let x = UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self)
            let y = UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self)
            if x != y {
                // Big-endian words compare like the bytes they hold.
                return x.byteSwapped < y.byteSwapped ? -1 : 1
            }
            i &+= 8
        }
        while i < n {
            if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
            i &+= 1
        }
        return an < bn ? -1 : (an == bn ? 0 : 1)
    }

    // MARK: loop shape

    /// `out[i] = predicate(i) ? 1 : 0` for i in 0..<n: the loop every mask kernel
    /// inlines into (a straight loop of selects the compiler vectorizes).
    @inlinable @inline(__always)
    static func _mask(_ n: Int, _ out: UnsafeMutableBufferPointer<UInt8>, _ predicate: (Int) -> Bool) {
        let o = _base(out)
        for i in 0..<n { o[i] = _b(predicate(i)) }
    }

    /// `out[i] = value(i)` (0 or 1) for i in 0..<n.
    @inlinable @inline(__always)
    static func _byteMask(_ n: Int, _ out: UnsafeMutableBufferPointer<UInt8>, _ value: (Int) -> UInt8) {
        let o = _base(out)
        for i in 0..<n { o[i] = value(i) }
    }
}
