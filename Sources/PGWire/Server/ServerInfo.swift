import Engine
import SQL

/// What the server tells a client about itself at connect: the one database's
/// name and the ParameterStatus values clients read (asyncpg and pgJDBC parse
/// server_version; psql shows it).
enum ServerInfo {
    static let databaseName = "basalt"
    /// PostgreSQL 15's protocol and catalog are what Basalt imitates.
    static let serverVersion = "15.0 (Basalt)"

    static func parameterStatus(session: Session, principal: Principal, startup: [String: String]) -> [(String, String)] {
        [
            ("server_version", serverVersion),
            ("server_encoding", "UTF8"),
            ("client_encoding", "UTF8"),
            ("DateStyle", "ISO, MDY"),
            ("IntervalStyle", "postgres"),
            ("TimeZone", "UTC"),
            ("integer_datetimes", "on"),
            ("standard_conforming_strings", "on"),
            ("application_name", startup["application_name"] ?? ""),
            ("is_superuser", principal.isSuperuser ? "on" : "off"),
            ("session_authorization", principal.user),
            ("default_transaction_read_only", "off"),
            ("in_hot_standby", "off"),
        ]
    }

    /// Applies the startup packet's settings to the new session: application_name
    /// and `options=-c name=value` pairs (how libpq passes PGOPTIONS).
    static func configure(_ session: Session, processID: Int32, startup: [String: String]) {
        var settings: [(String, String)] = []
        if let name = startup["application_name"] { settings.append(("application_name", name)) }
        if let options = startup["options"] {
            var words = options.split(separator: " ").map(String.init)[...]
            while let word = words.popFirst() {
                var pair = word
                if word == "-c", let next = words.popFirst() { pair = next } else if word.hasPrefix("-c") { pair = String(word.dropFirst(2)) } else if word.hasPrefix("--") {
                    pair = String(word.dropFirst(2))
                } else { continue }
                if let eq = pair.firstIndex(of: "=") {
                    settings.append((String(pair[..<eq]).replacingOccurrences(of: "-", with: "_").lowercased(), String(pair[pair.index(after: eq)...])))
                }
            }
        }
        for (name, value) in settings {
            let quoted = "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
            _ = try? session.execute(.set(name: name, values: [quoted]))
        }
        _ = try? session.execute(.set(name: "basalt.backend_pid", values: [String(processID)]))
    }

    /// The session's statement_timeout in milliseconds (0: none). Accepts what
    /// PostgreSQL does: a bare number of milliseconds or a number with a unit.
    static func statementTimeout(_ session: Session, default fallback: Int) -> Int {
        guard let text = session.settings["statement_timeout"] else { return fallback }
        return milliseconds(text) ?? fallback
    }

    static func milliseconds(_ text: String) -> Int? {
        let t = text.lowercased().filter { $0 != " " && $0 != "'" }
        let digits = t.prefix { $0.isNumber || $0 == "." }
        guard let value = Double(digits) else { return nil }
        let unit = t.dropFirst(digits.count)
        let scale: Double
        switch unit {
        case "", "ms": scale = 1
        case "s": scale = 1000
        case "min": scale = 60_000
        case "h": scale = 3_600_000
        case "d": scale = 86_400_000
        case "us": scale = 0.001
        default: return nil
        }
        return Int(value * scale)
    }
}
