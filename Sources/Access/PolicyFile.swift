import Engine
import Foundation
import SQL

/// A policy file loaded at start (`basalt serve --policy FILE`), for reproducible set-ups.
/// A small YAML subset, read without a YAML library: top-level keys (sections, e.g.
/// `users:`, `roles:`, `filters:`, `grants:`) holding lists of permission statements,
/// one `- statement` per item (a longer one continues on lines indented under it),
/// `#` comments. Sections run in file order. Loading again converges: existing users are
/// altered, existing roles kept, data filters and masks replaced, grants merged.
public struct PolicyFile: Sendable {
    public var statements: [AccessStatement]

    public init(text: String) throws(EngineError) {
        var items: [String] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = Self.dropComment(String(raw))
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            if !line.hasPrefix(" ") && !line.hasPrefix("-") {
                guard trimmed.hasSuffix(":") else { throw EngineError("22023", "policy file line \(n + 1): expected `section:`") }
                continue
            }
            if trimmed.hasPrefix("- ") || trimmed == "-" {
                items.append(String(trimmed.dropFirst()).trimmingCharacters(in: .whitespaces))
            } else if !items.isEmpty {
                items[items.count - 1] += " " + trimmed
            } else {
                throw EngineError("22023", "policy file line \(n + 1): expected `- statement`")
            }
        }
        statements = []
        for item in items {
            var sql = item
            if sql.count >= 2, sql.hasPrefix("\""), sql.hasSuffix("\"") { sql = String(sql.dropFirst().dropLast()) }
            let parsed: Statement
            do { parsed = try Parser.parseStatement(sql) } catch {
                throw EngineError("42601", "policy file: \(error.message) in: \(sql)")
            }
            guard case let .access(statement) = parsed else {
                throw EngineError("42601", "policy file: not a permission statement: \(sql)")
            }
            statements.append(statement)
        }
    }

    public init(path: String) throws(EngineError) {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch { throw EngineError("58030", "cannot read the policy file \(path): \(error.localizedDescription)") }
        try self.init(text: text)
    }

    /// `#` starts a comment outside quotes.
    private static func dropComment(_ line: String) -> String {
        var quote: Character?
        for (i, c) in zip(line.indices, line) {
            if let q = quote { if c == q { quote = nil } } else if c == "'" || c == "\"" { quote = c } else if c == "#" {
                return String(line[..<i])
            }
        }
        return line
    }
}

extension AccessController {
    /// Applies a policy file as the superuser (see `PolicyFile` for how reloading converges).
    public func apply(_ policy: PolicyFile) throws(EngineError) {
        let admin = Principal(user: "policy-file", isSuperuser: true)
        for statement in policy.statements {
            do {
                switch statement {
                case let .createUser(name, options): try createUser(name, options, replacing: true)
                case let .createRole(name) where state.roles[name] != nil: continue
                case let .createDataFilter(name, table, columns, predicate):
                    try createDataFilter(name, table, columns, predicate, replacing: true)
                default: _ = try run(statement, principal: admin)
                }
            } catch {
                throw EngineError(error.sqlState, "policy file: \(error.message) in: \(statement.sql)")
            }
        }
    }
}
