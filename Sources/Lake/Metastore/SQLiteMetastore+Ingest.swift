import Foundation
import GRDB

extension SQLiteMetastore: IngestCatalog {
    /// The ingest tables (registered by `migrator()` after the earlier migrations).
    static func registerIngestMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-ingest: table layouts and ingest history") { db in
            try db.create(table: "table_layouts") { t in
                t.column("schema_name", .text).notNull()
                t.column("name", .text).notNull()
                // JSON: [{"name", "type", "nullable"}], ["year(order_date)", ...], ["customer_id", ...].
                t.column("columns", .text).notNull()
                t.column("partition_by", .text).notNull()
                t.column("sort_by", .text).notNull()
                t.column("updated_at", .datetime).notNull()
                t.primaryKey(["schema_name", "name"])
            }
            try db.create(table: "ingest_runs") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("schema_name", .text).notNull()
                t.column("name", .text).notNull()
                t.column("mode", .text).notNull()
                t.column("inputs", .text).notNull()
                t.column("rows_written", .integer).notNull()
                t.column("rows_rejected", .integer).notNull()
                t.column("files_written", .integer).notNull()
                t.column("bytes_written", .integer).notNull()
                t.column("started_at", .datetime).notNull()
                t.column("finished_at", .datetime).notNull()
            }
        }
    }

    public func tableLayout(schema: String, name: String) throws(LakeError) -> TableLayout? {
        try read("read the layout of \(schema).\(name)") { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT columns, partition_by, sort_by, updated_at FROM table_layouts WHERE schema_name = ? AND name = ?
                """, arguments: [schema, name]) else { return nil }
            let columns: String = row["columns"]
            let partitionBy: String = row["partition_by"]
            let sortBy: String = row["sort_by"]
            return TableLayout(schema: schema, name: name, columns: try Self.decode([StoredColumn].self, columns),
                               partitionBy: try Self.decode([String].self, partitionBy), sortBy: try Self.decode([String].self, sortBy),
                               updated: row["updated_at"])
        }
    }

    public func saveTableLayout(_ layout: TableLayout) throws(LakeError) {
        try write("record the layout of \(layout.schema).\(layout.name)") { db in
            try db.execute(sql: """
                INSERT INTO table_layouts (schema_name, name, columns, partition_by, sort_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(schema_name, name) DO UPDATE SET columns = excluded.columns, partition_by = excluded.partition_by,
                    sort_by = excluded.sort_by, updated_at = excluded.updated_at
                """, arguments: [layout.schema, layout.name, try Self.encode(layout.columns), try Self.encode(layout.partitionBy),
                                 try Self.encode(layout.sortBy), layout.updated])
            try db.execute(sql: "UPDATE catalog_version SET version = version + 1")
        }
    }

    public func recordIngest(_ record: IngestRecord) throws(LakeError) {
        try write("record an ingest into \(record.schema).\(record.name)") { db in
            try db.execute(sql: """
                INSERT INTO ingest_runs (schema_name, name, mode, inputs, rows_written, rows_rejected, files_written, bytes_written,
                                         started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record.schema, record.name, record.mode, record.inputs.joined(separator: "\n"), record.rowsWritten,
                                 record.rowsRejected, record.filesWritten, record.bytesWritten, record.started, record.finished])
        }
    }

    public func ingests(schema: String, name: String) throws(LakeError) -> [IngestRecord] {
        try read("list the ingests into \(schema).\(name)") { db in
            try Row.fetchAll(db, sql: """
                SELECT mode, inputs, rows_written, rows_rejected, files_written, bytes_written, started_at, finished_at
                FROM ingest_runs WHERE schema_name = ? AND name = ? ORDER BY id
                """, arguments: [schema, name]).map { row in
                let inputs: String = row["inputs"]
                return IngestRecord(schema: schema, name: name, mode: row["mode"], inputs: Self.lines(inputs),
                                    rowsWritten: row["rows_written"], rowsRejected: row["rows_rejected"], filesWritten: row["files_written"],
                                    bytesWritten: row["bytes_written"], started: row["started_at"], finished: row["finished_at"])
            }
        }
    }

    private static func lines(_ text: String) -> [String] {
        text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    private static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
