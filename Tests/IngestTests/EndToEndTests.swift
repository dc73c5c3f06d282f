import Columnar
import Compression
import Ingest
import Lake
import Parquet
import XCTest

/// Whole ingests into a temporary lake, read back through the Lake module.
final class EndToEndTests: IngestTestCase {
    func file(_ name: String, bytes: [UInt8]) throws -> String {
        let url = root.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    @discardableResult
    func ingest(_ inputs: [String], table: String = "orders", _ configure: (inout IngestOptions) -> Void = { _ in }) throws -> IngestSummary {
        var options = IngestOptions(lake: lakePath, schema: "sales", table: table, inputs: inputs)
        configure(&options)
        return try Ingestor(options: options).run()
    }

    /// The table's rows, sorted, as `a|b|...` over `fields` (file columns then partition keys).
    func rows(_ table: String = "orders") throws -> (fields: [String], rows: [String]) {
        let lake = try Lake(path: lakePath)
        guard let descriptor = try lake.table(schema: "sales", name: table) else { return ([], []) }
        var out: [String] = []
        for file in descriptor.files {
            let parquet = try lake.open(file)
            for g in 0..<parquet.rowGroupCount {
                let batch = try parquet.readRowGroup(g)
                for r in 0..<batch.rowCount {
                    var values: [String] = []
                    for (i, index) in file.columnIndices.enumerated() {
                        _ = i
                        values.append(index.flatMap { ValueText.format(batch.columns[$0], r) } ?? "NULL")
                    }
                    values += file.partitionValues.map(\.description)
                    out.append(values.joined(separator: "|"))
                }
            }
        }
        return (descriptor.fields.map(\.name), out.sorted())
    }

    func directories(_ table: String = "orders") throws -> [String] {
        let base = root.appendingPathComponent("lake/sales/\(table)")
        let all = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String } ?? []
        return all.filter { $0.hasSuffix(".parquet") }.map { ($0 as NSString).deletingLastPathComponent }.sorted()
    }

    let january = "id,order_date,amount,region\n1,2024-01-05,10.50,EMEA\n2,2024-01-20,20.00,AMER\n"
    let february = "id,order_date,amount,region\n3,2024-02-01,5.25,EMEA\n"

    func testCreatePartitionedThenAppend() throws {
        let a = try file("jan.csv", january)
        let summary = try ingest([a]) { $0.partitionBy = ["year(order_date)", "month(order_date)"] }
        XCTAssertTrue(summary.createdTable)
        XCTAssertEqual(summary.rowsWritten, 2)
        XCTAssertEqual(try directories(), ["year=2024/month=1"])
        let b = try file("feb.csv", february)
        let second = try ingest([b])  // the layout is remembered
        XCTAssertFalse(second.createdTable)
        let table = try rows()
        XCTAssertEqual(table.fields, ["id", "order_date", "amount", "region", "year", "month"])
        XCTAssertEqual(table.rows, ["1|2024-01-05|10.50|EMEA|2024|1", "2|2024-01-20|20.00|AMER|2024|1", "3|2024-02-01|5.25|EMEA|2024|2"])
        // The metastore knows the layout and the history.
        let lake = try Lake(path: lakePath)
        let catalog = try XCTUnwrap(lake.metastore as? any IngestCatalog)
        let layout = try XCTUnwrap(try catalog.tableLayout(schema: "sales", name: "orders"))
        XCTAssertEqual(layout.partitionBy, ["year(order_date)", "month(order_date)"])
        XCTAssertEqual(layout.columns.map(\.type), ["int64", "date", "decimal(4,2)", "string"])
        XCTAssertEqual(try catalog.ingests(schema: "sales", name: "orders").map(\.rowsWritten), [2, 1])
    }

    func testOverwritePartitionsIsIdempotent() throws {
        try ingest([try file("a.csv", january + "3,2024-02-01,5.25,EMEA\n")]) { $0.partitionBy = ["year(order_date)", "month(order_date)"] }
        let update = try file("feb2.csv", "id,order_date,amount,region\n3,2024-02-01,6.00,EMEA\n4,2024-02-02,7.00,APAC\n")
        for _ in 0..<2 {
            try ingest([update]) { $0.mode = .overwritePartitions }
            XCTAssertEqual(try rows().rows, ["1|2024-01-05|10.50|EMEA|2024|1", "2|2024-01-20|20.00|AMER|2024|1",
                                             "3|2024-02-01|6.00|EMEA|2024|2", "4|2024-02-02|7.00|APAC|2024|2"])
        }
        try ingest([update]) { $0.mode = .overwrite; $0.partitionBy = ["region"] }
        XCTAssertEqual(try rows().rows, ["3|2024-02-01|6.00|EMEA", "4|2024-02-02|7.00|APAC"])
        XCTAssertEqual(try directories(), ["region=APAC", "region=EMEA"])
    }

