import NIOSSL

/// How `basalt serve` runs: where it listens, how clients authenticate, how
/// many queries run at once.
public struct ServerConfiguration: Sendable {
    public enum Authentication: String, Sendable {
        /// SCRAM-SHA-256 against the metastore's users (the default).
        case scram
        /// Anyone, as any user: local development only, refused unless listening on loopback.
        case trust
    }

    public var host: String = "127.0.0.1"
    public var port: Int = 5433
    /// The HTTP port for /metrics and /health; nil: none.
    public var httpPort: Int? = 8080
    public var authentication: Authentication = .scram
    /// TLS for SSLRequest; nil answers 'N'.
    public var tls: NIOSSLContext?
    /// Queries running at once; the rest wait in a FIFO queue.
    public var maxConcurrentQueries = 20
    /// Queries one user may run at once (nil: no per-user limit below `maxConcurrentQueries`).
    public var maxConcurrentQueriesPerUser: Int? = nil
    /// Queries that may wait for a slot; beyond it a query is refused with 53300.
    public var maxQueuedQueries = 1000
    /// How long a query may wait for a slot before it is refused with 57014.
    public var queueTimeoutSeconds: Double = 60
    /// Default statement_timeout in milliseconds (0: none); sessions can SET it.
    public var statementTimeoutMilliseconds = 0
    /// Connections at once; beyond it new ones get 53300 "too many connections".
    public var maxConnections = 1000
    /// Longest frontend message accepted.
    public var maxMessageLength = 64 << 20
    /// One log line per statement (user, duration, rows, cache, files/row groups/pages read and skipped).
    public var queryLog = true
    /// Event-loop threads (the network side; queries run on their own threads).
    public var eventLoopThreads = 2

    public init() {}

    /// True when `host` only accepts connections from this machine.
    public var isLoopbackOnly: Bool {
        host == "127.0.0.1" || host == "::1" || host == "localhost" || host.hasPrefix("127.")
    }
}
