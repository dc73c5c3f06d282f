import Engine
import Lake
import SQL

/// The permission statements. Users, roles, filters, masks and tags are a superuser's;
/// GRANT needs the superuser or a grant WITH GRANT OPTION on the same target; REVOKE the
/// superuser or the grant's grantor, and cascades to what was granted through the option.
extension AccessController {
    func run(_ statement: AccessStatement, principal: Principal) throws(AccessError) -> QueryResult {
        switch statement {
        case let .grant(g): try grant(g, by: principal); return Self.done("GRANT")
        case let .revoke(g): try revoke(g, by: principal); return Self.done("REVOKE")
        case let .showGrants(p, table): return try showGrants(for: p, on: table, asking: principal)
        case let .alterUser(name, options) where !principal.isSuperuser && name == principal.user
            && options.superuser == nil && options.attributes.isEmpty && options.password != nil:
            // Anyone may change their own password (only that), as in PostgreSQL.
            try createUser(name, options, replacing: true)
            return Self.done("ALTER ROLE")
        default: break
        }
        guard principal.isSuperuser else { throw .denied("permission denied: only a superuser may run \(Self.verb(statement))") }
        switch statement {
        case let .createUser(name, options):
            try createUser(name, options, replacing: false)
            return Self.done("CREATE ROLE")
        case let .alterUser(name, options):
            guard (try? lake.metastore.user(named: name)) ?? nil != nil else { throw AccessError("42704", "role \"\(name)\" does not exist") }
            try createUser(name, options, replacing: true)
            return Self.done("ALTER ROLE")
        case let .dropUser(names, ifExists):
            for name in names {
                let dropped: Bool
                do { dropped = try lake.metastore.dropUser(named: name) } catch { throw AccessError("58030", error.message) }
                if !dropped && !ifExists { throw AccessError("42704", "role \"\(name)\" does not exist") }
                try forget(name)
            }
            bumpVersion()
            return Self.done("DROP ROLE")
        case let .createRole(name):
            guard state.roles[name] == nil, (try? lake.metastore.user(named: name)) ?? nil == nil else {
                throw AccessError("42710", "role \"\(name)\" already exists")
            }
            try commit { (s: inout AccessState) throws(AccessError) in s.roles[name] = Role(name: name) }
            return Self.done("CREATE ROLE")
        case let .dropRole(names, ifExists):
            for name in names {
                if state.roles[name] == nil {
                    if ifExists { continue }
                    throw AccessError("42704", "role \"\(name)\" does not exist")
                }
                try forget(name)
            }
            return Self.done("DROP ROLE")
        case let .grantRole(roles, members):
            try commit { (s: inout AccessState) throws(AccessError) in
                for r in roles {
                    guard s.roles[r] != nil else { throw AccessError("42704", "role \"\(r)\" does not exist") }
                    for m in members {
                        guard s.roles[m] != nil || ((try? lake.metastore.user(named: m)) ?? nil) != nil else {
                            throw AccessError("42704", "role \"\(m)\" does not exist")
                        }
                        if s.principals(of: r).contains(m) { throw AccessError("0LP01", "role \"\(r)\" is a member of role \"\(m)\"") }
                        let membership = RoleMembership(role: r, member: m)
                        s.memberships[membership.key] = membership
                    }
                }
            }
            return Self.done("GRANT ROLE")
        case let .revokeRole(roles, members):
            try commit { (s: inout AccessState) throws(AccessError) in
                for r in roles { for m in members { s.memberships[RoleMembership(role: r, member: m).key] = nil } }
            }
            return Self.done("REVOKE ROLE")
        case let .createDataFilter(name, table, columns, predicate):
            try createDataFilter(name, table, columns, predicate, replacing: false)
            return Self.done("CREATE DATA FILTER")
        case let .dropDataFilter(name, ifExists):
            guard state.filters[name] != nil else {
                if ifExists { return Self.done("DROP DATA FILTER") }
                throw AccessError("42704", "data filter \"\(name)\" does not exist")
            }
            try commit { (s: inout AccessState) throws(AccessError) in
                s.filters[name] = nil
                for (k, g) in s.grants where g.target == .dataFilter(name) { s.grants[k] = nil }
            }
            return Self.done("DROP DATA FILTER")
        case let .setMask(name, column, expression, principals):
            let t = try resolve(name)
            try checkColumns([column], of: t)
            let mask = ColumnMask(schema: t.schema, table: t.name, column: column, expression: expression.sql, principals: principals)
            try commit { (s: inout AccessState) throws(AccessError) in s.masks[mask.key] = mask }
            return Self.done("ALTER TABLE")
        case let .dropMask(name, column):
            let t = try resolve(name)
            try commit { (s: inout AccessState) throws(AccessError) in s.masks[t.schema + "." + t.name + "." + column] = nil }
            return Self.done("ALTER TABLE")
        case let .setTag(object, key, value):
            let tag = try tagAssignment(object, key: key, value: value)
            try commit { (s: inout AccessState) throws(AccessError) in s.tags[tag.storageKey] = tag }
            return Self.done(Self.tagTag(object))
        case let .unsetTag(object, key):
            let tag = try tagAssignment(object, key: key, value: "")
            try commit { (s: inout AccessState) throws(AccessError) in s.tags[tag.storageKey] = nil }
            return Self.done(Self.tagTag(object))
        case .grant, .revoke, .showGrants:
            fatalError("handled above")
        }
    }

