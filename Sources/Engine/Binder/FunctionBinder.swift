import Columnar
import SQL

/// Function calls: aggregates (collected for the aggregation node) and the
/// scalar functions of `ScalarFunction`, with PostgreSQL's argument and result types.
extension ExpressionBinder {
    static let noFunctionHint = "No function matches the given name and argument types. You might need to add explicit type casts."

    static let aggregateNames: Set<String> = [
        "count", "sum", "avg", "min", "max", "bool_and", "bool_or", "every", "stddev", "stddev_samp", "stddev_pop",
        "variance", "var_samp", "var_pop", "string_agg", "approx_count_distinct", "any_value", "array_agg",
    ]

    func function(_ call: FunctionCall) throws(EngineError) -> BoundExpression {
        let name = call.name.name
        let position = call.name.position >= 0 ? call.name.position + 1 : nil
        if call.over != nil {
            return try windowFunction(call, position: position)
        }
        if Self.rankingFunctions.contains(name) {
            throw EngineError("42809", "window function \(name) requires an OVER clause", position: position)
        }
        if let arrayAggregate = Self.arrayAggregate(call) {
            return try bind(arrayAggregate)
        }
        if name == SetReturningFunctions.expandArrayRecord, call.arguments.count == 2 {
            let element = try bind(call.arguments[0]), position = try bind(call.arguments[1])
            return .function(.makeRecord, [element, position], .structure([Field("x", element.type), Field("n", position.type)]))
        }
        if Self.aggregateNames.contains(name) {
            return try aggregate(call, position: position)
        }
        if name == "grouping" {
            guard let aggregates else { throw EngineError("42803", "grouping operations are not allowed here", position: position) }
            let inner = ExpressionBinder(binder: binder, scope: scope)
            var positions: [Int] = []
            for a in call.arguments {
                guard let k = aggregates.keys.firstIndex(of: try inner.bind(a)) else {
                    throw EngineError("42803", "arguments to GROUPING must be grouping expressions of the associated query level", position: position)
                }
                positions.append(k)
            }
            return .function(.grouping(positions), [.column(AggregateCollector.groupingMarker, .int64)], .int32)
        }
        if call.star || call.distinct {
            throw .undefinedFunction("function \(name) is not an aggregate", position: position)
        }
        var args: [BoundExpression] = []
        for a in call.arguments { args.append(try bind(a)) }
        func expect(_ counts: ClosedRange<Int>) throws(EngineError) {
            guard counts.contains(args.count) else {
                throw .undefinedFunction("function \(name)(\(args.map { SQLTypes.name($0.type) }.joined(separator: ", "))) does not exist",
                                         position: position,
                                         hint: "No function matches the given name and argument types. You might need to add explicit type casts.")
            }
        }
        func text(_ i: Int) throws(EngineError) -> BoundExpression {
            let a = args[i]
            if a.type == .string { return a }
            if case let .constant(v, _) = a, v.isNull { return .constant(.null, .string) }
            throw .undefinedFunction("function \(name)(\(args.map { SQLTypes.name($0.type) }.joined(separator: ", "))) does not exist",
                                     position: position,
                                     hint: "No function matches the given name and argument types. You might need to add explicit type casts.")
        }
        func integer(_ i: Int) -> BoundExpression { Self.coerce(args[i], to: .int64) }
        func numeric(_ i: Int) throws(EngineError) -> BoundExpression {
            let a = args[i]
            if SQLTypes.isNumeric(a.type) { return a }
            if case let .constant(v, _) = a, v.isNull { return .constant(.null, .float64) }
            if a.type == .string, a.isConstant { return Self.fold(.cast(a, .float64)) }
            throw .undefinedFunction("function \(name)(\(SQLTypes.name(a.type))) does not exist", position: position)
        }
        if let bound = try systemFunction(name, args, position: position) { return bound }
        switch name {
        case "coalesce":
            try expect(1...1000)
            let type = try Self.commonResultType(args, "COALESCE")
            if case .structure = type { throw .featureNotSupported("COALESCE over records") }
            return .coalesce(args.map { Self.coerce($0, to: type) }, type)
        case "nullif":
            try expect(2...2)
            let (a, b) = try Self.unify(args[0], args[1], "=")
            return .function(.nullIf, [a, b], a.type)
        case "greatest", "least":
            try expect(1...1000)
            let type = try Self.commonResultType(args, name.uppercased())
            return .function(name == "greatest" ? .greatest : .least, args.map { Self.coerce($0, to: type) }, type)
        case "lower", "upper":
            try expect(1...1)
            return .function(name == "lower" ? .lower : .upper, [try text(0)], .string)
        case "length", "char_length", "character_length":
            try expect(1...1)
            return .function(.length, [try text(0)], .int32)
        case "octet_length":
            try expect(1...1)
            return .function(.octetLength, [try text(0)], .int32)
        case "substring", "substr":
            try expect(2...3)
            return .function(.substring, [try text(0)] + args.dropFirst().map { Self.coerce($0, to: .int64) }, .string)
        case "concat":
            return .function(.concat, args, .string)
        case "trim", "btrim", "ltrim", "rtrim":
            try expect(1...2)
            var rest: [BoundExpression] = [try text(0)]
            if args.count == 2 { rest.append(try text(1)) }
            return .function(.trim(leading: name != "rtrim", trailing: name != "ltrim"), rest, .string)
        case "replace":
            try expect(3...3)
            return .function(.replace, [try text(0), try text(1), try text(2)], .string)
        case "position", "strpos":
            try expect(2...2)
            // position(a IN b) arrives as position(a, b); strpos(b, a) has them the other way.
            let (needle, hay) = name == "strpos" ? (try text(1), try text(0)) : (try text(0), try text(1))
            return .function(.position, [needle, hay], .int32)
        case "left", "right":
            try expect(2...2)
            return .function(name == "left" ? .left : .right, [try text(0), integer(1)], .string)
        case "starts_with":
            try expect(2...2)
            return .function(.startsWith, [try text(0), try text(1)], .boolean)
        case "repeat":
            try expect(2...2)
            return .function(.repeatText, [try text(0), integer(1)], .string)
        case "reverse":
            try expect(1...1)
            return .function(.reverse, [try text(0)], .string)
        case "abs":
            try expect(1...1)
            let a = try numeric(0)
            return .function(.abs, [a], a.type)
        case "sign":
            try expect(1...1)
            let a = try numeric(0)
            // PostgreSQL: sign(numeric) is numeric; every other sign() is double precision.
            if case .decimal = a.type { return .function(.sign, [a], a.type) }
            return .function(.sign, [Self.coerce(a, to: .float64)], .float64)
        case "round", "trunc":
            try expect(1...2)
            let a = try numeric(0)
            let f: ScalarFunction = name == "round" ? .round : .trunc
            if case let .decimal(p, _) = a.type {
                var scale = 0
                if args.count == 2 {
                    guard case let .constant(v, _) = args[1] else { throw .featureNotSupported("\(name) needs a constant scale") }
                    scale = Int(max(0, min(Int64(SQLTypes.maxPrecision), v.intValue)))
                }
                return .function(f, [a] + (args.count == 2 ? [integer(1)] : []), .decimal(precision: min(SQLTypes.maxPrecision, p + 1), scale: scale))
            }
            if SQLTypes.isInteger(a.type) {
                if args.count == 1 { return a }
                let d = Self.coerce(a, to: .decimal(precision: 19, scale: 0))
                return .function(f, [d, integer(1)], .decimal(precision: 20, scale: 0))
            }
            guard args.count == 1 else {
                throw .undefinedFunction("function \(name)(double precision, integer) does not exist", position: position,
                                         hint: "No function matches the given name and argument types. You might need to add explicit type casts.")
            }
            return .function(f, [Self.coerce(a, to: .float64)], .float64)
        case "floor", "ceil", "ceiling":
            try expect(1...1)
            let a = try numeric(0)
            let f: ScalarFunction = name == "floor" ? .floor : .ceil
            if case let .decimal(p, _) = a.type { return .function(f, [a], .decimal(precision: p, scale: 0)) }
            if SQLTypes.isInteger(a.type) { return a }
            return .function(f, [Self.coerce(a, to: .float64)], .float64)
        case "sqrt", "exp", "ln", "log", "log10":
            try expect(1...1)
            let f: ScalarFunction = switch name {
            case "sqrt": .sqrt
            case "exp": .exp
            case "ln": .ln
            default: .log10
            }
            return .function(f, [Self.coerce(try numeric(0), to: .float64)], .float64)
        case "power", "pow":
            try expect(2...2)
            return .function(.power, [Self.coerce(try numeric(0), to: .float64), Self.coerce(try numeric(1), to: .float64)], .float64)
        case "mod":
            try expect(2...2)
            return try bindModulo(args[0], args[1])
        case "extract", "date_part":
            try expect(2...2)
            guard case let .constant(.string(field), _) = args[0] else { throw .featureNotSupported("\(name) needs a constant field name") }
            var source = args[1]
            if source.type == .interval {
                let f = field.lowercased()
                let scale = f == "second" || f == "epoch" ? 6 : 0
                let r: BoundExpression = .function(.extractInterval(f), [source], .decimal(precision: 30, scale: scale))
                return Self.fold(name == "date_part" ? Self.coerce(r, to: .float64) : r)
            }
            if source.type == .string, source.isConstant { source = Self.fold(.cast(source, .timestamp(.microsecond, utc: false))) }
            guard source.type == .date32 || { if case .timestamp = source.type { return true }; return false }() else {
                throw .undefinedFunction("function \(name)(unknown, \(SQLTypes.name(source.type))) does not exist", position: position)
            }
            let f = field.lowercased()
            let scale = (f == "second" || f == "epoch") && source.type != .date32 ? 6 : 0
            let result: BoundExpression = .function(.extract(f), [source], .decimal(precision: 20, scale: scale))
            // date_part returns double precision; EXTRACT numeric.
            return name == "date_part" ? Self.coerce(result, to: .float64) : result
        case "date_trunc":
            try expect(2...2)
            guard case let .constant(.string(field), _) = args[0] else { throw .featureNotSupported("date_trunc needs a constant field name") }
            var source = args[1]
            if source.type == .string, source.isConstant { source = Self.fold(.cast(source, .timestamp(.microsecond, utc: false))) }
            // date_trunc(text, date) resolves to the timestamptz variant in PostgreSQL.
            if source.type == .date32 { source = Self.coerce(source, to: .timestamp(.microsecond, utc: true)) }
            guard case .timestamp = source.type else {
                throw .undefinedFunction("function date_trunc(unknown, \(SQLTypes.name(args[1].type))) does not exist", position: position,
                                         hint: "No function matches the given name and argument types. You might need to add explicit type casts.")
            }
            let unit = field.lowercased()
            guard DateTime.truncate(unit, micros: 0) != nil else {
                throw EngineError("22023", "unit \"\(unit)\" not recognized for type \(SQLTypes.name(source.type))")
            }
            return .function(.dateTrunc(unit), [source], source.type)
        case "to_char":
            try expect(2...2)
            return .function(.toChar, [args[0], try text(1)], .string)
        case "now", "current_timestamp", "localtimestamp", "transaction_timestamp", "statement_timestamp":
            return .constant(.int(Self.statementTime), .timestamp(.microsecond, utc: name != "localtimestamp"))
        case "current_date":
            return .constant(.int(Self.statementTime / DateTime.microsPerDay), .date32)
        case "random":
            return .function(.randomValue, [], .float64)
        case "make_date":
            try expect(3...3)
            return .function(.makeDate, args.map { Self.coerce($0, to: .int64) }, .date32)
        case "make_timestamp":
            try expect(6...6)
            return .function(.makeTimestamp, args.prefix(5).map { Self.coerce($0, to: .int64) } + [Self.coerce(args[5], to: .float64)],
                             .timestamp(.microsecond, utc: false))
        case "cbrt", "degrees", "radians", "sin", "cos", "tan", "asin", "acos", "atan":
            try expect(1...1)
            return .function(.math(name), [Self.coerce(try numeric(0), to: .float64)], .float64)
        case "pi":
            try expect(0...0)
            return .constant(.double(Double.pi), .float64)
        case "atan2":
            try expect(2...2)
            return .function(.atan2, [Self.coerce(try numeric(0), to: .float64), Self.coerce(try numeric(1), to: .float64)], .float64)
        case "div":
            try expect(2...2)
            let (a, b) = try Self.unify(try numeric(0), try numeric(1), "/")
            if case .decimal = a.type { return .function(.integerDivide, [a, b], .decimal(precision: SQLTypes.maxPrecision, scale: 0)) }
            return .function(.integerDivide, [a, b], a.type)
        case "gcd", "lcm":
            try expect(2...2)
            let (a, b) = try Self.unify(try numeric(0), try numeric(1), name)
            return .function(name == "gcd" ? .gcd : .lcm, [a, b], a.type)
        case "concat_ws":
            try expect(2...1000)
            return .function(.concatWithSeparator, [try text(0)] + args.dropFirst(), .string)
        case "lpad", "rpad":
            try expect(2...3)
            return .function(.pad(left: name == "lpad"), [try text(0), integer(1)] + (args.count == 3 ? [try text(2)] : []), .string)
        case "split_part":
            try expect(3...3)
            return .function(.splitPart, [try text(0), try text(1), integer(2)], .string)
        case "ascii":
            try expect(1...1)
            return .function(.ascii, [try text(0)], .int32)
        case "chr":
            try expect(1...1)
            return .function(.chr, [integer(0)], .string)
        case "md5":
            try expect(1...1)
            return .function(.md5, [try text(0)], .string)
        case "translate":
            try expect(3...3)
            return .function(.translate, [try text(0), try text(1), try text(2)], .string)
        case "to_hex":
            try expect(1...1)
            let a = try numeric(0)
            return .function(.toHex, [a.type == .int64 ? a : Self.coerce(a, to: .int32)], .string)
        case "initcap":
            try expect(1...1)
            return .function(.initcap, [try text(0)], .string)
        default:
            throw .undefinedFunction("function \(name)(\(args.map { SQLTypes.name($0.type) }.joined(separator: ", "))) does not exist",
                                     position: position,
                                     hint: "No function matches the given name and argument types. You might need to add explicit type casts.")
        }
    }

