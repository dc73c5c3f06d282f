import Columnar
import SQL

/// One SELECT block: FROM, WHERE, GROUP BY/aggregates, HAVING, the select list,
/// DISTINCT and ORDER BY (which may use expressions that are not selected).
extension Binder {
    func bindSelect(_ written: Select, orderBy: [OrderItem], outer: OuterScope?) throws(EngineError) -> BoundQuery {
        let select = SetReturningFunctions.expand(written)
        let (fromPlan, fromScope) = try bindFrom(select.from, outer: outer)
        let builder = PlanBuilder(plan: fromPlan, scope: fromScope, binder: self)
        if let whereClause = select.whereClause {
            let conjuncts = try builder.bindConjuncts(whereClause)
            if let filter = BoundExpression.conjunction(conjuncts) { builder.plan = .filter(builder.plan, filter) }
        }
        var plan = builder.plan
        let scope = builder.scope

        // The select list with * expanded.
        var items: [(expression: Expression, name: String)] = []
        for item in select.items {
            switch item {
            case let .expression(e, alias):
                items.append((e, alias ?? Self.defaultName(e)))
            case let .wildcard(qualifier):
                let q = qualifier?.parts.last
                var matched = false
                for e in scope.entries where !e.hidden && (q == nil || e.table == q) {
                    items.append((.column(QualifiedName(e.table.map { [$0, e.name] } ?? [e.name])), e.name))
                    matched = true
                }
                if let q, !matched { throw .undefinedTable("missing FROM-clause entry for table \"\(q)\"") }
            }
        }
        let names = items.map(\.name)

        let aggregating = !select.groupBy.isEmpty || select.having != nil
            || items.contains { Self.containsAggregate($0.expression) }
            || orderBy.contains { Self.containsAggregate($0.expression) }
        var outputs: [BoundExpression] = []
        var sortKeys: [SortKey] = []
        var hidden: [BoundExpression] = []
        let windows = WindowCollector(named: select.windows)
        // DISTINCT ON keys, as positions in outputs + hidden.
        var distinctOn: [Int] = []
        func bindDistinctOn(_ bindExpression: (Expression) throws(EngineError) -> BoundExpression) throws(EngineError) {
            guard case let .on(expressions) = select.distinct else { return }
            for item in expressions {
                if let ref = try outputReference(item, names: names, fields: outputs.map { Field("", $0.type) }),
                   case let .column(k, _) = ref {
                    distinctOn.append(k)
                    continue
                }
                let e = try bindExpression(item)
                if let k = outputs.firstIndex(of: e) { distinctOn.append(k); continue }
                if let k = hidden.firstIndex(of: e) { distinctOn.append(outputs.count + k); continue }
                hidden.append(e)
                distinctOn.append(outputs.count + hidden.count - 1)
            }
        }

        // Binds an ORDER BY item: an output ordinal/alias, or an expression (added as a hidden column).
        func bindOrder(_ bindExpression: (Expression) throws(EngineError) -> BoundExpression) throws(EngineError) {
            for item in orderBy {
                var expression: BoundExpression
                if let ref = try outputReference(item.expression, names: names, fields: outputs.map { Field("", $0.type) }) {
                    expression = ref
                } else {
                    let e = try bindExpression(item.expression)
                    if let k = outputs.firstIndex(of: e) {
                        expression = .column(k, e.type)
                    } else {
                        if select.distinct == .distinct {
                            throw EngineError("42P10", "for SELECT DISTINCT, ORDER BY expressions must appear in select list")
                        }
                        hidden.append(e)
                        expression = .column(outputs.count + hidden.count - 1, e.type)
                    }
                }
                sortKeys.append(SortKey(expression: expression, ascending: item.ascending, nullsFirst: item.effectiveNullsFirst))
            }
        }

        if aggregating {
            let (keys, sets) = try groupingSets(select.groupBy, items: items, scope: scope)
            let collector = AggregateCollector()
            collector.keys = keys
            let exprBinder = ExpressionBinder(binder: self, scope: scope, aggregates: collector, windows: windows)
            for item in items {
                outputs.append(try SelectBinder.postAggregate(try exprBinder.bind(item.expression), keys: keys, scope: scope))
            }
            var having: BoundExpression?
            if let h = select.having {
                let havingBinder = ExpressionBinder(binder: self, scope: scope, aggregates: collector)
                having = try SelectBinder.postAggregate(try havingBinder.bindPredicate(h), keys: keys, scope: scope)
            }
            try bindOrder { (e) throws(EngineError) in try SelectBinder.postAggregate(try exprBinder.bind(e), keys: keys, scope: scope) }
            try bindDistinctOn { (e) throws(EngineError) in try SelectBinder.postAggregate(try exprBinder.bind(e), keys: keys, scope: scope) }
            plan = Self.groupingPlan(plan, keys: keys, sets: sets, aggregates: collector.calls)
            // GROUPING(...) reads the grouping-set id column after the aggregates.
            let gid = BoundExpression.column(keys.count + collector.calls.count, .int64)
            func resolveGrouping(_ e: BoundExpression) throws(EngineError) -> BoundExpression {
                try e.transformed { node in
                    if case let .column(i, _) = node, i == AggregateCollector.groupingMarker { return gid }
                    return nil
                }
            }
            outputs = try outputs.map(resolveGrouping)
            hidden = try hidden.map(resolveGrouping)
            having = try having.map(resolveGrouping)
            if let having { plan = .filter(plan, having) }
            for i in windows.calls.indices {
                var c = windows.calls[i]
                c.arguments = try c.arguments.map { (e) throws(EngineError) in try SelectBinder.postAggregate(e, keys: keys, scope: scope) }
                c.partitionBy = try c.partitionBy.map { (e) throws(EngineError) in try SelectBinder.postAggregate(e, keys: keys, scope: scope) }
                var order: [SortKey] = []
                for k in c.orderBy {
                    order.append(SortKey(expression: try SelectBinder.postAggregate(k.expression, keys: keys, scope: scope),
                                         ascending: k.ascending, nullsFirst: k.nullsFirst))
                }
                c.orderBy = order
                windows.calls[i] = c
            }
        } else {
            // Correlated subqueries in the select list join into the plan, as in WHERE.
            let exprBinder = ExpressionBinder(binder: self, scope: scope, planBuilder: builder, windows: windows)
            for item in items { outputs.append(try exprBinder.bind(item.expression)) }
            try bindOrder { (e) throws(EngineError) in try exprBinder.bind(e) }
            try bindDistinctOn { (e) throws(EngineError) in try exprBinder.bind(e) }
            plan = builder.plan
        }
        if !windows.calls.isEmpty {
            let width = plan.fields.count
            plan = .window(plan, windows.calls)
            func resolve(_ e: BoundExpression) throws(EngineError) -> BoundExpression {
                try e.transformed { node in
                    if case let .column(i, t) = node, i >= WindowCollector.markerBase { return .column(width + i - WindowCollector.markerBase, t) }
                    return nil
                }
            }
            outputs = try outputs.map(resolve)
            hidden = try hidden.map(resolve)
            sortKeys = try sortKeys.map { (k) throws(EngineError) in
                SortKey(expression: k.expression, ascending: k.ascending, nullsFirst: k.nullsFirst)
            }
        }

        let fields = zip(names, outputs).map { Field($0, $1.type, nullable: true) }
        let hiddenFields = hidden.enumerated().map { Field("?sort\($0.offset)?", $0.element.type) }
        plan = .project(plan, outputs + hidden, fields + hiddenFields)
        switch select.distinct {
        case .all: break
        case .distinct: plan = .distinct(plan)
        case .on:
            // The first row of each key in ORDER BY order: row_number() over (partition by keys order by ...) = 1.
            let width = outputs.count + hidden.count
            let all = outputs + hidden
            let call = WindowCall(function: .rowNumber, arguments: [],
                                  partitionBy: distinctOn.map { .column($0, all[$0].type) }, orderBy: sortKeys,
                                  frame: FrameSpec(mode: .rows, start: nil, end: nil), resultType: .int64)
            plan = .window(plan, [call])
            plan = .filter(plan, .compare(.equal, .column(width, .int64), .constant(.int(1), .int64)))
            plan = .project(plan, (0..<width).map { .column($0, all[$0].type) }, fields + hiddenFields)
        }
        if !sortKeys.isEmpty { plan = .sort(plan, sortKeys) }
        if !hidden.isEmpty {
            plan = .project(plan, outputs.indices.map { .column($0, outputs[$0].type) }, fields)
        }
        return BoundQuery(plan: plan, names: names)
    }

