import Columnar
import Foundation
import Lake
import Parquet
import XCTest

final class WriteTableTests: XCTestCase {
    private let fields = [Field("id", .int64, nullable: false), Field("name", .string, nullable: true)]

    private func batch(_ ids: [Int64]) -> RecordBatch {
        RecordBatch(fields: fields, columns: [int64Column(ids), stringColumn(ids.map { "n\($0)" })], rowCount: ids.count)
    }

    func testPublishesAtomically() throws {
        let root = try makeTemporaryDirectory(self)
        let lake = try Lake(path: root)
        let t = try lake.writeTable(schema: "public", name: "t", fields: fields, batches: [batch([1, 2]), batch([3])])
        XCTAssertEqual(t.qualifiedName, "public.t")
        XCTAssertEqual(t.fields, fields)
        XCTAssertEqual(t.rowCount, 3)
        XCTAssertEqual(filesUnder(root + "/public"), ["t/part-00000.parquet"], "no staging directory is left")
        let read = try lake.open(t.files[0]).readRowGroup(0)
        XCTAssertEqual(ints(read.columns[0]), [1, 2, 3])
        XCTAssertEqual(strings(read.columns[1]), ["n1", "n2", "n3"])
        XCTAssertEqual(try lake.table(schema: nil, name: "t")?.version, t.version)

        XCTAssertEqual(lakeError { try lake.writeTable(schema: "public", name: "t", fields: fields, batches: [batch([9])]) }?.kind,
                       .alreadyExists)
        XCTAssertEqual(ints(try lake.open(try XCTUnwrap(lake.table(schema: "public", name: "t")).files[0]).readRowGroup(0).columns[0]),
                       [1, 2, 3], "the existing table is untouched")
    }

    func testEmptyTableKeepsItsSchema() throws {
        let root = try makeTemporaryDirectory(self)
        let lake = try Lake(path: root)
        let t = try lake.writeTable(schema: "public", name: "empty", fields: fields, batches: [RecordBatch]())
        XCTAssertEqual(t.rowCount, 0)
        XCTAssertEqual(t.fields, fields)
    }

    struct ProducerFailed: Error {}

    func testAFailingWriteLeavesNothing() throws {
        let root = try makeTemporaryDirectory(self)
        let lake = try Lake(path: root)
        try lake.createSchema("s")
        XCTAssertThrowsError(try lake.writeTable(schema: "s", name: "t", fields: fields) { writer in
            try writer.write(self.batch([1, 2]))
            throw ProducerFailed()
        }) { XCTAssertTrue($0 is ProducerFailed, "the producer's error comes back as it was: \($0)") }
        XCTAssertEqual(filesUnder(root + "/s"), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root + "/s"), [])
        XCTAssertNil(try lake.table(schema: "s", name: "t"))

        let wrongType = RecordBatch(fields: [Field("id", .int32), fields[1]], columns: [int32Column([1]), stringColumn(["a"])], rowCount: 1)
        let error = try XCTUnwrap(lakeError { try lake.writeTable(schema: "s", name: "t", fields: fields, batches: [wrongType]) })
        XCTAssertEqual(error.kind, .invalid)
        XCTAssertTrue(error.message.contains("'id'"), error.message)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root + "/s"), [])

        let nulls = RecordBatch(fields: fields, columns: [
            Column(type: .int64, count: 2, validity: Bitmap([true, false]), storage: .int64([1, 0])), stringColumn(["a", "b"]),
        ], rowCount: 2)
        XCTAssertEqual(lakeError { try lake.writeTable(schema: "s", name: "t", fields: fields, batches: [nulls]) }?.kind, .invalid)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root + "/s"), [])
    }

    func testNamesAndSchemasAreChecked() throws {
        let lake = try Lake(path: try makeTemporaryDirectory(self))
        XCTAssertEqual(lakeError { try lake.writeTable(schema: "missing", name: "t", fields: self.fields, batches: [batch([1])]) }?.kind,
                       .notFound)
        XCTAssertEqual(lakeError { try lake.writeTable(schema: "public", name: "_t", fields: self.fields, batches: [batch([1])]) }?.kind,
                       .invalid)
        XCTAssertEqual(lakeError { try lake.writeTable(schema: "public", name: "a/b", fields: self.fields, batches: [batch([1])]) }?.kind,
                       .invalid)
    }

    func testDropDeletesAWrittenTable() throws {
        let root = try makeTemporaryDirectory(self)
        let lake = try Lake(path: root)
        try lake.writeTable(schema: "public", name: "t", fields: fields, batches: [batch([1])])
        XCTAssertTrue(try lake.dropTable(schema: "public", name: "t"))
        XCTAssertNil(try lake.table(schema: "public", name: "t"))
        XCTAssertEqual(filesUnder(root + "/public"), [])
        XCTAssertFalse(try lake.dropTable(schema: "public", name: "t"))
        // The name is free again.
        XCTAssertEqual(try lake.writeTable(schema: "public", name: "t", fields: fields, batches: [batch([5])]).rowCount, 1)
    }
}