    /// Which aggregate a call names and its result type; casts the arguments where the aggregate needs it.
    static func aggregateSignature(_ name: String, star: Bool, arguments args: inout [BoundExpression],
                                   position: Int?) throws(EngineError) -> (AggregateFunction, DataType) {
        var name = name
        if name == "every" { name = "bool_and" }
        if name == "stddev" { name = "stddev_samp" }
        if name == "variance" { name = "var_samp" }
        let function: AggregateFunction
        var resultType: DataType
        if star {
            guard name == "count" else { throw .syntax("\(name)(*) is not allowed", position: position) }
            function = .countStar
            resultType = .int64
            args = []
        } else {
            guard let f = AggregateFunction(rawValue: name) else { throw .undefinedFunction("function \(name) does not exist", position: position) }
            function = f
            let expectedCount = f == .stringAgg ? 2 : 1
            guard args.count == expectedCount else {
                throw .undefinedFunction("function \(name)(\(args.map { SQLTypes.name($0.type) }.joined(separator: ", "))) does not exist", position: position)
            }
            let t = args[0].type
            switch f {
            case .count, .approxCountDistinct: resultType = .int64
            case .sum where t == .interval, .avg where t == .interval:
                resultType = .interval
            case .sum:
                switch t {
                case .int16, .int32: resultType = .int64
                case .int64: resultType = .decimal(precision: 38, scale: 0)
                case let .decimal(_, s): resultType = .decimal(precision: 38, scale: s)
                case .float32: resultType = .float32
                case .float64: resultType = .float64
                default: throw .undefinedFunction("function sum(\(SQLTypes.name(t))) does not exist", position: position, hint: noFunctionHint)
                }
            case .avg:
                switch t {
                case .int16, .int32, .int64: resultType = .decimal(precision: 38, scale: 16)
                case let .decimal(_, s): resultType = .decimal(precision: 38, scale: max(16, s))
                case .float32, .float64: resultType = .float64
                default: throw .undefinedFunction("function avg(\(SQLTypes.name(t))) does not exist", position: position, hint: noFunctionHint)
                }
            case .min, .max, .anyValue:
                // Their states hold scalar values only.
                if case .list = t { throw .featureNotSupported("\(name) of an array") }
                if case .structure = t { throw .featureNotSupported("\(name) of a record") }
                resultType = t == .string && args[0].isConstant ? .string : t
            case .boolAnd, .boolOr:
                args[0] = try Self.coerceBoolean(args[0], name)
                resultType = .boolean
            case .stddevSample, .stddevPopulation, .varianceSample, .variancePopulation:
                guard SQLTypes.isNumeric(t) else { throw .undefinedFunction("function \(name)(\(SQLTypes.name(t))) does not exist", position: position) }
                resultType = .float64
                args[0] = Self.coerce(args[0], to: .float64)
            case .stringAgg:
                resultType = .string
                args = [Self.coerce(args[0], to: .string), Self.coerce(args[1], to: .string)]
            case .countStar: resultType = .int64
            }
        }
        return (function, resultType)
    }

