import Columnar
import SQL

/// Binds one expression against a scope: names to column indices, literals to
/// typed constants, operators and functions to typed nodes with implicit casts.
struct ExpressionBinder {
    let binder: Binder
    var scope: Scope
    /// Set while binding SELECT/HAVING/ORDER BY of an aggregating query.
    var aggregates: AggregateCollector?
    /// Lets correlated scalar subqueries join into the plan being built (WHERE clauses).
    var planBuilder: PlanBuilder?
    /// Set while binding the select list and ORDER BY (where window functions may appear).
    var windows: WindowCollector?
    /// The clause being bound, for "not allowed in WHERE" messages.
    var clause = "this context"

    init(binder: Binder, scope: Scope, aggregates: AggregateCollector? = nil, planBuilder: PlanBuilder? = nil,
         windows: WindowCollector? = nil) {
        self.binder = binder
        self.scope = scope
        self.aggregates = aggregates
        self.planBuilder = planBuilder
        self.windows = windows
    }

    /// A condition (WHERE, ON, HAVING): must be boolean (or an untyped NULL).
    func bindPredicate(_ e: Expression) throws(EngineError) -> BoundExpression {
        let b = try bind(e)
        guard b.type == .boolean || isNull(b) else {
            throw .datatypeMismatch("argument of WHERE must be type boolean, not type \(SQLTypes.name(b.type))")
        }
        return isNull(b) ? .constant(.null, .boolean) : b
    }

    func bind(_ e: Expression) throws(EngineError) -> BoundExpression {
        Self.fold(try bindUnfolded(e))
    }

