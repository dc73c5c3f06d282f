import NIOCore

/// Every message the server sends, one case each, with its encoding (the
/// server) and decoding (round-trip tests and the benchmark client).
public enum BackendMessage: Sendable, Equatable {
    case authenticationOk
    case authenticationCleartextPassword
    case authenticationSASL(mechanisms: [String])
    case authenticationSASLContinue([UInt8])
    case authenticationSASLFinal([UInt8])
    case parameterStatus(name: String, value: String)
    case backendKeyData(processID: Int32, secretKey: Int32)
    case readyForQuery(TransactionStatus)
    case rowDescription([FieldDescription])
    /// nil is SQL NULL.
    case dataRow([[UInt8]?])
    case commandComplete(String)
    case emptyQueryResponse
    case errorResponse(ErrorFields)
    case noticeResponse(ErrorFields)
    case parseComplete
    case bindComplete
    case closeComplete
    case noData
    case parameterDescription([Int32])
    case portalSuspended
    case copyOutResponse(binary: Bool, columnFormats: [Int16])
    case copyData([UInt8])
    case copyDone

    public enum TransactionStatus: UInt8, Sendable {
        case idle = 0x49          // 'I'
        case inTransaction = 0x54 // 'T'
        case failed = 0x45        // 'E'
    }

    /// One column of a RowDescription.
    public struct FieldDescription: Sendable, Equatable {
        public var name: String
        public var tableOID: Int32
        public var columnNumber: Int16
        public var typeOID: Int32
        public var typeLength: Int16
        public var typeModifier: Int32
        /// 0 text, 1 binary.
        public var format: Int16

        public init(name: String, tableOID: Int32 = 0, columnNumber: Int16 = 0, typeOID: Int32, typeLength: Int16,
                    typeModifier: Int32 = -1, format: Int16 = 0) {
            self.name = name
            self.tableOID = tableOID
            self.columnNumber = columnNumber
            self.typeOID = typeOID
            self.typeLength = typeLength
            self.typeModifier = typeModifier
            self.format = format
        }
    }

    /// The fields of ErrorResponse and NoticeResponse, by their one-letter codes.
    public struct ErrorFields: Sendable, Equatable {
        public var severity: String
        public var sqlState: String
        public var message: String
        public var detail: String?
        public var hint: String?
        /// 1-based character position in the query.
        public var position: Int?

        public init(severity: String = "ERROR", sqlState: String, message: String, detail: String? = nil, hint: String? = nil,
                    position: Int? = nil) {
            self.severity = severity
            self.sqlState = sqlState
            self.message = message
            self.detail = detail
            self.hint = hint
            self.position = position
        }

        fileprivate func write(to b: inout ByteBuffer) {
            func field(_ code: Character, _ value: String) {
                b.writeInteger(UInt8(ascii: code.unicodeScalars.first!))
                b.writeCString(value)
            }
            field("S", severity)
            field("V", severity)  // the non-localized severity (9.6+)
            field("C", sqlState)
            field("M", message)
            if let detail { field("D", detail) }
            if let hint { field("H", hint) }
            if let position { field("P", String(position)) }
            b.writeInteger(UInt8(0))
        }

        fileprivate static func read(from b: inout ByteBuffer) throws(ProtocolViolation) -> ErrorFields {
            var fields = ErrorFields(sqlState: "", message: "")
            while true {
                guard let code = b.readInteger(as: UInt8.self) else { throw ProtocolViolation("truncated error fields") }
                if code == 0 { return fields }
                guard let value = b.readCString() else { throw ProtocolViolation("unterminated error field") }
                switch code {
                case UInt8(ascii: "S"): fields.severity = value
                case UInt8(ascii: "C"): fields.sqlState = value
                case UInt8(ascii: "M"): fields.message = value
                case UInt8(ascii: "D"): fields.detail = value
                case UInt8(ascii: "H"): fields.hint = value
                case UInt8(ascii: "P"): fields.position = Int(value)
                default: break
                }
            }
        }
    }

    // MARK: encoding

