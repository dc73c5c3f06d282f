import Columnar

/// Arithmetic kernels: add, subtract, multiply (column with column, column with
/// scalar), divide and modulo, negate, and decimal rescale, with SQL's errors.
///
/// Integer kernels (`Int8`...`Int64`; the engine uses `Int32` and `Int64`)
/// throw `ArithmeticError.overflow` when a result does not fit and
/// `.divisionByZero` for a zero divisor. Double kernels follow PostgreSQL's
/// float8 operators: an infinite result from finite inputs is `.overflow`, a
/// zero from non-zero inputs (multiply, divide) is `.underflow`, and dividing a
/// non-NaN by zero is `.divisionByZero`.
///
/// Rows whose validity bit is clear never raise: their slots hold whatever the
/// arithmetic produced (a zero divisor there is replaced, never trapped on). An
/// error names the first present row that faults. An output may be the same
/// buffer as an input (not a partial overlap).
///
/// Loop shapes: most kernels go in blocks of 1024 rows, a vectorized pass
/// checking the block for a fault and a second computing it (still in L1);
/// 32- and 64-bit multiplies are one scalar pass reading `imul`'s overflow flag
/// (see `_fused`); divisions are scalar (there is no vector integer divide).
extension Kernels {
    @usableFromInline static var _arithmeticBlock: Int { 1024 }

    // MARK: integers, column with column

    /// `out[i] = a[i] + b[i]`.
    @inlinable
    public static func add<T: FixedWidthInteger & SignedInteger>(
        _ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>, into out: UnsafeMutableBufferPointer<T>, validity: Bitmap? = nil
    ) throws(ArithmeticError) {
        let (x, y, o, n) = _binary(a, b, out)
        try _checked(n, validity, kind: .overflow) { i in
            let r = x[i] &+ y[i]
            return _signBit((x[i] ^ r) & (y[i] ^ r))
        } compute: { i in o[i] = x[i] &+ y[i] }
    }

    /// `out[i] = a[i] - b[i]`.
    @inlinable
    public static func subtract<T: FixedWidthInteger & SignedInteger>(
        _ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>, into out: UnsafeMutableBufferPointer<T>, validity: Bitmap? = nil
    ) throws(ArithmeticError) {
        let (x, y, o, n) = _binary(a, b, out)
        try _checked(n, validity, kind: .overflow) { i in
            let r = x[i] &- y[i]
            return _signBit((x[i] ^ y[i]) & (x[i] ^ r))
        } compute: { i in o[i] = x[i] &- y[i] }
    }

    /// `out[i] = a[i] * b[i]`.
    @inlinable
    public static func multiply<T: FixedWidthInteger & SignedInteger>(
        _ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>, into out: UnsafeMutableBufferPointer<T>, validity: Bitmap? = nil
    ) throws(ArithmeticError) {
        let (x, y, o, n) = _binary(a, b, out)
        if T.bitWidth >= 32 {
            try _fused(n, validity) { i in
                let (r, overflow) = x[i].multipliedReportingOverflow(by: y[i])
                o[i] = r
                return overflow
            }
            return
        }
        try _checked(n, validity, kind: .overflow) { i in
            _multiplyFlag(x[i], y[i])
        } compute: { i in o[i] = x[i] &* y[i] }
    }

    /// `out[i] = a[i] / b[i]`, truncating toward zero.
    @inlinable
    public static func divide<T: FixedWidthInteger & SignedInteger>(
        _ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>, into out: UnsafeMutableBufferPointer<T>, validity: Bitmap? = nil
    ) throws(ArithmeticError) {
        let (x, y, o, n) = _binary(a, b, out)
        try _checked(n, validity) { i in
            _divisionFault(x[i], y[i])
        } compute: { i in
            // Faulting rows here are null: divide by 1 instead of trapping.
            let d = y[i], bad = d == 0 || (d == -1 && x[i] == T.min)
            o[i] = x[i] / (bad ? 1 : d)
        }
    }

