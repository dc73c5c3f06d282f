import Columnar

/// Bitmap kernels: AND/OR/AND-NOT/NOT over word arrays, population count,
/// set-bit iteration, and the conversions between the two boolean shapes the
/// engine uses: `Bitmap` (validity, a bit per row) and byte masks (predicate
/// results, a byte per row).
///
/// Words are 64 bits, LSB first (Arrow's validity layout). Bits past the
/// logical count in the last word are zero in every bitmap these kernels build.
extension Kernels {
    // MARK: word arrays

    /// `out[k] = a[k] & b[k]`.
    @inlinable
    public static func and(_ a: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt64>, into out: UnsafeMutableBufferPointer<UInt64>) {
        let (x, y, o, n) = _binary(a, b, out)
        for k in 0..<n { o[k] = x[k] & y[k] }
    }

    /// `out[k] = a[k] | b[k]`.
    @inlinable
    public static func or(_ a: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt64>, into out: UnsafeMutableBufferPointer<UInt64>) {
        let (x, y, o, n) = _binary(a, b, out)
        for k in 0..<n { o[k] = x[k] | y[k] }
    }

    /// `out[k] = a[k] & ~b[k]`.
    @inlinable
    public static func andNot(_ a: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt64>, into out: UnsafeMutableBufferPointer<UInt64>) {
        let (x, y, o, n) = _binary(a, b, out)
        for k in 0..<n { o[k] = x[k] & ~y[k] }
    }

    /// `out = ~a` over `bitCount` bits; bits at and past `bitCount` come out zero.
    @inlinable
    public static func not(_ a: UnsafeBufferPointer<UInt64>, bitCount: Int, into out: UnsafeMutableBufferPointer<UInt64>) {
        let (x, o, n) = _unary(a, out)
        precondition(n == (bitCount &+ 63) &>> 6, "word count does not match bit count")
        for k in 0..<n { o[k] = ~x[k] }
        if bitCount & 63 != 0 { o[n &- 1] &= _lowBits(bitCount & 63) }
    }

    /// Number of set bits.
    @inlinable
    public static func popcount(_ words: UnsafeBufferPointer<UInt64>) -> Int {
        let w = _base(words)
        var total = 0
        for k in 0..<words.count { total &+= w[k].nonzeroBitCount }
        return total
    }

    /// Calls `body(i)` for each set bit i below `bitCount`, ascending.
    @inlinable
    public static func forEachSetBit(_ words: UnsafeBufferPointer<UInt64>, bitCount: Int, _ body: (Int) -> Void) {
        precondition(words.count >= (bitCount &+ 63) &>> 6, "fewer words than bits")
        let w = _base(words)
        var base = 0, k = 0
        while base < bitCount {
            var x = w[k] & _lowBits(bitCount &- base)
            while x != 0 {
                body(base &+ x.trailingZeroBitCount)
                x &= x &- 1
            }
            base &+= 64
            k &+= 1
        }
    }

    /// The indices of the set bits: a selection vector from a bitmap.
    @inlinable
    public static func setBitIndices(_ bitmap: Bitmap) -> [Int32] {
        let n = bitmap.count
        return bitmap.words.withUnsafeBufferPointer { wb in
            let total = countPresent(count: n, validity: bitmap)
            return [Int32](unsafeUninitializedCapacity: total) { out, initialized in
                let o = _base(out)
                var j = 0
                forEachSetBit(wb, bitCount: n) { i in
                    o[j] = Int32(truncatingIfNeeded: i)
                    j &+= 1
                }
                initialized = j
            }
        }
    }

    // MARK: bitmaps

    /// Bitwise AND of two bitmaps of equal count.
    @inlinable
    public static func and(_ a: Bitmap, _ b: Bitmap) -> Bitmap {
        _combine(a, b) { x, y, o in and(x, y, into: o) }
    }

    /// Bitwise OR of two bitmaps of equal count.
    @inlinable
    public static func or(_ a: Bitmap, _ b: Bitmap) -> Bitmap {
        _combine(a, b) { x, y, o in or(x, y, into: o) }
    }

    /// Bits set in `a` and clear in `b`.
    @inlinable
    public static func andNot(_ a: Bitmap, _ b: Bitmap) -> Bitmap {
        _combine(a, b) { x, y, o in andNot(x, y, into: o) }
    }

