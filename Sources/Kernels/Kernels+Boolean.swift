import Columnar

/// SQL's three-valued logic over (byte mask, validity) pairs, and counting a mask.
///
/// A boolean column is a byte mask (0/1 per row) plus optional validity. Values
/// come out as the byte-wise AND/OR/NOT of the inputs (vectorized); validity is
/// worked out 64 rows a word: AND is known where both sides are known or either
/// is a known false, OR where both are known or either is a known true, NOT
/// where its input is. The byte under a null result is unspecified.
extension Kernels {
    /// SQL `a AND b`: writes the values to `out`, returns the result's validity (nil: no nulls).
    @inlinable
    public static func and(
        _ a: UnsafeBufferPointer<UInt8>, validity aValidity: Bitmap?,
        _ b: UnsafeBufferPointer<UInt8>, validity bValidity: Bitmap?,
        into out: UnsafeMutableBufferPointer<UInt8>
    ) -> Bitmap? {
        let (x, y, o, n) = _binary(a, b, out)
        for i in 0..<n { o[i] = x[i] & y[i] }
        if aValidity == nil && bValidity == nil { return nil }
        // Known: both known, or a known false on either side.
        return _logicValidity(x, aValidity, y, bValidity, n) { va, vb, ab, bb in (va & vb) | (va & ~ab) | (vb & ~bb) }
    }

    /// SQL `a OR b`: writes the values to `out`, returns the result's validity (nil: no nulls).
    @inlinable
    public static func or(
        _ a: UnsafeBufferPointer<UInt8>, validity aValidity: Bitmap?,
        _ b: UnsafeBufferPointer<UInt8>, validity bValidity: Bitmap?,
        into out: UnsafeMutableBufferPointer<UInt8>
    ) -> Bitmap? {
        let (x, y, o, n) = _binary(a, b, out)
        for i in 0..<n { o[i] = x[i] | y[i] }
        if aValidity == nil && bValidity == nil { return nil }
        // Known: both known, or a known true on either side.
        return _logicValidity(x, aValidity, y, bValidity, n) { va, vb, ab, bb in (va & vb) | (va & ab) | (vb & bb) }
    }

    /// SQL `NOT a`: writes the values to `out`; the validity is the input's.
    @inlinable
    public static func not(_ a: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) {
        let (x, o, n) = _unary(a, out)
        for i in 0..<n { o[i] = x[i] ^ 1 }
    }

    /// Number of rows whose mask byte is 1.
    @inlinable
    public static func countSet(_ mask: UnsafeBufferPointer<UInt8>) -> Int {
        let p = _base(mask), n = mask.count
        var total = 0
        var i = 0
        // Add eight bytes at a time as one word: each byte lane gains at most 1 per
        // word, so 255 words fit before a lane could carry; then fold the lanes.
        while i &+ 8 <= n {
            let words = Swift.min(255, (n &- i) &>> 3)
            var acc: UInt64 = 0
            let w = UnsafeRawPointer(p + i)
            for k in 0..<words { acc &+= w.loadUnaligned(fromByteOffset: k &* 8, as: UInt64.self) }
            total &+= _sumLanes(acc)
            i &+= words &* 8
        }
        while i < n {
            total &+= Int(p[i])
            i &+= 1
        }
        return total
    }

    /// Sum of the eight byte lanes of `x`.
    @inlinable @inline(__always)
    static func _sumLanes(_ x: UInt64) -> Int {
        let pairs = (x & 0x00FF_00FF_00FF_00FF) &+ ((x &>> 8) & 0x00FF_00FF_00FF_00FF)
        return Int(truncatingIfNeeded: (pairs &* 0x0001_0001_0001_0001) &>> 48)
    }

    /// The validity of a binary logic result, a word at a time: `rule(va, vb, a, b)`
    /// over the operands' validity words and their values packed into bits.
    @inlinable @inline(__always)
    static func _logicValidity(
        _ x: UnsafePointer<UInt8>, _ aValidity: Bitmap?, _ y: UnsafePointer<UInt8>, _ bValidity: Bitmap?, _ n: Int,
        rule: (UInt64, UInt64, UInt64, UInt64) -> UInt64
    ) -> Bitmap {
        if let aValidity { precondition(aValidity.count >= n, "validity shorter than the values") }
        if let bValidity { precondition(bValidity.count >= n, "validity shorter than the values") }
        let aw = aValidity?.words ?? [], bw = bValidity?.words ?? []
        let wordCount = (n &+ 63) &>> 6
        let words = [UInt64](unsafeUninitializedCapacity: wordCount) { buf, initialized in
            aw.withUnsafeBufferPointer { ab in
                bw.withUnsafeBufferPointer { bb in
                    let hasA = aValidity != nil, hasB = bValidity != nil
                    let av = _base(ab), bv = _base(bb), w = _base(buf)
                    for k in 0..<wordCount {
                        let start = k &<< 6, len = Swift.min(64, n &- start)
                        let xa = len == 64 ? _pack64(x + start) : _packTail(x + start, len)
                        let xb = len == 64 ? _pack64(y + start) : _packTail(y + start, len)
                        let va = hasA ? av[k] : ~0, vb = hasB ? bv[k] : ~0
                        w[k] = rule(va, vb, xa, xb) & _lowBits(len)
                    }
                }
            }
            initialized = wordCount
        }
        return Bitmap(words: words, count: n)
    }
}
