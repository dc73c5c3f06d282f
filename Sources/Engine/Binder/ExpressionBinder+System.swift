import Columnar
import SQL

/// What clients' catalog queries need of the binder: the connect-time functions, the
/// catalog functions, the OID types (`oid`, `regclass`, `regtype`, ...), regular-expression
/// operators, COLLATE (accepted; Basalt compares text by code point) and arrays as text
/// (`ArrayText`).
extension ExpressionBinder {
    var system: SystemCatalog { binder.catalog.system }
    var session: SessionInfo { binder.catalog.system.session }

    // MARK: arrays

    /// `ARRAY[a, b]`: the elements at their common type, written as array text.
    func arrayConstructor(_ items: [Expression]) throws(EngineError) -> BoundExpression {
        var bound: [BoundExpression] = []
        for item in items { bound.append(try bind(item)) }
        let type = try Self.commonResultType(bound, "ARRAY")
        return Self.fold(.function(.system(.makeArray), bound.map { Self.coerce(Self.coerce($0, to: type), to: .string) }, .string))
    }

    /// `ARRAY(query)` as `COALESCE((SELECT array_agg(x) FROM (query) AS a(x)), '{}')`.
    func arraySubquery(_ query: Query) throws(EngineError) -> BoundExpression {
        let alias = TableAlias("array", columns: ["element"])
        let aggregate = Expression.function(.call("array_agg", [.column(QualifiedName(["array", "element"]))]))
        let inner = Query(body: .select(Select(items: [.expression(aggregate, alias: nil)], from: [.subquery(query, alias: alias, lateral: false)])))
        return try bind(.function(.call("coalesce", [.subquery(inner), .literal(.string("{}"))])))
    }

    /// `array_agg(x [ORDER BY ...])` as `'{' || string_agg(element text of x, ',' [ORDER BY ...]) || '}'` (NULL over no rows).
    static func arrayAggregate(_ call: FunctionCall) -> Expression? {
        guard call.name.name == "array_agg", call.over == nil, call.arguments.count == 1, !call.star else { return nil }
        var aggregate = call
        aggregate.name = QualifiedName(["string_agg"], position: call.name.position)
        let element = Expression.function(.call("basalt_array_element", [.cast(call.arguments[0], TypeName("text"))]))
        aggregate.arguments = [element, .literal(.string(","))]
        return .binary(.concat, .binary(.concat, .literal(.string("{")), .function(aggregate)), .literal(.string("}")))
    }

    /// `a[i]`: the element as the array's element type.
    func arrayElement(_ array: Expression, _ index: Expression) throws(EngineError) -> BoundExpression {
        let a = try arrayValue(array)
        let i = Self.coerce(try bind(index), to: .int64)
        let element = BoundExpression.function(.system(.arrayElement), [a, i], .string)
        return Self.fold(Self.coerce(element, to: try arrayElementType(array)))
    }

