/// A selection of rows of one row group: sorted, disjoint, non-empty half-open
/// ranges of row indices (0 = the row group's first row). Page pruning builds
/// one per filter from the page index, intersects them, and the reader decodes
/// only the pages overlapping the result.
public struct RowRanges: Sendable, Equatable, CustomStringConvertible {
    public private(set) var ranges: [Range<Int>]

    /// The union of `ranges` (in any order, overlapping or not).
    public init(_ ranges: [Range<Int>]) {
        let sorted = ranges.filter { !$0.isEmpty }.sorted { $0.lowerBound < $1.lowerBound }
        var out: [Range<Int>] = []
        out.reserveCapacity(sorted.count)
        for r in sorted {
            if let last = out.last, r.lowerBound <= last.upperBound {
                out[out.count - 1] = last.lowerBound..<Swift.max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        self.ranges = out
    }

    /// Every row of a row group of `rowCount` rows.
    public static func all(_ rowCount: Int) -> RowRanges { RowRanges([0..<rowCount]) }

    public var rowCount: Int { ranges.reduce(0) { $0 + $1.count } }
    public var isEmpty: Bool { ranges.isEmpty }

    /// Whether this selects every row of `0..<rowCount`.
    public func covers(_ rowCount: Int) -> Bool {
        rowCount == 0 || (ranges.count == 1 && ranges[0].lowerBound <= 0 && ranges[0].upperBound >= rowCount)
    }

    /// The rows both select.
    public func intersection(_ other: RowRanges) -> RowRanges {
        var out: [Range<Int>] = []
        var i = 0, j = 0
        let a = ranges, b = other.ranges
        while i < a.count && j < b.count {
            let lo = Swift.max(a[i].lowerBound, b[j].lowerBound)
            let hi = Swift.min(a[i].upperBound, b[j].upperBound)
            if lo < hi { out.append(lo..<hi) }
            if a[i].upperBound < b[j].upperBound { i += 1 } else { j += 1 }
        }
        var result = RowRanges([])
        result.ranges = out  // already sorted and disjoint
        return result
    }

    /// Whether any selected row lies in `window`.
    public func overlaps(_ window: Range<Int>) -> Bool {
        // First range ending after the window starts (binary search: page counts can be large).
        var lo = 0, hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[mid].upperBound <= window.lowerBound { lo = mid + 1 } else { hi = mid }
        }
        return lo < ranges.count && ranges[lo].lowerBound < window.upperBound
    }

    /// The selected rows inside `window`, renumbered so that `window.lowerBound` becomes `base`.
    func local(_ window: Range<Int>, base: Int) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for r in ranges where r.upperBound > window.lowerBound && r.lowerBound < window.upperBound {
            let lo = Swift.max(r.lowerBound, window.lowerBound), hi = Swift.min(r.upperBound, window.upperBound)
            out.append((lo - window.lowerBound + base)..<(hi - window.lowerBound + base))
        }
        return out
    }

    public var description: String {
        ranges.map { "\($0.lowerBound)..<\($0.upperBound)" }.joined(separator: ", ")
    }
}
