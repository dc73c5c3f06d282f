import XCTest

final class EnginePlaceholder: XCTestCase {
    func testBuilds() {}
}
