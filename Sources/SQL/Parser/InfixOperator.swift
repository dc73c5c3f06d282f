/// An operator found after a complete operand, with what it takes.
struct InfixOperator {
    enum Kind {
        case binary(BinaryOperator)
        /// `~~`, `~~*`, `!~~`, `!~~*`.
        case likeSymbol(caseInsensitive: Bool, negated: Bool)
        case `is`
        case isNull(negated: Bool)
        case like(caseInsensitive: Bool, negated: Bool)
        case similar(negated: Bool)
        case between(negated: Bool)
        case `in`(negated: Bool)
        case atTimeZone
        case typecast
        /// `COLLATE name`.
        case collate
    }

    var kind: Kind
    var precedence: Precedence
    /// Tokens that make up the operator itself.
    var length: Int

    var isNonAssociative: Bool {
        switch precedence {
        case .is, .comparison, .like: return true
        default: return false
        }
    }
}
