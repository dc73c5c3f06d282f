/// CREATE [EXTERNAL] TABLE, DROP TABLE and CREATE SCHEMA.
extension SQLParser {
    mutating func parseCreate() throws(SQLSyntaxError) -> Statement {
        advance()
        let external = acceptWord("external")
        if acceptWord("table") { return .createTable(try parseCreateTable(external: external)) }
        if !external, acceptWord("schema") {
            let ifNotExists = acceptIfNotExists()
            return .createSchema(name: try parseColId(expected: "a schema name"), ifNotExists: ifNotExists)
        }
        throw syntaxError(expected: external ? ["TABLE"] : ["TABLE", "SCHEMA"])
    }

    /// `name [(column type [NOT NULL | NULL], ...)] [WITH (key = value, ...)] [AS query]`.
    private mutating func parseCreateTable(external: Bool) throws(SQLSyntaxError) -> CreateTable {
        let ifNotExists = acceptIfNotExists()
        var table = CreateTable(name: try parseTableName(), ifNotExists: ifNotExists, external: external)
        var hasColumnList = false
        if acceptSymbol("(") {
            hasColumnList = true
            if !acceptSymbol(")") {
                repeat {
                    table.columns.append(try parseColumnDefinition())
                } while acceptSymbol(",")
                try expectSymbol(")")
            }
        }
        if acceptWord("with") {
            try expectSymbol("(")
            repeat {
                table.options.append(try parseTableOption())
            } while acceptSymbol(",")
            try expectSymbol(")")
        }
        if isWord("as") {
            if hasColumnList { throw error("CREATE TABLE ... AS cannot have column definitions") }
            advance()
            table.query = try parseQuery()
        }
        return table
    }

    private mutating func parseColumnDefinition() throws(SQLSyntaxError) -> ColumnDefinition {
        let name = try parseColId(expected: "a column name")
        var column = ColumnDefinition(name: name, type: try parseTypeName())
        while true {
            if isWord("not"), isWord("null", at: 1) {
                advance()
                advance()
                column.notNull = true
            } else if acceptWord("null") {
                column.notNull = false
            } else {
                return column
            }
        }
    }

    /// `key [= value]`: keys lower case (dotted keys joined), values as text, strings unquoted.
    private mutating func parseTableOption() throws(SQLSyntaxError) -> (key: String, value: String) {
        var key = try parseColLabel()
        while acceptSymbol(".") { key += "." + (try parseColLabel()) }
        guard acceptSymbol("=") else { return (key.lowercased(), "true") }
        let token = current
        switch token.kind {
        case .string, .integer, .decimal:
            advance()
            return (key.lowercased(), token.text)
        case .identifier, .quotedIdentifier:
            advance()
            return (key.lowercased(), token.text)
        case .symbol where (token.text == "-" || token.text == "+")
            && (self.token(at: 1).kind == .integer || self.token(at: 1).kind == .decimal):
            advance()
            let number = current.text
            advance()
            return (key.lowercased(), token.text == "-" ? "-" + number : number)
        default:
            throw syntaxError(expected: ["a value"])
        }
    }

    /// `DROP TABLE [IF EXISTS] name, ...`.
    mutating func parseDropTable() throws(SQLSyntaxError) -> Statement {
        advance()
        try expectWord("table")
        var ifExists = false
        if isWord("if"), isWord("exists", at: 1) {
            advance()
            advance()
            ifExists = true
        }
        var names: [QualifiedName] = []
        repeat {
            names.append(try parseTableName())
        } while acceptSymbol(",")
        return .dropTable(names: names, ifExists: ifExists)
    }

    private mutating func acceptIfNotExists() -> Bool {
        guard isWord("if"), isWord("not", at: 1), isWord("exists", at: 2) else { return false }
        for _ in 0..<3 { advance() }
        return true
    }
}
