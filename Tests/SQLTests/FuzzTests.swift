import SQL
import XCTest
import TestSupport

/// Mutations of the corpus (truncations, spliced fragments, flipped bytes, inserted
/// keywords and parentheses) from a fixed seed: each must give a tree or a
/// SQLSyntaxError, and every tree must print to SQL that parses back to it.
final class FuzzTests: XCTestCase {
    static let insertions = [
        " SELECT ", " FROM ", " WHERE ", " JOIN ", " ON ", " NOT ", " AND ", " OR ", " CASE ", " WHEN ", " END ", " IN ",
        " BETWEEN ", " IS ", " NULL ", " ( ", " ) ", "((", "))", " , ", " UNION ", " ORDER BY ", " LIMIT ", " OVER (",
        " PARTITION BY ", " ROWS ", " :: ", "::int", " || ", " - ", " + ", "'", "\"", "$$", "/*", "--", "E'\\", "$1", " . ",
        " * ", " AS ", " WITH ", " LATERAL ", " EXISTS (", " ANY (", " INTERVAL '1' ", " DATE '", " VALUES (", ";",
    ]

    static let characters = Array("abcxyz019_ \n\t'\"$()[];,.:*+-/<>=~!@#%^&|?`\\{}éü😀\u{0}")

    func testMutatedCorpus() {
        var random = SplitMix64(seed: 0x5EED_2024)
        let corpus = Corpus.statements.map { Array($0.unicodeScalars) }
        var parsed = 0
        var rejected = 0
        let cases = 24_000
        for n in 0..<cases {
            var text = corpus[n % corpus.count]
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                mutate(&text, corpus: corpus, random: &random)
            }
            var sql = String(String.UnicodeScalarView(text))
            if Int.random(in: 0..<8, using: &random) == 0 {
                // Flip one bit of one byte; invalid UTF-8 becomes U+FFFD, as a server would decode it.
                var bytes = Array(sql.utf8)
                if !bytes.isEmpty {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
                }
                sql = String(decoding: bytes, as: UTF8.self)
            }
            do {
                let statements = try Parser.parse(sql)
                parsed += 1
                for statement in statements {
                    let printed = statement.sql
                    do {
                        let again = try Parser.parseStatement(printed)
                        if again != statement { XCTFail("round trip changed the tree\ninput: \(sql)\nprinted: \(printed)") }
                    } catch {
                        XCTFail("printed SQL does not parse: \(error)\ninput: \(sql)\nprinted: \(printed)")
                    }
                }
            } catch {
                rejected += 1
                XCTAssertFalse(error.message.isEmpty)
                XCTAssertGreaterThanOrEqual(error.position, 1)
                XCTAssertLessThanOrEqual(error.position, sql.unicodeScalars.count + 1, sql)
            }
        }
        print("fuzz: \(parsed) parsed, \(rejected) rejected of \(cases)")
        XCTAssertEqual(parsed + rejected, cases)
        XCTAssertGreaterThan(parsed, cases / 20, "the mutations should leave some statements valid")
    }

    private func mutate(_ text: inout [Unicode.Scalar], corpus: [[Unicode.Scalar]], random: inout SplitMix64) {
        let position = Int.random(in: 0...text.count, using: &random)
        switch Int.random(in: 0..<6, using: &random) {
        case 0:
            text.removeSubrange(position...)
        case 1:
            let other = corpus[Int.random(in: 0..<corpus.count, using: &random)]
            let start = Int.random(in: 0...other.count, using: &random)
            let end = Int.random(in: start...min(other.count, start + 40), using: &random)
            text.insert(contentsOf: other[start..<end], at: position)
        case 2:
            if position < text.count {
                text[position] = FuzzTests.characters.randomElement(using: &random)!.unicodeScalars.first!
            }
        case 3:
            text.insert(contentsOf: FuzzTests.insertions.randomElement(using: &random)!.unicodeScalars, at: position)
        case 4:
            let end = min(text.count, position + Int.random(in: 1...12, using: &random))
            text.removeSubrange(position..<end)
        default:
            let end = min(text.count, position + Int.random(in: 1...20, using: &random))
            text.insert(contentsOf: text[position..<end], at: position)
        }
    }
}