    /// `x op ANY|ALL (array)`: an ARRAY[...] constructor becomes OR/AND of comparisons (so
    /// `relkind = ANY (ARRAY['r', 'p'])` is an IN list); other arrays are searched per row.
    func quantifiedArray(_ x: Expression, _ op: BinaryOperator, _ quantifier: Quantifier, _ array: Expression) throws(EngineError) -> BoundExpression {
        var inner = array
        while case let .collate(e, _) = inner { inner = e }
        if case let .array(items) = inner {
            if op == .equal, quantifier == .any, !items.isEmpty { return try bind(.inList(x, items, negated: false)) }
            if op == .notEqual, quantifier == .all, !items.isEmpty { return try bind(.inList(x, items, negated: true)) }
            let terms = items.map { Expression.binary(op, x, $0) }
            guard let first = terms.first else { return .constant(.boolean(quantifier == .all), .boolean) }
            return try bind(terms.dropFirst().reduce(first) { .binary(quantifier == .all ? .and : .or, $0, $1) })
        }
        guard let comparison = ComparisonOperator(op) else {
            throw .featureNotSupported("\(op.rawValue) \(quantifier.rawValue.uppercased()) (array)")
        }
        let elementType = try arrayElementType(array)
        var tested = try bind(x)
        var type = elementType
        if elementType == .string, tested.type != .string, !isNull(tested) {
            // Array text of elements whose type got lost on the way (array_agg's result
            // through a WITH query): its elements are read as the tested value's type.
            type = tested.type
        } else if !(tested.type == .string && tested.isConstant) {
            guard let t = SQLTypes.commonType(tested.type, elementType) else {
                throw .undefinedFunction("operator does not exist: \(SQLTypes.name(tested.type)) \(op.rawValue) \(SQLTypes.name(elementType))")
            }
            type = t
        }
        tested = Self.coerce(tested, to: type)
        return Self.fold(.function(.system(.arrayCompare(comparison, all: quantifier == .all, elementType: type)), [tested, try arrayValue(array)], .boolean))
    }

    /// An array-valued expression (array text).
    private func arrayValue(_ e: Expression) throws(EngineError) -> BoundExpression {
        let b = try bind(e)
        guard b.type == .string else {
            throw .datatypeMismatch("cannot subscript type \(SQLTypes.name(b.type)) because it does not support subscripting")
        }
        return b
    }

    /// The element type of an array expression: the system catalog column's, the cast's
    /// (`x::int2[]`), the constructor's; text otherwise.
    func arrayElementType(_ e: Expression) throws(EngineError) -> DataType {
        switch e {
        case let .column(name):
            return Self.catalogArrayElementTypes[name.name] ?? .string
        case let .cast(_, type) where type.isArray:
            let name = type.name.hasPrefix("pg_catalog.") ? String(type.name.dropFirst("pg_catalog.".count)) : type.name
            if ["oid", "regclass", "regtype", "regproc", "regnamespace", "regrole"].contains(name) { return .int32 }
            return (try? SQLTypes.dataType(TypeName(name, modifiers: type.modifiers))) ?? .string
        case let .cast(_, type):
            return type.name == "int2vector" ? .int16 : type.name == "oidvector" ? .int32 : .string
        case let .array(items):
            var bound: [BoundExpression] = []
            for item in items { bound.append(try bind(item)) }
            return try Self.commonResultType(bound, "ARRAY")
        case let .collate(inner, _):
            return try arrayElementType(inner)
        default:
            return .string
        }
    }

    /// Element types of the system catalog's array columns, by column name.
    static let catalogArrayElementTypes: [String: DataType] = {
        var types: [String: DataType] = [:]
        for table in SystemCatalog.tables {
            for c in table.columns {
                if let t = SystemTable.arrayElementType(c.postgresType), types[c.name] == nil { types[c.name] = t }
            }
        }
        return types
    }()

    // MARK: casts to the OID and catalog types

