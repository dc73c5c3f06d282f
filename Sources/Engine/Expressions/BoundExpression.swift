import Columnar
import SQL

/// A type-checked expression over the columns of one input batch, ready to
/// evaluate vector-at-a-time. The binder inserts every implicit cast, so each
/// operator sees operands of one canonical type.
indirect enum BoundExpression: Sendable, Hashable {
    /// Column `index` of the input batch.
    case column(Int, DataType)
    case constant(Value, DataType)
    case cast(BoundExpression, DataType)
    case arithmetic(ArithmeticOperator, BoundExpression, BoundExpression, DataType)
    case negate(BoundExpression)
    /// Operands share one type; the result is boolean.
    case compare(ComparisonOperator, BoundExpression, BoundExpression)
    case and([BoundExpression])
    case or([BoundExpression])
    case not(BoundExpression)
    case isNull(BoundExpression, negated: Bool)
    /// `a IS [NOT] DISTINCT FROM b`: comparison where NULL equals NULL.
    case isDistinct(BoundExpression, BoundExpression, negated: Bool)
    /// `x [NOT] IN (constants)`, the constants of x's type.
    case inList(BoundExpression, [Value], negated: Bool)
    case like(BoundExpression, LikePattern, negated: Bool)
    /// Searched CASE; a missing ELSE is NULL.
    case caseWhen([CaseBranch], otherwise: BoundExpression?, DataType)
    /// First non-null argument.
    case coalesce([BoundExpression], DataType)
    case function(ScalarFunction, [BoundExpression], DataType)
    /// An uncorrelated subquery's single value (computed once per query).
    case scalarSubquery(SubqueryBox, DataType)
    /// A column of the enclosing query inside a correlated subquery; decorrelation
    /// replaces it before execution.
    case outerColumn(Int, DataType)
    /// `x [NOT] IN (uncorrelated subquery)` where it is not a join: the subquery's values are computed once.
    case inSubquery(BoundExpression, SubqueryBox, negated: Bool)
    /// `[NOT] EXISTS (uncorrelated subquery)` inside an expression.
    case exists(SubqueryBox, negated: Bool)
    /// A correlated subquery run once per distinct set of outer values (`arguments`, whose
    /// values replace `.outerColumn(k)` in the subquery's plan): the general fallback when
    /// it cannot be turned into a join. For `.in`, the last argument is the tested value.
    case correlated(CorrelatedSubquery, [BoundExpression], DataType)

    var type: DataType {
        switch self {
        case let .column(_, t), let .constant(_, t), let .cast(_, t), let .arithmetic(_, _, _, t),
             let .caseWhen(_, _, t), let .coalesce(_, t), let .function(_, _, t), let .scalarSubquery(_, t),
             let .outerColumn(_, t), let .correlated(_, _, t):
            t
        case let .negate(e): e.type
        case .compare, .and, .or, .not, .isNull, .isDistinct, .inList, .like, .inSubquery, .exists: .boolean
        }
    }

    /// Children, for walks that do not care about the node kind.
    var children: [BoundExpression] {
        switch self {
        case .column, .constant, .scalarSubquery, .outerColumn, .exists: []
        case let .cast(e, _), let .negate(e), let .not(e), let .isNull(e, _), let .inList(e, _, _), let .like(e, _, _),
             let .inSubquery(e, _, _): [e]
        case let .arithmetic(_, a, b, _), let .compare(_, a, b), let .isDistinct(a, b, _): [a, b]
        case let .and(es), let .or(es), let .coalesce(es, _), let .function(_, es, _), let .correlated(_, es, _): es
        case let .caseWhen(branches, otherwise, _): branches.flatMap { [$0.condition, $0.result] } + (otherwise.map { [$0] } ?? [])
        }
    }

    /// Input columns this expression reads.
    var referencedColumns: Set<Int> {
        if case let .column(i, _) = self { return [i] }
        return children.reduce(into: Set<Int>()) { $0.formUnion($1.referencedColumns) }
    }

    var isConstant: Bool {
        if case .constant = self { return true }
        return false
    }

    /// The same expression with column indices rewritten.
    func remapped(_ map: (Int) -> Int) -> BoundExpression {
        switch self {
        case let .column(i, t): .column(map(i), t)
        case .constant, .scalarSubquery, .outerColumn, .exists: self
        case let .inSubquery(e, b, n): .inSubquery(e.remapped(map), b, negated: n)
        case let .correlated(s, es, t): .correlated(s, es.map { $0.remapped(map) }, t)
        case let .cast(e, t): .cast(e.remapped(map), t)
        case let .arithmetic(op, a, b, t): .arithmetic(op, a.remapped(map), b.remapped(map), t)
        case let .negate(e): .negate(e.remapped(map))
        case let .compare(op, a, b): .compare(op, a.remapped(map), b.remapped(map))
        case let .and(es): .and(es.map { $0.remapped(map) })
        case let .or(es): .or(es.map { $0.remapped(map) })
        case let .not(e): .not(e.remapped(map))
        case let .isNull(e, n): .isNull(e.remapped(map), negated: n)
        case let .isDistinct(a, b, n): .isDistinct(a.remapped(map), b.remapped(map), negated: n)
        case let .inList(e, vs, n): .inList(e.remapped(map), vs, negated: n)
        case let .like(e, p, n): .like(e.remapped(map), p, negated: n)
        case let .caseWhen(bs, o, t):
            .caseWhen(bs.map { CaseBranch(condition: $0.condition.remapped(map), result: $0.result.remapped(map)) },
                      otherwise: o?.remapped(map), t)
        case let .coalesce(es, t): .coalesce(es.map { $0.remapped(map) }, t)
        case let .function(f, es, t): .function(f, es.map { $0.remapped(map) }, t)
        }
    }

    /// Rebuilds the tree bottom-up, giving `rewrite` the chance to replace each node
    /// (it returns nil to keep the node and descend into its children).
    func transformed(_ rewrite: (BoundExpression) throws(EngineError) -> BoundExpression?) throws(EngineError) -> BoundExpression {
        if let replaced = try rewrite(self) { return replaced }
        func t(_ e: BoundExpression) throws(EngineError) -> BoundExpression { try e.transformed(rewrite) }
        func ts(_ es: [BoundExpression]) throws(EngineError) -> [BoundExpression] {
            var out: [BoundExpression] = []
            for e in es { out.append(try t(e)) }
            return out
        }
        switch self {
        case .column, .constant, .scalarSubquery, .outerColumn, .exists: return self
        case let .inSubquery(e, b, n): return .inSubquery(try t(e), b, negated: n)
        case let .correlated(s, es, ty): return .correlated(s, try ts(es), ty)
        case let .cast(e, ty): return .cast(try t(e), ty)
        case let .arithmetic(op, a, b, ty): return .arithmetic(op, try t(a), try t(b), ty)
        case let .negate(e): return .negate(try t(e))
        case let .compare(op, a, b): return .compare(op, try t(a), try t(b))
        case let .and(es): return .and(try ts(es))
        case let .or(es): return .or(try ts(es))
        case let .not(e): return .not(try t(e))
        case let .isNull(e, n): return .isNull(try t(e), negated: n)
        case let .isDistinct(a, b, n): return .isDistinct(try t(a), try t(b), negated: n)
        case let .inList(e, vs, n): return .inList(try t(e), vs, negated: n)
        case let .like(e, p, n): return .like(try t(e), p, negated: n)
        case let .caseWhen(bs, o, ty):
            var branches: [CaseBranch] = []
            for b in bs { branches.append(CaseBranch(condition: try t(b.condition), result: try t(b.result))) }
            return .caseWhen(branches, otherwise: try o.map(t), ty)
        case let .coalesce(es, ty): return .coalesce(try ts(es), ty)
        case let .function(f, es, ty): return .function(f, try ts(es), ty)
        }
    }

    var containsOuterReference: Bool {
        if case .outerColumn = self { return true }
        return children.contains { $0.containsOuterReference }
    }

    /// Splits a conjunction into its terms.
    var conjuncts: [BoundExpression] {
        if case let .and(terms) = self { return terms.flatMap(\.conjuncts) }
        return [self]
    }

    static func conjunction(_ terms: [BoundExpression]) -> BoundExpression? {
        switch terms.count {
        case 0: nil
        case 1: terms[0]
        default: .and(terms)
        }
    }
}

