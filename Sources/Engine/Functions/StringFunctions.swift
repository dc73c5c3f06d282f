import Columnar

/// Vectorized string predicates.
enum StringFunctions {
    static func like(_ column: Column, _ pattern: LikePattern, negated: Bool) -> Column {
        let n = column.count
        var mask = [UInt8](repeating: 0, count: n)
        switch column.storage {
        case let .dictionary(indices, dictionary):
            let entries = like(dictionary.value, pattern, negated: negated)
            let entryMask = ExpressionEvaluator.truthMask(entries)
            for i in 0..<n { mask[i] = entryMask[Int(indices[i])] }
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
