import Columnar
import Foundation
import Lake
import XCTest

final class MetastoreTests: XCTestCase {
    func testRoundTripThroughARealSQLiteFile() throws {
        let dir = try makeTemporaryDirectory(self, "metastore")
        let path = dir + "/metastore.sqlite"
        let created = Date(timeIntervalSince1970: 1_700_000_000)
        do {
            let store = try SQLiteMetastore(path: path)
            XCTAssertTrue(try store.createSchema("analytics"))
            XCTAssertFalse(try store.createSchema("analytics"), "already recorded")
            try store.registerTable(RegisteredTable(schema: "analytics", name: "events", location: "/data/events", created: created))
            XCTAssertEqual(lakeError {
                try store.registerTable(RegisteredTable(schema: "analytics", name: "events", location: "/elsewhere", created: created))
            }?.kind, .alreadyExists)
            try store.setSetting("threads", to: "2")
            try store.setSetting("memory_limit", to: "1GB")
            try store.setSetting("memory_limit", to: "2GB")
        }
        let reopened = try SQLiteMetastore(path: path)
        XCTAssertEqual(try reopened.schemas().map(\.name), ["analytics"])
        XCTAssertEqual(try reopened.tables(), [RegisteredTable(schema: "analytics", name: "events", location: "/data/events", created: created)])
        XCTAssertEqual(try reopened.table(schema: "analytics", name: "events")?.location, "/data/events")
        XCTAssertNil(try reopened.table(schema: "analytics", name: "other"))
        XCTAssertEqual(try reopened.setting("memory_limit"), "2GB")
        XCTAssertEqual(try reopened.settings().map { "\($0.key)=\($0.value)" }, ["memory_limit=2GB", "threads=2"])
        try reopened.setSetting("threads", to: nil)
        XCTAssertNil(try reopened.setting("threads"))

        let version = try reopened.catalogVersion()
        XCTAssertTrue(try reopened.dropTable(schema: "analytics", name: "events"))
        XCTAssertFalse(try reopened.dropTable(schema: "analytics", name: "events"))
        XCTAssertTrue(try reopened.dropSchema("analytics"))
        XCTAssertEqual(try reopened.catalogVersion(), version + 2, "every catalog change bumps the version")
    }

    func testMigrationsAreAppliedOnce() throws {
        let path = try makeTemporaryDirectory(self, "metastore") + "/m.sqlite"
        let first = try SQLiteMetastore(path: path).appliedMigrations()
        XCTAssertEqual(first.first, "v1 catalog: schemas, tables, settings", "every migration, in order")
        XCTAssertEqual(try SQLiteMetastore(path: path).appliedMigrations(), first)
        XCTAssertEqual(try SQLiteMetastore(path: path).appliedMigrations(), first)
    }

    func testLakeKeepsItsMetastoreInWALMode() throws {
        let root = try makeTemporaryDirectory(self)
        let lake = try Lake(path: root)
        try lake.createSchema("analytics")
        let file = root + "/_basalt/metastore.sqlite"
        XCTAssertTrue(FileManager.default.fileExists(atPath: file))
        // SQLite's header: bytes 18 and 19 are 2 in WAL mode.
        let header = try XCTUnwrap(FileManager.default.contents(atPath: file))
        XCTAssertEqual(Array(header[18...19]), [2, 2])
        XCTAssertTrue(try Lake(path: root).schemas().contains("analytics"), "kept across opens")
        XCTAssertEqual(try lake.tableNames(), [], "the metastore's directory is not a schema of tables")
        XCTAssertFalse(try lake.schemas().contains("_basalt"))
    }

    func testSchemas() throws {
        let root = try makeTemporaryDirectory(self)
        let lake = try Lake(path: root)
        XCTAssertEqual(try lake.schemas(), ["public"])
        XCTAssertTrue(try lake.createSchema("analytics"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/analytics"))
        XCTAssertEqual(lakeError { try lake.createSchema("analytics") }?.kind, .alreadyExists)
        XCTAssertFalse(try lake.createSchema("analytics", ifNotExists: true))
        XCTAssertEqual(lakeError { try lake.createSchema("_hidden") }?.kind, .invalid)
        XCTAssertEqual(lakeError { try lake.createSchema("a/b") }?.kind, .invalid)
        XCTAssertEqual(try lake.schemas(), ["analytics", "public"])
    }

    func testRegisteredTablesInsideAndOutsideTheLake() throws {
        let root = try makeTemporaryDirectory(self)
        let outside = try makeTemporaryDirectory(self, "external")
        try writeInts(outside, "events/day=2024-01-01/f.parquet", [1, 2])
        try writeInts(outside, "events/day=2024-01-02/f.parquet", [3])
        try writeInts(root, "raw/dump/f.parquet", [4])
        let lake = try Lake(path: root)
        try lake.createSchema("ext")

        let external = try lake.registerTable(schema: "ext", name: "events", location: outside + "/events")
        XCTAssertEqual(external.origin, .registered)
        XCTAssertEqual(external.rowCount, 3)
        XCTAssertEqual(external.partitionKeys, [Field("day", .date32, nullable: false)])
        XCTAssertEqual(external.files.first?.location, outside + "/events/day=2024-01-01/f.parquet")

        let inside = try lake.registerTable(schema: "public", name: "dump", location: root + "/raw/dump")
        XCTAssertEqual(inside.location, "raw/dump", "a location inside the lake is kept relative")
        let relative = try lake.registerTable(schema: "public", name: "dump2", location: "raw/dump")
        XCTAssertEqual(relative.rowCount, 1)

        // Reopened: the registrations are in the metastore.
        let reopened = try Lake(path: root)
        XCTAssertEqual(try reopened.tableNames().map(\.description), ["ext.events", "public.dump", "public.dump2", "raw.dump"])
        let events = try XCTUnwrap(reopened.table(schema: nil, name: "events"))
        XCTAssertEqual(events.files.count, 2)
        XCTAssertEqual(ints(try reopened.open(events.files[1]).readRowGroup(0).columns[0]), [3])

        XCTAssertEqual(lakeError { try reopened.registerTable(schema: "ext", name: "events", location: outside) }?.kind, .alreadyExists)
        XCTAssertEqual(lakeError { try reopened.registerTable(schema: "raw", name: "dump", location: outside) }?.kind, .alreadyExists,
                       "a discovered table holds the name")
        XCTAssertEqual(lakeError { try reopened.registerTable(schema: "nope", name: "x", location: outside) }?.kind, .notFound)
        XCTAssertEqual(lakeError { try reopened.registerTable(schema: "ext", name: "x", location: outside + "/missing") }?.kind, .notFound)

        // Dropping a registered table forgets it and keeps its files.
        XCTAssertTrue(try reopened.dropTable(schema: "ext", name: "events"))
        XCTAssertNil(try reopened.table(schema: "ext", name: "events"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: outside + "/events/day=2024-01-01/f.parquet"))
        XCTAssertFalse(try reopened.dropTable(schema: "ext", name: "events"))
    }
}