    /// GROUP BY elements as expressions over the input (ordinals and output aliases resolved).
    /// GROUP BY as grouping sets of key indices over `keys` (the distinct key expressions, bound over
    /// the input; ordinals and output aliases resolved). Plain GROUP BY is one set of all keys.
    private func groupingSets(_ elements: [GroupingElement], items: [(expression: Expression, name: String)],
                              scope: Scope) throws(EngineError) -> (keys: [BoundExpression], sets: [[Int]]) {
        let exprBinder = ExpressionBinder(binder: self, scope: scope)
        var keys: [BoundExpression] = []
        func key(_ e: Expression) throws(EngineError) -> Int {
            var target = e
            if case let .literal(.integer(text)) = e {
                guard let k = Int(text), k >= 1, k <= items.count else {
                    throw EngineError("42P10", "GROUP BY position \(text) is not in select list")
                }
                target = items[k - 1].expression
            } else if case let .column(name) = e, name.parts.count == 1, case .missing = scope.lookup(name),
                      let item = items.first(where: { $0.name == name.parts[0] }) {
                target = item.expression
            }
            let bound = try exprBinder.bind(target)
            switch bound.type {
            case .list, .structure, .map: throw .featureNotSupported("GROUP BY an array or record")
            default: break
            }
            if let i = keys.firstIndex(of: bound) { return i }
            keys.append(bound)
            return keys.count - 1
        }
        func keyList(_ es: [Expression]) throws(EngineError) -> [Int] {
            var out: [Int] = []
            for e in es {
                // `(a, b)` inside ROLLUP/CUBE/GROUPING SETS is one unit of several keys.
                if case let .row(parts) = e { for p in parts { out.append(try key(p)) } } else { out.append(try key(e)) }
            }
            return out
        }
        var sets: [[Int]] = [[]]
        for element in elements {
            var options: [[Int]]
            switch element {
            case let .expression(e):
                options = [try keyList([e])]
            case .empty:
                options = [[]]
            case let .rollup(es):
                let units = try es.map { (e) throws(EngineError) in try keyList([e]) }
                options = (0...units.count).reversed().map { Array(units.prefix($0).joined()) }
            case let .cube(es):
                let units = try es.map { (e) throws(EngineError) in try keyList([e]) }
                guard units.count <= 12 else { throw EngineError("54001", "CUBE is limited to 12 elements") }
                options = []
                for mask in (0..<(1 << units.count)).reversed() {
                    var set: [Int] = []
                    for (i, u) in units.enumerated() where mask & (1 << (units.count - 1 - i)) != 0 { set += u }
                    options.append(set)
                }
            case let .groupingSets(lists):
                options = try lists.map { (l) throws(EngineError) in try keyList(l) }
            }
            var product: [[Int]] = []
            for s in sets { for o in options { product.append(s + o.filter { !s.contains($0) }) } }
            sets = product
        }
        return (keys, sets)
    }

