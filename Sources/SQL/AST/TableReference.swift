/// An item of FROM.
public indirect enum TableReference: Sendable, Equatable {
    /// A table, view or CTE name.
    case table(QualifiedName, alias: TableAlias?)
    /// `[LATERAL] (query) [AS] alias`.
    case subquery(Query, alias: TableAlias?, lateral: Bool)
    /// A set-returning function: `generate_series(1, 10) AS g(n)`.
    case function(FunctionCall, alias: TableAlias?)
    case join(Join)
}

/// `AS alias [(column, ...)]`.
public struct TableAlias: Sendable, Equatable {
    public var name: String
    public var columns: [String]

    public init(_ name: String, columns: [String] = []) {
        self.name = name
        self.columns = columns
    }
}

public struct Join: Sendable, Equatable {
    public var kind: JoinKind
    public var left: TableReference
    public var right: TableReference
    public var condition: JoinCondition

    public init(_ kind: JoinKind, _ left: TableReference, _ right: TableReference, _ condition: JoinCondition) {
        self.kind = kind
        self.left = left
        self.right = right
        self.condition = condition
    }
}

public enum JoinKind: String, Sendable, Equatable {
    case inner, left, right, full, cross
}

public enum JoinCondition: Sendable, Equatable {
    case on(Expression)
    case using([String])
    case natural
    /// CROSS JOIN and comma joins.
    case none
}
