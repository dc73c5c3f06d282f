import Engine
import Lake
import NIOCore

/// Startup and authentication: the startup packet's parameters, SCRAM-SHA-256
/// (or trust for local development), then the session's ParameterStatus list.
extension ConnectionWorker {
    func startup(_ parameters: [String: String]) {
        startupParameters = parameters
        guard let user = parameters["user"], !user.isEmpty else {
            return fatal("28000", "no PostgreSQL user name specified in startup packet")
        }
        if let replication = parameters["replication"], !["false", "off", "no", "0"].contains(replication.lowercased()) {
            return fatal("0A000", "replication connections are not supported")
        }
        if let encoding = parameters["client_encoding"], !Self.isUTF8(encoding) {
            return fatal("22023", "invalid value for parameter \"client_encoding\": \"\(encoding)\"",
                         hint: "Basalt speaks UTF8 only.")
        }
        let open = server.statistics.connectionsOpen.load(ordering: .relaxed)
        guard open < server.configuration.maxConnections else {
            server.statistics.connectionsRefused.add(1, ordering: .relaxed)
            return fatal("53300", "sorry, too many clients already")
        }
        switch server.configuration.authentication {
        case .trust:
            let stored = try? server.engine.lake.metastore.user(named: user)
            authenticated(user: user, superuser: stored?.isSuperuser ?? true)
        case .scram:
            send(.authenticationSASL(mechanisms: ["SCRAM-SHA-256"]))
            flush()
            phase = .awaitingSASLInitial(user: user)
        }
    }

    /// SASLInitialResponse: mechanism name, Int32 length, client-first-message.
    func saslInitial(user: String, _ bytes: [UInt8]) {
        var buffer = channel.allocator.buffer(bytes: bytes)
        guard let mechanism = buffer.readCString(), let length = buffer.readInteger(as: Int32.self) else {
            return fatalProtocolError("malformed SASLInitialResponse message")
        }
        guard mechanism == "SCRAM-SHA-256" else {
            return fatal("08P01", "client selected an invalid SASL authentication mechanism")
        }
        guard length >= 0, let clientFirst = buffer.readBytes(length: Int(length)), buffer.readableBytes == 0 else {
            return fatalProtocolError("malformed SASLInitialResponse message")
        }
        let stored = try? server.engine.lake.metastore.user(named: user)
        let verifier = stored.flatMap { SCRAMVerifier(text: $0.scramVerifier) }
        var exchange = SCRAMServerExchange(verifier: verifier, userName: user, mockSecret: server.mockSecret)
        do {
            let serverFirst = try exchange.serverFirst(clientFirst: clientFirst)
            send(.authenticationSASLContinue(serverFirst))
            flush()
            phase = .awaitingSASLFinal(user: user, exchange: exchange)
        } catch {
            saslFailed(user: user, error)
        }
    }

    func saslFinal(user: String, exchange: SCRAMServerExchange, _ bytes: [UInt8]) {
        do {
            let serverFinal = try exchange.serverFinal(clientFinal: bytes)
            send(.authenticationSASLFinal(serverFinal))
            let stored = try? server.engine.lake.metastore.user(named: user)
            authenticated(user: user, superuser: stored?.isSuperuser ?? false)
        } catch {
            saslFailed(user: user, error)
        }
    }

    private func saslFailed(user: String, _ error: SCRAMServerExchange.Failure) {
        switch error {
        case let .malformed(message):
            fatal("08P01", message)
        case .authenticationFailed:
            server.statistics.authenticationFailures.add(1, ordering: .relaxed)
            server.logger.notice("password authentication failed", metadata: ["user": "\(user)"])
            fatal("28P01", "password authentication failed for user \"\(user)\"")
        }
    }

    /// The client proved who it is: check the database, start the session, say hello.
    private func authenticated(user: String, superuser: Bool) {
        let database = startupParameters["database"].flatMap { $0.isEmpty ? nil : $0 } ?? user
        guard database == ServerInfo.databaseName else {
            return fatal("3D000", "database \"\(database)\" does not exist",
                         hint: "Basalt serves one database, \"\(ServerInfo.databaseName)\"; its schemas are the lake's.")
        }
        principal = Principal(user: user, isSuperuser: superuser)
        principalPolicyVersion = server.engine.policy.version
        let session = Session(engine: server.engine, principal: principal)
        self.session = session
        publish(session.cancellation)
        let (pid, key) = server.registry.register(session.cancellation)
        processID = pid
        ServerInfo.configure(session, processID: pid, startup: startupParameters)
        send(.authenticationOk)
        for (name, value) in ServerInfo.parameterStatus(session: session, principal: principal, startup: startupParameters) {
            send(.parameterStatus(name: name, value: value))
        }
        send(.backendKeyData(processID: pid, secretKey: key))
        send(.readyForQuery(.idle))
        flush()
        phase = .ready
        server.statistics.connectionsOpened.add(1, ordering: .relaxed)
        server.statistics.connectionsOpen.add(1, ordering: .relaxed)
    }

    func fatal(_ sqlState: String, _ message: String, hint: String? = nil) {
        send(.errorResponse(.init(severity: "FATAL", sqlState: sqlState, message: message, hint: hint)))
        close()
    }

    static func isUTF8(_ encoding: String) -> Bool {
        let e = encoding.uppercased().replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "'", with: "")
        return e == "UTF8" || e == "UNICODE" || e == "SQL_ASCII"
    }

    /// A superuser flag changed since login (ALTER USER ... [NO]SUPERUSER, DROP USER) applies
    /// from the connection's next request, as PostgreSQL checks role attributes at each use.
    /// Looked up only when the access policy's version moved (user statements move it).
    func refreshPrincipal() {
        guard case .ready = phase, let session else { return }
        let version = server.engine.policy.version
        guard version != principalPolicyVersion else { return }
        let stored: StoredUser?
        do { stored = try server.engine.lake.metastore.user(named: principal.user) } catch { return }  // tried again next request
        principalPolicyVersion = version
        // A user no longer stored keeps nothing but what trust authentication gives anyone.
        let superuser = stored?.isSuperuser ?? (server.configuration.authentication == .trust)
        guard superuser != principal.isSuperuser else { return }
        principal = Principal(user: principal.user, isSuperuser: superuser)
        session.principal = principal
        send(.parameterStatus(name: "is_superuser", value: superuser ? "on" : "off"))
    }
}
