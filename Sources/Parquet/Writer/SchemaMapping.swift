import Columnar

/// How one leaf's in-memory values become Parquet physical values, and in
/// which order its statistics compare them.
enum LeafValueKind: Sendable, Equatable {
    case boolean
    /// INT32 from any integer storage (int8...uint32, date32, time(ms), decimal p <= 9).
    case int32(signed: Bool)
    /// INT64 from int64/uint64 storage (also decimals 10...18 and times, timestamps).
    case int64(signed: Bool)
    case float
    case double
    case byteArray
    /// FIXED_LEN_BYTE_ARRAY compared as unsigned bytes.
    case fixed(width: Int)
    /// FIXED_LEN_BYTE_ARRAY(2) holding IEEE binary16 little-endian, compared as floats.
    case float16
    /// FIXED_LEN_BYTE_ARRAY big-endian two's complement, compared as signed numbers.
    case decimalFixed(width: Int)

    var physicalType: PhysicalType {
        switch self {
        case .boolean: .boolean
        case .int32: .int32
        case .int64: .int64
        case .float: .float
        case .double: .double
        case .byteArray: .byteArray
        case .fixed, .float16, .decimalFixed: .fixedLenByteArray
        }
    }

    var width: Int {
        switch self {
        case .boolean: 1
        case .int32, .float: 4
        case .int64, .double: 8
        case .byteArray: 0
        case let .fixed(w), let .decimalFixed(w): w
        case .float16: 2
        }
    }
}

/// One step of the path from a top-level column down to a leaf: what the
/// shredder does with the column at that depth.
enum ShredStep: Sendable {
    /// A (possibly optional) struct: continue into its field `child`.
    case structure(nullable: Bool, child: Int)
    /// A list or map: an optional/required outer node and a repeated node with
    /// repetition level `repetitionLevel`; continue into its child column.
    case list(nullable: Bool, repetitionLevel: Int)
    case leaf(nullable: Bool)
}

/// A leaf column (column chunk) as the writer sees it.
struct WriterLeaf: Sendable {
    var index: Int
    var topLevel: Int
    var path: [String]
    var steps: [ShredStep]
    var kind: LeafValueKind
    var dataType: DataType
    var maxDefinitionLevel: Int
    var maxRepetitionLevel: Int
    /// Raw 12-byte values written as legacy INT96 (kind `.fixed(width: 12)`).
    var isInt96 = false
    var dottedPath: String { path.joined(separator: ".") }
    var physicalType: PhysicalType { isInt96 ? .int96 : kind.physicalType }
}

/// Columnar fields → the Parquet schema (flat, depth-first `SchemaElement` list)
/// and the writer's leaves.
struct SchemaMapping {
    var elements: [SchemaElement] = []
    var leaves: [WriterLeaf] = []

    init(fields: [Field], int96Columns: Set<String> = []) throws(ParquetError) {
        elements.append(SchemaElement(type: nil, typeLength: nil, repetitionType: nil, name: "schema",
                                      numChildren: Int32(fields.count), convertedType: nil, scale: nil, precision: nil,
                                      fieldId: nil, logicalType: nil))
        guard !fields.isEmpty else { throw ParquetError.unsupported("cannot write a Parquet file without columns") }
        for (i, field) in fields.enumerated() {
            try add(field, name: field.name, nullable: field.nullable, topLevel: i, path: [], steps: [], def: 0, rep: 0)
        }
        for column in int96Columns {
            guard let i = leaves.firstIndex(where: { $0.dottedPath == column }), leaves[i].dataType == .fixedBinary(width: 12) else {
                throw ParquetError.unsupported("INT96 output for '\(column)': only a fixed_binary(12) leaf column can be written as INT96")
            }
            leaves[i].isInt96 = true
            // Leaves and their elements appear in the same depth-first order: find the i-th leaf element.
            var seen = -1
            for (j, element) in elements.enumerated() where element.numChildren == nil && j > 0 {
                seen += 1
                if seen == i { elements[j].type = .int96; elements[j].typeLength = nil; break }
            }
        }
    }

    private static func repetition(_ nullable: Bool) -> Repetition { nullable ? .optional : .required }

