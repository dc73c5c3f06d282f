import GRDB

extension SQLiteMetastore: AccessStore {
    /// The permissions' table (registered by `migrator()` after the earlier migrations).
    static func registerAccessMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-access: roles, grants, data filters, masks, tags, user attributes") { db in
            try db.create(table: "access_entries") { t in
                t.column("kind", .text).notNull()
                t.column("key", .text).notNull()
                t.column("body", .text).notNull()
                t.primaryKey(["kind", "key"])
            }
        }
    }

    public func accessEntries() throws(LakeError) -> [AccessEntry] {
        try read("read the permissions") { db in
            try Row.fetchAll(db, sql: "SELECT kind, key, body FROM access_entries ORDER BY kind, key").map {
                AccessEntry(kind: $0["kind"], key: $0["key"], body: $0["body"])
            }
        }
    }

    public func applyAccessChanges(save: [AccessEntry], delete: [(kind: String, key: String)]) throws(LakeError) {
        try write("save the permissions") { db in
            for d in delete {
                try db.execute(sql: "DELETE FROM access_entries WHERE kind = ? AND key = ?", arguments: [d.kind, d.key])
            }
            for e in save {
                try db.execute(sql: """
                    INSERT INTO access_entries (kind, key, body) VALUES (?, ?, ?)
                    ON CONFLICT(kind, key) DO UPDATE SET body = excluded.body
                    """, arguments: [e.kind, e.key, e.body])
            }
        }
    }
}
