import Engine
import Foundation
import XCTest

/// XCTest glue for the .test files in Fixtures/sql/: each file runs against a
/// fresh copy of the fixture lake (Fixtures/lake) in a temporary directory,
/// through one `Engine(lakePath:)`, records in order.
///
/// Skipping: a file is skipped (XCTSkip) ONLY when the first statement it sends
/// gets the placeholder engine's error, SQLSTATE 0A000 with the message "the SQL
/// engine is not built yet". Any other outcome runs the whole file, so these
/// tests start running by themselves the moment the engine answers anything
/// else. Every failing record is reported (file:line, SQL, expected and got).
///
/// Set BASALT_SLT_KEEP_LAKE=1 to keep the temporary lakes for a look afterwards.
enum SQLLogicTestHarness {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let sqlDirectory = repoRoot.appendingPathComponent("Fixtures/sql")
    static let fixtureLake = repoRoot.appendingPathComponent("Fixtures/lake")

    static func run(file name: String, file testFile: StaticString = #filePath, line testLine: UInt = #line) throws {
        let url = sqlDirectory.appendingPathComponent(name)
        let text = try String(contentsOf: url, encoding: .utf8)
        let test: SQLLogicTest
        do {
            test = try SQLLogicTest.parse(text, file: "Fixtures/sql/" + name)
        } catch {
            XCTFail("\(error)", file: testFile, line: testLine)
            return
        }
        let lake = try TemporaryLake(copying: fixtureLake)
        defer { lake.remove() }

        let engine: Engine
        do {
            engine = try Engine(lakePath: lake.path)
        } catch {
            XCTFail("Engine(lakePath: \(lake.path)) failed: \(error)", file: testFile, line: testLine)
            return
        }
        switch SQLLogicRunner(executor: Session(engine: engine)).run(test) {
        case let .engineNotBuilt(error):
            throw XCTSkip("\(name): skipped because the engine answered SQLSTATE \(error.sqlState) \"\(error.message)\" "
                + "(the placeholder); these records run as soon as it answers anything else")
        case let .finished(report):
            for failure in report.failures {
                XCTFail(failure.description, file: testFile, line: testLine)
            }
            if !report.failures.isEmpty {
                print("\(name): \(report.failures.count) of \(report.executed) records failed (\(report.skipped) skipped)")
            }
        }
    }

    /// Fails unless `listed` names exactly the .test files in Fixtures/sql.
    static func checkFileList(_ listed: [String], file testFile: StaticString = #filePath, line testLine: UInt = #line) throws {
        let present = try FileManager.default.contentsOfDirectory(atPath: sqlDirectory.path).filter { $0.hasSuffix(".test") }
        let missing = Set(present).subtracting(listed).sorted()
        let gone = Set(listed).subtracting(present).sorted()
        if !missing.isEmpty || !gone.isEmpty {
            XCTFail("SQLLogicTestFiles.swift is out of date (run tools/sqllogictest/gen_xctests.py): "
                + "without a test: \(missing), no longer present: \(gone)", file: testFile, line: testLine)
        }
    }
}

/// A copy of the fixture lake's schema directories in a new temporary directory
/// (CREATE TABLE AS writes into it, so each file gets its own).
struct TemporaryLake {
    let root: URL
    var path: String { root.appendingPathComponent("lake").path }

    init(copying source: URL) throws {
        let fm = FileManager.default
        root = fm.temporaryDirectory.appendingPathComponent("basalt-slt-" + UUID().uuidString)
        let lake = root.appendingPathComponent("lake")
        try fm.createDirectory(at: lake, withIntermediateDirectories: true)
        for name in try fm.contentsOfDirectory(atPath: source.path).sorted() {
            var isDirectory: ObjCBool = false
            let item = source.appendingPathComponent(name)
            // Schema directories only: the lake's README.md stays behind.
            guard fm.fileExists(atPath: item.path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            try fm.copyItem(at: item, to: lake.appendingPathComponent(name))
        }
    }

    func remove() {
        if ProcessInfo.processInfo.environment["BASALT_SLT_KEEP_LAKE"] == "1" {
            print("kept the test lake at \(path)")
            return
        }
        try? FileManager.default.removeItem(at: root)
    }
}
