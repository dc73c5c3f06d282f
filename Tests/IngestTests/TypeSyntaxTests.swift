import Columnar
import Ingest
import XCTest

final class TypeSyntaxTests: XCTestCase {
    func testSQLAndBasaltSpellings() throws {
        XCTAssertEqual(try TypeSyntax.parse("decimal(12,2)"), .decimal(precision: 12, scale: 2))
        XCTAssertEqual(try TypeSyntax.parse("BIGINT"), .int64)
        XCTAssertEqual(try TypeSyntax.parse("double precision"), .float64)
        XCTAssertEqual(try TypeSyntax.parse("timestamp with time zone"), .timestamp(.microsecond, utc: true))
        XCTAssertEqual(try TypeSyntax.parse("list<int64>"), .list(Field("element", .int64)))
        XCTAssertEqual(try TypeSyntax.parse("struct<a: int32, b: string>"), .structure([Field("a", .int32), Field("b", .string)]))
        for type: DataType in [.int64, .decimal(precision: 38, scale: 9), .date32, .timestamp(.microsecond, utc: false), .string, .boolean] {
            XCTAssertEqual(try TypeSyntax.parse(type.description), type)
        }
        XCTAssertThrowsError(try TypeSyntax.parse("decimal(40,2)"))
        XCTAssertThrowsError(try TypeSyntax.parse("nonsense"))
    }
}
