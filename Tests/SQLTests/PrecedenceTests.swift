import SQL
import XCTest

/// PostgreSQL's operator precedence, lowest first: OR, AND, NOT, IS, comparison,
/// BETWEEN/IN/LIKE/SIMILAR, other operators, + -, * / %, ^, AT TIME ZONE, unary minus, ::.
final class PrecedenceTests: XCTestCase {
    let a = col("a"), b = col("b"), c = col("c")

    func testBooleanOperators() {
        assertExpression("a OR b AND c", bin(.or, a, bin(.and, b, c)))
        assertExpression("a AND b OR c", bin(.or, bin(.and, a, b), c))
        assertExpression("NOT a AND b", bin(.and, not(a), b))
        assertExpression("NOT a OR b", bin(.or, not(a), b))
        assertExpression("NOT NOT a", not(not(a)))
        assertExpression("NOT a = b", not(bin(.equal, a, b)))
        assertExpression("NOT a IS NULL", not(.isNull(a, negated: false)))
        assertExpression("a = NOT b", bin(.equal, a, not(b)))
        assertExpression("a OR b OR c", bin(.or, bin(.or, a, b), c))
    }

    func testIsBindsLooserThanComparison() {
        assertExpression("a = b IS NULL", .isNull(bin(.equal, a, b), negated: false))
        assertExpression("a IS NULL = b", bin(.equal, .isNull(a, negated: false), b))
        assertExpression("a IS NULL IS NOT NULL", .isNull(.isNull(a, negated: false), negated: true))
        assertExpression("a + 1 IS DISTINCT FROM b", .isDistinctFrom(bin(.add, a, int("1")), b, negated: false))
    }

    func testComparisonBindsLooserThanLike() {
        assertExpression("a = b LIKE c", bin(.equal, a, .like(b, pattern: c, escape: nil, caseInsensitive: false, negated: false)))
        assertExpression("a = b IN (1)", bin(.equal, a, .inList(b, [int("1")], negated: false)))
        assertExpression("a IN (1) = b", bin(.equal, .inList(a, [int("1")], negated: false), b))
        assertExpression("a < b BETWEEN 1 AND 2",
                         bin(.less, a, .between(b, low: int("1"), high: int("2"), negated: false, symmetric: false)))
    }

    func testLikeBindsLooserThanOtherOperators() {
        assertExpression("a LIKE b || c", .like(a, pattern: bin(.concat, b, c), escape: nil, caseInsensitive: false, negated: false))
        assertExpression("a BETWEEN b || c AND c || b",
                         .between(a, low: bin(.concat, b, c), high: bin(.concat, c, b), negated: false, symmetric: false))
    }

    func testOtherOperatorsBindLooserThanArithmetic() {
        assertExpression("a || b + c", bin(.concat, a, bin(.add, b, c)))
        assertExpression("a ~ b || c", bin(.concat, bin(.regexMatch, a, b), c))
        assertExpression("a + b ~ c", bin(.regexMatch, bin(.add, a, b), c))
    }

    func testArithmetic() {
        assertExpression("a + b * c", bin(.add, a, bin(.multiply, b, c)))
        assertExpression("a - b - c", bin(.subtract, bin(.subtract, a, b), c))
        assertExpression("a / b % c", bin(.modulo, bin(.divide, a, b), c))
        assertExpression("a * b ^ c", bin(.multiply, a, bin(.power, b, c)))
        assertExpression("2 ^ 3 ^ 2", bin(.power, bin(.power, int("2"), int("3")), int("2")))
        assertExpression("(a + b) * c", bin(.multiply, bin(.add, a, b), c))
    }

    func testUnaryMinusBindsTighterThanPowerButLooserThanCast() {
        assertExpression("-a ^ b", bin(.power, neg(a), b))
        assertExpression("-a::int", neg(.cast(a, TypeName("integer"))))
        assertExpression("- - a", neg(neg(a)))
        assertExpression("+a", .unary(.plus, a))
        assertExpression("a - -b", bin(.subtract, a, neg(b)))
    }

    func testAtTimeZoneBindsBetweenPowerAndUnaryMinus() {
        assertExpression("a AT TIME ZONE 'UTC' + b", bin(.add, call("timezone", str("UTC"), a), b))
        assertExpression("a ^ b AT TIME ZONE c", bin(.power, a, call("timezone", c, b)))
        assertExpression("a AT LOCAL", call("timezone", a))
    }

    func testCastBindsTightest() {
        assertExpression("a + b::text", bin(.add, a, .cast(b, TypeName("text"))))
        assertExpression("a::int::text", .cast(.cast(a, TypeName("integer")), TypeName("text")))
    }

    func testBetweenUpperBoundStopsAtAnd() {
        assertExpression("a BETWEEN 1 AND 2 AND c",
                         bin(.and, .between(a, low: int("1"), high: int("2"), negated: false, symmetric: false), c))
        assertExpression("a NOT BETWEEN SYMMETRIC b + 1 AND c * 2",
                         .between(a, low: bin(.add, b, int("1")), high: bin(.multiply, c, int("2")), negated: true, symmetric: true))
    }

    /// Comparison, IS and the LIKE family are non-associative, as in PostgreSQL.
    func testNonAssociativeOperators() {
        assertSyntaxError("SELECT a < b < c", message: "syntax error at or near \"<\"", position: 14)
        assertSyntaxError("SELECT a = b = c", message: "syntax error at or near \"=\"", position: 14)
        assertSyntaxError("SELECT a LIKE b LIKE c", message: "syntax error at or near \"LIKE\"", position: 17)
        assertSyntaxError("SELECT a BETWEEN 1 AND 2 BETWEEN 3 AND 4", message: "syntax error at or near \"BETWEEN\"", position: 26)
        assertSyntaxError("SELECT a IS DISTINCT FROM b IS NULL", message: "syntax error at or near \"IS\"", position: 29)
    }
}
