import Lake
import Parquet
import XCTest

final class LocalObjectStoreTests: XCTestCase {
    func testPutListOpenRenameDelete() throws {
        let root = try makeTemporaryDirectory(self)
        let store = LocalObjectStore(root: root)
        try store.put("a/b/one.bin", bytes: Array("hello world".utf8))
        try store.put("a/two.bin", bytes: [1, 2, 3])
        try store.put("top.bin", bytes: [])

        XCTAssertEqual(try store.list(prefix: "").map(\.path), ["a/b/one.bin", "a/two.bin", "top.bin"])
        XCTAssertEqual(try store.list(prefix: "a").map(\.path), ["a/b/one.bin", "a/two.bin"])
        XCTAssertEqual(try store.list(prefix: "a/b/one.bin").map(\.size), [11], "a prefix naming an object lists it")
        XCTAssertEqual(try store.list(prefix: "missing"), [])
        XCTAssertEqual(try store.directories(under: ""), ["a"])
        XCTAssertEqual(try store.directories(under: "a"), ["b"])
        XCTAssertTrue(try store.exists("a/b"))
        XCTAssertNil(try store.info("a/b"), "a directory is not an object")
        XCTAssertEqual(try store.info("a/two.bin")?.size, 3)
        XCTAssertGreaterThan(try store.info("a/two.bin")?.modified ?? 0, 0)

        let source = try store.open("a/b/one.bin")
        XCTAssertEqual(source.size, 11)
        XCTAssertEqual(try source.read(offset: 6, length: 5), Array("world".utf8))

        try store.rename(from: "a/b", to: "c/d")
        XCTAssertEqual(try store.list(prefix: "").map(\.path), ["a/two.bin", "c/d/one.bin", "top.bin"])
        try store.put("e/x.bin", bytes: [9])
        XCTAssertEqual(lakeError { try store.rename(from: "c/d", to: "e") }?.kind, .alreadyExists,
                       "renaming onto a non-empty directory fails")

        try store.delete("c")
        try store.delete("never-existed")
        XCTAssertEqual(try store.list(prefix: "").map(\.path), ["a/two.bin", "e/x.bin", "top.bin"])
        XCTAssertFalse(try store.exists("c"))
    }

    func testPathsCannotEscapeTheStore() throws {
        let store = LocalObjectStore(root: try makeTemporaryDirectory(self))
        XCTAssertEqual(lakeError { try store.list(prefix: "../etc") }?.kind, .invalid)
        XCTAssertEqual(lakeError { try store.open("/etc/passwd") }?.kind, .invalid)
        XCTAssertEqual(lakeError { try store.delete("") }?.kind, .invalid)
        XCTAssertEqual(lakeError { try store.open("nothing.parquet") }?.kind, .notFound)
        for bad in ["a/..", "x/../y", "..", "/a"] {
            XCTAssertEqual(lakeError { try store.list(prefix: bad) }?.kind, .invalid, bad)
        }
        // Paths are normalized (already normal ones come back as they are).
        XCTAssertEqual(store.location(of: "a//b/./c/"), store.root + "/a/b/c")
        XCTAssertEqual(store.location(of: "a/b.parquet"), store.root + "/a/b.parquet")
        XCTAssertEqual(store.location(of: ".../..a/b.."), store.root + "/.../..a/b..")
        XCTAssertEqual(store.location(of: ""), store.root)
    }

    func testSinkPublishesOnClose() throws {
        let root = try makeTemporaryDirectory(self)
        let store = LocalObjectStore(root: root)
        let sink = try store.createSink("t/part.parquet")
        try sink.write([1, 2, 3])
        XCTAssertNil(try store.info("t/part.parquet"), "not visible before close")
        XCTAssertEqual(try store.list(prefix: "t").count, 1, "written under a hidden temporary name")
        try sink.close()
        XCTAssertEqual(try store.list(prefix: "t").map(\.path), ["t/part.parquet"])
    }

    func testSymbolicLinkCyclesEndTheWalk() throws {
        let root = try makeTemporaryDirectory(self)
        let store = LocalObjectStore(root: root)
        try store.put("d/f.bin", bytes: [1])
        try FileManager.default.createSymbolicLink(atPath: root + "/d/loop", withDestinationPath: root + "/d")
        XCTAssertEqual(try store.list(prefix: "").map(\.path), ["d/f.bin"])
    }
}
