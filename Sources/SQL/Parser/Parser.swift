/// The SQL module's entry points: PostgreSQL-dialect text to syntax trees.
///
///     let statements = try Parser.parse("SET search_path = lake; SELECT * FROM orders")
///
/// Errors are `SQLSyntaxError`s in PostgreSQL's words, with a 1-based character
/// position; no input crashes or hangs the parser (deep nesting is an error too).
public enum Parser {
    /// Every statement in `sql`, separated by semicolons; empty statements are skipped.
    public static func parse(_ sql: String) throws(SQLSyntaxError) -> [Statement] {
        var parser = SQLParser(sql)
        return try parser.parseStatements()
    }

    /// Exactly one statement, optionally followed by semicolons (the extended query
    /// protocol's rule: one statement per Parse message).
    public static func parseStatement(_ sql: String) throws(SQLSyntaxError) -> Statement {
        var parser = SQLParser(sql)
        while parser.acceptSymbol(";") {}
        if parser.atEnd { throw parser.syntaxError(expected: ["a statement"]) }
        let statement = try parser.parseStatement()
        if parser.atEnd { return statement }
        guard parser.acceptSymbol(";") else { throw parser.syntaxError(expected: [";", "end of input"]) }
        while parser.acceptSymbol(";") {}
        if parser.atEnd { return statement }
        // Report a syntax error in what follows first, as PostgreSQL parses the whole string.
        let second = parser.current
        _ = try parser.parseStatements()
        throw parser.error("cannot insert multiple commands into a prepared statement", at: second)
    }

    /// One scalar expression (defaults, check constraints, tests).
    public static func parseExpression(_ sql: String) throws(SQLSyntaxError) -> Expression {
        var parser = SQLParser(sql)
        let expression = try parser.parseExpression()
        guard parser.atEnd else { throw parser.syntaxError(expected: ["end of input"]) }
        return expression
    }
}
