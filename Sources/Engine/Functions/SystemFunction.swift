import Columnar

/// Functions of the system catalog and of arrays (see `ArrayText`), evaluated row by row:
/// they run over catalog relations of a few hundred rows. Those that look names up hold
/// the statement's `SystemCatalog`, so every call in a statement sees the same objects.
enum SystemFunction: Sendable, Hashable {
    /// `~`, `~*`, `!~`, `!~*`: POSIX regular expressions (Swift's regex engine).
    case regexMatch(caseInsensitive: Bool, negated: Bool)
    /// `ARRAY[a, b]` from its elements as text.
    case makeArray
    /// One value as an element of array text ("NULL" for NULL), for array_agg.
    case arrayElementText
    /// `a[i]`, 1-based; NULL out of range.
    case arrayElement
    /// `x op ANY|ALL (array)`, elements read as `elementType`.
    case arrayCompare(ComparisonOperator, all: Bool, elementType: DataType)
    case arrayToString
    case arrayUpper, arrayLower, arrayLength, cardinality
    /// `'name'::regclass` (fails for an unknown name) / `to_regclass` (NULL).
    case regclassOID(SystemCatalog, strict: Bool)
    case regclassText(SystemCatalog)
    case regtypeOID(strict: Bool)
    case regtypeText
    case regnamespaceOID(SystemCatalog)
    case regnamespaceText(SystemCatalog)
    case regroleOID(SystemCatalog)
    case regroleText(SystemCatalog)
    case formatType
    case userName(SystemCatalog)
    case tableIsVisible(SystemCatalog)
    /// `has_table_privilege([user,] table, privilege)`: SELECT on a table the catalog lists.
    case tablePrivilege(SystemCatalog)
    case relationSize(SystemCatalog)
    case encodingName
    case sizePretty
    case quoteIdent, quoteLiteral
    case jsonBuildObject

    func evaluate(_ cols: [Column], rowCount n: Int, resultType: DataType) throws(EngineError) -> Column {
        var builder = ColumnBuilder(type: resultType, capacity: n)
        var regexes: [String: Regex<AnyRegexOutput>] = [:]
        let types = cols.map(\.type)
        for i in 0..<n {
            let values = cols.map { Value.from($0, i) }
            builder.append(try evaluateRow(values, types: types, regexes: &regexes))
        }
        return builder.finish()
    }

    /// Functions that take NULL arguments themselves; every other one is NULL on a NULL argument.
    private var handlesNulls: Bool {
        switch self {
        case .makeArray, .arrayElementText, .jsonBuildObject, .arrayToString, .formatType, .quoteLiteral: true
        default: false
        }
    }

