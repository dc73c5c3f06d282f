/// Where in an input a problem is: file (or "-" for standard input), 1-based
/// line and byte column, and the column's name when known.
public struct InputPosition: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var field: String?

    public init(file: String, line: Int, column: Int, field: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// Every failure of an ingest, each with a message that says what and where.
public struct IngestError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// A command-line option or schema file is not acceptable.
        case usage
        /// An input cannot be read (missing file, I/O error, bad compression).
        case input
        /// A record cannot be parsed or converted (with `--on-error fail`).
        case record
        /// The input's columns do not fit the table (types, names).
        case schema
        /// Writing or publishing the table failed.
        case output
        /// Stopped by `Ingestor.cancel()` (Ctrl-C) before publishing.
        case interrupted
    }

    public var kind: Kind
    public var message: String
    public var position: InputPosition?

    public init(_ kind: Kind, _ message: String, at position: InputPosition? = nil) {
        self.kind = kind
        self.message = message
        self.position = position
    }

    public var description: String {
        if let position {
            let field = position.field.map { " (column '\($0)')" } ?? ""
            return "\(position)\(field): \(message)"
        }
        return message
    }
}
