import Crypto
import Foundation

/// What the server keeps of a password (RFC 5802, SCRAM-SHA-256 as in RFC 7677):
/// the salt, the iteration count, StoredKey and ServerKey. Enough to check a
/// client's proof and to prove the server knows the password, never enough to
/// log in. Its text form is PostgreSQL's:
/// `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` (base64 parts).
public struct SCRAMVerifier: Sendable, Equatable {
    public var iterations: Int
    public var salt: [UInt8]
    public var storedKey: [UInt8]
    public var serverKey: [UInt8]

    /// PostgreSQL's default iteration count (scram_iterations).
    public static let defaultIterations = 4096

    /// Derives the verifier of `password` with a fresh random salt.
    public init(password: String, iterations: Int = defaultIterations, salt: [UInt8]? = nil) {
        let salt = salt ?? (0..<16).map { _ in UInt8.random(in: 0...255) }
        let salted = SCRAM.saltedPassword(password, salt: salt, iterations: iterations)
        let clientKey = SCRAM.hmac(key: salted, "Client Key")
        self.iterations = iterations
        self.salt = salt
        self.storedKey = Array(SHA256.hash(data: clientKey))
        self.serverKey = SCRAM.hmac(key: salted, "Server Key")
    }

    public init(iterations: Int, salt: [UInt8], storedKey: [UInt8], serverKey: [UInt8]) {
        self.iterations = iterations
        self.salt = salt
        self.storedKey = storedKey
        self.serverKey = serverKey
    }

    /// Parses the text form; nil when it is not a SCRAM-SHA-256 verifier.
    public init?(text: String) {
        let parts = text.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "SCRAM-SHA-256" else { return nil }
        let first = parts[1].split(separator: ":"), second = parts[2].split(separator: ":")
        guard first.count == 2, second.count == 2, let iterations = Int(first[0]), iterations > 0,
              let salt = Data(base64Encoded: String(first[1])), let stored = Data(base64Encoded: String(second[0])),
              let server = Data(base64Encoded: String(second[1])), stored.count == 32, server.count == 32 else { return nil }
        self.init(iterations: iterations, salt: Array(salt), storedKey: Array(stored), serverKey: Array(server))
    }

    public var text: String {
        "SCRAM-SHA-256$\(iterations):\(Data(salt).base64EncodedString())$\(Data(storedKey).base64EncodedString()):\(Data(serverKey).base64EncodedString())"
    }
}

/// The primitives of SCRAM-SHA-256.
enum SCRAM {
    static func hmac(key: [UInt8], _ message: String) -> [UInt8] {
        hmac(key: key, Array(message.utf8))
    }

    static func hmac(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    /// Hi(password, salt, i) of RFC 5802: PBKDF2 with HMAC-SHA-256, one block.
    /// (The password should be SASLprep-normalized; ASCII passwords are unchanged by it.)
    static func saltedPassword(_ password: String, salt: [UInt8], iterations: Int) -> [UInt8] {
        let key = SymmetricKey(data: Array(password.utf8))
        var u = Array(HMAC<SHA256>.authenticationCode(for: salt + [0, 0, 0, 1], using: key))
        var result = u
        for _ in 1..<max(1, iterations) {
            u = Array(HMAC<SHA256>.authenticationCode(for: u, using: key))
            for i in 0..<result.count { result[i] ^= u[i] }
        }
        return result
    }
}
