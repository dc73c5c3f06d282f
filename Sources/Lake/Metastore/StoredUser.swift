import Foundation

/// A login user as the metastore keeps it: the SCRAM-SHA-256 verifier
/// (`SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, the format of
/// PostgreSQL's `pg_authid.rolpassword`), never the password itself.
public struct StoredUser: Sendable, Hashable {
    public var name: String
    public var scramVerifier: String
    public var isSuperuser: Bool
    public var created: Date

    public init(name: String, scramVerifier: String, isSuperuser: Bool, created: Date = Date()) {
        self.name = name
        self.scramVerifier = scramVerifier
        self.isSuperuser = isSuperuser
        self.created = created
    }
}
