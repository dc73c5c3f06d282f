import Columnar
import Foundation
import Parquet
import XCTest

/// A footer's schema alone, as metastores cache it, decodes to the file's fields.
final class EncodedSchemaTests: XCTestCase {
    func testEncodedSchemaDecodesToTheFileFields() throws {
        let fields = WriterTests.flatFields + WriterTests.nestedFields
        let (batch, _) = WriterTests.batch(fields, rows: 5, seed: 3)
        let path = NSTemporaryDirectory() + "basalt-schema-\(UUID().uuidString).parquet"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try ParquetWriter(path: path, fields: fields, options: WriterOptions())
        try writer.write(batch)
        _ = try writer.close()
        let file = try ParquetFile(path: path)
        let encoded = file.encodedSchema
        XCTAssertEqual(try ParquetFile.fields(encodedSchema: encoded), file.fields())
        XCTAssertLessThan(encoded.count, 4096, "the schema alone, without row groups")
        XCTAssertThrowsError(try ParquetFile.fields(encodedSchema: [0x15, 0x02]))
    }
}
