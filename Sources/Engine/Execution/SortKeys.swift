import Columnar

/// ORDER BY keys as order-preserving 64-bit words, so rows compare with one loop over
/// integers instead of a comparison closure per key (and text once per distinct value,
/// not once per comparison). Per key: a NULL word when the column has NULLs (placing
/// them first or last), then the value's word: integers with the sign bit flipped,
/// floats by their IEEE bits arranged to order (NaN last, -0 as 0), text by its rank
/// among the column's distinct values; all inverted for DESC. Nil for a type with no
/// such word (wide decimals, intervals, lists): the comparison closures handle those.
struct SortKeys {
    /// Row-major: row i's words are `words[i * width ..< (i + 1) * width]`.
    let words: [UInt64]
    let width: Int

    init?(_ columns: [Column], keys: [SortKey], count n: Int) {
        var perKey: [[UInt64]] = []
        for (c, key) in zip(columns, keys) {
            guard var values = Self.values(c, count: n) else { return nil }
            if !key.ascending { for i in values.indices { values[i] = ~values[i] } }
            if let validity = c.validity, c.nullCount > 0 {
                // Equal words for NULLs (their value words are made equal too).
                var nulls = [UInt64](repeating: 0, count: n)
                for i in 0..<n where !validity[i] {
                    nulls[i] = key.nullsFirst ? 0 : 2
                    values[i] = 0
                }
                for i in 0..<n where validity[i] { nulls[i] = 1 }
                perKey.append(nulls)
            }
            perKey.append(values)
        }
        width = perKey.count
        var flat = [UInt64](repeating: 0, count: n * width)
        for (k, column) in perKey.enumerated() {
            for i in 0..<n { flat[i * width + k] = column[i] }
        }
        words = flat
    }

    /// Row a sorts before row b.
    @inline(__always)
    func less(_ a: Int, _ b: Int, _ w: UnsafeBufferPointer<UInt64>) -> Bool {
        var x = a * width, y = b * width
        for _ in 0..<width {
            if w[x] != w[y] { return w[x] < w[y] }
            x += 1
            y += 1
        }
        return false
    }

    /// The ascending order-preserving word of each row (NULL rows' words are unspecified).
    private static func values(_ c: Column, count n: Int) -> [UInt64]? {
        @inline(__always) func signed<T: FixedWidthInteger & SignedInteger>(_ v: [T]) -> [UInt64] {
            v.map { UInt64(bitPattern: Int64($0)) ^ (1 << 63) }
        }
        @inline(__always) func float(_ d: Double) -> UInt64 {
            if d.isNaN { return UInt64.max }
            let bits = (d == 0 ? 0.0 : d).bitPattern
            return bits >> 63 == 1 ? ~bits : bits | (1 << 63)
        }
        switch c.storage {
        case let .boolean(v): return v.map { UInt64($0) }
        case let .int8(v): return signed(v)
        case let .int16(v): return signed(v)
        case let .int32(v): return signed(v)
        case let .int64(v): return signed(v)
        case let .uint8(v): return v.map { UInt64($0) }
        case let .uint16(v):
            guard c.type != .float16 else { return nil }  // half floats keep their bits here
            return v.map { UInt64($0) }
        case let .uint32(v): return v.map { UInt64($0) }
        case let .uint64(v): return v
        case let .float32(v): return v.map { float(Double($0)) }
        case let .float64(v): return v.map(float)
        case let .bytes(offsets, data):
            guard c.type == .string || c.type == .binary else { return nil }
            let interner = ByteInterner()
            var ids = [Int64](repeating: 0, count: n)
            data.withUnsafeBytes { d in
                for i in 0..<n where !c.isNull(i) {
                    ids[i] = interner.intern(UnsafeRawBufferPointer(rebasing: d[offsets[i]..<offsets[i + 1]]))
                }
            }
            let rank = interner.ranks()
            return ids.map { rank.isEmpty ? 0 : rank[Int($0)] }
        case .dictionary where c.storageDictionaryCount > n:
            return values(c.materialized(), count: n)
        case let .dictionary(indices, dictionary):
            // Rank the dictionary's entries once, then look each row's up.
            guard let entries = values(dictionary.value, count: dictionary.value.count) else { return nil }
            return indices.map { $0 >= 0 && Int($0) < entries.count ? entries[Int($0)] : 0 }
        default:
            return nil
        }
    }
}
