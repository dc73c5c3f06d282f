/// A set of a table's columns without knowing all of them: a list, or "every column
/// except" a list, as grants keep them. Lets a cascading REVOKE trim a grant to the
/// columns its grantor may still hand on, whatever columns the table has.
enum ColumnSet: Equatable {
    case only(Set<String>)
    case allExcept(Set<String>)

    /// The columns `grant` gives.
    init(_ grant: Grant) {
        if let columns = grant.columns {
            self = .only(Set(columns).subtracting(grant.excluded))
        } else {
            self = .allExcept(Set(grant.excluded))
        }
    }

    var isEmpty: Bool {
        if case let .only(columns) = self { return columns.isEmpty }
        return false
    }

    func union(_ other: ColumnSet) -> ColumnSet {
        switch (self, other) {
        case let (.only(a), .only(b)): .only(a.union(b))
        case let (.allExcept(e), .only(l)), let (.only(l), .allExcept(e)): .allExcept(e.subtracting(l))
        case let (.allExcept(a), .allExcept(b)): .allExcept(a.intersection(b))
        }
    }

    func intersection(_ other: ColumnSet) -> ColumnSet {
        switch (self, other) {
        case let (.only(a), .only(b)): .only(a.intersection(b))
        case let (.allExcept(e), .only(l)), let (.only(l), .allExcept(e)): .only(l.subtracting(e))
        case let (.allExcept(a), .allExcept(b)): .allExcept(a.union(b))
        }
    }

    /// `grant` narrowed to these columns (its column order kept where it had one).
    func applied(to grant: Grant) -> Grant {
        var g = grant
        switch self {
        case let .only(columns):
            g.columns = (grant.columns ?? []).filter(columns.contains) + columns.subtracting(grant.columns ?? []).sorted()
            g.excluded = []
        case let .allExcept(excluded):
            g.columns = nil
            g.excluded = grant.excluded.filter(excluded.contains) + excluded.subtracting(grant.excluded).sorted()
        }
        return g
    }
}
