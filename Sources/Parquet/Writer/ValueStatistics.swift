#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar
import Kernels

/// Exact statistics of a page or a column chunk: null count and min/max as
/// PLAIN bytes (no length prefix), in the sort order of the column's type:
/// signed or unsigned integers, numeric decimals, unsigned-lexicographic bytes,
/// floats without NaN (-0.0 as the min and +0.0 as the max of zeros).
struct ValueStatistics: Sendable {
    var nullCount = 0
    var valueCount = 0
    var min: [UInt8]?
    var max: [UInt8]?
    /// Some values but no bounds (every value NaN): the page index cannot describe it.
    var hasUnorderedValues: Bool { valueCount > 0 && min == nil }

    /// Statistics of values `range` of `values`, plus `nulls` null entries.
    static func of(_ values: DenseValues, _ range: Range<Int>, nulls: Int) -> ValueStatistics {
        var s = ValueStatistics(nullCount: nulls, valueCount: range.count)
        if let (lo, hi) = bounds(values, range) {
            s.min = lo
            s.max = hi
        }
        return s
    }

    /// Folds `other` (a later page) into these statistics.
    mutating func merge(_ other: ValueStatistics, kind: LeafValueKind) {
        nullCount += other.nullCount
        valueCount += other.valueCount
        if let lo = other.min { min = min.map { Self.less(kind, lo, $0) ? lo : $0 } ?? lo }
        if let hi = other.max { max = max.map { Self.less(kind, $0, hi) ? hi : $0 } ?? hi }
    }

    /// As Thrift `Statistics`: min_value/max_value always, the deprecated min/max
    /// only where their signed comparison agrees with the type's order.
    func thrift(kind: LeafValueKind) -> Statistics {
        let legacy = Self.legacyOrderHolds(kind)
        return Statistics(max: legacy ? max : nil, min: legacy ? min : nil, nullCount: Int64(nullCount), maxValue: max, minValue: min)
    }

    /// Whether the deprecated min/max fields (signed comparison) agree with the type's order.
    static func legacyOrderHolds(_ kind: LeafValueKind) -> Bool {
        switch kind {
        case .int32(signed: true), .int64(signed: true), .float, .double: true
        default: false
        }
    }

    // MARK: bounds

    static func bounds(_ values: DenseValues, _ range: Range<Int>) -> ([UInt8], [UInt8])? {
        guard !range.isEmpty else { return nil }
        switch values.kind {
        case .boolean:
            var sawFalse = false, sawTrue = false
            values.booleans.withUnsafeBufferPointer { b in
                for i in range { if b[i] != 0 { sawTrue = true } else { sawFalse = true } }
            }
            return ([sawFalse ? 0 : 1], [sawTrue ? 1 : 0])
        case let .int32(signed):
            return values.int32s.withUnsafeBufferPointer { b -> ([UInt8], [UInt8])? in
                let slice = UnsafeBufferPointer(rebasing: b[range])
                if signed {
                    guard let (lo, hi) = Kernels.minMax(slice, validity: nil) else { return nil }
                    return (le(lo), le(hi))
                }
                return slice.withMemoryRebound(to: UInt32.self) { u in
                    guard let (lo, hi) = Kernels.minMax(u, validity: nil) else { return nil }
                    return (le(lo), le(hi))
                }
            }
        case let .int64(signed):
            return values.int64s.withUnsafeBufferPointer { b -> ([UInt8], [UInt8])? in
                let slice = UnsafeBufferPointer(rebasing: b[range])
                if signed {
                    guard let (lo, hi) = Kernels.minMax(slice, validity: nil) else { return nil }
                    return (le(lo), le(hi))
                }
                return slice.withMemoryRebound(to: UInt64.self) { u in
                    guard let (lo, hi) = Kernels.minMax(u, validity: nil) else { return nil }
                    return (le(lo), le(hi))
                }
            }
        case .float:
            return values.floats.withUnsafeBufferPointer { b -> ([UInt8], [UInt8])? in
                guard let (lo, hi) = floatBounds(UnsafeBufferPointer(rebasing: b[range])) else { return nil }
                return (le(lo.bitPattern), le(hi.bitPattern))
            }
        case .double:
            return values.doubles.withUnsafeBufferPointer { b -> ([UInt8], [UInt8])? in
                guard let (lo, hi) = floatBounds(UnsafeBufferPointer(rebasing: b[range])) else { return nil }
                return (le(lo.bitPattern), le(hi.bitPattern))
            }
        case .byteArray:
            return byteArrayBounds(values, range)
        case .fixed, .decimalFixed:
            let w = values.width
            let signed = values.kind != .fixed(width: w)
            return values.bytes.withUnsafeBytes { data -> ([UInt8], [UInt8])? in
                guard w > 0 else { return ([], []) }
                var lo = range.lowerBound, hi = range.lowerBound
                let base = data.baseAddress!
                for i in range.dropFirst() {
                    let v = base + i * w
                    if compareBytes(v, w, base + lo * w, w, signed: signed) < 0 { lo = i }
                    if compareBytes(v, w, base + hi * w, w, signed: signed) > 0 { hi = i }
                }
                return (Array(data[(lo * w)..<((lo + 1) * w)]), Array(data[(hi * w)..<((hi + 1) * w)]))
            }
        case .float16:
            var lo = Float.infinity, hi = -Float.infinity
            var loBits: UInt16 = 0, hiBits: UInt16 = 0
            var any = false
            values.bytes.withUnsafeBytes { data in
                for i in range {
                    let bits = UInt16(data[2 * i]) | UInt16(data[2 * i + 1]) << 8
                    let f = Float(halfBitPattern: bits)
                    if f.isNaN { continue }
                    any = true
                    if f < lo { lo = f; loBits = bits }
                    if f > hi { hi = f; hiBits = bits }
                }
            }
            guard any else { return nil }
            // Zeros: -0.0 as the min, +0.0 as the max.
            return (lo == 0 ? [0x00, 0x80] : le(loBits), hi == 0 ? [0x00, 0x00] : le(hiBits))
        }
    }

