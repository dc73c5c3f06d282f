import XCTest

final class SQLPlaceholder: XCTestCase {
    func testBuilds() {}
}
