import Columnar
import Parquet

/// Appends a new table's rows to its Parquet file (see `Lake.writeTable`).
/// Checks each batch against the table's fields before the writer sees it.
public final class TableWriter {
    public let fields: [Field]
    /// Rows written so far.
    public private(set) var rowCount = 0
    private let writer: ParquetWriter
    private let location: String

    init(writer: ParquetWriter, fields: [Field], location: String) {
        self.writer = writer
        self.fields = fields
        self.location = location
    }

    /// Writes one batch; its columns must have the table's types, in order.
    public func write(_ batch: RecordBatch) throws(LakeError) {
        guard batch.columns.count == fields.count else {
            throw LakeError(.invalid, "a batch of \(batch.columns.count) columns for a table of \(fields.count) (\(location))", path: location)
        }
        for (column, field) in zip(batch.columns, fields) {
            guard column.type == field.type else {
                throw LakeError(.invalid, "column '\(field.name)' is \(field.type) in the table but \(column.type) in the batch (\(location))",
                                path: location)
            }
            if !field.nullable && column.nullCount > 0 {
                throw LakeError(.invalid, "column '\(field.name)' is NOT NULL but the batch holds \(column.nullCount) nulls (\(location))",
                                path: location)
            }
        }
        do {
            try writer.write(batch)
        } catch {
            throw LakeError(.parquet, "writing \(location): \(error)", path: location)
        }
        rowCount += batch.rowCount
    }
}

extension Lake {
    /// The staging directory of a table being written: hidden from discovery
    /// ('_'), in the same schema directory as its final place, so publishing
    /// is one rename within the store.
    static func stagingPath(schema: String) -> String {
        StorePath.join(schema, "_staging-\(randomHex())")
    }

    /// Writes a new table `schema.name` (for `CREATE TABLE AS`): `produce`
    /// hands its rows to the `TableWriter`; they are written with Basalt's
    /// Parquet writer to `<lake>/<schema>/_staging-<random>/part-00000.parquet`,
    /// and the staging directory is renamed to `<lake>/<schema>/<name>/` only
    /// once the file is complete. Readers see the whole table or no table; if
    /// anything fails (including `produce`, whose error is rethrown as is),
    /// the staging directory is removed and nothing is published.
    ///
    /// The schema must exist and the table must not.
    @discardableResult
    public func writeTable(schema: String, name: String, fields: [Field], options: WriterOptions = WriterOptions(),
                           _ produce: (TableWriter) throws -> Void) throws -> TableDescriptor {
        try Self.checkName(schema, what: "schema")
        try Self.checkName(name, what: "table")
        try requireSchema(schema)
        guard try !tableExists(schema: schema, name: name) else {
            throw LakeError(.alreadyExists, "table \(schema).\(name) already exists", path: store.location(of: StorePath.join(schema, name)))
        }
        let staging = Self.stagingPath(schema: schema)
        let file = StorePath.join(staging, "part-00000.parquet")
        do {
            try store.makeDirectory(staging)
            let writer: ParquetWriter
            do {
                writer = try ParquetWriter(sink: try store.createSink(file), fields: fields, options: options)
            } catch let error as ParquetError {
                throw LakeError(.parquet, "cannot write table \(schema).\(name): \(error)", path: store.location(of: file))
            }
            try produce(TableWriter(writer: writer, fields: fields, location: store.location(of: file)))
            do {
                _ = try writer.close()
            } catch {
                throw LakeError(.parquet, "writing \(store.location(of: file)): \(error)", path: store.location(of: file))
            }
            try store.rename(from: staging, to: StorePath.join(schema, name))
        } catch {
            try? store.delete(staging)
            if let lakeError = error as? LakeError, lakeError.kind == .alreadyExists {
                throw LakeError(.alreadyExists, "table \(schema).\(name) already exists", path: lakeError.path)
            }
            throw error
        }
        guard let written = try exactTable(schema: schema, name: name) else {
            throw LakeError(.notFound, "table \(schema).\(name) vanished right after it was written", path: store.location(of: StorePath.join(schema, name)))
        }
        return written
    }

    /// `writeTable` over a sequence of batches.
    @discardableResult
    public func writeTable(schema: String, name: String, fields: [Field], batches: some Sequence<RecordBatch>,
                           options: WriterOptions = WriterOptions()) throws(LakeError) -> TableDescriptor {
        do {
            return try writeTable(schema: schema, name: name, fields: fields, options: options) { writer in
                for batch in batches { try writer.write(batch) }
            }
        } catch let error as LakeError {
            throw error
        } catch {
            throw LakeError(.io, "writing table \(schema).\(name): \(error)")
        }
    }
}
