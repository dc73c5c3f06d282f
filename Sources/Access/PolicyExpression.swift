import SQL

/// A data filter's predicate or a mask's expression made concrete for one user:
/// `user_attribute('key')` becomes the user's value (NULL when unset), `has_role('r')`
/// TRUE or FALSE, `current_user` / `session_user` the user's name. Constants let the
/// planner prune partitions and row groups as for any literal.
struct PolicyExpression {
    var user: String
    var attributes: [String: String]
    var principals: Set<String>

    func resolve(_ sql: String) throws(AccessError) -> Expression {
        let parsed: Expression
        do { parsed = try Parser.parseExpression(sql) } catch { throw AccessError("42601", "policy expression: \(error.message)") }
        return rewrite(parsed)
    }

    private func substitute(_ call: FunctionCall) -> Expression? {
        let name = call.name.name.lowercased()
        switch name {
        case "current_user", "session_user", "user", "current_role":
            return call.arguments.isEmpty ? .literal(.string(user)) : nil
        case "user_attribute", "has_role":
            guard call.arguments.count == 1, case let .literal(.string(key)) = call.arguments[0] else { return nil }
            if name == "has_role" { return .literal(.boolean(principals.contains(key))) }
            return .literal(attributes[key].map { .string($0) } ?? .null)
        default:
            return nil
        }
    }

    /// Rewrites every function call it knows, bottom-up; subqueries are left as written.
    func rewrite(_ e: Expression) -> Expression {
        switch e {
        case .literal, .column, .parameter, .inQuery, .quantified, .exists, .subquery, .arraySubquery:
            return e
        case let .unary(op, x): return .unary(op, rewrite(x))
        case let .binary(op, l, r): return .binary(op, rewrite(l), rewrite(r))
        case let .isNull(x, n): return .isNull(rewrite(x), negated: n)
        case let .isBoolean(x, v, n): return .isBoolean(rewrite(x), value: v, negated: n)
        case let .isDistinctFrom(l, r, n): return .isDistinctFrom(rewrite(l), rewrite(r), negated: n)
        case let .between(x, lo, hi, n, s): return .between(rewrite(x), low: rewrite(lo), high: rewrite(hi), negated: n, symmetric: s)
        case let .inList(x, list, n): return .inList(rewrite(x), list.map(rewrite), negated: n)
        case let .like(x, p, esc, ci, n):
            return .like(rewrite(x), pattern: rewrite(p), escape: esc.map(rewrite), caseInsensitive: ci, negated: n)
        case let .cast(x, t): return .cast(rewrite(x), t)
        case let .caseWhen(operand, branches, otherwise):
            return .caseWhen(operand: operand.map(rewrite), branches: branches.map { WhenClause(rewrite($0.condition), rewrite($0.result)) },
                             otherwise: otherwise.map(rewrite))
        case let .function(call):
            if let replaced = substitute(call) { return replaced }
            var c = call
            c.arguments = call.arguments.map(rewrite)
            return .function(c)
        case let .row(items): return .row(items.map(rewrite))
        case let .collate(x, n): return .collate(rewrite(x), n)
        case let .array(items): return .array(items.map(rewrite))
        case let .element(x, i): return .element(rewrite(x), rewrite(i))
        case let .quantifiedArray(x, op, q, a): return .quantifiedArray(rewrite(x), op, q, rewrite(a))
        case let .field(x, name): return .field(rewrite(x), name)
        }
    }
}
