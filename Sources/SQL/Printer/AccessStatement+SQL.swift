/// Permission statements back to SQL (parses back to the same tree).
extension AccessStatement {
    public var sql: String {
        let names = { (list: [String]) in list.map(SQLText.quoteIdentifier).joined(separator: ", ") }
        let table = { (name: QualifiedName) in SQLText.quoteName(name.parts) }
        switch self {
        case let .createUser(name, options): return "CREATE USER " + SQLText.quoteIdentifier(name) + Self.sql(options)
        case let .alterUser(name, options): return "ALTER USER " + SQLText.quoteIdentifier(name) + Self.sql(options)
        case let .dropUser(list, ifExists): return "DROP USER " + (ifExists ? "IF EXISTS " : "") + names(list)
        case let .createRole(name): return "CREATE ROLE " + SQLText.quoteIdentifier(name)
        case let .dropRole(list, ifExists): return "DROP ROLE " + (ifExists ? "IF EXISTS " : "") + names(list)
        case let .grantRole(roles, to): return "GRANT " + names(roles) + " TO " + names(to)
        case let .revokeRole(roles, from): return "REVOKE " + names(roles) + " FROM " + names(from)
        case let .grant(g): return "GRANT " + Self.clause(g, preposition: "TO") + (g.withGrantOption ? " WITH GRANT OPTION" : "")
        case let .revoke(g): return "REVOKE " + Self.clause(g, preposition: "FROM")
        case let .createDataFilter(name, t, columns, predicate):
            return "CREATE DATA FILTER " + SQLText.quoteIdentifier(name) + " ON " + table(t)
                + (columns.map { " (" + names($0) + ")" } ?? "") + " WHERE " + predicate.sql
        case let .dropDataFilter(name, ifExists): return "DROP DATA FILTER " + (ifExists ? "IF EXISTS " : "") + SQLText.quoteIdentifier(name)
        case let .setMask(t, column, expression, principals):
            return "ALTER TABLE " + table(t) + " ALTER COLUMN " + SQLText.quoteIdentifier(column) + " SET MASK " + expression.sql
                + (principals.isEmpty ? "" : " FOR " + names(principals))
        case let .dropMask(t, column): return "ALTER TABLE " + table(t) + " ALTER COLUMN " + SQLText.quoteIdentifier(column) + " DROP MASK"
        case let .setTag(object, key, value): return Self.sql(object) + " SET TAG " + SQLText.quoteIdentifier(key) + " = " + SQLText.quoteString(value)
        case let .unsetTag(object, key): return Self.sql(object) + " UNSET TAG " + SQLText.quoteIdentifier(key)
        case let .showGrants(principal, t):
            return "SHOW GRANTS" + (principal.map { " FOR " + SQLText.quoteIdentifier($0) } ?? "") + (t.map { " ON TABLE " + table($0) } ?? "")
        }
    }

    private static func sql(_ options: UserOptions) -> String {
        var text = ""
        if let p = options.password { text += " PASSWORD " + SQLText.quoteString(p) }
        if let s = options.superuser { text += s ? " SUPERUSER" : " NOSUPERUSER" }
        if !options.attributes.isEmpty {
            text += " ATTRIBUTES (" + options.attributes.map {
                SQLText.quoteIdentifier($0.key) + " = " + ($0.value.map(SQLText.quoteString) ?? "NULL")
            }.joined(separator: ", ") + ")"
        }
        return text
    }

    private static func sql(_ object: TaggedObject) -> String {
        switch object {
        case let .schema(s): "ALTER SCHEMA " + SQLText.quoteIdentifier(s)
        case let .table(t): "ALTER TABLE " + SQLText.quoteName(t.parts)
        case let .column(t, c): "ALTER TABLE " + SQLText.quoteName(t.parts) + " ALTER COLUMN " + SQLText.quoteIdentifier(c)
        }
    }

    private static func clause(_ g: PrivilegeGrant, preposition: String) -> String {
        var text = g.privileges.map(\.rawValue).joined(separator: ", ")
        if let c = g.columns { text += " (" + c.map(SQLText.quoteIdentifier).joined(separator: ", ") + ")" }
        text += " ON "
        switch g.object {
        case let .table(t): text += "TABLE " + SQLText.quoteName(t.parts)
        case let .allTablesInSchema(s): text += "ALL TABLES IN SCHEMA " + SQLText.quoteIdentifier(s)
        case let .dataFilter(f): text += "DATA FILTER " + SQLText.quoteIdentifier(f)
        case let .tag(e): text += "TAG " + e.sql
        }
        if let x = g.excluding { text += " EXCLUDING (" + x.map(SQLText.quoteIdentifier).joined(separator: ", ") + ")" }
        return text + " " + preposition + " " + g.principals.map(SQLText.quoteIdentifier).joined(separator: ", ")
    }
}