    /// Casts to types Basalt has only in the catalog: `oid`, `regclass`, `regtype`, `regproc`,
    /// `regnamespace`, `regrole`, arrays and the vector types. Text becomes an OID by lookup,
    /// an OID becomes its name; nil for every other type.
    func catalogCast(_ x: Expression, _ type: TypeName) throws(EngineError) -> BoundExpression? {
        let name = type.name.hasPrefix("pg_catalog.") ? String(type.name.dropFirst("pg_catalog.".count)) : type.name
        let regTypes: Set<String> = ["regclass", "regtype", "regnamespace", "regrole"]
        // 'int4'::regtype::text is the type's name, as PostgreSQL prints a regtype: look up, then name.
        if ["text", "varchar", "name"].contains(name), !type.isArray, case let .cast(inner, regType) = x, regTypes.contains(regType.name),
           let oid = try catalogCast(inner, regType), SQLTypes.isInteger(oid.type) {
            return try nameOf(oid, regType.name)
        }
        let arrayLike: Set<String> = ["int2vector", "oidvector", "aclitem", "pg_node_tree", "regconfig", "regprocedure", "regoper", "regoperator"]
        if type.isArray || arrayLike.contains(name) {
            if type.isArray, let k = unresolvedParameter(x) {
                binder.parameters?.infer(k, .list(Field("element", try arrayElementType(.cast(x, type)))))
                let catalogArrays: [String: PostgresType] = ["oid": .oidType, "regclass": .regclass, "regtype": .regtype, "regproc": .regproc]
                if let array = catalogArrays[name]?.arrayOID { binder.parameters?.wireOIDs[k] = array }
            }
            let b = try bind(x)
            return b.type == .string ? b : Self.coerce(b, to: .string)
        }
        switch name {
        case "oid", "xid", "cid", "xid8":
            let b = try bind(x)
            return Self.fold(Self.coerce(b, to: name == "oid" ? .int32 : .int64))
        case "regclass", "regtype", "regnamespace", "regrole":
            let b = try bind(x)
            if case let .constant(v, _) = b, v.isNull { return .constant(.null, .int32) }
            if b.type == .string {
                let f: SystemFunction = switch name {
                case "regclass": .regclassOID(system, strict: true)
                case "regtype": .regtypeOID(strict: true)
                case "regnamespace": .regnamespaceOID(system)
                default: .regroleOID(system)
                }
                let call = BoundExpression.function(.system(f), [b], .int32)
                if b.isConstant {
                    // Folded now, so a wrong name fails here rather than on the first row.
                    let column = try ExpressionEvaluator().evaluate(call, RecordBatch(fields: [], columns: [], rowCount: 1))
                    return .constant(Value.from(column, 0), .int32)
                }
                return call
            }
            guard SQLTypes.isInteger(b.type) else {
                throw .datatypeMismatch("cannot cast type \(SQLTypes.name(b.type)) to \(name)")
            }
            let f: SystemFunction = switch name {
            case "regclass": .regclassText(system)
            case "regtype": .regtypeText
            case "regnamespace": .regnamespaceText(system)
            default: .regroleText(system)
            }
            return Self.fold(.function(.system(f), [Self.coerce(b, to: .int32)], .string))
        case "regproc":
            // Functions are known by name: regproc stays text ('pg_catalog.array_in' → 'array_in').
            let b = try bind(x)
            guard b.type == .string else { return Self.coerce(b, to: .string) }
            if case let .constant(.string(s), _) = b { return .constant(.string(CatalogObjects.splitName(s).last ?? s), .string) }
            return b
        default:
            return nil
        }
    }

    /// An OID as the name of the object it identifies (`regclass` → relation name, ...).
    private func nameOf(_ oid: BoundExpression, _ regType: String) throws(EngineError) -> BoundExpression {
        let f: SystemFunction = switch regType {
        case "regclass": .regclassText(system)
        case "regtype": .regtypeText
        case "regnamespace": .regnamespaceText(system)
        default: .regroleText(system)
        }
        return Self.fold(.function(.system(f), [Self.coerce(oid, to: .int32)], .string))
    }

    // MARK: operators

    /// `a ~ b`, `a ~* b`, `a !~ b`, `a !~* b`.
    func regexMatch(_ op: BinaryOperator, _ a: BoundExpression, _ b: BoundExpression) throws(EngineError) -> BoundExpression {
        for e in [a, b] where e.type != .string && !(e.isConstant && { if case let .constant(v, _) = e { return v.isNull }; return false }()) {
            throw .undefinedFunction("operator does not exist: \(SQLTypes.name(a.type)) \(op.rawValue) \(SQLTypes.name(b.type))",
                                     hint: "No operator matches the given name and argument types. You might need to add explicit type casts.")
        }
        let f = SystemFunction.regexMatch(caseInsensitive: op == .regexMatchInsensitive || op == .regexNotMatchInsensitive,
                                          negated: op == .regexNotMatch || op == .regexNotMatchInsensitive)
        return Self.fold(.function(.system(f), [Self.coerce(a, to: .string), Self.coerce(b, to: .string)], .boolean))
    }

