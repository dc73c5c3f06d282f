/// A scalar expression as written. Syntactic sugar with a plain function form is
/// parsed into that form (function names lower case, positions at the keyword):
///
/// | written                                         | parsed as                                  |
/// | ----------------------------------------------- | ------------------------------------------ |
/// | `EXTRACT(year FROM d)`, `EXTRACT('year' FROM d)` | `extract('year', d)` (field as a string)   |
/// | `SUBSTRING(s FROM 2 FOR 3)`, `SUBSTRING(s, 2, 3)` | `substring(s, 2, 3)`                      |
/// | `SUBSTRING(s FROM 2)` / `SUBSTRING(s FOR 3)`    | `substring(s, 2)` / `substring(s, 1, 3)`   |
/// | `SUBSTRING(s SIMILAR p ESCAPE e)`               | `substring(s, p, e)`                       |
/// | `POSITION(a IN b)`                              | `position(a, b)`                           |
/// | `TRIM([BOTH] [chars] FROM s)`, `TRIM(s)`        | `btrim(s[, chars])`                        |
/// | `TRIM(LEADING ...)` / `TRIM(TRAILING ...)`      | `ltrim(...)` / `rtrim(...)`                |
/// | `OVERLAY(s PLACING r FROM a [FOR n])`           | `overlay(s, r, a[, n])`                    |
/// | `COALESCE/NULLIF/GREATEST/LEAST/GROUPING(...)`  | calls of those names                       |
/// | `x [NOT] SIMILAR TO p [ESCAPE e]`               | `[NOT] similar_to(x, p[, e])`              |
/// | `x AT TIME ZONE z` / `x AT LOCAL`               | `timezone(z, x)` / `timezone(x)`           |
/// | `CURRENT_DATE`, `CURRENT_TIMESTAMP[(p)]`, `LOCALTIMESTAMP[(p)]`, `CURRENT_TIME[(p)]`, `LOCALTIME[(p)]`, `CURRENT_USER`, `SESSION_USER`, `USER`, `CURRENT_ROLE`, `CURRENT_CATALOG`, `CURRENT_SCHEMA`, `SYSTEM_USER` | zero-argument calls of those lower-case names (the precision, if any, as an integer argument) |
/// | `ROW(a, b)`, `(a, b)`                           | `.row([a, b])`                             |
/// | `NOT EXISTS (q)`                                | `.exists(q, negated: true)`                |
/// | `a ~ b`, `a ~* b`, `a !~ b`, `a !~* b`          | `.binary(.regexMatch...)`                  |
/// | `a ~~ b`, `a ~~* b`, `a !~~ b`, `a !~~* b`      | `.like(...)`                               |
/// | `-1`                                            | `.unary(.minus, .literal(.integer("1")))`  |
/// | `a OPERATOR(pg_catalog.~) b`                    | `.binary(.regexMatch, a, b)` (the operator's own case; at `Op` precedence) |
///
/// Everything with its own semantics has its own case.
public indirect enum Expression: Sendable, Equatable {
    case literal(Literal)
    /// A column reference: `c`, `t.c`, `s.t.c`.
    case column(QualifiedName)
    /// `$1`: a parameter of the extended query protocol (1-based).
    case parameter(Int)
    case unary(UnaryOperator, Expression)
    case binary(BinaryOperator, Expression, Expression)
    /// `x IS [NOT] NULL` (also `ISNULL` / `NOTNULL`).
    case isNull(Expression, negated: Bool)
    /// `x IS [NOT] TRUE|FALSE|UNKNOWN` (value nil = UNKNOWN).
    case isBoolean(Expression, value: Bool?, negated: Bool)
    /// `a IS [NOT] DISTINCT FROM b`.
    case isDistinctFrom(Expression, Expression, negated: Bool)
    /// `x [NOT] BETWEEN [SYMMETRIC] low AND high`.
    case between(Expression, low: Expression, high: Expression, negated: Bool, symmetric: Bool)
    /// `x [NOT] IN (a, b, ...)`.
    case inList(Expression, [Expression], negated: Bool)
    /// `x [NOT] IN (query)`.
    case inQuery(Expression, Query, negated: Bool)
    /// `x op ANY|SOME|ALL (query)`.
    case quantified(Expression, BinaryOperator, Quantifier, Query)
    /// `[NOT] EXISTS (query)`.
    case exists(Query, negated: Bool)
    /// `(query)` used as a value.
    case subquery(Query)
    /// `x [NOT] LIKE|ILIKE pattern [ESCAPE e]` (also `~~`, `~~*`, `!~~`, `!~~*`).
    case like(Expression, pattern: Expression, escape: Expression?, caseInsensitive: Bool, negated: Bool)
    /// (`x [NOT] SIMILAR TO pattern` is a `similar_to` call, `x ~ regex` a binary operator; see above.)
    /// `CAST(x AS type)` and `x::type`.
    case cast(Expression, TypeName)
    /// `CASE [operand] WHEN ... THEN ... [ELSE ...] END`.
    case caseWhen(operand: Expression?, branches: [WhenClause], otherwise: Expression?)
    case function(FunctionCall)
    /// `ROW(a, b)` / `(a, b)`: a tuple (in `IN`, GROUP BY, ...).
    case row([Expression])
    /// `x COLLATE name` (`COLLATE "C"`, `COLLATE pg_catalog.default`).
    case collate(Expression, QualifiedName)
    /// `ARRAY[a, b]`.
    case array([Expression])
    /// `ARRAY(query)`: the query's single column as an array.
    case arraySubquery(Query)
    /// `x[i]`: an array element (1-based subscript).
    case element(Expression, Expression)
    /// `(x).name`: one field of a composite value.
    case field(Expression, String)
    /// `x op ANY|SOME|ALL (array)`: the operand compared with each element of an array
    /// value (`ANY (ARRAY['r', 'p'])`, `ANY (t.roles)`); the subquery form is `.quantified`.
    case quantifiedArray(Expression, BinaryOperator, Quantifier, Expression)
}

