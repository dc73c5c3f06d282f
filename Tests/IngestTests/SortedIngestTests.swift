import Columnar
import Foundation
import Ingest
import Parquet
import XCTest

/// `--sort-by` sorts whole files (an external merge sort per partition when
/// the partition does not fit in `--memory-limit`).
final class SortedIngestTests: IngestTestCase {
    override var directoryPrefix: String { "ingest-sorted" }

    @discardableResult
    func ingest(_ inputs: [String], table: String = "orders", _ configure: (inout IngestOptions) -> Void = { _ in }) throws -> IngestSummary {
        var options = IngestOptions(lake: lakePath, schema: "sales", table: table, inputs: inputs)
        configure(&options)
        return try Ingestor(options: options).run()
    }

    /// Every Parquet file of the table (relative path), sorted; none but the table's.
    func files(_ table: String = "orders") -> [String] {
        let base = root.appendingPathComponent("lake/sales/\(table)").path
        let all = FileManager.default.enumerator(atPath: base)?.compactMap { $0 as? String } ?? []
        return all.filter { $0.hasSuffix(".parquet") }.sorted().map { base + "/" + $0 }
    }

    /// A file's rows, in file order across all row groups, as text values of `columns` (nil: NULL).
    func fileRows(_ path: String, _ columns: [String]) throws -> (rows: [[String?]], rowGroups: Int) {
        let parquet = try ParquetFile(path: path)
        let indices = try columns.map { name in try XCTUnwrap(parquet.columnIndex(named: name), name) }
        var out: [[String?]] = []
        for g in 0..<parquet.rowGroupCount {
            let batch = try parquet.readRowGroup(g)
            for r in 0..<batch.rowCount {
                out.append(indices.map { ValueText.format(batch.columns[$0], r) })
            }
        }
        return (out, parquet.rowGroupCount)
    }

    /// Ascending, NULLs last: integer keys compared as integers, others as text.
    static func compare(_ a: String?, _ b: String?, numeric: Bool) -> Int {
        switch (a, b) {
        case (nil, nil): return 0
        case (nil, _): return 1
        case (_, nil): return -1
        case let (x?, y?):
            if numeric, let p = Int(x), let q = Int(y) { return p < q ? -1 : p > q ? 1 : 0 }
            return x < y ? -1 : x > y ? 1 : 0
        }
    }

    /// Rows `id,customer,tag,note`; customer is NULL (empty) on every 13th row.
    func generated(_ n: Int, padding: Int = 0) -> String {
        let pad = String(repeating: "p", count: padding)
        var text = "id,customer,tag,note\n"
        var seed: UInt64 = 42
        for i in 0..<n {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let customer = i % 13 == 0 ? "" : String((seed >> 33) % 5000)
            let tag = "t" + String((seed >> 20) % 7)
            text += "\(i),\(customer),\(tag),note-\(i % 97)\(pad)\n"
        }
        return text
    }

    /// Checks every file is sorted by (customer, tag) across its row groups,
    /// NULLs last and stable (ids ascending on equal keys); returns all rows.
    func checkSorted(_ paths: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        var all: [String] = []
        for path in paths {
            let (rows, _) = try fileRows(path, ["id", "customer", "tag", "note"])
            for k in rows.indices {
                all.append(rows[k].map { $0 ?? "NULL" }.joined(separator: "|"))
                guard k > 0 else { continue }
                let a = rows[k - 1], b = rows[k]
                var c = Self.compare(a[1], b[1], numeric: true)
                if c == 0 { c = Self.compare(a[2], b[2], numeric: false) }
                if c == 0 { c = Self.compare(a[0], b[0], numeric: true) }  // stable: input order on ties
                if c >= 0 {
                    XCTFail("\(path): row \(k - 1) \(a) is not before row \(k) \(b)", file: file, line: line)
                    return all
                }
            }
        }
        return all
    }

