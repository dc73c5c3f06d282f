/// One SQL statement, as parsed. Names are already case-folded (unquoted
/// identifiers to lower case, as PostgreSQL does); quoted ones keep their case.
public indirect enum Statement: Sendable, Equatable {
    /// SELECT, VALUES, WITH ..., set operations: anything that returns rows.
    case query(Query)
    /// `EXPLAIN [ANALYZE] [VERBOSE] statement`.
    case explain(Statement, analyze: Bool, verbose: Bool)
    /// `CREATE [EXTERNAL] TABLE [IF NOT EXISTS] name [(columns)] [WITH (key = value, ...)] [AS query]`.
    case createTable(CreateTable)
    /// `DROP TABLE [IF EXISTS] name, ...`.
    case dropTable(names: [QualifiedName], ifExists: Bool)
    /// `CREATE SCHEMA [IF NOT EXISTS] name`.
    case createSchema(name: String, ifNotExists: Bool)
    /// `SET [SESSION|LOCAL] name { TO | = } value[, ...]` (values kept as written, e.g. "'UTC'", "2", "default").
    /// Precisely: strings re-quoted in standard form (`E'it\'s'` → "'it''s'"), numbers with their sign
    /// ("-1.5"), words lower case ("on", "iso"), quoted identifiers quoted where needed ("\"Mixed\""),
    /// DEFAULT as "default". `SET TIME ZONE x` has the name "timezone" (LOCAL and DEFAULT give
    /// "default"), `SET NAMES x` "client_encoding", `SET SCHEMA 'x'` "search_path"; LOCAL is not recorded.
    case set(name: String, values: [String])
    /// `RESET name` / `RESET ALL` (name "all"); `TIME ZONE` is "timezone", `TRANSACTION ISOLATION LEVEL`
    /// "transaction_isolation", `SESSION AUTHORIZATION` "session_authorization" (also for SHOW).
    case reset(name: String)
    /// `SHOW name` / `SHOW ALL`.
    case show(name: String)
    /// BEGIN / START TRANSACTION, COMMIT / END, ROLLBACK / ABORT: accepted for clients; reads are snapshot-free.
    case transaction(TransactionCommand)
    /// `SAVEPOINT name`, `RELEASE [SAVEPOINT] name`, `ROLLBACK TO [SAVEPOINT] name`: accepted like BEGIN.
    case savepoint(SavepointAction, name: String)
    /// `COPY ... TO STDOUT` (see CursorStatements.swift); run by the wire protocol.
    case copyTo(CopyTo)
    /// `DECLARE name CURSOR FOR query`; cursors live in a connection (the wire protocol's portals).
    case declareCursor(DeclareCursor)
    /// `FETCH` / `MOVE`.
    case fetchCursor(FetchCursor)
    /// `CLOSE name` / `CLOSE ALL` (nil).
    case closeCursor(String?)
    /// Users, roles, grants, data filters, masks and tags (AccessStatement.swift).
    case access(AccessStatement)
}

public enum SavepointAction: String, Sendable, Equatable {
    case define = "SAVEPOINT"
    case release = "RELEASE"
    case rollbackTo = "ROLLBACK TO"
}

public enum TransactionCommand: String, Sendable, Equatable {
    case begin, commit, rollback
}

/// `CREATE TABLE`: with columns and/or a `WITH (location = '...')` option list, or `AS query`.
public struct CreateTable: Sendable, Equatable {
    public var name: QualifiedName
    public var ifNotExists: Bool
    /// `CREATE EXTERNAL TABLE`: the data lives at the `location` option and is not owned by Basalt.
    public var external: Bool
    public var columns: [ColumnDefinition]
    /// `WITH (key = value, ...)`; keys lower-cased, values as their literal text (strings unquoted).
    public var options: [(key: String, value: String)]
    public var query: Query?

    public init(name: QualifiedName, ifNotExists: Bool = false, external: Bool = false, columns: [ColumnDefinition] = [],
                options: [(key: String, value: String)] = [], query: Query? = nil) {
        self.name = name
        self.ifNotExists = ifNotExists
        self.external = external
        self.columns = columns
        self.options = options
        self.query = query
    }

    public static func == (a: CreateTable, b: CreateTable) -> Bool {
        a.name == b.name && a.ifNotExists == b.ifNotExists && a.external == b.external && a.columns == b.columns && a.query == b.query
            && a.options.map(\.key) == b.options.map(\.key) && a.options.map(\.value) == b.options.map(\.value)
    }
}

public struct ColumnDefinition: Sendable, Equatable {
    public var name: String
    public var type: TypeName
    public var notNull: Bool

    public init(name: String, type: TypeName, notNull: Bool = false) {
        self.name = name
        self.type = type
        self.notNull = notNull
    }
}
