import Lake

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
}

extension AccessPolicy {
    public func canSee(_ principal: Principal, table: TableDescriptor) -> Bool { true }
    public func canSee(_ principal: Principal, table: TableDescriptor, column: String) -> Bool { true }
}

public struct AllowAllPolicy: AccessPolicy {
    public init() {}
    public func authorize(_ principal: Principal, table: TableDescriptor, columns: [String]) throws(EngineError) {}
}
