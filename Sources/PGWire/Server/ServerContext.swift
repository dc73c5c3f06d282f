import Engine
import Lake
import Logging

/// What every connection of one server shares: the engine, the settings, the
/// registry of running sessions, admission control and the counters.
final class ServerContext: Sendable {
    let engine: Engine
    let configuration: ServerConfiguration
    let registry = BackendRegistry()
    let admission: AdmissionController
    let statistics = ServerStatistics()
    let logger: Logger
    /// Keeps mock SCRAM salts stable for unknown users during this server's life.
    let mockSecret: [UInt8] = (0..<32).map { _ in UInt8.random(in: 0...255) }

    init(engine: Engine, configuration: ServerConfiguration, logger: Logger) {
        self.engine = engine
        self.configuration = configuration
        self.logger = logger
        admission = AdmissionController(capacity: configuration.maxConcurrentQueries, perUser: configuration.maxConcurrentQueriesPerUser,
                                        maxQueued: configuration.maxQueuedQueries, timeout: configuration.queueTimeoutSeconds)
    }
}