    private func bindUnfolded(_ e: Expression) throws(EngineError) -> BoundExpression {
        switch e {
        case let .literal(l):
            return try Self.literal(l)
        case let .column(name):
            return try column(name)
        case .parameter(let k):
            guard let parameters = binder.parameters else { throw EngineError("42P02", "there is no parameter $\(k)") }
            return try parameters.bound(k)
        case let .unary(op, x):
            let b = try bind(x)
            switch op {
            case .plus: return b
            case .minus:
                // -9223372036854775808 is a bigint, although 9223372036854775808 alone is not.
                if case let .literal(.integer(text)) = x, let v = Int64("-" + text) {
                    return .constant(.int(v), Int32(exactly: v) != nil ? .int32 : .int64)
                }
                if case let .constant(v, t) = b {
                    switch v {
                    case let .int(i): return .constant(.int(-i), t)
                    case let .double(d): return .constant(.double(-d), t)
                    case let .decimal(d): return .constant(.decimal(-d), t)
                    default: break
                    }
                }
                if b.type == .interval { return Self.fold(.function(.intervalNegate, [b], .interval)) }
                guard SQLTypes.isNumeric(b.type) else {
                    throw .undefinedFunction("operator does not exist: - \(SQLTypes.name(b.type))")
                }
                return .negate(b)
            case .not:
                return .not(try Self.coerceBoolean(b, "NOT"))
            }
        case let .binary(op, .row(a), .row(b)) where a.count > 1 && a.count == b.count && ComparisonOperator(op) != nil:
            return try bind(Self.rowComparison(op, a, b))
        case let .binary(op, a, b):
            return try binary(op, a, b)
        case let .isNull(.row(items), negated) where items.count > 1:
            // A row IS NULL when every field is; IS NOT NULL when none is.
            return .and(try items.map { (item) throws(EngineError) in .isNull(try bind(item), negated: negated) })
        case let .isNull(x, negated):
            return .isNull(try bind(x), negated: negated)
        case let .isBoolean(x, value, negated):
            let b = try Self.coerceBoolean(try bind(x), "IS")
            guard let value else { return .isNull(b, negated: negated) }
            // x IS TRUE: true only for true (never NULL).
            return .isDistinct(b, .constant(.boolean(value), .boolean), negated: !negated)
        case let .isDistinctFrom(a, b, negated):
            let (x, y) = try Self.unify(try bind(a), try bind(b), "IS DISTINCT FROM")
            return .isDistinct(x, y, negated: negated)
        case let .between(x, low, high, negated, symmetric):
            let v = try bind(x)
            for bound in [low, high] { if let k = unresolvedParameter(bound) { binder.parameters?.infer(k, v.type) } }
            let lo = try bind(low), hi = try bind(high)
            var result: BoundExpression = .and([
                try Self.comparison(.greaterOrEqual, v, lo),
                try Self.comparison(.lessOrEqual, v, hi),
            ])
            if symmetric {
                result = .or([result, .and([try Self.comparison(.greaterOrEqual, v, hi), try Self.comparison(.lessOrEqual, v, lo)])])
            }
            return negated ? .not(result) : result
        case let .inList(x, items, negated):
            let v = try bind(x)
            for item in items { if let k = unresolvedParameter(item) { binder.parameters?.infer(k, v.type) } }
            var bound: [BoundExpression] = []
            for item in items { bound.append(try bind(item)) }
            var type = v.type
            for b in bound where !isNull(b) {
                guard let t = SQLTypes.commonType(type, b.type) ?? (b.type == .string && b.isConstant ? type : nil) else {
                    throw .undefinedFunction("operator does not exist: \(SQLTypes.name(type)) = \(SQLTypes.name(b.type))")
                }
                type = t
            }
            let castItems = bound.map { Self.fold(Self.coerce($0, to: type)) }
            if castItems.allSatisfy(\.isConstant) {
                let values = castItems.map { if case let .constant(val, _) = $0 { val } else { Value.null } }
                return .inList(Self.coerce(v, to: type), values, negated: negated)
            }
            var terms: [BoundExpression] = []
            for item in castItems { terms.append(.compare(.equal, Self.coerce(v, to: type), item)) }
            let any = terms.count == 1 ? terms[0] : .or(terms)
            return negated ? .not(any) : any
        case let .like(x, pattern, escape, caseInsensitive, negated):
            let v = try bind(x)
            guard v.type == .string || isNull(v) else {
                throw .undefinedFunction("operator does not exist: \(SQLTypes.name(v.type)) ~~ unknown")
            }
            var boundPattern = try bind(pattern)
            if case let .cast(inner, .string) = boundPattern, inner.isConstant { boundPattern = inner }
            guard case let .constant(.string(p), _) = boundPattern else {
                guard boundPattern.type == .string || isNull(boundPattern) else {
                    throw .undefinedFunction("operator does not exist: text ~~ \(SQLTypes.name(boundPattern.type))")
                }
                let escapeExpr = try escape.map { (e) throws(EngineError) in try bind(e) } ?? .constant(.string("\\"), .string)
                return .function(.likeMatch(caseInsensitive: caseInsensitive, negated: negated), [v, boundPattern, escapeExpr], .boolean)
            }
            var escapeChar: Character? = "\\"
            if let escape {
                guard case let .constant(.string(s), _) = try bind(escape), s.count <= 1 else {
                    throw EngineError("22019", "invalid escape string")
                }
                escapeChar = s.first
            }
            return .like(v, try LikePattern(p, escape: escapeChar, caseInsensitive: caseInsensitive), negated: negated)
        case let .cast(x, typeName):
            if let catalogCast = try catalogCast(x, typeName) { return catalogCast }
            var target = try SQLTypes.dataType(typeName)
            if let k = unresolvedParameter(x) { binder.parameters?.infer(k, target) }  // $1::int: $1 is an integer
            let b = try bind(x)
            if typeName.name == "numeric", typeName.modifiers.isEmpty, let scale = Self.unconstrainedNumericScale(of: b) {
                target = .decimal(precision: SQLTypes.maxPrecision, scale: scale)
            }
            if case let .constant(v, _) = b, v.isNull { return .constant(.null, target) }
            // An explicit varchar(n)/char(n) cast cuts longer text to n characters.
            if ["varchar", "char", "bpchar"].contains(typeName.name), let n = typeName.modifiers.first {
                return Self.fold(.function(.truncateText(n), [Self.fold(.cast(b, target))], .string))
            }
            // 'x'::text stays a cast: it is typed text, not an untyped literal that adopts a type.
            if target == .string, b.type == .string, b.isConstant { return .cast(b, .string) }
            return Self.fold(.cast(b, target))
        case let .caseWhen(operand, branches, otherwise):
            return try caseWhen(operand, branches, otherwise)
        case let .function(call):
            return try function(call)
        case let .subquery(query):
            return try scalarSubquery(query)
        case let .exists(query, negated):
            let outer = OuterScope(scope)
            let bound = try binder.bindQuery(query, outer: outer)
            guard outer.references.isEmpty else {
                return try correlatedFallback(query, kind: .exists(negated: negated), tested: nil)
            }
            return .exists(SubqueryBox(plan: .limit(bound.plan, limit: 1, offset: 0)), negated: negated)
        case let .inQuery(x, query, negated):
            let value = try bind(x)
            let outer = OuterScope(scope)
            let bound = try binder.bindQuery(query, outer: outer)
            guard outer.references.isEmpty else {
                return try correlatedFallback(query, kind: .membership(negated: negated), tested: value)
            }
            guard bound.plan.fields.count == 1 else { throw EngineError("42601", "subquery has too many columns") }
            let (l, r) = try Self.unify(value, .column(0, bound.plan.fields[0].type), "=")
            var plan = bound.plan
            if r != .column(0, bound.plan.fields[0].type) { plan = .project(plan, [r], [Field("value", r.type)]) }
            return .inSubquery(l, SubqueryBox(plan: plan), negated: negated)
        case let .quantified(x, .equal, .any, query):
            // = ANY (subquery) is IN (subquery).
            return try bind(.inQuery(x, query, negated: false))
        case let .quantified(x, op, quantifier, query):
            guard let comparison = ComparisonOperator(op) else {
                throw .featureNotSupported("\(op.rawValue) \(quantifier.rawValue.uppercased()) (subquery)")
            }
            return try correlatedFallback(query, kind: .quantified(comparison, all: quantifier == .all), tested: try bind(x))
        case let .row(items):
            if items.count == 1 { return try bind(items[0]) }
            // An anonymous record: fields f1, f2, ... as PostgreSQL names them.
            var bound: [BoundExpression] = []
            for item in items { bound.append(try bind(item)) }
            let fields = bound.enumerated().map { Field("f\($0.offset + 1)", $0.element.type) }
            return .function(.makeRecord, bound, .structure(fields))
        case let .field(x, name):
            let record = try bind(x)
            guard case let .structure(fields) = record.type else {
                throw EngineError("42809", "column notation .\(name) applied to type \(SQLTypes.name(record.type)), which is not a composite type")
            }
            guard let k = fields.firstIndex(where: { $0.name == name }) else {
                throw .undefinedColumn("could not identify column \"\(name)\" in record data type")
            }
            return .function(.recordField(k), [record], fields[k].type)
        case let .collate(x, _):
            // Text compares by code point under every collation Basalt has ("C", "POSIX", default).
            return try bind(x)
        case let .array(items):
            return try arrayConstructor(items)
        case let .arraySubquery(query):
            return try arraySubquery(query)
        case let .element(array, index):
            return try arrayElement(array, index)
        case let .quantifiedArray(x, op, quantifier, array):
            return try quantifiedArray(x, op, quantifier, array)
        }
    }