    // MARK: users and roles

    func createUser(_ name: String, _ options: UserOptions, replacing: Bool) throws(AccessError) {
        let existing: StoredUser?
        do { existing = try lake.metastore.user(named: name) } catch { throw AccessError("58030", error.message) }
        if existing != nil && !replacing { throw AccessError("42710", "role \"\(name)\" already exists") }
        if state.roles[name] != nil { throw AccessError("42710", "role \"\(name)\" already exists") }
        // A user without a password cannot log in with SCRAM (an unmatchable verifier), as in PostgreSQL.
        let verifier = options.password.map(makeVerifier) ?? existing?.scramVerifier ?? ""
        let user = StoredUser(name: name, scramVerifier: verifier, isSuperuser: options.superuser ?? existing?.isSuperuser ?? false)
        do { try lake.metastore.saveUser(user) } catch { throw AccessError("58030", error.message) }
        if !options.attributes.isEmpty {
            try commit { (s: inout AccessState) throws(AccessError) in
                var a = s.attributes[name] ?? UserAttributes(user: name, values: [:])
                for attribute in options.attributes { a.values[attribute.key] = attribute.value }
                s.attributes[name] = a.values.isEmpty ? nil : a
            }
        }
        bumpVersion()
    }

    /// Drops a user's or role's memberships, attributes and grants (and what they granted).
    private func forget(_ name: String) throws(AccessError) {
        try commit { (s: inout AccessState) throws(AccessError) in
            s.roles[name] = nil
            s.attributes[name] = nil
            for (k, m) in s.memberships where m.role == name || m.member == name { s.memberships[k] = nil }
            for (k, g) in s.grants where g.principal == name { s.grants[k] = nil }
            Self.cascade(&s)
        }
    }

    // MARK: grants

