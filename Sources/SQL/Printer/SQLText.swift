/// Quoting for printed SQL (PostgreSQL's quote_identifier and quote_literal rules).
public enum SQLText {
    /// An identifier in a position where keywords need quotes: plain only when it is
    /// lower case `[a-z_][a-z0-9_$]*` and no keyword at all (so no context of the
    /// parser can read it as one).
    public static func quoteIdentifier(_ name: String) -> String {
        isPlain(name) && Keyword.lookup(name) == nil ? name : quoted(name)
    }

    /// A function name: unreserved and type/function-name keywords need no quotes
    /// (`left(s, 2)`, `replace(...)`); reserved and column-name keywords do.
    static func quoteFunctionName(_ name: String) -> String {
        guard isPlain(name) else { return quoted(name) }
        guard let keyword = Keyword.lookup(name) else { return name }
        return keyword.isFunctionName ? name : quoted(name)
    }

    /// A label after AS or a dot, where any keyword is allowed.
    static func quoteLabel(_ name: String) -> String {
        isPlain(name) ? name : quoted(name)
    }

    /// A dotted name, each part quoted as needed.
    public static func quoteName(_ parts: [String]) -> String {
        parts.map(quoteIdentifier).joined(separator: ".")
    }

    /// `'text'` with quotes doubled (standard-conforming: backslashes are literal).
    public static func quoteString(_ text: String) -> String {
        "'" + doubling("'", in: text) + "'"
    }

    private static func quoted(_ name: String) -> String {
        "\"" + doubling("\"", in: name) + "\""
    }

    /// Works on scalars, not Characters: a combining mark after a quote would otherwise hide it.
    private static func doubling(_ quote: Unicode.Scalar, in text: String) -> String {
        guard text.unicodeScalars.contains(quote) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            result.append(scalar)
            if scalar == quote { result.append(scalar) }
        }
        return String(result)
    }

    private static func isPlain(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || (first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z")) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
    }
}
