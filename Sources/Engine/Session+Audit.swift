import SQL

extension Session {
    /// Reports a bound (or refused) query to the access policy's audit log: the tables and
    /// columns its plan reads and the filters and masks applied.
    func audit(_ query: Query, plan: LogicalPlan?, policies: [String], denial: EngineError?) {
        var tables: [StatementAudit.TableRead] = []
        if let plan { Self.collectScans(plan, into: &tables) }
        let audit = StatementAudit(principal: principal, statement: query.sql, tables: tables, policies: policies, denial: denial)
        lastAudit = audit
        engine.policy.record(audit)
    }

    private static func collectScans(_ plan: LogicalPlan, into tables: inout [StatementAudit.TableRead]) {
        switch plan {
        case let .scan(s):
            tables.append(StatementAudit.TableRead(table: s.table.schema + "." + s.table.name, columns: s.columns.map { s.table.fields[$0].name }))
        case .values, .workingTable: break
        case let .filter(i, _), let .project(i, _, _), let .aggregate(i, _, _, _), let .sort(i, _), let .limit(i, _, _), let .distinct(i),
             let .window(i, _):
            collectScans(i, into: &tables)
        case let .join(l, r, _, _), let .setOperation(_, _, l, r, _):
            collectScans(l, into: &tables)
            collectScans(r, into: &tables)
        case let .recursiveUnion(u):
            collectScans(u.anchor, into: &tables)
            collectScans(u.recursive, into: &tables)
        }
    }
}
