/// Permission statements (AST/AccessStatement.swift): users, roles, GRANT/REVOKE,
/// data filters, masks, tags, SHOW GRANTS.
extension SQLParser {
    /// Whether the statement starting here is a permission statement.
    func startsAccessStatement() -> Bool {
        guard current.kind == .identifier else { return false }
        switch current.text {
        case "grant", "revoke": return true
        case "create": return isWord("user", at: 1) || isWord("role", at: 1) || (isWord("data", at: 1) && isWord("filter", at: 2))
        case "drop": return isWord("user", at: 1) || isWord("role", at: 1) || (isWord("data", at: 1) && isWord("filter", at: 2))
        case "alter": return isWord("user", at: 1) || isWord("table", at: 1) || isWord("schema", at: 1)
        case "show": return isWord("grants", at: 1)
        default: return false
        }
    }

    mutating func parseAccessStatement() throws(SQLSyntaxError) -> AccessStatement {
        let verb = current.text
        advance()
        switch verb {
        case "grant": return try parseGrant()
        case "revoke": return try parseRevoke()
        case "create":
            if acceptWord("user") { return .createUser(name: try parseColId(expected: "a user name"), options: try parseUserOptions()) }
            if acceptWord("role") { return .createRole(name: try parseColId(expected: "a role name")) }
            try expectWord("data")
            try expectWord("filter")
            let name = try parseColId(expected: "a filter name")
            try expectWord("on")
            let table = try parseTableName()
            let columns = isSymbol("(") ? try parseParenthesizedNames() : nil
            try expectWord("where")
            return .createDataFilter(name: name, table: table, columns: columns, predicate: try parseExpression())
        case "drop":
            if acceptWord("user") {
                let ifExists = acceptIfExists()
                return .dropUser(names: try parseNameList(), ifExists: ifExists)
            }
            if acceptWord("role") {
                let ifExists = acceptIfExists()
                return .dropRole(names: try parseNameList(), ifExists: ifExists)
            }
            try expectWord("data")
            try expectWord("filter")
            let ifExists = acceptIfExists()
            return .dropDataFilter(name: try parseColId(expected: "a filter name"), ifExists: ifExists)
        case "alter": return try parseAlter()
        default:
            try expectWord("grants")
            var principal: String?
            var table: QualifiedName?
            if acceptWord("for") { principal = try parseColId(expected: "a user or role name") }
            if acceptWord("on") {
                _ = acceptWord("table")
                table = try parseTableName()
            }
            return .showGrants(principal: principal, table: table)
        }
    }

    private mutating func parseAlter() throws(SQLSyntaxError) -> AccessStatement {
        if acceptWord("user") {
            return .alterUser(name: try parseColId(expected: "a user name"), options: try parseUserOptions())
        }
        if acceptWord("schema") {
            return try parseTagAction(.schema(try parseColId(expected: "a schema name")))
        }
        try expectWord("table")
        let table = try parseTableName()
        guard acceptWord("alter") else { return try parseTagAction(.table(table)) }
        _ = acceptWord("column")
        let column = try parseColId(expected: "a column name")
        if isWord("set"), isWord("mask", at: 1) {
            advance()
            advance()
            let expression = try parseExpression()
            let principals = acceptWord("for") ? try parseNameList() : []
            return .setMask(table: table, column: column, expression: expression, principals: principals)
        }
        if isWord("drop"), isWord("mask", at: 1) {
            advance()
            advance()
            return .dropMask(table: table, column: column)
        }
        return try parseTagAction(.column(table, column))
    }

    /// `SET TAG key = 'value'` or `UNSET TAG key`.
    private mutating func parseTagAction(_ object: TaggedObject) throws(SQLSyntaxError) -> AccessStatement {
        if acceptWord("unset") {
            try expectWord("tag")
            return .unsetTag(object, key: try parseColLabel())
        }
        try expectWord("set")
        try expectWord("tag")
        let key = try parseColLabel()
        try expectSymbol("=")
        return .setTag(object, key: key, value: try parseStringValue())
    }

