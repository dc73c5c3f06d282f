import Columnar
import Foundation
import Lake
import Parquet
import XCTest

/// Describing a table from file summaries kept in the metastore: a new Lake (a
/// new process) reads no footer for files it has seen, a changed file is read
/// again, and the merged schema is the same as from the footers.
final class FileSummaryCacheTests: XCTestCase {
    func testANewLakeDescribesSeenFilesWithoutReadingFooters() throws {
        let root = try makeTemporaryDirectory(self)
        for month in 1...3 {
            try writeParquet(root, "s/t/year=2024/month=\(month)/part-0.parquet",
                             fields: [Field("id", .int64, nullable: false), Field("name", .string, nullable: false)],
                             columns: [int64Column((0..<Int64(month)).map { $0 }), stringColumn((0..<month).map { "n\($0)" })])
        }
        // A fourth file with another schema: the merge must still see it.
        try writeParquet(root, "s/t/year=2024/month=4/part-0.parquet", fields: [Field("score", .int32, nullable: false)],
                         columns: [int32Column([9])])
        let first = try Lake(path: root)
        let described = try XCTUnwrap(first.table(schema: "s", name: "t"))
        XCTAssertEqual(first.footerCacheStatistics.misses, 4, "the first description reads every footer")

        let second = try Lake(path: root)
        let again = try XCTUnwrap(second.table(schema: "s", name: "t"))
        XCTAssertEqual(second.footerCacheStatistics.misses, 0, "a new lake describes the table from the metastore")
        XCTAssertEqual(again.fields, described.fields)
        XCTAssertEqual(again.fields.map(\.name), ["id", "name", "score", "year", "month"])
        XCTAssertEqual(again.files.map(\.rowCount), [1, 2, 3, 1])
        XCTAssertEqual(again.files.map(\.columnIndices), described.files.map(\.columnIndices))
        XCTAssertEqual(again.version, described.version)
        // Opening one file reads one footer.
        _ = try second.open(again.files[2])
        XCTAssertEqual(second.footerCacheStatistics.misses, 1)

        // A rewritten file is read again, the others are not.
        try writeParquet(root, "s/t/year=2024/month=2/part-0.parquet", fields: [Field("id", .int64, nullable: false)],
                         columns: [int64Column([1, 2, 3, 4, 5])])
        let third = try Lake(path: root)
        let changed = try XCTUnwrap(third.table(schema: "s", name: "t"))
        XCTAssertEqual(third.footerCacheStatistics.misses, 1)
        XCTAssertEqual(changed.files.map(\.rowCount), [1, 5, 3, 1])
        XCTAssertEqual(changed.files[1].columnIndices, [0, nil, nil])
    }

    func testSummariesLiveInTheMetastore() throws {
        let path = try makeTemporaryDirectory(self, "metastore") + "/m.sqlite"
        let store = try SQLiteMetastore(path: path)
        XCTAssertTrue(try store.appliedMigrations().contains { $0.hasPrefix("v4-file-cache") })
        let schema: [UInt8] = [1, 2, 3]
        try store.saveFileSummaries([
            FileSummary(location: "/lake/s/t/a.parquet", size: 10, modified: 1, rowCount: 5, encodedSchema: schema),
            FileSummary(location: "/lake/s/t/b.parquet", size: 20, modified: 2, rowCount: 6, encodedSchema: schema),
            FileSummary(location: "/lake/s/t2/c.parquet", size: 30, modified: 3, rowCount: 7, encodedSchema: [9]),
            FileSummary(location: "/lake/s/t/gone.parquet", size: 1, modified: 1, rowCount: 1, encodedSchema: [9]),
        ], forgetting: [])
        try store.saveFileSummaries([], forgetting: ["/lake/s/t/gone.parquet"])
        try store.saveFileSummaries([FileSummary(location: "/lake/s/t/b.parquet", size: 21, modified: 4, rowCount: 8, encodedSchema: schema)],
                                    forgetting: [])
        let under = try store.fileSummaries(under: "/lake/s/t").sorted { $0.location < $1.location }
        XCTAssertEqual(under.map(\.location), ["/lake/s/t/a.parquet", "/lake/s/t/b.parquet"], "t2 is not under t")
        XCTAssertEqual(under.map(\.rowCount), [5, 8])
        XCTAssertEqual(under[1].size, 21)
        XCTAssertEqual(under[0].encodedSchema, schema)
        XCTAssertEqual(try store.fileSummaries(under: "/lake/s/t2/c.parquet").map(\.rowCount), [7], "a single-file table")
    }
}