    public func encode(into out: inout ByteBuffer) {
        switch self {
        case .authenticationOk: out.writeMessage(UInt8(ascii: "R")) { $0.writeInteger(Int32(0)) }
        case .authenticationCleartextPassword: out.writeMessage(UInt8(ascii: "R")) { $0.writeInteger(Int32(3)) }
        case let .authenticationSASL(mechanisms):
            out.writeMessage(UInt8(ascii: "R")) { b in
                b.writeInteger(Int32(10))
                for m in mechanisms { b.writeCString(m) }
                b.writeInteger(UInt8(0))
            }
        case let .authenticationSASLContinue(data):
            out.writeMessage(UInt8(ascii: "R")) { b in
                b.writeInteger(Int32(11))
                b.writeBytes(data)
            }
        case let .authenticationSASLFinal(data):
            out.writeMessage(UInt8(ascii: "R")) { b in
                b.writeInteger(Int32(12))
                b.writeBytes(data)
            }
        case let .parameterStatus(name, value):
            out.writeMessage(UInt8(ascii: "S")) { b in
                b.writeCString(name)
                b.writeCString(value)
            }
        case let .backendKeyData(pid, key):
            out.writeMessage(UInt8(ascii: "K")) { b in
                b.writeInteger(pid)
                b.writeInteger(key)
            }
        case let .readyForQuery(status): out.writeMessage(UInt8(ascii: "Z")) { $0.writeInteger(status.rawValue) }
        case let .rowDescription(fields):
            out.writeMessage(UInt8(ascii: "T")) { b in
                b.writeInteger(Int16(fields.count))
                for f in fields {
                    b.writeCString(f.name)
                    b.writeInteger(f.tableOID)
                    b.writeInteger(f.columnNumber)
                    b.writeInteger(f.typeOID)
                    b.writeInteger(f.typeLength)
                    b.writeInteger(f.typeModifier)
                    b.writeInteger(f.format)
                }
            }
        case let .dataRow(values):
            out.writeMessage(UInt8(ascii: "D")) { b in
                b.writeInteger(Int16(values.count))
                for v in values {
                    if let v {
                        b.writeInteger(Int32(v.count))
                        b.writeBytes(v)
                    } else {
                        b.writeInteger(Int32(-1))
                    }
                }
            }
        case let .commandComplete(tag): out.writeMessage(UInt8(ascii: "C")) { $0.writeCString(tag) }
        case .emptyQueryResponse: out.writeMessage(UInt8(ascii: "I")) { _ in }
        case let .errorResponse(fields): out.writeMessage(UInt8(ascii: "E")) { fields.write(to: &$0) }
        case let .noticeResponse(fields): out.writeMessage(UInt8(ascii: "N")) { fields.write(to: &$0) }
        case .parseComplete: out.writeMessage(UInt8(ascii: "1")) { _ in }
        case .bindComplete: out.writeMessage(UInt8(ascii: "2")) { _ in }
        case .closeComplete: out.writeMessage(UInt8(ascii: "3")) { _ in }
        case .noData: out.writeMessage(UInt8(ascii: "n")) { _ in }
        case let .parameterDescription(oids):
            out.writeMessage(UInt8(ascii: "t")) { b in
                b.writeInteger(Int16(oids.count))
                for o in oids { b.writeInteger(o) }
            }
        case .portalSuspended: out.writeMessage(UInt8(ascii: "s")) { _ in }
        case let .copyOutResponse(binary, formats):
            out.writeMessage(UInt8(ascii: "H")) { b in
                b.writeInteger(UInt8(binary ? 1 : 0))
                b.writeInteger(Int16(formats.count))
                for f in formats { b.writeInteger(f) }
            }
        case let .copyData(data): out.writeMessage(UInt8(ascii: "d")) { $0.writeBytes(data) }
        case .copyDone: out.writeMessage(UInt8(ascii: "c")) { _ in }
        }
    }

    // MARK: decoding

