/// Expressions back to SQL with as few parentheses as PostgreSQL's precedence allows:
/// an operand is parenthesized only when its operator binds no tighter than the one
/// above it (or equally, where that one is left-associative and the operand is on its
/// left). Left-deep chains (`a + b + c`, `x::int::text`) therefore print flat and read
/// back without nesting. Forms the parser turns into calls (EXTRACT, POSITION,
/// COALESCE, CURRENT_DATE, SIMILAR TO ...) print in their SQL syntax, since
/// PostgreSQL has no plain function for most of them.
extension Expression {
    /// SQL that parses back to this expression.
    public var sql: String { ExpressionPrinter.sql(self) }
}

enum ExpressionPrinter {
    static func sql(_ expression: Expression) -> String {
        switch expression {
        case .literal(let literal):
            return sql(literal)
        case .column(let name):
            return SQLText.quoteName(name.parts)
        case .parameter(let number):
            return "$\(number)"
        case .unary(.not, let operand):
            // An EXISTS right after NOT would read back as NOT EXISTS.
            if case .exists = operand { return "NOT (" + sql(operand) + ")" }
            return "NOT " + self.operand(operand, wrapBelow: .not)
        case .unary(let op, let operand):
            // `-(-x)`: two minus signs in a row would start a comment.
            return op.rawValue + self.operand(operand, wrapAtOrBelow: .unary)
        case .binary(let op, let left, let right):
            let level = op.precedence
            let leftText = level == .comparison ? operand(left, wrapAtOrBelow: level) : operand(left, wrapBelow: level)
            return leftText + " " + op.rawValue + " " + operand(right, wrapAtOrBelow: level)
        case .isNull(let operand, let negated):
            return postfixOperand(operand) + (negated ? " IS NOT NULL" : " IS NULL")
        case .isBoolean(let operand, let value, let negated):
            let word = value.map { $0 ? "TRUE" : "FALSE" } ?? "UNKNOWN"
            return postfixOperand(operand) + (negated ? " IS NOT " : " IS ") + word
        case .isDistinctFrom(let left, let right, let negated):
            return postfixOperand(left) + (negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ")
                + operand(right, wrapAtOrBelow: .is)
        case .between(let operand, let low, let high, let negated, let symmetric):
            return self.operand(operand, wrapAtOrBelow: .like) + (negated ? " NOT BETWEEN " : " BETWEEN ")
                + (symmetric ? "SYMMETRIC " : "") + self.operand(low, wrapAtOrBelow: .like) + " AND "
                + self.operand(high, wrapAtOrBelow: .like)
        case .inList(let operand, let items, let negated):
            return self.operand(operand, wrapAtOrBelow: .like) + (negated ? " NOT IN (" : " IN (") + list(items) + ")"
        case .inQuery(let operand, let query, let negated):
            return self.operand(operand, wrapAtOrBelow: .like) + (negated ? " NOT IN (" : " IN (") + query.sql + ")"
        case .quantified(let operand, let op, let quantifier, let query):
            return self.operand(operand, wrapAtOrBelow: op.precedence) + " " + op.rawValue
                + (quantifier == .any ? " ANY (" : " ALL (") + query.sql + ")"
        case .exists(let query, let negated):
            return (negated ? "NOT EXISTS (" : "EXISTS (") + query.sql + ")"
        case .subquery(let query):
            return "(" + query.sql + ")"
        case .like(let operand, let pattern, let escape, let caseInsensitive, let negated):
            var text = self.operand(operand, wrapAtOrBelow: .like) + (negated ? " NOT" : "")
                + (caseInsensitive ? " ILIKE " : " LIKE ") + self.operand(pattern, wrapAtOrBelow: .like)
            if let escape { text += " ESCAPE " + self.operand(escape, wrapAtOrBelow: .like) }
            return text
        case .cast(let operand, let type):
            return self.operand(operand, wrapBelow: .typecast) + "::" + type.sql
        case .caseWhen(let operand, let branches, let otherwise):
            var text = "CASE"
            if let operand { text += " " + sql(operand) }
            for branch in branches {
                text += " WHEN " + sql(branch.condition) + " THEN " + sql(branch.result)
            }
            if let otherwise { text += " ELSE " + sql(otherwise) }
            return text + " END"
        case .function(let call):
            return FunctionPrinter.sql(call).text
        case .row(let items):
            return "ROW(" + list(items) + ")"
        case .collate(let operand, let name):
            return self.operand(operand, wrapBelow: .collate) + " COLLATE " + SQLText.quoteName(name.parts)
        case .array(let items):
            return "ARRAY[" + list(items) + "]"
        case .arraySubquery(let query):
            return "ARRAY(" + query.sql + ")"
        case .element(let array, let index):
            // Only a self-delimiting operand may take a subscript without parentheses.
            let base = precedence(of: array) == nil && !isBareLiteral(array) ? sql(array) : "(" + sql(array) + ")"
            return base + "[" + sql(index) + "]"
        case .quantifiedArray(let operand, let op, let quantifier, let array):
            return self.operand(operand, wrapAtOrBelow: op.precedence) + " " + op.rawValue
                + (quantifier == .any ? " ANY (" : " ALL (") + sql(array) + ")"
        case .field(let value, let name):
            return "(" + sql(value) + ")." + SQLText.quoteIdentifier(name)
        }
    }

    /// The precedence of the operator at the top of `expression`, nil for self-delimiting forms.
    static func precedence(of expression: Expression) -> Precedence? {
        switch expression {
        case .binary(let op, _, _): return op.precedence
        case .unary(.not, _): return .not
        case .unary: return .unary
        case .isNull, .isBoolean, .isDistinctFrom: return .is
        case .between, .inList, .inQuery, .like: return .like
        case .quantified(_, let op, _, _): return op.precedence
        case .exists(_, let negated): return negated ? .not : nil
        case .cast: return .typecast
        case .function(let call): return FunctionPrinter.sql(call).precedence
        case .collate: return .collate
        case .quantifiedArray(_, let op, _, _): return op.precedence
        case .literal, .column, .parameter, .subquery, .caseWhen, .row, .array, .arraySubquery, .element, .field: return nil
        }
    }

    /// A literal that a subscript would attach to the wrong token (`'{1}'[1]` is a typed literal's syntax error).
    private static func isBareLiteral(_ expression: Expression) -> Bool {
        if case .literal = expression { return true }
        return false
    }

    static func operand(_ expression: Expression, wrapBelow level: Precedence) -> String {
        guard let own = precedence(of: expression), own < level else { return sql(expression) }
        return "(" + sql(expression) + ")"
    }

    static func operand(_ expression: Expression, wrapAtOrBelow level: Precedence) -> String {
        guard let own = precedence(of: expression), own <= level else { return sql(expression) }
        return "(" + sql(expression) + ")"
    }

    /// Before IS: postfix IS forms chain (`x IS NULL IS NULL`); IS DISTINCT FROM does not.
    private static func postfixOperand(_ expression: Expression) -> String {
        if case .isDistinctFrom = expression { return "(" + sql(expression) + ")" }
        return operand(expression, wrapBelow: .is)
    }

    static func list(_ expressions: [Expression]) -> String {
        expressions.map(sql).joined(separator: ", ")
    }

    static func sql(_ literal: Literal) -> String {
        switch literal {
        case .null: return "NULL"
        case .boolean(let value): return value ? "TRUE" : "FALSE"
        case .integer(let digits): return digits
        case .decimal(let text): return text
        case .string(let text): return SQLText.quoteString(text)
        case .typed(let type, let text): return type.literalPrefix + " " + SQLText.quoteString(text)
        case .interval(let text, let qualifier):
            return "INTERVAL " + SQLText.quoteString(text) + (qualifier.map { " " + $0 } ?? "")
        }
    }
}

extension BinaryOperator {
    /// Where the parser places this operator (Precedence.swift).
    var precedence: Precedence {
        switch self {
        case .or: return .or
        case .and: return .and
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return .comparison
        case .concat, .regexMatch, .regexMatchInsensitive, .regexNotMatch, .regexNotMatchInsensitive,
             .bitAnd, .bitOr, .bitXor, .shiftLeft, .shiftRight: return .other
        case .add, .subtract: return .additive
        case .multiply, .divide, .modulo: return .multiplicative
        case .power: return .exponent
        }
    }
}
