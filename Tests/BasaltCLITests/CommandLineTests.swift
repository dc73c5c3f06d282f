import ArgumentParser
import BasaltCLI
import XCTest

final class CommandLineTests: XCTestCase {
    func testEverySubcommandParses() throws {
        for arguments in [["parquet", "inspect", "f.parquet"],
                          ["parquet", "cat", "f.parquet", "--format", "json", "--columns", "a,b"],
                          ["parquet", "scan", "f.parquet", "--threads", "2", "--repeat", "3"],
                          ["parquet", "rewrite", "in.parquet", "out.parquet", "--codec", "snappy", "--page-version", "2"]] {
            XCTAssertNoThrow(try BasaltCommand.parseAsRoot(arguments), arguments.joined(separator: " "))
        }
    }

    func testBadOptionsAreRejected() {
        XCTAssertThrowsError(try BasaltCommand.parseAsRoot(["parquet", "cat", "f.parquet", "--format", "xml"]))
        XCTAssertThrowsError(try BasaltCommand.parseAsRoot(["parquet", "rewrite", "in.parquet", "out.parquet", "--codec", "lzo"]))
        XCTAssertThrowsError(try BasaltCommand.parseAsRoot(["parquet", "inspect"]))
    }
}
