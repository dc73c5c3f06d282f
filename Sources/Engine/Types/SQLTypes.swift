import Columnar
import SQL

/// The engine's SQL types and their in-memory form. Every column inside the
/// engine has one of these canonical shapes (the scan converts what Parquet
/// gives into them), so kernels need one loop per canonical storage:
///
/// | SQL type          | DataType                          | storage             |
/// |-------------------|-----------------------------------|---------------------|
/// | boolean           | .boolean                          | .boolean (0/1 bytes) |
/// | smallint/int/bigint | .int16 / .int32 / .int64        | same                |
/// | real / double     | .float32 / .float64               | same                |
/// | numeric(p,s)      | .decimal(p,s)                     | .int64 (p<=18) or .int128 |
/// | text / varchar    | .string                           | .bytes or .dictionary |
/// | bytea             | .binary                           | .bytes              |
/// | date              | .date32                           | .int32 (days)       |
/// | time              | .time(.microsecond)               | .int64              |
/// | timestamp[tz]     | .timestamp(.microsecond, utc:)    | .int64              |
enum SQLTypes {
    /// The widest numeric precision the engine computes with (Int128 holds 38 digits).
    static let maxPrecision = 38

    /// The canonical type for a column of `type` read from storage.
    static func canonical(_ type: DataType) -> DataType {
        switch type {
        case .int8, .uint8: .int16
        case .uint16: .int32
        case .uint32: .int64
        case .uint64: .decimal(precision: 20, scale: 0)
        case .float16: .float32
        case .fixedBinary: .binary
        case .time: .time(.microsecond)
        case let .timestamp(_, utc): .timestamp(.microsecond, utc: utc)
        default: type
        }
    }

    /// `CAST(x AS name)` target.
    static func dataType(_ name: TypeName) throws(EngineError) -> DataType {
        if name.isArray { throw .featureNotSupported("array types are not supported yet: \(name)") }
        switch name.name {
        case "boolean": return .boolean
        case "smallint": return .int16
        case "integer": return .int32
        case "bigint": return .int64
        case "real": return .float32
        case "double precision": return .float64
        case "numeric":
            switch name.modifiers.count {
            case 0: return .decimal(precision: maxPrecision, scale: 6)  // unconstrained numeric: a generous default
            case 1: return .decimal(precision: try precision(name.modifiers[0]), scale: 0)
            default:
                let p = try precision(name.modifiers[0])
                let s = name.modifiers[1]
                guard s >= 0, s <= p else { throw .invalidText("NUMERIC scale \(s) must be between 0 and precision \(p)") }
                return .decimal(precision: p, scale: s)
            }
        case "text", "varchar", "char", "bpchar", "name", "json", "jsonb", "uuid": return .string
        case "bytea": return .binary
        case "date": return .date32
        case "time": return .time(.microsecond)
        case "timestamp": return .timestamp(.microsecond, utc: false)
        case "timestamptz": return .timestamp(.microsecond, utc: true)
        case let n where n == "interval" || n.hasPrefix("interval "): return .interval
        default: throw EngineError("42704", "type \"\(name.name)\" does not exist")
        }
    }

    private static func precision(_ p: Int) throws(EngineError) -> Int {
        guard p >= 1, p <= maxPrecision else {
            throw .invalidText("NUMERIC precision \(p) must be between 1 and \(maxPrecision)")
        }
        return p
    }

    /// PostgreSQL's name of a type, for messages and for clients.
    static func name(_ type: DataType) -> String {
        switch type {
        case .boolean: "boolean"
        case .int8, .int16, .uint8: "smallint"
        case .int32, .uint16: "integer"
        case .int64, .uint32: "bigint"
        case .float16, .float32: "real"
        case .float64: "double precision"
        case .uint64: "numeric"
        case let .decimal(p, s): "numeric(\(p),\(s))"
        case .string: "text"
        case .binary, .fixedBinary: "bytea"
        case .date32: "date"
        case .time: "time without time zone"
        case let .timestamp(_, utc): utc ? "timestamp with time zone" : "timestamp without time zone"
        case .interval: "interval"
        case .list, .structure, .map: type.description
        }
    }

    static func isInteger(_ t: DataType) -> Bool {
        switch t {
        case .int16, .int32, .int64: true
        default: false
        }
    }

    static func isNumeric(_ t: DataType) -> Bool {
        switch t {
        case .int16, .int32, .int64, .float32, .float64, .decimal: true
        default: false
        }
    }

    static func isFloat(_ t: DataType) -> Bool { t == .float32 || t == .float64 }

    static func isTemporal(_ t: DataType) -> Bool {
        switch t {
        case .date32, .timestamp, .time: true
        default: false
        }
    }

    /// Digits before the point and scale of an exact type (integers as decimals).
    static func decimalShape(_ t: DataType) -> (precision: Int, scale: Int)? {
        switch t {
        case .int16: (5, 0)
        case .int32: (10, 0)
        case .int64: (19, 0)
        case let .decimal(p, s): (p, s)
        default: nil
        }
    }

    /// The type two operands are compared or combined in (PostgreSQL's implicit
    /// numeric promotion: integers widen, exact meets float as double, integer
    /// meets numeric as numeric; text literals adopt the other side's type).
    static func commonType(_ a: DataType, _ b: DataType) -> DataType? {
        if a == b { return a }
        switch (a, b) {
        case (.int16, .int32), (.int32, .int16): return .int32
        case (.int16, .int64), (.int64, .int16), (.int32, .int64), (.int64, .int32): return .int64
        case (.float32, .float64), (.float64, .float32): return .float64
        case (.float32, _) where isNumeric(b), (_, .float32) where isNumeric(a): return .float64
        case (.float64, _) where isNumeric(b), (_, .float64) where isNumeric(a): return .float64
        case (.decimal, _), (_, .decimal):
            guard let (pa, sa) = decimalShape(a), let (pb, sb) = decimalShape(b) else { return nil }
            let scale = max(sa, sb)
            let integer = max(pa - sa, pb - sb)
            return .decimal(precision: min(maxPrecision, integer + scale), scale: scale)
        case (.date32, .timestamp(_, let utc)), (.timestamp(_, let utc), .date32): return .timestamp(.microsecond, utc: utc)
        case (.timestamp(_, let u1), .timestamp(_, let u2)): return .timestamp(.microsecond, utc: u1 || u2)
        default: return nil
        }
    }
}
