import NIOCore

/// Splits the client's byte stream into `FrontendMessage`s. The first messages
/// have no type byte (startup, SSL/GSS requests, cancel); after a startup
/// packet every message is typed. Lengths are checked before any bytes are
/// buffered for a message, so a lying length cannot make the server allocate.
public struct FrontendMessageDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = FrontendMessage

    /// PostgreSQL's own limit for startup packets.
    public static let maxStartupLength = 10_000

    public var maxMessageLength: Int
    private(set) var expectsStartup = true

    public init(maxMessageLength: Int = 64 << 20) {
        self.maxMessageLength = maxMessageLength
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> FrontendMessage? {
        if expectsStartup {
            guard let length = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return nil }
            guard length >= 8, length <= Self.maxStartupLength else {
                throw ProtocolViolation("invalid length of startup packet (\(length) bytes)")
            }
            guard buffer.readableBytes >= Int(length) else { return nil }
            buffer.moveReaderIndex(forwardBy: 4)
            var body = buffer.readSlice(length: Int(length) - 4)!
            let message = try FrontendMessage.decodeStartup(&body)
            if case .startup = message { expectsStartup = false }
            return message
        }
        guard let type = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
              let length = buffer.getInteger(at: buffer.readerIndex + 1, as: Int32.self) else { return nil }
        guard length >= 4 else { throw ProtocolViolation("invalid message length \(length)") }
        guard Int(length) <= maxMessageLength else {
            throw ProtocolViolation("message of \(length) bytes exceeds the limit of \(maxMessageLength) bytes")
        }
        // Not reserving the claimed length up front: memory grows only with bytes that really arrive.
        guard buffer.readableBytes >= 1 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 5)
        var body = buffer.readSlice(length: Int(length) - 4)!
        return try FrontendMessage.decode(type: type, body: &body)
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> FrontendMessage? {
        try decode(buffer: &buffer)
    }
}
