/// Statements back to SQL.
extension Statement {
    /// SQL that parses back to this statement.
    public var sql: String {
        switch self {
        case .query(let query):
            return query.sql
        case .explain(let statement, let analyze, let verbose):
            return "EXPLAIN " + (analyze ? "ANALYZE " : "") + (verbose ? "VERBOSE " : "") + statement.sql
        case .createTable(let table):
            return StatementPrinter.sql(table)
        case .dropTable(let names, let ifExists):
            return "DROP TABLE " + (ifExists ? "IF EXISTS " : "") + names.map { SQLText.quoteName($0.parts) }.joined(separator: ", ")
        case .createSchema(let name, let ifNotExists):
            return "CREATE SCHEMA " + (ifNotExists ? "IF NOT EXISTS " : "") + SQLText.quoteIdentifier(name)
        case .set(let name, let values):
            return "SET " + StatementPrinter.variable(name) + " TO " + values.joined(separator: ", ")
        case .reset(let name):
            return "RESET " + (name == "all" ? "ALL" : StatementPrinter.variable(name))
        case .show(let name):
            return "SHOW " + (name == "all" ? "ALL" : StatementPrinter.variable(name))
        case .transaction(let command):
            return command.rawValue.uppercased()
        case .savepoint(let action, let name):
            return action.rawValue + " " + SQLText.quoteIdentifier(name)
        case .copyTo(let copy):
            return StatementPrinter.sql(copy)
        case .declareCursor(let d):
            return "DECLARE " + SQLText.quoteIdentifier(d.name) + (d.binary ? " BINARY" : "") + " CURSOR "
                + (d.hold ? "WITH HOLD " : "") + "FOR " + d.query.sql
        case .fetchCursor(let f):
            return (f.move ? "MOVE " : "FETCH ") + (f.count.map { "FORWARD \($0)" } ?? "ALL") + " FROM " + SQLText.quoteIdentifier(f.name)
        case .closeCursor(let name):
            return "CLOSE " + (name.map(SQLText.quoteIdentifier) ?? "ALL")
        case .access(let statement):
            return statement.sql
        }
    }
}

enum StatementPrinter {
    static func sql(_ table: CreateTable) -> String {
        var text = "CREATE " + (table.external ? "EXTERNAL " : "") + "TABLE " + (table.ifNotExists ? "IF NOT EXISTS " : "")
            + SQLText.quoteName(table.name.parts)
        if !table.columns.isEmpty || (table.query == nil && table.options.isEmpty) {
            text += " (" + table.columns.map {
                SQLText.quoteIdentifier($0.name) + " " + $0.type.sql + ($0.notNull ? " NOT NULL" : "")
            }.joined(separator: ", ") + ")"
        }
        if !table.options.isEmpty {
            text += " WITH (" + table.options.map {
                $0.key.split(separator: ".", omittingEmptySubsequences: false).map { SQLText.quoteLabel(String($0)) }
                    .joined(separator: ".") + " = " + SQLText.quoteString($0.value)
            }.joined(separator: ", ") + ")"
        }
        if let query = table.query { text += " AS " + query.sql }
        return text
    }

    static func sql(_ copy: CopyTo) -> String {
        var text = "COPY "
        switch copy.source {
        case let .table(name, columns):
            text += SQLText.quoteName(name.parts)
            if !columns.isEmpty { text += " (" + columns.map(SQLText.quoteIdentifier).joined(separator: ", ") + ")" }
        case let .query(query):
            text += "(" + query.sql + ")"
        }
        var options = ["FORMAT " + copy.format.rawValue]
        if copy.header { options.append("HEADER") }
        if let d = copy.delimiter { options.append("DELIMITER " + SQLText.quoteString(d)) }
        if let n = copy.null { options.append("NULL " + SQLText.quoteString(n)) }
        if let q = copy.quote { options.append("QUOTE " + SQLText.quoteString(q)) }
        if let e = copy.escape { options.append("ESCAPE " + SQLText.quoteString(e)) }
        return text + " TO STDOUT WITH (" + options.joined(separator: ", ") + ")"
    }

    /// `name` or `a.b`, each part quoted as needed.
    static func variable(_ name: String) -> String {
        name.split(separator: ".", omittingEmptySubsequences: false).map { SQLText.quoteIdentifier(String($0)) }
            .joined(separator: ".")
    }
}
