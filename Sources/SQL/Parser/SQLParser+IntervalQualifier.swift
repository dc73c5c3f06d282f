/// INTERVAL's field qualifier (gram.y's opt_interval): YEAR, MONTH, DAY, HOUR, MINUTE,
/// SECOND[(p)], YEAR TO MONTH, DAY TO HOUR|MINUTE|SECOND[(p)], HOUR TO MINUTE|SECOND[(p)],
/// MINUTE TO SECOND[(p)]. Used by interval literals and by the interval type.
extension SQLParser {
    /// INTERVAL's field qualifier in lower case: "day", "year to month", "second(3)", "day to second(3)".
    mutating func parseIntervalQualifier() throws(SQLSyntaxError) -> String? {
        func fieldWithPrecision(_ parser: inout SQLParser, _ field: String) throws(SQLSyntaxError) -> String {
            guard field == "second", parser.isSymbol("(") else { return field }
            let modifiers = try parser.parseTypeModifiers()
            guard modifiers.count == 1 else { throw parser.syntaxError(expected: [")"]) }
            return "second(\(modifiers[0]))"
        }
        let targets: [String: [String]] = [
            "year": ["month"], "day": ["hour", "minute", "second"], "hour": ["minute", "second"], "minute": ["second"],
        ]
        for field in ["year", "month", "day", "hour", "minute", "second"] where isWord(field) {
            advance()
            if let allowed = targets[field], isWord("to") {
                advance()
                guard let target = allowed.first(where: { isWord($0) }) else {
                    throw syntaxError(expected: allowed.map { $0.uppercased() })
                }
                advance()
                return field + " to " + (try fieldWithPrecision(&self, target))
            }
            return try fieldWithPrecision(&self, field)
        }
        return nil
    }
}
