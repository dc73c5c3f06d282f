import SQL
import XCTest

/// The lexer through the public API: identifiers, constants, operators, comments.
final class LexerTests: XCTestCase {
    func testUnquotedIdentifiersFoldToLowerCaseAndQuotedOnesKeepCase() {
        assertExpression("FooBar", col("foobar"))
        assertExpression("\"FooBar\"", col("FooBar"))
        assertExpression("\"Quoted \"\"x\"\"\"", col("Quoted \"x\""))
        assertExpression("a$b_1", col("a$b_1"))
        // Only ASCII letters fold, as in PostgreSQL.
        assertExpression("CAFÉ", col("cafÉ"))
        assertExpression("U&\"d\\0061t\\+000061\"", col("data"))
    }

    func testNumbers() {
        assertExpression("1", int("1"))
        assertExpression("1.5", dec("1.5"))
        assertExpression(".5", dec(".5"))
        assertExpression("1.", dec("1."))
        assertExpression("1e10", dec("1e10"))
        assertExpression("1.5E-3", dec("1.5E-3"))
        assertExpression("9223372036854775808", int("9223372036854775808"))
        assertExpression("1_000_000", int("1000000"))
        assertExpression("0x1F", int("31"))
        assertExpression("0o17", int("15"))
        assertExpression("0b101", int("5"))
        assertExpression("0xFFFFFFFFFFFFFFFFFF", int("4722366482869645213695"))
    }

    func testStrings() {
        assertExpression("'it''s'", str("it's"))
        assertExpression("''", str(""))
        assertExpression("'back\\slash'", str("back\\slash"))
        assertExpression("E'a\\nb\\tc'", str("a\nb\tc"))
        assertExpression("e'\\x41\\101\\u00e9\\U0001F600'", str("AAé😀"))
        assertExpression("E'\\'q\\'' ", str("'q'"))
        assertExpression("E'\\uD83D\\uDE00'", str("😀"))
        assertExpression("E'\\q'", str("q"))
        assertExpression("$$it's$$", str("it's"))
        assertExpression("$tag$a $$ b$tag$", str("a $$ b"))
        assertExpression("$$$$", str(""))
        assertExpression("U&'d\\0061t\\+000061'", str("data"))
        // Constants separated by whitespace with a newline are one constant.
        assertExpression("'foo'\n  'bar' -- comment\n'baz'", str("foobarbaz"))
        assertExpression("'é' || 'ü'", bin(.concat, str("é"), str("ü")))
    }

    func testParameters() {
        assertExpression("$1", .parameter(1))
        assertExpression("$12 + $3", bin(.add, .parameter(12), .parameter(3)))
    }

    func testOperators() {
        assertExpression("a != b", bin(.notEqual, col("a"), col("b")))
        assertExpression("a <> b", bin(.notEqual, col("a"), col("b")))
        assertExpression("a<=b", bin(.lessOrEqual, col("a"), col("b")))
        assertExpression("a>=b", bin(.greaterOrEqual, col("a"), col("b")))
        assertExpression("a||b", bin(.concat, col("a"), col("b")))
        assertExpression("a ~ b", bin(.regexMatch, col("a"), col("b")))
        assertExpression("a ~* b", bin(.regexMatchInsensitive, col("a"), col("b")))
        assertExpression("a !~ b", bin(.regexNotMatch, col("a"), col("b")))
        assertExpression("a !~* b", bin(.regexNotMatchInsensitive, col("a"), col("b")))
        assertExpression("a ~~ b", .like(col("a"), pattern: col("b"), escape: nil, caseInsensitive: false, negated: false))
        assertExpression("a ~~* b", .like(col("a"), pattern: col("b"), escape: nil, caseInsensitive: true, negated: false))
        assertExpression("a !~~ b", .like(col("a"), pattern: col("b"), escape: nil, caseInsensitive: false, negated: true))
        assertExpression("a !~~* b", .like(col("a"), pattern: col("b"), escape: nil, caseInsensitive: true, negated: true))
        assertExpression("7 % 2", bin(.modulo, int("7"), int("2")))
        assertExpression("2 ^ 3", bin(.power, int("2"), int("3")))
        assertExpression("a::int", .cast(col("a"), TypeName("integer")))
    }

    /// A run of operator characters ending in + or - gives them back (PostgreSQL's rule).
    func testOperatorRunsGiveBackTrailingSigns() {
        assertExpression("a=-1", bin(.equal, col("a"), neg(int("1"))))
        assertExpression("a*-1", bin(.multiply, col("a"), neg(int("1"))))
        assertExpression("a<>-1", bin(.notEqual, col("a"), neg(int("1"))))
        assertExpression("1+--comment\n2", bin(.add, int("1"), int("2")))
        // `^-` keeps the sign (it contains ^), which no operator of ours is: PostgreSQL agrees.
        XCTAssertThrowsError(try Parser.parseExpression("2^-1"))
    }

    func testComments() {
        assertExpression("1 -- comment\n + 2", bin(.add, int("1"), int("2")))
        assertExpression("1 /* a /* nested */ still a comment */ + 2", bin(.add, int("1"), int("2")))
        assertExpression("1/**/+/**/2", bin(.add, int("1"), int("2")))
        assertExpression("a -- trailing comment", col("a"))
    }

    func testLexicalErrors() {
        assertSyntaxError("SELECT 'abc", message: "unterminated quoted string at or near \"'abc\"", position: 8, expected: [])
        assertSyntaxError("SELECT E'abc\\'", message: "unterminated quoted string at or near \"E'abc\\'\"", position: 8)
        assertSyntaxError("SELECT \"abc", message: "unterminated quoted identifier at or near \"\"abc\"", position: 8)
        assertSyntaxError("SELECT $$abc", message: "unterminated dollar-quoted string at or near \"$$abc\"", position: 8)
        assertSyntaxError("SELECT 1 /* a /* b */", message: "unterminated /* comment at or near \"/* a /* b */\"", position: 10)
        assertSyntaxError("SELECT \"\"", message: "zero-length delimited identifier at or near \"\"\"\"", position: 8)
        assertSyntaxError("SELECT 123abc", message: "trailing junk after numeric literal at or near \"123abc\"", position: 8)
        assertSyntaxError("SELECT 1e+", message: "trailing junk after numeric literal at or near \"1e+\"", position: 8)
        assertSyntaxError("SELECT $1x", message: "trailing junk after parameter at or near \"$1x\"", position: 8)
        assertSyntaxError("SELECT $99999999999", message: "parameter number too large at or near \"$99999999999\"", position: 8)
        assertSyntaxError("SELECT E'\\xff'", message: "invalid byte sequence for encoding \"UTF8\" at or near \"E'\\xff'\"", position: 8)
        assertSyntaxError("SELECT E'\\u12'", message: "invalid Unicode escape at or near \"\\u12\"", position: 10)
        assertSyntaxError("SELECT E'\\uD83D'", message: "invalid Unicode surrogate pair at or near \"\\uD83D\"", position: 10)
    }

    /// A grammar error before a lexical one wins, as PostgreSQL's on-demand lexer makes it.
    func testGrammarErrorBeforeLexicalError() {
        assertSyntaxError("SELECT FROM 'abc", message: "syntax error at or near \"FROM\"", position: 8)
    }

    /// Error positions count characters, not bytes.
    func testPositionsCountCharacters() {
        assertSyntaxError("SELECT 'é', FROM t", message: "syntax error at or near \"FROM\"", position: 13)
        assertSyntaxError("SELECT '😀' 'x'", message: "syntax error at or near \"'x'\"", position: 12)
    }
}
