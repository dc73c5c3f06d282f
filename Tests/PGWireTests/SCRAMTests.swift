import Crypto
import Foundation
import PGWire
import XCTest

final class SCRAMTests: XCTestCase {
    /// The example exchange of RFC 7677, section 3.
    func testRFC7677Example() throws {
        let salt = Array(Data(base64Encoded: "W22ZaJ0SNY7soEsUEjb6gQ==")!)
        let verifier = SCRAMVerifier(password: "pencil", iterations: 4096, salt: salt)
        var exchange = SCRAMServerExchange(verifier: verifier, userName: "user", mockSecret: [1, 2, 3])
        let serverFirst = try exchange.serverFirst(clientFirst: Array("n,,n=user,r=rOprNGfwEbeRWgbNEkqO".utf8),
                                                   serverNonce: "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0")
        XCTAssertEqual(String(decoding: serverFirst, as: UTF8.self),
                       "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")
        let clientFinal = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
        let serverFinal = try exchange.serverFinal(clientFinal: Array(clientFinal.utf8))
        XCTAssertEqual(String(decoding: serverFinal, as: UTF8.self), "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
    }

    func testVerifierTextRoundTripsAndHidesThePassword() throws {
        let verifier = SCRAMVerifier(password: "s3cret!")
        let text = verifier.text
        XCTAssertTrue(text.hasPrefix("SCRAM-SHA-256$4096:"))
        XCTAssertFalse(text.contains("s3cret"))
        XCTAssertEqual(SCRAMVerifier(text: text), verifier)
        XCTAssertNil(SCRAMVerifier(text: "md5abcdef"))
        XCTAssertNil(SCRAMVerifier(text: "SCRAM-SHA-256$x:AAAA$BBBB:CCCC"))
        XCTAssertNotEqual(SCRAMVerifier(password: "s3cret!").salt, verifier.salt, "each verifier gets a fresh salt")
    }

    func testWrongPasswordAndUnknownUserFailTheSameWay() throws {
        let verifier = SCRAMVerifier(password: "right")
        for (v, password) in [(Optional(verifier), "wrong"), (nil, "anything")] {
            var exchange = SCRAMServerExchange(verifier: v, userName: "alice", mockSecret: Array(repeating: 7, count: 32))
            let clientFirstBare = "n=alice,r=abcdefghijklmnop"
            let serverFirst = String(decoding: try exchange.serverFirst(clientFirst: Array(("n,," + clientFirstBare).utf8)), as: UTF8.self)
            let final = Self.clientFinal(password: password, clientFirstBare: clientFirstBare, serverFirst: serverFirst)
            XCTAssertThrowsError(try exchange.serverFinal(clientFinal: Array(final.utf8))) { error in
                XCTAssertEqual(error as? SCRAMServerExchange.Failure, .authenticationFailed)
            }
        }
        // And the right password passes.
        var exchange = SCRAMServerExchange(verifier: verifier, userName: "alice", mockSecret: [])
        let bare = "n=alice,r=zyxwvutsrq"
        let serverFirst = String(decoding: try exchange.serverFirst(clientFirst: Array(("n,," + bare).utf8)), as: UTF8.self)
        XCTAssertNoThrow(try exchange.serverFinal(clientFinal: Array(Self.clientFinal(password: "right", clientFirstBare: bare, serverFirst: serverFirst).utf8)))
    }

    func testMalformedMessagesAreProtocolErrors() {
        for bad in ["", "x,,n=a,r=b", "p=tls-server-end-point,,n=a,r=b", "n,a=admin,n=a,r=b", "n,,n=a", "n,,n=a,r="] {
            var exchange = SCRAMServerExchange(verifier: nil, userName: "a", mockSecret: [])
            XCTAssertThrowsError(try exchange.serverFirst(clientFirst: Array(bad.utf8)), bad) { error in
                guard case .malformed = error as? SCRAMServerExchange.Failure else { return XCTFail("\(bad): \(error)") }
            }
        }
    }

    /// The client side of SCRAM-SHA-256 (what libpq computes), for the tests.
    static func clientFinal(password: String, clientFirstBare: String, serverFirst: String) -> String {
        var attributes: [String: String] = [:]
        for part in serverFirst.split(separator: ",") { attributes[String(part.prefix(1))] = String(part.dropFirst(2)) }
        let salt = Array(Data(base64Encoded: attributes["s"]!)!)
        let iterations = Int(attributes["i"]!)!
        let key = SymmetricKey(data: Array(password.utf8))
        var u = Array(HMAC<SHA256>.authenticationCode(for: salt + [0, 0, 0, 1], using: key))
        var salted = u
        for _ in 1..<iterations {
            u = Array(HMAC<SHA256>.authenticationCode(for: u, using: key))
            for i in 0..<32 { salted[i] ^= u[i] }
        }
        let clientKey = Array(HMAC<SHA256>.authenticationCode(for: Array("Client Key".utf8), using: SymmetricKey(data: salted)))
        let storedKey = Array(SHA256.hash(data: clientKey))
        let withoutProof = "c=biws,r=\(attributes["r"]!)"
        let authMessage = "\(clientFirstBare),\(serverFirst),\(withoutProof)"
        let signature = Array(HMAC<SHA256>.authenticationCode(for: Array(authMessage.utf8), using: SymmetricKey(data: storedKey)))
        let proof = zip(clientKey, signature).map { $0 ^ $1 }
        return withoutProof + ",p=" + Data(proof).base64EncodedString()
    }
}
