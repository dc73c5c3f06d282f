/// Type names back to SQL, in spellings the parser normalizes back to the same name.
extension TypeName {
    /// Names printed as they are: SQL keywords or plain identifiers that read back unchanged.
    private static let verbatim: Set<String> = [
        "integer", "bigint", "smallint", "real", "double precision", "numeric", "boolean", "varchar", "char", "bit",
        "timestamp", "time", "interval", "date", "text", "bytea", "json", "jsonb", "uuid", "varbit",
    ]

    /// In CAST, `::` and column definitions.
    var sql: String {
        var text = baseSQL
        if isArray { text += "[]" }
        return text
    }

    /// Before a string in a typed literal (`date '...'`); arrays cannot be written that way.
    var literalPrefix: String {
        // INTERVAL 'x' reads back as an interval literal; the schema-qualified name keeps a typed one.
        name == "interval" ? "pg_catalog." + baseSQL : baseSQL
    }

    private var modifierSQL: String {
        modifiers.isEmpty ? "" : "(" + modifiers.map(String.init).joined(separator: ",") + ")"
    }

    private var baseSQL: String {
        switch name {
        case "timestamptz", "timetz":
            // `timestamptz(3)` would read back as a function call.
            guard !modifiers.isEmpty else { return name }
            return (name == "timestamptz" ? "timestamp" : "time") + modifierSQL + " with time zone"
        case _ where TypeName.verbatim.contains(name) || name.hasPrefix("interval "):
            return name + modifierSQL
        default:
            let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            return FunctionPrinter.functionName(parts) + modifierSQL
        }
    }
}
