import Foundation
import GRDB

extension SQLiteMetastore: FileSummaryStore {
    /// The file summary tables (registered by `migrator()` after the earlier migrations).
    /// Schemas are stored once per distinct encoding: a table's files usually share one.
    static func registerFileSummaryMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-file-cache: Parquet files' schemas and row counts") { db in
            try db.create(table: "file_schemas") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("encoded", .blob).notNull().unique()
            }
            try db.create(table: "file_summaries") { t in
                t.primaryKey("location", .text)
                t.column("size", .integer).notNull()
                t.column("modified_ns", .integer).notNull()
                t.column("row_count", .integer).notNull()
                t.column("schema_id", .integer).notNull().references("file_schemas")
            }
        }
    }

    public func fileSummaries(under location: String) throws(LakeError) -> [FileSummary] {
        // Everything under "location/" sorts between "location/" and "location0" ('0' follows '/').
        let base = location.hasSuffix("/") ? String(location.dropLast()) : location
        return try read("read the file summaries under \(location)") { db in
            // Files share schemas: each distinct one is read (and its bytes held) once.
            var schemas: [Int64: [UInt8]] = [:]
            var out: [FileSummary] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT location, size, modified_ns, row_count, schema_id FROM file_summaries
                WHERE location = ? OR (location >= ? AND location < ?)
                """, arguments: [base, base + "/", base + "0"])
            while let row = try rows.next() {
                let id: Int64 = row[4]
                if schemas[id] == nil {
                    guard let data = try Data.fetchOne(db, sql: "SELECT encoded FROM file_schemas WHERE id = ?", arguments: [id]) else { continue }
                    schemas[id] = [UInt8](data)
                }
                out.append(FileSummary(location: row[0], size: row[1], modified: row[2], rowCount: row[3], encodedSchema: schemas[id]!))
            }
            return out
        }
    }

    public func saveFileSummaries(_ summaries: [FileSummary], forgetting stale: [String] = []) throws(LakeError) {
        guard !summaries.isEmpty || !stale.isEmpty else { return }
        try write("record \(summaries.count) file summaries") { db in
            for location in stale {
                try db.execute(sql: "DELETE FROM file_summaries WHERE location = ?", arguments: [location])
            }
            var ids: [[UInt8]: Int64] = [:]
            for s in summaries {
                let id: Int64
                if let known = ids[s.encodedSchema] {
                    id = known
                } else {
                    let blob = Data(s.encodedSchema)
                    try db.execute(sql: "INSERT OR IGNORE INTO file_schemas (encoded) VALUES (?)", arguments: [blob])
                    guard let found = try Int64.fetchOne(db, sql: "SELECT id FROM file_schemas WHERE encoded = ?", arguments: [blob]) else {
                        throw LakeError(.metastore, "a file schema just recorded is missing", path: path)
                    }
                    id = found
                    ids[s.encodedSchema] = id
                }
                try db.execute(sql: """
                    INSERT INTO file_summaries (location, size, modified_ns, row_count, schema_id) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(location) DO UPDATE SET size = excluded.size, modified_ns = excluded.modified_ns,
                        row_count = excluded.row_count, schema_id = excluded.schema_id
                    """, arguments: [s.location, s.size, s.modified, s.rowCount, id])
            }
        }
    }
}
