import Columnar
import Lake
import SQL

/// Names and types: turns a parsed query into a logical plan, resolving every
/// table through the catalog, every column through scopes, every function
/// through the registry, and inserting the implicit casts.
final class Binder {
    let catalog: Catalog
    /// Common table expressions visible at this point, innermost last.
    var ctes: [[String: (plan: LogicalPlan, scope: Scope)]] = []
    /// Types (and, when executing, values) of `$n` parameters; nil outside prepared statements.
    var parameters: QueryParameters?
    /// Every relation the statement reads, for the result cache's key.
    var relationsRead = RelationsRead()
    /// Whose statement this is and the policy restricting what they read (Binder+AccessPolicy.swift).
    var policy: (any AccessPolicy)?
    var principal = Principal.superuser
    /// Names of the data filters and masks applied while binding (for the audit log).
    var policiesApplied: [String] = []
    /// WITH RECURSIVE: how often each working table was named while binding its recursive term.
    var workingTableReads: [Int: Int] = [:]
    var workingTableCount = 0

    init(catalog: Catalog) {
        self.catalog = catalog
    }

    // MARK: queries

    /// A bound query: its plan and the names of its output columns.
    struct BoundQuery {
        var plan: LogicalPlan
        var names: [String]
    }

    func bindQuery(_ query: Query, outer: OuterScope? = nil) throws(EngineError) -> BoundQuery {
        var frame: [String: (plan: LogicalPlan, scope: Scope)] = [:]
        ctes.append(frame)
        defer { ctes.removeLast() }
        for cte in query.with {
            if query.recursive, let recursive = try bindRecursive(cte, outer: outer) {
                frame[cte.name] = recursive
                ctes[ctes.count - 1] = frame
                continue
            }
            let bound = try bindQuery(cte.query, outer: outer)
            let names = try Self.columnNames(of: cte, bound.names)
            let scope = Scope(entries: zip(names, bound.plan.fields).map { Scope.Entry(table: cte.name, name: $0, type: $1.type) })
            frame[cte.name] = (bound.plan, scope)
            ctes[ctes.count - 1] = frame
        }
        if query.orderBy.isEmpty, query.limit == nil, query.offset == nil {
            return try bindBody(query.body, outer: outer)
        }
        if case let .select(select) = query.body {
            // ORDER BY may use expressions over the FROM scope: bind it with the SELECT.
            var bound = try bindSelect(select, orderBy: query.orderBy, outer: outer)
            bound.plan = try applyLimit(bound.plan, query)
            return bound
        }
        var bound = try bindBody(query.body, outer: outer)
        let scope = Scope(entries: zip(bound.names, bound.plan.fields).map { Scope.Entry(table: nil, name: $0, type: $1.type) })
        if !query.orderBy.isEmpty {
            var keys: [SortKey] = []
            for item in query.orderBy {
                var e: BoundExpression
                if let ref = try outputReference(item.expression, names: bound.names, fields: bound.plan.fields) {
                    e = ref
                } else {
                    e = try ExpressionBinder(binder: self, scope: scope).bind(item.expression)
                }
                keys.append(SortKey(expression: e, ascending: item.ascending, nullsFirst: item.effectiveNullsFirst))
            }
            bound.plan = .sort(bound.plan, keys)
        }
        bound.plan = try applyLimit(bound.plan, query)
        return bound
    }

    /// The names a WITH query's columns go by: its column list over the query's own names.
    static func columnNames(of cte: CommonTableExpression, _ queryNames: [String]) throws(EngineError) -> [String] {
        var names = queryNames
        guard cte.columnNames.count <= names.count else {
            throw EngineError("42P10", "WITH query \"\(cte.name)\" has \(names.count) columns available but \(cte.columnNames.count) columns specified")
        }
        for (i, n) in cte.columnNames.enumerated() { names[i] = n }
        return names
    }