    /// `out[i] = a[i] % b[i]`, with the sign of `a[i]` (PostgreSQL's `%`; `T.min % -1` is 0).
    @inlinable
    public static func remainder<T: FixedWidthInteger & SignedInteger>(
        _ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>, into out: UnsafeMutableBufferPointer<T>, validity: Bitmap? = nil
    ) throws(ArithmeticError) {
        let (x, y, o, n) = _binary(a, b, out)
        try _checked(n, validity) { i in
            y[i] == 0 ? UInt64(ArithmeticError.Kind.divisionByZero.rawValue) : 0
        } compute: { i in
            let d = y[i]
            o[i] = x[i] % (d == 0 || d == -1 ? 1 : d)
        }
    }

    // MARK: integers, column with scalar

    /// `out[i] = a[i] + b`.
    @inlinable
    public static func add<T: FixedWidthInteger & SignedInteger>(
        _ a: UnsafeBufferPointer<T>, _ b: T, into out: UnsafeMutableBufferPointer<T>, validity: Bitmap? = nil
    ) throws(ArithmeticError) {
        let (x, o, n) = _unary(a, out)
        try _checked(n, validity, kind: .overflow) { i in
            let r = x[i] &+ b
            return _signBit((x[i] ^ r) & (b ^ r))
        } compute: { i in o[i] = x[i] &+ b }
    }

    /// `out[i] = a[i] - b`.
    @inlinable
    public static func subtract<T: FixedWidthInteger & SignedInteger>(
        _ a: UnsafeBufferPointer<T>, _ b: T, into out: UnsafeMutableBufferPointer<T>, validity: Bitmap? = nil
    ) throws(ArithmeticError) {
        let (x, o, n) = _unary(a, out)
        try _checked(n, validity, kind: .overflow) { i in
            let r = x[i] &- b
            return _signBit((x[i] ^ b) & (x[i] ^ r))
        } compute: { i in o[i] = x[i] &- b }
    }

    /// `out[i] = b - a[i]` (scalar on the left).
    @inlinable
    public static func subtract<T: FixedWidthInteger & SignedInteger>(
        _ b: T, _ a: UnsafeBufferPointer<T>, into out: UnsafeMutableBufferPointer<T>, validity: Bitmap? = nil
    ) throws(ArithmeticError) {
        let (x, o, n) = _unary(a, out)
        try _checked(n, validity, kind: .overflow) { i in
            let r = b &- x[i]
            return _signBit((b ^ x[i]) & (b ^ r))
        } compute: { i in o[i] = b &- x[i] }
    }

    /// `out[i] = a[i] * b`.
    @inlinable
    public static func multiply<T: FixedWidthInteger & SignedInteger>(
        _ a: UnsafeBufferPointer<T>, _ b: T, into out: UnsafeMutableBufferPointer<T>, validity: Bitmap? = nil
    ) throws(ArithmeticError) {
        let (x, o, n) = _unary(a, out)
        if T.bitWidth >= 32 {
            try _fused(n, validity) { i in
                let (r, overflow) = x[i].multipliedReportingOverflow(by: b)
                o[i] = r
                return overflow
            }
            return
        }
        let (lo, hi) = _multiplyBounds(b)
        try _checked(n, validity, kind: .overflow) { i in
            UInt64(_b(x[i] < lo) | _b(x[i] > hi))
        } compute: { i in o[i] = x[i] &* b }
    }

    /// A zero divisor: an error at the first non-null row (null rows get 0).
    @inlinable
    static func _divisionByZero<T: FixedWidthInteger>(_ n: Int, _ validity: Bitmap?, _ o: UnsafeMutablePointer<T>) throws(ArithmeticError) {
        try _checked(n, validity, kind: .divisionByZero) { _ in 1 } compute: { i in o[i] = 0 }
    }

