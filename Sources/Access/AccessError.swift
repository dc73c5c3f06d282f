import Engine

/// A refusal or a mistake in a permission statement; becomes the client's EngineError.
struct AccessError: Error {
    var sqlState: String
    var message: String

    init(_ sqlState: String, _ message: String) {
        self.sqlState = sqlState
        self.message = message
    }

    static func denied(_ message: String) -> AccessError { AccessError("42501", message) }

    var engineError: EngineError { EngineError(sqlState, message) }
}
