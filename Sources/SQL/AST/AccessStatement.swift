/// Permission statements (users, roles, grants, data filters, masks, tags), in the
/// style of AWS Lake Formation. The engine hands them to its access policy.
public enum AccessStatement: Sendable, Equatable {
    /// `CREATE USER name [WITH] [PASSWORD 'p'] [SUPERUSER | NOSUPERUSER] [ATTRIBUTES (k = 'v', ...)]`.
    case createUser(name: String, options: UserOptions)
    /// `ALTER USER name [WITH] ...` (the same options; an attribute set to NULL is removed).
    case alterUser(name: String, options: UserOptions)
    case dropUser(names: [String], ifExists: Bool)
    case createRole(name: String)
    case dropRole(names: [String], ifExists: Bool)
    /// `GRANT role, ... TO principal, ...` (users or roles).
    case grantRole(roles: [String], to: [String])
    case revokeRole(roles: [String], from: [String])
    case grant(PrivilegeGrant)
    /// `REVOKE ... FROM principal, ...`; always cascades to what was granted through the grant option.
    case revoke(PrivilegeGrant)
    /// `CREATE DATA FILTER name ON table [(columns)] WHERE predicate`.
    case createDataFilter(name: String, table: QualifiedName, columns: [String]?, predicate: Expression)
    case dropDataFilter(name: String, ifExists: Bool)
    /// `ALTER TABLE t ALTER COLUMN c SET MASK expression [FOR principal, ...]` (no FOR: every non-superuser).
    case setMask(table: QualifiedName, column: String, expression: Expression, principals: [String])
    case dropMask(table: QualifiedName, column: String)
    /// `ALTER SCHEMA s | TABLE t | TABLE t ALTER COLUMN c  SET TAG key = 'value'`.
    case setTag(TaggedObject, key: String, value: String)
    case unsetTag(TaggedObject, key: String)
    /// `SHOW GRANTS [FOR principal] [ON [TABLE] t]`.
    case showGrants(principal: String?, table: QualifiedName?)
}

public struct UserOptions: Sendable, Equatable {
    public var password: String?
    public var superuser: Bool?
    /// Attributes set (a nil value removes the attribute), in the order written.
    public var attributes: [UserAttribute]

    public init(password: String? = nil, superuser: Bool? = nil, attributes: [UserAttribute] = []) {
        self.password = password
        self.superuser = superuser
        self.attributes = attributes
    }
}

public struct UserAttribute: Sendable, Equatable {
    public var key: String
    public var value: String?

    public init(_ key: String, _ value: String?) {
        self.key = key
        self.value = value
    }
}

public enum Privilege: String, Sendable, Equatable, Codable {
    case select = "SELECT"
    /// Seeing that the object exists (catalog listings), without reading it.
    case describe = "DESCRIBE"
}

/// What a privilege is granted on.
public enum GrantObject: Sendable, Equatable {
    case table(QualifiedName)
    case allTablesInSchema(String)
    case dataFilter(String)
    /// An LF-Tag expression over tag keys: `sensitivity = 'public' AND domain IN ('sales')`.
    case tag(Expression)
}

/// `GRANT privilege, ... [(columns)] ON object [EXCLUDING (columns)] TO principal, ... [WITH GRANT OPTION]`
/// (REVOKE: the same without the option, FROM instead of TO).
public struct PrivilegeGrant: Sendable, Equatable {
    public var privileges: [Privilege]
    public var columns: [String]?
    public var excluding: [String]?
    public var object: GrantObject
    public var principals: [String]
    public var withGrantOption: Bool

    public init(privileges: [Privilege], columns: [String]? = nil, excluding: [String]? = nil, object: GrantObject,
                principals: [String], withGrantOption: Bool = false) {
        self.privileges = privileges
        self.columns = columns
        self.excluding = excluding
        self.object = object
        self.principals = principals
        self.withGrantOption = withGrantOption
    }
}

/// What a tag is set on.
public enum TaggedObject: Sendable, Equatable {
    case schema(String)
    case table(QualifiedName)
    case column(QualifiedName, String)
}