    // MARK: functions

    /// The connect-time and catalog functions; nil when `name` is none of them.
    func systemFunction(_ name: String, _ args: [BoundExpression], position: Int?) throws(EngineError) -> BoundExpression? {
        func expect(_ counts: ClosedRange<Int>) throws(EngineError) {
            guard counts.contains(args.count) else {
                throw .undefinedFunction("function \(name)(\(args.map { SQLTypes.name($0.type) }.joined(separator: ", "))) does not exist",
                                         position: position, hint: Self.noFunctionHint)
            }
        }
        func text(_ i: Int) -> BoundExpression { Self.coerce(args[i], to: .string) }
        func oid(_ i: Int) -> BoundExpression { Self.coerce(args[i], to: .int32) }
        func call(_ f: SystemFunction, _ arguments: [BoundExpression], _ type: DataType) -> BoundExpression {
            Self.fold(.function(.system(f), arguments, type))
        }
        let nullText = BoundExpression.constant(.null, .string)
        switch name {
        case "version":
            try expect(0...0)
            return .constant(.string(Self.versionString), .string)
        case "current_user", "session_user", "user", "current_role", "system_user":
            return .constant(.string(session.user), .string)
        case "current_database", "current_catalog":
            return .constant(.string(session.database), .string)
        case "current_schema":
            return session.searchPath.first.map { .constant(.string($0), .string) } ?? nullText
        case "current_schemas":
            try expect(1...1)
            guard case let .constant(.boolean(implicit), _) = Self.coerce(args[0], to: .boolean) else {
                throw .featureNotSupported("current_schemas needs a constant argument")
            }
            return .constant(.string(ArrayText.format((implicit ? session.effectiveSearchPath : session.searchPath).map { $0 })), .string)
        case "pg_backend_pid":
            return .constant(.int(Int64(session.backendPID)), .int32)
        case "inet_server_addr", "inet_client_addr":
            return nullText
        case "inet_server_port", "inet_client_port":
            return .constant(.null, .int32)
        case "pg_is_in_recovery":
            return .constant(.boolean(false), .boolean)
        case "txid_current", "pg_current_xact_id":
            return .constant(.int(Int64(session.backendPID) << 20 | Self.statementTime % (1 << 20)), .int64)
        case "pg_postmaster_start_time", "pg_conf_load_time":
            return .constant(.int(Self.statementTime), .timestamp(.microsecond, utc: true))
        case "current_setting":
            try expect(1...2)
            guard case let .constant(.string(setting), _) = args[0] else { throw .featureNotSupported("current_setting needs a constant name") }
            if let value = session.setting(setting) { return .constant(.string(value), .string) }
            if args.count == 2, case .constant(.boolean(true), _) = Self.coerce(args[1], to: .boolean) { return nullText }
            throw EngineError("42704", "unrecognized configuration parameter \"\(setting)\"")
        case "set_config":
            // Returns the new value; SET is how a session changes a setting (set_config does not persist it yet).
            try expect(3...3)
            return text(1)
        case "format_type":
            try expect(2...2)
            return call(.formatType, [oid(0), oid(1)], .string)
        case "pg_get_userbyid":
            try expect(1...1)
            return call(.userName(system), [oid(0)], .string)
        case "pg_table_is_visible":
            try expect(1...1)
            return call(.tableIsVisible(system), [oid(0)], .boolean)
        case "pg_type_is_visible", "pg_function_is_visible", "pg_collation_is_visible", "pg_opclass_is_visible",
             "pg_operator_is_visible", "pg_conversion_is_visible", "pg_ts_config_is_visible":
            try expect(1...1)
            return .constant(.boolean(true), .boolean)
        case "has_table_privilege", "has_any_column_privilege":
            try expect(2...3)
            var arguments = args.map { $0.type == .string ? $0 : Self.coerce($0, to: .int32) }
            if arguments.count == 3 { arguments[0] = Self.coerce(arguments[0], to: .string) }
            return call(.tablePrivilege(system), arguments, .boolean)
        case "has_schema_privilege", "has_database_privilege", "has_column_privilege", "has_function_privilege",
             "has_sequence_privilege", "has_type_privilege", "has_language_privilege", "has_tablespace_privilege", "pg_has_role":
            try expect(2...4)
            return .constant(.boolean(true), .boolean)
        case "obj_description", "col_description", "shobj_description":
            try expect(1...2)
            return nullText
        case "pg_get_expr", "pg_get_constraintdef", "pg_get_indexdef", "pg_get_viewdef", "pg_get_triggerdef", "pg_get_ruledef",
             "pg_get_function_result", "pg_get_function_arguments", "pg_get_function_identity_arguments", "pg_get_partkeydef",
             "pg_get_statisticsobjdef_columns", "pg_get_serial_sequence", "pg_get_partition_constraintdef", "pg_get_function_sqlbody":
            // Basalt has no defaults, constraints, indexes, views or partitioned-table definitions to print.
            try expect(1...3)
            return nullText
        case "pg_relation_is_publishable":
            try expect(1...1)
            return .constant(.boolean(false), .boolean)
        case "pg_encoding_to_char":
            try expect(1...1)
            return call(.encodingName, [Self.coerce(args[0], to: .int32)], .string)
        case "pg_size_pretty":
            try expect(1...1)
            return call(.sizePretty, [Self.coerce(args[0], to: .int64)], .string)
        case "pg_relation_size", "pg_total_relation_size", "pg_table_size":
            try expect(1...2)
            return call(.relationSize(system), [args[0].type == .string ? args[0] : oid(0)], .int64)
        case "quote_ident":
            try expect(1...1)
            return call(.quoteIdent, [text(0)], .string)
        case "quote_literal":
            try expect(1...1)
            return call(.quoteLiteral, [text(0)], .string)
        case "to_regtype":
            try expect(1...1)
            return call(.regtypeOID(strict: false), [text(0)], .int32)
        case "to_regclass":
            try expect(1...1)
            return call(.regclassOID(system, strict: false), [text(0)], .int32)
        case "pg_typeof":
            try expect(1...1)
            return .constant(.string(PgTypeRows.formatType(oid: PostgresType.of(args[0].type).oid, modifier: nil) ?? "unknown"), .string)
        case "array_to_string":
            try expect(2...3)
            return call(.arrayToString, args.map { Self.coerce($0, to: .string) }, .string)
        case "array_upper", "array_lower", "array_length":
            try expect(2...2)
            let f: SystemFunction = name == "array_upper" ? .arrayUpper : name == "array_lower" ? .arrayLower : .arrayLength
            return call(f, [text(0), Self.coerce(args[1], to: .int64)], .int32)
        case "cardinality":
            try expect(1...1)
            return call(.cardinality, [text(0)], .int32)
        case "basalt_array_element":
            try expect(1...1)
            return call(.arrayElementText, [text(0)], .string)
        case "json_build_object", "jsonb_build_object":
            return call(.jsonBuildObject, args, .string)
        default:
            return nil
        }
    }

    /// version(): PostgreSQL 15's format, so clients that parse it see a server they support.
    static var versionString: String {
        #if arch(x86_64)
        let machine = "x86_64-pc-linux-gnu"
        #elseif arch(arm64)
        let machine = "aarch64-unknown-linux-gnu"
        #else
        let machine = "unknown-linux-gnu"
        #endif
        return "PostgreSQL 15.0 (Basalt 0.1) on \(machine), compiled by swiftc, 64-bit"
    }
}
