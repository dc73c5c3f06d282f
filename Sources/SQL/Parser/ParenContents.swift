/// What a parenthesis in expression position turned out to hold. `(` may open a
/// subquery, a parenthesized expression or a row, and a subquery may itself be
/// an operand of a set operation (`((SELECT 1) UNION (SELECT 2))`) or of an
/// expression (`((SELECT 1) + 1)`); deciding needs no backtracking if the contents
/// of a nested parenthesis are parsed first and then continued (SQLParser+Primary.swift).
enum ParenContents {
    case query(Query)
    case expressions([Expression])
}
