import Columnar
import Engine
import Foundation
import Lake
import XCTest

/// An empty lake in a fresh temporary directory with one schema, `t`, for tests that write
/// their own tables; `remove()` deletes it.
struct ScratchLake {
    let root: URL
    let lake: Lake

    init(_ label: String) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("basalt-\(label)-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        lake = try Lake(path: root.path)
        _ = try lake.createSchema("t")
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// Tests over their own tables: a fresh `ScratchLake` (named by `label`) and an engine on it
/// per test, with the answers and EXPLAIN ANALYZE lines as text.
class ScratchLakeTestCase: XCTestCase {
    class var label: String { "scratch" }
    var scratch: ScratchLake!
    var engine: Engine!

    override func setUpWithError() throws {
        scratch = try ScratchLake(Self.label)
        engine = Engine(lake: scratch.lake)
    }

    override func tearDownWithError() throws { scratch.remove() }

    /// The answer's rows, cells joined by `|`.
    func rows(_ sql: String) throws -> [String] { try engine.execute(sql).textRows }

    /// The answers of `query` with each `X` naming `table` and then `reference` (one question
    /// asked of two copies of a table that differ in layout or sharing); they must agree.
    func sameAnswers(_ query: String, table: String, reference: String,
                     file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let answer = try rows(query.replacingOccurrences(of: "X", with: table))
        XCTAssertEqual(answer, try rows(query.replacingOccurrences(of: "X", with: reference)), query, file: file, line: line)
        XCTAssertFalse(answer.isEmpty, query, file: file, line: line)
        return answer
    }

    /// EXPLAIN ANALYZE's lines for `sql`.
    func explainLines(_ sql: String) throws -> [String] { try engine.execute("EXPLAIN ANALYZE " + sql).firstColumnLines }
}

extension QueryResult {
    /// Each row as its cells' text joined by `|` (NULL as `NULL`).
    var textRows: [String] {
        batches.flatMap { b in (0..<b.rowCount).map { i in b.columns.map { ValueText.format($0, i) ?? "NULL" }.joined(separator: "|") } }
    }

    /// The first column's text, row by row (EXPLAIN's lines).
    var firstColumnLines: [String] {
        batches.flatMap { b in (0..<b.rowCount).compactMap { ValueText.format(b.columns[0], $0) } }
    }
}
