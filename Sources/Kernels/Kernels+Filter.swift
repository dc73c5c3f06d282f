import Columnar

/// Filter and take: compact a buffer by a byte mask, turn a mask into a
/// selection vector, and gather (`take`) rows by index for fixed-width values,
/// byte strings (`offsets` + `data`) and validity bitmaps.
///
/// Compaction is branch-free: every row is written at the output cursor and
/// the cursor advances by the mask byte, so the cost does not depend on how
/// unpredictable the mask is; eight-row groups that are all 0 or all 1 skip or
/// copy straight through. (AVX-512's vpcompress would do 8-16 rows per
/// instruction; baseline x86-64 has nothing like it.)
extension Kernels {
    // MARK: filter

    /// The values whose mask byte is 1, in order.
    @inlinable
    public static func filter<T: BitwiseCopyable>(_ values: UnsafeBufferPointer<T>, mask: UnsafeBufferPointer<UInt8>) -> [T] {
        precondition(mask.count == values.count, "mask and values differ in length")
        let total = countSet(mask)
        // One spare slot: the branch-free loop stores each row at the cursor,
        // which can sit one past the last kept row.
        return [T](unsafeUninitializedCapacity: total &+ 1) { out, initialized in
            let k = _compact(_base(values), _base(mask), values.count, kept: total, _base(out))
            assert(k == total)
            initialized = total
        }
    }

    /// Writes the values whose mask byte is 1 to the front of `out` (which must be
    /// at least as long as `values`) and returns how many.
    @inlinable
    public static func filter<T: BitwiseCopyable>(
        _ values: UnsafeBufferPointer<T>, mask: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<T>
    ) -> Int {
        precondition(mask.count == values.count, "mask and values differ in length")
        precondition(out.count >= values.count, "output shorter than input")
        return _compact(_base(values), _base(mask), values.count, kept: countSet(mask), _base(out))
    }

    /// Byte strings whose mask byte is 1, in order.
    @inlinable
    public static func filter(
        offsets: UnsafeBufferPointer<Int>, data: UnsafeBufferPointer<UInt8>, mask: UnsafeBufferPointer<UInt8>
    ) -> (offsets: [Int], data: [UInt8]) {
        let selection = selection(fromMask: mask)
        return selection.withUnsafeBufferPointer { take(offsets: offsets, data: data, indices: $0) }
    }

    /// The bits of `bitmap` whose mask byte is 1, in order.
    @inlinable
    public static func filter(_ bitmap: Bitmap, mask: UnsafeBufferPointer<UInt8>) -> Bitmap {
        let n = mask.count
        precondition(bitmap.count == n, "mask and bitmap differ in length")
        let total = countSet(mask)
        let wordCount = (total &+ 63) &>> 6
        let m = _base(mask)
        let words = bitmap.words.withUnsafeBufferPointer { wb in
            [UInt64](unsafeUninitializedCapacity: wordCount &+ 1) { out, initialized in
                let w = _base(wb), o = _base(out)
                // A bit writer: `acc` holds `fill` pending bits; whole words go to `o`.
                var acc: UInt64 = 0, fill: UInt64 = 0, k = 0
                _forEachMaskWord(m, n) { base, keepWord in
                    let bits = w[base &>> 6]
                    if keepWord == ~0 {
                        // All 64 kept: append the word whole.
                        acc |= bits &<< fill
                        o[k] = acc
                        k &+= 1
                        acc = fill == 0 ? 0 : bits &>> (64 &- fill)
                        return
                    }
                    var keep = keepWord
                    while keep != 0 {
                        acc |= ((bits &>> UInt64(keep.trailingZeroBitCount)) & 1) &<< fill
                        fill &+= 1
                        if fill == 64 {
                            o[k] = acc
                            k &+= 1
                            acc = 0
                            fill = 0
                        }
                        keep &= keep &- 1
                    }
                }
                if fill > 0 { o[k] = acc }
                initialized = wordCount
            }
        }
        return Bitmap(words: words, count: total)
    }

    /// The rows whose mask byte is 1: a selection vector.
    @inlinable
    public static func selection(fromMask mask: UnsafeBufferPointer<UInt8>) -> [Int32] {
        precondition(mask.count <= Int(Int32.max), "too many rows for a selection vector")
        let total = countSet(mask)
        return [Int32](unsafeUninitializedCapacity: total &+ 1) { out, initialized in
            let k = _selection(_base(mask), mask.count, kept: total, _base(out))
            assert(k == total)
            initialized = total
        }
    }