    func expectedRows(_ text: String) -> [String] {
        text.split(separator: "\n").dropFirst().map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map { $0.isEmpty ? "NULL" : String($0) }.joined(separator: "|")
        }.sorted()
    }

    func testWholeFilesSortedWithSpilledRuns() throws {
        // ~20 MB of buffers against a 1 MB limit: about 20 sorted runs (more than
        // the merge's fan-in, so runs are merged in two passes).
        let text = generated(250_000, padding: 40)
        let input = try file("orders.csv", text)
        let summary = try ingest([input]) {
            $0.sortBy = ["customer", "tag"]
            $0.memoryLimitBytes = 1 << 20
            $0.rowGroupRows = 1000
            $0.blockBytes = 64 << 10
        }
        XCTAssertEqual(summary.rowsWritten, 250_000)
        let paths = files()
        XCTAssertFalse(paths.isEmpty)
        XCTAssertGreaterThan(try fileRows(paths[0], ["id"]).rowGroups, 10)
        let all = try checkSorted(paths)
        XCTAssertEqual(all.sorted(), expectedRows(text))
        // NULL customers are at the end of the file.
        let last = try fileRows(paths[paths.count - 1], ["customer"]).rows
        XCTAssertNil(last[last.count - 1][0])
        XCTAssertNotNil(try fileRows(paths[0], ["customer"]).rows[0][0])
        // No sort runs are left in the table.
        let left = FileManager.default.enumerator(atPath: root.appendingPathComponent("lake").path)?.compactMap { $0 as? String } ?? []
        XCTAssertFalse(left.contains { $0.contains("_sort-runs") }, "\(left.filter { $0.contains("_sort") })")
    }

    func testPartitionedSortedFilesWithSmallTargetSize() throws {
        let text = generated(60_000)
        let input = try file("orders.csv", text)
        try ingest([input]) {
            $0.partitionBy = ["tag"]
            $0.sortBy = ["customer"]
            $0.memoryLimitBytes = 1 << 20
            $0.rowGroupRows = 500
            $0.targetFileBytes = 32 << 10
            $0.blockBytes = 32 << 10
        }
        let paths = files()
        XCTAssertGreaterThan(paths.count, 7)  // several files in each of the 7 partitions
        var all: [String] = []
        for path in paths {
            let (rows, _) = try fileRows(path, ["id", "customer", "note"])
            let tag = path.components(separatedBy: "tag=")[1].prefix { $0 != "/" }
            for k in rows.indices {
                all.append([rows[k][0] ?? "NULL", rows[k][1] ?? "NULL", String(tag), rows[k][2] ?? "NULL"].joined(separator: "|"))
                guard k > 0 else { continue }
                var c = Self.compare(rows[k - 1][1], rows[k][1], numeric: true)
                if c == 0 { c = Self.compare(rows[k - 1][0], rows[k][0], numeric: true) }
                if c >= 0 { return XCTFail("\(path): row \(k - 1) \(rows[k - 1]) is not before row \(k) \(rows[k])") }
            }
        }
        XCTAssertEqual(all.sorted(), expectedRows(text))
    }

    func testNestedColumnsThroughSpilledRuns() throws {
        // Lists and structs ride along through the runs and the merge.
        var text = ""
        var expected: [String] = []
        for i in 0..<60_000 {
            let k = (i * 7919) % 1000
            let tags = (0..<(i % 3)).map { "\"t\($0)-\(i % 5)\"" }.joined(separator: ",")
            text += "{\"id\": \(i), \"k\": \(k), \"tags\": [\(tags)], \"who\": {\"name\": \"u\(i % 11)\", \"n\": \(i % 4)}, \"pad\": \"\(String(repeating: "x", count: 30))\"}\n"
            expected.append("\(k)|\(i)")
        }
        let input = try file("events.ndjson", text)
        try ingest([input]) {
            $0.sortBy = ["k"]
            $0.memoryLimitBytes = 1 << 20
            $0.rowGroupRows = 700
            $0.blockBytes = 32 << 10
        }
        var seen: [String] = []
        for path in files() {
            let (rows, _) = try fileRows(path, ["k", "id", "tags", "who"])
            for k in rows.indices {
                let id = Int(rows[k][1]!)!
                XCTAssertEqual(rows[k][2], "{" + (0..<(id % 3)).map { "t\($0)-\(id % 5)" }.joined(separator: ",") + "}")
                XCTAssertEqual(rows[k][3]?.contains("u\(id % 11)"), true, rows[k][3] ?? "NULL")
                seen.append("\(rows[k][0]!)|\(id)")
                if k > 0 {
                    let a = (Int(rows[k - 1][0]!)!, Int(rows[k - 1][1]!)!), b = (Int(rows[k][0]!)!, id)
                    if !(a < b) { return XCTFail("\(path): \(a) before \(b)") }
                }
            }
        }
        XCTAssertEqual(seen.sorted(), expected.sorted())
    }

    func testFitsInMemoryNullsLastStable() throws {
        let text = "id,customer,tag,note\n1,3,b,x\n2,,a,x\n3,1,b,x\n4,3,a,x\n5,,b,x\n6,1,b,x\n7,2,,x\n"
        let input = try file("small.csv", text)
        try ingest([input]) {
            $0.sortBy = ["customer", "tag"]
            $0.rowGroupRows = 2
        }
        let paths = files()
        XCTAssertEqual(paths.count, 1)
        let (rows, groups) = try fileRows(paths[0], ["id", "customer", "tag"])
        XCTAssertEqual(groups, 4)
        XCTAssertEqual(rows.map { $0.map { $0 ?? "NULL" }.joined(separator: "|") },
                       ["3|1|b", "6|1|b", "7|2|NULL", "4|3|a", "1|3|b", "2|NULL|a", "5|NULL|b"])
    }
}
