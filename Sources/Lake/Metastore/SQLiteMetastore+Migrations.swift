import GRDB

extension SQLiteMetastore {
    /// The metastore's schema history, one named migration per change, applied
    /// in order and recorded in the file (GRDB's `grdb_migrations`), so opening
    /// an up-to-date file changes nothing. Never edit a migration that has
    /// shipped: add the next one (users, roles, grants, chat memory, ...).
    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1 catalog: schemas, tables, settings") { db in
            try db.create(table: "schemas") { t in
                t.primaryKey("name", .text)
                t.column("created_at", .datetime).notNull()
            }
            try db.create(table: "tables") { t in
                t.column("schema_name", .text).notNull()
                t.column("name", .text).notNull()
                t.column("location", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.primaryKey(["schema_name", "name"])
            }
            try db.create(table: "settings") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
            // One row: grows with every change of schemas or tables (caches of names).
            try db.create(table: "catalog_version") { t in
                t.column("version", .integer).notNull()
            }
            try db.execute(sql: "INSERT INTO catalog_version (version) VALUES (0)")
        }

        migrator.registerMigration("v2 users: SCRAM-SHA-256 verifiers") { db in
            try db.create(table: "users") { t in
                t.primaryKey("name", .text)
                // `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, as PostgreSQL's pg_authid.
                t.column("scram_verifier", .text).notNull()
                t.column("superuser", .boolean).notNull().defaults(to: false)
                t.column("created_at", .datetime).notNull()
            }
        }

        registerIngestMigrations(&migrator)
        registerFileSummaryMigrations(&migrator)
        registerAccessMigrations(&migrator)

        return migrator
    }
}
