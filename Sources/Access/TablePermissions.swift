import Engine
import Lake
import SQL

/// What one user may do with one table under one state: the grants that reach it
/// (directly, through roles, through its schema or its tags), the data filters granted
/// on it and the masks that apply, combined into the engine's `TableAccess`.
///
/// Combination (documented in README and ARCHITECTURE): SELECT grants on the table,
/// its schema or matching tags show their columns on every row. Each granted data
/// filter shows its columns on the rows its predicate keeps. The rows visible are the
/// union of the rows of every grant and filter; a cell is visible when some grant or
/// filter reaching its row shows its column, and reads as NULL otherwise; a column no
/// grant or filter shows does not exist. A mask then replaces the values of its column.
struct TablePermissions {
    var state: AccessState
    var user: String
    var principals: Set<String>

    init(state: AccessState, user: String) {
        self.state = state
        self.user = user
        self.principals = state.principals(of: user)
    }

    /// The grants of this user's principals that reach the table, with the columns each shows.
    func reaching(_ table: TableDescriptor, privilege: Privilege? = nil) -> [(grant: Grant, columns: Set<String>)] {
        let all = table.fields.map(\.name)
        var result: [(Grant, Set<String>)] = []
        for g in state.grants.values where principals.contains(g.principal) && (privilege == nil || g.privilege == privilege) {
            switch g.target {
            case let .table(s, n) where s == table.schema && n == table.name:
                result.append((g, g.columns(of: all)))
            case let .schema(s) where s == table.schema:
                result.append((g, g.columns(of: all)))
            case let .tag(text):
                guard let e = try? Parser.parseExpression(text),
                      TagExpression.matches(e, state.tags(schema: table.schema, table: table.name)) else { continue }
                let tagged = all.filter { TagExpression.matches(e, state.tags(schema: table.schema, table: table.name, column: $0)) }
                result.append((g, g.columns(of: tagged)))
            case let .dataFilter(f):
                guard let filter = state.filters[f], filter.schema == table.schema, filter.table == table.name else { continue }
                result.append((g, Set(all.filter(filter.shows))))
            default:
                continue
            }
        }
        return result
    }

    /// Whether the user may know the table exists (any SELECT or DESCRIBE reaching it).
    func canSee(_ table: TableDescriptor) -> Bool {
        !reaching(table).isEmpty
    }

    func canSee(_ table: TableDescriptor, column: String) -> Bool {
        reaching(table).contains { $0.grant.privilege == .describe || $0.columns.contains(column) }
    }

    func access(_ table: TableDescriptor) throws(AccessError) -> TableAccess {
        let reach = reaching(table)
        let selects = reach.filter { $0.grant.privilege == .select }
        guard !selects.isEmpty else {
            // Without even DESCRIBE the table does not exist for this user, as for a missing one.
            if reach.isEmpty { throw AccessError("42P01", "relation \"\(table.name)\" does not exist") }
            throw .denied("permission denied for table \(table.name)")
        }
        let resolver = PolicyExpression(user: user, attributes: state.attributes[user]?.values ?? [:], principals: principals)
        var wholeRows = Set<String>()
        var filtered: [(filter: DataFilter, predicate: Expression, columns: Set<String>)] = []
        for (g, columns) in selects {
            if case let .dataFilter(name) = g.target, let f = state.filters[name] {
                if !filtered.contains(where: { $0.filter.name == name }) {
                    filtered.append((f, try resolver.resolve(f.predicate), columns))
                }
            } else {
                wholeRows.formUnion(columns)
            }
        }
        let all = table.fields.map(\.name)
        let visible = all.filter { c in wholeRows.contains(c) || filtered.contains { $0.columns.contains(c) } }
        guard !visible.isEmpty else { throw .denied("permission denied for table \(table.name)") }
        var restriction = TableRestriction(columns: visible)
        if wholeRows.isEmpty {
            restriction.rowFilter = Self.any(filtered.map(\.predicate))
        }
        restriction.policies = filtered.map { "data filter \($0.filter.name)" }
        for c in visible {
            var value: Expression = .column(QualifiedName([c]))
            var masked = false
            if let mask = state.masks[table.schema + "." + table.name + "." + c],
               mask.principals.isEmpty || !principals.isDisjoint(with: mask.principals) {
                value = try resolver.resolve(mask.expression)
                masked = true
                restriction.policies.append("mask \(table.schema).\(table.name).\(c)")
            }
            if !wholeRows.contains(c) {
                let showing = filtered.filter { $0.columns.contains(c) }
                // Only when some visible row's filters do not show this column must the cell be hidden.
                if showing.count < filtered.count {
                    value = .caseWhen(operand: nil, branches: [WhenClause(Self.any(showing.map(\.predicate)), value)], otherwise: nil)
                    masked = true
                }
            }
            if masked { restriction.columnExpressions[c] = value }
        }
        if restriction.rowFilter == nil, restriction.columnExpressions.isEmpty, visible.count == all.count {
            return .unrestricted
        }
        return .restricted(restriction)
    }

    /// The OR of the predicates (a NULL keeps no row in a filter nor shows a cell in CASE WHEN).
    private static func any(_ predicates: [Expression]) -> Expression {
        guard let first = predicates.first else { return .literal(.boolean(false)) }
        return predicates.dropFirst().reduce(first) { .binary(.or, $0, $1) }
    }
}
