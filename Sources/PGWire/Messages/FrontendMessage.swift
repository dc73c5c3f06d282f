import NIOCore

/// Every message a client sends (PostgreSQL protocol 3.0), one case each, with
/// its decoding (the server) and encoding (tests and the benchmark client).
public enum FrontendMessage: Sendable, Equatable {
    // Untyped messages of the startup phase (length, then a 32-bit code).
    case startup(protocolVersion: Int32, parameters: [String: String])
    case sslRequest
    case gssEncRequest
    case cancelRequest(processID: Int32, secretKey: Int32)

    // Typed messages.
    case query(String)
    case parse(name: String, query: String, parameterTypes: [Int32])
    case bind(Bind)
    case describe(PortalOrStatement, name: String)
    case execute(portal: String, maxRows: Int32)
    case close(PortalOrStatement, name: String)
    case sync
    case flush
    case terminate
    /// 'p': a password, SASLInitialResponse or SASLResponse; which one depends on
    /// the authentication exchange, so the body stays raw.
    case authenticationResponse([UInt8])
    case copyData([UInt8])
    case copyDone
    case copyFail(String)
    case functionCall

    public enum PortalOrStatement: UInt8, Sendable {
        case statement = 0x53  // 'S'
        case portal = 0x50     // 'P'
    }

    public struct Bind: Sendable, Equatable {
        public var portal: String
        public var statement: String
        /// Empty: all text; one: for all; else one per parameter (0 text, 1 binary).
        public var parameterFormats: [Int16]
        /// nil is SQL NULL.
        public var parameters: [[UInt8]?]
        public var resultFormats: [Int16]

        public init(portal: String, statement: String, parameterFormats: [Int16], parameters: [[UInt8]?], resultFormats: [Int16]) {
            self.portal = portal
            self.statement = statement
            self.parameterFormats = parameterFormats
            self.parameters = parameters
            self.resultFormats = resultFormats
        }
    }

    static let protocol3: Int32 = 196_608
    static let sslRequestCode: Int32 = 80_877_103
    static let gssEncRequestCode: Int32 = 80_877_104
    static let cancelRequestCode: Int32 = 80_877_102

    // MARK: decoding

    /// Decodes a startup-phase message body (after its length word).
    public static func decodeStartup(_ body: inout ByteBuffer) throws(ProtocolViolation) -> FrontendMessage {
        guard let code = body.readInteger(as: Int32.self) else { throw ProtocolViolation("startup packet too short") }
        switch code {
        case sslRequestCode: return .sslRequest
        case gssEncRequestCode: return .gssEncRequest
        case cancelRequestCode:
            guard let pid = body.readInteger(as: Int32.self), let key = body.readInteger(as: Int32.self) else {
                throw ProtocolViolation("cancel request too short")
            }
            return .cancelRequest(processID: pid, secretKey: key)
        default:
            guard code >> 16 == 3 else {
                throw ProtocolViolation("unsupported frontend protocol \(code >> 16).\(code & 0xFFFF): server supports 3.0 to 3.0")
            }
            var parameters: [String: String] = [:]
            while true {
                guard let key = body.readCString() else { throw ProtocolViolation("invalid startup packet layout: expected terminator as last byte") }
                if key.isEmpty { break }
                guard let value = body.readCString() else { throw ProtocolViolation("invalid startup packet layout: missing value for \"\(key)\"") }
                parameters[key] = value
            }
            return .startup(protocolVersion: code, parameters: parameters)
        }
    }

    /// Decodes a typed message body (after its type byte and length word).
    public static func decode(type: UInt8, body: inout ByteBuffer) throws(ProtocolViolation) -> FrontendMessage {
        func string(_ what: String) throws(ProtocolViolation) -> String {
            guard let s = body.readCString() else { throw ProtocolViolation("invalid \(what) message: unterminated string") }
            return s
        }
        func int16(_ what: String) throws(ProtocolViolation) -> Int16 {
            guard let v = body.readInteger(as: Int16.self) else { throw ProtocolViolation("invalid \(what) message: truncated") }
            return v
        }
        func int32(_ what: String) throws(ProtocolViolation) -> Int32 {
            guard let v = body.readInteger(as: Int32.self) else { throw ProtocolViolation("invalid \(what) message: truncated") }
            return v
        }
        func count(_ what: String) throws(ProtocolViolation) -> Int {
            let n = Int(try int16(what))
            guard n >= 0 else { throw ProtocolViolation("invalid \(what) message: negative count") }
            return n
        }
        let message: FrontendMessage
        switch type {
        case UInt8(ascii: "Q"): message = .query(try string("Query"))
        case UInt8(ascii: "P"):
            let name = try string("Parse"), query = try string("Parse")
            var types: [Int32] = []
            for _ in 0..<(try count("Parse")) { types.append(try int32("Parse")) }
            message = .parse(name: name, query: query, parameterTypes: types)
        case UInt8(ascii: "B"):
            let portal = try string("Bind"), statement = try string("Bind")
            var formats: [Int16] = []
            for _ in 0..<(try count("Bind")) { formats.append(try int16("Bind")) }
            var parameters: [[UInt8]?] = []
            for _ in 0..<(try count("Bind")) {
                let length = try int32("Bind")
                if length == -1 { parameters.append(nil); continue }
                guard length >= 0, let bytes = body.readBytes(length: Int(length)) else {
                    throw ProtocolViolation("invalid Bind message: parameter length \(length) exceeds the message")
                }
                parameters.append(bytes)
            }
            var results: [Int16] = []
            for _ in 0..<(try count("Bind")) { results.append(try int16("Bind")) }
            message = .bind(Bind(portal: portal, statement: statement, parameterFormats: formats, parameters: parameters, resultFormats: results))
        case UInt8(ascii: "D"), UInt8(ascii: "C"):
            let what = type == UInt8(ascii: "D") ? "Describe" : "Close"
            guard let kind = body.readInteger(as: UInt8.self) else { throw ProtocolViolation("invalid \(what) message: truncated") }
            guard let target = PortalOrStatement(rawValue: kind) else {
                throw ProtocolViolation("invalid \(what) message subtype \(kind)")
            }
            let name = try string(what)
            message = type == UInt8(ascii: "D") ? .describe(target, name: name) : .close(target, name: name)
        case UInt8(ascii: "E"):
            let portal = try string("Execute")
            message = .execute(portal: portal, maxRows: try int32("Execute"))
        case UInt8(ascii: "S"): message = .sync
        case UInt8(ascii: "H"): message = .flush
        case UInt8(ascii: "X"): message = .terminate
        case UInt8(ascii: "p"): message = .authenticationResponse(body.readBytes(length: body.readableBytes) ?? [])
        case UInt8(ascii: "d"): message = .copyData(body.readBytes(length: body.readableBytes) ?? [])
        case UInt8(ascii: "c"): message = .copyDone
        case UInt8(ascii: "f"): message = .copyFail(try string("CopyFail"))
        case UInt8(ascii: "F"):
            body.moveReaderIndex(forwardBy: body.readableBytes)
            message = .functionCall
        default:
            throw ProtocolViolation("invalid frontend message type \(type)")
        }
        guard body.readableBytes == 0 else {
            throw ProtocolViolation("invalid message format: \(body.readableBytes) bytes left over after message type \(Character(Unicode.Scalar(type)))")
        }
        return message
    }

