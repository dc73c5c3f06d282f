import Columnar
import Ingest
import XCTest

/// Every input under Fixtures/ingest/ beside its `.expected` file: the table
/// it reads as (columns with types, then rows as `a|b|c`, NULL for null,
/// `\n` for newlines, `<len N>` for long values), the rejected records
/// (`rejected: file:line:column reason-substring`), or the error
/// (`error: substring`). `options:` lines set ingest options.
final class FixtureTests: XCTestCase {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/ingest")

    static func inputs() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { !["expected", "schema"].contains($0.pathExtension) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    struct Expectation {
        var options = IngestOptions(lake: "/nonexistent", schema: "s", table: "t", inputs: [])
        var columns: String?
        var rows: [String] = []
        var rejected: [String] = []
        var error: String?
    }

    static func expectation(for input: URL) throws -> Expectation {
        let url = input.deletingPathExtension().appendingPathExtension("expected")
        var e = Expectation()
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("options:") {
                for option in line.dropFirst(8).split(separator: " ") {
                    let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
                    switch parts[0] {
                    case "on-error": e.options.onError = IngestOptions.ErrorPolicy(rawValue: parts[1])!
                    case "null-padding": e.options.nullPadding = true
                    case "null": e.options.csv.nullStrings.append(parts[1])
                    case "flatten": e.options.flatten = true
                    case "sample-rows": e.options.sampleRows = Int(parts[1])!
                    case "block-bytes": e.options.blockBytes = Int(parts[1])!
                    default: XCTFail("unknown option \(option) in \(url.lastPathComponent)")
                    }
                }
            } else if line.hasPrefix("columns:") {
                e.columns = line.dropFirst(8).trimmingCharacters(in: .whitespaces)
            } else if line.hasPrefix("rejected: ") {
                e.rejected.append(String(line.dropFirst(10)))
            } else if line.hasPrefix("error: ") {
                e.error = String(line.dropFirst(7))
            } else if !line.isEmpty {
                e.rows.append(String(line))
            }
        }
        return e
    }

    static func render(_ value: String?) -> String {
        guard let value else { return "NULL" }
        if value.utf8.count > 1000 { return "<len \(value.utf8.count)>" }
        return value.replacingOccurrences(of: "\n", with: "\\n")
    }

    func testEveryFixture() throws {
        let inputs = try Self.inputs()
        XCTAssertGreaterThan(inputs.count, 20)
        for input in inputs {
            let name = input.lastPathComponent
            let e = try Self.expectation(for: input)
            let bytes = [UInt8](try Data(contentsOf: input))
            let preview: IngestPreview
            do {
                preview = try IngestPreview.parse(bytes, name: name, options: e.options)
            } catch {
                if let expected = e.error {
                    XCTAssertTrue(error.description.contains(expected), "\(name): error '\(error)' lacks '\(expected)'")
                } else {
                    XCTFail("\(name): unexpected error \(error)")
                }
                continue
            }
            if e.options.onError == .fail, let first = preview.rejected.first {
                let text = IngestError(.record, first.reason, at: first.position).description
                if let expected = e.error {
                    XCTAssertTrue(text.contains(expected), "\(name): error '\(text)' lacks '\(expected)'")
                } else {
                    XCTFail("\(name): unexpected rejected record: \(text)")
                }
                continue
            }
            XCTAssertNil(e.error, "\(name): expected the error '\(e.error ?? "")', got a table")
            let columns = preview.fields.map { "\($0.name) \($0.type)" }.joined(separator: ", ")
            XCTAssertEqual(columns, e.columns, "\(name): columns")
            let rows = preview.rows.map { $0.map(Self.render).joined(separator: "|") }
            XCTAssertEqual(rows, e.rows, "\(name): rows")
            let rejected = preview.rejected.map { "\($0.position) \($0.reason)" }
            XCTAssertEqual(rejected.count, e.rejected.count, "\(name): rejected \(rejected)")
            for (got, want) in zip(rejected, e.rejected) {
                let position = String(want.prefix { $0 != " " })
                let reason = want.dropFirst(position.count + 1)
                XCTAssertTrue(got.hasPrefix(position + " ") && got.contains(reason), "\(name): rejected '\(got)', expected '\(want)'")
            }
        }
    }
}
