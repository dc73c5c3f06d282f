/// `COPY { table [(columns)] | (query) } TO STDOUT [[WITH] (options) | legacy options]`:
/// results streamed to the client in COPY's text or CSV format (psql's `\copy ... to`).
public struct CopyTo: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case table(QualifiedName, columns: [String])
        case query(Query)
    }

    public enum Format: String, Sendable, Equatable {
        case text, csv, binary
    }

    public var source: Source
    public var format: Format
    public var header: Bool
    /// nil: the format's default (tab for text, comma for CSV).
    public var delimiter: String?
    /// nil: the format's default (`\N` for text, empty for CSV).
    public var null: String?
    public var quote: String?
    public var escape: String?

    public init(source: Source, format: Format = .text, header: Bool = false, delimiter: String? = nil, null: String? = nil,
                quote: String? = nil, escape: String? = nil) {
        self.source = source
        self.format = format
        self.header = header
        self.delimiter = delimiter
        self.null = null
        self.quote = quote
        self.escape = escape
    }
}

/// `DECLARE name [BINARY] [NO SCROLL] CURSOR [WITH[OUT] HOLD] FOR query`: a named portal.
public struct DeclareCursor: Sendable, Equatable {
    public var name: String
    public var binary: Bool
    public var hold: Bool
    public var query: Query

    public init(name: String, binary: Bool = false, hold: Bool = false, query: Query) {
        self.name = name
        self.binary = binary
        self.hold = hold
        self.query = query
    }
}

/// `FETCH [FORWARD] [n | ALL | NEXT] [FROM | IN] name` (and MOVE, which skips rows unsent).
public struct FetchCursor: Sendable, Equatable {
    public var name: String
    /// nil: ALL.
    public var count: Int?
    /// MOVE: advance without returning rows.
    public var move: Bool

    public init(name: String, count: Int?, move: Bool = false) {
        self.name = name
        self.count = count
        self.move = move
    }
}
