import Columnar

/// ORDER BY: buffers the input, sorts row indices by the key columns, emits in order.
/// With a limit (ORDER BY ... LIMIT n) it keeps only the top rows.
final class SortOperator: PhysicalOperator {
    let input: PhysicalOperator
    let keys: [SortKey]
    let context: ExecutionContext
    private var output: BatchSource?
    /// Set by the planner under LIMIT (limit + offset): only this many first rows are needed,
    /// found by a bounded heap and the only rows copied (TPC-H Q10 keeps 20 of 37,967).
    var topRows: Int?
    override var children: [PhysicalOperator] { [input] }
    override var label: String { topRows.map { "Sort (top \($0))" } ?? "Sort" }

    init(input: PhysicalOperator, keys: [SortKey], context: ExecutionContext) {
        self.input = input
        self.keys = keys
        self.context = context
        super.init(fields: input.fields)
    }

    override func produce() throws(EngineError) -> RecordBatch? {
        if output == nil {
            let all = try drain(input, context: context)
            var keyColumns: [Column] = []
            for k in keys { keyColumns.append(try context.evaluator.evaluate(k.expression, all).materialized()) }
            let order = Self.sortedIndices(keyColumns, keys: keys, count: all.rowCount, limit: topRows)
            output = BatchSource(all.take(order))
        }
        return try output!.next()
    }

    /// The rows in order (stable: ties keep input order, so output is deterministic for a
    /// given thread count: an aggregation below passes its partitions' groups unmerged); with a
    /// `limit`, only the first `limit` of them.
    static func sortedIndices(_ columns: [Column], keys: [SortKey], count: Int, limit: Int? = nil) -> [Int32] {
        func order(_ less: (Int32, Int32) -> Bool) -> [Int32] {
            if let limit, limit < count / 4 { return topIndices(count, limit: limit, by: less) }
            return stableSort((0..<count).map { Int32($0) }, by: less)
        }
        if let normalized = SortKeys(columns, keys: keys, count: count) {
            return normalized.words.withUnsafeBufferPointer { w in order { a, b in normalized.less(Int(a), Int(b), w) } }
        }
        let comparators = zip(columns, keys).map { comparator($0, ascending: $1.ascending, nullsFirst: $1.nullsFirst) }
        return order { a, b in
            for c in comparators {
                let r = c(Int(a), Int(b))
                if r != 0 { return r < 0 }
            }
            return false
        }
    }

