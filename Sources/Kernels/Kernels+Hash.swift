import Columnar

/// Hashing for hash joins and hash aggregation: 64-bit hashes of fixed-width
/// values and byte strings, a whole column at a time, `combine` for multi-column
/// keys, and a fixed hash for NULL.
///
/// - Integers hash by value as 64-bit two's complement, so `Int32(-5)`,
///   `Int64(-5)` and an `Int128` decimal -5 hash alike (a join may compare int4
///   with int8). The mix is two wyhash-style folded multiplies: every output bit
///   depends on every input bit, so the low bits a table masks by are good.
/// - Floats hash their `Double` value with -0.0 taken as +0.0 and every NaN as
///   one NaN, matching SQL equality (`Float(1.5)` and `Double(1.5)` hash alike).
/// - Byte strings use wyhash (final version 4, its default secret): 16 bytes per
///   64x64→128-bit multiply, a handful of instructions for short strings.
/// - `combine` folds a column's hash into a running key hash with one wide
///   multiply; it is order-sensitive (`combine(a, b) != combine(b, a)`).
///
/// Hashes are stable within a build, not a format: never persist them.
extension Kernels {
    /// The hash every NULL gets (so NULL keys group together, as GROUP BY wants).
    @inlinable public static var nullHash: UInt64 { 0x6A09_E667_F3BC_C908 }

    // MARK: scalars

    /// Hash of a 64-bit value: two folded multiplies (the 128-bit product's halves
    /// XORed), wyhash's mixing step. Each is one `mul` instruction; a shift-xor-multiply
    /// finalizer like MurmurHash3's fmix64 measured 40% slower here, its 64-bit
    /// multiplies being vectorized into slow SSE2 emulation.
    @inlinable @inline(__always)
    public static func hash(_ x: UInt64) -> UInt64 {
        _wymix(_wymix(x ^ _wyp0, _wyp1), _wyp2)
    }

    /// Hash of an integer by value (see the type's notes: widths agree).
    @inlinable @inline(__always)
    public static func hash<T: FixedWidthInteger>(integer x: T) -> UInt64 {
        if T.bitWidth <= 64 {
            return hash(UInt64(truncatingIfNeeded: Int64(truncatingIfNeeded: x)))
        }
        // Wider (Int128 decimals): values that fit in 64 bits hash like Int64.
        let low = Int64(truncatingIfNeeded: x)
        if T(truncatingIfNeeded: low) == x { return hash(UInt64(bitPattern: low)) }
        return combine(hash(UInt64(truncatingIfNeeded: x)), hash(UInt64(truncatingIfNeeded: x >> 64)))
    }

    /// Hash of a float by SQL value (-0.0 as +0.0, one NaN).
    @inlinable @inline(__always)
    public static func hash<T: BinaryFloatingPoint>(float x: T) -> UInt64 {
        let d = Double(x)
        let bits: UInt64 = d != d ? 0x7FF8_0000_0000_0000 : (d == 0 ? 0 : d.bitPattern)
        return hash(bits)
    }

    /// Folds `next` into the running hash `h` (order-sensitive).
    @inlinable @inline(__always)
    public static func combine(_ h: UInt64, _ next: UInt64) -> UInt64 {
        _wymix(h ^ _wyp0, next ^ _wyp1)
    }

    /// wyhash of a byte string (the same hash the byte-string column kernels give a row).
    @inlinable
    public static func hash(bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        hash(bytes: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: bytes.count, seed: seed)
    }

    /// wyhash of `count` bytes at `p`.
    @inlinable
    public static func hash(bytes p: UnsafeRawPointer, count len: Int, seed: UInt64 = 0) -> UInt64 {
        var seed = seed ^ _wymix(seed ^ _wyp0, _wyp1)
        var a: UInt64, b: UInt64
        if len <= 16 {
            if len >= 4 {
                let q = (len &>> 3) &<< 2
                a = (_wyr4(p, 0) &<< 32) | _wyr4(p, q)
                b = (_wyr4(p, len &- 4) &<< 32) | _wyr4(p, len &- 4 &- q)
            } else if len > 0 {
                let b0 = UInt64(p.load(as: UInt8.self))
                let b1 = UInt64(p.load(fromByteOffset: len &>> 1, as: UInt8.self))
                let b2 = UInt64(p.load(fromByteOffset: len &- 1, as: UInt8.self))
                a = (b0 &<< 16) | (b1 &<< 8) | b2
                b = 0
            } else {
                a = 0
                b = 0
            }
        } else {
            var i = len, q = p
            if i > 48 {
                var see1 = seed, see2 = seed
                repeat {
                    seed = _wymix(_wyr8(q, 0) ^ _wyp1, _wyr8(q, 8) ^ seed)
                    see1 = _wymix(_wyr8(q, 16) ^ _wyp2, _wyr8(q, 24) ^ see1)
                    see2 = _wymix(_wyr8(q, 32) ^ _wyp3, _wyr8(q, 40) ^ see2)
                    q += 48
                    i &-= 48
                } while i > 48
                seed ^= see1 ^ see2
            }
            while i > 16 {
                seed = _wymix(_wyr8(q, 0) ^ _wyp1, _wyr8(q, 8) ^ seed)
                i &-= 16
                q += 16
            }
            a = _wyr8(q, i &- 16)
            b = _wyr8(q, i &- 8)
        }
        a ^= _wyp1
        b ^= seed
        (a, b) = _wymum(a, b)
        return _wymix(a ^ _wyp0 ^ UInt64(truncatingIfNeeded: len), b ^ _wyp1)
    }

    // MARK: columns