    /// Decodes one whole message (type byte, length, body) from `buffer`; nil
    /// when the buffer does not hold a whole message yet.
    public static func decode(from buffer: inout ByteBuffer) throws(ProtocolViolation) -> BackendMessage? {
        guard let type = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
              let length = buffer.getInteger(at: buffer.readerIndex + 1, as: Int32.self) else { return nil }
        guard length >= 4 else { throw ProtocolViolation("invalid message length \(length)") }
        guard buffer.readableBytes >= 1 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 5)
        var body = buffer.readSlice(length: Int(length) - 4)!
        return try decode(type: type, body: &body)
    }

    static func decode(type: UInt8, body b: inout ByteBuffer) throws(ProtocolViolation) -> BackendMessage {
        func int16() throws(ProtocolViolation) -> Int16 {
            guard let v = b.readInteger(as: Int16.self) else { throw ProtocolViolation("truncated message") }
            return v
        }
        func int32() throws(ProtocolViolation) -> Int32 {
            guard let v = b.readInteger(as: Int32.self) else { throw ProtocolViolation("truncated message") }
            return v
        }
        func string() throws(ProtocolViolation) -> String {
            guard let s = b.readCString() else { throw ProtocolViolation("unterminated string") }
            return s
        }
        func rest() -> [UInt8] { b.readBytes(length: b.readableBytes) ?? [] }
        switch type {
        case UInt8(ascii: "R"):
            switch try int32() {
            case 0: return .authenticationOk
            case 3: return .authenticationCleartextPassword
            case 10:
                var mechanisms: [String] = []
                while true {
                    let m = try string()
                    if m.isEmpty { break }
                    mechanisms.append(m)
                }
                return .authenticationSASL(mechanisms: mechanisms)
            case 11: return .authenticationSASLContinue(rest())
            case 12: return .authenticationSASLFinal(rest())
            case let code: throw ProtocolViolation("unsupported authentication request \(code)")
            }
        case UInt8(ascii: "S"): return .parameterStatus(name: try string(), value: try string())
        case UInt8(ascii: "K"): return .backendKeyData(processID: try int32(), secretKey: try int32())
        case UInt8(ascii: "Z"):
            guard let s = b.readInteger(as: UInt8.self), let status = TransactionStatus(rawValue: s) else {
                throw ProtocolViolation("invalid ReadyForQuery")
            }
            return .readyForQuery(status)
        case UInt8(ascii: "T"):
            var fields: [FieldDescription] = []
            for _ in 0..<max(0, Int(try int16())) {
                let name = try string()
                fields.append(FieldDescription(name: name, tableOID: try int32(), columnNumber: try int16(), typeOID: try int32(),
                                               typeLength: try int16(), typeModifier: try int32(), format: try int16()))
            }
            return .rowDescription(fields)
        case UInt8(ascii: "D"):
            var values: [[UInt8]?] = []
            for _ in 0..<max(0, Int(try int16())) {
                let n = try int32()
                if n < 0 { values.append(nil); continue }
                guard let bytes = b.readBytes(length: Int(n)) else { throw ProtocolViolation("truncated DataRow") }
                values.append(bytes)
            }
            return .dataRow(values)
        case UInt8(ascii: "C"): return .commandComplete(try string())
        case UInt8(ascii: "I"): return .emptyQueryResponse
        case UInt8(ascii: "E"): return .errorResponse(try ErrorFields.read(from: &b))
        case UInt8(ascii: "N"): return .noticeResponse(try ErrorFields.read(from: &b))
        case UInt8(ascii: "1"): return .parseComplete
        case UInt8(ascii: "2"): return .bindComplete
        case UInt8(ascii: "3"): return .closeComplete
        case UInt8(ascii: "n"): return .noData
        case UInt8(ascii: "t"):
            var oids: [Int32] = []
            for _ in 0..<max(0, Int(try int16())) { oids.append(try int32()) }
            return .parameterDescription(oids)
        case UInt8(ascii: "s"): return .portalSuspended
        case UInt8(ascii: "H"):
            guard let format = b.readInteger(as: UInt8.self) else { throw ProtocolViolation("truncated CopyOutResponse") }
            var formats: [Int16] = []
            for _ in 0..<max(0, Int(try int16())) { formats.append(try int16()) }
            return .copyOutResponse(binary: format == 1, columnFormats: formats)
        case UInt8(ascii: "d"): return .copyData(rest())
        case UInt8(ascii: "c"): return .copyDone
        default: throw ProtocolViolation("unknown backend message type \(type)")
        }
    }
}