    /// `out[i] = a[i] / b`, truncating toward zero.
    @inlinable
    public static func divide<T: FixedWidthInteger & SignedInteger>(
        _ a: UnsafeBufferPointer<T>, _ b: T, into out: UnsafeMutableBufferPointer<T>, validity: Bitmap? = nil
    ) throws(ArithmeticError) {
        let (x, o, n) = _unary(a, out)
        if b == 0 { return try _divisionByZero(n, validity, o) }
        if b == -1 {
            try _checked(n, validity, kind: .overflow) { i in _signBit(x[i] & (0 &- x[i])) } compute: { i in o[i] = 0 &- x[i] }
            return
        }
        // The divisor is the same for every row: let the compiler strength-reduce where it can.
        for i in 0..<n { o[i] = x[i] / b }
    }

    /// `out[i] = a[i] % b`.
    @inlinable
    public static func remainder<T: FixedWidthInteger & SignedInteger>(
        _ a: UnsafeBufferPointer<T>, _ b: T, into out: UnsafeMutableBufferPointer<T>, validity: Bitmap? = nil
    ) throws(ArithmeticError) {
        let (x, o, n) = _unary(a, out)
        if b == 0 { return try _divisionByZero(n, validity, o) }
        let d = b == -1 ? 1 : b
        for i in 0..<n { o[i] = x[i] % d }
    }

    /// `out[i] = -a[i]`.
    @inlinable
    public static func negate<T: FixedWidthInteger & SignedInteger>(
        _ a: UnsafeBufferPointer<T>, into out: UnsafeMutableBufferPointer<T>, validity: Bitmap? = nil
    ) throws(ArithmeticError) {
        let (x, o, n) = _unary(a, out)
        // -x overflows only for T.min, the one value whose negation is itself negative.
        try _checked(n, validity, kind: .overflow) { i in _signBit(x[i] & (0 &- x[i])) } compute: { i in o[i] = 0 &- x[i] }
    }

    /// Decimal rescale of unscaled `Int64` values: `out[i] = a[i] * 10^k` for
    /// `k >= 0` (overflow checked), `a[i] / 10^-k` rounded half away from zero
    /// (PostgreSQL's numeric rounding) for `k < 0`. `k` is in -18...18.
    @inlinable
    public static func rescale(
        _ a: UnsafeBufferPointer<Int64>, byPowerOfTen k: Int, into out: UnsafeMutableBufferPointer<Int64>, validity: Bitmap? = nil
    ) throws(ArithmeticError) {
        precondition((-18...18).contains(k), "decimal rescale exponent out of range")
        var f: Int64 = 1
        for _ in 0..<abs(k) { f &*= 10 }
        if k >= 0 {
            try multiply(a, f, into: out, validity: validity)
            return
        }
        let (x, o, n) = _unary(a, out)
        let half = f / 2
        for i in 0..<n {
            let v = x[i]
            let q = v / f, r = v % f
            // |r| >= f/2 rounds away from zero (f is even, so this is exact).
            let away: Int64 = (r >= half ? 1 : 0) &- (r <= 0 &- half ? 1 : 0)
            o[i] = q &+ away
        }
    }

    // MARK: Double

    /// `out[i] = a[i] + b[i]`.
    @inlinable
    public static func add(
        _ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>, validity: Bitmap? = nil
    ) throws(ArithmeticError) {
        let (x, y, o, n) = _binary(a, b, out)
        try _checkedDoubles(n, validity) { i in
            let a = _load2(x, i), b = _load2(y, i)
            return _infiniteFromFinite(a + b, a, b)
        } fault: { i in
            _infiniteFromFinite(x[i] + y[i], x[i], y[i])
        } compute: { i in o[i] = x[i] + y[i] }
    }

    /// `out[i] = a[i] - b[i]`.
    @inlinable
    public static func subtract(
        _ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>, validity: Bitmap? = nil
    ) throws(ArithmeticError) {
        let (x, y, o, n) = _binary(a, b, out)
        try _checkedDoubles(n, validity) { i in
            let a = _load2(x, i), b = _load2(y, i)
            return _infiniteFromFinite(a - b, a, b)
        } fault: { i in
            _infiniteFromFinite(x[i] - y[i], x[i], y[i])
        } compute: { i in o[i] = x[i] - y[i] }
    }