    private func applyLimit(_ plan: LogicalPlan, _ query: Query) throws(EngineError) -> LogicalPlan {
        guard query.limit != nil || query.offset != nil else { return plan }
        var limit: Int?
        if let e = query.limit { limit = try constantInteger(e, what: "LIMIT") }
        var offset = 0
        if let e = query.offset { offset = try constantInteger(e, what: "OFFSET") }
        return .limit(plan, limit: limit, offset: offset)
    }

    private func constantInteger(_ e: Expression, what: String) throws(EngineError) -> Int {
        if case let .parameter(k) = e { parameters?.infer(k, .int64) }
        let bound = try ExpressionBinder(binder: self, scope: Scope()).bind(e)
        guard case let .constant(v, t) = bound else {
            throw EngineError("42P10", "argument of \(what) must not contain variables")
        }
        if v.isNull { return Int.max }
        guard SQLTypes.isInteger(t) || { if case .decimal = t { return true }; return false }() else {
            throw .datatypeMismatch("argument of \(what) must be type bigint, not type \(SQLTypes.name(t))")
        }
        // As bigint: a numeric rounds half away from zero (LIMIT 2.5 is 3); beyond bigint is an error.
        var value: Int128 = switch v {
        case let .decimal(d): d
        default: Int128(v.intValue)
        }
        if case let .decimal(_, scale) = t, scale > 0 { value = Decimal.roundedDivide(value, Decimal.power(scale)) }
        guard let n = Int(exactly: value) else { throw .numericOverflow("bigint out of range") }
        guard n >= 0 else { throw EngineError(what == "LIMIT" ? "2201W" : "2201X", "\(what) must not be negative") }
        return n
    }

    /// An ORDER BY item that names an output column: an ordinal or an output alias.
    func outputReference(_ e: Expression, names: [String], fields: [Field]) throws(EngineError) -> BoundExpression? {
        if case let .literal(.integer(text)) = e {
            guard let k = Int(text), k >= 1, k <= names.count else {
                throw EngineError("42P10", "ORDER BY position \(text) is not in select list")
            }
            return .column(k - 1, fields[k - 1].type)
        }
        if case let .column(name) = e, name.parts.count == 1 {
            let hits = names.indices.filter { names[$0] == name.parts[0] }
            if hits.count == 1 { return .column(hits[0], fields[hits[0]].type) }
        }
        return nil
    }

    func bindBody(_ body: QueryBody, outer: OuterScope?) throws(EngineError) -> BoundQuery {
        switch body {
        case let .select(select):
            return try bindSelect(select, orderBy: [], outer: outer)
        case let .nested(query):
            return try bindQuery(query, outer: outer)
        case let .values(rows):
            return try bindValues(rows)
        case let .setOperation(op, all, left, right):
            let l = try bindBody(left, outer: outer)
            let r = try bindBody(right, outer: outer)
            let lf = l.plan.fields, rf = r.plan.fields
            guard lf.count == rf.count else {
                throw EngineError("42601", "each \(op.rawValue.uppercased()) query must have the same number of columns")
            }
            var leftCasts: [BoundExpression] = [], rightCasts: [BoundExpression] = []
            var fields: [Field] = []
            for i in 0..<lf.count {
                // A bare string literal ('a') adopts the other side's type; typed text does not.
                let unknown = Self.isUntypedLiteral(l.plan, i) ? rf[i].type : Self.isUntypedLiteral(r.plan, i) ? lf[i].type : nil
                guard let t = SQLTypes.commonType(lf[i].type, rf[i].type) ?? unknown else {
                    throw .datatypeMismatch("\(op.rawValue.uppercased()) types \(SQLTypes.name(lf[i].type)) and \(SQLTypes.name(rf[i].type)) cannot be matched")
                }
                leftCasts.append(ExpressionBinder.coerce(.column(i, lf[i].type), to: t))
                rightCasts.append(ExpressionBinder.coerce(.column(i, rf[i].type), to: t))
                fields.append(Field(l.names[i], t, nullable: true))
            }
            let lp = LogicalPlan.project(l.plan, leftCasts, fields)
            let rp = LogicalPlan.project(r.plan, rightCasts, fields)
            let kind: SetOperationKind = switch op {
            case .union: .union
            case .intersect: .intersect
            case .except: .except
            }
            return BoundQuery(plan: .setOperation(kind, all: all, lp, rp, fields: fields), names: l.names)
        }
    }

