import Columnar
import XCTest

final class BitmapTests: XCTestCase {
    func testAppendAndCount() {
        var b = Bitmap()
        for i in 0..<130 { b.append(i % 3 == 0) }
        XCTAssertEqual(b.count, 130)
        XCTAssertEqual(b.setCount, 44)
        XCTAssertTrue(b[129])
        XCTAssertFalse(b[128])
    }

    func testRepeatingKeepsTailClear() {
        let b = Bitmap(repeating: true, count: 70)
        XCTAssertEqual(b.setCount, 70)
        XCTAssertTrue(b.allSet)
        XCTAssertEqual(b.words[1], (1 << 6) - 1)
    }

    func testSubscriptSet() {
        var b = Bitmap(repeating: false, count: 10)
        b[3] = true
        XCTAssertEqual(b.setCount, 1)
        b[3] = false
        XCTAssertEqual(b.setCount, 0)
    }
}
