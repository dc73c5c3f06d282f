/// The value of one Hive partition key for one file, typed by what was
/// inferred for the key over all of the table's directories.
public enum PartitionValue: Sendable, Hashable, CustomStringConvertible {
    /// `__HIVE_DEFAULT_PARTITION__` (or an empty value): SQL NULL.
    case null
    /// A key inferred as `int32` or `int64`.
    case int(Int64)
    /// A key inferred as `date32`: days since 1970-01-01.
    case date(Int32)
    /// Any other key: the unescaped directory text.
    case string(String)

    public var isNull: Bool { self == .null }

    public var description: String {
        switch self {
        case .null: "NULL"
        case let .int(v): String(v)
        case let .date(d): CivilDate(days: d).description
        case let .string(s): s
        }
    }
}
