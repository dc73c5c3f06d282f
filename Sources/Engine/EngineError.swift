/// An error for the client: a PostgreSQL SQLSTATE, a message, and where in the
/// statement text it happened (1-based character position, as PostgreSQL reports it).
public struct EngineError: Error, Sendable, CustomStringConvertible {
    public var sqlState: String
    public var message: String
    /// 1-based character offset into the statement, when the error points at a token.
    public var position: Int?
    public var hint: String?

    public init(_ sqlState: String, _ message: String, position: Int? = nil, hint: String? = nil) {
        self.sqlState = sqlState
        self.message = message
        self.position = position
        self.hint = hint
    }

    public var description: String {
        var text = "ERROR:  \(message)"
        if let hint { text += "\nHINT:  \(hint)" }
        return text
    }

    // SQLSTATE classes the engine raises.
    public static func syntax(_ message: String, position: Int? = nil) -> EngineError { EngineError("42601", message, position: position) }
    public static func undefinedTable(_ message: String, position: Int? = nil, hint: String? = nil) -> EngineError {
        EngineError("42P01", message, position: position, hint: hint)
    }
    public static func undefinedColumn(_ message: String, position: Int? = nil, hint: String? = nil) -> EngineError {
        EngineError("42703", message, position: position, hint: hint)
    }
    public static func undefinedFunction(_ message: String, position: Int? = nil, hint: String? = nil) -> EngineError {
        EngineError("42883", message, position: position, hint: hint)
    }
    public static func ambiguousColumn(_ message: String, position: Int? = nil) -> EngineError { EngineError("42702", message, position: position) }
    public static func groupingError(_ message: String, position: Int? = nil) -> EngineError { EngineError("42803", message, position: position) }
    public static func datatypeMismatch(_ message: String, position: Int? = nil) -> EngineError { EngineError("42804", message, position: position) }
    public static func invalidText(_ message: String) -> EngineError { EngineError("22P02", message) }
    public static func divisionByZero() -> EngineError { EngineError("22012", "division by zero") }
    public static func numericOverflow(_ message: String) -> EngineError { EngineError("22003", message) }
    public static func featureNotSupported(_ message: String, position: Int? = nil) -> EngineError { EngineError("0A000", message, position: position) }
    public static func outOfMemory(_ message: String) -> EngineError { EngineError("53200", message) }
    public static func io(_ message: String) -> EngineError { EngineError("58030", message) }
    public static func internalError(_ message: String) -> EngineError { EngineError("XX000", message) }
    /// Raised instead of doing work while `Session.cacheOnly` is set: the server then hands
    /// the request to the connection's thread. Never reaches a client.
    public static let notCached = EngineError("XX000", "the answer is not in the result cache", hint: "basalt:cache-only")
    public var isNotCached: Bool { sqlState == "XX000" && hint == "basalt:cache-only" }
}
