import NIOCore
import NIOSSL

/// The event-loop side of one connection: answers the startup-phase requests
/// that must be handled in order with the TLS handshake (SSLRequest,
/// GSSENCRequest) and cancel requests, hands every other message to the
/// connection's worker thread, and turns decoding errors into a FATAL 08P01.
final class PostgresChannelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = [FrontendMessage]
    typealias OutboundOut = ByteBuffer

    private let server: ServerContext
    private var worker: ConnectionWorker?
    private var sawStartup = false
    /// Reading pauses while the worker has this many messages queued.
    static let maxBacklog = 256

    init(server: ServerContext) {
        self.server = server
    }

    func channelActive(context: ChannelHandlerContext) {
        worker = ConnectionWorker(channel: context.channel, server: server)
        context.fireChannelActive()
        context.read()  // autoRead is off: reading is driven by how far behind the worker is
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        for message in unwrapInboundIn(data) { receive(message, context: context) }
    }

    private func receive(_ message: FrontendMessage, context: ChannelHandlerContext) {
        if !sawStartup {
            switch message {
            case .sslRequest:
                var reply = context.channel.allocator.buffer(capacity: 1)
                if let tls = server.configuration.tls {
                    reply.writeInteger(UInt8(ascii: "S"))
                    context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
                    // Everything after the 'S' is TLS: the handler goes first in the pipeline.
                    try? context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
                } else {
                    reply.writeInteger(UInt8(ascii: "N"))
                    context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
                }
                return
            case .gssEncRequest:
                var reply = context.channel.allocator.buffer(capacity: 1)
                reply.writeInteger(UInt8(ascii: "N"))
                context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
                return
            case let .cancelRequest(pid, key):
                server.registry.cancel(processID: pid, secretKey: key)
                context.close(promise: nil)
                return
            case .startup:
                sawStartup = true
            default:
                break
            }
            worker?.enqueue(message)
            return
        }
        guard let worker else { return }
        // A request that the result cache may answer is held until complete (a Query, or
        // extended-protocol messages up to Sync) and answered here when it can be.
        switch message {
        case .query:
            releaseHeld(to: worker)
            if !worker.answerFromCache([message]) { worker.enqueue(message) }
        case .parse, .bind, .describe, .execute:
            held.append(message)
            if held.count > Self.maxHeld { releaseHeld(to: worker) }
        case .sync:
            held.append(message)
            let request = held
            held.removeAll(keepingCapacity: true)
            if !worker.answerFromCache(request) { request.forEach(worker.enqueue) }
        default:
            releaseHeld(to: worker)
            worker.enqueue(message)
        }
    }

    /// Extended-protocol messages of a request not yet complete (see `channelRead`).
    private var held: [FrontendMessage] = []
    static let maxHeld = 6

    private func releaseHeld(to worker: ConnectionWorker) {
        held.forEach(worker.enqueue)
        held.removeAll(keepingCapacity: true)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // A request split across reads (or a client that sends Flush, not Sync) must not wait.
        if let worker, !held.isEmpty { releaseHeld(to: worker) }
        // Backpressure: a client that floods messages waits until the worker catches up
        // (the worker calls read() again after each batch).
        if let worker, worker.backlog < Self.maxBacklog { context.read() }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        worker?.channelDidClose()
        worker = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        server.statistics.protocolErrors.add(1, ordering: .relaxed)
        if let violation = error as? ProtocolViolation {
            var out = context.channel.allocator.buffer(capacity: 256)
            BackendMessage.errorResponse(.init(severity: "FATAL", sqlState: "08P01", message: violation.message)).encode(into: &out)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(out)).whenComplete { _ in channel.close(promise: nil) }
            server.logger.info("protocol violation, closing the connection", metadata: ["error": "\(violation.message)"])
        } else {
            context.close(promise: nil)
        }
    }
}