    /// `out[i] = a[i] * b[i]`.
    @inlinable
    public static func multiply(
        _ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>, validity: Bitmap? = nil
    ) throws(ArithmeticError) {
        let (x, y, o, n) = _binary(a, b, out)
        try _checkedDoubles(n, validity) { i in
            let a = _load2(x, i), b = _load2(y, i)
            return _multiplyFault(a * b, a, b)
        } fault: { i in
            _multiplyFault(x[i] * y[i], x[i], y[i])
        } compute: { i in o[i] = x[i] * y[i] }
    }

    /// `out[i] = a[i] / b[i]`.
    @inlinable
    public static func divide(
        _ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>, validity: Bitmap? = nil
    ) throws(ArithmeticError) {
        let (x, y, o, n) = _binary(a, b, out)
        try _checkedDoubles(n, validity) { i in
            let a = _load2(x, i), b = _load2(y, i)
            return _divideFault(a / b, a, b)
        } fault: { i in
            _divideFault(x[i] / y[i], x[i], y[i])
        } compute: { i in o[i] = x[i] / y[i] }
    }

    /// `out[i] = a[i] + b`.
    @inlinable
    public static func add(
        _ a: UnsafeBufferPointer<Double>, _ b: Double, into out: UnsafeMutableBufferPointer<Double>, validity: Bitmap? = nil
    ) throws(ArithmeticError) {
        let (x, o, n) = _unary(a, out)
        let bs = SIMD2(repeating: b)
        try _checkedDoubles(n, validity) { i in
            let a = _load2(x, i)
            return _infiniteFromFinite(a + bs, a, bs)
        } fault: { i in
            _infiniteFromFinite(x[i] + b, x[i], b)
        } compute: { i in o[i] = x[i] + b }
    }

    /// `out[i] = a[i] - b`.
    @inlinable
    public static func subtract(
        _ a: UnsafeBufferPointer<Double>, _ b: Double, into out: UnsafeMutableBufferPointer<Double>, validity: Bitmap? = nil
    ) throws(ArithmeticError) {
        let (x, o, n) = _unary(a, out)
        let bs = SIMD2(repeating: b)
        try _checkedDoubles(n, validity) { i in
            let a = _load2(x, i)
            return _infiniteFromFinite(a - bs, a, bs)
        } fault: { i in
            _infiniteFromFinite(x[i] - b, x[i], b)
        } compute: { i in o[i] = x[i] - b }
    }

    /// `out[i] = b - a[i]` (scalar on the left).
    @inlinable
    public static func subtract(
        _ b: Double, _ a: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>, validity: Bitmap? = nil
    ) throws(ArithmeticError) {
        let (x, o, n) = _unary(a, out)
        let bs = SIMD2(repeating: b)
        try _checkedDoubles(n, validity) { i in
            let a = _load2(x, i)
            return _infiniteFromFinite(bs - a, bs, a)
        } fault: { i in
            _infiniteFromFinite(b - x[i], b, x[i])
        } compute: { i in o[i] = b - x[i] }
    }

    /// `out[i] = a[i] * b`.
    @inlinable
    public static func multiply(
        _ a: UnsafeBufferPointer<Double>, _ b: Double, into out: UnsafeMutableBufferPointer<Double>, validity: Bitmap? = nil
    ) throws(ArithmeticError) {
        let (x, o, n) = _unary(a, out)
        let bs = SIMD2(repeating: b)
        try _checkedDoubles(n, validity) { i in
            let a = _load2(x, i)
            return _multiplyFault(a * bs, a, bs)
        } fault: { i in
            _multiplyFault(x[i] * b, x[i], b)
        } compute: { i in o[i] = x[i] * b }
    }

    /// `out[i] = a[i] / b`.
    @inlinable
    public static func divide(
        _ a: UnsafeBufferPointer<Double>, _ b: Double, into out: UnsafeMutableBufferPointer<Double>, validity: Bitmap? = nil
    ) throws(ArithmeticError) {
        let (x, o, n) = _unary(a, out)
        let bs = SIMD2(repeating: b)
        try _checkedDoubles(n, validity) { i in
            let a = _load2(x, i)
            return _divideFault(a / bs, a, bs)
        } fault: { i in
            _divideFault(x[i] / b, x[i], b)
        } compute: { i in o[i] = x[i] / b }
    }

