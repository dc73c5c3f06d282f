/// Constants written as `type 'text'` (gram.y's AexprConst): the standard type keywords
/// (`TIMESTAMP WITH TIME ZONE '...'`) and INTERVAL with its qualifier. Generic names
/// (`date '...'`, `bpchar(3) '...'`) are handled where names are (SQLParser+Primary.swift).
extension SQLParser {
    /// Keywords that begin a type in gram.y's ConstTypename, so `integer '1'` is a typed literal.
    static let constantTypeWords: Set<String> = [
        "int", "integer", "smallint", "bigint", "real", "float", "double", "decimal", "dec", "numeric", "boolean",
        "bit", "char", "character", "varchar", "national", "nchar", "timestamp", "time",
    ]

    /// `INTERVAL 'text' [qualifier]`; nil when INTERVAL is a column name here.
    mutating func parseIntervalLiteral() throws(SQLSyntaxError) -> Expression? {
        guard token(at: 1).kind == .string else { return nil }
        advance()
        let text = current.text
        advance()
        return .literal(.interval(text, qualifier: try parseIntervalQualifier()))
    }

    /// `type 'text'` for the standard type keywords (`TIMESTAMP WITH TIME ZONE '...'`);
    /// nil, with the cursor restored, when no string follows (`SELECT time FROM t`).
    @inline(never)
    mutating func parseConstantTypedLiteral() throws(SQLSyntaxError) -> Expression? {
        let start = index
        let saved = (depth, peak)
        do {
            let type = try parseTypeName()
            if current.kind == .string, !type.isArray {
                let text = current.text
                advance()
                return .literal(.typed(type, text))
            }
        } catch {
            // Not a type after all: fall back to reading the keyword as a name.
        }
        index = start
        (depth, peak) = saved
        return nil
    }
}
