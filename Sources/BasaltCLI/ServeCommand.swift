import Access
import ArgumentParser
import Engine
import Foundation
import Lake
import Logging
import NIOSSL
import PGWire

/// `basalt serve --lake DIR`: the PostgreSQL wire-protocol server.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a lake to PostgreSQL clients (psql, drivers, BI tools).",
        discussion: """
            Listens on 127.0.0.1:5433 by default; the database is named "basalt" and its schemas are the lake's.
            Users log in with SCRAM-SHA-256; --admin-password (or BASALT_ADMIN_PASSWORD) creates or updates
            the "admin" superuser at start.
            """
    )

    enum AuthMethod: String, ExpressibleByArgument, CaseIterable { case scram, trust }

    @Option(help: "The lake directory.") var lake: String
    @Option(help: "Address to listen on (loopback unless you ask for more).") var host = "127.0.0.1"
    @Option(help: "TCP port.") var port = 5433
    @Option(help: "HTTP port for /metrics (Prometheus) and /health, or 'none'.") var httpPort = "8080"
    @Option(help: "scram (default) or trust (local development; loopback only).") var auth: AuthMethod = .scram
    @Option(help: "Create or update the 'admin' superuser with this password (default: $BASALT_ADMIN_PASSWORD).")
    var adminPassword: String?
    @Option(help: "PEM certificate chain for TLS (with --tls-key).") var tlsCert: String?
    @Option(help: "PEM private key for TLS.") var tlsKey: String?
    @Option(help: "Queries running at once; more wait in a queue.") var maxConcurrentQueries = 20
    @Option(help: "Queries one user may run at once.") var maxQueriesPerUser: Int?
    @Option(help: "Queries that may wait for a slot before new ones are refused (53300).") var maxQueuedQueries = 1000
    @Option(help: "Seconds a query may wait for a slot (then 57014).") var queueTimeout: Double = 60
    @Option(help: "Default statement_timeout in milliseconds (0: none).") var statementTimeout = 0
    @Option(help: "Connections at once.") var maxConnections = 1000
    @Option(help: "Worker threads per query (default: all cores).") var threads: Int?
    @Option(help: "Megabytes of query results kept for repeated queries (0: no result cache).") var resultCacheMb = 256
    @Option(help: "One log line per statement on standard error: on or off.") var queryLog = "on"
    @Option(help: "A policy file (users, roles, grants, data filters, masks, tags) applied at start.") var policy: String?
    @Option(help: "Append one JSON line per statement (principal, objects, policies, decision) to this file, or '-' for stderr.")
    var auditLog: String?

    func run() throws {
        // SIGTERM and SIGINT are blocked in every thread (threads inherit the mask, so this
        // comes first) and taken by one waiting thread, which shuts the server down gracefully.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGTERM)
        sigaddset(&stopSignals, SIGINT)
        pthread_sigmask(SIG_BLOCK, &stopSignals, nil)
        var logger = Logger(label: "basalt")
        logger.logLevel = .info
        let engine: Engine
        do {
            var engineConfiguration = EngineConfiguration(threads: threads)
            engineConfiguration.resultCacheBytes = max(0, resultCacheMb) << 20
            let lakeStore: Lake
            do { lakeStore = try Lake(path: lake) } catch { throw EngineError.io("\(error)") }
            // Permissions: grants, data filters, masks and tags from the metastore (and the policy file).
            let audit = try auditLog.map { path in try AuditLog(path: path) }
            let access = try AccessController(lake: lakeStore, auditLog: audit) { SCRAMVerifier(password: $0).text }
            if let policy { try access.apply(PolicyFile(path: policy)) }
            engine = Engine(lake: lakeStore, configuration: engineConfiguration, policy: access)
        } catch {
            printError("basalt serve: \(error)")
            throw ExitCode(1)
        }
        if let password = adminPassword ?? ProcessInfo.processInfo.environment["BASALT_ADMIN_PASSWORD"], !password.isEmpty {
            let verifier = SCRAMVerifier(password: password)
            try engine.lake.metastore.saveUser(StoredUser(name: "admin", scramVerifier: verifier.text, isSuperuser: true))
        }
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        if httpPort == "none" || httpPort == "off" {
            configuration.httpPort = nil
        } else if let port = Int(httpPort), (0...65535).contains(port) {
            configuration.httpPort = port
        } else {
            printError("basalt serve: --http-port takes a port number or 'none', not '\(httpPort)'")
            throw ExitCode(1)
        }
        configuration.authentication = auth == .trust ? .trust : .scram
        configuration.maxConcurrentQueries = maxConcurrentQueries
        configuration.maxConcurrentQueriesPerUser = maxQueriesPerUser
        configuration.maxQueuedQueries = maxQueuedQueries
        configuration.queueTimeoutSeconds = queueTimeout
        configuration.statementTimeoutMilliseconds = statementTimeout
        configuration.maxConnections = maxConnections
        configuration.queryLog = queryLog != "off" && queryLog != "none"
        switch (tlsCert, tlsKey) {
        case let (cert?, key?):
            let chain = try NIOSSLCertificate.fromPEMFile(cert).map { NIOSSLCertificateSource.certificate($0) }
            let tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .file(key))
            configuration.tls = try NIOSSLContext(configuration: tls)
        case (nil, nil): break
        default:
            printError("basalt serve: --tls-cert and --tls-key go together")
            throw ExitCode(1)
        }
        if configuration.authentication == .scram, (try? engine.lake.metastore.users().isEmpty) ?? true {
            logger.warning("no users exist yet: nobody can log in. Start with --admin-password or BASALT_ADMIN_PASSWORD.")
        }

        let server: PostgresServer
        do {
            server = try PostgresServer(engine: engine, configuration: configuration, logger: logger)
            try server.start()
        } catch {
            printError("basalt serve: \(error)")
            throw ExitCode(1)
        }
        let bound = server.boundPort ?? port
        // Printed (and flushed) at once: scripts wait for this line to learn the port.
        let out = FileOutput.standardOutput
        out.write("basalt: serving \(lake) on \(host):\(bound) (database \"basalt\", \(configuration.tls == nil ? "no TLS" : "TLS"), auth \(auth.rawValue))\n")
        if let metrics = server.boundHTTPPort { out.write("metrics: http://\(host):\(metrics)/metrics\n") }
        out.write("connect: psql \"host=\(host) port=\(bound) dbname=basalt user=admin\"\n")
        out.flush()

        // SIGTERM / SIGINT: stop accepting, let running queries finish, then exit.
        let waitSet = stopSignals
        let shutdownLogger = logger
        let waiter = Thread {
            var signal: Int32 = 0
            var set = waitSet
            sigwait(&set, &signal)
            shutdownLogger.info("shutting down: waiting for running queries")
            server.shutdown(grace: 10)
            Foundation.exit(0)
        }
        waiter.start()
        try server.waitUntilClosed()
        // The listener closed without a signal (it should not): wait for the shutdown to finish.
        while true { sleep(60) }
    }
}