struct CaseBranch: Sendable, Hashable {
    var condition: BoundExpression
    var result: BoundExpression
}

enum ArithmeticOperator: String, Sendable, Hashable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%"
}

enum ComparisonOperator: String, Sendable, Hashable {
    case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

    /// The comparison a parsed binary operator names; nil for any other operator.
    init?(_ op: BinaryOperator) {
        switch op {
        case .equal: self = .equal
        case .notEqual: self = .notEqual
        case .less: self = .less
        case .lessOrEqual: self = .lessOrEqual
        case .greater: self = .greater
        case .greaterOrEqual: self = .greaterOrEqual
        default: return nil
        }
    }

    /// The operator with its operands swapped (a < b  ⇔  b > a).
    var flipped: ComparisonOperator {
        switch self {
        case .equal, .notEqual: self
        case .less: .greater
        case .lessOrEqual: .greaterOrEqual
        case .greater: .less
        case .greaterOrEqual: .lessOrEqual
        }
    }

    @inline(__always) func holds(_ order: Int) -> Bool {
        switch self {
        case .equal: order == 0
        case .notEqual: order != 0
        case .less: order < 0
        case .lessOrEqual: order <= 0
        case .greater: order > 0
        case .greaterOrEqual: order >= 0
        }
    }
}

/// A correlated subquery's plan and what its result means.
final class CorrelatedSubquery: @unchecked Sendable, Hashable {
    enum Kind: Sendable {
        case scalar, exists(negated: Bool), membership(negated: Bool)
        /// `x op ANY|ALL (subquery)`.
        case quantified(ComparisonOperator, all: Bool)
    }
    let plan: LogicalPlan
    let kind: Kind
    private let lock = Lock()
    private var cache: [[Value]: [Value]] = [:]