    /// Whether output column i of `plan` is a string literal that has no type yet.
    static func isUntypedLiteral(_ plan: LogicalPlan, _ i: Int) -> Bool {
        switch plan {
        case let .project(_, exprs, _):
            if case .constant(_, .string) = exprs[i] { return true }
            return false
        case let .values(fields, _): return fields[i].type == .string
        case let .sort(input, _), let .limit(input, _, _), let .distinct(input): return isUntypedLiteral(input, i)
        default: return false
        }
    }

    private func unknownStringType(_ a: DataType, _ b: DataType) -> DataType? {
        if a == .string { return b }
        if b == .string { return a }
        return nil
    }

    private func bindValues(_ rows: [[Expression]]) throws(EngineError) -> BoundQuery {
        guard let width = rows.first?.count else { throw .syntax("VALUES needs at least one row") }
        var boundRows: [[BoundExpression]] = []
        for row in rows {
            guard row.count == width else { throw EngineError("42601", "VALUES lists must all be the same length") }
            var bound: [BoundExpression] = []
            for e in row { bound.append(try ExpressionBinder(binder: self, scope: Scope()).bind(e)) }
            boundRows.append(bound)
        }
        var types: [DataType] = boundRows[0].map(\.type)
        for row in boundRows.dropFirst() {
            for (i, e) in row.enumerated() {
                if isNullConstant(boundRows[0][i]) && types[i] == .string { types[i] = e.type; continue }
                if isNullConstant(e) { continue }
                guard let t = SQLTypes.commonType(types[i], e.type) ?? unknownStringType(types[i], e.type) else {
                    throw .datatypeMismatch("VALUES types \(SQLTypes.name(types[i])) and \(SQLTypes.name(e.type)) cannot be matched")
                }
                types[i] = t
            }
        }
        var values: [[Value]] = []
        for row in boundRows {
            var out: [Value] = []
            for (i, e) in row.enumerated() {
                let folded = ExpressionBinder.fold(ExpressionBinder.coerce(e, to: types[i]))
                guard case let .constant(v, _) = folded else {
                    throw .featureNotSupported("VALUES rows must be constant expressions")
                }
                out.append(v)
            }
            values.append(out)
        }
        let names = (1...width).map { "column\($0)" }
        let fields = zip(names, types).map { Field($0, $1, nullable: true) }
        return BoundQuery(plan: .values(fields: fields, rows: values), names: names)
    }

    private func isNullConstant(_ e: BoundExpression) -> Bool {
        if case let .constant(v, _) = e { return v.isNull }
        return false
    }

    // MARK: FROM

    func bindFrom(_ items: [TableReference], outer: OuterScope?) throws(EngineError) -> (LogicalPlan, Scope) {
        guard let first = items.first else {
            return (.values(fields: [], rows: [[]]), Scope(outer: outer))
        }
        var (plan, scope) = try bindTableReference(first, outer: outer)
        for item in items.dropFirst() {
            let (right, rightScope) = try bindTableReference(item, outer: outer)
            plan = .join(plan, right, .cross, on: JoinPredicate())
            scope = scope + rightScope
        }
        scope.outer = outer
        try Self.checkDistinctLabels(items.flatMap(Self.labels))
        return (plan, scope)
    }

    /// The names FROM items are referred to by (alias, or table name).
    static func labels(_ ref: TableReference) -> [String] {
        switch ref {
        case let .table(name, alias): [alias?.name ?? name.name]
        case let .subquery(_, alias, _): alias.map { [$0.name] } ?? []
        case let .function(call, alias): [alias?.name ?? call.name.name]
        case let .join(j): labels(j.left) + labels(j.right)
        }
    }