    /// `[WITH] {PASSWORD 'p' | SUPERUSER | NOSUPERUSER | ATTRIBUTES (k = 'v' | NULL, ...)}*`.
    private mutating func parseUserOptions() throws(SQLSyntaxError) -> UserOptions {
        var options = UserOptions()
        _ = acceptWord("with")
        while true {
            if acceptWord("password") {
                options.password = try parseStringValue()
            } else if acceptWord("superuser") {
                options.superuser = true
            } else if acceptWord("nosuperuser") {
                options.superuser = false
            } else if acceptWord("attributes") {
                try expectSymbol("(")
                repeat {
                    let key = try parseColLabel()
                    try expectSymbol("=")
                    options.attributes.append(UserAttribute(key, acceptWord("null") ? nil : try parseStringValue()))
                } while acceptSymbol(",")
                try expectSymbol(")")
            } else {
                return options
            }
        }
    }

    private mutating func parseGrant() throws(SQLSyntaxError) -> AccessStatement {
        guard isWord("select") || isWord("describe") else {
            let roles = try parseNameList()
            try expectWord("to")
            return .grantRole(roles: roles, to: try parseNameList())
        }
        var grant = try parsePrivilegeClause(preposition: "to")
        if isWord("with"), isWord("grant", at: 1) {
            advance()
            advance()
            try expectWord("option")
            grant.withGrantOption = true
        }
        return .grant(grant)
    }

    private mutating func parseRevoke() throws(SQLSyntaxError) -> AccessStatement {
        guard isWord("select") || isWord("describe") else {
            let roles = try parseNameList()
            try expectWord("from")
            return .revokeRole(roles: roles, from: try parseNameList())
        }
        let grant = try parsePrivilegeClause(preposition: "from")
        _ = acceptWord("cascade") || acceptWord("restrict")
        return .revoke(grant)
    }

    /// `privilege, ... [(columns)] ON object [EXCLUDING (columns)] TO|FROM principal, ...`.
    private mutating func parsePrivilegeClause(preposition: String) throws(SQLSyntaxError) -> PrivilegeGrant {
        var privileges: [Privilege] = []
        repeat {
            if acceptWord("select") { privileges.append(.select) } else {
                try expectWord("describe")
                privileges.append(.describe)
            }
        } while acceptSymbol(",")
        let columns = isSymbol("(") ? try parseParenthesizedNames() : nil
        try expectWord("on")
        let object: GrantObject
        if acceptWord("all") {
            try expectWord("tables")
            try expectWord("in")
            try expectWord("schema")
            object = .allTablesInSchema(try parseColId(expected: "a schema name"))
        } else if isWord("data"), isWord("filter", at: 1) {
            advance()
            advance()
            object = .dataFilter(try parseColId(expected: "a filter name"))
        } else if acceptWord("tag") {
            object = .tag(try parseExpression())
        } else {
            _ = acceptWord("table")
            object = .table(try parseTableName())
        }
        let excluding = acceptWord("excluding") ? try parseParenthesizedNames() : nil
        try expectWord(preposition)
        return PrivilegeGrant(privileges: privileges, columns: columns, excluding: excluding, object: object,
                              principals: try parseNameList())
    }

    private mutating func parseNameList() throws(SQLSyntaxError) -> [String] {
        var names = [try parseColId(expected: "a name")]
        while acceptSymbol(",") { names.append(try parseColId(expected: "a name")) }
        return names
    }

    private mutating func parseStringValue() throws(SQLSyntaxError) -> String {
        guard current.kind == .string else { throw syntaxError(expected: ["a string"]) }
        let text = current.text
        advance()
        return text
    }

    private mutating func acceptIfExists() -> Bool {
        guard isWord("if"), isWord("exists", at: 1) else { return false }
        advance()
        advance()
        return true
    }
}
