import Columnar

/// What the system catalog and the connect-time functions (`current_user`,
/// `current_setting`, `pg_backend_pid`, ...) know of the session binding a statement.
struct SessionInfo: Sendable {
    var principal: Principal
    var database: String
    var backendPID: Int32
    var searchPath: [String]
    /// Every setting's current value: the session's SETs over `SettingDefaults`.
    var settings: [String: String]

    var user: String { principal.user }

    func setting(_ name: String) -> String? { settings[name.lowercased()] }

    /// The schemas PostgreSQL searches for an unqualified name: `pg_catalog` first
    /// (implicitly, unless the path names it), then the path.
    var effectiveSearchPath: [String] {
        searchPath.contains(SystemCatalog.pgCatalog) ? searchPath : [SystemCatalog.pgCatalog] + searchPath
    }
}

extension Session {
    /// This session as the binder sees it.
    var info: SessionInfo {
        var all = SettingDefaults.values
        for (name, value) in settings { all[name.lowercased()] = value }
        all["search_path"] = configuration.searchPath.joined(separator: ", ")
        all["threads"] = String(configuration.threads)
        all["basalt.threads"] = String(configuration.threads)
        all["application_name"] = settings["application_name"] ?? ""
        all["session_authorization"] = principal.user
        all["is_superuser"] = principal.isSuperuser ? "on" : "off"
        return SessionInfo(principal: principal, database: databaseName, backendPID: backendPID,
                           searchPath: configuration.searchPath, settings: all)
    }
}

extension SessionInfo {
    /// This process's id: the default backend pid (the server gives each connection its own).
    static var processID: Int32 { Int32(truncatingIfNeeded: getpid()) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Session {
    /// The OID the system catalog gives a lake table (`pg_class.oid`), nil when the catalog does
    /// not list it to this session's principal: for a RowDescription's table OID, so clients
    /// that look the column up (`getTableName`) find it in pg_class and pg_attribute.
    public func tableOID(schema: String, name: String) throws(EngineError) -> Int32? {
        let catalog = SystemCatalog(lake: engine.lake, policy: engine.policy, session: info)
        return try catalog.objects().relations.first { $0.table != nil && $0.namespace.name == schema && $0.name == name }?.oid
    }
}
