import Columnar

/// One Hive partition key: a table column as it is, or a value derived from
/// one (`year(order_date)`, `month(...)`, `day(...)` (day of month),
/// `date(ts)`, `bucket(16, customer_id)`). Written as `name=value/`
/// directories; an identity key's column lives in the directory names only
/// (Hive's layout), derived keys leave their source column in the files.
public struct PartitionKey: Sendable, Hashable, CustomStringConvertible {
    public enum Transform: Sendable, Hashable {
        case identity, year, month, day, date
        case bucket(Int)
    }

    public var name: String
    public var column: String
    public var transform: Transform

    public init(name: String, column: String, transform: Transform) {
        self.name = name
        self.column = column
        self.transform = transform
    }

    /// `col`, `year(col)`, `month(col)`, `day(col)`, `date(col)`, `bucket(n, col)`, each optionally `name=...`.
    public static func parse(_ text: String) throws(IngestError) -> PartitionKey {
        var spec = text.trimmingSpaces
        var explicitName: String? = nil
        if let eq = spec.firstIndex(of: "="), !spec[..<eq].contains("(") {
            explicitName = String(spec[..<eq]).trimmingSpaces
            spec = String(spec[spec.index(after: eq)...]).trimmingSpaces
        }
        guard let open = spec.firstIndex(of: "(") else {
            guard !spec.isEmpty else { throw IngestError(.usage, "empty partition key") }
            return PartitionKey(name: explicitName ?? spec, column: spec, transform: .identity)
        }
        guard spec.hasSuffix(")") else { throw IngestError(.usage, "partition key '\(text)': expected ')' at the end") }
        let function = spec[..<open].trimmingSpaces.lowercased()
        let args = spec[spec.index(after: open)..<spec.index(before: spec.endIndex)].split(separator: ",").map { String($0).trimmingSpaces }
        switch function {
        case "year", "month", "day", "date":
            guard args.count == 1, !args[0].isEmpty else { throw IngestError(.usage, "partition key '\(text)': \(function)() takes one column") }
            let transform: Transform = function == "year" ? .year : function == "month" ? .month : function == "day" ? .day : .date
            return PartitionKey(name: explicitName ?? function, column: args[0], transform: transform)
        case "bucket":
            guard args.count == 2, let n = Int(args[0]), n >= 1, n <= 65_536, !args[1].isEmpty else {
                throw IngestError(.usage, "partition key '\(text)': expected bucket(N, column) with N in 1...65536")
            }
            return PartitionKey(name: explicitName ?? "\(args[1])_bucket", column: args[1], transform: .bucket(n))
        default:
            throw IngestError(.usage, "partition key '\(text)': unknown function \(function)() (year, month, day, date, bucket)")
        }
    }

    public var description: String {
        let expr: String
        switch transform {
        case .identity: expr = column
        case .year: expr = "year(\(column))"
        case .month: expr = "month(\(column))"
        case .day: expr = "day(\(column))"
        case .date: expr = "date(\(column))"
        case let .bucket(n): expr = "bucket(\(n), \(column))"
        }
        let implicit: String
        switch transform {
        case .identity: implicit = column
        case .year: implicit = "year"
        case .month: implicit = "month"
        case .day: implicit = "day"
        case .date: implicit = "date"
        case .bucket: implicit = "\(column)_bucket"
        }
        return name == implicit ? expr : "\(name)=\(expr)"
    }

    /// Checks the source column's type.
    func check(_ type: DataType) throws(IngestError) {
        switch transform {
        case .year, .month, .day, .date:
            switch type {
            case .date32, .timestamp: return
            default: throw IngestError(.usage, "partition key \(description): column '\(column)' is \(type), not a date or timestamp")
            }
        case .identity:
            if type.isNested { throw IngestError(.usage, "partition key '\(column)': a \(type) column cannot be a partition key") }
            switch type {
            case .float16, .float32, .float64, .binary, .fixedBinary, .interval:
                throw IngestError(.usage, "partition key '\(column)': \(type) values do not make good directory names; use bucket(n, \(column))")
            default: return
            }
        case .bucket:
            if type.isNested { throw IngestError(.usage, "partition key \(description): a \(type) column cannot be bucketed") }
        }
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
