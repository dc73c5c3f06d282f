import XCTest

final class LakePlaceholder: XCTestCase {
    func testBuilds() {}
}