    /// Writes the rows whose mask byte is 1 to the front of `out` (at least as long
    /// as `mask`) and returns how many.
    @inlinable
    public static func selection(fromMask mask: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<Int32>) -> Int {
        precondition(mask.count <= Int(Int32.max), "too many rows for a selection vector")
        precondition(out.count >= mask.count, "output shorter than the mask")
        return _selection(_base(mask), mask.count, kept: countSet(mask), _base(out))
    }

    // MARK: take

    /// `out[k] = values[indices[k]]`.
    @inlinable
    public static func take<T: BitwiseCopyable>(
        _ values: UnsafeBufferPointer<T>, indices: UnsafeBufferPointer<Int32>, into out: UnsafeMutableBufferPointer<T>
    ) {
        precondition(out.count >= indices.count, "output shorter than the indices")
        let x = _base(values), idx = _base(indices), o = _base(out), n = indices.count
        for k in 0..<n {
            let i = Int(idx[k])
            assert(i >= 0 && i < values.count, "index out of range")
            o[k] = x[i]
        }
    }

    /// `values[indices[k]]` for each k.
    @inlinable
    public static func take<T: BitwiseCopyable>(_ values: UnsafeBufferPointer<T>, indices: UnsafeBufferPointer<Int32>) -> [T] {
        [T](unsafeUninitializedCapacity: indices.count) { out, initialized in
            take(values, indices: indices, into: out)
            initialized = indices.count
        }
    }

    /// Byte strings `indices[k]` of (`offsets`, `data`): new offsets (starting at 0) and data.
    @inlinable
    public static func take(
        offsets: UnsafeBufferPointer<Int>, data: UnsafeBufferPointer<UInt8>, indices: UnsafeBufferPointer<Int32>
    ) -> (offsets: [Int], data: [UInt8]) {
        let off = _base(offsets), idx = _base(indices), n = indices.count
        var total = 0
        let newOffsets = [Int](unsafeUninitializedCapacity: n &+ 1) { out, initialized in
            let o = _base(out)
            o[0] = 0
            for k in 0..<n {
                let i = Int(idx[k])
                assert(i >= 0 && i &+ 1 < offsets.count, "index out of range")
                total &+= off[i &+ 1] &- off[i]
                o[k &+ 1] = total
            }
            initialized = n &+ 1
        }
        let src = _base(data)
        let newData = [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
            let dst = _base(out)
            newOffsets.withUnsafeBufferPointer { no in
                for k in 0..<n {
                    let i = Int(idx[k])
                    _copyBytes(from: src + off[i], to: dst + no[k], count: no[k &+ 1] &- no[k])
                }
            }
            initialized = total
        }
        return (newOffsets, newData)
    }

    /// Bits `indices[k]` of `bitmap`.
    @inlinable
    public static func take(_ bitmap: Bitmap, indices: UnsafeBufferPointer<Int32>) -> Bitmap {
        let n = indices.count, idx = _base(indices)
        let wordCount = (n &+ 63) &>> 6
        let words = bitmap.words.withUnsafeBufferPointer { wb in
            [UInt64](unsafeUninitializedCapacity: wordCount) { out, initialized in
                let w = _base(wb), o = _base(out)
                var base = 0, k = 0
                while base < n {
                    let len = Swift.min(64, n &- base)
                    var acc: UInt64 = 0
                    for j in 0..<len {
                        let i = Int(idx[base &+ j])
                        assert(i >= 0 && i < bitmap.count, "index out of range")
                        acc |= _bit(w, i) &<< UInt64(j)
                    }
                    o[k] = acc
                    base &+= 64
                    k &+= 1
                }
                initialized = wordCount
            }
        }
        return Bitmap(words: words, count: n)
    }

    // MARK: inner loops

