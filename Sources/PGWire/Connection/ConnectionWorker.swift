import Dispatch
import Engine
import Foundation
import Lake
import NIOCore
import SQL

/// One connection's protocol state machine, run serially on a thread of its
/// own (started when messages arrive, ended after a short idle time), because
/// the engine's work is blocking and must never run on an event loop. The
/// event loop only decodes messages and hands them over with `enqueue`.
///
/// Everything below the inbox is touched by the worker thread only.
final class ConnectionWorker: @unchecked Sendable {
    let channel: Channel
    let server: ServerContext

    // MARK: inbox (shared with the event loop, under `condition`)

    private let condition = NSCondition()
    private var inbox: [FrontendMessage] = []
    private var threadRunning = false
    /// Someone (the worker thread, or the event loop answering from the cache) is handling messages.
    private var processing = false
    private var channelClosed = false
    /// The session's cancellation flag, published under `condition` for the event loop.
    private var cancellation: CancellationFlag?

    // MARK: protocol state (worker thread only)

    enum Phase {
        case awaitingStartup
        case awaitingSASLInitial(user: String)
        case awaitingSASLFinal(user: String, exchange: SCRAMServerExchange)
        case ready
        case closed
    }

    var phase = Phase.awaitingStartup
    var out: ByteBuffer
    var session: Session?
    var principal = Principal(user: "", isSuperuser: false)
    var processID: Int32 = 0
    var startupParameters: [String: String] = [:]
    var statements: [String: PreparedStatement] = [:]
    var portals: [String: Portal] = [:]
    /// After an error in the extended protocol, messages are skipped until Sync.
    var skippingUntilSync = false
    var transactionStatus = BackendMessage.TransactionStatus.idle
    /// True while the event loop answers a request from the result cache (see `answerFromCache`).
    var onEventLoop = false
    /// Set when, on the event loop, the request turned out to need real work.
    var needsWorker = false
    /// The event loop already listed the request's tables (see `Session.beginRequest`).
    var versionsChecked = false
    /// The access policy's version when `principal` was last looked up (see `refreshPrincipal`).
    var principalPolicyVersion: UInt64 = 0

    /// Pending output beyond this is written (and waited for) mid-result.
    static let flushThreshold = 256 << 10

    init(channel: Channel, server: ServerContext) {
        self.channel = channel
        self.server = server
        out = channel.allocator.buffer(capacity: 4096)
    }

    /// Hands a decoded message to the worker (called on the event loop).
    func enqueue(_ message: FrontendMessage) {
        condition.lock()
        inbox.append(message)
        let start = !threadRunning
        threadRunning = true
        condition.signal()
        condition.unlock()
        if start { startThread() }
    }

    /// The client went away: stop the running statement and end the worker.
    func channelDidClose() {
        condition.lock()
        channelClosed = true
        let start = !threadRunning
        threadRunning = true
        let running = cancellation
        condition.signal()
        condition.unlock()
        running?.cancel(.clientGone)
        if start { startThread() }
    }

    /// Makes the new session's flag reachable from the event loop (a vanished client cancels it).
    func publish(_ flag: CancellationFlag) {
        condition.lock()
        cancellation = flag
        condition.unlock()
    }

    /// Messages waiting for the worker (the handler stops reading past a bound).
    var backlog: Int {
        condition.lock()
        defer { condition.unlock() }
        return inbox.count
    }

    private func startThread() {
        let thread = Thread { [self] in run() }
        thread.stackSize = 16 << 20  // the parser and binder recurse on deep expressions
        thread.name = "basalt-connection"
        thread.start()
    }

    private func run() {
        while true {
            condition.lock()
            if inbox.isEmpty && !channelClosed {
                // Stay a moment for the next message (a client's next query) before ending the thread.
                _ = condition.wait(until: Date().addingTimeInterval(1))
            }
            if channelClosed || inbox.isEmpty {
                let closedNow = channelClosed
                if inbox.isEmpty || closedNow {
                    threadRunning = false
                    condition.unlock()
                    if closedNow { finish() }
                    return
                }
            }
            let batch = inbox
            inbox.removeAll(keepingCapacity: true)
            processing = true
            condition.unlock()
            if versionsChecked { versionsChecked = false } else { session?.beginRequest() }
            refreshPrincipal()
            for message in batch {
                if case .closed = phase { break }
                handle(message)
            }
            flush()
            condition.lock()
            processing = false
            condition.unlock()
            channel.read()  // the handler paused reading while the inbox was long
        }
    }

