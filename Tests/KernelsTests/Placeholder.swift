import XCTest

final class KernelsPlaceholder: XCTestCase {
    func testBuilds() {}
}