    func testFailureWritesNothing() throws {
        try ingest([try file("a.csv", january)])
        let bad = try file("bad.csv", "id,order_date,amount,region\n9,2024-03-01,1.00,EMEA\n10,not a date,2.00,EMEA\n")
        XCTAssertThrowsError(try ingest([bad])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("bad.csv:3:4 (column 'order_date'): 'not a date' is not a valid date"), text)
        }
        XCTAssertEqual(try rows().rows.count, 2)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("lake/sales").path)
        XCTAssertEqual(leftovers, ["orders"], "no staging directory is left behind")
        // skip and quarantine keep the good rows and count the bad ones.
        let quarantine = root.appendingPathComponent("rejects.ndjson").path
        let summary = try ingest([bad]) { $0.onError = .quarantine; $0.quarantineFile = quarantine }
        XCTAssertEqual(summary.rowsWritten, 1)
        XCTAssertEqual(summary.rowsRejected, 1)
        let rejected = try String(contentsOfFile: quarantine, encoding: .utf8)
        XCTAssertTrue(rejected.contains("\"line\": 3, \"column\": 4, \"field\": \"order_date\""), rejected)
        XCTAssertTrue(rejected.contains("\"record\": \"10,not a date,2.00,EMEA\""), rejected)
    }

    func testAppendRespectsTheTableSchema() throws {
        try ingest([try file("a.csv", january)])
        let extra = try file("extra.csv", "id,order_date,amount,region,channel\n5,2024-01-07,1.00,EMEA,Online\n")
        XCTAssertThrowsError(try ingest([extra])) { error in
            XCTAssertTrue("\(error)".contains("column 'channel' is not a column of table sales.orders"), "\(error)")
        }
        try ingest([extra]) { $0.allowNewColumns = true }
        let table = try rows()
        XCTAssertEqual(table.fields, ["id", "order_date", "amount", "region", "channel"])
        XCTAssertTrue(table.rows.contains("5|2024-01-07|1.00|EMEA|Online"))
        XCTAssertTrue(table.rows.contains("1|2024-01-05|10.50|EMEA|NULL"))
        // A value that does not fit the table's type names its place.
        let wide = try file("wide.csv", "id,amount\n7,123456.789\n")
        XCTAssertThrowsError(try ingest([wide])) { error in
            XCTAssertTrue("\(error)".contains("wide.csv:2:3 (column 'amount'): '123456.789' does not fit decimal(4,2)"), "\(error)")
        }
    }

    func testCompressedInputs() throws {
        let text = Array(january.utf8)
        let gz = try file("a.csv.gz", bytes: text.withUnsafeBytes { Codec.gzip.compress($0) })
        let zst = try file("b.csv.zst", bytes: Array("id,order_date,amount,region\n3,2024-02-01,5.25,EMEA\n".utf8).withUnsafeBytes { Codec.zstd.compress($0) })
        let summary = try ingest([gz, zst])
        XCTAssertEqual(summary.rowsWritten, 3)
        XCTAssertEqual(try rows().rows.count, 3)
        // A truncated stream is an error, not a short table.
        let cut = try file("cut.csv.gz", bytes: Array(text.withUnsafeBytes { Codec.gzip.compress($0) }.dropLast(12)))
        XCTAssertThrowsError(try ingest([cut], table: "other")) { error in
            XCTAssertTrue("\(error)".contains("truncated") || "\(error)".contains("gzip"), "\(error)")
        }
    }

    func testNDJSONAndParquetInputs() throws {
        let json = try file("events.ndjson", """
            {"id": 1, "kind": "click", "at": "2024-05-01T10:00:00", "tags": ["a"]}
            {"id": 2, "kind": "view", "at": "2024-05-02T11:00:00", "tags": []}

            """)
        try ingest([json], table: "events") { $0.partitionBy = ["day=date(at)"] }
        XCTAssertEqual(try rows("events").rows, ["1|click|2024-05-01 10:00:00|{a}|2024-05-01", "2|view|2024-05-02 11:00:00|{}|2024-05-02"])
        // Parquet in: the table's own files re-ingested into another table, re-partitioned.
        let lake = try Lake(path: lakePath)
        let source = try XCTUnwrap(try lake.table(schema: "sales", name: "events")).files.map(\.location)
        try ingest(source, table: "copy") { $0.partitionBy = ["kind"] }
        XCTAssertEqual(try rows("copy").rows, ["1|2024-05-01 10:00:00|{a}|click", "2|2024-05-02 11:00:00|{}|view"])
    }

    func testBoundedBuffersSortAndBuckets() throws {
        var text = "id,day,customer\n"
        for i in 0..<20_000 { text += "\(i),2024-\(1 + (i * 7) % 12)-\(1 + i % 28),\(i * 7919 % 1000)\n" }
        let input = try file("many.csv", text)
        try ingest([input]) {
            $0.partitionBy = ["month(day)", "bucket(4, customer)"]
            $0.sortBy = ["customer"]
            $0.memoryLimitBytes = 1 << 20
            $0.maxOpenFiles = 5
            $0.rowGroupRows = 1000
            $0.blockBytes = 16 << 10
        }
        let table = try rows()
        XCTAssertEqual(table.rows.count, 20_000)
        XCTAssertEqual(Set(try directories()).count, 48)
        // Within each row group, rows are in customer order.
        let lake = try Lake(path: lakePath)
        for file in try XCTUnwrap(try lake.table(schema: "sales", name: "orders")).files {
            let parquet = try lake.open(file)
            for g in 0..<parquet.rowGroupCount {
                let batch = try parquet.readRowGroup(g)
                guard case let .int64(values) = batch.columns[2].storage else { return XCTFail("customer is not int64") }
                XCTAssertEqual(values, values.sorted())
            }
        }
    }

    func testStandardInputNameAndEmptyInputs() throws {
        let empty = try file("empty.csv", "")
        let summary = try ingest([empty])
        XCTAssertEqual(summary.rowsWritten, 0)
        XCTAssertEqual(try rows().rows, [])
        let header = try file("header.csv", "a,b\n")
        try ingest([header], table: "shape")
        XCTAssertEqual(try rows("shape").fields, ["a", "b"])
    }
}
