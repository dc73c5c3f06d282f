import Foundation
import GRDB

extension SQLiteMetastore {
    public func users() throws(LakeError) -> [StoredUser] {
        try read("list users") { db in
            try Row.fetchAll(db, sql: "SELECT name, scram_verifier, superuser, created_at FROM users ORDER BY name").map(Self.user)
        }
    }

    public func user(named name: String) throws(LakeError) -> StoredUser? {
        try read("read user '\(name)'") { db in
            try Row.fetchOne(db, sql: "SELECT name, scram_verifier, superuser, created_at FROM users WHERE name = ?",
                             arguments: [name]).map(Self.user)
        }
    }

    public func saveUser(_ user: StoredUser) throws(LakeError) {
        try write("save user '\(user.name)'") { db in
            try db.execute(sql: """
                INSERT INTO users (name, scram_verifier, superuser, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET scram_verifier = excluded.scram_verifier, superuser = excluded.superuser
                """, arguments: [user.name, user.scramVerifier, user.isSuperuser, user.created])
        }
    }

    @discardableResult
    public func dropUser(named name: String) throws(LakeError) -> Bool {
        try write("drop user '\(name)'") { db in
            try db.execute(sql: "DELETE FROM users WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    private static func user(_ row: Row) -> StoredUser {
        StoredUser(name: row["name"], scramVerifier: row["scram_verifier"], isSuperuser: row["superuser"], created: row["created_at"])
    }
}