    /// The first `limit` of rows 0..<count in stable `less` order: a bounded max-heap of the
    /// best rows so far (n log limit comparisons), then those sorted.
    static func topIndices(_ count: Int, limit: Int, by less: (Int32, Int32) -> Bool) -> [Int32] {
        guard limit > 0 else { return [] }
        // Ties broken by position: the heap must agree with a stable sort.
        func before(_ a: Int32, _ b: Int32) -> Bool { less(a, b) || (!less(b, a) && a < b) }
        var heap: [Int32] = []
        heap.reserveCapacity(limit)
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var largest = i
                if l < heap.count, before(heap[largest], heap[l]) { largest = l }
                if r < heap.count, before(heap[largest], heap[r]) { largest = r }
                if largest == i { return }
                heap.swapAt(i, largest)
                i = largest
            }
        }
        for row in 0..<Int32(count) {
            if heap.count < limit {
                heap.append(row)
                var i = heap.count - 1
                while i > 0, before(heap[(i - 1) / 2], heap[i]) {
                    heap.swapAt(i, (i - 1) / 2)
                    i = (i - 1) / 2
                }
            } else if before(row, heap[0]) {
                heap[0] = row
                siftDown(0)
            }
        }
        return stableSort(heap.sorted(), by: less)
    }

    /// A three-way comparison of rows of one column.
    static func comparator(_ c: Column, ascending: Bool, nullsFirst: Bool) -> (Int, Int) -> Int {
        let sign = ascending ? 1 : -1
        let nullOrder = nullsFirst ? -1 : 1
        let validity = c.validity
        func wrap(_ compare: @escaping (Int, Int) -> Int) -> (Int, Int) -> Int {
            guard let validity else { return { compare($0, $1) * sign } }
            return { a, b in
                let an = !validity[a], bn = !validity[b]
                if an || bn { return an == bn ? 0 : (an ? nullOrder : -nullOrder) }
                return compare(a, b) * sign
            }
        }
        func ordered<T: Comparable>(_ v: [T]) -> (Int, Int) -> Int {
            wrap { a, b in v[a] < v[b] ? -1 : (v[a] > v[b] ? 1 : 0) }
        }
        switch c.storage {
        case let .boolean(v): return ordered(v)
        case let .int8(v): return ordered(v)
        case let .int16(v): return ordered(v)
        case let .int32(v): return ordered(v)
        case let .int64(v): return ordered(v)
        case let .uint8(v): return ordered(v)
        case let .uint16(v): return ordered(v)
        case let .uint32(v): return ordered(v)
        case let .uint64(v): return ordered(v)
        case let .int128(v): return ordered(v)
        case let .float32(v): return wrap { a, b in Comparison.floatOrder(v[a], v[b]) }
        case let .float64(v): return wrap { a, b in Comparison.floatOrder(v[a], v[b]) }
        case let .bytes(offsets, data):
            return wrap { a, b in
                data.withUnsafeBufferPointer { d in
                    let sb = UnsafeBufferPointer(rebasing: d[offsets[b]..<offsets[b + 1]])
                    return Comparison.compareBytes(d, offsets[a], offsets[a + 1], sb)
                }
            }
        case let .list(offsets, child):
            // Element by element (NULL elements after the others), then the shorter first, as
            // PostgreSQL orders arrays.
            let element = comparator(child.value, ascending: true, nullsFirst: false)
            return wrap { a, b in
                var i = offsets[a], j = offsets[b]
                while i < offsets[a + 1] && j < offsets[b + 1] {
                    let r = element(i, j)
                    if r != 0 { return r }
                    i += 1
                    j += 1
                }
                let la = offsets[a + 1] - offsets[a], lb = offsets[b + 1] - offsets[b]
                return la < lb ? -1 : (la > lb ? 1 : 0)
            }
        case let .structure(children):
            // Field by field, as PostgreSQL orders records.
            let fields = children.map { comparator($0, ascending: true, nullsFirst: false) }
            return wrap { a, b in
                for field in fields {
                    let r = field(a, b)
                    if r != 0 { return r }
                }
                return 0
            }
        default:
            return wrap { a, b in ValueOrder.compare(Value.from(c, a), Value.from(c, b)) }
        }
    }
}

/// Merge sort (Swift's sort is not guaranteed stable across versions).
func stableSort(_ items: [Int32], by less: (Int32, Int32) -> Bool) -> [Int32] {
    var a = items
    var b = items
    var width = 1
    let n = a.count
    // Short runs by insertion sort first.
    let run = 16
    var start = 0
    while start < n {
        let end = min(start + run, n)
        for i in (start + 1)..<max(end, start + 1) where i < end {
            let x = a[i]
            var j = i - 1
            while j >= start && less(x, a[j]) {
                a[j + 1] = a[j]
                j -= 1
            }
            a[j + 1] = x
        }
        start = end
    }
    width = run
    while width < n {
        var lo = 0
        while lo < n {
            let mid = min(lo + width, n), hi = min(lo + 2 * width, n)
            var i = lo, j = mid, k = lo
            while i < mid && j < hi {
                if less(a[j], a[i]) { b[k] = a[j]; j += 1 } else { b[k] = a[i]; i += 1 }
                k += 1
            }
            while i < mid { b[k] = a[i]; i += 1; k += 1 }
            while j < hi { b[k] = a[j]; j += 1; k += 1 }
            lo = hi
        }
        swap(&a, &b)
        width *= 2
    }
    return a
}
