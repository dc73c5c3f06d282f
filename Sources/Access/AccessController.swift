import Engine
import Foundation
import Lake
import SQL

/// The engine's `AccessPolicy` over the permissions kept in the metastore: answers
/// what each principal may read of each table (grants, roles, data filters, masks,
/// tags), what the system catalog lists, runs the permission statements, and writes
/// the audit log. One per server; the state is an immutable snapshot replaced on
/// every change, so a statement binds against one consistent set of permissions.
public final class AccessController: AccessPolicy, @unchecked Sendable {
    let lake: Lake
    let store: any AccessStore
    /// Turns a password into what the metastore keeps (PGWire's SCRAM verifier, injected
    /// by the server so `Access` does not depend on the wire protocol).
    let makeVerifier: @Sendable (String) -> String
    let auditLog: AuditLog?

    private let lock = NSLock()
    private var current: AccessState
    private var changes: UInt64 = 1

    public init(lake: Lake, auditLog: AuditLog? = nil, makeVerifier: @escaping @Sendable (String) -> String) throws(EngineError) {
        guard let store = lake.metastore as? any AccessStore else {
            throw EngineError("58030", "this metastore cannot keep permissions")
        }
        self.lake = lake
        self.store = store
        self.makeVerifier = makeVerifier
        self.auditLog = auditLog
        do {
            current = try AccessState(entries: try store.accessEntries())
        } catch let e as AccessError {
            throw e.engineError
        } catch {
            throw EngineError("58030", "\(error)")
        }
    }

    var state: AccessState { lock.withLock { current } }

    public var version: UInt64 { lock.withLock { changes } }

    /// Saves a new state (one metastore transaction) and makes it current.
    func commit(_ update: (inout AccessState) throws(AccessError) -> Void) throws(AccessError) {
        lock.lock()
        defer { lock.unlock() }
        var next = current
        try update(&next)
        let diff = next.changes(from: current)
        do { try store.applyAccessChanges(save: diff.save, delete: diff.delete) } catch {
            throw AccessError("58030", error.message)
        }
        current = next
        changes += 1
    }

    /// Marks a change kept outside the state (users: their verifiers and superuser flags).
    func bumpVersion() { lock.withLock { changes += 1 } }

    // MARK: AccessPolicy

    public func authorize(_ principal: Principal, table: TableDescriptor, columns: [String]) throws(EngineError) {
        // Everything was decided where the table was bound (`access`): the scan may read
        // columns the user cannot see, for the filters and masks applied over it.
    }

    public func access(_ principal: Principal, table: TableDescriptor) throws(EngineError) -> TableAccess {
        if principal.isSuperuser { return .unrestricted }
        do { return try TablePermissions(state: state, user: principal.user).access(table) } catch { throw error.engineError }
    }

    public func canSee(_ principal: Principal, table: TableDescriptor) -> Bool {
        principal.isSuperuser || TablePermissions(state: state, user: principal.user).canSee(table)
    }

    public func canSee(_ principal: Principal, table: TableDescriptor, column: String) -> Bool {
        if principal.isSuperuser { return true }
        guard case let .restricted(r)? = try? access(principal, table: table) else {
            return TablePermissions(state: state, user: principal.user).canSee(table, column: column)
        }
        return r.columns.contains(column)
    }

    public func execute(_ statement: AccessStatement, principal: Principal) throws(EngineError) -> QueryResult {
        do { return try run(statement, principal: principal) } catch { throw error.engineError }
    }

    public func record(_ audit: StatementAudit) {
        guard let auditLog else { return }
        let roles = state.principals(of: audit.principal.user).subtracting([audit.principal.user]).sorted()
        auditLog.write(audit, roles: roles)
    }

    /// Tables and schemas are created and dropped by superusers only (a grant covers reading).
    public func authorizeDefinition(_ principal: Principal, statement: Statement) throws(EngineError) {
        guard !principal.isSuperuser else { return }
        let denial = EngineError("42501", "permission denied: only a superuser may create or drop tables and schemas")
        record(StatementAudit(principal: principal, statement: statement.sql, denial: denial))
        throw denial
    }

    /// The roles a user holds (directly or through other roles), without `public`.
    public func roles(of user: String) -> [String] {
        state.principals(of: user).subtracting([user, "public"]).sorted()
    }
}
