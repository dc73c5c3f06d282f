import Columnar
import Lake
import Parquet
import XCTest

final class TableDiscoveryTests: XCTestCase {
    func testUnpartitionedTable() throws {
        let root = try makeTemporaryDirectory(self)
        try writeInts(root, "s/t/a.parquet", [1, 2, 3])
        try writeInts(root, "s/t/b.parquet", [4])
        let lake = try Lake(path: root)
        XCTAssertEqual(try lake.tableNames(), [TableName(schema: "s", name: "t")])
        let t = try XCTUnwrap(lake.table(schema: "s", name: "t"))
        XCTAssertEqual(t.qualifiedName, "s.t")
        XCTAssertEqual(t.location, "s/t")
        XCTAssertEqual(t.origin, .discovered)
        XCTAssertEqual(t.fields, [Field("x", .int64, nullable: false)])
        XCTAssertEqual(t.partitionKeys, [])
        XCTAssertEqual(t.files.map(\.path), ["s/t/a.parquet", "s/t/b.parquet"])
        XCTAssertEqual(t.files.map(\.rowCount), [3, 1])
        XCTAssertEqual(t.rowCount, 4)
        XCTAssertEqual(t.files[0].location, LocalObjectStore(root: root).location(of: "s/t/a.parquet"))
        XCTAssertEqual(t.files[0].columnIndices, [0])
        let batch = try lake.open(t.files[0]).readRowGroup(0)
        XCTAssertEqual(ints(batch.columns[0]), [1, 2, 3])
    }

    func testPartitionKeyTypes() throws {
        let root = try makeTemporaryDirectory(self)
        // int32, int64 (one value beyond 32 bits), date, and string (mixed values) keys.
        try writeInts(root, "s/t/y=2022/big=1/d=2024-01-05/k=7/f.parquet", [1])
        try writeInts(root, "s/t/y=2023/big=5000000000/d=2024-02-29/k=abc/f.parquet", [2])
        try writeInts(root, "s/t/y=-1/big=-3/d=2023-12-31/k=2024-01-01/f.parquet", [3])
        let t = try XCTUnwrap(Lake(path: root).table(schema: "s", name: "t"))
        XCTAssertEqual(t.partitionKeys, [Field("y", .int32, nullable: false), Field("big", .int64, nullable: false),
                                         Field("d", .date32, nullable: false), Field("k", .string, nullable: false)])
        XCTAssertEqual(t.fields.map(\.name), ["x", "y", "big", "d", "k"], "partition columns come after the file columns")
        XCTAssertEqual(t.fileColumnCount, 1)
        // Files sort by path: "y=-1" < "y=2022" < "y=2023".
        XCTAssertEqual(t.files.map(\.partitionValues), [
            [.int(-1), .int(-3), .date(CivilDate(year: 2023, month: 12, day: 31).days), .string("2024-01-01")],
            [.int(2022), .int(1), .date(CivilDate(year: 2024, month: 1, day: 5).days), .string("7")],
            [.int(2023), .int(5_000_000_000), .date(CivilDate(year: 2024, month: 2, day: 29).days), .string("abc")],
        ])
    }

    func testInvalidDatesAreStrings() throws {
        let root = try makeTemporaryDirectory(self)
        try writeInts(root, "s/t/d=2024-02-30/f.parquet", [1])
        try writeInts(root, "s/t/d=2024-03-01/f.parquet", [2])
        let t = try XCTUnwrap(Lake(path: root).table(schema: "s", name: "t"))
        XCTAssertEqual(t.partitionKeys, [Field("d", .string, nullable: false)])
    }

    func testEscapedValuesAndDefaultPartition() throws {
        let root = try makeTemporaryDirectory(self)
        try writeInts(root, "s/t/city=New%20York/f.parquet", [1])
        try writeInts(root, "s/t/city=a%2Fb%3Dc%25/f.parquet", [2])
        try writeInts(root, "s/t/city=__HIVE_DEFAULT_PARTITION__/f.parquet", [3])
        try writeInts(root, "s/t/city=Z%C3%BCrich/f.parquet", [4])
        let t = try XCTUnwrap(Lake(path: root).table(schema: "s", name: "t"))
        XCTAssertEqual(t.partitionKeys, [Field("city", .string, nullable: true)])
        let byRows = Dictionary(uniqueKeysWithValues: try t.files.map { ($0.partitionValues[0], try Lake(path: root).open($0).metadata.numRows) })
        XCTAssertEqual(Set(byRows.keys), [.string("New York"), .string("a/b=c%"), .null, .string("Zürich")])
    }

    func testDefaultPartitionKeepsIntegerType() throws {
        let root = try makeTemporaryDirectory(self)
        try writeInts(root, "s/t/m=1/f.parquet", [1])
        try writeInts(root, "s/t/m=__HIVE_DEFAULT_PARTITION__/f.parquet", [2])
        let t = try XCTUnwrap(Lake(path: root).table(schema: "s", name: "t"))
        XCTAssertEqual(t.partitionKeys, [Field("m", .int32, nullable: true)])
        XCTAssertEqual(t.files.map(\.partitionValues), [[.int(1)], [.null]])
    }

