import Crypto
import Foundation

/// The server side of one SCRAM-SHA-256 exchange (without channel binding):
/// client-first → server-first → client-final → server-final. A user that does
/// not exist gets a mock exchange with a salt derived from its name, so the
/// failure looks exactly like a wrong password (no user enumeration).
public struct SCRAMServerExchange: Sendable {
    public enum Failure: Error, Equatable, Sendable {
        /// The client's message is not valid SCRAM: a protocol violation (08P01).
        case malformed(String)
        /// The proof does not match: wrong password or unknown user (28P01).
        case authenticationFailed
    }

    private let verifier: SCRAMVerifier
    private let userExists: Bool
    private var clientFirstBare = ""
    private var serverFirst = ""
    private var nonce = ""
    private var gs2Header = ""

    /// `verifier` nil: the user does not exist (or has no usable verifier);
    /// `mockSecret` keeps the mock salt stable per server.
    public init(verifier: SCRAMVerifier?, userName: String, mockSecret: [UInt8]) {
        if let verifier {
            self.verifier = verifier
            userExists = true
        } else {
            let salt = Array(SCRAM.hmac(key: mockSecret, "mock-salt:" + userName).prefix(16))
            self.verifier = SCRAMVerifier(iterations: SCRAMVerifier.defaultIterations, salt: salt,
                                          storedKey: SCRAM.hmac(key: mockSecret, "mock-stored:" + userName),
                                          serverKey: SCRAM.hmac(key: mockSecret, "mock-server:" + userName))
            userExists = false
        }
    }

    /// Handles SASLInitialResponse's data (client-first-message); returns server-first-message.
    /// (`serverNonce` is for tests with the RFC's fixed example; normally random.)
    public mutating func serverFirst(clientFirst: [UInt8], serverNonce fixedNonce: String? = nil) throws(Failure) -> [UInt8] {
        guard let text = String(validating: clientFirst, as: UTF8.self) else { throw .malformed("client-first-message is not UTF-8") }
        // gs2-header: "n,," (no channel binding) or "y,," (client supports it, server didn't offer it).
        let parts = text.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("malformed SCRAM message (gs2 header expected)") }
        switch parts[0] {
        case "n", "y": break
        case let p where p.hasPrefix("p="):
            throw .malformed("channel binding is not supported (SCRAM-SHA-256-PLUS was not offered)")
        default: throw .malformed("malformed SCRAM message (unexpected channel-binding flag \"\(parts[0])\")")
        }
        guard parts[1].isEmpty else { throw .malformed("client uses authorization identity, but it is not supported") }
        gs2Header = "\(parts[0]),,"
        clientFirstBare = String(parts[2])
        let attributes = Self.attributes(clientFirstBare)
        guard let clientNonce = attributes["r"], !clientNonce.isEmpty, attributes["n"] != nil else {
            throw .malformed("malformed SCRAM message (nonce or user name missing)")
        }
        guard clientNonce.allSatisfy({ $0.isASCII && $0 != "," && $0.asciiValue! >= 0x21 && $0.asciiValue! <= 0x7E }) else {
            throw .malformed("malformed SCRAM message (invalid nonce)")
        }
        let serverNonce = fixedNonce ?? Data((0..<18).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        nonce = clientNonce + serverNonce
        serverFirst = "r=\(nonce),s=\(Data(verifier.salt).base64EncodedString()),i=\(verifier.iterations)"
        return Array(serverFirst.utf8)
    }

    /// Handles SASLResponse's data (client-final-message); returns server-final-message.
    public func serverFinal(clientFinal: [UInt8]) throws(Failure) -> [UInt8] {
        guard let text = String(validating: clientFinal, as: UTF8.self) else { throw .malformed("client-final-message is not UTF-8") }
        guard let proofRange = text.range(of: ",p=", options: .backwards) else {
            throw .malformed("malformed SCRAM message (proof missing)")
        }
        let withoutProof = String(text[..<proofRange.lowerBound])
        let attributes = Self.attributes(withoutProof)
        guard attributes["c"] == Data(gs2Header.utf8).base64EncodedString() else {
            throw .malformed("SCRAM channel binding check failed")
        }
        guard attributes["r"] == nonce else { throw .malformed("SCRAM nonce mismatch") }
        guard let proof = Data(base64Encoded: String(text[proofRange.upperBound...])), proof.count == 32 else {
            throw .malformed("malformed SCRAM message (invalid proof)")
        }
        let authMessage = Array("\(clientFirstBare),\(serverFirst),\(withoutProof)".utf8)
        let signature = SCRAM.hmac(key: verifier.storedKey, authMessage)
        let clientKey = zip(proof, signature).map { $0 ^ $1 }
        let computed = Array(SHA256.hash(data: clientKey))
        // Constant-time comparison of the stored key.
        var difference: UInt8 = 0
        for (a, b) in zip(computed, verifier.storedKey) { difference |= a ^ b }
        guard userExists, difference == 0 else { throw .authenticationFailed }
        let serverSignature = SCRAM.hmac(key: verifier.serverKey, authMessage)
        return Array("v=\(Data(serverSignature).base64EncodedString())".utf8)
    }

    /// `a=b,c=d` → [a: b, c: d] (values may contain '=').
    static func attributes(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for part in text.split(separator: ",") {
            guard let eq = part.firstIndex(of: "="), part.distance(from: part.startIndex, to: eq) == 1 else { continue }
            result[String(part[..<eq])] = String(part[part.index(after: eq)...])
        }
        return result
    }
}
