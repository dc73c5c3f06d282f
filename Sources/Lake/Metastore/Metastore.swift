import Foundation

/// A table defined outside discovery: `CREATE TABLE name WITH (location = '...')`.
public struct RegisteredTable: Sendable, Hashable {
    public var schema: String
    public var name: String
    /// Where its files are: a path relative to the lake, or an absolute path.
    public var location: String
    public var created: Date

    public init(schema: String, name: String, location: String, created: Date) {
        self.schema = schema
        self.name = name
        self.location = location
        self.created = created
    }
}

/// A schema created with `CREATE SCHEMA` (schemas also exist as directories of the lake).
public struct RegisteredSchema: Sendable, Hashable {
    public var name: String
    public var created: Date

    public init(name: String, created: Date) {
        self.name = name
        self.created = created
    }
}

/// What discovery cannot know, kept beside the lake: tables registered from
/// other locations, created schemas and settings. Later migrations add users,
/// roles, grants and chat memory beside these (each in its own tables and its
/// own protocol methods).
///
/// Implementations are safe to call from any thread. The embedded default is
/// `SQLiteMetastore`; a shared PostgreSQL metastore can follow.
public protocol Metastore: Sendable {
    /// Created schemas, sorted by name.
    func schemas() throws(LakeError) -> [RegisteredSchema]
    /// Records a schema; false when it was already recorded.
    @discardableResult func createSchema(_ name: String) throws(LakeError) -> Bool
    /// Forgets a schema; false when it was not recorded.
    @discardableResult func dropSchema(_ name: String) throws(LakeError) -> Bool

    /// Registered tables, sorted by schema then name.
    func tables() throws(LakeError) -> [RegisteredTable]
    func table(schema: String, name: String) throws(LakeError) -> RegisteredTable?
    /// Records a table; `.alreadyExists` when one of that name is recorded.
    func registerTable(_ table: RegisteredTable) throws(LakeError)
    /// Forgets a table; false when it was not recorded.
    @discardableResult func dropTable(schema: String, name: String) throws(LakeError) -> Bool

    /// A setting's value, nil when unset.
    func setting(_ key: String) throws(LakeError) -> String?
    /// Sets a setting (nil removes it).
    func setSetting(_ key: String, to value: String?) throws(LakeError)
    /// Every setting, sorted by key.
    func settings() throws(LakeError) -> [(key: String, value: String)]

    /// Login users (SCRAM verifiers only, never passwords), sorted by name.
    func users() throws(LakeError) -> [StoredUser]
    func user(named name: String) throws(LakeError) -> StoredUser?
    /// Creates the user or replaces its verifier and superuser flag.
    func saveUser(_ user: StoredUser) throws(LakeError)
    /// Forgets a user; false when there was none.
    @discardableResult func dropUser(named name: String) throws(LakeError) -> Bool

    /// A counter that grows with every change of schemas or registered tables,
    /// so a cache of names can tell it is stale.
    func catalogVersion() throws(LakeError) -> Int64
}
