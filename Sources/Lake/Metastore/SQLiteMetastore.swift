import Foundation
import GRDB
import Synchronization
import GRDBSQLite

/// The embedded metastore: one SQLite file (by default
/// `<lake>/_basalt/metastore.sqlite`) in WAL mode through a GRDB
/// `DatabasePool` (concurrent readers, one writer, safe from any thread).
/// The file is created on first open and brought up to date by the named
/// migrations of `SQLiteMetastore+Migrations.swift`.
public final class SQLiteMetastore: Metastore {
    /// The SQLite file.
    public let path: String
    private let pool: DatabasePool
    /// The registered tables by "schema\0name", with the file stamp they were read at.
    private let registeredSnapshot = Mutex<(stamp: Int, tables: [String: RegisteredTable])?>(nil)

    /// Opens (creating when missing) the metastore at `path` and applies any
    /// migration it has not seen. The directory must exist.
    public init(path: String) throws(LakeError) {
        self.path = path
        var configuration = Configuration()
        configuration.label = "basalt.metastore"
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        // Keep the WAL file when the last connection closes: otherwise every process
        // (each `basalt query`) has GRDB recreate it with a synced dummy write on open
        // (and deletes it again on close): about 2 ms of fsync per process.
        configuration.prepareDatabase { db in
            var persist: Int32 = 1
            _ = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_PERSIST_WAL, &persist)
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator().migrate(pool)
        } catch {
            throw LakeError(.metastore, "cannot open the metastore \(path): \(error)", path: path)
        }
    }

    /// Names of the migrations applied to this file, in order.
    public func appliedMigrations() throws(LakeError) -> [String] {
        try read("read the applied migrations") { db in try Self.migrator().appliedMigrations(db) }
    }

    // MARK: schemas

    public func schemas() throws(LakeError) -> [RegisteredSchema] {
        try read("list schemas") { db in
            try Row.fetchAll(db, sql: "SELECT name, created_at FROM schemas ORDER BY name").map {
                RegisteredSchema(name: $0["name"], created: $0["created_at"])
            }
        }
    }

    @discardableResult
    public func createSchema(_ name: String) throws(LakeError) -> Bool {
        try write("create schema '\(name)'") { db in
            try db.execute(sql: "INSERT OR IGNORE INTO schemas (name, created_at) VALUES (?, ?)", arguments: [name, Date()])
            return db.changesCount > 0 ? try Self.bumpVersion(db) : false
        }
    }

    @discardableResult
    public func dropSchema(_ name: String) throws(LakeError) -> Bool {
        try write("drop schema '\(name)'") { db in
            try db.execute(sql: "DELETE FROM schemas WHERE name = ?", arguments: [name])
            return db.changesCount > 0 ? try Self.bumpVersion(db) : false
        }
    }

    // MARK: tables

    public func tables() throws(LakeError) -> [RegisteredTable] {
        try read("list registered tables") { db in
            try Row.fetchAll(db, sql: "SELECT schema_name, name, location, created_at FROM tables ORDER BY schema_name, name")
                .map(Self.table)
        }
    }

    /// Every statement looks its tables up here first, so the registered tables are
    /// kept in memory and re-read only when the database file or its WAL changed
    /// (any commit, by this process or another, touches one of them): two stat
    /// calls instead of a SQLite read transaction per table per statement.
    public func table(schema: String, name: String) throws(LakeError) -> RegisteredTable? {
        let stamp = Self.fileStamp(path) &+ Self.fileStamp(path + "-wal") &* 31
        if let cached = registeredSnapshot.withLock({ $0?.stamp == stamp ? $0?.tables : nil }) {
            return cached[schema + "\u{0}" + name]
        }
        let all = try tables()
        let byName = Dictionary(all.map { ($0.schema + "\u{0}" + $0.name, $0) }, uniquingKeysWith: { a, _ in a })
        registeredSnapshot.withLock { $0 = (stamp, byName) }
        return byName[schema + "\u{0}" + name]
    }

    /// Size and modification time of a file, folded into one number (0 when missing).
    private static func fileStamp(_ path: String) -> Int {
        var st = stat()
        guard stat(path, &st) == 0 else { return 0 }
        return Int(st.st_size) &* 1_000_003 &+ Int(st.st_mtim.tv_sec) &* 1_000_000_007 &+ Int(st.st_mtim.tv_nsec)
    }

    public func registerTable(_ table: RegisteredTable) throws(LakeError) {
        try write("register table \(table.schema).\(table.name)") { db in
            if try Row.fetchOne(db, sql: "SELECT 1 FROM tables WHERE schema_name = ? AND name = ?",
                                arguments: [table.schema, table.name]) != nil {
                throw LakeError(.alreadyExists, "table \(table.schema).\(table.name) is already registered", path: path)
            }
            try db.execute(sql: "INSERT INTO tables (schema_name, name, location, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [table.schema, table.name, table.location, table.created])
            _ = try Self.bumpVersion(db)
        }
    }

    @discardableResult
    public func dropTable(schema: String, name: String) throws(LakeError) -> Bool {
        try write("drop table \(schema).\(name)") { db in
            try db.execute(sql: "DELETE FROM tables WHERE schema_name = ? AND name = ?", arguments: [schema, name])
            return db.changesCount > 0 ? try Self.bumpVersion(db) : false
        }
    }

    private static func table(_ row: Row) -> RegisteredTable {
        RegisteredTable(schema: row["schema_name"], name: row["name"], location: row["location"], created: row["created_at"])
    }

    // MARK: settings

    public func setting(_ key: String) throws(LakeError) -> String? {
        try read("read setting '\(key)'") { db in
            try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key])
        }
    }

    public func setSetting(_ key: String, to value: String?) throws(LakeError) {
        try write("set setting '\(key)'") { db in
            if let value {
                try db.execute(sql: "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                               arguments: [key, value])
            } else {
                try db.execute(sql: "DELETE FROM settings WHERE key = ?", arguments: [key])
            }
        }
    }

    public func settings() throws(LakeError) -> [(key: String, value: String)] {
        try read("list settings") { db in
            try Row.fetchAll(db, sql: "SELECT key, value FROM settings ORDER BY key").map { (key: $0["key"], value: $0["value"]) }
        }
    }

    public func catalogVersion() throws(LakeError) -> Int64 {
        try read("read the catalog version") { db in
            try Int64.fetchOne(db, sql: "SELECT version FROM catalog_version") ?? 0
        }
    }

    /// Increments the catalog version inside the caller's transaction; returns true.
    private static func bumpVersion(_ db: Database) throws -> Bool {
        try db.execute(sql: "UPDATE catalog_version SET version = version + 1")
        return true
    }

    // MARK: access

    func read<T>(_ what: String, _ body: (Database) throws -> T) throws(LakeError) -> T {
        do {
            return try pool.read(body)
        } catch let error as LakeError {
            throw error
        } catch {
            throw LakeError(.metastore, "cannot \(what) in \(path): \(error)", path: path)
        }
    }

    func write<T>(_ what: String, _ body: (Database) throws -> T) throws(LakeError) -> T {
        do {
            return try pool.write(body)
        } catch let error as LakeError {
            throw error
        } catch {
            throw LakeError(.metastore, "cannot \(what) in \(path): \(error)", path: path)
        }
    }
}
