import Ingest
import TestSupport
import XCTest

/// Mutates the CSV and NDJSON fixtures thousands of times (byte flips,
/// inserted quotes, delimiters, newlines and high bytes, cuts, duplicated
/// slices) and parses each through the ingest path: every input must parse
/// or be refused with an `IngestError`, never trap, and every rejected
/// record must name a position inside the input.
final class FuzzTests: XCTestCase {
    static let interesting: [UInt8] = Array("\",;\t\n\r\\{}[]:0123456789.-eE+ ".utf8) + [0x00, 0x80, 0xC3, 0xE2, 0xEF, 0xBB, 0xBF, 0xFF]

    static func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + rng.below(4)) {
            switch rng.below(6) {
            case 0 where !bytes.isEmpty:
                bytes[rng.below(bytes.count)] = UInt8(truncatingIfNeeded: rng.next())
            case 1:
                bytes.insert(interesting[rng.below(interesting.count)], at: rng.below(bytes.count + 1))
            case 2 where !bytes.isEmpty:
                bytes.remove(at: rng.below(bytes.count))
            case 3 where !bytes.isEmpty:
                bytes.removeLast(rng.below(bytes.count))
            case 4 where !bytes.isEmpty:
                let a = rng.below(bytes.count), b = min(bytes.count, a + rng.below(40))
                bytes.insert(contentsOf: bytes[a..<b], at: rng.below(bytes.count + 1))
            default:
                bytes.insert(interesting[rng.below(interesting.count)], at: rng.below(bytes.count + 1))
            }
        }
        return bytes
    }

    func run(extensions: Set<String>, iterations: Int, seed: UInt64) throws {
        let seeds = try FixtureTests.inputs().filter { extensions.contains($0.pathExtension) }
            .map { ($0.lastPathComponent, [UInt8](try Data(contentsOf: $0))) }
            .filter { $0.1.count < 10_000 }
        XCTAssertFalse(seeds.isEmpty)
        var rng = SplitMix64(seed: seed)
        var parsed = 0, refused = 0
        for i in 0..<iterations {
            let (name, original) = seeds[i % seeds.count]
            let input = Self.mutate(original, &rng)
            var options = IngestOptions(lake: "/nonexistent", schema: "s", table: "t", inputs: [])
            options.onError = .skip
            options.blockBytes = 1024 + rng.below(2048)  // small blocks: records cross block edges
            if rng.below(4) == 0 { options.nullPadding = true }
            if rng.below(4) == 0 { options.flatten = true }
            do {
                let preview = try IngestPreview.parse(input, name: name, options: options)
                parsed += 1
                let lines = input.filter { $0 == 10 || $0 == 13 }.count + 1
                for r in preview.rejected {
                    XCTAssertGreaterThanOrEqual(r.position.line, 1, "\(name) #\(i)")
                    XCTAssertLessThanOrEqual(r.position.line, lines + 1, "\(name) #\(i): \(r.position) \(r.reason)")
                    XCTAssertGreaterThanOrEqual(r.position.column, 1, "\(name) #\(i)")
                    XCTAssertFalse(r.reason.isEmpty)
                }
                for row in preview.rows { XCTAssertEqual(row.count, preview.fields.count, "\(name) #\(i)") }
            } catch {
                refused += 1
                XCTAssertFalse(error.message.isEmpty)
            }
        }
        XCTAssertGreaterThan(parsed, iterations / 2, "most mutants still parse")
        _ = refused
    }

    func testCSVMutations() throws {
        try run(extensions: ["csv", "tsv"], iterations: 30_000, seed: 1)
    }

    func testJSONMutations() throws {
        try run(extensions: ["ndjson"], iterations: 20_000, seed: 2)
    }
}
