import SQL
import XCTest

/// `QualifiedName.position`: the byte offset of names, for the binder's error positions.
final class PositionTests: XCTestCase {
    func testTableColumnAndFunctionPositions() throws {
        let sql = "SELECT é.a, upper(b) FROM s.t AS é WHERE EXTRACT(year FROM d) > 1"
        guard let parsed = select(sql) else { return }
        let bytes = Array(sql.utf8)
        func offset(of text: String, from start: Int = 0) -> Int {
            let needle = Array(text.utf8)
            for i in start...(bytes.count - needle.count) where Array(bytes[i..<i + needle.count]) == needle { return i }
            return -1
        }
        guard case .expression(.column(let first), _) = parsed.items[0],
              case .expression(.function(let upper), _) = parsed.items[1],
              case .column(let b) = upper.arguments[0],
              case .table(let table, _) = parsed.from[0],
              case .binary(_, .function(let extract), _) = parsed.whereClause
        else {
            return XCTFail("unexpected tree \(parsed)")
        }
        XCTAssertEqual(first.position, offset(of: "é.a"))
        XCTAssertEqual(upper.name.position, offset(of: "upper"))
        XCTAssertEqual(b.position, offset(of: "b)"))
        XCTAssertEqual(table.position, offset(of: "s.t"))
        XCTAssertEqual(extract.name.position, offset(of: "EXTRACT"))
    }

    func testPositionsDoNotTakePartInEquality() throws {
        XCTAssertEqual(try Parser.parseExpression("a"), try Parser.parseExpression("   a"))
    }
}
