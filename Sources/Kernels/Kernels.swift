import Columnar

/// Column kernels: the hot loops over contiguous buffers shared by the Parquet
/// writer's statistics and the engine's vectorized operators.
///
/// Conventions (every family follows them):
/// - Inputs are `UnsafeBufferPointer`s, outputs `UnsafeMutableBufferPointer`s the
///   caller allocated (at least as long as the input unless a function says
///   otherwise); functions returning arrays say so in their name or result.
/// - Entry points are `@inlinable` so a caller in another module gets them
///   specialized for its element type and the loops vectorized; helpers are
///   `@usableFromInline`.
/// - A boolean result (a predicate, a filter) is a byte mask: one `UInt8` per
///   row, 0 or 1. Masks given to kernels must hold only 0 and 1.
/// - Validity is a `Columnar.Bitmap` (bit set = value present), aligned with
///   the values' row 0; `nil` means every value is present. Kernels compute every
///   slot (null slots hold unspecified values) and combine validity a word at a
///   time afterwards; they never trap on what a null slot holds.
/// - A selection vector is `[Int32]` row indices, ascending, each in range.
///   Indices (selections, group ids, dictionary indices) are trusted: checking
///   them is the producer's job (Parquet's reader validates dictionary indices).
/// - Floating-point comparison, min/max and hashing follow SQL (PostgreSQL): NaN
///   equals NaN and is greater than every other value; -0.0 equals +0.0.
/// - The machine is little-endian (x86-64, arm64); bit and byte tricks rely on it.
public enum Kernels {}

// MARK: - Shared types

extension Kernels {
    /// A comparison operator. Compare kernels switch on it once per call, outside the loop.
    public enum CompareOp: Sendable, Hashable, CaseIterable {
        case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual

        /// The operator with its operands swapped: `a op b` is `b op.swapped a`.
        public var swapped: CompareOp {
            switch self {
            case .equal: .equal
            case .notEqual: .notEqual
            case .less: .greater
            case .lessOrEqual: .greaterOrEqual
            case .greater: .less
            case .greaterOrEqual: .lessOrEqual
            }
        }

        /// The complement: `!(a op b)` is `a op.negated b` (SQL orders are total, NaN included).
        public var negated: CompareOp {
            switch self {
            case .equal: .notEqual
            case .notEqual: .equal
            case .less: .greaterOrEqual
            case .lessOrEqual: .greater
            case .greater: .lessOrEqual
            case .greaterOrEqual: .less
            }
        }

        /// Whether a three-way comparison result (`<0`, `0`, `>0`) satisfies the operator.
        @inlinable
        public func holds(_ order: Int) -> Bool {
            switch self {
            case .equal: order == 0
            case .notEqual: order != 0
            case .less: order < 0
            case .lessOrEqual: order <= 0
            case .greater: order > 0
            case .greaterOrEqual: order >= 0
            }
        }
    }

    /// An arithmetic kernel met a value SQL must reject, at `row` (the first such
    /// row whose inputs are not null). The output buffer's contents are then unspecified.
    public struct ArithmeticError: Error, Hashable, Sendable, CustomStringConvertible {
        public enum Kind: UInt8, Sendable, Hashable {
            /// An integer result does not fit its type (PostgreSQL: "integer out of
            /// range"), or a float result is infinite from finite inputs ("value out of range: overflow").
            case overflow = 1
            /// Division or modulo by zero ("division by zero").
            case divisionByZero = 2
            /// A float result rounded to zero from non-zero inputs ("value out of range: underflow").
            case underflow = 3
        }

        public var kind: Kind
        public var row: Int

        public init(_ kind: Kind, row: Int) {
            self.kind = kind
            self.row = row
        }

        public var description: String {
            switch kind {
            case .overflow: "out of range (overflow) at row \(row)"
            case .divisionByZero: "division by zero at row \(row)"
            case .underflow: "out of range (underflow) at row \(row)"
            }
        }
    }
}

// MARK: - Internal helpers shared by the families

