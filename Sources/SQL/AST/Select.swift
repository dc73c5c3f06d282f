/// One SELECT block.
public struct Select: Sendable, Equatable {
    public var distinct: Distinct
    public var items: [SelectItem]
    /// FROM items; several mean a cross join (`FROM a, b`).
    public var from: [TableReference]
    public var whereClause: Expression?
    public var groupBy: [GroupingElement]
    public var having: Expression?
    /// `WINDOW w AS (...)` definitions.
    public var windows: [(name: String, spec: WindowSpec)]

    public init(distinct: Distinct = .all, items: [SelectItem], from: [TableReference] = [], whereClause: Expression? = nil,
                groupBy: [GroupingElement] = [], having: Expression? = nil, windows: [(name: String, spec: WindowSpec)] = []) {
        self.distinct = distinct
        self.items = items
        self.from = from
        self.whereClause = whereClause
        self.groupBy = groupBy
        self.having = having
        self.windows = windows
    }

    public static func == (a: Select, b: Select) -> Bool {
        a.distinct == b.distinct && a.items == b.items && a.from == b.from && a.whereClause == b.whereClause
            && a.groupBy == b.groupBy && a.having == b.having
            && a.windows.map(\.name) == b.windows.map(\.name) && a.windows.map(\.spec) == b.windows.map(\.spec)
    }
}

public enum Distinct: Sendable, Equatable {
    case all
    case distinct
    /// `DISTINCT ON (exprs)`.
    case on([Expression])
}

public enum SelectItem: Sendable, Equatable {
    /// `expr [[AS] alias]`.
    case expression(Expression, alias: String?)
    /// `*` (qualifier nil) or `t.*`.
    case wildcard(qualifier: QualifiedName?)
}

/// One element of GROUP BY. A plain expression may be an output ordinal (`GROUP BY 1`)
/// or an output alias; the binder decides.
public enum GroupingElement: Sendable, Equatable {
    case expression(Expression)
    case rollup([Expression])
    case cube([Expression])
    /// `GROUPING SETS ((a, b), (a), ())`.
    case groupingSets([[Expression]])
    /// `()`: the empty grouping set.
    case empty
}