    private func evaluateRow(_ v: [Value], types: [DataType], regexes: inout [String: Regex<AnyRegexOutput>]) throws(EngineError) -> Value {
        if !handlesNulls, v.contains(where: \.isNull) { return .null }
        func text(_ k: Int) -> String? {
            if case let .string(s) = v[k] { return s }
            return v[k].isNull ? nil : ScalarFunction.text(v[k], types[k])
        }
        func oid(_ k: Int) -> Int32 { Int32(truncatingIfNeeded: v[k].intValue) }
        switch self {
        case let .regexMatch(caseInsensitive, negated):
            let pattern = text(1) ?? ""
            let key = (caseInsensitive ? "i:" : "s:") + pattern
            let regex: Regex<AnyRegexOutput>
            if let cached = regexes[key] {
                regex = cached
            } else {
                do { regex = try Regex(pattern) } catch {
                    throw EngineError("2201B", "invalid regular expression: \(error)")
                }
                regexes[key] = caseInsensitive ? regex.ignoresCase() : regex
            }
            let hit = (text(0) ?? "").contains(regexes[key] ?? regex)
            return .boolean(hit != negated)
        case .makeArray:
            return .string(ArrayText.format(v.indices.map { text($0) }))
        case .arrayElementText:
            return .string(ArrayText.element(text(0)))
        case .arrayElement:
            guard let elements = ArrayText.parse(text(0) ?? "") else { return .null }
            let k = v[1].intValue
            guard k >= 1, k <= Int64(elements.count) else { return .null }
            return elements[Int(k - 1)].map { .string($0) } ?? .null
        case let .arrayCompare(op, all, elementType):
            guard let elements = ArrayText.parse(text(1) ?? "") else { return .null }
            var builder = ColumnBuilder(type: .string, capacity: elements.count)
            for e in elements { builder.append(e.map { .string($0) } ?? .null) }
            let typed = try Casts.cast(builder.finish(), to: elementType)
            var sawNull = false
            for k in 0..<elements.count {
                let e = Value.from(typed, k)
                if e.isNull { sawNull = true; continue }
                let c = ValueOrder.compare(v[0], e)
                let holds = op.holds(c)
                if holds && !all { return .boolean(true) }
                if !holds && all { return .boolean(false) }
            }
            return sawNull ? .null : .boolean(all)
        case .arrayToString:
            guard let array = text(0), let separator = text(1), let elements = ArrayText.parse(array) else { return .null }
            let nullText = v.count > 2 ? text(2) : nil
            return .string(elements.compactMap { $0 ?? nullText }.joined(separator: separator))
        case .arrayUpper, .arrayLength, .cardinality:
            guard let elements = ArrayText.parse(text(0) ?? "") else { return .null }
            if self != .cardinality, v.count > 1, v[1].intValue != 1 { return .null }
            if elements.isEmpty { return self == .cardinality ? .int(0) : .null }
            return .int(Int64(elements.count))
        case .arrayLower:
            guard let elements = ArrayText.parse(text(0) ?? ""), !elements.isEmpty, v.count < 2 || v[1].intValue == 1 else { return .null }
            return .int(1)
        case let .regclassOID(catalog, strict):
            let name = text(0) ?? ""
            if let number = Int32(name) { return .int(Int64(number)) }
            if let found = try catalog.objects().relationOID(named: name) { return .int(Int64(found)) }
            if strict { throw .undefinedTable("relation \"\(name)\" does not exist") }
            return .null
        case .regclassText where oid(0) == 0, .regtypeText where oid(0) == 0, .regnamespaceText where oid(0) == 0,
             .regroleText where oid(0) == 0:
            return .string("-")  // InvalidOid prints as a dash
        case let .regclassText(catalog):
            return .string(try catalog.objects().relationText(oid: oid(0)))
        case let .regtypeOID(strict):
            let name = text(0) ?? ""
            if let number = Int32(name) { return .int(Int64(number)) }
            if let found = PgTypeRows.oid(named: name) { return .int(Int64(found)) }
            if strict { throw EngineError("42704", "type \"\(name)\" does not exist") }
            return .null
        case .regtypeText:
            return .string(PgTypeRows.formatType(oid: oid(0), modifier: nil) ?? String(oid(0)))
        case let .regnamespaceOID(catalog):
            let name = CatalogObjects.splitName(text(0) ?? "").last ?? ""
            guard let n = try catalog.objects().namespace(named: name) else { throw EngineError("3F000", "schema \"\(name)\" does not exist") }
            return .int(Int64(n.oid))
        case let .regnamespaceText(catalog):
            return .string(try catalog.objects().namespace(oid: oid(0)).map { SQLIdentifier.quoted($0.name) } ?? String(oid(0)))
        case let .regroleOID(catalog):
            let name = CatalogObjects.splitName(text(0) ?? "").last ?? ""
            guard let r = try catalog.objects().role(named: name) else { throw EngineError("42704", "role \"\(name)\" does not exist") }
            return .int(Int64(r.oid))
        case let .regroleText(catalog):
            return .string(try catalog.objects().role(oid: oid(0)).map { SQLIdentifier.quoted($0.name) } ?? String(oid(0)))
        case .formatType:
            guard !v[0].isNull else { return .null }
            let modifier = v.count > 1 && !v[1].isNull ? Int32(truncatingIfNeeded: v[1].intValue) : nil
            return .string(PgTypeRows.formatType(oid: oid(0), modifier: modifier) ?? "???")
        case let .userName(catalog):
            return .string(try catalog.objects().role(oid: oid(0))?.name ?? "unknown (OID=\(oid(0)))")
        case let .tableIsVisible(catalog):
            let objects = try catalog.objects()
            guard let r = objects.relation(oid: oid(0)) else { return .null }
            return .boolean(objects.isVisible(r))
        case let .tablePrivilege(catalog):
            let objects = try catalog.objects()
            let table = v.count == 3 ? 1 : 0
            let found: Int32? = if case .string = v[table] { objects.relationOID(named: text(table) ?? "") } else { oid(table) }
            guard let found, objects.relation(oid: found) != nil else {
                if case .string = v[table] { throw .undefinedTable("relation \"\(text(table) ?? "")\" does not exist") }
                return .null
            }
            let privileges = (text(v.count - 1) ?? "").lowercased().split(separator: ",").map { $0.trimmingCharacters() }
            return .boolean(privileges.allSatisfy { $0.hasPrefix("select") || $0.hasPrefix("references") })
        case let .relationSize(catalog):
            let objects = try catalog.objects()
            let found: Int32? = if case .string = v[0] { objects.relationOID(named: text(0) ?? "") } else { oid(0) }
            return found.flatMap { objects.relation(oid: $0) }.map { .int(Int64($0.bytes)) } ?? .null
        case .encodingName:
            return .string(v[0].intValue == 6 ? "UTF8" : v[0].intValue == 0 ? "SQL_ASCII" : "")
        case .sizePretty:
            return .string(Self.prettySize(v[0].intValue))
        case .quoteIdent:
            return .string(SQLIdentifier.quoted(text(0) ?? ""))
        case .quoteLiteral:
            guard let s = text(0) else { return .null }
            return .string("'" + s.replacingAll("'", with: "''") + "'")
        case .jsonBuildObject:
            guard v.count % 2 == 0 else { throw EngineError("22023", "argument list must have even number of elements") }
            var parts: [String] = []
            for k in stride(from: 0, to: v.count, by: 2) {
                guard let key = text(k) else { throw EngineError("22004", "null value not allowed for object key") }
                parts.append(Self.json(.string(key), .string) + " : " + Self.json(v[k + 1], types[k + 1]))
            }
            return .string("{" + parts.joined(separator: ", ") + "}")
        }
    }

    /// pg_size_pretty: bytes, then kB, MB, GB, TB, rounding half up once a unit holds at least 10240 of the one below.
    static func prettySize(_ bytes: Int64) -> String {
        var size = bytes
        for unit in ["bytes", "kB", "MB", "GB", "TB"] {
            if Swift.abs(size) < 10 * 1024 || unit == "TB" { return "\(size) \(unit)" }
            size = (size + (size < 0 ? -512 : 512)) / 1024
        }
        return "\(size) PB"
    }

    static func json(_ v: Value, _ type: DataType) -> String {
        switch v {
        case .null: return "null"
        case let .boolean(b): return b ? "true" : "false"
        case .int, .double, .decimal: return SQLTypes.isNumeric(type) ? ScalarFunction.text(v, type) : "\"" + ScalarFunction.text(v, type) + "\""
        default:
            if case let .string(s) = v { return ValueText.jsonString(s) }
            return ValueText.jsonString(ScalarFunction.text(v, type))
        }
    }
}
