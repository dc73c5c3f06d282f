/// Every failure of the Lake module: a category a caller can act on and a
/// message that says what went wrong and where (the file, directory, table or
/// setting concerned). A bad lake never traps: it throws one of these.
public struct LakeError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: String, Sendable {
        /// The store could not be read or written (permissions, disk full, ...).
        case io
        /// A table, schema, file or location does not exist.
        case notFound = "not found"
        /// A table or schema of that name exists already.
        case alreadyExists = "already exists"
        /// Files are laid out inconsistently (partition directories, names).
        case layout
        /// Files of one table disagree about a column (type, or a clash with a partition key).
        case schemaConflict = "schema conflict"
        /// A Parquet file of the lake is unreadable (the Parquet error is in the message).
        case parquet
        /// The metastore failed (SQLite error, bad stored value).
        case metastore
        /// A name, path or argument is not acceptable (e.g. a table name with '/').
        case invalid
    }

    public var kind: Kind
    /// What went wrong, naming what it concerns.
    public var message: String
    /// The path in the store (or the location) concerned, when there is one.
    public var path: String?

    public init(_ kind: Kind, _ message: String, path: String? = nil) {
        self.kind = kind
        self.message = message
        self.path = path
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