    private mutating func add(_ field: Field, name: String, nullable: Bool, topLevel: Int, path: [String], steps: [ShredStep],
                              def: Int, rep: Int) throws(ParquetError) {
        let path = path + [name]
        let def = def + (nullable ? 1 : 0)
        let where_ = path.joined(separator: ".")
        switch field.type {
        case let .structure(children):
            guard !children.isEmpty else { throw ParquetError.unsupported("struct column '\(where_)' has no fields; Parquet groups need one") }
            elements.append(SchemaElement(type: nil, typeLength: nil, repetitionType: Self.repetition(nullable), name: name,
                                          numChildren: Int32(children.count), convertedType: nil, scale: nil, precision: nil,
                                          fieldId: nil, logicalType: nil))
            for (c, child) in children.enumerated() {
                try add(child, name: child.name, nullable: child.nullable, topLevel: topLevel, path: path,
                        steps: steps + [.structure(nullable: nullable, child: c)], def: def, rep: rep)
            }
        case let .list(element):
            elements.append(SchemaElement(type: nil, typeLength: nil, repetitionType: Self.repetition(nullable), name: name,
                                          numChildren: 1, convertedType: .list, scale: nil, precision: nil,
                                          fieldId: nil, logicalType: .list))
            elements.append(SchemaElement(type: nil, typeLength: nil, repetitionType: .repeated, name: "list",
                                          numChildren: 1, convertedType: nil, scale: nil, precision: nil,
                                          fieldId: nil, logicalType: nil))
            try add(element, name: "element", nullable: element.nullable, topLevel: topLevel, path: path + ["list"],
                    steps: steps + [.list(nullable: nullable, repetitionLevel: rep + 1)], def: def + 1, rep: rep + 1)
        case let .map(key, value):
            elements.append(SchemaElement(type: nil, typeLength: nil, repetitionType: Self.repetition(nullable), name: name,
                                          numChildren: 1, convertedType: .map, scale: nil, precision: nil,
                                          fieldId: nil, logicalType: .map))
            elements.append(SchemaElement(type: nil, typeLength: nil, repetitionType: .repeated, name: "key_value",
                                          numChildren: 2, convertedType: nil, scale: nil, precision: nil,
                                          fieldId: nil, logicalType: nil))
            let listStep = ShredStep.list(nullable: nullable, repetitionLevel: rep + 1)
            try add(key, name: key.name.isEmpty ? "key" : key.name, nullable: false, topLevel: topLevel, path: path + ["key_value"],
                    steps: steps + [listStep, .structure(nullable: false, child: 0)], def: def + 1, rep: rep + 1)
            try add(value, name: value.name.isEmpty ? "value" : value.name, nullable: value.nullable, topLevel: topLevel,
                    path: path + ["key_value"], steps: steps + [listStep, .structure(nullable: false, child: 1)], def: def + 1, rep: rep + 1)
        default:
            let (element, kind) = try Self.leafElement(field.type, name: name, repetition: Self.repetition(nullable), where_: where_)
            elements.append(element)
            leaves.append(WriterLeaf(index: leaves.count, topLevel: topLevel, path: path, steps: steps + [.leaf(nullable: nullable)],
                                     kind: kind, dataType: field.type, maxDefinitionLevel: def, maxRepetitionLevel: rep))
        }
    }

    /// Bytes of a big-endian two's complement integer that holds every value of `precision` digits.
    static func decimalWidth(precision: Int) -> Int {
        // Smallest n with 10^p - 1 <= 2^(8n-1) - 1, i.e. p <= (8n - 1) * log10(2).
        var n = 1
        while Double(precision) > Double(8 * n - 1) * 0.301_029_995_663_981_2 { n += 1 }
        return n
    }