    static func checkDistinctLabels(_ labels: [String]) throws(EngineError) {
        var seen = Set<String>()
        for l in labels where !seen.insert(l).inserted {
            throw EngineError("42712", "table name \"\(l)\" specified more than once")
        }
    }

    func bindTableReference(_ ref: TableReference, outer: OuterScope?) throws(EngineError) -> (LogicalPlan, Scope) {
        switch ref {
        case let .table(name, alias):
            if name.parts.count == 1, let cte = lookupCTE(name.parts[0]) {
                if case let .workingTable(w) = cte.plan { workingTableReads[w.id, default: 0] += 1 }
                var scope = cte.scope
                let label = alias?.name ?? name.parts[0]
                for i in scope.entries.indices { scope.entries[i].table = label }
                try applyColumnAliases(alias, to: &scope)
                return (cte.plan, scope)
            }
            let table: TableDescriptor
            switch try catalog.relation(name) {
            case let .lake(t):
                table = t
                relationsRead.tables.append(TableVersion(schema: t.schema, name: t.name, version: t.version))
            case let .system(relation):
                relationsRead.system = true
                var scope = Scope(fields: relation.fields, table: alias?.name ?? relation.name)
                try applyColumnAliases(alias, to: &scope)
                return (.values(fields: relation.fields, rows: relation.rows), scope)
            }
            let label = alias?.name ?? table.name
            var scope = Scope(fields: table.fields.map { Field($0.name, SQLTypes.canonical($0.type), nullable: $0.nullable) }, table: label)
            let scan = TableScan(table: table, columns: Array(table.fields.indices), alias: label)
            var plan = LogicalPlan.scan(scan)
            try restrict(table, as: name, plan: &plan, scope: &scope)
            try applyColumnAliases(alias, to: &scope)
            return (plan, scope)
        case let .subquery(query, alias, _):
            let bound = try bindQuery(query, outer: outer)
            var scope = Scope(entries: zip(bound.names, bound.plan.fields).map {
                Scope.Entry(table: alias?.name, name: $0, type: $1.type)
            })
            try applyColumnAliases(alias, to: &scope)
            return (bound.plan, scope)
        case let .function(call, alias):
            return try bindTableFunction(call, alias: alias, outer: outer)
        case let .join(join):
            return try bindJoin(join, outer: outer)
        }
    }

    private func lookupCTE(_ name: String) -> (plan: LogicalPlan, scope: Scope)? {
        for frame in ctes.reversed() {
            if let hit = frame[name] { return hit }
        }
        return nil
    }

    private func applyColumnAliases(_ alias: TableAlias?, to scope: inout Scope) throws(EngineError) {
        guard let alias, !alias.columns.isEmpty else { return }
        guard alias.columns.count <= scope.entries.count else {
            throw EngineError("42P10", "table \"\(alias.name)\" has \(scope.entries.count) columns available but \(alias.columns.count) columns specified")
        }
        for (i, n) in alias.columns.enumerated() { scope.entries[i].name = n }
    }

