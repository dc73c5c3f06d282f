import Columnar
import Lake

/// Decoded column chunks of the tables one query scans more than once, kept for the
/// query's duration: TPC-H Q11 reads partsupp in the query and again in its HAVING
/// subquery, Q18 lineitem in its IN subquery and in the join, Q21 lineitem three times.
/// The second scan takes the first one's columns instead of decompressing and decoding
/// them again (decompression is most of a scan). Filters differ between the scans; the
/// decoded chunks do not.
///
/// Only whole chunks are kept (not the rows of a page-pruned or late-materialized read),
/// only for tables `prepare` found scanned twice, and only up to `capacity` bytes.
final class ChunkCache: @unchecked Sendable {
    struct Key: Hashable {
        let file: String
        let version: Int64
        let rowGroup: Int
        let column: Int
    }

    private let lock = Lock()
    private var chunks: [Key: (field: Field, column: Column)] = [:]
    private var bytes = 0
    /// Bytes the cache may hold (set from the query's memory limit).
    var capacity = 0
    /// The tables (by `tableKey`) the query and its subqueries scan more than once.
    private(set) var tables: Set<String> = []

    /// Finds the tables `plans` (the optimized query and its subqueries) scan more than once.
    /// An aggregation in `shared` (computed once, its result taken by the others; see
    /// `SharedResults`) has its scans counted once.
    func prepare(_ plans: [LogicalPlan], shared: Set<String>) {
        var counts: [String: Int] = [:]
        var computed = Set<String>()
        func visit(_ node: LogicalPlan) {
            switch node {
            case let .scan(scan):
                counts[Self.tableKey(scan.table), default: 0] += 1
            case .values, .workingTable:
                break
            case let .aggregate(i, _, _, _):
                if !shared.isEmpty, let key = SharedResults.key(node), shared.contains(key), !computed.insert(key).inserted { return }
                visit(i)
            case let .filter(i, _), let .project(i, _, _), let .sort(i, _), let .limit(i, _, _), let .distinct(i), let .window(i, _):
                visit(i)
            case let .join(l, r, _, _), let .setOperation(_, _, l, r, _):
                visit(l)
                visit(r)
            case let .recursiveUnion(u):
                visit(u.anchor)
                visit(u.recursive)
            }
        }
        plans.forEach(visit)
        tables = Set(counts.filter { $0.value > 1 }.keys)
    }

    static func tableKey(_ table: TableDescriptor) -> String { "\(table.location)#\(table.version)" }

    func wants(_ table: TableDescriptor) -> Bool { capacity > 0 && tables.contains(Self.tableKey(table)) }

    func chunk(_ key: Key) -> (field: Field, column: Column)? { lock.withLock { chunks[key] } }

    func keep(_ key: Key, field: Field, column: Column) {
        let size = column.byteSize
        lock.withLock {
            guard chunks[key] == nil, bytes + size <= capacity else { return }
            chunks[key] = (field, column)
            bytes += size
        }
    }
}