    /// The scale `x::numeric` shows, where every value of `x` has the same one: PostgreSQL
    /// keeps each numeric value's own display scale, and a column here has one scale, so
    /// integers become scale 0, numerics keep theirs, and a literal keeps its digits
    /// (`'3.14'::numeric` is 3.14). Nil (the default scale) for doubles and text columns.
    static func unconstrainedNumericScale(of x: BoundExpression) -> Int? {
        if SQLTypes.isInteger(x.type) { return 0 }
        if case let .decimal(_, scale) = x.type { return scale }
        guard case let .constant(.string(text), _) = x else { return nil }
        let t = text.trimmingSpaces
        guard !t.contains(where: { $0 == "e" || $0 == "E" }), t.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.".contains($0)) }) else {
            return nil
        }
        guard let dot = t.firstIndex(of: ".") else { return 0 }
        let digits = t.distance(from: dot, to: t.endIndex) - 1
        let integerDigits = t[..<dot].filter(\.isNumber).count
        return digits + integerDigits <= SQLTypes.maxPrecision ? digits : nil
    }

    // MARK: names

    private func column(_ name: QualifiedName) throws(EngineError) -> BoundExpression {
        let position = name.position >= 0 ? name.position + 1 : nil
        switch scope.lookup(name) {
        case let .found(i, t):
            return .column(i, t)
        case .ambiguous:
            throw .ambiguousColumn("column reference \"\(name)\" is ambiguous", position: position)
        case .missing:
            if let outer = scope.outer, case let .found(i, t) = outer.scope.lookup(name) {
                if !outer.references.contains(i) { outer.references.append(i) }
                return .outerColumn(i, t)
            }
            if name.parts.count >= 2, !scope.entries.contains(where: { $0.table == name.parts[name.parts.count - 2] }) {
                throw .undefinedTable("missing FROM-clause entry for table \"\(name.parts[name.parts.count - 2])\"", position: position)
            }
            let hint = scope.suggestion(for: name.name).map { "Perhaps you meant to reference the column \"\($0)\"." }
            // PostgreSQL quotes a bare column name but not a qualified one.
            let shown = name.parts.count >= 2 ? name.description : "\"\(name)\""
            throw .undefinedColumn("column \(shown) does not exist", position: position, hint: hint)
        }
    }

    // MARK: operators

    private func binary(_ op: BinaryOperator, _ a: Expression, _ b: Expression) throws(EngineError) -> BoundExpression {
        var x: BoundExpression, y: BoundExpression
        // An untyped parameter takes the type of the other operand (`price > $1`).
        if let k = unresolvedParameter(a), unresolvedParameter(b) == nil {
            y = try bind(b)
            binder.parameters?.infer(k, Self.parameterType(op, other: y.type))
            x = try bind(a)
        } else if let k = unresolvedParameter(b) {
            x = try bind(a)
            binder.parameters?.infer(k, Self.parameterType(op, other: x.type))
            y = try bind(b)
        } else {
            x = try bind(a)
            y = try bind(b)
        }
        // An untyped literal beside an interval is a timestamp ('2024-01-01' + INTERVAL '1 day').
        if y.type == .interval, x.type == .string, x.isConstant { x = Self.fold(.cast(x, .timestamp(.microsecond, utc: false))) }
        if x.type == .interval, y.type == .string, y.isConstant { y = Self.fold(.cast(y, .timestamp(.microsecond, utc: false))) }
        switch op {
        case .and: return .and([try Self.coerceBoolean(x, "AND"), try Self.coerceBoolean(y, "AND")])
        case .or: return .or([try Self.coerceBoolean(x, "OR"), try Self.coerceBoolean(y, "OR")])
        case .equal: return try Self.comparison(.equal, x, y)
        case .notEqual: return try Self.comparison(.notEqual, x, y)
        case .less: return try Self.comparison(.less, x, y)
        case .lessOrEqual: return try Self.comparison(.lessOrEqual, x, y)
        case .greater: return try Self.comparison(.greater, x, y)
        case .greaterOrEqual: return try Self.comparison(.greaterOrEqual, x, y)
        case .concat:
            if isNull(x) || isNull(y) { return .constant(.null, .string) }
            let sx = x.type == .string ? x : Self.coerce(x, to: .string)
            let sy = y.type == .string ? y : Self.coerce(y, to: .string)
            return .function(.textConcat, [sx, sy], .string)
        case .add, .subtract, .multiply, .divide, .modulo:
            return try arithmetic(op, x, y)
        case .power:
            return .function(.power, [Self.coerce(x, to: .float64), Self.coerce(y, to: .float64)], .float64)
        case .regexMatch, .regexMatchInsensitive, .regexNotMatch, .regexNotMatchInsensitive:
            return try regexMatch(op, x, y)
        case .bitAnd, .bitOr, .bitXor, .shiftLeft, .shiftRight:
            if isNull(x) || isNull(y) { return .constant(.null, SQLTypes.isInteger(x.type) ? x.type : y.type) }
            // Text beside an integer is read as that integer type (an untyped literal, or an
            // element of an array whose element type got lost: pgJDBC's `indoption[k] & 1`).
            if x.type == .string, SQLTypes.isInteger(y.type) { x = Self.coerce(x, to: y.type) }
            if y.type == .string, SQLTypes.isInteger(x.type) { y = Self.coerce(y, to: x.type) }
            guard SQLTypes.isInteger(x.type), SQLTypes.isInteger(y.type) else {
                // Operator errors name types without modifiers, as PostgreSQL's do.
                func name(_ t: DataType) -> String { if case .decimal = t { return "numeric" }; return SQLTypes.name(t) }
                throw .undefinedFunction("operator does not exist: \(name(x.type)) \(op.rawValue) \(name(y.type))",
                                         hint: "No operator matches the given name and argument types. You might need to add explicit type casts.")
            }
            // Shifts keep the left operand's type (the count is an integer); the others widen.
            let isShift = op == .shiftLeft || op == .shiftRight
            let type = isShift ? x.type : SQLTypes.commonType(x.type, y.type) ?? .int64
            let bitwise: BitwiseOperator = switch op {
            case .bitAnd: .and
            case .bitOr: .or
            case .bitXor: .xor
            case .shiftLeft: .shiftLeft
            default: .shiftRight
            }
            return Self.fold(.function(.bitwise(bitwise), [Self.coerce(x, to: type), Self.coerce(y, to: isShift ? .int32 : type)], type))
        }
    }

    /// Arithmetic where an interval or two timestamps take part; nil for anything else.
    private func intervalArithmetic(_ op: BinaryOperator, _ x: BoundExpression, _ y: BoundExpression) throws(EngineError) -> BoundExpression? {
        func isTime(_ t: DataType) -> Bool {
            if case .timestamp = t { return true }
            return t == .date32
        }
        func asTimestamp(_ e: BoundExpression) -> BoundExpression {
            e.type == .date32 ? Self.coerce(e, to: .timestamp(.microsecond, utc: false)) : e
        }
        let timestampType: (BoundExpression) -> DataType = { e in
            if case .timestamp = e.type { return e.type }
            return .timestamp(.microsecond, utc: false)
        }
        switch (x.type, y.type, op) {
        case (_, .interval, .add), (_, .interval, .subtract):
            if isTime(x.type) {
                if case let .constant(.interval(iv), _) = y {
                    return .function(.addInterval(op == .subtract ? iv.negated : iv), [asTimestamp(x)], timestampType(x))
                }
                return .function(.addIntervalColumn(negate: op == .subtract), [asTimestamp(x), y], timestampType(x))
            }
            if x.type == .interval { return Self.fold(.function(.intervalAdd(negate: op == .subtract), [x, y], .interval)) }
            return nil
        case (.interval, _, .add) where isTime(y.type):
            return .function(.addIntervalColumn(negate: false), [asTimestamp(y), x], timestampType(y))
        case (.interval, _, .multiply), (.interval, _, .divide):
            guard SQLTypes.isNumeric(y.type) else { return nil }
            return Self.fold(.function(.intervalScale(divide: op == .divide), [x, Self.coerce(y, to: .float64)], .interval))
        case (_, .interval, .multiply):
            guard SQLTypes.isNumeric(x.type) else { return nil }
            return Self.fold(.function(.intervalScale(divide: false), [y, Self.coerce(x, to: .float64)], .interval))
        case (_, _, .subtract) where isTime(x.type) && isTime(y.type) && !(x.type == .date32 && y.type == .date32):
            return Self.fold(.function(.timestampDifference, [asTimestamp(x), asTimestamp(y)], .interval))
        default:
            return nil
        }
    }

    private func arithmetic(_ op: BinaryOperator, _ x0: BoundExpression, _ y0: BoundExpression) throws(EngineError) -> BoundExpression {
        var x = x0, y = y0
        // Untyped string constants take the other side's type.
        if x.type == .string && x.isConstant && y.type != .string { x = Self.fold(.cast(x, y.type)) }
        if y.type == .string && y.isConstant && x.type != .string { y = Self.fold(.cast(y, x.type)) }
        // Date arithmetic.
        if x.type == .date32 && SQLTypes.isInteger(y.type) && (op == .add || op == .subtract) {
            return .function(.addDays(negate: op == .subtract), [x, Self.coerce(y, to: .int64)], .date32)
        }
        if SQLTypes.isInteger(x.type) && y.type == .date32 && op == .add {
            return .function(.addDays(negate: false), [y, Self.coerce(x, to: .int64)], .date32)
        }
        if x.type == .date32 && y.type == .date32 && op == .subtract {
            return .function(.dateDifference, [x, y], .int32)
        }
        if let interval = try intervalArithmetic(op, x, y) { return interval }
        let symbol = op.rawValue
        // An untyped NULL takes the other side's type; a typed one (NULL::numeric) keeps its own.
        let untypedX = isNull(x) && x.type == .string, untypedY = isNull(y) && y.type == .string
        if untypedX && untypedY { return .constant(.null, .int32) }
        if untypedX { x = .constant(.null, y.type) }
        if untypedY { y = .constant(.null, x.type) }
        guard SQLTypes.isNumeric(x.type), SQLTypes.isNumeric(y.type) else {
            throw .undefinedFunction("operator does not exist: \(SQLTypes.name(x.type)) \(symbol) \(SQLTypes.name(y.type))",
                                     hint: "No operator matches the given name and argument types. You might need to add explicit type casts.")
        }
        let aop: ArithmeticOperator = switch op {
        case .add: .add
        case .subtract: .subtract
        case .multiply: .multiply
        case .divide: .divide
        default: .modulo
        }
        let resultType: DataType
        switch (x.type, y.type) {
        case (.float64, _), (_, .float64), (.float32, .decimal), (.decimal, .float32):
            resultType = .float64
        case (.float32, _), (_, .float32):
            resultType = SQLTypes.isInteger(x.type) || SQLTypes.isInteger(y.type) || (x.type == .float32 && y.type == .float32) ? (x.type == y.type ? .float32 : .float64) : .float64
        case (.decimal, _), (_, .decimal):
            let (p1, s1) = SQLTypes.decimalShape(x.type)!, (p2, s2) = SQLTypes.decimalShape(y.type)!
            switch aop {
            case .add, .subtract:
                let s = max(s1, s2)
                resultType = .decimal(precision: min(SQLTypes.maxPrecision, max(p1 - s1, p2 - s2) + s + 1), scale: s)
            case .multiply:
                let s = min(s1 + s2, SQLTypes.maxPrecision)
                resultType = .decimal(precision: min(SQLTypes.maxPrecision, p1 + p2), scale: s)
            case .divide:
                // PostgreSQL picks the scale per value (at least 16 significant digits); a fixed scale
                // keeps columns typed: enough for the integer digits of the quotient and 16 decimals.
                let s = max(16, s1, s2)
                resultType = .decimal(precision: SQLTypes.maxPrecision, scale: s)
            case .modulo:
                let s = max(s1, s2)
                resultType = .decimal(precision: min(SQLTypes.maxPrecision, max(p1 - s1, p2 - s2) + s), scale: s)
            }
            // Operands go in as decimals (integers converted exactly); for + and - at the result's
            // scale, so the kernel adds unscaled values without rescaling each row.
            if aop == .add || aop == .subtract, case let .decimal(_, s) = resultType {
                x = Self.coerce(x, to: .decimal(precision: min(SQLTypes.maxPrecision, p1 - s1 + s), scale: s))
                y = Self.coerce(y, to: .decimal(precision: min(SQLTypes.maxPrecision, p2 - s2 + s), scale: s))
            } else {
                if case .decimal = x.type {} else { x = Self.coerce(x, to: .decimal(precision: p1, scale: 0)) }
                if case .decimal = y.type {} else { y = Self.coerce(y, to: .decimal(precision: p2, scale: 0)) }
            }
            return .arithmetic(aop, x, y, resultType)
        default:
            resultType = SQLTypes.commonType(x.type, y.type) ?? .int64
        }
        return .arithmetic(aop, Self.coerce(x, to: resultType), Self.coerce(y, to: resultType), resultType)
    }

    /// `(a1, a2) op (b1, b2)` field by field, as PostgreSQL compares rows: `=` all equal,
    /// `<>` any different, and the orderings lexicographic (the first unequal pair decides;
    /// a NULL met before that makes the answer NULL, which AND/OR give here too).
    static func rowComparison(_ op: BinaryOperator, _ a: [Expression], _ b: [Expression]) -> Expression {
        switch op {
        case .equal: return a.indices.dropFirst().reduce(.binary(.equal, a[0], b[0])) { .binary(.and, $0, .binary(.equal, a[$1], b[$1])) }
        case .notEqual:
            return a.indices.dropFirst().reduce(.binary(.notEqual, a[0], b[0])) { .binary(.or, $0, .binary(.notEqual, a[$1], b[$1])) }
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let strict: BinaryOperator = op == .less || op == .lessOrEqual ? .less : .greater
            // From the last field inwards: a_n op b_n, then a_i strict b_i OR (a_i = b_i AND rest).
            var result = Expression.binary(op, a[a.count - 1], b[b.count - 1])
            for i in stride(from: a.count - 2, through: 0, by: -1) {
                result = .binary(.or, .binary(strict, a[i], b[i]), .binary(.and, .binary(.equal, a[i], b[i]), result))
            }
            return result
        default:
            preconditionFailure("rowComparison is called for comparison operators only")
        }
    }

    static func comparison(_ op: ComparisonOperator, _ a: BoundExpression, _ b: BoundExpression) throws(EngineError) -> BoundExpression {
        if case .structure = a.type { throw .featureNotSupported("comparing records other than ROW(...) with ROW(...)") }
        if case .structure = b.type { throw .featureNotSupported("comparing records other than ROW(...) with ROW(...)") }
        let (x, y) = try unify(a, b, op.rawValue)
        return fold(.compare(op, x, y))
    }

    /// Casts two operands to the type they are compared in.
    static func unify(_ a: BoundExpression, _ b: BoundExpression, _ symbol: String) throws(EngineError) -> (BoundExpression, BoundExpression) {
        if a.type == b.type { return (a, b) }
        if case .constant(.null, _) = a { return (.constant(.null, b.type), b) }
        if case .constant(.null, _) = b { return (a, .constant(.null, a.type)) }
        // An untyped string literal adopts the other side's type.
        if a.type == .string, a.isConstant { return (fold(.cast(a, b.type)), b) }
        if b.type == .string, b.isConstant { return (a, fold(.cast(b, a.type))) }
        guard let t = SQLTypes.commonType(a.type, b.type) else {
            throw .undefinedFunction("operator does not exist: \(SQLTypes.name(a.type)) \(symbol) \(SQLTypes.name(b.type))",
                                     hint: "No operator matches the given name and argument types. You might need to add explicit type casts.")
        }
        return (coerce(a, to: t), coerce(b, to: t))
    }


    static func coerce(_ e: BoundExpression, to type: DataType) -> BoundExpression {
        if e.type == type { return e }
        if case let .constant(v, _) = e, v.isNull { return .constant(.null, type) }
        return fold(.cast(e, type))
    }

    static func coerceBoolean(_ e: BoundExpression, _ context: String) throws(EngineError) -> BoundExpression {
        if e.type == .boolean { return e }
        if case let .constant(v, _) = e, v.isNull { return .constant(.null, .boolean) }
        if e.type == .string, e.isConstant { return fold(.cast(e, .boolean)) }
        throw .datatypeMismatch("argument of \(context) must be type boolean, not type \(SQLTypes.name(e.type))")
    }

    /// `$k` when `e` is a parameter whose type is not known yet.
    func unresolvedParameter(_ e: Expression) -> Int? {
        guard case let .parameter(k) = e, binder.parameters?.isUnresolved(k) == true else { return nil }
        return k
    }

    /// The type an untyped parameter gets beside an operand of type `other`.
    private static func parameterType(_ op: BinaryOperator, other: DataType) -> DataType {
        switch op {
        case .and, .or: return .boolean
        case .concat: return .string
        case .power: return .float64
        default: return other
        }
    }

    func isNull(_ e: BoundExpression) -> Bool {
        if case let .constant(v, _) = e { return v.isNull }
        return false
    }

    // MARK: literals

    static func literal(_ l: Literal) throws(EngineError) -> BoundExpression {
        switch l {
        case .null: return .constant(.null, .string)
        case let .boolean(b): return .constant(.boolean(b), .boolean)
        case let .integer(text):
            if let v = Int32(text) { return .constant(.int(Int64(v)), .int32) }
            if let v = Int64(text) { return .constant(.int(v), .int64) }
            guard let d = Casts.parseDecimal(text, scale: 0), text.count <= SQLTypes.maxPrecision else {
                throw .numericOverflow("value \(text) is out of range for type numeric")
            }
            return .constant(.decimal(d), .decimal(precision: text.count, scale: 0))
        case let .decimal(text):
            if text.contains("e") || text.contains("E") {
                guard let d = Double(text) else { throw .invalidText("invalid input syntax for type numeric: \"\(text)\"") }
                return .constant(.double(d), .float64)
            }
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            let scale = parts.count > 1 ? parts[1].count : 0
            let digits = max(1, parts[0].drop(while: { $0 == "0" }).count) + scale
            guard scale <= SQLTypes.maxPrecision, digits <= SQLTypes.maxPrecision, let d = Casts.parseDecimal(text, scale: scale) else {
                throw .numericOverflow("value \(text) is out of range for type numeric")
            }
            return .constant(.decimal(d), .decimal(precision: max(digits, scale), scale: scale))
        case let .string(s):
            return .constant(.string(s), .string)
        case let .typed(typeName, text):
            let t = try SQLTypes.dataType(typeName)
            return fold(.cast(.constant(.string(text), .string), t))
        case let .interval(text, qualifier):
            guard let iv = DateTime.parseInterval(text, qualifier: qualifier) else {
                throw .invalidText("invalid input syntax for type interval: \"\(text)\"")
            }
            return .constant(.interval(iv), .interval)
        }
    }

    // MARK: CASE

    private func caseWhen(_ operand: Expression?, _ branches: [WhenClause], _ otherwise: Expression?) throws(EngineError) -> BoundExpression {
        let subject = try operand.map { (e) throws(EngineError) in try bind(e) }
        var conditions: [BoundExpression] = []
        var results: [BoundExpression] = []
        for b in branches {
            if let subject {
                conditions.append(try Self.comparison(.equal, subject, try bind(b.condition)))
            } else {
                conditions.append(try Self.coerceBoolean(try bind(b.condition), "CASE/WHEN"))
            }
            results.append(try bind(b.result))
        }
        let elseValue = try otherwise.map { (e) throws(EngineError) in try bind(e) }
        let type = try Self.commonResultType(results + (elseValue.map { [$0] } ?? []), "CASE")
        if case .structure = type { throw .featureNotSupported("CASE over records") }
        let bound = zip(conditions, results).map { CaseBranch(condition: $0, result: Self.coerce($1, to: type)) }
        return .caseWhen(bound, otherwise: elseValue.map { Self.coerce($0, to: type) }, type)
    }

    /// The type of CASE/COALESCE results: NULLs and untyped literals take the others' type.
    static func commonResultType(_ items: [BoundExpression], _ context: String) throws(EngineError) -> DataType {
        var type: DataType?
        for e in items.reversed() {
            if case let .constant(v, t) = e, v.isNull || t == .string {
                // A typed NULL (NULL::int) or a literal fixes the type when nothing else does.
                if type == nil, !v.isNull || t != .string { type = t }
                continue
            }
            guard let current = type else { type = e.type; continue }
            if current == .string, items.contains(where: { $0.isConstant && $0.type == .string }) && !e.isConstant { type = e.type; continue }
            guard let t = SQLTypes.commonType(current, e.type) else {
                throw .datatypeMismatch("\(context) types \(SQLTypes.name(current)) and \(SQLTypes.name(e.type)) cannot be matched")
            }
            type = t
        }
        return type ?? .string
    }

    // MARK: constant folding

    /// Evaluates a node whose inputs are all constants.
    static func fold(_ e: BoundExpression) -> BoundExpression {
        switch e {
        case .constant, .column, .outerColumn, .scalarSubquery: return e
        case let .function(f, _, _) where f == .randomValue: return e
        // A record has no constant form (Value holds scalars).
        case .function(.makeRecord, _, _): return e
        // 'x'::text: kept as a cast so it is not mistaken for an untyped literal.
        case let .cast(inner, t) where inner.type == t: return e
        default: break
        }
        guard e.children.allSatisfy(\.isConstant), !e.children.isEmpty || { if case .caseWhen = e { return true }; return false }() else {
            return e
        }
        let batch = RecordBatch(fields: [], columns: [], rowCount: 1)
        guard let column = try? ExpressionEvaluator().evaluate(e, batch) else { return e }
        return .constant(Value.from(column, 0), e.type)
    }

    // MARK: subqueries

    private func scalarSubquery(_ query: Query) throws(EngineError) -> BoundExpression {
        let outer = OuterScope(scope)
        let bound = try binder.bindQuery(query, outer: outer)
        guard bound.plan.fields.count == 1 else { throw EngineError("42601", "subquery must return only one column") }
        let type = bound.plan.fields[0].type
        // Subquery values travel as `Value`s, which hold scalars only.
        switch type {
        case .list, .structure, .map: throw .featureNotSupported("a scalar subquery returning an array or record")
        default: break
        }
        if outer.references.isEmpty {
            return .scalarSubquery(SubqueryBox(plan: bound.plan), type)
        }
        if let planBuilder {
            do {
                return try planBuilder.correlatedScalar(query, binder: self)
            } catch where error.sqlState == "0A000" {
                // Not decorrelatable: run it per outer row instead.
            }
        }
        return try correlatedFallback(query, kind: .scalar, tested: nil)
    }

    /// A correlated subquery evaluated per distinct outer values (see `BoundExpression.correlated`).
    func correlatedFallback(_ query: Query, kind: CorrelatedSubquery.Kind, tested: BoundExpression?) throws(EngineError) -> BoundExpression {
        let outer = OuterScope(scope)
        let bound = try binder.bindQuery(query, outer: outer)
        let references = outer.references
        var plan = bound.plan.mapExpressions { e in
            (try? e.transformed { node in
                if case let .outerColumn(i, t) = node, let k = references.firstIndex(of: i) { return .outerColumn(k, t) }
                return nil
            }) ?? e
        }
        guard let first = plan.fields.first else { throw .internalError("subquery without columns") }
        var args = references.map { BoundExpression.column($0, scope.entries[$0].type) }
        var type = DataType.boolean
        switch kind {
        case .scalar:
            guard plan.fields.count == 1 else { throw EngineError("42601", "subquery must return only one column") }
            type = first.type
        case .exists:
            break
        case .membership, .quantified:
            guard plan.fields.count == 1, let tested else { throw EngineError("42601", "subquery has too many columns") }
            let (l, r) = try Self.unify(tested, .column(0, first.type), "=")
            if r != .column(0, first.type) { plan = .project(plan, [r], [Field("value", r.type)]) }
            args.append(l)
        }
        return .correlated(CorrelatedSubquery(plan: plan, kind: kind), args, type)
    }
}
