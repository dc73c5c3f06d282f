import Columnar
import TestSupport
import XCTest

/// Lengths that exercise empty input, vector tails and word boundaries.
let testLengths = [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 127, 128, 129, 1000]

/// Integers that collide often (small range) mixed with the type's extremes.
func randomIntegers<T: FixedWidthInteger>(_ n: Int, _ rng: inout SplitMix64, _: T.Type = T.self) -> [T] {
    (0..<n).map { _ in
        switch rng.next() % 16 {
        case 0: T.min
        case 1: T.max
        case 2: T(truncatingIfNeeded: rng.next())  // full range
        case 3: T.min &+ T(truncatingIfNeeded: rng.next() % 3)
        case 4: T.max &- T(truncatingIfNeeded: rng.next() % 3)
        default: T(truncatingIfNeeded: Int64(rng.next() % 21) - 10)
        }
    }
}

/// Floats with NaN, infinities, signed zeros and repeats among ordinary values.
func randomFloats<T: BinaryFloatingPoint>(_ n: Int, _ rng: inout SplitMix64, _: T.Type = T.self) -> [T] where T.RawSignificand: FixedWidthInteger {
    (0..<n).map { _ in
        switch rng.next() % 16 {
        case 0: T.nan
        case 1: -T.nan
        case 2: T.infinity
        case 3: -T.infinity
        case 4: T(0)
        case 5: -T(0)
        case 6: T.greatestFiniteMagnitude
        case 7: T.leastNonzeroMagnitude
        default: T(Int(rng.next() % 11) - 5) / 2
        }
    }
}

/// A validity bitmap: `density` of the bits set; sometimes all set or none, to hit the fast paths.
func randomValidity(_ n: Int, _ rng: inout SplitMix64, density: Double = 0.7) -> Bitmap {
    Bitmap((0..<n).map { _ in Double(rng.next() % 1000) / 1000 < density })
}

func randomMask(_ n: Int, _ rng: inout SplitMix64, density: Double = 0.5) -> [UInt8] {
    (0..<n).map { _ in Double(rng.next() % 1000) / 1000 < density ? 1 : 0 }
}

/// Random byte strings of length 0...maxLength over a small alphabet (so prefixes and equals occur).
func randomStrings(_ n: Int, _ rng: inout SplitMix64, maxLength: Int = 20) -> [[UInt8]] {
    (0..<n).map { _ in
        let len = Int(rng.next() % UInt64(maxLength + 1))
        return (0..<len).map { _ in [0x00, 0x41, 0x42, 0x61, 0x7F, 0x80, 0xC3, 0xFF][Int(rng.next() % 8)] }
    }
}

/// Byte strings in the offsets + data layout.
func packStrings(_ strings: [[UInt8]]) -> (offsets: [Int], data: [UInt8]) {
    var offsets = [0], data: [UInt8] = []
    for s in strings {
        data += s
        offsets.append(data.count)
    }
    return (offsets, data)
}

/// Unsigned lexicographic order with a proper prefix first (memcmp then length).
func referenceCompareBytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
    for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
    return a.count < b.count ? -1 : (a.count == b.count ? 0 : 1)
}

/// SQL order of floats: NaN equal to NaN and greatest; -0.0 == +0.0.
func referenceCompareFloat<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> Int {
    if a.isNaN { return b.isNaN ? 0 : 1 }
    if b.isNaN { return -1 }
    return a < b ? -1 : (a > b ? 1 : 0)
}

func bits(_ b: Bitmap) -> [Bool] { (0..<b.count).map { b[$0] } }

/// Runs `body` with buffers over `a` (read) and a fresh output of `count` elements filled with `fill`.
func withOutput<T, R>(_ count: Int, fill: T, _ body: (UnsafeMutableBufferPointer<T>) throws -> R) rethrows -> (R, [T]) {
    var out = [T](repeating: fill, count: count)
    let r = try out.withUnsafeMutableBufferPointer { try body($0) }
    return (r, out)
}