    /// Answers a request (one simple Query, or Parse/Bind/Describe/Execute up to Sync with
    /// one Execute) on the calling event loop when its result is in the result cache and the
    /// worker thread is idle: the hand-off to the connection's thread and back costs more
    /// than the rest of a cache hit. Anything needing real work (a statement not described
    /// before, a result not cached or larger than `Session.cacheOnlyBytes`, a full admission
    /// queue, any statement but a query) rolls everything back and returns false; the caller
    /// then enqueues the messages as usual.
    func answerFromCache(_ messages: [FrontendMessage]) -> Bool {
        // Exactly one statement runs, last (a lone Query, or an Execute right before Sync): a
        // fallback never follows an answer, which would run it twice, nor undoes a portal's progress.
        let runs = messages.filter { if case .query = $0 { true } else if case .execute = $0 { true } else { false } }.count
        guard messages.count <= 6, runs == 1 else { return false }
        switch (messages.last, messages.count >= 2 ? messages[messages.count - 2] : nil) {
        case (.query?, _) where messages.count == 1: break
        case (.sync?, .execute?): break
        default: return false
        }
        for m in messages {
            switch m {
            case let .query(sql) where sql.utf8.count <= 8192: continue  // parsing stays cheap
            case .parse, .bind, .describe, .execute, .sync: continue
            default: return false
            }
        }
        condition.lock()
        let idle = !processing && inbox.isEmpty && !channelClosed
        if idle { processing = true }
        condition.unlock()
        guard idle else { return false }
        defer {
            condition.lock()
            processing = false
            condition.unlock()
        }
        guard case .ready = phase, !skippingUntilSync, transactionStatus != .failed, let session,
              principalPolicyVersion == server.engine.policy.version else { return false }
        // Only texts the cache has seen: a miss must not list table files on the event loop.
        let text: String? = messages.lazy.compactMap { m -> String? in
            switch m {
            case let .query(sql): sql
            case let .parse(_, sql, _): sql
            case let .bind(bind): self.statements[bind.statement]?.sql
            default: nil
            }
        }.first
        guard let text, session.mayAnswerFromCache(text) else { return false }
        // What a fallback must restore: nothing has been written yet, and these are all the
        // state the messages can change.
        let saved = (out.writerIndex, statements, portals, transactionStatus)
        onEventLoop = true
        needsWorker = false
        session.cacheOnly = true
        session.beginRequest()
        for message in messages where !needsWorker { handle(message) }
        onEventLoop = false
        session.cacheOnly = false
        if needsWorker {
            out.moveWriterIndex(to: saved.0)
            (statements, portals, transactionStatus) = (saved.1, saved.2, saved.3)
            skippingUntilSync = false
            versionsChecked = true  // the worker reuses this request's file listings
            return false
        }
        // Queued behind whatever the worker thread wrote before it went idle (its writes from
        // off the event loop are tasks of this loop), so replies keep their order.
        let buffer = out
        out = channel.allocator.buffer(capacity: 4096)
        let channel = self.channel
        channel.eventLoop.execute { channel.writeAndFlush(buffer, promise: nil) }
        server.statistics.answeredOnEventLoop.add(1, ordering: .relaxed)
        return true
    }

    /// Releases the session when the connection ends.
    private func finish() {
        if processID != 0 { server.registry.unregister(processID) }
        if case .ready = phase { server.statistics.connectionsOpen.subtract(1, ordering: .relaxed) }
        phase = .closed
        portals = [:]
        statements = [:]
        session = nil
    }

    // MARK: dispatch

    func handle(_ message: FrontendMessage) {
        switch phase {
        case .awaitingStartup:
            if case let .startup(_, parameters) = message {
                startup(parameters)
            } else {
                fatalProtocolError("expected a startup message")
            }
        case let .awaitingSASLInitial(user):
            guard case let .authenticationResponse(bytes) = message else { return fatalProtocolError("expected SASL response") }
            saslInitial(user: user, bytes)
        case let .awaitingSASLFinal(user, exchange):
            guard case let .authenticationResponse(bytes) = message else { return fatalProtocolError("expected SASL response") }
            saslFinal(user: user, exchange: exchange, bytes)
        case .ready:
            ready(message)
        case .closed:
            return
        }
    }

