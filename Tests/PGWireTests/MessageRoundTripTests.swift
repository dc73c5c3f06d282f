import NIOCore
import PGWire
import XCTest

/// Every message encodes and decodes back to itself, and the decoder refuses
/// what breaks the protocol with a `ProtocolViolation` (never a crash).
final class MessageRoundTripTests: XCTestCase {
    static let frontend: [FrontendMessage] = [
        .startup(protocolVersion: 196_608, parameters: ["user": "admin", "database": "basalt", "application_name": "psql"]),
        .sslRequest,
        .gssEncRequest,
        .cancelRequest(processID: 4242, secretKey: -17),
    ]

    static let typedFrontend: [FrontendMessage] = [
        .query("SELECT 1; SELECT 'é'"),
        .parse(name: "s1", query: "SELECT $1::int", parameterTypes: [23, 0]),
        .bind(.init(portal: "p", statement: "s1", parameterFormats: [1], parameters: [[0, 0, 0, 7], nil, []], resultFormats: [0, 1])),
        .describe(.statement, name: "s1"),
        .describe(.portal, name: ""),
        .execute(portal: "p", maxRows: 10),
        .close(.portal, name: "p"),
        .close(.statement, name: "s1"),
        .sync, .flush, .terminate,
        .authenticationResponse(Array("SCRAM-SHA-256\0".utf8) + [0, 0, 0, 3, 1, 2, 3]),
        .copyData([1, 2, 3]), .copyDone, .copyFail("stop"),
    ]

    static let backend: [BackendMessage] = [
        .authenticationOk, .authenticationCleartextPassword,
        .authenticationSASL(mechanisms: ["SCRAM-SHA-256"]),
        .authenticationSASLContinue(Array("r=abc,s=c2FsdA==,i=4096".utf8)),
        .authenticationSASLFinal(Array("v=xyz".utf8)),
        .parameterStatus(name: "server_version", value: "15.0 (Basalt)"),
        .backendKeyData(processID: 1, secretKey: Int32.min),
        .readyForQuery(.idle), .readyForQuery(.inTransaction), .readyForQuery(.failed),
        .rowDescription([.init(name: "a", typeOID: 23, typeLength: 4), .init(name: "é", tableOID: 5, columnNumber: 2, typeOID: 1700, typeLength: -1, typeModifier: 786_438, format: 1)]),
        .dataRow([[49], nil, []]),
        .commandComplete("SELECT 2"),
        .emptyQueryResponse,
        .errorResponse(.init(sqlState: "42P01", message: "relation \"x\" does not exist", detail: "d", hint: "h", position: 15)),
        .noticeResponse(.init(severity: "WARNING", sqlState: "25001", message: "there is already a transaction in progress")),
        .parseComplete, .bindComplete, .closeComplete, .noData,
        .parameterDescription([23, 25]),
        .portalSuspended,
        .copyOutResponse(binary: false, columnFormats: [0, 0]),
        .copyData(Array("1\tx\n".utf8)), .copyDone,
    ]

    func testFrontendMessagesRoundTrip() throws {
        for message in Self.frontend + Self.typedFrontend {
            var buffer = ByteBuffer()
            message.encode(into: &buffer)
            var decoder = FrontendMessageDecoder()
            if Self.typedFrontend.contains(message) {
                // Put the decoder past the startup phase first.
                var startup = ByteBuffer()
                FrontendMessage.startup(protocolVersion: 196_608, parameters: ["user": "u"]).encode(into: &startup)
                _ = try decoder.decode(buffer: &startup)
            }
            let decoded = try decoder.decode(buffer: &buffer)
            XCTAssertEqual(decoded, message)
            XCTAssertEqual(buffer.readableBytes, 0, "\(message) left bytes behind")
        }
    }

    func testBackendMessagesRoundTrip() throws {
        for message in Self.backend {
            var buffer = ByteBuffer()
            message.encode(into: &buffer)
            XCTAssertEqual(try BackendMessage.decode(from: &buffer), message)
            XCTAssertEqual(buffer.readableBytes, 0)
        }
    }

