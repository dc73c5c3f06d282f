import SQL

/// An LF-Tag expression (`sensitivity = 'public' AND domain IN ('sales', 'ops')`) tested
/// against an object's tags: names are tag keys, a missing tag matches nothing
/// (`key IS NULL` tests for absence). Only =, <>, IN, NOT IN, IS [NOT] NULL, AND, OR, NOT.
enum TagExpression {
    static func validate(_ e: Expression) throws(AccessError) {
        _ = try evaluate(e, [:])
    }

    static func matches(_ e: Expression, _ tags: [String: String]) -> Bool {
        (try? evaluate(e, tags)) ?? false
    }

    private static func evaluate(_ e: Expression, _ tags: [String: String]) throws(AccessError) -> Bool {
        switch e {
        case let .binary(.and, l, r), let .binary(.or, l, r):
            // Both sides evaluated, so a malformed right side is reported whatever the left gives.
            let left = try evaluate(l, tags)
            let right = try evaluate(r, tags)
            if case .binary(.and, _, _) = e { return left && right }
            return left || right
        case let .unary(.not, x): return !(try evaluate(x, tags))
        case let .binary(.equal, .column(k), .literal(.string(v))): return tags[k.name] == v
        case let .binary(.notEqual, .column(k), .literal(.string(v))): return tags[k.name].map { $0 != v } ?? false
        case let .inList(.column(k), values, negated):
            var strings: [String] = []
            for v in values {
                guard case let .literal(.string(s)) = v else { throw invalid(e) }
                strings.append(s)
            }
            guard let value = tags[k.name] else { return false }
            return strings.contains(value) != negated
        case let .isNull(.column(k), negated): return (tags[k.name] == nil) != negated
        default: throw invalid(e)
        }
    }

    private static func invalid(_ e: Expression) -> AccessError {
        AccessError("42601", "a tag expression compares tag keys with strings (=, <>, IN, IS NULL, AND, OR, NOT): \(e.sql)")
    }
}
