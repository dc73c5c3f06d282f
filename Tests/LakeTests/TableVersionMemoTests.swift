import Foundation
import Lake
import XCTest

/// `Lake.currentVersion` remembers versions while nothing under the lake changes; every
/// kind of change is seen at the very next call (the watch is read by the caller).
final class TableVersionMemoTests: XCTestCase {
    private func version(_ lake: Lake, _ table: String = "t") throws -> UInt64? {
        try lake.currentVersion(schema: "s", name: table)
    }

    /// The version a fresh lake (nothing remembered) lists.
    private func listed(_ root: String, _ table: String = "t") throws -> UInt64? {
        try Lake(path: root).currentVersion(schema: "s", name: table)
    }

    func testEveryChangeIsSeenAtTheNextCall() throws {
        let root = try makeTemporaryDirectory(self)
        try writeInts(root, "s/t/year=2024/a.parquet", [1])
        let lake = try Lake(path: root)
        var last = try version(lake)
        XCTAssertNotNil(last)
        XCTAssertEqual(try version(lake), last, "unchanged")

        func changed(_ what: String, _ change: () throws -> Void) throws {
            try change()
            let now = try version(lake)
            XCTAssertNotEqual(now, last, what)
            XCTAssertEqual(now, try listed(root), what + ": the remembered version is the listed one")
            last = now
            XCTAssertEqual(try version(lake), last, what + ": and stays while nothing changes")
        }
        try changed("a new file") { try writeInts(root, "s/t/year=2024/b.parquet", [2]) }
        try changed("a new partition directory") { try writeInts(root, "s/t/year=2025/c.parquet", [3]) }
        try changed("a file in the new partition") { try writeInts(root, "s/t/year=2025/d.parquet", [4]) }
        try changed("a file rewritten") { try writeInts(root, "s/t/year=2024/a.parquet", [1, 1, 1]) }
        try changed("a file removed") { try FileManager.default.removeItem(atPath: root + "/s/t/year=2024/b.parquet") }
        try changed("the table directory replaced by a rename") {
            try writeInts(root, "s/staging/year=2026/e.parquet", [5])
            try FileManager.default.removeItem(atPath: root + "/s/t")
            try FileManager.default.moveItem(atPath: root + "/s/staging", toPath: root + "/s/t")
        }
        try changed("a file in the renamed directory") { try writeInts(root, "s/t/year=2026/f.parquet", [6]) }
        try changed("a file at the top of the renamed directory") { try writeInts(root, "s/t/h.parquet", [8]) }
        try changed("a partition directory in a middle level") { try writeInts(root, "s/t/year=2026/month=1/i.parquet", [9]) }
        try changed("a sibling under the middle level") { try writeInts(root, "s/t/year=2026/month=2/j.parquet", [10]) }
        try FileManager.default.createDirectory(atPath: root + "/s/t/year=2027", withIntermediateDirectories: true)
        last = try version(lake)
        try changed("a file in a directory that was empty when listed") { try writeInts(root, "s/t/year=2027/k.parquet", [11]) }
        try changed("the table replaced by an exchange of names") {
            try writeInts(root, "s/next/l.parquet", [12])
            try FileManager.default.moveItem(atPath: root + "/s/t", toPath: root + "/s/old")
            try FileManager.default.moveItem(atPath: root + "/s/next", toPath: root + "/s/t")
        }
        try changed("a file in the table's new directory") { try writeInts(root, "s/t/m.parquet", [13]) }
        try changed("a file in the old directory does not count, the listing says") {
            try writeInts(root, "s/t/n.parquet", [14])
            try writeInts(root, "s/old/o.parquet", [15])
        }
        try changed("the table removed") { try FileManager.default.removeItem(atPath: root + "/s/t") }
        XCTAssertNil(last)
        try changed("the table created again") { try writeInts(root, "s/t/g.parquet", [7]) }
    }

    func testTablesAreRememberedApart() throws {
        let root = try makeTemporaryDirectory(self)
        try writeInts(root, "s/t/a.parquet", [1])
        try writeInts(root, "s/u/a.parquet", [1])
        let lake = try Lake(path: root)
        let t = try version(lake, "t"), u = try version(lake, "u")
        try writeInts(root, "s/u/b.parquet", [2])
        XCTAssertEqual(try version(lake, "t"), t)
        XCTAssertNotEqual(try version(lake, "u"), u)
        XCTAssertNil(try version(lake, "missing"))
        try writeInts(root, "s/missing/a.parquet", [1])
        XCTAssertNotNil(try version(lake, "missing"), "a table that appears is seen")
    }
}
