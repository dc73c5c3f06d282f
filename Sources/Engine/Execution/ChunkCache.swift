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
/// only for tables `prepare` found scanned twice, and only up to `capacity` bytes. Each
/// scan of such a table says when it starts (`begin`) and when it is done (`end`: read to
/// its end, failed or dropped). The last one expected only takes chunks; once every
/// expected scan has started and every started one is done, the table's chunks are let go.
final class ChunkCache: @unchecked Sendable {
    struct Key: Hashable {
        let file: String
        let version: Int64
        let rowGroup: Int
        let column: Int
    }

    /// What one scan does with the cache.
    enum Use {
        /// Takes chunks earlier scans kept and keeps the ones it decodes.
        case takeAndKeep
        /// The table's last scan: takes chunks, keeps none.
        case take
    }

    private let lock = Lock()
    /// Per table (`tableKey`), its kept chunks and their bytes.
    private var chunks: [String: [Key: (field: Field, column: Column)]] = [:]
    private var tableBytes: [String: Int] = [:]
    private var bytes = 0
    /// Bytes the cache may hold (set from the query's memory limit).
    var capacity = 0
    /// Scans still expected per table the query and its subqueries scan more than once.
    private var remaining: [String: Int] = [:]
    /// Scans of each table started and not yet done.
    private var active: [String: Int] = [:]

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
        remaining = counts.filter { $0.value > 1 }
    }

    static func tableKey(_ table: TableDescriptor) -> String { "\(table.location)#\(table.version)" }

    /// A scan of `table` starts: how it uses the cache, nil when not at all (a table scanned
    /// once, or more often than planned, as a correlated subquery's on every outer row).
    /// A scan given a use calls `end` once when it is done.
    func begin(_ table: TableDescriptor) -> Use? {
        guard capacity > 0 else { return nil }
        let key = Self.tableKey(table)
        return lock.withLock {
            guard let left = remaining[key], left > 0 else { return nil }
            remaining[key] = left - 1
            active[key, default: 0] += 1
            return left > 1 ? .takeAndKeep : .take
        }
    }

    /// A scan given a use by `begin` is done (read to its end, failed or dropped). When no
    /// scan of the table is expected or running any more, its chunks are let go.
    func end(_ table: TableDescriptor) {
        let key = Self.tableKey(table)
        lock.withLock {
            active[key, default: 1] -= 1
            guard remaining[key] == 0, active[key] == 0 else { return }
            chunks[key] = nil
            bytes -= tableBytes.removeValue(forKey: key) ?? 0
        }
    }

    func chunk(_ table: TableDescriptor, _ key: Key) -> (field: Field, column: Column)? {
        lock.withLock { chunks[Self.tableKey(table)]?[key] }
    }

    func keep(_ table: TableDescriptor, _ key: Key, field: Field, column: Column) {
        let size = column.byteSize
        let t = Self.tableKey(table)
        lock.withLock {
            // Once every expected scan has started, nobody would take it.
            guard (remaining[t] ?? 0) > 0, chunks[t]?[key] == nil, bytes + size <= capacity else { return }
            chunks[t, default: [:]][key] = (field, column)
            tableBytes[t, default: 0] += size
            bytes += size
        }
    }
}
