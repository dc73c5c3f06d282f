extension BoundExpression {
    /// True when evaluating this expression on any row can neither fail nor reveal anything
    /// but its boolean answer: comparisons, IN lists, LIKE, NULL tests and Boolean logic over
    /// columns and constants of the same type. (PostgreSQL's LEAKPROOF idea: such a predicate
    /// of the user's may run before an access policy's row filter, since the rows it sees there
    /// are dropped by the filter anyway and it cannot raise an error about them.)
    var isLeakproof: Bool {
        switch self {
        case .column, .constant: true
        case let .compare(_, a, b), let .isDistinct(a, b, _): a.type == b.type && a.isLeakproof && b.isLeakproof
        case let .and(terms), let .or(terms): terms.allSatisfy(\.isLeakproof)
        case let .not(e), let .isNull(e, _), let .inList(e, _, _), let .like(e, _, _): e.isLeakproof
        default: false
        }
    }
}