    /// Compacts the rows of `x` whose mask byte is 1 into `o`; returns how many.
    /// `kept` (the mask's count) picks the loop: below 1/32 of the rows, walk the
    /// set bits of each 64-row word (cost per kept row, empty words skipped);
    /// otherwise store every row at the cursor and advance it by the mask byte
    /// (branch-free, cost per row), copying all-kept 64-row blocks straight
    /// through. The bit walk loses already at 10% here: its mispredicted loop exits
    /// stall the stream of value loads. Writes `o[0...kept]`: the dense loop may
    /// store one slot past the last kept row.
    @inlinable @inline(__always)
    static func _compact<T>(_ x: UnsafePointer<T>, _ m: UnsafePointer<UInt8>, _ n: Int, kept: Int, _ o: UnsafeMutablePointer<T>) -> Int {
        var k = 0
        if kept &* 32 < n {
            _forEachMaskWord(m, n) { base, word in
                var w = word
                while w != 0 {
                    (o + k).initialize(to: x[base &+ w.trailingZeroBitCount])
                    k &+= 1
                    w &= w &- 1
                }
            }
            return k
        }
        var i = 0
        while i &+ 64 <= n {
            if _allSet64(m + i) {
                for j in 0..<64 { (o + (k &+ j)).initialize(to: x[i &+ j]) }
                k &+= 64
            } else {
                for j in i..<(i &+ 64) {
                    (o + k).initialize(to: x[j])
                    k &+= Int(m[j])
                }
            }
            i &+= 64
        }
        while i < n {
            (o + k).initialize(to: x[i])
            k &+= Int(m[i])
            i &+= 1
        }
        return k
    }

    /// Mask → row indices, the same two loops as `_compact`; with no values to load
    /// the bit walk pays off up to a quarter of the rows.
    @inlinable @inline(__always)
    static func _selection(_ m: UnsafePointer<UInt8>, _ n: Int, kept: Int, _ o: UnsafeMutablePointer<Int32>) -> Int {
        var k = 0
        if kept &* 4 < n {
            _forEachMaskWord(m, n) { base, word in
                var w = word
                while w != 0 {
                    o[k] = Int32(truncatingIfNeeded: base &+ w.trailingZeroBitCount)
                    k &+= 1
                    w &= w &- 1
                }
            }
            return k
        }
        var i = 0
        while i &+ 64 <= n {
            let base = Int32(truncatingIfNeeded: i)
            if _allSet64(m + i) {
                for j in 0..<64 { o[k &+ j] = base &+ Int32(truncatingIfNeeded: j) }
                k &+= 64
            } else {
                for j in 0..<64 {
                    o[k] = base &+ Int32(truncatingIfNeeded: j)
                    k &+= Int(m[i &+ j])
                }
            }
            i &+= 64
        }
        while i < n {
            o[k] = Int32(truncatingIfNeeded: i)
            k &+= Int(m[i])
            i &+= 1
        }
        return k
    }

    /// Calls `body(base, word)` with each 64-row block of the mask packed into bits
    /// (the last block partial), skipping blocks with no row set.
    @inlinable @inline(__always)
    static func _forEachMaskWord(_ m: UnsafePointer<UInt8>, _ n: Int, _ body: (Int, UInt64) -> Void) {
        var base = 0
        while base &+ 64 <= n {
            let w = _pack64(m + base)
            if w != 0 { body(base, w) }
            base &+= 64
        }
        if base < n {
            let w = _packTail(m + base, n &- base)
            if w != 0 { body(base, w) }
        }
    }

    /// Whether all 64 mask bytes at `p` are 1.
    @inlinable @inline(__always)
    static func _allSet64(_ p: UnsafePointer<UInt8>) -> Bool {
        let raw = UnsafeRawPointer(p)
        var all: UInt64 = ~0
        for j in 0..<8 { all &= raw.loadUnaligned(fromByteOffset: 8 &* j, as: UInt64.self) }
        return all == 0x0101_0101_0101_0101
    }

    /// Copies a short byte string: word moves up to 16 bytes, memcpy beyond.
    @inlinable @inline(__always)
    static func _copyBytes(from s: UnsafePointer<UInt8>, to d: UnsafeMutablePointer<UInt8>, count: Int) {
        let src = UnsafeRawPointer(s), dst = UnsafeMutableRawPointer(d)
        if count >= 8 && count <= 16 {
            // Two possibly overlapping 8-byte moves cover 8...16 bytes.
            let a = src.loadUnaligned(as: UInt64.self)
            let b = src.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            dst.storeBytes(of: a, as: UInt64.self)
            dst.storeBytes(of: b, toByteOffset: count &- 8, as: UInt64.self)
        } else if count < 8 {
            for j in 0..<count { d[j] = s[j] }
        } else {
            dst.copyMemory(from: src, byteCount: count)
        }
    }
}