    private static func floatBounds<F: BinaryFloatingPoint>(_ b: UnsafeBufferPointer<F>) -> (F, F)? {
        var lo = F.infinity, hi = -F.infinity
        var any = false
        for v in b where !v.isNaN {
            any = true
            if v < lo { lo = v }
            if v > hi { hi = v }
        }
        guard any else { return nil }
        if lo == 0 { lo = -F.zero }
        if hi == 0 { hi = F.zero }
        return (lo, hi)
    }

    private static func byteArrayBounds(_ values: DenseValues, _ range: Range<Int>) -> ([UInt8], [UInt8])? {
        values.offsets.withUnsafeBufferPointer { off in
            values.bytes.withUnsafeBytes { data -> ([UInt8], [UInt8])? in
                let base = data.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
                func key(_ i: Int) -> Int { values.indexed ? Int(values.indices[i]) : i }
                var lo = key(range.lowerBound), hi = lo
                var lastKey = -1
                for i in range.dropFirst() {
                    let k = key(i)
                    if k == lastKey || k == lo || k == hi { continue }
                    lastKey = k
                    let s = off[k], n = off[k + 1] - s
                    if compareBytes(base + s, n, base + off[lo], off[lo + 1] - off[lo], signed: false) < 0 { lo = k }
                    else if compareBytes(base + s, n, base + off[hi], off[hi + 1] - off[hi], signed: false) > 0 { hi = k }
                }
                return (Array(data[off[lo]..<off[lo + 1]]), Array(data[off[hi]..<off[hi + 1]]))
            }
        }
    }

    /// Unsigned lexicographic comparison (a shorter prefix first); `signed` flips the
    /// first byte's sign bit (big-endian two's complement of equal widths).
    @inline(__always)
    static func compareBytes(_ a: UnsafeRawPointer, _ an: Int, _ b: UnsafeRawPointer, _ bn: Int, signed: Bool) -> Int {
        if signed && an > 0 && bn > 0 {
            let x = a.load(as: UInt8.self) ^ 0x80, y = b.load(as: UInt8.self) ^ 0x80
            if x != y { return x < y ? -1 : 1 }
            let c = memcmp(a + 1, b + 1, Swift.min(an, bn) - 1)
            if c != 0 { return Int(c) }
            return an - bn
        }
        let n = Swift.min(an, bn)
        if n > 0 {
            let c = memcmp(a, b, n)
            if c != 0 { return Int(c) }
        }
        return an - bn
    }

    private static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] {
        withUnsafeBytes(of: v.littleEndian) { Array($0) }
    }

    private static func loadLE<T: FixedWidthInteger>(_ bytes: [UInt8], _: T.Type) -> T {
        guard bytes.count >= MemoryLayout<T>.size else { return 0 }
        return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(as: T.self)) }
    }

    /// a < b in the type's order, both PLAIN bytes of one value.
    static func less(_ kind: LeafValueKind, _ a: [UInt8], _ b: [UInt8]) -> Bool {
        switch kind {
        case .boolean: return (a.first ?? 0) < (b.first ?? 0)
        case .int32(signed: true): return loadLE(a, Int32.self) < loadLE(b, Int32.self)
        case .int32(signed: false): return loadLE(a, UInt32.self) < loadLE(b, UInt32.self)
        case .int64(signed: true): return loadLE(a, Int64.self) < loadLE(b, Int64.self)
        case .int64(signed: false): return loadLE(a, UInt64.self) < loadLE(b, UInt64.self)
        case .float: return Float(bitPattern: loadLE(a, UInt32.self)) < Float(bitPattern: loadLE(b, UInt32.self))
        case .double: return Double(bitPattern: loadLE(a, UInt64.self)) < Double(bitPattern: loadLE(b, UInt64.self))
        case .float16: return Float(halfBitPattern: loadLE(a, UInt16.self)) < Float(halfBitPattern: loadLE(b, UInt16.self))
        case .byteArray, .fixed, .decimalFixed:
            let signed = kind != .byteArray && kind != .fixed(width: kind.width)
            return a.withUnsafeBytes { x in
                b.withUnsafeBytes { y in
                    compareBytes(x.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, x.count,
                                 y.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, y.count, signed: signed) < 0
                }
            }
        }
    }
}
