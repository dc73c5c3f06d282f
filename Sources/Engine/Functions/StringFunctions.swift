import CMemmem
import Columnar

/// Vectorized string predicates.
enum StringFunctions {
    static func like(_ column: Column, _ pattern: LikePattern, negated: Bool) -> Column {
        let n = column.count
        var mask = [UInt8](repeating: 0, count: n)
        switch column.storage {
        case .dictionary where column.storageDictionaryCount > n:
            return like(column.materialized(), pattern, negated: negated)
        case let .dictionary(indices, dictionary):
            let entries = like(dictionary.value, pattern, negated: negated)
            let entryMask = ExpressionEvaluator.truthMask(entries)
            for i in 0..<n { mask[i] = entryMask[Int(indices[i])] }
        case let .bytes(offsets, data) where pattern.leadingSearchLiteral != nil && n > 0:
            let hits = rowsContaining(pattern.leadingSearchLiteral!, offsets: offsets, data: data) { row in pattern.matches(row) }
            let miss: UInt8 = negated ? 1 : 0
            mask = [UInt8](repeating: miss, count: n)
            for i in hits { mask[Int(i)] = 1 - miss }
        case let .bytes(offsets, data):
            data.withUnsafeBufferPointer { d in
                let prefix = pattern.caseInsensitive ? nil : pattern.prefix
                let infix = pattern.caseInsensitive ? nil : pattern.contains
                for i in 0..<n {
                    let s = UnsafeBufferPointer(rebasing: d[offsets[i]..<offsets[i + 1]])
                    let hit: Bool
                    if let prefix {
                        hit = s.count >= prefix.count && s.prefix(prefix.count).elementsEqual(prefix)
                    } else if let infix {
                        hit = contains(s, infix)
                    } else {
                        hit = pattern.matches(s)
                    }
                    mask[i] = hit != negated ? 1 : 0
                }
            }
        default:
            break
        }
        return Column(type: .boolean, count: n, validity: column.validity, storage: .boolean(mask))
    }

    /// The rows holding `needle` that `accept` takes, ascending: one memmem over the
    /// column's bytes (glibc's, which scans many bytes per step) rather than a search per
    /// value; a hit that straddles two values is skipped past.
    static func rowsContaining(_ needle: [UInt8], offsets: [Int], data: [UInt8],
                               accept: (UnsafeBufferPointer<UInt8>) -> Bool) -> [Int32] {
        var rows: [Int32] = []
        let n = offsets.count - 1
        guard !needle.isEmpty, n > 0 else { return [] }
        data.withUnsafeBufferPointer { d in
            offsets.withUnsafeBufferPointer { o in
                needle.withUnsafeBufferPointer { nd in
                    guard let base = d.baseAddress else { return }
                    var position = o[0]
                    let end = o[n]
                    var row = 0
                    while position < end, let found = basalt_memmem(base + position, end - position, nd.baseAddress!, nd.count) {
                        let at = found.assumingMemoryBound(to: UInt8.self) - base
                        // The row holding byte `at`: the last one starting at or before it.
                        var lo = row, hi = n - 1
                        while lo < hi {
                            let mid = (lo + hi + 1) / 2
                            if o[mid] <= at { lo = mid } else { hi = mid - 1 }
                        }
                        row = lo
                        if at + nd.count <= o[row + 1] {
                            if accept(UnsafeBufferPointer(rebasing: d[o[row]..<o[row + 1]])) { rows.append(Int32(row)) }
                            position = o[row + 1]
                            row += 1
                        } else {
                            position = at + 1
                        }
                    }
                }
            }
        }
        return rows
    }

    /// Substring search (first-byte scan, then compare).
    static func contains(_ s: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard s.count >= needle.count else { return false }
        var i = 0
        let last = s.count - needle.count
        while i <= last {
            if s[i] == first {
                var k = 1
                while k < needle.count && s[i + k] == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}