    private func ready(_ message: FrontendMessage) {
        switch message {
        case let .query(sql):
            skippingUntilSync = false
            simpleQuery(sql)
        case .sync:
            skippingUntilSync = false
            if transactionStatus == .idle { portals = portals.filter { $0.value.holdsPastTransaction } }  // an implicit transaction ends at Sync
            send(.readyForQuery(transactionStatus))
            flush()
        case .flush:
            flush()
        case .terminate:
            close()
        case let .parse(name, query, types) where !skippingUntilSync:
            extended { () throws(EngineError) in try parse(name: name, query: query, types: types) }
        case let .bind(bind) where !skippingUntilSync:
            extended { () throws(EngineError) in try self.bind(bind) }
        case let .describe(kind, name) where !skippingUntilSync:
            extended { () throws(EngineError) in try describe(kind, name) }
        case let .execute(portal, maxRows) where !skippingUntilSync:
            extended { () throws(EngineError) in try execute(portal: portal, maxRows: Int(maxRows)) }
        case let .close(kind, name) where !skippingUntilSync:
            if kind == .statement { statements[name] = nil } else { portals[name] = nil }
            send(.closeComplete)
        case .functionCall where !skippingUntilSync:
            extended { () throws(EngineError) in throw EngineError("0A000", "the function call protocol message is not supported") }
        case .parse, .bind, .describe, .execute, .close, .functionCall:
            return  // skipped until Sync after an error
        case .copyData, .copyDone, .copyFail:
            return  // stray COPY messages outside COPY FROM STDIN are ignored, as PostgreSQL does
        case .startup, .sslRequest, .gssEncRequest, .cancelRequest, .authenticationResponse:
            fatalProtocolError("unexpected message in the middle of a session")
        }
    }

    /// Runs one extended-protocol step; an error is reported and the rest skipped until Sync.
    private func extended(_ body: () throws(EngineError) -> Void) {
        do {
            try body()
        } catch {
            if error.isNotCached { needsWorker = true; return }
            sendError(error)
            skippingUntilSync = true
            if transactionStatus == .inTransaction { transactionStatus = .failed }
        }
    }

    // MARK: output

    func send(_ message: BackendMessage) {
        message.encode(into: &out)
    }

    func sendError(_ error: EngineError) {
        if error.sqlState == "57014" { server.statistics.queriesCancelled.add(1, ordering: .relaxed) }
        send(.errorResponse(.init(sqlState: error.sqlState, message: error.message, hint: error.hint, position: error.position)))
    }

    /// Writes what is pending; waits for it when it is large, so a slow client
    /// slows its own query instead of growing the server's memory.
    func flush(wait: Bool = false) {
        // On the event loop, the request's output goes out at its end, or not at all (rolled back).
        guard !onEventLoop, out.readableBytes > 0 else { return }
        let buffer = out
        out = channel.allocator.buffer(capacity: 4096)
        let future = channel.writeAndFlush(buffer)
        guard wait else { return }
        // A client that stops reading must not hold its query slot forever: after a minute
        // without progress the connection is closed and its statement cancelled.
        let written = DispatchSemaphore(value: 0)
        future.whenComplete { _ in written.signal() }
        if written.wait(timeout: .now() + Self.writeStallTimeout) == .timedOut {
            server.logger.notice("client stopped reading results; closing the connection", metadata: ["pid": "\(processID)"])
            session?.cancellation.cancel(.clientGone)
            channel.close(promise: nil)
        }
    }

    /// How long a result write may wait for a client that does not read.
    static let writeStallTimeout: DispatchTimeInterval = .seconds(60)

    func flushIfLarge() {
        if out.readableBytes >= Self.flushThreshold { flush(wait: true) }
    }

    func fatalProtocolError(_ message: String) {
        server.statistics.protocolErrors.add(1, ordering: .relaxed)
        send(.errorResponse(.init(severity: "FATAL", sqlState: "08P01", message: message)))
        close()
    }

    func close() {
        flush()
        phase = .closed
        channel.close(promise: nil)
    }
}
