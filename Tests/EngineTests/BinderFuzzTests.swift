import Engine
import Foundation
import TestSupport
import XCTest

/// Mutates the SQL logic tests' queries (swapped, dropped and replaced tokens,
/// spliced queries, extreme numbers) and runs each against the fixture lake:
/// every run must end in rows or an `EngineError`, never a crash or a hang.
/// Fixed seed, so a failure reproduces; a small memory limit turns runaway
/// cross products into the 53200 error they should be.
final class BinderFuzzTests: XCTestCase {
    func testMutatedQueriesEndInRowsOrErrors() throws {
        let corpus = try Self.queries()
        XCTAssertGreaterThan(corpus.count, 300, "the SQL logic tests should provide the corpus")
        let lake = try TemporaryLake(copying: SQLLogicTestHarness.fixtureLake)
        defer { lake.remove() }
        let engine = try Engine(lakePath: lake.path, configuration: EngineConfiguration(threads: 1, memoryLimit: 64 << 20))
        // A mutant may be a query that never ends, as it would in PostgreSQL (a recursive CTE
        // whose recursive term keeps yielding rows in constant memory): each statement gets a
        // timeout in a session of its own (a late timer cannot touch the next statement), as a
        // server would give it. Only recursive queries may need it: anything else timing out
        // would be a hang.
        var timedOut: [String] = []
        let vocabulary = Array(Set(corpus.flatMap(Self.tokens))).sorted()
        var random = SplitMix64(seed: 0xBA5A17)
        var outcomes = (rows: 0, errors: 0)
        var states: [String: Int] = [:]
        for _ in 0..<8000 {
            let sql = Self.mutate(corpus[Int(random.next() % UInt64(corpus.count))], corpus: corpus, vocabulary: vocabulary,
                                  random: &random)
            let session = Session(engine: engine)
            let timeout = DispatchWorkItem { session.cancellation.cancel(.statementTimeout) }
            DispatchQueue.global().asyncAfter(deadline: .now() + 5, execute: timeout)
            defer { timeout.cancel() }
            do {
                _ = try session.execute(sql)
                outcomes.rows += 1
            } catch {
                outcomes.errors += 1
                states[error.sqlState, default: 0] += 1
                if error.sqlState == "57014" { timedOut.append(sql) }
                XCTAssertNotEqual(error.sqlState, "XX000", "internal error for: \(sql)\n\(error.message)")
            }
        }
        XCTAssertGreaterThan(outcomes.rows, 100, "mutations should still produce runnable queries")
        XCTAssertGreaterThan(outcomes.errors, 100, "mutations should produce errors")
        XCTAssertGreaterThan(states["42601", default: 0], 0, "some mutants should be syntax errors")
        for sql in timedOut { XCTAssertTrue(sql.uppercased().contains("RECURSIVE"), "timed out (a hang?): \(sql)") }
    }

    static func queries() throws -> [String] {
        let directory = SQLLogicTestHarness.sqlDirectory
        var out: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() where name.hasSuffix(".test") {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            for record in try SQLLogicTest.parse(text, file: name).records {
                if case .query = record.kind { out.append(record.sql) }
            }
        }
        return out
    }

    static func tokens(_ sql: String) -> [String] {
        sql.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
    }

    static func mutate(_ sql: String, corpus: [String], vocabulary: [String], random: inout SplitMix64) -> String {
        var words = tokens(sql)
        guard !words.isEmpty else { return sql }
        let count = 1 + Int(random.next() % 3)
        for _ in 0..<count {
            let i = Int(random.next() % UInt64(words.count))
            switch random.next() % 7 {
            case 0: words.swapAt(i, Int(random.next() % UInt64(words.count)))
            case 1: if words.count > 1 { words.remove(at: i) }
            case 2: words[i] = vocabulary[Int(random.next() % UInt64(vocabulary.count))]
            case 3: words.insert(words[i], at: i)
            case 4:
                let other = tokens(corpus[Int(random.next() % UInt64(corpus.count))])
                let cut = Int(random.next() % UInt64(other.count + 1))
                words = Array(words.prefix(i)) + Array(other.suffix(from: cut))
            case 5: words[i] = ["0", "-1", "9223372036854775807", "1e308", "NULL", "''", "2147483648", "-0.0"][Int(random.next() % 8)]
            default: words.insert(["(", ")", ",", "AND", "OR", "NOT", "*", "::int", "||"][Int(random.next() % 9)], at: i)
            }
            if words.isEmpty { return sql }
        }
        return words.joined(separator: " ")
    }
}