    func grant(_ g: PrivilegeGrant, by principal: Principal) throws(AccessError) {
        let target = try grantTarget(g.object)
        var tableColumns: [String]?
        if case let .table(schema, name) = target, let t = try? lake.table(schema: schema, name: name) {
            try checkColumns((g.columns ?? []) + (g.excluding ?? []), of: t)
            tableColumns = t.fields.map(\.name)
        }
        for p in g.principals where p != "public" {
            guard state.roles[p] != nil || ((try? lake.metastore.user(named: p)) ?? nil) != nil else {
                throw AccessError("42704", "role \"\(p)\" does not exist")
            }
        }
        try commit { (s: inout AccessState) throws(AccessError) in
            for privilege in g.privileges {
                // The grantor's option must cover every column it hands on, not just the table.
                let wanted = tableColumns.map { all in
                    Grant(principal: "", privilege: privilege, target: target, columns: g.columns, excluded: g.excluding ?? [],
                          withGrantOption: false, grantor: "", bySuperuser: false).columns(of: all)
                }
                guard principal.isSuperuser
                    || Self.holdsGrantOption(s, user: principal.user, privilege: privilege, target: target, columns: wanted, of: tableColumns)
                else {
                    throw .denied("permission denied to grant \(privilege.rawValue) on \(target.description)")
                }
                for p in g.principals {
                    var new = Grant(principal: p, privilege: privilege, target: target, columns: g.columns, excluded: g.excluding ?? [],
                                    withGrantOption: g.withGrantOption, grantor: principal.user, bySuperuser: principal.isSuperuser)
                    if let old = s.grants[new.key] {
                        // Granting again adds to what was granted (column lists are united).
                        if let a = old.columns, let b = new.columns { new.columns = a + b.filter { !a.contains($0) } }
                        new.withGrantOption = new.withGrantOption || old.withGrantOption
                    }
                    s.grants[new.key] = new
                }
            }
        }
    }

    func revoke(_ g: PrivilegeGrant, by principal: Principal) throws(AccessError) {
        let target = try grantTarget(g.object)
        try commit { (s: inout AccessState) throws(AccessError) in
            for privilege in g.privileges {
                for p in g.principals {
                    let key = Grant(principal: p, privilege: privilege, target: target, columns: nil, excluded: [], withGrantOption: false,
                                    grantor: "", bySuperuser: false).key
                    guard var old = s.grants[key] else { continue }
                    guard principal.isSuperuser || old.grantor == principal.user else {
                        throw .denied("permission denied to revoke \(privilege.rawValue) on \(target.description) from \(p)")
                    }
                    if let columns = g.columns {
                        if let held = old.columns { old.columns = held.filter { !columns.contains($0) } } else {
                            old.excluded += columns.filter { !old.excluded.contains($0) }
                        }
                        s.grants[key] = old.columns?.isEmpty == true ? nil : old
                    } else {
                        s.grants[key] = nil
                    }
                }
            }
            Self.cascade(&s)
        }
    }

    /// Until nothing changes: removes every grant whose grantor no longer holds the grant
    /// option it was given through, and trims a table grant to the columns its grantor may
    /// still hand on (a grantor who lost the option on one column takes back only that column).
    static func cascade(_ s: inout AccessState) {
        var changed = true
        while changed {
            changed = false
            for (k, g) in s.grants where !g.bySuperuser {
                guard case .table = g.target else {
                    if !holdsGrantOption(s, user: g.grantor, privilege: g.privilege, target: g.target) {
                        s.grants[k] = nil
                        changed = true
                    }
                    continue
                }
                let given = ColumnSet(g)
                let kept = grantableColumns(s, user: g.grantor, privilege: g.privilege, target: g.target).map(given.intersection)
                guard let kept, !kept.isEmpty else {
                    s.grants[k] = nil
                    changed = true
                    continue
                }
                if kept != given {
                    s.grants[k] = kept.applied(to: g)
                    changed = true
                }
            }
        }
    }

    /// The columns of table `target` that `user` (or a role it has) may grant `privilege`
    /// on; nil when it holds no option on the table at all.
    static func grantableColumns(_ s: AccessState, user: String, privilege: Privilege, target: GrantTarget) -> ColumnSet? {
        let principals = s.principals(of: user)
        var grantable: ColumnSet?
        for g in s.grants.values where g.withGrantOption && g.privilege == privilege && principals.contains(g.principal) {
            let columns: ColumnSet
            if g.target == target {
                columns = ColumnSet(g)
            } else if case let .schema(schema) = g.target, case let .table(tableSchema, _) = target, schema == tableSchema {
                columns = .allExcept([])
            } else {
                continue
            }
            grantable = grantable.map { $0.union(columns) } ?? columns
        }
        return grantable
    }

