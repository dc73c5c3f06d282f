/// PostgreSQL's operator precedence (gram.y's `%left/%right/%nonassoc` list), lowest first.
/// Comparison, IS and the LIKE family are non-associative: `a < b < c` is an error.
enum Precedence: Int, Comparable {
    case or = 1
    case and
    /// Prefix NOT (right-associative).
    case not
    /// IS [NOT] NULL/TRUE/FALSE/UNKNOWN/DISTINCT FROM, ISNULL, NOTNULL.
    case `is`
    /// `< > = <= >= <>`
    case comparison
    /// BETWEEN, IN, LIKE, ILIKE, SIMILAR TO and their NOT forms.
    case like
    /// Every other operator: `||`, `~`, `~*`, `!~`, `!~*`, `~~` ...
    case other
    case additive
    case multiplicative
    /// `^`
    case exponent
    /// AT TIME ZONE
    case at
    /// `x COLLATE name`
    case collate
    /// Prefix `-` and `+`.
    case unary
    /// `::`
    case typecast

    static func < (a: Precedence, b: Precedence) -> Bool { a.rawValue < b.rawValue }

    /// The level just above: where the right operand of a left-associative operator starts.
    var next: Precedence { Precedence(rawValue: rawValue + 1) ?? .typecast }
}