public struct WhenClause: Sendable, Equatable {
    public var condition: Expression
    public var result: Expression

    public init(_ condition: Expression, _ result: Expression) {
        self.condition = condition
        self.result = result
    }
}

public enum Quantifier: String, Sendable, Equatable {
    case any, all
}

public enum UnaryOperator: String, Sendable, Equatable {
    case plus = "+", minus = "-", not = "NOT"
}

public enum BinaryOperator: String, Sendable, Equatable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%", power = "^"
    case concat = "||"
    case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case and = "AND", or = "OR"
    /// Regular-expression match operators.
    case regexMatch = "~", regexMatchInsensitive = "~*", regexNotMatch = "!~", regexNotMatchInsensitive = "!~*"
    /// Bitwise operators on integers.
    case bitAnd = "&", bitOr = "|", bitXor = "#", shiftLeft = "<<", shiftRight = ">>"
}

/// A function or aggregate call, possibly a window function.
public struct FunctionCall: Sendable, Equatable {
    /// Lower-cased, possibly qualified (`pg_catalog.version`).
    public var name: QualifiedName
    public var arguments: [Expression]
    /// `count(*)`.
    public var star: Bool
    /// `count(DISTINCT x)`.
    public var distinct: Bool
    /// `string_agg(x, ',' ORDER BY y)`.
    public var orderBy: [OrderItem]
    /// `agg(...) FILTER (WHERE cond)`.
    public var filter: Expression?
    /// `... OVER (...)` or `OVER name`.
    public var over: WindowSpec?

    public init(name: QualifiedName, arguments: [Expression] = [], star: Bool = false, distinct: Bool = false,
                orderBy: [OrderItem] = [], filter: Expression? = nil, over: WindowSpec? = nil) {
        self.name = name
        self.arguments = arguments
        self.star = star
        self.distinct = distinct
        self.orderBy = orderBy
        self.filter = filter
        self.over = over
    }

    /// A plain call `name(args)`.
    public static func call(_ name: String, _ arguments: [Expression], position: Int = -1) -> FunctionCall {
        FunctionCall(name: QualifiedName([name], position: position), arguments: arguments)
    }
}

/// `OVER ([base] [PARTITION BY ...] [ORDER BY ...] [frame])` or `OVER name`.
public struct WindowSpec: Sendable, Equatable {
    /// A named window this one refines (`OVER w` or `OVER (w ORDER BY x)`).
    public var baseName: String?
    public var partitionBy: [Expression]
    public var orderBy: [OrderItem]
    public var frame: WindowFrame?

    public init(baseName: String? = nil, partitionBy: [Expression] = [], orderBy: [OrderItem] = [], frame: WindowFrame? = nil) {
        self.baseName = baseName
        self.partitionBy = partitionBy
        self.orderBy = orderBy
        self.frame = frame
    }
}

/// `{ROWS | RANGE | GROUPS} {start | BETWEEN start AND end} [EXCLUDE ...]`.
public struct WindowFrame: Sendable, Equatable {
    public enum Mode: String, Sendable, Equatable { case rows, range, groups }
    public enum Bound: Sendable, Equatable {
        case unboundedPreceding
        case preceding(Expression)
        case currentRow
        case following(Expression)
        case unboundedFollowing
    }
    public enum Exclusion: String, Sendable, Equatable { case noOthers, currentRow, group, ties }

    public var mode: Mode
    public var start: Bound
    /// nil when only a start was given (then the end is CURRENT ROW).
    public var end: Bound?
    public var exclusion: Exclusion

    public init(mode: Mode, start: Bound, end: Bound? = nil, exclusion: Exclusion = .noOthers) {
        self.mode = mode
        self.start = start
        self.end = end
        self.exclusion = exclusion
    }
}