    /// `out[i] = -a[i]` (never fails).
    @inlinable
    public static func negate(_ a: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        let (x, o, n) = _unary(a, out)
        for i in 0..<n { o[i] = -x[i] }
    }

    // MARK: fault predicates

    /// Non-zero when `a * b` overflows `T`.
    @inlinable @inline(__always)
    static func _multiplyFlag<T: FixedWidthInteger & SignedInteger>(_ a: T, _ b: T) -> UInt64 {
        if T.bitWidth <= 32 {
            // The exact product in 64 bits fits T when its bits from T's sign bit up are all equal.
            let p = Int64(a) &* Int64(b)
            return UInt64(bitPattern: (p &>> Int64(T.bitWidth &- 1)) ^ (p &>> 63))
        }
        return UInt64(_b(a.multipliedReportingOverflow(by: b).overflow))
    }

    /// 1 when `x` is negative, else 0 (computed with a shift, which keeps check loops vectorizable).
    @inlinable @inline(__always)
    static func _signBit<T: FixedWidthInteger>(_ x: T) -> UInt64 {
        UInt64(truncatingIfNeeded: T.Magnitude(truncatingIfNeeded: x) &>> T.Magnitude(T.bitWidth &- 1))
    }

    /// `[lo, hi]`: the values whose product with `b` fits in `T`.
    @inlinable @inline(__always)
    static func _multiplyBounds<T: FixedWidthInteger & SignedInteger>(_ b: T) -> (T, T) {
        if b == 0 || b == 1 { return (T.min, T.max) }
        if b == -1 { return (T.min &+ 1, T.max) }
        // Truncating division rounds toward zero, which is the inward rounding on both sides.
        if b > 0 { return (T.min / b, T.max / b) }
        return (T.max / b, T.min / b)
    }

    @inlinable @inline(__always)
    static func _divisionFault<T: FixedWidthInteger & SignedInteger>(_ a: T, _ b: T) -> UInt64 {
        b == 0 ? _code(.divisionByZero) : (b == -1 && a == T.min ? _code(.overflow) : 0)
    }

    // Float faults are 0/1 flags computed on the bit patterns and combined with & and
    // |: float comparisons and && leave branches in the check loop, which then does
    // not vectorize; integer tests on the bits do.

    /// `.overflow` when `r` is infinite while `a` and `b` are not.
    @inlinable @inline(__always)
    static func _infiniteFromFinite(_ r: Double, _ a: Double, _ b: Double) -> UInt64 {
        _isInfinite(r) & (_isInfinite(a) ^ 1) & (_isInfinite(b) ^ 1)
    }

    @inlinable @inline(__always)
    static func _multiplyFault(_ r: Double, _ a: Double, _ b: Double) -> UInt64 {
        // Overflow (1) and underflow (3) exclude each other, so OR picks the one that holds.
        _infiniteFromFinite(r, a, b) | _underflowCode(_isZero(r) & (_isZero(a) ^ 1) & (_isZero(b) ^ 1))
    }

    /// PostgreSQL float8div: zero divisor (unless the dividend is NaN), else overflow, else underflow.
    @inlinable @inline(__always)
    static func _divideFault(_ r: Double, _ a: Double, _ b: Double) -> UInt64 {
        let zero = _isZero(b) & (_isNaN(a) ^ 1)
        let overflow = _isInfinite(r) & (_isInfinite(a) ^ 1)
        let underflow = _isZero(r) & (_isZero(a) ^ 1) & (_isInfinite(b) ^ 1)
        return zero != 0 ? _code(.divisionByZero) : overflow | _underflowCode(underflow)
    }

    // The check loop's two-lane tests may flag more rows than fault (a superset):
    // a flagged block is re-checked row by row with the exact scalar predicates
    // above. That keeps the vector test to a few packed compares: an infinite sum
    // is rare, and when one appears the scalar pass decides whether its inputs
    // were finite.

