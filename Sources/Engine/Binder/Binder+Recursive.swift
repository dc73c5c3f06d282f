import Columnar
import SQL

/// WITH RECURSIVE: `name AS (anchor UNION [ALL] recursive)` where the recursive term
/// reads `name`. Inside the recursive term, `name` is a working table: the rows the
/// previous round added. The anchor's column types are the query's (PostgreSQL's
/// rule); a recursive term of wider types widens them once, and is cast to them after.
extension Binder {
    /// The recursive union for a WITH RECURSIVE query that reads itself; nil for one that
    /// does not (bound as a plain WITH query).
    func bindRecursive(_ cte: CommonTableExpression, outer: OuterScope?) throws(EngineError) -> (plan: LogicalPlan, scope: Scope)? {
        guard case let .setOperation(.union, all, anchorBody, recursiveBody) = cte.query.body, cte.query.with.isEmpty,
              cte.query.orderBy.isEmpty, cte.query.limit == nil, cte.query.offset == nil else { return nil }
        let anchor = try bindBody(anchorBody, outer: outer)
        let names = try Self.columnNames(of: cte, anchor.names)
        let anchorFields = anchor.plan.fields
        var types = anchorFields.map(\.type)
        var widened = false
        while true {
            workingTableCount += 1
            let id = workingTableCount
            let fields = zip(names, types).map { Field($0, $1, nullable: true) }
            let scope = Scope(entries: fields.map { Scope.Entry(table: cte.name, name: $0.name, type: $0.type) })
            ctes[ctes.count - 1][cte.name] = (.workingTable(WorkingTable(name: cte.name, id: id, fields: fields)), scope)
            let recursive = try bindBody(recursiveBody, outer: outer)
            ctes[ctes.count - 1][cte.name] = nil

            let reads = workingTableReads[id] ?? 0
            if reads == 0 { return nil }
            // Subqueries run apart from the round's operators and could not see its rows.
            var readsInPlan = 0
            recursive.plan.forEachNode { node in
                if case let .workingTable(w) = node, w.id == id { readsInPlan += 1 }
            }
            guard readsInPlan == reads else {
                throw EngineError("42P19", "recursive reference to query \"\(cte.name)\" must not appear within a subquery")
            }
            guard reads == 1 else {
                throw EngineError("42P19", "recursive reference to query \"\(cte.name)\" must not appear more than once")
            }
            let recursiveFields = recursive.plan.fields
            guard recursiveFields.count == types.count else {
                throw EngineError("42601", "each UNION query must have the same number of columns")
            }
            var common: [DataType] = []
            for (i, t) in types.enumerated() {
                guard let c = SQLTypes.commonType(t, recursiveFields[i].type) else {
                    throw .datatypeMismatch("UNION types \(SQLTypes.name(t)) and \(SQLTypes.name(recursiveFields[i].type)) cannot be matched")
                }
                common.append(c)
            }
            if common == types || widened {
                let union = RecursiveUnion(name: cte.name, id: id, anchor: Self.cast(anchor.plan, to: fields),
                                           recursive: Self.cast(recursive.plan, to: fields), distinct: !all, fields: fields)
                return (.recursiveUnion(union), scope)
            }
            // Bind the recursive term again over the wider types (once: a numeric scale
            // that grows every round would never settle).
            types = common
            widened = true
        }
    }

    /// `plan` with its columns cast to the types of `fields` (itself where they match).
    private static func cast(_ plan: LogicalPlan, to fields: [Field]) -> LogicalPlan {
        let input = plan.fields
        guard zip(input, fields).contains(where: { $0.type != $1.type }) else { return plan }
        return .project(plan, fields.indices.map { ExpressionBinder.coerce(.column($0, input[$0].type), to: fields[$0].type) }, fields)
    }
}
