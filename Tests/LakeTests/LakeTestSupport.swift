import Columnar
import Foundation
import Lake
import Parquet
import XCTest

/// A fresh directory under the system's temporary directory, removed at the end of the test.
func makeTemporaryDirectory(_ test: XCTestCase, _ name: String = "lake") throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("basalt-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url.path
}

/// Writes a Parquet file at `root/relative` (creating directories) with Basalt's writer.
func writeParquet(_ root: String, _ relative: String, fields: [Field], columns: [Column], options: WriterOptions = WriterOptions()) throws {
    let path = root + "/" + relative
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    let writer = try ParquetWriter(path: path, fields: fields, options: options)
    try writer.write(RecordBatch(fields: fields, columns: columns, rowCount: columns.first?.count ?? 0))
    _ = try writer.close()
}

/// A one-column int64 file (`name`) holding `values`.
func writeInts(_ root: String, _ relative: String, name: String = "x", _ values: [Int64]) throws {
    try writeParquet(root, relative, fields: [Field(name, .int64, nullable: false)], columns: [int64Column(values)])
}

func int64Column(_ values: [Int64]) -> Column {
    Column(type: .int64, count: values.count, validity: nil, storage: .int64(values))
}

func int32Column(_ values: [Int32]) -> Column {
    Column(type: .int32, count: values.count, validity: nil, storage: .int32(values))
}

func stringColumn(_ values: [String]) -> Column {
    var offsets = [0], data: [UInt8] = []
    for v in values {
        data.append(contentsOf: v.utf8)
        offsets.append(data.count)
    }
    return Column(type: .string, count: values.count, validity: nil, storage: .bytes(offsets: offsets, data: data))
}

func writeText(_ root: String, _ relative: String, _ text: String) throws {
    let path = root + "/" + relative
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

/// Every file under `root` (relative paths), recursively, sorted.
func filesUnder(_ root: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
    var out: [String] = []
    while let next = walker.nextObject() as? String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: root + "/" + next, isDirectory: &isDirectory), !isDirectory.boolValue {
            out.append(next)
        }
    }
    return out.sorted()
}

/// The error a throwing expression raised, as a `LakeError` (fails the test otherwise).
func lakeError<T>(_ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> LakeError? {
    do {
        _ = try body()
        XCTFail("expected a LakeError, got a result", file: file, line: line)
    } catch let error as LakeError {
        return error
    } catch {
        XCTFail("expected a LakeError, got \(error)", file: file, line: line)
    }
    return nil
}

/// Int64 values of a flat int64 (or int32) column.
func ints(_ column: Column) -> [Int64] {
    switch column.storage {
    case let .int64(v): return v
    case let .int32(v): return v.map(Int64.init)
    default: XCTFail("not an integer column: \(column.type)"); return []
    }
}

/// String values of a string column (flat or dictionary).
func strings(_ column: Column) -> [String] {
    switch column.storage {
    case let .bytes(offsets, data):
        return (0..<column.count).map { String(decoding: data[offsets[$0]..<offsets[$0 + 1]], as: UTF8.self) }
    case let .dictionary(indices, dictionary):
        let values = strings(dictionary.value)
        return indices.map { values[Int($0)] }
    default:
        XCTFail("not a string column: \(column.type)")
        return []
    }
}