    // MARK: encoding

    public func encode(into out: inout ByteBuffer) {
        switch self {
        case let .startup(version, parameters):
            untyped(&out) { b in
                b.writeInteger(version)
                for (k, v) in parameters.sorted(by: { $0.key < $1.key }) {
                    b.writeCString(k)
                    b.writeCString(v)
                }
                b.writeInteger(UInt8(0))
            }
        case .sslRequest: untyped(&out) { $0.writeInteger(Self.sslRequestCode) }
        case .gssEncRequest: untyped(&out) { $0.writeInteger(Self.gssEncRequestCode) }
        case let .cancelRequest(pid, key):
            untyped(&out) { b in
                b.writeInteger(Self.cancelRequestCode)
                b.writeInteger(pid)
                b.writeInteger(key)
            }
        case let .query(sql): out.writeMessage(UInt8(ascii: "Q")) { $0.writeCString(sql) }
        case let .parse(name, query, types):
            out.writeMessage(UInt8(ascii: "P")) { b in
                b.writeCString(name)
                b.writeCString(query)
                b.writeInteger(Int16(types.count))
                for t in types { b.writeInteger(t) }
            }
        case let .bind(bind):
            out.writeMessage(UInt8(ascii: "B")) { b in
                b.writeCString(bind.portal)
                b.writeCString(bind.statement)
                b.writeInteger(Int16(bind.parameterFormats.count))
                for f in bind.parameterFormats { b.writeInteger(f) }
                b.writeInteger(Int16(bind.parameters.count))
                for p in bind.parameters {
                    if let p {
                        b.writeInteger(Int32(p.count))
                        b.writeBytes(p)
                    } else {
                        b.writeInteger(Int32(-1))
                    }
                }
                b.writeInteger(Int16(bind.resultFormats.count))
                for f in bind.resultFormats { b.writeInteger(f) }
            }
        case let .describe(kind, name):
            out.writeMessage(UInt8(ascii: "D")) { b in
                b.writeInteger(kind.rawValue)
                b.writeCString(name)
            }
        case let .execute(portal, maxRows):
            out.writeMessage(UInt8(ascii: "E")) { b in
                b.writeCString(portal)
                b.writeInteger(maxRows)
            }
        case let .close(kind, name):
            out.writeMessage(UInt8(ascii: "C")) { b in
                b.writeInteger(kind.rawValue)
                b.writeCString(name)
            }
        case .sync: out.writeMessage(UInt8(ascii: "S")) { _ in }
        case .flush: out.writeMessage(UInt8(ascii: "H")) { _ in }
        case .terminate: out.writeMessage(UInt8(ascii: "X")) { _ in }
        case let .authenticationResponse(bytes): out.writeMessage(UInt8(ascii: "p")) { $0.writeBytes(bytes) }
        case let .copyData(bytes): out.writeMessage(UInt8(ascii: "d")) { $0.writeBytes(bytes) }
        case .copyDone: out.writeMessage(UInt8(ascii: "c")) { _ in }
        case let .copyFail(message): out.writeMessage(UInt8(ascii: "f")) { $0.writeCString(message) }
        case .functionCall: out.writeMessage(UInt8(ascii: "F")) { _ in }
        }
    }

    private func untyped(_ out: inout ByteBuffer, _ body: (inout ByteBuffer) -> Void) {
        let start = out.writerIndex
        out.writeInteger(Int32(0))
        body(&out)
        out.setInteger(Int32(out.writerIndex - start), at: start)
    }
}