    static func defaultName(_ e: Expression) -> String {
        switch e {
        case let .column(name): return name.name
        case let .function(call): return call.name.name
        case let .cast(inner, type):
            if case .literal = inner { return SQLTypes.displayName(type) }
            return defaultName(inner)
        case .caseWhen: return "case"
        case .exists: return "exists"
        case let .field(_, name): return name
        case .row: return "row"
        case .array, .arraySubquery: return "array"
        case let .element(array, _), let .collate(array, _): return defaultName(array)
        case .literal(.typed(let t, _)): return SQLTypes.displayName(t)
        case .literal(.interval): return "interval"
        default: return "?column?"
        }
    }

    static func containsAggregate(_ e: Expression) -> Bool {
        switch e {
        case let .function(call):
            if call.over == nil && ExpressionBinder.aggregateNames.contains(call.name.name) { return true }
            return call.arguments.contains(where: containsAggregate)
        case .literal, .column, .parameter, .subquery, .exists, .inQuery, .quantified: return false
        case let .unary(_, x), let .isNull(x, _), let .isBoolean(x, _, _), let .cast(x, _): return containsAggregate(x)
        case let .binary(_, a, b), let .isDistinctFrom(a, b, _): return containsAggregate(a) || containsAggregate(b)
        case let .between(x, lo, hi, _, _): return containsAggregate(x) || containsAggregate(lo) || containsAggregate(hi)
        case let .inList(x, items, _): return containsAggregate(x) || items.contains(where: containsAggregate)
        case let .like(x, p, _, _, _): return containsAggregate(x) || containsAggregate(p)
        case let .caseWhen(op, branches, otherwise):
            return (op.map(containsAggregate) ?? false) || branches.contains { containsAggregate($0.condition) || containsAggregate($0.result) }
                || (otherwise.map(containsAggregate) ?? false)
        case let .row(items), let .array(items): return items.contains(where: containsAggregate)
        case .arraySubquery: return false
        case let .collate(x, _), let .field(x, _): return containsAggregate(x)
        case let .element(a, b), let .quantifiedArray(a, _, _, b): return containsAggregate(a) || containsAggregate(b)
        }
    }
}