    /// Lanes whose result is infinite (a superset of add/subtract overflow).
    @inlinable @inline(__always)
    static func _infiniteFromFinite(_ r: SIMD2<Double>, _ a: SIMD2<Double>, _ b: SIMD2<Double>) -> SIMDMask<SIMD2<Int64>> {
        _isInfinite(r)
    }

    /// Lanes with an infinite product, or a zero product of non-zero factors.
    @inlinable @inline(__always)
    static func _multiplyFault(_ r: SIMD2<Double>, _ a: SIMD2<Double>, _ b: SIMD2<Double>) -> SIMDMask<SIMD2<Int64>> {
        _isInfinite(r) .| ((r .== 0) .& (a .!= 0) .& (b .!= 0))
    }

    /// Lanes with a zero divisor, an infinite quotient, or a zero quotient of a non-zero dividend.
    @inlinable @inline(__always)
    static func _divideFault(_ r: SIMD2<Double>, _ a: SIMD2<Double>, _ b: SIMD2<Double>) -> SIMDMask<SIMD2<Int64>> {
        (b .== 0) .| _isInfinite(r) .| ((r .== 0) .& (a .!= 0))
    }

    /// |x| beyond the largest finite value: infinite (NaN compares false). Written as
    /// two ordered compares: `x == ±infinity` is turned into integer tests on the
    /// bits, which SSE2 lacks for 64-bit lanes and must emulate.
    @inlinable @inline(__always)
    static func _isInfinite(_ x: SIMD2<Double>) -> SIMDMask<SIMD2<Int64>> {
        (x .> .greatestFiniteMagnitude) .| (x .< -.greatestFiniteMagnitude)
    }

    @inlinable @inline(__always)
    static func _load2(_ p: UnsafePointer<Double>, _ i: Int) -> SIMD2<Double> {
        UnsafeRawPointer(p + i).loadUnaligned(as: SIMD2<Double>.self)
    }

    @inlinable @inline(__always)
    static func _isInfinite(_ x: Double) -> UInt64 {
        UInt64(_b(x.bitPattern & 0x7FFF_FFFF_FFFF_FFFF == 0x7FF0_0000_0000_0000))
    }

    @inlinable @inline(__always)
    static func _isNaN(_ x: Double) -> UInt64 {
        UInt64(_b(x.bitPattern & 0x7FFF_FFFF_FFFF_FFFF > 0x7FF0_0000_0000_0000))
    }

    /// 1 for +0.0 and -0.0.
    @inlinable @inline(__always)
    static func _isZero(_ x: Double) -> UInt64 {
        UInt64(_b(x.bitPattern &<< 1 == 0))
    }

    /// 0/1 to 0/`.underflow` (3) with a shift: a 64-bit multiply has no SSE2 instruction.
    @inlinable @inline(__always)
    static func _underflowCode(_ flag: UInt64) -> UInt64 { flag | (flag &<< 1) }

    @inlinable @inline(__always)
    static func _flag(_ condition: Bool, _ kind: ArithmeticError.Kind) -> UInt64 {
        UInt64(_b(condition)) &* _code(kind)
    }

    @inlinable @inline(__always)
    static func _code(_ kind: ArithmeticError.Kind) -> UInt64 { UInt64(kind.rawValue) }

    // MARK: loop shape

    @inlinable @inline(__always)
    static func _binary<T, U>(
        _ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>, _ out: UnsafeMutableBufferPointer<U>
    ) -> (UnsafePointer<T>, UnsafePointer<T>, UnsafeMutablePointer<U>, Int) {
        precondition(b.count == a.count, "operands differ in length")
        precondition(out.count >= a.count, "output shorter than input")
        return (_base(a), _base(b), _base(out), a.count)
    }

    @inlinable @inline(__always)
    static func _unary<T, U>(
        _ a: UnsafeBufferPointer<T>, _ out: UnsafeMutableBufferPointer<U>
    ) -> (UnsafePointer<T>, UnsafeMutablePointer<U>, Int) {
        precondition(out.count >= a.count, "output shorter than input")
        return (_base(a), _base(out), a.count)
    }

