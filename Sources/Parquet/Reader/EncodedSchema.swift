import Columnar

extension ParquetFile {
    /// The footer's schema alone (a `FileMetaData` without row groups, Thrift compact):
    /// what a cache keeps to know a file's columns without opening it again. Files
    /// written alike have equal encodings, so a cache can store and decode one per shape.
    public var encodedSchema: [UInt8] {
        FileMetaData(version: metadata.version, schema: metadata.schema, numRows: 0).encoded()
    }

    /// The top-level fields of an `encodedSchema`: what `fields(options:)` gives for the file.
    public static func fields(encodedSchema bytes: [UInt8], options: ReadOptions = ReadOptions()) throws(ParquetError) -> [Field] {
        let metadata = try FileMetaData.decoded(from: bytes)
        let schema = try ParquetSchema(elements: metadata.schema)
        var shapes: [ColumnShape] = []
        for column in schema.columns { shapes.append(try ColumnShape.of(column, parentDefinedAt: 0)) }
        return fields(schema, shapes: shapes, options: options)
    }
}
