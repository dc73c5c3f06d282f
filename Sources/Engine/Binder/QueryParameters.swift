import Columnar
import SQL

/// A parameter's value as the extended query protocol delivers it: text, or
/// NULL. (The wire layer turns binary values into their text form first.)
public enum ParameterValue: Sendable, Hashable {
    case null
    case text(String)
}

/// The `$n` parameters of one statement while it is bound: their types
/// (declared by the client or inferred from where they appear, as PostgreSQL
/// does: `price > $1` makes `$1` the type of `price`) and, when executing,
/// their values. Describing binds them as typed NULLs; executing binds each as
/// a constant of its type, so the optimizer folds and prunes with it.
final class QueryParameters {
    /// nil: not known yet (untyped: an unknown-typed literal, text if nothing decides).
    private(set) var types: [DataType?]
    /// Wire types more precise than `types` says, by parameter number: `$1::oid[]` is an
    /// oid[] (1028), which asyncpg encodes without asking the catalog, not an int4[].
    var wireOIDs: [Int: Int32] = [:]
    let values: [ParameterValue]?

    init(types: [DataType?], values: [ParameterValue]? = nil) {
        self.types = types
        self.values = values
    }

    var count: Int { types.count }

    /// True when `$k`'s type is still open (while describing, also for one not seen yet).
    func isUnresolved(_ k: Int) -> Bool {
        guard k >= 1 else { return false }
        return k <= types.count ? types[k - 1] == nil : values == nil && k <= 65_535
    }

    /// Records `type` for `$k` unless it already has one.
    func infer(_ k: Int, _ type: DataType) {
        guard isUnresolved(k) else { return }
        if k > types.count { types += Array(repeating: nil, count: k - types.count) }
        switch type {
        case .structure, .map: return
        default: types[k - 1] = type
        }
    }

    /// `$k` as a bound expression. While describing, a parameter beyond the declared
    /// ones is added (untyped), as PostgreSQL infers the count from the text.
    func bound(_ k: Int) throws(EngineError) -> BoundExpression {
        if values == nil, k > types.count, k <= 65_535 { types += Array(repeating: nil, count: k - types.count) }
        guard k >= 1, k <= types.count else { throw EngineError("42P02", "there is no parameter $\(k)") }
        let type = types[k - 1]
        guard let values else { return .constant(.null, type ?? .string) }
        switch values[k - 1] {
        case .null:
            return .constant(.null, type ?? .string)
        case let .text(text):
            guard let type else { return .constant(.string(text), .string) }
            // An array parameter (`$1::oid[]`) is array text, as the engine holds arrays.
            if case .list = type { return .constant(.string(text), .string) }
            if case .decimal = type {
                // A numeric parameter keeps its own scale, as a numeric literal does.
                let trimmed = text.trimmingSpaces
                let literal: Literal = trimmed.contains(".") ? .decimal(trimmed) : .integer(trimmed)
                if trimmed.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }),
                   let value = try? ExpressionBinder.literal(literal.unsigned) {
                    return trimmed.hasPrefix("-") ? ExpressionBinder.fold(.negate(value)) : value
                }
            }
            return ExpressionBinder.fold(.cast(.constant(.string(text), .string), type))
        }
    }
}

private extension Literal {
    /// The literal without a leading sign (the parser's literals are unsigned).
    var unsigned: Literal {
        switch self {
        case let .integer(t): return .integer(t.hasPrefix("-") || t.hasPrefix("+") ? String(t.dropFirst()) : t)
        case let .decimal(t): return .decimal(t.hasPrefix("-") || t.hasPrefix("+") ? String(t.dropFirst()) : t)
        default: return self
        }
    }
}
