import Engine
import SQL

/// SHOW GRANTS [FOR principal] [ON [TABLE] t]: grants, role memberships, data filters
/// and masks. A superuser sees everything; anyone else what applies to them (through
/// their roles) and what they granted, so everyone can find out what they may read.
extension AccessController {
    func showGrants(for asked: String?, on table: QualifiedName?, asking principal: Principal) throws(AccessError) -> QueryResult {
        let s = state
        let own = s.principals(of: principal.user)
        if let asked, !principal.isSuperuser, !own.contains(asked) {
            throw .denied("permission denied to show the grants of \(asked)")
        }
        let subjects = asked.map { s.principals(of: $0) }
        let t = try table.map(resolve)
        var rows: [[String]] = []
        for g in s.grants.values.sorted(by: { $0.key < $1.key }) {
            guard principal.isSuperuser || own.contains(g.principal) || g.grantor == principal.user else { continue }
            if let subjects, !subjects.contains(g.principal) { continue }
            if let t {
                let reaches: Bool
                switch g.target {
                case let .table(schema, name): reaches = schema == t.schema && name == t.name
                case let .schema(schema): reaches = schema == t.schema
                case let .dataFilter(f): reaches = s.filters[f].map { $0.schema == t.schema && $0.table == t.name } ?? false
                case .tag: reaches = TablePermissions(state: s, user: g.principal).reaching(t).contains { $0.grant.key == g.key }
                }
                if !reaches { continue }
            }
            var columns = g.columns?.joined(separator: ", ") ?? "*"
            if !g.excluded.isEmpty { columns += " EXCLUDING " + g.excluded.joined(separator: ", ") }
            var object = g.target.description
            if case let .dataFilter(f) = g.target, let filter = s.filters[f] {
                object += " ON \(filter.schema).\(filter.table) (\(filter.columns?.joined(separator: ", ") ?? "*")) WHERE \(filter.predicate)"
            }
            rows.append([g.principal, g.privilege.rawValue, object, columns, g.withGrantOption ? "YES" : "NO", g.grantor])
        }
        if t == nil {
            for m in s.memberships.values.sorted(by: { $0.key < $1.key }) {
                guard principal.isSuperuser || own.contains(m.member) else { continue }
                if let subjects, !subjects.contains(m.member) { continue }
                rows.append([m.member, "MEMBER", "ROLE \(m.role)", "", "NO", ""])
            }
        }
        for m in s.masks.values.sorted(by: { $0.key < $1.key }) {
            if let t, m.schema != t.schema || m.table != t.name { continue }
            let applies = m.principals.isEmpty ? ["public"] : m.principals
            guard principal.isSuperuser || !own.isDisjoint(with: applies) else { continue }
            if let subjects, subjects.isDisjoint(with: applies) { continue }
            rows.append([applies.joined(separator: ", "), "MASK", "COLUMN \(m.key)", m.expression, "NO", ""])
        }
        return TextTable.result(columns: ["principal", "privilege", "object", "columns", "grant_option", "grantor"], rows: rows,
                                tag: "SHOW")
    }
}