    private func bindModulo(_ a: BoundExpression, _ b: BoundExpression) throws(EngineError) -> BoundExpression {
        let (x, y) = try Self.unify(a, b, "%")
        return .arithmetic(.modulo, x, y, x.type)
    }

    /// Now, in microseconds since the epoch (one value per process start is enough for tests; the
    /// server sets it per statement).
    static var statementTime: Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }

    private func aggregate(_ call: FunctionCall, position: Int?) throws(EngineError) -> BoundExpression {
        guard let aggregates else {
            throw EngineError("42803", "aggregate functions are not allowed in \(clause)", position: position)
        }
        guard !aggregates.binding else {
            throw EngineError("42803", "aggregate function calls cannot be nested", position: position)
        }
        aggregates.binding = true
        defer { aggregates.binding = false }
        // Arguments and FILTER are over the aggregation's input; an aggregate inside them is nested.
        let inner = ExpressionBinder(binder: binder, scope: scope, aggregates: aggregates, planBuilder: nil)
        var args: [BoundExpression] = []
        for a in call.arguments { args.append(try inner.bind(a)) }
        let filter = try call.filter.map { (f) throws(EngineError) in try inner.bindPredicate(f) }
        let (function, resultType) = try Self.aggregateSignature(call.name.name, star: call.star, arguments: &args, position: position)
        var order: [SortKey] = []
        for o in call.orderBy {
            order.append(SortKey(expression: try inner.bind(o.expression), ascending: o.ascending, nullsFirst: o.effectiveNullsFirst))
        }
        let aggregateCall = AggregateCall(function: function, arguments: args, distinct: call.distinct, filter: filter,
                                          resultType: resultType, orderBy: order)
        let index = aggregates.add(aggregateCall)
        return .column(AggregateCollector.markerBase + index, resultType)
    }
}

/// Collects the aggregate calls of one SELECT; each is referred to by a marker
/// column until the binder rewrites expressions over the aggregation's output.
final class AggregateCollector {
    static let markerBase = 1 << 40
    static let groupingMarker = 1 << 39
    var calls: [AggregateCall] = []
    var binding = false
    /// The group keys (for GROUPING()).
    var keys: [BoundExpression] = []

    func add(_ call: AggregateCall) -> Int {
        if let i = calls.firstIndex(of: call) { return i }
        calls.append(call)
        return calls.count - 1
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