    init(plan: LogicalPlan, kind: Kind) {
        self.plan = plan
        self.kind = kind
    }

    /// The subquery's first column for these outer values (computed once per distinct values).
    func values(for outer: [Value], _ run: (LogicalPlan) throws(EngineError) -> [Value]) throws(EngineError) -> [Value] {
        if let hit = lock.withLock({ cache[outer] }) { return hit }
        let v = try run(plan.binding(outer))
        lock.withLock { if cache.count < 100_000 { cache[outer] = v } }
        return v
    }

    static func == (a: CorrelatedSubquery, b: CorrelatedSubquery) -> Bool { a === b }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// A subquery planned once and evaluated lazily; reference semantics so that
/// expressions stay cheap values.
final class SubqueryBox: @unchecked Sendable, Hashable {
    let plan: LogicalPlan
    private let lock = Lock()
    private var cached: [Value]?

    init(plan: LogicalPlan) { self.plan = plan }

    /// The first column of every row of the subquery, computed once.
    func values(_ compute: (LogicalPlan) throws(EngineError) -> [Value]) throws(EngineError) -> [Value] {
        lock.lock()
        defer { lock.unlock() }
        if let cached { return cached }
        let v = try compute(plan)
        cached = v
        return v
    }

    private var set: Set<Value>?
    private var integers: IntegerSet?

    /// The values as a hash set (for IN over many values), built once.
    func valueSet(_ values: [Value]) -> Set<Value> {
        lock.withLock {
            if let set { return set }
            let s = Set(values.filter { !$0.isNull })
            set = s
            return s
        }
    }

    /// The integer values as an `IntegerSet` (IN over an integer column), built once.
    func integerSet(_ values: [Value]) -> IntegerSet {
        lock.withLock {
            if let integers { return integers }
            let s = IntegerSet(values.compactMap { if case let .int(x) = $0 { x } else { nil } })
            integers = s
            return s
        }
    }

    /// The single value of a scalar subquery (NULL for no row).
    func value(_ compute: (LogicalPlan) throws(EngineError) -> [Value]) throws(EngineError) -> Value {
        let all = try values(compute)
        guard all.count <= 1 else { throw EngineError("21000", "more than one row returned by a subquery used as an expression") }
        return all.first ?? .null
    }

    static func == (a: SubqueryBox, b: SubqueryBox) -> Bool { a === b }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
