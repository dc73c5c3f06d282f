import Columnar
import Engine
import Foundation

/// One JSON line per statement: when, who (and their roles), the statement, each table
/// and the columns its plan reads, the data filters and masks applied, and the decision
/// (`allowed`, or `denied` with the SQLSTATE and the message the client got).
public final class AuditLog: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()

    /// `path` "-" writes to standard error; otherwise the file is appended to (created if missing).
    public init(path: String) throws {
        if path == "-" {
            handle = FileHandle.standardError
        } else {
            if !FileManager.default.fileExists(atPath: path) {
                guard FileManager.default.createFile(atPath: path, contents: nil) else {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
                }
            }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
        }
    }

    func write(_ audit: StatementAudit, roles: [String]) {
        let line = Self.line(audit, roles: roles, time: Date())
        lock.withLock { handle.write(Data((line + "\n").utf8)) }
    }

    static func line(_ a: StatementAudit, roles: [String], time: Date) -> String {
        let s = ValueText.jsonString
        let list = { (items: [String]) in "[" + items.map(s).joined(separator: ",") + "]" }
        var fields = [
            "\"time\":" + s(ISO8601DateFormatter().string(from: time)),
            "\"principal\":" + s(a.principal.user),
            "\"superuser\":" + (a.principal.isSuperuser ? "true" : "false"),
            "\"roles\":" + list(roles),
            "\"statement\":" + s(a.statement),
            "\"objects\":[" + a.tables.map { "{\"table\":" + s($0.table) + ",\"columns\":" + list($0.columns) + "}" }.joined(separator: ",") + "]",
            "\"policies\":" + list(a.policies),
        ]
        if let d = a.denial {
            fields.append("\"decision\":\"denied\"")
            fields.append("\"sqlstate\":" + s(d.sqlState))
            fields.append("\"reason\":" + s(d.message))
        } else {
            fields.append("\"decision\":\"allowed\"")
        }
        return "{" + fields.joined(separator: ",") + "}"
    }
}
