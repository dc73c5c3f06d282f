/// `FieldRepetitionType` in parquet.thrift. (VECTOR = 3, a recent addition, is
/// rejected as unsupported when a schema element uses it.)
public enum Repetition: Int32, Sendable, Hashable, CaseIterable {
    case required = 0, optional = 1, repeated = 2

    /// The thrift spelling ("REQUIRED", ...).
    public var name: String {
        switch self {
        case .required: "REQUIRED"
        case .optional: "OPTIONAL"
        case .repeated: "REPEATED"
        }
    }
}
