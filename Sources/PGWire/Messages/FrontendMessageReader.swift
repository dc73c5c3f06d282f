import NIOCore

/// Turns a connection's bytes into messages: every complete message of a read,
/// decoded by `FrontendMessageDecoder`, goes up the pipeline as one event. (NIO's
/// `ByteToMessageHandler` sends one event per message, and its generic wrapping of
/// each cost about a tenth of a cached point query's time.) After a decoding error
/// nothing more is decoded; the error goes up for the connection's FATAL reply.
final class FrontendMessageReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = [FrontendMessage]

    private var decoder: FrontendMessageDecoder
    /// Bytes of a message not complete yet.
    private var pending: ByteBuffer?
    private var failed = false

    init(maxMessageLength: Int) {
        decoder = FrontendMessageDecoder(maxMessageLength: maxMessageLength)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var incoming = unwrapInboundIn(data)
        var buffer: ByteBuffer
        if var held = pending {
            held.writeBuffer(&incoming)
            buffer = held
        } else {
            buffer = incoming
        }
        pending = nil
        var messages: [FrontendMessage] = []
        do {
            while let message = try decoder.decode(buffer: &buffer) {
                messages.append(message)
                // What follows an SSLRequest must be the TLS handshake, sent after our answer:
                // bytes already here would be read as plaintext (CVE-2021-23214).
                if case .sslRequest = message, buffer.readableBytes > 0 {
                    throw ProtocolViolation("unexpected data after SSLRequest")
                }
            }
        } catch {
            failed = true
            if !messages.isEmpty { context.fireChannelRead(wrapInboundOut(messages)) }
            context.fireErrorCaught(error)
            return
        }
        if buffer.readableBytes > 0 {
            if buffer.readerIndex > 1 << 16 { buffer.discardReadBytes() }
            pending = buffer
        }
        if !messages.isEmpty { context.fireChannelRead(wrapInboundOut(messages)) }
    }
}
