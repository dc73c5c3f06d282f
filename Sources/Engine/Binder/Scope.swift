import Columnar
import SQL

/// The columns visible at one point of a query: each with the table (alias)
/// it came from, in the order of the plan's output columns.
struct Scope: Sendable {
    struct Entry: Sendable {
        var table: String?
        var name: String
        var type: DataType
        /// Hidden from `*` and from unqualified lookup (the right side of a USING join column).
        var hidden = false
    }

    var entries: [Entry]
    /// The enclosing query's scope, for correlated references.
    var outer: OuterScope?

    init(entries: [Entry] = [], outer: OuterScope? = nil) {
        self.entries = entries
        self.outer = outer
    }

    init(fields: [Field], table: String?) {
        self.entries = fields.map { Entry(table: table, name: $0.name, type: $0.type) }
    }

    static func + (a: Scope, b: Scope) -> Scope {
        Scope(entries: a.entries + b.entries, outer: a.outer)
    }

    enum Lookup {
        case found(Int, DataType)
        case ambiguous
        case missing
    }

    func lookup(_ name: QualifiedName) -> Lookup {
        let column = name.parts.last!
        let qualifier = name.parts.count >= 2 ? name.parts[name.parts.count - 2] : nil
        var hit: Int?
        for (i, e) in entries.enumerated() where e.name == column {
            if let qualifier {
                guard e.table == qualifier else { continue }
            } else if e.hidden {
                continue
            }
            if hit != nil { return .ambiguous }
            hit = i
        }
        if let hit { return .found(hit, entries[hit].type) }
        return .missing
    }

    /// A close name for "did you mean" hints.
    func suggestion(for name: String) -> String? {
        var best: (String, Int)?
        for e in entries {
            let d = editDistance(e.name, name)
            if d <= max(2, (name.count + 1) / 2), best == nil || d < best!.1 {
                best = (e.table.map { "\($0).\(e.name)" } ?? e.name, d)
            }
        }
        return best?.0
    }


}

/// The outer query's scope as seen from a subquery, collecting which outer
/// columns the subquery used.
final class OuterScope: @unchecked Sendable {
    let scope: Scope
    /// Outer column indices referenced from inside, in first-use order.
    var references: [Int] = []

    init(_ scope: Scope) { self.scope = scope }
}

func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a), y = Array(b)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    for i in 1...x.count {
        var current = [i] + Array(repeating: 0, count: y.count)
        for j in 1...y.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[y.count]
}
