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
}