    /// Bitwise NOT (within the bitmap's count).
    @inlinable
    public static func not(_ a: Bitmap) -> Bitmap {
        let words = a.words
        let out = [UInt64](unsafeUninitializedCapacity: words.count) { o, initialized in
            words.withUnsafeBufferPointer { not($0, bitCount: a.count, into: o) }
            initialized = words.count
        }
        return Bitmap(words: out, count: a.count)
    }

    /// Validity of a row that needs both inputs present: nil (all present) unless either has a bitmap.
    @inlinable
    public static func and(_ a: Bitmap?, _ b: Bitmap?) -> Bitmap? {
        switch (a, b) {
        case (nil, nil): nil
        case let (x?, nil): x
        case let (nil, y?): y
        case let (x?, y?): and(x, y)
        }
    }

    @inlinable @inline(__always)
    static func _combine(
        _ a: Bitmap, _ b: Bitmap,
        _ op: (UnsafeBufferPointer<UInt64>, UnsafeBufferPointer<UInt64>, UnsafeMutableBufferPointer<UInt64>) -> Void
    ) -> Bitmap {
        precondition(a.count == b.count, "bitmaps differ in length")
        let aw = a.words, bw = b.words
        let out = [UInt64](unsafeUninitializedCapacity: aw.count) { o, initialized in
            aw.withUnsafeBufferPointer { x in bw.withUnsafeBufferPointer { y in op(x, y, o) } }
            initialized = aw.count
        }
        return Bitmap(words: out, count: a.count)
    }

    // MARK: bitmap <-> byte mask

    /// `out[i] = bitmap[i] ? 1 : 0` for i in 0..<bitmap.count.
    @inlinable
    public static func mask(from bitmap: Bitmap, into out: UnsafeMutableBufferPointer<UInt8>) {
        let n = bitmap.count
        precondition(out.count >= n, "output shorter than the bitmap")
        let o = _base(out)
        bitmap.words.withUnsafeBufferPointer { wb in
            let w = _base(wb)
            let full = n &>> 6
            for k in 0..<full {
                let x = w[k]
                let dst = UnsafeMutableRawPointer(o + (k &<< 6))
                for j in 0..<8 {
                    dst.storeBytes(of: _spread8(x &>> UInt64(8 &* j)), toByteOffset: 8 &* j, as: UInt64.self)
                }
            }
            for i in (full &<< 6)..<n { o[i] = UInt8(truncatingIfNeeded: _bit(w, i)) }
        }
    }

    /// The byte mask as a bitmap (bit i set where `mask[i]` is 1).
    @inlinable
    public static func bitmap(fromMask mask: UnsafeBufferPointer<UInt8>) -> Bitmap {
        let n = mask.count, p = _base(mask)
        let wordCount = (n &+ 63) &>> 6
        let words = [UInt64](unsafeUninitializedCapacity: wordCount) { out, initialized in
            let o = _base(out)
            let full = n &>> 6
            for k in 0..<full { o[k] = _pack64(p + (k &<< 6)) }
            if full < wordCount { o[full] = _packTail(p + (full &<< 6), n & 63) }
            initialized = wordCount
        }
        return Bitmap(words: words, count: n)
    }

    /// `mask[i] &= validity[i]`: a predicate result where NULL counts as false (SQL WHERE).
    /// Words with every bit set are skipped; others clear their null rows eight bytes at a time.
    @inlinable
    public static func applyValidity(_ validity: Bitmap?, to mask: UnsafeMutableBufferPointer<UInt8>) {
        guard let validity else { return }
        let n = mask.count
        precondition(validity.count >= n, "validity shorter than the mask")
        let o = _base(mask)
        validity.words.withUnsafeBufferPointer { wb in
            let w = _base(wb)
            let full = n &>> 6
            for k in 0..<full {
                let x = w[k]
                if x == ~0 { continue }
                let dst = UnsafeMutableRawPointer(o + (k &<< 6))
                for j in 0..<8 {
                    let bytes = dst.loadUnaligned(fromByteOffset: 8 &* j, as: UInt64.self)
                    dst.storeBytes(of: bytes & _spread8(x &>> UInt64(8 &* j)), toByteOffset: 8 &* j, as: UInt64.self)
                }
            }
            for i in (full &<< 6)..<n { o[i] &= UInt8(truncatingIfNeeded: _bit(w, i)) }
        }
    }
}
