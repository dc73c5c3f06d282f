import Columnar
import SQL

/// Collects the window function calls of one SELECT; each is referred to by a
/// marker column until the window node's output columns are known.
final class WindowCollector {
    static let markerBase = 1 << 41
    var calls: [WindowCall] = []
    let named: [String: WindowSpec]

    init(named: [(name: String, spec: WindowSpec)]) {
        var d: [String: WindowSpec] = [:]
        for w in named { d[w.name] = w.spec }
        self.named = d
    }

    func add(_ call: WindowCall) -> Int {
        if let i = calls.firstIndex(of: call) { return i }
        calls.append(call)
        return calls.count - 1
    }
}

extension ExpressionBinder {
    static let rankingFunctions: Set<String> = [
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value", "last_value", "nth_value",
    ]

    func windowFunction(_ call: FunctionCall, position: Int?) throws(EngineError) -> BoundExpression {
        guard let windows else {
            throw EngineError("42P20", "window functions are not allowed in \(clause)", position: position)
        }
        guard var spec = call.over else { throw .internalError("window call without OVER") }
        if let base = spec.baseName {
            guard let named = windows.named[base] else { throw EngineError("42704", "window \"\(base)\" does not exist", position: position) }
            spec = WindowSpec(baseName: nil, partitionBy: named.partitionBy + spec.partitionBy,
                              orderBy: spec.orderBy.isEmpty ? named.orderBy : spec.orderBy, frame: spec.frame ?? named.frame)
        }
        // Arguments, partitions and order see the same columns as the select list (aggregates included).
        let inner = ExpressionBinder(binder: binder, scope: scope, aggregates: aggregates, windows: nil)
        var args: [BoundExpression] = []
        for a in call.arguments { args.append(try inner.bind(a)) }
        // Window functions carry values row by row as scalars.
        for a in args {
            switch a.type {
            case .list, .structure, .map: throw .featureNotSupported("window functions over arrays or records")
            default: break
            }
        }
        var partitions: [BoundExpression] = []
        for p in spec.partitionBy { partitions.append(try inner.bind(p)) }
        var order: [SortKey] = []
        for o in spec.orderBy {
            order.append(SortKey(expression: try inner.bind(o.expression), ascending: o.ascending, nullsFirst: o.effectiveNullsFirst))
        }
        let name = call.name.name
        let function: WindowFunction
        var resultType: DataType
        switch name {
        case "row_number": function = .rowNumber; resultType = .int64
        case "rank": function = .rank; resultType = .int64
        case "dense_rank": function = .denseRank; resultType = .int64
        case "percent_rank": function = .percentRank; resultType = .float64
        case "cume_dist": function = .cumeDist; resultType = .float64
        case "ntile":
            function = .ntile; resultType = .int32
            guard args.count == 1 else { throw .undefinedFunction("function ntile needs one argument", position: position) }
            args[0] = Self.coerce(args[0], to: .int64)
        case "lag", "lead":
            function = name == "lag" ? .lag : .lead
            guard (1...3).contains(args.count) else { throw .undefinedFunction("function \(name) needs 1 to 3 arguments", position: position) }
            resultType = args[0].type
            if args.count >= 2 { args[1] = Self.coerce(args[1], to: .int64) }
            if args.count == 3 {
                let (a, d) = try Self.unify(args[0], args[2], name)
                args[0] = a
                args[2] = d
                resultType = a.type
            }
        case "first_value", "last_value":
            function = name == "first_value" ? .firstValue : .lastValue
            guard args.count == 1 else { throw .undefinedFunction("function \(name) needs one argument", position: position) }
            resultType = args[0].type
        case "nth_value":
            function = .nthValue
            guard args.count == 2 else { throw .undefinedFunction("function nth_value needs two arguments", position: position) }
            resultType = args[0].type
            args[1] = Self.coerce(args[1], to: .int64)
        default:
            guard Self.aggregateNames.contains(name) else {
                throw .undefinedFunction("function \(name) is not a window function", position: position)
            }
            let (aggregate, type) = try Self.aggregateSignature(name, star: call.star, arguments: &args, position: position)
            function = .aggregate(aggregate, distinct: call.distinct)
            resultType = type
        }
        let frame = try Self.frame(spec.frame, hasOrder: !order.isEmpty, binder: inner)
        let index = windows.add(WindowCall(function: function, arguments: args, partitionBy: partitions, orderBy: order,
                                           frame: frame, resultType: resultType))
        return .column(WindowCollector.markerBase + index, resultType)
    }

    static func frame(_ frame: WindowFrame?, hasOrder: Bool, binder: ExpressionBinder) throws(EngineError) -> FrameSpec {
        guard let frame else {
            return hasOrder ? FrameSpec(mode: .range, start: nil, end: 0) : FrameSpec(mode: .rows, start: nil, end: nil)
        }
        func offset(_ b: WindowFrame.Bound, isStart: Bool) throws(EngineError) -> Int? {
            switch b {
            case .unboundedPreceding:
                guard isStart else { throw EngineError("42P20", "frame end cannot be UNBOUNDED PRECEDING") }
                return nil
            case .unboundedFollowing:
                guard !isStart else { throw EngineError("42P20", "frame start cannot be UNBOUNDED FOLLOWING") }
                return nil
            case .currentRow: return 0
            case let .preceding(e), let .following(e):
                guard case let .constant(v, _) = try binder.bind(e), !v.isNull else {
                    throw .featureNotSupported("frame offsets must be constants")
                }
                // Offsets past any partition size mean "all of it"; clamped so frame arithmetic cannot overflow.
                let n = Int(min(v.intValue, Int64(Int32.max)))
                guard n >= 0 else { throw EngineError("22013", "frame starting offset must not be negative") }
                if case .preceding = b { return isStart ? n : -n }
                return isStart ? -n : n
            }
        }
        let mode: FrameSpec.Mode = switch frame.mode {
        case .rows: .rows
        case .range: .range
        case .groups: .groups
        }
        if mode == .range, case .preceding = frame.start { throw .featureNotSupported("RANGE frames with offsets") }
        return FrameSpec(mode: mode, start: try offset(frame.start, isStart: true), end: try offset(frame.end ?? .currentRow, isStart: false))
    }
}
