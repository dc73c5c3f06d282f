import Columnar
import Engine
import Foundation
import Lake
import Parquet
import XCTest

/// Text columns read from many row groups, each with its own dictionary, are concatenated
/// over their dictionaries put end to end (an entry may then appear more than once): every
/// query answers as on the same rows written as one row group.
final class MergedDictionaryTests: ScratchLakeTestCase {
    override class var label: String { "dictionaries" }

    override func setUpWithError() throws {
        try super.setUpWithError()
        let n = 20_000
        let fields = [Field("id", .int64, nullable: false), Field("cat", .string, nullable: true)]
        var offsets = [0], data: [UInt8] = [], present: [Bool] = []
        for i in 0..<n {
            present.append(i % 41 != 0)
            if i % 41 != 0 { data += Array("c\(i % 37)".utf8) }
            offsets.append(data.count)
        }
        let cats = Column(type: .string, count: n, validity: Bitmap(present), storage: .bytes(offsets: offsets, data: data))
        let batch = RecordBatch(fields: fields, columns: [Column(type: .int64, count: n, validity: nil, storage: .int64((0..<Int64(n)).map { $0 })),
                                                         cats], rowCount: n)
        var many = WriterOptions()
        many.rowGroupRows = 1000
        try scratch.lake.writeTable(schema: "t", name: "many", fields: fields, batches: [batch], options: many)
        try scratch.lake.writeTable(schema: "t", name: "one", fields: fields, batches: [batch], options: WriterOptions())
    }

    func testAnswersMatchOneRowGroup() throws {
        let queries = [
            "SELECT cat, count(*) FROM X GROUP BY cat ORDER BY cat NULLS FIRST",
            "SELECT DISTINCT cat FROM X ORDER BY 1",
            "SELECT count(DISTINCT cat), min(cat), max(cat) FROM X",
            "SELECT count(*) FROM X WHERE cat LIKE 'c1%' OR cat = 'c5' OR cat IN ('c20', 'c21') OR cat < 'c10'",
            // X as a join's build side: its row groups are concatenated, then grouped, sorted and compared.
            "SELECT x.cat, count(*), sum(s.n) FROM (SELECT n FROM generate_series(0, 60000) AS g(n)) s JOIN X x ON s.n = x.id GROUP BY x.cat ORDER BY 1",
            "SELECT x.cat, x.id FROM (SELECT n FROM generate_series(0, 60000, 7) AS g(n)) s JOIN X x ON s.n = x.id ORDER BY x.cat DESC, x.id LIMIT 40",
            "SELECT count(*) FROM (SELECT n FROM generate_series(0, 60000) AS g(n)) s JOIN X x ON s.n = x.id WHERE x.cat LIKE '%3' AND x.cat <> 'c3'",
            "SELECT a.cat, count(*) FROM X a JOIN (SELECT DISTINCT cat FROM X WHERE cat > 'c30') b ON a.cat = b.cat GROUP BY a.cat ORDER BY 1",
        ]
        for q in queries { _ = try sameAnswers(q, table: "t.many", reference: "t.one") }
        // The build side's text really arrives with its dictionaries merged: 20 row groups of at most 37 entries.
        let plan = try explainLines("SELECT count(*) FROM t.many")
        XCTAssertTrue(plan.contains { $0.contains("row groups: 20 read") }, "\(plan)")
    }
}
