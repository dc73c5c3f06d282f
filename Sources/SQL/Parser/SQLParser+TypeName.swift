/// gram.y's Typename: SQL-standard type syntax (`double precision`, `character varying(n)`,
/// `timestamp(3) with time zone`, `interval day to second`), generic names with integer
/// modifiers, and array bounds (`int[]`, `int[3]`, `int ARRAY`), normalized as
/// TypeName's documentation says.
extension SQLParser {
    @inline(never)
    mutating func parseTypeName() throws(SQLSyntaxError) -> TypeName {
        var type = try parseSimpleTypeName()
        while acceptSymbol("[") {
            if current.kind == .integer { advance() }
            try expectSymbol("]")
            type.isArray = true
        }
        if acceptWord("array") {
            type.isArray = true
            if acceptSymbol("[") {
                guard current.kind == .integer else { throw syntaxError(expected: ["an integer"]) }
                advance()
                try expectSymbol("]")
            }
        }
        return type
    }

    private mutating func parseSimpleTypeName() throws(SQLSyntaxError) -> TypeName {
        let token = current
        guard isName(token) else { throw syntaxError(expected: ["a type name"]) }
        if token.kind == .identifier, token.keyword != nil, let type = try parseKeywordType() { return type }
        guard canNameFunction(token) else { throw syntaxError(expected: ["a type name"]) }
        let name = try parseDottedName(maxParts: 3)
        let modifiers = isSymbol("(") ? try parseTypeModifiers() : []
        return TypeName(TypeName.normalizedName(name.parts), modifiers: modifiers)
    }

    /// The SQL-standard spellings; nil when the keyword is not one of them.
    private mutating func parseKeywordType() throws(SQLSyntaxError) -> TypeName? {
        switch current.text {
        case "int", "integer":
            advance()
            return TypeName("integer")
        case "smallint", "bigint", "real", "boolean":
            let name = current.text
            advance()
            return TypeName(name)
        case "double" where isWord("precision", at: 1):
            advance()
            advance()
            return TypeName("double precision")
        case "float":
            advance()
            guard isSymbol("(") else { return TypeName("double precision") }
            let open = current
            let modifiers = try parseTypeModifiers()
            guard modifiers.count == 1 else { throw syntaxError(expected: [")"], at: open) }
            if modifiers[0] < 1 { throw error("precision for type float must be at least 1 bit", at: open) }
            if modifiers[0] > 53 { throw error("precision for type float must be less than 54 bits", at: open) }
            return TypeName(modifiers[0] <= 24 ? "real" : "double precision")
        case "decimal", "dec", "numeric":
            advance()
            return TypeName("numeric", modifiers: isSymbol("(") ? try parseTypeModifiers() : [])
        case "bit":
            advance()
            let name = acceptWord("varying") ? "varbit" : "bit"
            return TypeName(name, modifiers: isSymbol("(") ? try parseTypeModifiers() : [])
        case "character", "char", "varchar", "nchar", "national":
            return try parseCharacterType()
        case "timestamp", "time":
            let base = current.text
            advance()
            let modifiers = isSymbol("(") ? try parseTypeModifiers() : []
            var name = base
            if isWord("with"), isWord("time", at: 1), isWord("zone", at: 2) {
                for _ in 0..<3 { advance() }
                name = base == "timestamp" ? "timestamptz" : "timetz"
            } else if isWord("without"), isWord("time", at: 1), isWord("zone", at: 2) {
                for _ in 0..<3 { advance() }
            }
            return TypeName(name, modifiers: modifiers)
        case "interval":
            advance()
            if isSymbol("(") { return TypeName("interval", modifiers: try parseTypeModifiers()) }
            guard let qualifier = try parseIntervalQualifier() else { return TypeName("interval") }
            return TypeName("interval " + qualifier)
        default:
            return nil
        }
    }

    /// CHARACTER [VARYING], CHAR [VARYING], VARCHAR, NATIONAL CHAR[ACTER] [VARYING], NCHAR [VARYING].
    private mutating func parseCharacterType() throws(SQLSyntaxError) -> TypeName {
        var varying = false
        switch current.text {
        case "varchar":
            advance()
            varying = true
        case "national":
            advance()
            guard acceptWord("character") || acceptWord("char") else { throw syntaxError(expected: ["CHARACTER"]) }
            varying = acceptWord("varying")
        default:
            advance()
            varying = acceptWord("varying")
        }
        return TypeName(varying ? "varchar" : "char", modifiers: isSymbol("(") ? try parseTypeModifiers() : [])
    }

    /// `( n [, m] ... )`: integer type modifiers (a negative numeric scale is allowed).
    mutating func parseTypeModifiers() throws(SQLSyntaxError) -> [Int] {
        try expectSymbol("(")
        var modifiers: [Int] = []
        repeat {
            let negative = acceptSymbol("-")
            guard current.kind == .integer, let value = Int(current.text) else { throw syntaxError(expected: ["an integer"]) }
            modifiers.append(negative ? -value : value)
            advance()
        } while acceptSymbol(",")
        try expectSymbol(")")
        return modifiers
    }
}
