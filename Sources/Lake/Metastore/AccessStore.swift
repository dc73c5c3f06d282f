/// One piece of the permissions' state (a role, a grant, a data filter, a mask, a
/// tag, a user's attributes) as the metastore keeps it: a kind, a key unique within
/// the kind, and a JSON body the `Access` module reads and writes. The metastore
/// stores documents so the permission model can grow without touching `Lake`.
public struct AccessEntry: Sendable, Hashable {
    public var kind: String
    public var key: String
    public var body: String

    public init(kind: String, key: String, body: String) {
        self.kind = kind
        self.key = key
        self.body = body
    }
}

/// Where the permissions persist (the SQLite metastore's `access_entries`, migration
/// `v5-access`). Changes are applied in one transaction, so a cascading REVOKE is
/// all or nothing.
public protocol AccessStore: Sendable {
    /// Every entry, sorted by kind then key.
    func accessEntries() throws(LakeError) -> [AccessEntry]
    /// Saves (inserts or replaces) and deletes entries atomically.
    func applyAccessChanges(save: [AccessEntry], delete: [(kind: String, key: String)]) throws(LakeError)
}