    /// Whether `user` (or a role it has) holds `privilege` WITH GRANT OPTION on `target`. With
    /// `columns` (of a table whose columns are `all`), the options together must cover each of
    /// them; without (schemas, filters, tags, and the cascade), any option on the target does.
    static func holdsGrantOption(_ s: AccessState, user: String, privilege: Privilege, target: GrantTarget,
                                 columns wanted: Set<String>? = nil, of all: [String]? = nil) -> Bool {
        let principals = s.principals(of: user)
        let options = s.grants.values.filter { g in
            guard g.withGrantOption, g.privilege == privilege, principals.contains(g.principal) else { return false }
            if g.target == target { return true }
            if case let .schema(schema) = g.target, case let .table(s2, _) = target { return schema == s2 }
            return false
        }
        guard let wanted, let all else { return !options.isEmpty }
        var grantable = Set<String>()
        for g in options { grantable.formUnion(g.columns(of: all)) }
        return wanted.isSubset(of: grantable)
    }

    func grantTarget(_ object: GrantObject) throws(AccessError) -> GrantTarget {
        switch object {
        case let .table(name):
            let t = try resolve(name)
            return .table(schema: t.schema, name: t.name)
        case let .allTablesInSchema(schema):
            return .schema(schema)
        case let .dataFilter(name):
            guard state.filters[name] != nil else { throw AccessError("42704", "data filter \"\(name)\" does not exist") }
            return .dataFilter(name)
        case let .tag(e):
            try TagExpression.validate(e)
            return .tag(e.sql)
        }
    }

    // MARK: filters, masks, tags

    func createDataFilter(_ name: String, _ table: QualifiedName, _ columns: [String]?, _ predicate: Expression,
                          replacing: Bool) throws(AccessError) {
        if state.filters[name] != nil && !replacing { throw AccessError("42710", "data filter \"\(name)\" already exists") }
        let t = try resolve(table)
        try checkColumns(columns ?? [], of: t)
        let filter = DataFilter(name: name, schema: t.schema, table: t.name, columns: columns, predicate: predicate.sql)
        try commit { (s: inout AccessState) throws(AccessError) in s.filters[name] = filter }
    }

    private func tagAssignment(_ object: TaggedObject, key: String, value: String) throws(AccessError) -> TagAssignment {
        switch object {
        case let .schema(s):
            return TagAssignment(schema: s, table: nil, column: nil, key: key, value: value)
        case let .table(name):
            let t = try resolve(name)
            return TagAssignment(schema: t.schema, table: t.name, column: nil, key: key, value: value)
        case let .column(name, column):
            let t = try resolve(name)
            try checkColumns([column], of: t)
            return TagAssignment(schema: t.schema, table: t.name, column: column, key: key, value: value)
        }
    }

    func resolve(_ name: QualifiedName) throws(AccessError) -> TableDescriptor {
        let schema = name.parts.count >= 2 ? name.parts[name.parts.count - 2] : nil
        let found: TableDescriptor?
        do { found = try lake.table(schema: schema, name: name.name) } catch { throw AccessError("42P01", error.message) }
        guard let found else { throw AccessError("42P01", "relation \"\(SQLText.quoteName(name.parts))\" does not exist") }
        return found
    }

    private func checkColumns(_ columns: [String], of table: TableDescriptor) throws(AccessError) {
        for c in columns where !table.fields.contains(where: { $0.name == c }) {
            throw AccessError("42703", "column \"\(c)\" of relation \"\(table.name)\" does not exist")
        }
    }

    // MARK: helpers

    static func done(_ tag: String) -> QueryResult { QueryResult(fields: [], batches: [], commandTag: tag) }

    private static func tagTag(_ object: TaggedObject) -> String {
        if case .schema = object { return "ALTER SCHEMA" }
        return "ALTER TABLE"
    }

    private static func verb(_ statement: AccessStatement) -> String {
        statement.sql.split(separator: " ").prefix(2).joined(separator: " ")
    }
}
