/// A statement that cannot be lexed or parsed, reported the way PostgreSQL does:
/// `syntax error at or near "FROM"`, `syntax error at end of input`,
/// `unterminated quoted string at or near "'abc"`, with the 1-based character
/// position of the offending token (PostgreSQL's error position, used by clients
/// to draw the caret) and what the parser would have accepted there.
public struct SQLSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// 1-based character (not byte) position in the statement text.
    public var position: Int
    /// What would have been accepted at `position`: tokens as written (`")"`, `"BY"`)
    /// or descriptions (`"an expression"`). Empty when the error is not about a missing token.
    public var expected: [String]

    public init(message: String, position: Int, expected: [String] = []) {
        self.message = message
        self.position = position
        self.expected = expected
    }

    public var description: String {
        var text = "\(message) (position \(position))"
        if !expected.isEmpty { text += "; expected " + expected.joined(separator: " or ") }
        return text
    }
}