    func testPartialMessagesWaitForTheRest() throws {
        var whole = ByteBuffer()
        FrontendMessage.startup(protocolVersion: 196_608, parameters: ["user": "u"]).encode(into: &whole)
        FrontendMessage.query("SELECT 42").encode(into: &whole)
        var decoder = FrontendMessageDecoder()
        var fed = ByteBuffer()
        var decoded: [FrontendMessage] = []
        for byte in whole.readableBytesView {
            fed.writeInteger(byte)
            while let m = try decoder.decode(buffer: &fed) { decoded.append(m) }
        }
        XCTAssertEqual(decoded, [.startup(protocolVersion: 196_608, parameters: ["user": "u"]), .query("SELECT 42")])
    }

    /// A decoder that has seen a startup packet, so it expects typed messages.
    static func decoderPastStartup(maxMessageLength: Int) -> FrontendMessageDecoder {
        var decoder = FrontendMessageDecoder(maxMessageLength: maxMessageLength)
        var startup = ByteBuffer()
        FrontendMessage.startup(protocolVersion: 196_608, parameters: ["user": "u"]).encode(into: &startup)
        _ = try? decoder.decode(buffer: &startup)
        return decoder
    }

    func testViolationsAreReportedNotCrashed() {
        func violation(_ bytes: [UInt8], typed: Bool) -> Bool {
            var decoder = typed ? Self.decoderPastStartup(maxMessageLength: 1 << 20) : FrontendMessageDecoder(maxMessageLength: 1 << 20)
            var buffer = ByteBuffer(bytes: bytes)
            do {
                while try decoder.decode(buffer: &buffer) != nil {}
                return false
            } catch {
                return error is ProtocolViolation
            }
        }
        XCTAssertTrue(violation([0x47, 0x45, 0x54, 0x20, 0x2F, 0x20, 0x48, 0x54], typed: false), "HTTP garbage before startup")
        XCTAssertTrue(violation([0, 0, 0, 8, 0, 2, 0, 0], typed: false), "protocol 2")
        XCTAssertTrue(violation([0x7F, 0xFF, 0xFF, 0xFF], typed: false), "huge startup length")
        XCTAssertTrue(violation([UInt8(ascii: "Q"), 0x7F, 0, 0, 0], typed: true), "huge message length")
        XCTAssertTrue(violation([UInt8(ascii: "Q"), 0, 0, 0, 2], typed: true), "length below 4")
        XCTAssertTrue(violation([UInt8(ascii: "Q"), 0, 0, 0, 6, 65, 66], typed: true), "unterminated string")
        XCTAssertTrue(violation([UInt8(ascii: "?"), 0, 0, 0, 4], typed: true), "unknown type")
        XCTAssertTrue(violation([UInt8(ascii: "S"), 0, 0, 0, 5, 0], typed: true), "bytes left over")
        XCTAssertTrue(violation([UInt8(ascii: "B"), 0, 0, 0, 14, 0, 0, 0, 0, 0, 1, 0x7F, 0xFF, 0xFF, 0xFF], typed: true),
                      "bind parameter longer than the message")
        XCTAssertTrue(violation([UInt8(ascii: "D"), 0, 0, 0, 6, UInt8(ascii: "X"), 0], typed: true), "describe of neither S nor P")
    }

    /// Random mutations of valid message streams: every outcome is a message, a
    /// wait for more bytes, or a ProtocolViolation.
    func testMutationFuzz() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ n: Int) -> Int {
            seed ^= seed << 13
            seed ^= seed >> 7
            seed ^= seed << 17
            return Int(seed % UInt64(n))
        }
        var stream = ByteBuffer()
        for m in Self.typedFrontend { m.encode(into: &stream) }
        let original = Array(stream.readableBytesView)
        for _ in 0..<20_000 {
            var bytes = original
            for _ in 0..<(1 + random(4)) where !bytes.isEmpty {
                switch random(4) {
                case 0: bytes[random(bytes.count)] = UInt8(random(256))
                case 1: bytes.remove(at: random(bytes.count))
                case 2: bytes.insert(UInt8(random(256)), at: random(bytes.count))
                default: bytes = Array(bytes.prefix(random(bytes.count) + 1))
                }
            }
            var decoder = Self.decoderPastStartup(maxMessageLength: 1 << 16)
            var buffer = ByteBuffer(bytes: bytes)
            do {
                while try decoder.decode(buffer: &buffer) != nil {}
            } catch {
                XCTAssertTrue(error is ProtocolViolation, "\(error)")
            }
        }
    }
}