    /// `out[i]` = hash of `values[i]`, or `nullHash` where the row is null.
    @inlinable
    public static func hash<T: FixedWidthInteger>(
        _ values: UnsafeBufferPointer<T>, validity: Bitmap? = nil, into out: UnsafeMutableBufferPointer<UInt64>
    ) {
        let x = _base(values)
        _hashColumn(values.count, validity, out, combining: false) { hash(integer: x[$0]) }
    }

    /// `hashes[i] = combine(hashes[i], hash of values[i] or nullHash)`: the next column of a multi-column key.
    @inlinable
    public static func hash<T: FixedWidthInteger>(
        _ values: UnsafeBufferPointer<T>, validity: Bitmap? = nil, combiningInto hashes: UnsafeMutableBufferPointer<UInt64>
    ) {
        let x = _base(values)
        _hashColumn(values.count, validity, hashes, combining: true) { hash(integer: x[$0]) }
    }

    /// `out[i]` = hash of `values[i]` by SQL value, or `nullHash` where the row is null.
    @inlinable
    public static func hash<T: BinaryFloatingPoint>(
        _ values: UnsafeBufferPointer<T>, validity: Bitmap? = nil, into out: UnsafeMutableBufferPointer<UInt64>
    ) {
        let x = _base(values)
        _hashColumn(values.count, validity, out, combining: false) { hash(float: x[$0]) }
    }

    /// Combining version of the float column hash.
    @inlinable
    public static func hash<T: BinaryFloatingPoint>(
        _ values: UnsafeBufferPointer<T>, validity: Bitmap? = nil, combiningInto hashes: UnsafeMutableBufferPointer<UInt64>
    ) {
        let x = _base(values)
        _hashColumn(values.count, validity, hashes, combining: true) { hash(float: x[$0]) }
    }

    /// `out[i]` = wyhash of byte string i, or `nullHash` where the row is null.
    @inlinable
    public static func hash(
        offsets: UnsafeBufferPointer<Int>, data: UnsafeBufferPointer<UInt8>, validity: Bitmap? = nil,
        into out: UnsafeMutableBufferPointer<UInt64>
    ) {
        let off = _base(offsets), d = UnsafeRawPointer(_base(data))
        _hashColumn(Swift.max(offsets.count - 1, 0), validity, out, combining: false) { i in
            hash(bytes: d + off[i], count: off[i &+ 1] &- off[i])
        }
    }

    /// Combining version of the byte-string column hash.
    @inlinable
    public static func hash(
        offsets: UnsafeBufferPointer<Int>, data: UnsafeBufferPointer<UInt8>, validity: Bitmap? = nil,
        combiningInto hashes: UnsafeMutableBufferPointer<UInt64>
    ) {
        let off = _base(offsets), d = UnsafeRawPointer(_base(data))
        _hashColumn(Swift.max(offsets.count - 1, 0), validity, hashes, combining: true) { i in
            hash(bytes: d + off[i], count: off[i &+ 1] &- off[i])
        }
    }

    /// `hashes[i] = combine(hashes[i], other[i])`.
    @inlinable
    public static func combine(_ hashes: UnsafeMutableBufferPointer<UInt64>, with other: UnsafeBufferPointer<UInt64>) {
        precondition(other.count == hashes.count, "hash columns differ in length")
        let h = _base(hashes), o = _base(other)
        for i in 0..<hashes.count { h[i] = combine(h[i], o[i]) }
    }

    // MARK: internals

    /// The shared loop: a value hash per row, `nullHash` selected in without a
    /// branch where the validity bit is clear, stored or combined.
    @inlinable @inline(__always)
    static func _hashColumn(
        _ n: Int, _ validity: Bitmap?, _ out: UnsafeMutableBufferPointer<UInt64>, combining: Bool,
        _ valueHash: (Int) -> UInt64
    ) {
        precondition(out.count >= n, "output shorter than input")
        let o = _base(out)
        guard let validity else {
            if combining {
                for i in 0..<n { o[i] = combine(o[i], valueHash(i)) }
            } else {
                for i in 0..<n { o[i] = valueHash(i) }
            }
            return
        }
        precondition(validity.count >= n, "validity shorter than the values")
        validity.words.withUnsafeBufferPointer { wb in
            let w = _base(wb)
            for i in 0..<n {
                let m = 0 &- _bit(w, i)
                let h = (valueHash(i) & m) | (nullHash & ~m)
                o[i] = combining ? combine(o[i], h) : h
            }
        }
    }

    @inlinable @inline(__always) static var _wyp0: UInt64 { 0xA076_1D64_78BD_642F }
    @inlinable @inline(__always) static var _wyp1: UInt64 { 0xE703_7ED1_A0B4_28DB }
    @inlinable @inline(__always) static var _wyp2: UInt64 { 0x8EBC_6AF0_9C88_C6E3 }
    @inlinable @inline(__always) static var _wyp3: UInt64 { 0x5899_65CC_7537_4CC3 }

    /// The 128-bit product of `a` and `b` as (low, high).
    @inlinable @inline(__always)
    static func _wymum(_ a: UInt64, _ b: UInt64) -> (UInt64, UInt64) {
        let r = a.multipliedFullWidth(by: b)
        return (r.low, r.high)
    }

    /// Low XOR high of the 128-bit product.
    @inlinable @inline(__always)
    static func _wymix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let r = a.multipliedFullWidth(by: b)
        return r.low ^ r.high
    }

    @inlinable @inline(__always)
    static func _wyr8(_ p: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        p.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    }

    @inlinable @inline(__always)
    static func _wyr4(_ p: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(p.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}