    func testIgnoredNames() throws {
        let root = try makeTemporaryDirectory(self)
        try writeInts(root, "s/t/p=1/f.parquet", [1])
        try writeText(root, "s/t/_SUCCESS", "")
        try writeText(root, "s/t/p=1/.f.parquet.crc", "crc")
        try writeText(root, "s/t/README.txt", "not data")
        try writeInts(root, "s/t/_staging-1/p=2/f.parquet", [2])
        try writeInts(root, "s/t/.hidden/f.parquet", [3])
        try writeInts(root, "s/_staging-2/f.parquet", [4])
        try writeInts(root, "_basalt/x/f.parquet", [5])
        try writeInts(root, ".trash/x/f.parquet", [6])
        try writeInts(root, "s/loose.parquet", [7])
        try writeText(root, "s/empty/_SUCCESS", "")
        let lake = try Lake(path: root)
        XCTAssertEqual(try lake.tableNames(), [TableName(schema: "s", name: "t")])
        let t = try XCTUnwrap(lake.table(schema: "s", name: "t"))
        XCTAssertEqual(t.files.map(\.path), ["s/t/p=1/f.parquet"])
        XCTAssertNil(try lake.table(schema: "s", name: "empty"))
        XCTAssertNil(try lake.table(schema: "s", name: "_staging-2"))
        XCTAssertEqual(try lake.schemas(), ["public", "s"])
    }

    func testInconsistentPartitionKeysAreAnError() throws {
        let root = try makeTemporaryDirectory(self)
        try writeInts(root, "s/t/a=1/f.parquet", [1])
        try writeInts(root, "s/t/b=2/f.parquet", [2])
        let error = try XCTUnwrap(lakeError { try Lake(path: root).table(schema: "s", name: "t") })
        XCTAssertEqual(error.kind, .layout)
        XCTAssertTrue(error.message.contains("s/t/a=1/f.parquet") && error.message.contains("s/t/b=2/f.parquet"), error.message)
        XCTAssertTrue(error.message.contains("inconsistent"), error.message)
    }

    func testMixedDepthsAreAnError() throws {
        let root = try makeTemporaryDirectory(self)
        try writeInts(root, "s/t/a=1/f.parquet", [1])
        try writeInts(root, "s/t/g.parquet", [2])
        XCTAssertEqual(lakeError { try Lake(path: root).table(schema: "s", name: "t") }?.kind, .layout)
        let order = try makeTemporaryDirectory(self)
        try writeInts(order, "s/t/a=1/b=1/f.parquet", [1])
        try writeInts(order, "s/t/b=1/a=2/f.parquet", [2])
        XCTAssertEqual(lakeError { try Lake(path: order).table(schema: "s", name: "t") }?.kind, .layout, "same keys, other order")
    }

    func testPlainSubdirectoryIsAnError() throws {
        let root = try makeTemporaryDirectory(self)
        try writeInts(root, "s/t/data/f.parquet", [1])
        let error = try XCTUnwrap(lakeError { try Lake(path: root).table(schema: "s", name: "t") })
        XCTAssertEqual(error.kind, .layout)
        XCTAssertTrue(error.message.contains("'data'") && error.message.contains("key=value"), error.message)
    }

    func testSchemaMergeWithMissingColumns() throws {
        let root = try makeTemporaryDirectory(self)
        try writeParquet(root, "s/t/a.parquet", fields: [Field("id", .int64, nullable: false), Field("name", .string, nullable: false)],
                         columns: [int64Column([1]), stringColumn(["one"])])
        try writeParquet(root, "s/t/b.parquet", fields: [Field("score", .int32, nullable: false), Field("id", .int64, nullable: true)],
                         columns: [int32Column([7]), int64Column([2])])
        let t = try XCTUnwrap(Lake(path: root).table(schema: "s", name: "t"))
        XCTAssertEqual(t.fields, [Field("id", .int64, nullable: true), Field("name", .string, nullable: true),
                                  Field("score", .int32, nullable: true)])
        XCTAssertEqual(t.files.map(\.columnIndices), [[0, 1, nil], [1, nil, 0]])
    }

    func testTypeConflictNamesColumnTypesAndFiles() throws {
        let root = try makeTemporaryDirectory(self)
        try writeInts(root, "s/t/a.parquet", name: "amount", [1])
        try writeParquet(root, "s/t/b.parquet", fields: [Field("amount", .string)], columns: [stringColumn(["x"])])
        let error = try XCTUnwrap(lakeError { try Lake(path: root).table(schema: "s", name: "t") })
        XCTAssertEqual(error.kind, .schemaConflict)
        for part in ["'amount'", "int64", "string", "s/t/a.parquet", "s/t/b.parquet"] {
            XCTAssertTrue(error.message.contains(part), "\(part) missing from: \(error.message)")
        }
    }

