import Columnar
import Lake

/// The relational plan the binder produces and the optimizer rewrites. Each
/// node knows its output fields; expressions refer to the input's columns by index.
indirect enum LogicalPlan: Sendable {
    /// Reads a table: `columns` are indices into the table's merged fields; `filters` are
    /// conjuncts over the scan's output columns, used for partition, row-group and page pruning
    /// and applied to every batch.
    case scan(TableScan)
    /// Literal rows (VALUES, and SELECT without FROM as one empty row).
    case values(fields: [Field], rows: [[Value]])
    case filter(LogicalPlan, BoundExpression)
    case project(LogicalPlan, [BoundExpression], [Field])
    /// Output: the group keys, then the aggregates.
    case aggregate(LogicalPlan, groupBy: [BoundExpression], aggregates: [AggregateCall], fields: [Field])
    /// Output: the left columns, then the right columns (semi/anti: only the left).
    case join(LogicalPlan, LogicalPlan, JoinType, on: JoinPredicate)
    case sort(LogicalPlan, [SortKey])
    case limit(LogicalPlan, limit: Int?, offset: Int)
    /// DISTINCT over all columns.
    case distinct(LogicalPlan)
    case setOperation(SetOperationKind, all: Bool, LogicalPlan, LogicalPlan, fields: [Field])
    /// Output: the input columns, then one column per window function.
    case window(LogicalPlan, [WindowCall])
    /// WITH RECURSIVE: the anchor's rows, then the recursive term's rows computed over the
    /// rows the previous round added, round after round until a round adds none.
    case recursiveUnion(RecursiveUnion)
    /// Inside a recursive term: the rows the previous round of its recursive union added.
    case workingTable(WorkingTable)

    var fields: [Field] {
        switch self {
        case let .scan(s): s.columns.map { s.table.fields[$0] }
        case let .values(fields, _): fields
        case let .filter(input, _), let .sort(input, _), let .limit(input, _, _), let .distinct(input): input.fields
        case let .project(_, _, fields), let .aggregate(_, _, _, fields), let .setOperation(_, _, _, _, fields): fields
        case let .window(input, calls): input.fields + calls.enumerated().map { Field("window\($0.offset)", $0.element.resultType) }
        case let .recursiveUnion(r): r.fields
        case let .workingTable(w): w.fields
        case let .join(l, r, type, _):
            switch type {
            case .semi, .anti: l.fields
            case .left: l.fields + r.fields.map { Field($0.name, $0.type, nullable: true) }
            case .right: l.fields.map { Field($0.name, $0.type, nullable: true) } + r.fields
            case .full: (l.fields + r.fields).map { Field($0.name, $0.type, nullable: true) }
            case .inner, .cross: l.fields + r.fields
            }
        }
    }
}

struct TableScan: Sendable {
    var table: TableDescriptor
    var columns: [Int]
    var filters: [BoundExpression] = []
    /// Where the query text named it (for EXPLAIN).
    var alias: String
    /// The first `policyFilters` filters are the access policy's (EXPLAIN shows `policyNames` instead of them).
    var policyFilters = 0
    var policyNames: [String] = []
    /// Under an access policy, the columns the principal may see unmasked (EXPLAIN lists only these); nil: all.
    var visibleColumns: Set<String>?
}

/// `WITH RECURSIVE name AS (anchor UNION [ALL] recursive)`.
struct RecursiveUnion: Sendable {
    var name: String
    /// Names the `WorkingTable` leaves of `recursive` that read this union's rows.
    var id: Int
    var anchor: LogicalPlan
    var recursive: LogicalPlan
    /// UNION without ALL: a row seen before is dropped, and so are the rounds it would start.
    var distinct: Bool
    var fields: [Field]

    func with(anchor: LogicalPlan, recursive: LogicalPlan) -> LogicalPlan {
        var r = self
        r.anchor = anchor
        r.recursive = recursive
        return .recursiveUnion(r)
    }
}

/// The rows of one round of the recursive union `id`, read by the next round.
struct WorkingTable: Sendable {
    var name: String
    var id: Int
    var fields: [Field]
}

enum JoinType: String, Sendable {
    case inner, left, right, full, cross
    /// Left rows with at least one match (EXISTS, IN); anti: with none (NOT EXISTS).
    case semi, anti
}

/// Equi-join keys (left expressions over the left input, right over the right) and a
/// residual condition over the concatenated row (left columns, then right).
struct JoinPredicate: Sendable {
    var leftKeys: [BoundExpression] = []
    var rightKeys: [BoundExpression] = []
    var residual: BoundExpression?
    /// For NOT IN: a NULL on either side makes the predicate unknown, not false.
    var nullAware = false
}

struct SortKey: Sendable, Hashable {
    var expression: BoundExpression
    var ascending: Bool
    var nullsFirst: Bool
}

enum SetOperationKind: String, Sendable {
    case union, intersect, except
}

enum AggregateFunction: String, Sendable, Hashable {
    case count, countStar = "count(*)", sum, avg, min, max
    case boolAnd = "bool_and", boolOr = "bool_or"
    case stddevSample = "stddev_samp", stddevPopulation = "stddev_pop"
    case varianceSample = "var_samp", variancePopulation = "var_pop"
    case stringAgg = "string_agg"
    case approxCountDistinct = "approx_count_distinct"
    case anyValue = "any_value"
}

struct AggregateCall: Sendable, Hashable {
    var function: AggregateFunction
    /// Over the aggregate's input; empty for count(*).
    var arguments: [BoundExpression]
    var distinct: Bool
    var filter: BoundExpression?
    var resultType: DataType
    /// `string_agg(x, ',' ORDER BY y)`: the order values are aggregated in.
    var orderBy: [SortKey] = []
}

/// A window function call: what it computes over which partitions, in which order, over which frame.
struct WindowCall: Sendable, Hashable {
    var function: WindowFunction
    /// Over the window node's input.
    var arguments: [BoundExpression]
    var partitionBy: [BoundExpression]
    var orderBy: [SortKey]
    var frame: FrameSpec
    var resultType: DataType

    func remapped(_ map: (Int) -> Int) -> WindowCall {
        var c = self
        c.arguments = arguments.map { $0.remapped(map) }
        c.partitionBy = partitionBy.map { $0.remapped(map) }
        c.orderBy = orderBy.map { SortKey(expression: $0.expression.remapped(map), ascending: $0.ascending, nullsFirst: $0.nullsFirst) }
        return c
    }

    var referencedColumns: Set<Int> {
        var s = Set<Int>()
        for e in arguments + partitionBy + orderBy.map(\.expression) { s.formUnion(e.referencedColumns) }
        return s
    }
}

enum WindowFunction: Sendable, Hashable {
    case rowNumber, rank, denseRank, percentRank, cumeDist, ntile
    case lag, lead, firstValue, lastValue, nthValue
    case aggregate(AggregateFunction, distinct: Bool)
}

/// The frame of a window: ROWS offsets or RANGE/GROUPS peers, as row-count offsets
/// (nil = unbounded). The default with ORDER BY is RANGE UNBOUNDED PRECEDING to CURRENT ROW.
struct FrameSpec: Sendable, Hashable {
    enum Mode: Sendable, Hashable { case rows, range, groups }
    var mode: Mode
    /// Rows (or peer groups) before the current one; nil = unbounded; negative = following.
    var start: Int?
    /// Rows (or peer groups) after the current one; nil = unbounded; negative = preceding.
    var end: Int?
}
