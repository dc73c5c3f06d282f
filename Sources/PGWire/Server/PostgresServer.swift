import Engine
import Logging
import NIOCore
import NIOPosix

/// `basalt serve`: listens for PostgreSQL clients and serves the engine's lake.
public final class PostgresServer: @unchecked Sendable {
    public let configuration: ServerConfiguration
    let context: ServerContext
    private let group: MultiThreadedEventLoopGroup
    private var channel: Channel?
    private var httpChannel: Channel?

    public init(engine: Engine, configuration: ServerConfiguration, logger: Logger = Logger(label: "basalt.server")) throws {
        if configuration.authentication == .trust, !configuration.isLoopbackOnly {
            throw ServerError("--auth trust is for local development and is refused unless the server listens on loopback only (host \(configuration.host))")
        }
        self.configuration = configuration
        self.context = ServerContext(engine: engine, configuration: configuration, logger: logger)
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.eventLoopThreads))
    }

    /// Binds the port; returns once the server accepts connections.
    public func start() throws {
        let context = self.context
        let maxMessage = configuration.maxMessageLength
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(FrontendMessageReader(maxMessageLength: maxMessage))
                    try channel.pipeline.syncOperations.addHandler(PostgresChannelHandler(server: context))
                }
            }
        channel = try bootstrap.bind(host: configuration.host, port: configuration.port).wait()
        if let httpPort = configuration.httpPort {
            let http = ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler { MetricsPage.render(context) })
                    }
                }
            do {
                httpChannel = try http.bind(host: configuration.host, port: httpPort).wait()
            } catch {
                context.logger.warning("metrics endpoint not started: cannot listen on \(configuration.host):\(httpPort): \(error)")
            }
        }
    }

    /// The HTTP port actually bound for /metrics, if any.
    public var boundHTTPPort: Int? { httpChannel?.localAddress?.port }

    /// The port actually bound (useful with port 0).
    public var boundPort: Int? { channel?.localAddress?.port }

    /// Blocks until the listening socket closes.
    public func waitUntilClosed() throws {
        try channel?.closeFuture.wait()
    }

    /// Stops accepting; running statements get `grace` seconds to finish, then the rest is closed.
    public func shutdown(grace: Double = 10) {
        try? channel?.close().wait()
        try? httpChannel?.close().wait()
        let deadline = ContinuousClock.now + .milliseconds(Int(grace * 1000))
        while context.admission.load.running > 0, ContinuousClock.now < deadline {
            usleep(50_000)
        }
        usleep(200_000)  // the last results are written after their slot is released
        try? group.syncShutdownGracefully()
    }

    /// Counters for tests and /metrics.
    public var statistics: [String: Int] {
        let s = context.statistics
        let load = context.admission.load
        return [
            "connections_opened": s.connectionsOpened.load(ordering: .relaxed),
            "connections_open": s.connectionsOpen.load(ordering: .relaxed),
            "connections_refused": s.connectionsRefused.load(ordering: .relaxed),
            "authentication_failures": s.authenticationFailures.load(ordering: .relaxed),
            "queries_succeeded": s.queriesSucceeded.load(ordering: .relaxed),
            "queries_failed": s.queriesFailed.load(ordering: .relaxed),
            "queries_cancelled": s.queriesCancelled.load(ordering: .relaxed),
            "rows_sent": s.rowsSent.load(ordering: .relaxed),
            "protocol_errors": s.protocolErrors.load(ordering: .relaxed),
            "queries_running": load.running,
            "queries_queued": load.queued,
        ]
    }
}

public struct ServerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

#if canImport(Glibc)
import Glibc
#endif