    /// Block by block: OR `fault(i)` over the block (a vectorizable reduction); if
    /// some row faults, throw for the first one whose validity bit is set; then
    /// run `compute` over the block. `fault` returns 0 for a good row; for a bad
    /// one any non-zero value when `kind` is given, else the kind's raw value.
    /// (Flags are 64-bit values built with shifts where possible: an OR of
    /// comparison results tends to become a one-bit flag the vectorizer rejects.)
    @inlinable @inline(__always)
    static func _checked(
        _ n: Int, _ validity: Bitmap?, kind: ArithmeticError.Kind? = nil, fault: (Int) -> UInt64, compute: (Int) -> Void
    ) throws(ArithmeticError) {
        if let validity { precondition(validity.count >= n, "validity shorter than the values") }
        var start = 0
        while start < n {
            let end = Swift.min(n, start &+ _arithmeticBlock)
            var any: UInt64 = 0
            for i in start..<end { any |= fault(i) }
            if any != 0 { try _firstFault(start..<end, validity, kind, fault) }
            for i in start..<end { compute(i) }
            start = end
        }
    }

    /// One scalar pass for 32- and 64-bit multiplies: `step(i)` stores row i and says
    /// whether it overflowed (`imul` sets the flag for free). SSE2 has no 64-bit (nor
    /// signed 32-bit) vector multiply: the vectorizer's emulation plus a separate
    /// check pass measured about half the speed of this loop. Each row is
    /// read before its slot is written, so an output aliasing an input is fine.
    @inlinable @inline(__always)
    static func _fused(_ n: Int, _ validity: Bitmap?, _ step: (Int) -> Bool) throws(ArithmeticError) {
        if let validity { precondition(validity.count >= n, "validity shorter than the values") }
        for i in 0..<n where step(i) {
            if validity.map({ $0[i] }) ?? true { throw ArithmeticError(.overflow, row: i) }
        }
    }

    /// `_checked` for Double kernels: the check runs on two-lane vectors (`lanes(i)`
    /// covers rows i..<i+2, one SSE register; four-lane masks cost extra shuffles),
    /// the tail and the search for the row on `fault`. LLVM's
    /// cost model for baseline x86-64 will not vectorize the scalar check by itself.
    @inlinable @inline(__always)
    static func _checkedDoubles(
        _ n: Int, _ validity: Bitmap?, lanes: (Int) -> SIMDMask<SIMD2<Int64>>, fault: (Int) -> UInt64, compute: (Int) -> Void
    ) throws(ArithmeticError) {
        if let validity { precondition(validity.count >= n, "validity shorter than the values") }
        var start = 0
        while start < n {
            let end = Swift.min(n, start &+ _arithmeticBlock)
            var anyLane = SIMDMask<SIMD2<Int64>>(repeating: false)
            var i = start
            while i &+ 4 <= end {
                anyLane .|= lanes(i) .| lanes(i &+ 2)
                i &+= 4
            }
            var anyTail: UInt64 = 0
            while i < end {
                anyTail |= fault(i)
                i &+= 1
            }
            if any(anyLane) || anyTail != 0 { try _firstFault(start..<end, validity, nil, fault) }
            for i in start..<end { compute(i) }
            start = end
        }
    }

    /// Throws for the first row of `rows` that faults and is present. Out of line on
    /// purpose: inlined, the optimizer fuses it with the check loop into one early-exit
    /// scalar loop, which cannot vectorize.
    @usableFromInline @inline(never)
    static func _firstFault(
        _ rows: Range<Int>, _ validity: Bitmap?, _ kind: ArithmeticError.Kind?, _ fault: (Int) -> UInt64
    ) throws(ArithmeticError) {
        for i in rows {
            let f = fault(i)
            if f != 0, validity.map({ $0[i] }) ?? true {
                throw ArithmeticError(kind ?? ArithmeticError.Kind(rawValue: UInt8(truncatingIfNeeded: f)) ?? .overflow, row: i)
            }
        }
    }
}
