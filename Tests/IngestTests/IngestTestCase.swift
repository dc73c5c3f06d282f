import Foundation
import XCTest

/// A temporary directory per test, with a lake inside it and helpers to write input files:
/// what every whole-ingest test class starts from.
class IngestTestCase: XCTestCase {
    var root: URL!

    /// The directory name's prefix (tells the test classes' leftovers apart).
    var directoryPrefix: String { "ingest" }

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("\(directoryPrefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    var lakePath: String { root.appendingPathComponent("lake").path }

    func file(_ name: String, _ text: String) throws -> String {
        let url = root.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}