    private func bindTableFunction(_ call: FunctionCall, alias: TableAlias?, outer: OuterScope?) throws(EngineError) -> (LogicalPlan, Scope) {
        if call.name.name == "unnest", call.arguments.count == 1 {
            // `FROM unnest(array) AS x` is `FROM (SELECT unnest(array) AS x) AS x`, which the
            // select list's expansion handles (and a correlated array becomes a correlated subquery).
            let column = alias?.columns.first ?? alias?.name ?? "unnest"
            let select = Select(items: [.expression(.function(call), alias: column)])
            return try bindTableReference(.subquery(Query(body: .select(select)), alias: alias ?? TableAlias("unnest"), lateral: false),
                                          outer: outer)
        }
        guard call.name.name == "generate_series" else {
            throw .undefinedFunction("function \(call.name) does not exist", position: call.name.position >= 0 ? call.name.position + 1 : nil)
        }
        var bounds: [Int64] = []
        var arguments: [BoundExpression] = []
        for a in call.arguments {
            let bound = ExpressionBinder.fold(try ExpressionBinder(binder: self, scope: Scope(outer: outer)).bind(a))
            arguments.append(bound)
            if case let .constant(v, _) = bound { bounds.append(v.intValue) }
        }
        if bounds.count < arguments.count, arguments.count == 2, outer != nil {
            return try correlatedSeries(arguments, alias: alias)
        }
        guard bounds.count == arguments.count else { throw .featureNotSupported("generate_series needs constant arguments") }
        guard bounds.count == 2 || bounds.count == 3 else { throw .undefinedFunction("generate_series takes 2 or 3 arguments") }
        let step = bounds.count == 3 ? bounds[2] : 1
        guard step != 0 else { throw EngineError("22023", "step size cannot equal zero") }
        var rows: [[Value]] = []
        var v = bounds[0]
        while step > 0 ? v <= bounds[1] : v >= bounds[1] {
            rows.append([.int(v)])
            if rows.count > 10_000_000 { throw .outOfMemory("generate_series produces too many rows") }
            let next = v.addingReportingOverflow(step)
            if next.overflow { break }
            v = next.partialValue
        }
        let name = alias?.columns.first ?? alias?.name ?? "generate_series"
        let type: DataType = bounds.allSatisfy({ Int32(exactly: $0) != nil }) ? .int32 : .int64
        let field = Field(name, type, nullable: false)
        let scope = Scope(entries: [Scope.Entry(table: alias?.name ?? "generate_series", name: name, type: type)])
        return (.values(fields: [field], rows: rows.map { $0.map { Value.int($0.intValue) } }), scope)
    }

    /// `generate_series(a, b)` whose bounds use the enclosing query's columns (psql:
    /// `generate_series(0, array_upper(pr.prattrs, 1))`): the integers 0 to
    /// `SetReturningFunctions.maximumLength` (catalog array positions) filtered to [a, b].
    private func correlatedSeries(_ bounds: [BoundExpression], alias: TableAlias?) throws(EngineError) -> (LogicalPlan, Scope) {
        let name = alias?.columns.first ?? alias?.name ?? "generate_series"
        let field = Field(name, .int64, nullable: false)
        let values = LogicalPlan.values(fields: [field], rows: (0...SetReturningFunctions.maximumLength).map { [Value.int(Int64($0))] })
        let value = BoundExpression.column(0, .int64)
        let low = try ExpressionBinder.comparison(.greaterOrEqual, value, ExpressionBinder.coerce(bounds[0], to: .int64))
        let high = try ExpressionBinder.comparison(.lessOrEqual, value, ExpressionBinder.coerce(bounds[1], to: .int64))
        let scope = Scope(entries: [Scope.Entry(table: alias?.name ?? "generate_series", name: name, type: .int64)])
        return (.filter(values, .and([low, high])), scope)
    }

