import Columnar

/// The query engine over one lake: parses, binds, plans and runs statements.
/// Thread-safe: sessions on many connections share one Engine.
public final class Engine: Sendable {
    public let lakePath: String

    /// Opens the lake at `lakePath` (a directory; its metastore lives in `_basalt/`).
    public init(lakePath: String) throws(EngineError) {
        self.lakePath = lakePath
    }

    /// Runs one statement (a trailing semicolon is allowed) and returns its result.
    public func execute(_ sql: String) throws(EngineError) -> QueryResult {
        throw EngineError.featureNotSupported("the SQL engine is not built yet")
    }
}
