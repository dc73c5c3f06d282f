/// Some rows of a batch, in ascending order: a contiguous range (a slice of the batch, or
/// all of it) or a list (a hash partition's share, or the rows a filter left). Aggregation
/// partitions and key encoding take either without copying the batch.
enum BatchRows {
    case range(Range<Int>)
    case list([Int32])

    var count: Int {
        switch self {
        case let .range(r): r.count
        case let .list(l): l.count
        }
    }

    /// `body(i)` for each row i, in order (inlined: typed loops over it stay tight).
    @inline(__always) func forEach(_ body: (Int) -> Void) {
        switch self {
        case let .range(r): for i in r { body(i) }
        case let .list(l): l.withUnsafeBufferPointer { for i in $0 { body(Int(i)) } }
        }
    }

    var array: [Int] {
        switch self {
        case let .range(r): Array(r)
        case let .list(l): l.map(Int.init)
        }
    }

    var indices: [Int32] {
        switch self {
        case let .range(r): r.map { Int32(truncatingIfNeeded: $0) }
        case let .list(l): l
        }
    }

    /// The k-th row.
    @inline(__always) subscript(k: Int) -> Int {
        switch self {
        case let .range(r): r.lowerBound + k
        case let .list(l): Int(l[k])
        }
    }
}
