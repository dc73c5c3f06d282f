extension TypeName {
    /// PostgreSQL's synonyms, for names written as identifiers (`int4`, `float8`, `bool`,
    /// `pg_catalog.int8`); the keyword spellings are handled by the parser itself.
    static func normalizedName(_ parts: [String]) -> String {
        var parts = parts
        if parts.count == 2, parts[0] == "pg_catalog" { parts.removeFirst() }
        guard parts.count == 1 else { return parts.joined(separator: ".") }
        switch parts[0] {
        case "int", "int4", "integer": return "integer"
        case "int8", "bigint": return "bigint"
        case "int2", "smallint": return "smallint"
        case "float4", "real": return "real"
        case "float8", "float": return "double precision"
        case "decimal", "numeric": return "numeric"
        case "bool", "boolean": return "boolean"
        case "character": return "char"
        default: return parts[0]
        }
    }
}
