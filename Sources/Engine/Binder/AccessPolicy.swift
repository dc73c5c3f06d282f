import Lake
import SQL

/// Who runs a statement. The permissions layer adds roles and attributes.
public struct Principal: Sendable, Hashable {
    public var user: String
    public var isSuperuser: Bool

    public init(user: String, isSuperuser: Bool = false) {
        self.user = user
        self.isSuperuser = isSuperuser
    }

    public static let superuser = Principal(user: "basalt", isSuperuser: true)
}

/// The one hook every table and column read passes through while binding.
/// The permissions issue implements it (grants, row filters, masks); today
/// the engine uses `AllowAllPolicy`.
public protocol AccessPolicy: Sendable {
    /// Called once per table reference with the columns the query reads from it;
    /// throws (SQLSTATE 42501) to refuse.
    func authorize(_ principal: Principal, table: TableDescriptor, columns: [String]) throws(EngineError)

    /// Whether the system catalog (pg_class, information_schema.tables, ...) lists the table to
    /// this principal. Default: every table.
    func canSee(_ principal: Principal, table: TableDescriptor) -> Bool

    /// Whether the catalog lists this column of a visible table (pg_attribute, information_schema.columns).
    /// Default: every column.
    func canSee(_ principal: Principal, table: TableDescriptor, column: String) -> Bool

    /// How the principal may read the table, asked where the binder binds it (before
    /// optimization). Throws 42501 (or 42P01 for a table the principal may not know of)
    /// to refuse. Default: unrestricted.
    func access(_ principal: Principal, table: TableDescriptor) throws(EngineError) -> TableAccess

    /// Grows with every change of users, roles, grants, filters, masks or tags, so results
    /// cached under older permissions are never served. Default: 0.
    var version: UInt64 { get }

    /// Runs a permission statement (GRANT, CREATE USER, ...). Default: not supported.
    func execute(_ statement: AccessStatement, principal: Principal) throws(EngineError) -> QueryResult

    /// Called once per statement bound or refused. Default: nothing.
    func record(_ audit: StatementAudit)

    /// Whether the principal may create or drop tables and schemas (throws 42501 to refuse).
    /// Default: anyone.
    func authorizeDefinition(_ principal: Principal, statement: Statement) throws(EngineError)
}

extension AccessPolicy {
    public func canSee(_ principal: Principal, table: TableDescriptor) -> Bool { true }
    public func canSee(_ principal: Principal, table: TableDescriptor, column: String) -> Bool { true }
    public func access(_ principal: Principal, table: TableDescriptor) throws(EngineError) -> TableAccess { .unrestricted }
    public var version: UInt64 { 0 }
    public func execute(_ statement: AccessStatement, principal: Principal) throws(EngineError) -> QueryResult {
        throw .featureNotSupported("permission statements need a permissions policy (basalt serve)")
    }
    public func record(_ audit: StatementAudit) {}
    public func authorizeDefinition(_ principal: Principal, statement: Statement) throws(EngineError) {}
}

public struct AllowAllPolicy: AccessPolicy {
    public init() {}
    public func authorize(_ principal: Principal, table: TableDescriptor, columns: [String]) throws(EngineError) {}
}