    func testFileColumnNamedLikePartitionKeyIsAnError() throws {
        let root = try makeTemporaryDirectory(self)
        try writeInts(root, "s/t/x=1/f.parquet", name: "x", [1])
        let error = try XCTUnwrap(lakeError { try Lake(path: root).table(schema: "s", name: "t") })
        XCTAssertEqual(error.kind, .schemaConflict)
        XCTAssertTrue(error.message.contains("'x'") && error.message.contains("partition key"), error.message)
    }

    func testCorruptFileIsAClearError() throws {
        let root = try makeTemporaryDirectory(self)
        try writeInts(root, "s/good/f.parquet", [1])
        try writeText(root, "s/bad/f.parquet", "this is not parquet at all")
        let lake = try Lake(path: root)
        let error = try XCTUnwrap(lakeError { try lake.table(schema: "s", name: "bad") })
        XCTAssertEqual(error.kind, .parquet)
        XCTAssertTrue(error.message.contains("s/bad/f.parquet"), error.message)
        XCTAssertNotNil(try lake.table(schema: "s", name: "good"), "one bad table does not hide the others")
        XCTAssertEqual(try lake.tableNames().map(\.description), ["s.bad", "s.good"])
    }

    func testSearchPathAndCase() throws {
        let root = try makeTemporaryDirectory(self)
        try writeInts(root, "public/t/f.parquet", [1])
        try writeInts(root, "sales/t/f.parquet", [2])
        try writeInts(root, "sales/u/f.parquet", [3])
        try writeInts(root, "a/v/f.parquet", [4])
        try writeInts(root, "b/v/f.parquet", [5])
        try writeInts(root, "Mixed/Case/f.parquet", [6])
        let lake = try Lake(path: root)
        XCTAssertEqual(try lake.table(schema: nil, name: "t")?.schema, "public", "public comes first")
        XCTAssertEqual(try lake.table(schema: nil, name: "u")?.qualifiedName, "sales.u", "then a unique match")
        XCTAssertEqual(lakeError { try lake.table(schema: nil, name: "v") }?.kind, .invalid, "ambiguous")
        XCTAssertNil(try lake.table(schema: nil, name: "nothing"))
        XCTAssertNil(try lake.table(schema: "sales", name: "nothing"))
        XCTAssertEqual(try lake.table(schema: "mixed", name: "case")?.qualifiedName, "Mixed.Case")
        XCTAssertEqual(try lake.table(schema: nil, name: "CASE")?.qualifiedName, "Mixed.Case")
        XCTAssertEqual(try lake.tables().map(\.qualifiedName), ["Mixed.Case", "a.v", "b.v", "public.t", "sales.t", "sales.u"])
    }

    func testFootersAreCachedAndVersionsTrackChanges() throws {
        let root = try makeTemporaryDirectory(self)
        try writeInts(root, "s/t/a.parquet", [1])
        try writeInts(root, "s/t/b.parquet", [2])
        let lake = try Lake(path: root)
        let first = try XCTUnwrap(lake.table(schema: "s", name: "t"))
        XCTAssertEqual(lake.footerCacheStatistics.misses, 2)
        let again = try XCTUnwrap(lake.table(schema: "s", name: "t"))
        _ = try lake.open(again.files[0])
        XCTAssertEqual(lake.footerCacheStatistics.misses, 2, "listing again reads no footer")
        XCTAssertEqual(lake.footerCacheStatistics.hits, 1, "listing again does not even look (file summaries); opening a file does")
        XCTAssertEqual(first.version, again.version)

        try writeInts(root, "s/t/c.parquet", [3])
        let added = try XCTUnwrap(lake.table(schema: "s", name: "t"))
        XCTAssertNotEqual(added.version, first.version)
        XCTAssertEqual(added.rowCount, 3)

        try writeInts(root, "s/t/a.parquet", [1, 1, 1, 1])
        let rewritten = try XCTUnwrap(lake.table(schema: "s", name: "t"))
        XCTAssertNotEqual(rewritten.version, added.version)
        XCTAssertEqual(rewritten.rowCount, 6)
        XCTAssertEqual(try Lake(path: root).table(schema: "s", name: "t")?.version, rewritten.version, "stable across instances")
    }

    func testFooterCacheStaysBounded() throws {
        let root = try makeTemporaryDirectory(self)
        for i in 0..<10 { try writeInts(root, "s/t/p=\(i)/f.parquet", [Int64(i)]) }
        let lake = try Lake(path: root, footerCacheCapacity: 4)
        let t = try XCTUnwrap(lake.table(schema: "s", name: "t"))
        XCTAssertEqual(t.rowCount, 10)
        XCTAssertLessThanOrEqual(lake.footerCacheStatistics.entries, 4)
        for file in t.files { XCTAssertEqual(try lake.open(file).metadata.numRows, 1) }
        XCTAssertLessThanOrEqual(lake.footerCacheStatistics.entries, 4)
    }

    func testLakeMustBeADirectory() throws {
        let root = try makeTemporaryDirectory(self)
        XCTAssertEqual(lakeError { try Lake(path: root + "/missing") }?.kind, .notFound)
        try writeText(root, "file", "x")
        XCTAssertEqual(lakeError { try Lake(path: root + "/file") }?.kind, .invalid)
    }
}