extension Kernels {
    /// `count` rows of a buffer that may be empty (a nil base address), as a pointer
    /// that is never dereferenced when `count` is 0.
    @inlinable @inline(__always)
    static func _base<T>(_ b: UnsafeBufferPointer<T>) -> UnsafePointer<T> {
        b.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<T>.alignment)!
    }

    @inlinable @inline(__always)
    static func _base<T>(_ b: UnsafeMutableBufferPointer<T>) -> UnsafeMutablePointer<T> {
        b.baseAddress ?? UnsafeMutablePointer(bitPattern: MemoryLayout<T>.alignment)!
    }

    /// Eight mask bytes (each 0 or 1) as eight bits, byte i to bit i.
    @inlinable @inline(__always)
    static func _pack8(_ p: UnsafePointer<UInt8>) -> UInt64 {
        let x = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self) & 0x0101_0101_0101_0101
        // Byte i lands in bit 56+i of the product; no two partial products collide.
        return (x &* 0x0102_0408_1020_4080) >> 56
    }

    /// 64 mask bytes as one bitmap word.
    @inlinable @inline(__always)
    static func _pack64(_ p: UnsafePointer<UInt8>) -> UInt64 {
        var w: UInt64 = 0
        for j in 0..<8 { w |= _pack8(p + 8 &* j) << UInt64(8 &* j) }
        return w
    }

    /// `count` (< 64) mask bytes as the low bits of a word.
    @inlinable @inline(__always)
    static func _packTail(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var w: UInt64 = 0
        for j in 0..<count { w |= UInt64(p[j] & 1) << UInt64(j) }
        return w
    }

    /// Eight bits (the low byte of `bits`) as eight bytes 0/1, bit i to byte i.
    @inlinable @inline(__always)
    static func _spread8(_ bits: UInt64) -> UInt64 {
        // Replicate the byte into every lane, keep bit i in lane i, then turn
        // each lane's non-zero into 1 without carries between lanes.
        let isolated = ((bits & 0xFF) &* 0x0101_0101_0101_0101) & 0x8040_2010_0804_0201
        return ((isolated &+ 0x7F7F_7F7F_7F7F_7F7F) & 0x8080_8080_8080_8080) >> 7
    }

    /// Bit `i` of a bitmap's words, as 0 or 1.
    @inlinable @inline(__always)
    static func _bit(_ words: UnsafePointer<UInt64>, _ i: Int) -> UInt64 {
        (words[i &>> 6] &>> UInt64(i & 63)) & 1
    }

    /// A word with the low `n` bits set (`n` in 0...64).
    @inlinable @inline(__always)
    static func _lowBits(_ n: Int) -> UInt64 {
        n >= 64 ? ~0 : (1 &<< UInt64(n)) &- 1
    }

    /// Calls `run` on maximal ranges of rows whose validity bits are all set
    /// and `one` on each other present row, in ascending order. With no validity
    /// it is one `run(0..<count)`. Full words join into one range so the inner loop stays long.
    @inlinable @inline(__always)
    static func _forEachPresent(
        _ validity: Bitmap?, count n: Int,
        run: (Range<Int>) -> Void, one: (Int) -> Void
    ) {
        _forEachPresentWord(validity, count: n, run: run) { base, word in
            var w = word
            while w != 0 {
                one(base &+ w.trailingZeroBitCount)
                w &= w &- 1
            }
        }
    }

    /// Like `_forEachPresent`, but hands each word that is neither full nor empty to
    /// `word(base, bits)` (bits past the count cleared), for kernels with a
    /// branch-free masked loop over 64 rows.
    @inlinable @inline(__always)
    static func _forEachPresentWord(
        _ validity: Bitmap?, count n: Int,
        run: (Range<Int>) -> Void, word: (Int, UInt64) -> Void
    ) {
        guard let validity else {
            if n > 0 { run(0..<n) }
            return
        }
        precondition(validity.count >= n, "validity shorter than the values")
        validity.words.withUnsafeBufferPointer { wb in
            let words = _base(wb)
            var runStart = -1
            var base = 0
            var k = 0
            while base < n {
                let full = _lowBits(Swift.min(64, n &- base))
                let w = words[k] & full
                if w == full {
                    if runStart < 0 { runStart = base }
                } else {
                    if runStart >= 0 {
                        run(runStart..<base)
                        runStart = -1
                    }
                    if w != 0 { word(base, w) }
                }
                base &+= 64
                k &+= 1
            }
            if runStart >= 0 { run(runStart..<n) }
        }
    }
}
