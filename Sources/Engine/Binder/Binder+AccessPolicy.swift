import Columnar
import Lake
import SQL

extension Binder {
    /// Applies the access policy to a table just bound as a full scan: the row filter
    /// becomes a filter over the scan, and a projection keeps only the visible columns
    /// (masked ones replaced by their expressions). Everything above sees this as the
    /// table, so no query shape reaches hidden rows, columns or unmasked values, and the
    /// optimizer pushes the filter into the scan for pruning like any other predicate.
    func restrict(_ table: TableDescriptor, as name: QualifiedName, plan: inout LogicalPlan, scope: inout Scope) throws(EngineError) {
        guard let policy, !principal.isSuperuser else { return }
        let access: TableAccess
        do { access = try policy.access(principal, table: table) } catch where error.sqlState == "42P01" {
            // A table the principal may not know of is reported exactly as a missing one.
            throw .undefinedTable("relation \"\(name)\" does not exist", position: name.position >= 0 ? name.position + 1 : nil)
        }
        guard case let .restricted(restriction) = access else { return }
        policiesApplied.append(contentsOf: restriction.policies)
        if case var .scan(scan) = plan {
            // EXPLAIN names only columns the principal may see (a filter or mask may read others).
            scan.visibleColumns = Set(restriction.columns.filter { restriction.columnExpressions[$0] == nil })
            plan = .scan(scan)
        }
        // Policy expressions see the whole table, unqualified and under the table's name.
        let full = Scope(entries: scope.entries.map { Scope.Entry(table: table.name, name: $0.name, type: $0.type) })
        var binder = ExpressionBinder(binder: self, scope: full)
        binder.clause = "a data filter"
        if let filter = restriction.rowFilter, case var .scan(scan) = plan {
            // Straight into the scan, first: the optimizer appends the user's predicates after these,
            // and the scan applies its filters in order, so no user predicate runs on a hidden row.
            let predicate = try ExpressionBinder.coerceBoolean(try binder.bind(filter), "a data filter")
            scan.filters = predicate.conjuncts
            scan.policyFilters = scan.filters.count
            scan.policyNames = restriction.policies.filter { $0.hasPrefix("data filter") }
            plan = .scan(scan)
        }
        var expressions: [BoundExpression] = []
        var fields: [Field] = []
        var entries: [Scope.Entry] = []
        for name in restriction.columns {
            guard let index = full.entries.firstIndex(where: { $0.name == name }) else { continue }
            let entry = scope.entries[index]
            var e = BoundExpression.column(index, entry.type)
            if let replacement = restriction.columnExpressions[name] {
                // A mask keeps its own type (e.g. text over a number); a bare NULL takes the column's.
                e = try binder.bind(replacement)
                if case let .constant(v, _) = e, v.isNull { e = .constant(.null, entry.type) }
            }
            expressions.append(e)
            fields.append(Field(name, e.type, nullable: true))
            entries.append(Scope.Entry(table: entry.table, name: name, type: e.type))
        }
        plan = .project(plan, expressions, fields)
        scope = Scope(entries: entries)
    }
}
