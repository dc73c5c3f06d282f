import Columnar

/// A table of the lake as the engine binds it: its columns, its partition
/// keys and its files, as of one listing.
public struct TableDescriptor: Sendable {
    /// How the lake knows the table.
    public enum Origin: Sendable, Hashable {
        /// Found as `<lake>/<schema>/<table>/`; dropping it deletes its files.
        case discovered
        /// Registered in the metastore (`CREATE TABLE ... WITH (location = ...)`);
        /// dropping it forgets the registration and leaves the files alone.
        case registered
    }

    public let schema: String
    public let name: String
    /// The table's directory: a path in the lake's store for lake tables
    /// ("sales/orders"), an absolute path for tables registered elsewhere.
    public let location: String
    public let origin: Origin
    /// The merged file columns (first-seen order over the files in path
    /// order), then the partition keys (directory order).
    public let fields: [Field]
    /// The Hive partition keys, as typed fields (also the last entries of `fields`).
    public let partitionKeys: [Field]
    /// The table's Parquet files, sorted by path.
    public let files: [DataFile]
    /// Changes whenever a file is added, removed or rewritten (a hash of every
    /// file's path, size and modification time): caches keyed on it stay valid
    /// exactly as long as the table's contents do. Stable across processes.
    public let version: UInt64

    public init(schema: String, name: String, location: String, origin: Origin, fields: [Field], partitionKeys: [Field],
                files: [DataFile], version: UInt64) {
        self.schema = schema
        self.name = name
        self.location = location
        self.origin = origin
        self.fields = fields
        self.partitionKeys = partitionKeys
        self.files = files
        self.version = version
    }

    /// "schema.name".
    public var qualifiedName: String { "\(schema).\(name)" }

    /// How many of `fields` come from the files (the rest are partition keys).
    public var fileColumnCount: Int { fields.count - partitionKeys.count }

    /// Total rows over all files (from their footers).
    public var rowCount: Int64 { files.reduce(0) { $0 + $1.rowCount } }

    /// Total bytes of the table's files.
    public var byteSize: Int { files.reduce(0) { $0 + $1.size } }
}

/// A table's name without its description (listing names reads no file).
public struct TableName: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var schema: String
    public var name: String

    public init(schema: String, name: String) {
        self.schema = schema
        self.name = name
    }

    public var description: String { "\(schema).\(name)" }

    public static func < (a: TableName, b: TableName) -> Bool {
        (a.schema, a.name) < (b.schema, b.name)
    }
}
