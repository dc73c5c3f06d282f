import Columnar
import Engine

/// A result of text columns (SHOW GRANTS), built without the engine's internals.
enum TextTable {
    static func result(columns: [String], rows: [[String]], tag: String) -> QueryResult {
        let fields = columns.map { Field($0, .string, nullable: false) }
        guard !rows.isEmpty else { return QueryResult(fields: fields, batches: [], commandTag: tag) }
        let data = columns.indices.map { i in
            var offsets = [0]
            var bytes: [UInt8] = []
            for row in rows {
                bytes.append(contentsOf: row[i].utf8)
                offsets.append(bytes.count)
            }
            return Column(type: .string, count: rows.count, validity: nil, storage: .bytes(offsets: offsets, data: bytes))
        }
        return QueryResult(fields: fields, batches: [RecordBatch(fields: fields, columns: data, rowCount: rows.count)], commandTag: tag)
    }
}
