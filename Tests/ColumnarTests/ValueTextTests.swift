import Columnar
import XCTest

/// Array and record text as PostgreSQL's array_out and record_out write them.
final class ValueTextTests: XCTestCase {
    func testArrayElementsAreQuotedWhereArrayInNeedsIt() {
        XCTAssertEqual(ValueText.arrayElement("abc"), "abc")
        XCTAssertEqual(ValueText.arrayElement(nil), "NULL")
        XCTAssertEqual(ValueText.arrayElement("null"), "\"null\"")
        XCTAssertEqual(ValueText.arrayElement(""), "\"\"")
        XCTAssertEqual(ValueText.arrayElement("a b"), "\"a b\"")
        XCTAssertEqual(ValueText.arrayElement("a\"b\\c"), "\"a\\\"b\\\\c\"")
        // "\r\n" is one Character but two scalars, both spaces to array_in.
        XCTAssertEqual(ValueText.arrayElement("a\r\nb"), "\"a\r\nb\"")
        // A quote followed by a combining mark is still a quote.
        XCTAssertEqual(ValueText.arrayElement("\"\u{301}"), "\"\\\"\u{301}\"")
    }

    func testRecordFieldsAreQuotedWhereRecordInNeedsIt() {
        XCTAssertEqual(ValueText.recordField(nil), "")
        XCTAssertEqual(ValueText.recordField("x"), "x")
        XCTAssertEqual(ValueText.recordField(""), "\"\"")
        XCTAssertEqual(ValueText.recordField("a,b"), "\"a,b\"")
        XCTAssertEqual(ValueText.recordField("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(ValueText.recordField("\"\u{301}"), "\"\"\"\u{301}\"")
    }

    func testListsAndStructsPrintAsArraysAndRecords() {
        let inner = Column(type: .int32, count: 3, validity: nil, storage: .int32([1, 2, 3]))
        let ints = Column(type: .list(Field("element", .int32)), count: 2, validity: nil,
                          storage: .list(offsets: [0, 2, 3], child: Box(inner)))
        XCTAssertEqual(ValueText.format(ints, 0), "{1,2}")
        let nested = Column(type: .list(Field("element", ints.type)), count: 1, validity: nil,
                            storage: .list(offsets: [0, 2], child: Box(ints)))
        XCTAssertEqual(ValueText.format(nested, 0), "{{1,2},{3}}")
        let names = Column(type: .string, count: 2, validity: Bitmap([true, false]), storage: .bytes(offsets: [0, 3, 3], data: Array("a b".utf8)))
        let record = Column(type: .structure([Field("n", .int32), Field("s", .string)]), count: 2, validity: nil,
                            storage: .structure([Column(type: .int32, count: 2, validity: nil, storage: .int32([7, 8])), names]))
        XCTAssertEqual(ValueText.format(record, 0), "(7,\"a b\")")
        XCTAssertEqual(ValueText.format(record, 1), "(8,)")
    }

    func testAppendWritesExactlyWhatFormatReturns() {
        var state: UInt64 = 0x1234_5678_9ABC_DEF1
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state ^ (state >> 29)
        }
        let n = 2000
        let wide = (0..<n).map { i -> Int128 in
            let v = Int128(Int64(bitPattern: next())) * Int128(Int64(bitPattern: next()) >> (i % 60))
            return i % 7 == 0 ? Int128(i % 3) - 1 : v
        }
        let narrow = (0..<n).map { i in i < 4 ? [Int64.min, Int64.max, 0, -1][i] : Int64(bitPattern: next()) >> (i % 63) }
        let days = (0..<n).map { i in i % 5 == 0 ? Int32(truncatingIfNeeded: Int64(bitPattern: next()) >> 40) : Int32(truncatingIfNeeded: next() % 40_000) - 10_000 }
        let validity = Bitmap((0..<n).map { $0 % 11 != 3 })
        var columns: [Column] = [
            Column(type: .int64, count: n, validity: validity, storage: .int64(narrow)),
            Column(type: .int32, count: n, validity: nil, storage: .int32(narrow.map { Int32(truncatingIfNeeded: $0) })),
            Column(type: .int16, count: n, validity: nil, storage: .int16(narrow.map { Int16(truncatingIfNeeded: $0) })),
            Column(type: .date32, count: n, validity: validity, storage: .int32(days)),
            Column(type: .boolean, count: n, validity: validity, storage: .boolean(narrow.map { UInt8($0 & 1) })),
            Column(type: .string, count: n, validity: validity, storage: .bytes(offsets: (0...n).map { $0 * 2 }, data: (0..<(2 * n)).map { UInt8(65 + $0 % 26) })),
            Column(type: .float64, count: n, validity: nil, storage: .float64(narrow.map { Double($0) / 7 })),
        ]
        for scale in [0, 1, 2, 4, 6, 16, 18, 30, 38] {
            columns.append(Column(type: .decimal(precision: 18, scale: min(scale, 18)), count: n, validity: validity, storage: .int64(narrow)))
            columns.append(Column(type: .decimal(precision: 38, scale: scale), count: n, validity: validity, storage: .int128(wide)))
        }
        columns.append(Column(type: .string, count: n, validity: nil,
                              storage: .dictionary(indices: (0..<n).map { Int32($0 % 3) }, dictionary: Box(columns[5]))))
        for column in columns {
            var out: [UInt8] = [9, 9]
            for row in 0..<n {
                out.removeAll(keepingCapacity: true)
                let present = ValueText.append(column, row, to: &out)
                let expected = ValueText.format(column, row)
                XCTAssertEqual(present, expected != nil, "\(column.type) row \(row)")
                XCTAssertEqual(String(decoding: out, as: UTF8.self), expected ?? "", "\(column.type) row \(row)")
            }
        }
    }
}