extension Binder {
    /// The aggregation for grouping sets: one aggregate per set, each padded to all keys
    /// (NULL where a key is not grouped) plus a grouping id (bit i set when key i is not
    /// grouped), combined with UNION ALL. Output: keys, aggregates, grouping id.
    static func groupingPlan(_ input: LogicalPlan, keys: [BoundExpression], sets: [[Int]], aggregates: [AggregateCall]) -> LogicalPlan {
        let fields = keys.enumerated().map { Field("key\($0.offset)", $0.element.type) }
            + aggregates.map { Field($0.function.rawValue, $0.resultType) } + [Field("grouping", .int64)]
        var branches: [LogicalPlan] = []
        for set in sets {
            let setKeys = set.map { keys[$0] }
            let aggFields = setKeys.enumerated().map { Field("key\($0.offset)", $0.element.type) }
                + aggregates.map { Field($0.function.rawValue, $0.resultType) }
            let aggregated = LogicalPlan.aggregate(input, groupBy: setKeys, aggregates: aggregates, fields: aggFields)
            var exprs: [BoundExpression] = []
            var gid: Int64 = 0
            for (i, k) in keys.enumerated() {
                if let p = set.firstIndex(of: i) { exprs.append(.column(p, k.type)) } else {
                    exprs.append(.constant(.null, k.type))
                    gid |= 1 << Int64(i)
                }
            }
            for (j, a) in aggregates.enumerated() { exprs.append(.column(set.count + j, a.resultType)) }
            exprs.append(.constant(.int(gid), .int64))
            branches.append(.project(aggregated, exprs, fields))
        }
        return branches.dropFirst().reduce(branches[0]) { .setOperation(.union, all: true, $0, $1, fields: fields) }
    }
}

enum SelectBinder {
    /// Rewrites an expression bound over the aggregation's input (with aggregate markers)
    /// into one over its output: group keys then aggregates.
    static func postAggregate(_ e: BoundExpression, keys: [BoundExpression], scope: Scope) throws(EngineError) -> BoundExpression {
        try e.transformed { (node) throws(EngineError) -> BoundExpression? in
            if let k = keys.firstIndex(of: node) { return .column(k, node.type) }
            if case let .column(i, t) = node {
                if i >= WindowCollector.markerBase || i == AggregateCollector.groupingMarker { return node }
                if i >= AggregateCollector.markerBase { return .column(keys.count + i - AggregateCollector.markerBase, t) }
                let entry = scope.entries[i]
                let name = entry.table.map { "\($0).\(entry.name)" } ?? entry.name
                throw .groupingError("column \"\(name)\" must appear in the GROUP BY clause or be used in an aggregate function")
            }
            return nil
        }
    }
}

extension SQLTypes {
    /// PostgreSQL's column name for a typed literal or cast (`date`, `int4`, `numeric`, ...).
    static func displayName(_ t: TypeName) -> String {
        switch t.name {
        case "integer": "int4"
        case "bigint": "int8"
        case "smallint": "int2"
        case "real": "float4"
        case "double precision": "float8"
        case "boolean": "bool"
        default: t.name
        }
    }
}