    private func bindJoin(_ join: Join, outer: OuterScope?) throws(EngineError) -> (LogicalPlan, Scope) {
        let (left, leftScope) = try bindTableReference(join.left, outer: outer)
        let (right, rightScope) = try bindTableReference(join.right, outer: outer)
        var scope = leftScope + rightScope
        scope.outer = outer
        try Self.checkDistinctLabels(Self.labels(.join(join)))
        let type: JoinType = switch join.kind {
        case .inner: .inner
        case .left: .left
        case .right: .right
        case .full: .full
        case .cross: .cross
        }
        var condition: BoundExpression?
        switch join.condition {
        case .none:
            break
        case let .on(e):
            var onBinder = ExpressionBinder(binder: self, scope: scope)
            onBinder.clause = "JOIN conditions"
            condition = try onBinder.bindPredicate(e)
        case .using, .natural:
            var names: [String] = []
            if case let .using(columns) = join.condition {
                names = columns
            } else {
                let rightNames = Set(rightScope.entries.filter { !$0.hidden }.map(\.name))
                names = leftScope.entries.filter { !$0.hidden && rightNames.contains($0.name) }.map(\.name)
            }
            var terms: [BoundExpression] = []
            for name in names {
                guard case let .found(li, lt) = leftScope.lookup(QualifiedName([name])) else {
                    throw .undefinedColumn("column \"\(name)\" specified in USING clause does not exist in left table")
                }
                guard case let .found(ri, rt) = rightScope.lookup(QualifiedName([name])) else {
                    throw .undefinedColumn("column \"\(name)\" specified in USING clause does not exist in right table")
                }
                let r = ri + leftScope.entries.count
                terms.append(try ExpressionBinder.comparison(.equal, .column(li, lt), .column(r, rt)))
                // The merged column is looked up on the left (or the right for RIGHT JOIN); hide the other.
                if type == .right { scope.entries[li].hidden = true } else { scope.entries[r].hidden = true }
            }
            condition = BoundExpression.conjunction(terms)
            if type == .full {
                // FULL JOIN USING: the merged column is whichever side is present.
                let width = scope.entries.count
                var exprs = (0..<width).map { BoundExpression.column($0, scope.entries[$0].type) }
                for name in names {
                    guard case let .found(li, lt) = leftScope.lookup(QualifiedName([name])),
                          case let .found(ri, _) = rightScope.lookup(QualifiedName([name])) else { continue }
                    let r = ri + leftScope.entries.count
                    exprs.append(.coalesce([.column(li, lt), ExpressionBinder.coerce(.column(r, scope.entries[r].type), to: lt)], lt))
                    scope.entries[li].hidden = true
                    scope.entries[r].hidden = true
                    scope.entries.append(Scope.Entry(table: nil, name: name, type: lt))
                }
                let predicate = JoinPredicate.split(condition!, leftWidth: leftScope.entries.count)
                let joined = LogicalPlan.join(left, right, .full, on: predicate)
                let fields = scope.entries.map { Field($0.name, $0.type) }
                return (.project(joined, exprs, fields), scope)
            }
        }
        if type == .cross || condition == nil {
            return (.join(left, right, type == .cross ? .cross : type, on: JoinPredicate()), scope)
        }
        let predicate = JoinPredicate.split(condition!, leftWidth: leftScope.entries.count)
        return (.join(left, right, type, on: predicate), scope)
    }
}

/// Relations by name: the lake's tables and the system catalog's (`Catalog/`).
protocol Catalog: Sendable {
    func relation(_ name: QualifiedName) throws(EngineError) -> CatalogRelation
    /// The system catalog and session the statement is bound in (for regclass, current_user, ...).
    var system: SystemCatalog { get }
}

extension JoinPredicate {
    /// Splits a join condition into equi-join keys (a left-only expression = a right-only one)
    /// and the residual.
    static func split(_ condition: BoundExpression, leftWidth: Int) -> JoinPredicate {
        var p = JoinPredicate()
        var residual: [BoundExpression] = []
        for term in condition.conjuncts {
            if case let .compare(.equal, a, b) = term {
                let ca = a.referencedColumns, cb = b.referencedColumns
                let aLeft = !ca.isEmpty && ca.allSatisfy { $0 < leftWidth }, aRight = !ca.isEmpty && ca.allSatisfy { $0 >= leftWidth }
                let bLeft = !cb.isEmpty && cb.allSatisfy { $0 < leftWidth }, bRight = !cb.isEmpty && cb.allSatisfy { $0 >= leftWidth }
                if aLeft && bRight {
                    p.leftKeys.append(a)
                    p.rightKeys.append(b.remapped { $0 - leftWidth })
                    continue
                }
                if aRight && bLeft {
                    p.leftKeys.append(b)
                    p.rightKeys.append(a.remapped { $0 - leftWidth })
                    continue
                }
            }
            residual.append(term)
        }
        p.residual = BoundExpression.conjunction(residual)
        return p
    }
}