    static func leafElement(_ type: DataType, name: String, repetition: Repetition, where_: String) throws(ParquetError) -> (SchemaElement, LeafValueKind) {
        func element(_ physical: PhysicalType, length: Int? = nil, converted: ConvertedType? = nil, logical: LogicalType? = nil,
                     scale: Int? = nil, precision: Int? = nil) -> SchemaElement {
            SchemaElement(type: physical, typeLength: length.map { Int32($0) }, repetitionType: repetition, name: name, numChildren: nil,
                          convertedType: converted, scale: scale.map { Int32($0) }, precision: precision.map { Int32($0) },
                          fieldId: nil, logicalType: logical)
        }
        switch type {
        case .boolean: return (element(.boolean), .boolean)
        case .int8: return (element(.int32, converted: .int8, logical: .integer(bitWidth: 8, isSigned: true)), .int32(signed: true))
        case .int16: return (element(.int32, converted: .int16, logical: .integer(bitWidth: 16, isSigned: true)), .int32(signed: true))
        // Plain INT32/INT64 carry no annotation, as every writer leaves them.
        case .int32: return (element(.int32), .int32(signed: true))
        case .int64: return (element(.int64), .int64(signed: true))
        case .uint8: return (element(.int32, converted: .uint8, logical: .integer(bitWidth: 8, isSigned: false)), .int32(signed: false))
        case .uint16: return (element(.int32, converted: .uint16, logical: .integer(bitWidth: 16, isSigned: false)), .int32(signed: false))
        case .uint32: return (element(.int32, converted: .uint32, logical: .integer(bitWidth: 32, isSigned: false)), .int32(signed: false))
        case .uint64: return (element(.int64, converted: .uint64, logical: .integer(bitWidth: 64, isSigned: false)), .int64(signed: false))
        case .float16: return (element(.fixedLenByteArray, length: 2, logical: .float16), .float16)
        case .float32: return (element(.float), .float)
        case .float64: return (element(.double), .double)
        case let .decimal(precision, scale):
            guard precision >= 1, scale >= 0, scale <= precision else {
                throw ParquetError.unsupported("column '\(where_)': decimal(\(precision), \(scale)) has no Parquet form")
            }
            let logical = LogicalType.decimal(precision: Int32(precision), scale: Int32(scale))
            if precision <= 9 {
                return (element(.int32, converted: .decimal, logical: logical, scale: scale, precision: precision), .int32(signed: true))
            }
            if precision <= 18 {
                return (element(.int64, converted: .decimal, logical: logical, scale: scale, precision: precision), .int64(signed: true))
            }
            let width = decimalWidth(precision: precision)
            return (element(.fixedLenByteArray, length: width, converted: .decimal, logical: logical, scale: scale, precision: precision),
                    .decimalFixed(width: width))
        case .string: return (element(.byteArray, converted: .utf8, logical: .string), .byteArray)
        case .binary: return (element(.byteArray), .byteArray)
        case let .fixedBinary(width):
            guard width >= 0 else { throw ParquetError.unsupported("column '\(where_)': fixed_binary(\(width))") }
            return (element(.fixedLenByteArray, length: width), .fixed(width: width))
        case .date32: return (element(.int32, converted: .date, logical: .date), .int32(signed: true))
        case let .time(unit):
            // Times of day are local (isAdjustedToUTC false, as pyarrow writes them); the legacy
            // TIME_MILLIS/TIME_MICROS annotations mean UTC-adjusted, so they are left off.
            switch unit {
            case .millisecond: return (element(.int32, logical: .time(isAdjustedToUTC: false, unit: .millis)), .int32(signed: true))
            case .microsecond: return (element(.int64, logical: .time(isAdjustedToUTC: false, unit: .micros)), .int64(signed: true))
            case .nanosecond: return (element(.int64, logical: .time(isAdjustedToUTC: false, unit: .nanos)), .int64(signed: true))
            }
        case let .timestamp(unit, utc):
            // TIMESTAMP_MILLIS/MICROS are added whatever the UTC flag, as pyarrow and parquet-mr do,
            // so readers that know only converted types still see a timestamp.
            let parquetUnit: TimeUnit
            var converted: ConvertedType?
            switch unit {
            case .millisecond: parquetUnit = .millis; converted = .timestampMillis
            case .microsecond: parquetUnit = .micros; converted = .timestampMicros
            case .nanosecond: parquetUnit = .nanos
            }
            return (element(.int64, converted: converted, logical: .timestamp(isAdjustedToUTC: utc, unit: parquetUnit)), .int64(signed: true))
        case .interval:
            // Parquet's INTERVAL keeps milliseconds only; writing it would lose microseconds.
            throw ParquetError.unsupported("column '\(where_)': interval columns cannot be written to Parquet yet")
        case .list, .structure, .map:
            throw ParquetError.unsupported("column '\(where_)': \(type) is not a leaf type")
        }
    }
}
