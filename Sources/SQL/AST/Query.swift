/// A complete query: optional WITH, a body, ORDER BY, LIMIT/OFFSET.
public struct Query: Sendable, Equatable {
    public var with: [CommonTableExpression]
    /// `WITH RECURSIVE`: a query of the list may read its own rows (see the binder).
    public var recursive: Bool
    public var body: QueryBody
    public var orderBy: [OrderItem]
    /// `LIMIT n` / `FETCH FIRST n ROWS ONLY`; nil for none (`LIMIT ALL`).
    public var limit: Expression?
    public var offset: Expression?

    public init(with: [CommonTableExpression] = [], recursive: Bool = false, body: QueryBody, orderBy: [OrderItem] = [],
                limit: Expression? = nil, offset: Expression? = nil) {
        self.with = with
        self.recursive = recursive && !with.isEmpty
        self.body = body
        self.orderBy = orderBy
        self.limit = limit
        self.offset = offset
    }
}

/// `name [(columns)] AS [[NOT] MATERIALIZED] (query)`.
public struct CommonTableExpression: Sendable, Equatable {
    public var name: String
    public var columnNames: [String]
    public var query: Query
    /// `AS MATERIALIZED` (true), `AS NOT MATERIALIZED` (false), or neither (nil: the planner decides).
    public var materialized: Bool?

    public init(name: String, columnNames: [String] = [], query: Query, materialized: Bool? = nil) {
        self.name = name
        self.columnNames = columnNames
        self.query = query
        self.materialized = materialized
    }
}

public indirect enum QueryBody: Sendable, Equatable {
    case select(Select)
    /// `VALUES (a, b), (c, d)`.
    case values([[Expression]])
    /// UNION / INTERSECT / EXCEPT; `all` is false for the DISTINCT form.
    case setOperation(SetOperator, all: Bool, QueryBody, QueryBody)
    /// A parenthesized query with its own ORDER BY / LIMIT / WITH.
    case nested(Query)
}

public enum SetOperator: String, Sendable, Equatable {
    case union, intersect, except
}

/// `expr [ASC|DESC] [NULLS FIRST|LAST]`. PostgreSQL's default: NULLS LAST when
/// ascending, NULLS FIRST when descending (nullsFirst nil means that default).
public struct OrderItem: Sendable, Equatable {
    public var expression: Expression
    public var ascending: Bool
    public var nullsFirst: Bool?

    public init(_ expression: Expression, ascending: Bool = true, nullsFirst: Bool? = nil) {
        self.expression = expression
        self.ascending = ascending
        self.nullsFirst = nullsFirst
    }

    /// nullsFirst with PostgreSQL's default applied.
    public var effectiveNullsFirst: Bool { nullsFirst ?? !ascending }
}
